"""Exact money: :class:`Money`, rounding, allocation and dated exchange rates.

Every amount is a :class:`~decimal.Decimal` in an active ISO 4217 currency. Floats are
refused at the door. Arithmetic is exact within one currency and refuses to mix
currencies. Rounding happens only where asked (:meth:`Money.rounded`), to the
currency's minor unit, under one :class:`RoundingPolicy`. Splitting an amount
(:meth:`Money.allocate`) uses the largest-remainder method, so the parts always add up
to the whole.

>>> [str(part) for part in Money("100.00", "USD").allocate([1, 1, 1])]
['33.34 USD', '33.33 USD', '33.33 USD']
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Final

import attrs

from crokit._convert import to_tuple
from crokit._currencies import MINOR_UNITS
from crokit._decimal import CONTEXT, MAX_EXPONENT, NumberLike, to_decimal
from crokit.errors import (
    CurrencyMismatchError,
    InvalidAmountError,
    MissingRateError,
    UnknownCurrencyError,
    ValidationError,
)

__all__ = [
    "CURRENCIES",
    "FxRate",
    "FxTable",
    "Money",
    "RoundingPolicy",
    "minor_units",
    "total",
    "validate_currency",
]

CURRENCIES: Final = MINOR_UNITS
"""Active ISO 4217 codes mapped to their minor units (``None`` where ISO gives N.A.)."""


_QUANTA: Final = {unit: Decimal(1).scaleb(-unit) for unit in {u for u in MINOR_UNITS.values() if u is not None}}


class RoundingPolicy(enum.Enum):
    """How a half minor unit is rounded; crokit's one rounding policy.

    ``HALF_EVEN`` (banker's rounding, the default) rounds 0.125 to 0.12 and 0.135 to
    0.14, so rounding errors do not drift in one direction over many lines.
    ``HALF_UP`` rounds halves away from zero (0.125 to 0.13), as many contracts say.
    """

    HALF_EVEN = "half-even"
    HALF_UP = "half-up"

    @property
    def decimal_mode(self) -> str:
        """The matching :mod:`decimal` rounding constant."""
        return ROUND_HALF_EVEN if self is RoundingPolicy.HALF_EVEN else ROUND_HALF_UP


def validate_currency(code: object) -> str:
    """Return *code* if it is an active ISO 4217 code, else raise.

    Codes are upper case; ``"usd"`` is refused with a suggestion rather than changed.

    Raises:
        UnknownCurrencyError: If *code* is not an active code.
    """
    if isinstance(code, str) and code in MINOR_UNITS:
        return code
    raise UnknownCurrencyError(code, MINOR_UNITS)


def minor_units(code: str) -> int | None:
    """The number of decimal places of *code*'s minor unit (USD 2, JPY 0, KWD 3)."""
    return MINOR_UNITS[validate_currency(code)]


def _amount(value: NumberLike) -> Decimal:
    return to_decimal(value, what="amount")


def _factor(value: object) -> Decimal:
    if isinstance(value, Money):
        raise InvalidAmountError(value, "money can only be multiplied or divided by a number")
    return to_decimal(value, what="factor")


@attrs.frozen(order=False)
class Money:
    """An exact amount in one currency.

    Args:
        amount: ``str``, ``int`` or ``Decimal``; floats, bools, NaN and infinities
            are refused with an :class:`~crokit.errors.InvalidAmountError`.
        currency: An active ISO 4217 code such as ``"USD"``.

    The amount keeps the scale it was given (``Money("1.50", "USD")`` stays
    ``1.50``) and is only rounded by :meth:`rounded`.

    >>> Money("0.10", "USD") + Money("0.20", "USD")
    Money(amount=Decimal('0.30'), currency='USD')
    """

    amount: Decimal = attrs.field(converter=_amount)
    currency: str = attrs.field(validator=lambda _i, _a, v: validate_currency(v))

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Zero in *currency*; the start value for sums."""
        return cls._trusted(Decimal(0), validate_currency(currency))

    @classmethod
    def _trusted(cls, amount: Decimal, currency: str) -> Money:
        """Build from an amount computed from valid Money in a valid currency (no re-validation).

        Results that leave crokit's range still go through the checking constructor.
        """
        if amount and not -MAX_EXPONENT <= amount.adjusted() <= MAX_EXPONENT:
            return cls(amount, currency)
        money = object.__new__(cls)
        object.__setattr__(money, "amount", amount)
        object.__setattr__(money, "currency", currency)
        return money

    @property
    def minor_unit(self) -> int | None:
        """Decimal places of the currency's minor unit (``None`` if it has none)."""
        return MINOR_UNITS[self.currency]

    def _same(self, other: Money, operation: str) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(self.currency, other.currency, operation=operation)

    def __add__(self, other: object) -> Money:
        """Add two amounts of the same currency."""
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "add")
        return Money._trusted(CONTEXT.add(self.amount, other.amount), self.currency)

    def __sub__(self, other: object) -> Money:
        """Subtract an amount of the same currency."""
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "subtract")
        return Money._trusted(CONTEXT.subtract(self.amount, other.amount), self.currency)

    def __neg__(self) -> Money:
        """The same amount with the opposite sign."""
        return Money._trusted(CONTEXT.minus(self.amount), self.currency)

    def __pos__(self) -> Money:
        """The amount itself."""
        return self

    def __abs__(self) -> Money:
        """The amount without its sign."""
        return Money(CONTEXT.abs(self.amount), self.currency)

    def __mul__(self, factor: object) -> Money:
        """Multiply by an ``int`` or ``Decimal`` (never a float or another Money)."""
        return Money(CONTEXT.multiply(self.amount, _factor(factor)), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: object) -> Money:
        """Divide by a number; ``Money / Money`` of one currency is not allowed here, use :meth:`ratio`."""
        value = _factor(divisor)
        if not value:
            raise ValidationError.at("divisor", "cannot divide money by zero")
        return Money(CONTEXT.divide(self.amount, value), self.currency)

    def ratio(self, other: Money) -> Decimal:
        """``self / other`` as a plain Decimal (same currency, *other* not zero)."""
        self._same(other, "divide")
        if not other.amount:
            raise ValidationError.at("divisor", "cannot divide by a zero amount")
        return CONTEXT.divide(self.amount, other.amount)

    def _cmp(self, other: object) -> Decimal | None:
        if not isinstance(other, Money):
            return None
        self._same(other, "compare")
        return other.amount

    def __lt__(self, other: object) -> bool:
        """Compare amounts of the same currency."""
        amount = self._cmp(other)
        return NotImplemented if amount is None else self.amount < amount

    def __le__(self, other: object) -> bool:
        """Compare amounts of the same currency."""
        amount = self._cmp(other)
        return NotImplemented if amount is None else self.amount <= amount

    def __gt__(self, other: object) -> bool:
        """Compare amounts of the same currency."""
        amount = self._cmp(other)
        return NotImplemented if amount is None else self.amount > amount

    def __ge__(self, other: object) -> bool:
        """Compare amounts of the same currency."""
        amount = self._cmp(other)
        return NotImplemented if amount is None else self.amount >= amount

    def __str__(self) -> str:
        """Render as ``'1234.50 USD'``."""
        return f"{self.amount} {self.currency}"

    def is_zero(self) -> bool:
        """Whether the amount is zero."""
        return not self.amount

    def _quantum(self) -> Decimal:
        unit = self.minor_unit
        if unit is None:
            raise ValidationError.at(
                "currency", f"{self.currency} has no minor unit in ISO 4217, so it cannot be rounded or allocated"
            )
        return _QUANTA[unit]

    def rounded(self, policy: RoundingPolicy = RoundingPolicy.HALF_EVEN) -> Money:
        """Round to the currency's minor unit under *policy* (half-even by default).

        >>> Money("0.125", "USD").rounded()
        Money(amount=Decimal('0.12'), currency='USD')
        >>> Money("0.125", "USD").rounded(RoundingPolicy.HALF_UP)
        Money(amount=Decimal('0.13'), currency='USD')
        """
        return Money(
            self.amount.quantize(self._quantum(), rounding=policy.decimal_mode, context=CONTEXT), self.currency
        )

    def is_rounded(self) -> bool:
        """Whether the amount has no digits below the currency's minor unit."""
        quantum = self._quantum()
        exponent = self.amount.as_tuple().exponent
        unit_exponent = quantum.as_tuple().exponent
        if isinstance(exponent, int) and isinstance(unit_exponent, int) and exponent >= unit_exponent:
            return True  # no digit is written below the minor unit
        return self.amount == self.amount.quantize(quantum, rounding=ROUND_FLOOR, context=CONTEXT)

    def allocate(self, weights: Sequence[NumberLike]) -> tuple[Money, ...]:
        """Split into parts proportional to *weights* that add up exactly to this amount.

        The amount must already be in whole minor units (round it first). Each part
        gets the floor of its exact share in minor units; the minor units left over go
        one each to the parts with the largest fractional remainder, and among equal
        remainders to the earlier part. So every part is within one minor unit of its
        exact share, and the order of handing out is deterministic. A negative amount
        is split as its absolute value, then negated.

        Args:
            weights: Non-negative ``int``/``Decimal``/text weights, not all zero.

        >>> [str(m) for m in Money("100.00", "USD").allocate([1, 1, 1])]
        ['33.34 USD', '33.33 USD', '33.33 USD']
        """
        quantum = self._quantum()
        if not self.is_rounded():
            raise ValidationError.at(
                "amount",
                f"{self} has digits below the {self.currency} minor unit; call .rounded() before allocating",
            )
        if not weights:
            raise ValidationError.at("weights", "expected at least one weight")
        whole_weights = _whole_weights(weights)
        whole = sum(whole_weights)
        if whole == 0:
            raise ValidationError.at("weights", "expected at least one weight above zero, all are zero")
        units = int(CONTEXT.divide(abs(self.amount), quantum))
        count = len(whole_weights)
        if whole_weights.count(whole_weights[0]) == count:
            # Equal weights: equal remainders, so the earliest parts take the units left over.
            base, left = divmod(units, count)
            parts = [base + 1] * left + [base] * (count - left)
        else:
            parts = []
            remainders: list[int] = []
            for weight in whole_weights:
                part, remainder = divmod(units * weight, whole)
                parts.append(part)
                remainders.append(remainder)
            left = units - sum(parts)
            # A stable sort on the remainder alone keeps earlier parts first among equals.
            for i in sorted(range(count), key=lambda i: -remainders[i])[:left]:
                parts[i] += 1
        sign = -1 if self.amount < 0 else 1
        made: dict[int, Money] = {}  # equal parts share one immutable value
        result = []
        for part in parts:
            money = made.get(part)
            if money is None:
                money = made[part] = Money._trusted((sign * part) * quantum, self.currency)
            result.append(money)
        return tuple(result)


