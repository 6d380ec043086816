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
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any, Final, cast

import attrs

from crokit._convert import to_tuple
from crokit._currencies import MINOR_UNITS
from crokit._decimal import CONTEXT, EXACT, MAX_EXPONENT, MONEY, NumberLike, exact_add, to_decimal
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
    "allocate_units",
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
        return Money._trusted(exact_add(self.amount, other.amount), self.currency)

    def __sub__(self, other: object) -> Money:
        """Subtract an amount of the same currency."""
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "subtract")
        return Money._trusted(exact_add(self.amount, EXACT.minus(other.amount), what="difference"), self.currency)

    def __neg__(self) -> Money:
        """The same amount with the opposite sign."""
        return Money._trusted(self.amount.copy_negate(), self.currency)

    def __pos__(self) -> Money:
        """The amount itself."""
        return self

    def __abs__(self) -> Money:
        """The amount without its sign."""
        return Money._trusted(self.amount.copy_abs(), self.currency)

    def __mul__(self, factor: object) -> Money:
        """Multiply by an ``int`` or ``Decimal`` (never a float or another Money), to 62 significant digits."""
        # A finite product of two finite numbers; _trusted sends one out of range to the checking constructor.
        return Money._trusted(MONEY.multiply(self.amount, _factor(factor)), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: object) -> Money:
        """Divide by a number, to 62 significant digits; for ``Money / Money`` use :meth:`ratio`."""
        value = _factor(divisor)
        if not value:
            raise ValidationError.at("divisor", "cannot divide money by zero")
        return Money._trusted(MONEY.divide(self.amount, value), self.currency)

    def ratio(self, other: Money) -> Decimal:
        """``self / other`` as a plain Decimal to 34 significant digits (same currency, *other* not zero)."""
        if not isinstance(other, Money):
            raise ValidationError.at("other", f"expected Money in {self.currency}, got {other!r}")
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

    def __format__(self, spec: str) -> str:
        """``format(money, ",")``: for people, ``'1,500,000.00 USD'``; an empty spec gives :func:`str`.

        The amount shows thousands separators and at least the currency's minor units
        (``58,618 JPY``, ``0.00 USD``, never ``0E-11``); digits below the minor unit are
        shown only when they are not zero, so the number shown is always the number held.
        Messages built inside the models use it; the presentation package's
        ``crokit.presentation._format.money`` is the same rule.

        >>> f"{Money('1500000', 'USD'):,}", f"{Money('0E-11', 'USD'):,}", f"{Money('0.125', 'USD'):,}"
        ('1,500,000.00 USD', '0.00 USD', '0.125 USD')

        Raises:
            ValidationError: For any other spec.
        """
        if not spec:
            return str(self)
        if spec != ",":
            raise ValidationError.at("format", f"expected '' or ',' as the format of Money, got {spec!r}")
        shown = _shown_amount(self.amount, self.minor_unit)
        places = -shown.as_tuple().exponent  # type: ignore[operator]  # finite: never 'n', 'N' or 'F'
        return f"{shown:,.{max(places, 0)}f} {self.currency}"

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
        given: object = policy
        if not isinstance(given, RoundingPolicy):
            choices = ", ".join(repr(p.value) for p in RoundingPolicy)
            raise ValidationError.at("policy", f"expected a RoundingPolicy ({choices}), got {policy!r}")
        quantum = self._quantum()
        return Money._trusted(self.amount.quantize(quantum, rounding=policy.decimal_mode, context=MONEY), self.currency)

    def is_rounded(self) -> bool:
        """Whether the amount has no digits below the currency's minor unit."""
        self._quantum()
        return _minor_units(self.amount, MINOR_UNITS[self.currency] or 0) is not None

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
        self._quantum()
        unit = MINOR_UNITS[self.currency] or 0
        units = _minor_units(self.amount.copy_abs(), unit)
        if units is None:
            raise ValidationError.at(
                "amount",
                f"{self} has digits below the {self.currency} minor unit; call .rounded() before allocating",
            )
        given: object = weights
        if not isinstance(given, Sequence) or isinstance(given, str):
            raise ValidationError.at("weights", f"expected a list of weights, got {weights!r}")
        if not weights:
            raise ValidationError.at("weights", "expected at least one weight")
        whole_weights = _whole_weights(weights)
        if sum(whole_weights) == 0:
            raise ValidationError.at("weights", "expected at least one weight above zero, all are zero")
        parts = allocate_units(units, whole_weights)
        sign = 1 if self.amount < 0 else 0
        made: dict[int, Money] = {}  # equal parts share one immutable value
        result = []
        for part in parts:
            money = made.get(part)
            if money is None:
                # Built from its digits: exact, whatever the decimal context.
                digits = tuple(int(d) for d in str(part))
                money = made[part] = Money._trusted(Decimal((sign, digits, -unit)), self.currency)
            result.append(money)
        return tuple(result)


def allocate_units(units: int, weights: Sequence[int]) -> list[int]:
    """Split *units* (a whole number >= 0) in proportion to whole *weights* (>= 0, not all 0).

    The rule of :meth:`Money.allocate`, on whole minor units: each part gets the floor of
    its exact share; the units left over go one each to the parts with the largest
    remainder, earlier parts first among equal remainders. The parts add up to *units*.

    >>> allocate_units(10000, [1, 1, 1]), allocate_units(5, [10, 90])
    ([3334, 3333, 3333], [1, 4])
    """
    whole = sum(weights)
    count = len(weights)
    if weights.count(weights[0]) == count:
        # Equal weights: equal remainders, so the earliest parts take the units left over.
        base, left = divmod(units, count)
        return [base + 1] * left + [base] * (count - left)
    if count == 2:  # noqa: PLR2004 - a holdback's [kept, paid]: at most one unit left over
        first, first_left = divmod(units * weights[0], whole)
        second, second_left = divmod(units * weights[1], whole)
        if first + second < units:  # the larger remainder takes it, the first among equals
            return [first + 1, second] if first_left >= second_left else [first, second + 1]
        return [first, second]
    parts = []
    remainders: list[int] = []
    for weight in weights:
        part, remainder = divmod(units * weight, whole)
        parts.append(part)
        remainders.append(remainder)
    left = units - sum(parts)
    # A stable sort on the remainder alone keeps earlier parts first among equals.
    for i in sorted(range(count), key=lambda i: -remainders[i])[:left]:
        parts[i] += 1
    return parts


def _shown_amount(amount: Decimal, minor_unit: int | None) -> Decimal:
    """*amount* as shown to people: at least *minor_unit* decimals, more only where they are not zero.

    The value is unchanged (only trailing zeros are added or dropped), a zero of any
    exponent or sign is ``0`` with the minor unit's decimals, and the result is never in
    exponent notation.

    >>> _shown_amount(Decimal("58618"), 2), _shown_amount(Decimal("1.50000"), 2), _shown_amount(Decimal("-0E-11"), 0)
    (Decimal('58618.00'), Decimal('1.50'), Decimal('0'))
    """
    places = minor_unit or 0
    if not amount:
        return Decimal(0).quantize(Decimal(1).scaleb(-places))
    _sign, digits, exponent = amount.as_tuple()
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    significant = list(digits)
    while decimals > places and significant and significant[-1] == 0:
        significant.pop()
        decimals -= 1
    return amount.quantize(Decimal(1).scaleb(-max(decimals, places)), context=EXACT)