def _whole_weights(weights: Sequence[NumberLike]) -> list[int]:
    """The weights as whole numbers in the same proportions (each scaled by one power of ten)."""
    if all(type(w) is int for w in weights):
        whole = [int(w) for w in weights]
    else:
        exact = [to_decimal(w, what="weight") for w in weights]
        exponents = [e for w in exact if isinstance(e := w.as_tuple().exponent, int)]
        scale = max(0, *(-e for e in exponents))
        whole = [int(w.scaleb(scale, context=CONTEXT)) for w in exact]
    for index, weight in enumerate(whole):
        if weight < 0:
            raise ValidationError.at(f"weights[{index}]", f"expected a weight >= 0, got {weights[index]!r}")
    return whole


def total(items: Iterable[Money], *, currency: str) -> Money:
    """Sum *items*, all in *currency*; an empty iterable sums to zero.

    Raises:
        CurrencyMismatchError: If any item is in another currency.

    >>> total([Money("1.10", "EUR"), Money("2.20", "EUR")], currency="EUR")
    Money(amount=Decimal('3.30'), currency='EUR')
    """
    validate_currency(currency)
    amount = Decimal(0)
    for item in items:
        if not isinstance(item, Money):
            raise ValidationError.at("items", f"expected Money, got {item!r}")
        if item.currency != currency:
            raise CurrencyMismatchError(currency, item.currency, operation="add")
        amount = CONTEXT.add(amount, item.amount)
    return Money._trusted(amount, currency)  # noqa: SLF001 - same module