def _scaled(value: Decimal, places: int) -> int:
    """``value * 10**places`` as an int, exactly (*value* has at most *places* decimals)."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # noqa: S101 - to_decimal lets only finite numbers through
    coefficient = int("".join(map(str, digits)) or "0")
    if not coefficient:
        return 0
    shift = exponent + places
    whole = coefficient * 10**shift if shift >= 0 else coefficient // 10**-shift
    return int(-whole if sign else whole)


def _minor_units(amount: Decimal, unit: int) -> int | None:
    """*amount* as a whole number of minor units (10**-*unit*), or ``None`` if it has digits below them.

    Computed from the digits, so exact at every magnitude and in any decimal context.
    """
    _sign, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)  # noqa: S101 - Money amounts are finite
    below = -unit - exponent  # how many written digits lie below the minor unit
    if below > 0 and any(digits[-below:]):
        return None
    return _scaled(amount, unit)


def _whole_weights(weights: Sequence[NumberLike]) -> list[int]:
    """The weights as whole numbers in the same proportions (each scaled by one power of ten)."""
    if all(type(w) is int for w in weights):
        whole = [int(w) for w in weights]
    else:
        exact = [to_decimal(w, what="weight") for w in weights]
        exponents = [e for w in exact if w and isinstance(e := w.as_tuple().exponent, int)]
        scale = max(0, *(-e for e in exponents))
        whole = [_scaled(w, scale) for w in exact]
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
    given: object = items
    if not isinstance(given, Iterable) or isinstance(given, str | Money):
        raise ValidationError.at("items", f"expected an iterable of Money, got {items!r}")
    amount = Decimal(0)
    for item in items:
        if not isinstance(item, Money):
            raise ValidationError.at("items", f"expected Money, got {item!r}")
        if item.currency != currency:
            raise CurrencyMismatchError(currency, item.currency, operation="add")
        amount = exact_add(amount, item.amount)
    return Money._trusted(amount, currency)  # noqa: SLF001 - same module


def _positive_rate(_instance: object, _attribute: object, value: Decimal) -> None:
    if value <= 0:
        raise ValidationError.at("rate", f"expected an exchange rate > 0, got {value}")


def _rate(value: NumberLike) -> Decimal:
    return to_decimal(value, what="rate")


def _source(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str):
        raise ValidationError.at("source", f"expected the rate's source as text, got {value!r}")
    if not value.strip():
        raise ValidationError.at("source", "expected the rate's source (a publisher or contract), got an empty text")


_ISO_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: object) -> date:
    """An ISO 8601 calendar date text (``2027-01-04``) as a date; anything else unchanged, for :func:`_a_date`."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return cast("date", value)  # checked by _a_date


def _a_date(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, datetime):
        raise ValidationError.at(
            attribute.name,
            f"expected a date like 2027-01-04, got the datetime {value.isoformat()} "
            "(a rate is in force from a calendar day: pass its .date())",
        )
    if not isinstance(value, date):
        raise ValidationError.at(attribute.name, f"expected a date like 2027-01-04, got {value!r}")


def _rate_tuple(value: object) -> tuple[FxRate, ...]:
    """A list or other iterable of rates as a tuple; anything else unchanged, for :func:`_fx_rates`."""
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping | FxRate):
        return to_tuple(value)
    return cast("tuple[FxRate, ...]", value)  # refused by _fx_rates


def _fx_rates(_instance: object, _attribute: object, value: object) -> None:
    if not isinstance(value, tuple):
        raise ValidationError.at("rates", f"expected a list of FxRate, got {value!r}")
    for index, item in enumerate(value):
        if not isinstance(item, FxRate):
            raise ValidationError.at(f"rates[{index}]", f"expected an FxRate, got {item!r}")


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
    as_of: date = attrs.field(converter=_iso_date, validator=_a_date)
    source: str = attrs.field(validator=_source)

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

    rates: tuple[FxRate, ...] = attrs.field(default=(), converter=_rate_tuple, validator=_fx_rates)

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

    @staticmethod
    def _date(on: object) -> date:
        if not isinstance(on, date) or isinstance(on, datetime):
            raise ValidationError.at("on", f"expected a date like 2027-01-04, got {on!r}")
        return on

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
        on = self._date(on)
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
        if not isinstance(money, Money):
            raise ValidationError.at("money", f"expected Money, got {money!r}")
        validate_currency(to)
        self._date(on)
        if money.currency == to:
            return money
        rate = self.rate(money.currency, to, on)
        return Money(MONEY.multiply(money.amount, rate), to).rounded(policy)