def _positive_rate(_instance: object, _attribute: object, value: Decimal) -> None:
    if value <= 0:
        raise ValidationError.at("rate", f"expected an exchange rate > 0, got {value}")


def _rate(value: NumberLike) -> Decimal:
    return to_decimal(value, what="rate")


def _source(_instance: object, _attribute: object, value: str) -> None:
    if not value.strip():
        raise ValidationError.at("source", "expected the rate's source (a publisher or contract), got an empty text")


@attrs.frozen(kw_only=True)
class FxRate:
    """One dated exchange rate: 1 unit of *base* buys *rate* units of *quote*.

    Attributes:
        base: The currency converted from.
        quote: The currency converted to.
        rate: Units of *quote* per unit of *base*, exact and > 0.
        as_of: The first date the rate is in force.
        source: Where the rate comes from (a central bank fixing, a contract clause).
    """

    base: str = attrs.field(validator=lambda _i, _a, v: validate_currency(v))
    quote: str = attrs.field(validator=lambda _i, _a, v: validate_currency(v))
    rate: Decimal = attrs.field(converter=_rate, validator=_positive_rate)
    as_of: date = attrs.field(validator=attrs.validators.instance_of(date))
    source: str = attrs.field(validator=[attrs.validators.instance_of(str), _source])

    def __attrs_post_init__(self) -> None:
        """Refuse a rate from a currency to itself."""
        if self.base == self.quote:
            raise ValidationError.at("quote", f"a rate needs two different currencies, got {self.base} twice")


@attrs.frozen(kw_only=True)
class FxTable:
    """A set of dated exchange rates; no live rates, ever.

    The rate in force on a date is the one with the latest ``as_of`` on or before it.
    A pair is looked up directly first; if only the opposite pair is known, its
    inverse is used (computed to 34 significant digits).

    Attributes:
        rates: The rates, any order; one rate per pair and date.
    """

    rates: tuple[FxRate, ...] = attrs.field(default=(), converter=to_tuple)

    def __attrs_post_init__(self) -> None:
        """Refuse two rates for the same pair on the same date."""
        seen: dict[tuple[str, str, date], int] = {}
        for index, fx in enumerate(self.rates):
            key = (fx.base, fx.quote, fx.as_of)
            if key in seen:
                raise ValidationError.at(
                    f"rates[{index}]",
                    f"a {fx.base}->{fx.quote} rate for {fx.as_of} is already given at rates[{seen[key]}]",
                )
            seen[key] = index

    def with_rate(self, rate: FxRate) -> FxTable:
        """Return a new table that also holds *rate*."""
        return FxTable(rates=(*self.rates, rate))

    def _latest(self, base: str, quote: str, on: date) -> FxRate | None:
        found = [fx for fx in self.rates if fx.base == base and fx.quote == quote and fx.as_of <= on]
        return max(found, key=lambda fx: fx.as_of) if found else None

    def rate(self, base: str, quote: str, on: date) -> Decimal:
        """The rate from *base* to *quote* in force on *on*.

        Raises:
            MissingRateError: If no rate for the pair (or its inverse) is in force.
        """
        validate_currency(base)
        validate_currency(quote)
        if base == quote:
            return Decimal(1)
        direct = self._latest(base, quote, on)
        if direct is not None:
            return direct.rate
        inverse = self._latest(quote, base, on)
        if inverse is not None:
            return CONTEXT.divide(Decimal(1), inverse.rate)
        later = [fx.as_of for fx in self.rates if {fx.base, fx.quote} == {base, quote}]
        detail = (
            f"the earliest rate for this pair starts {min(later)}" if later else "the table has no rate for this pair"
        )
        raise MissingRateError(base, quote, on, detail=detail)

    def convert(self, money: Money, to: str, on: date, *, policy: RoundingPolicy = RoundingPolicy.HALF_EVEN) -> Money:
        """Convert *money* into *to* at the rate in force on *on*, rounded to *to*'s minor unit.

        Converting into the same currency returns *money* unchanged.
        """
        if money.currency == to:
            return money
        rate = self.rate(money.currency, to, on)
        return Money(CONTEXT.multiply(money.amount, rate), to).rounded(policy)
