"""Converting priced money between currencies, with a record of every conversion used.

A proposal may price some items in another currency than its own (investigator grants
in JPY inside an EUR bid: list ``"JPY"`` in the proposal's ``other_currencies``), and a
proposal may be in another currency than the study. Both are converted with the
scenario's dated :class:`~crokit.FxTable`, at a date chosen by what the number is for
(:class:`FxPurpose`):

- ``comparison``: budgets and bid totals are compared at one date for every bid, the
  contract date (the planned ``contract-signed`` milestone, or the study's start date
  when no milestone plan gives one), so a bid never looks cheaper because its money
  was converted on a different day;
- ``cash-flow``: each payment is converted at the rate in force on its due date. When
  the table has no rate on that very date, the latest rate before it is used and the
  evaluation warns that it did.

The rate in force on a date is the one with the latest ``as_of`` on or before it (its
inverse if only the opposite pair is known). No rate on or before the date is a
:class:`~crokit.errors.MissingRateError` naming the pair and the date.

**Rounding.** A group of amounts (the lines of one currency, the payments due on one
date) is converted as a whole: the converted total is the exact total times the rate,
rounded once half-even to the target currency's minor unit (:data:`POLICY`), and it
is split over the group in proportion to the exact converted amounts by the largest
remainder: each part gets the floor of its exact share in minor units, and the units
left over go one each to the largest remainders, earlier parts first among equals. So
the converted parts add up exactly to the converted total, each is within one minor
unit of its exact share, and each :class:`Conversion` record reconciles:
``converted == (amount x rate).rounded()``.

>>> from datetime import date
>>> from decimal import Decimal
>>> from crokit import FxRate, FxTable, Money, Stage, UnitBasis
>>> from crokit.pricing import Budget, CostBucket, LineItem, PricingKind
>>> def line(what, amount):
...     return LineItem(
...         service="crokit:investigator-grants", stage=Stage.PHASE_2, kind=PricingKind.GRANTS,
...         bucket=CostBucket.INVESTIGATOR_GRANTS, description=what, basis=UnitBasis.PER_PATIENT_VISIT,
...         quantity=Decimal(1), unit_price=Money(amount, "JPY"), amount=Money(amount, "JPY"),
...         months=(0,), derivation="1 visit",
...     )
>>> grants = Budget(currency="JPY", lines=(line("visit 1", "1001"), line("visit 2", "1001")))
>>> fx = FxTable(rates=(FxRate(base="JPY", quote="EUR", rate="0.0061", as_of=date(2027, 1, 1),
...                            source="illustrative"),))
>>> euros, used = convert_budget(grants, "EUR", fx=fx, on=date(2027, 1, 4), purpose=FxPurpose.COMPARISON)
>>> [str(l.amount) for l in euros.lines], str(used.amount), str(used.converted)
(['6.11 EUR', '6.10 EUR'], '2002 JPY', '12.21 EUR')

Each line's exact share is 6.1061 EUR; the total, 12.2122 EUR, rounds to 12.21 EUR, and
the one cent the floors leave over goes to the first line.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_FLOOR, Decimal

import attrs

from crokit._currencies import MINOR_UNITS
from crokit._decimal import CONTEXT, MONEY, exact_add, exact_sum, in_crokit_context
from crokit._typed import typed_fields
from crokit._validators import as_member, is_date, is_member, non_empty_text
from crokit.errors import ValidationError
from crokit.money import FxRate, FxTable, Money, validate_currency
from crokit.pricing.budget import Budget
from crokit.pricing.line_item import POLICY, LineItem, units_decimal

__all__ = ["Conversion", "FxPurpose", "convert_amounts", "convert_budget", "rate_in_force"]


class FxPurpose(enum.Enum):
    """What a conversion is for, which fixes the date whose rate it uses.

    - ``COMPARISON``: budgets and bid totals, at the contract date (the planned
      ``contract-signed`` milestone, else the study's start date), one date for all bids.
    - ``CASH_FLOW``: payments, each at its due date (the latest rate on or before it).
    """

    COMPARISON = "comparison"
    CASH_FLOW = "cash-flow"


def _as_purpose(value: object) -> object:
    return as_member(FxPurpose, value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Conversion:
    """One conversion used: a pair, the date asked for, the rate in force, its purpose, the amounts.

    Attributes:
        base: The currency converted from.
        quote: The currency converted to.
        on: The date whose rate was asked for (the contract date, or a payment's due date).
        rate: Units of *quote* per unit of *base* (the inverse of a quoted rate when
            only the opposite pair is in the table, to 34 significant digits).
        rate_date: The ``as_of`` date of the rate used: *on* itself, or the latest
            date before it the table has a rate for.
        source: Where the rate comes from, as the table says.
        purpose: What the conversion is for.
        amount: The total converted, in *base*.
        converted: ``amount x rate`` rounded half-even to *quote*'s minor unit.
    """

    base: str = attrs.field(validator=lambda _i, _a, v: validate_currency(v))
    quote: str = attrs.field(validator=lambda _i, _a, v: validate_currency(v))
    on: date = attrs.field(validator=is_date)
    rate: Decimal = attrs.field()
    rate_date: date = attrs.field(validator=is_date)
    source: str = attrs.field(validator=non_empty_text)
    purpose: FxPurpose = attrs.field(converter=_as_purpose, validator=is_member(FxPurpose))
    amount: Money = attrs.field()
    converted: Money = attrs.field()

    def __attrs_post_init__(self) -> None:
        """Check the pair, the dates, the rate and that the amounts reconcile."""
        if self.base == self.quote:
            raise ValidationError.at("quote", f"a conversion needs two different currencies, got {self.base} twice")
        if self.rate <= 0:
            raise ValidationError.at("rate", f"expected an exchange rate > 0, got {self.rate}")
        if self.rate_date > self.on:
            raise ValidationError.at(
                "rate_date", f"a rate in force on {self.on} starts on or before it, got {self.rate_date}"
            )
        if self.amount.currency != self.base:
            raise ValidationError.at("amount", f"expected an amount in {self.base}, got {self.amount}")
        if self.converted.currency != self.quote:
            raise ValidationError.at("converted", f"expected an amount in {self.quote}, got {self.converted}")
        expected = Money(MONEY.multiply(self.amount.amount, self.rate), self.quote).rounded(POLICY)
        if self.converted != expected:
            raise ValidationError.at(
                "converted", f"expected {self.amount} x {self.rate} rounded half-even, {expected}, got {self.converted}"
            )

    @property
    def pair(self) -> str:
        """The pair as ``"JPY->EUR"``."""
        return f"{self.base}->{self.quote}"

    @property
    def fallback(self) -> bool:
        """Whether the table had no rate on :attr:`on` and an earlier one was used."""
        return self.rate_date < self.on


def rate_in_force(fx: FxTable, base: str, quote: str, on: date) -> FxRate:
    """The rate from *base* to *quote* in force on *on*, as an :class:`~crokit.FxRate`.

    The latest direct rate on or before *on*; else the inverse of the latest opposite
    rate (its rate ``1 / rate`` to 34 significant digits, its source saying so).

    Raises:
        MissingRateError: If no rate for the pair (or its inverse) is in force on *on*.
    """
    value = fx.rate(base, quote, on)  # validates and raises MissingRateError naming pair and date
    direct = [r for r in fx.rates if (r.base, r.quote) == (base, quote) and r.as_of <= on]
    if direct:
        return max(direct, key=lambda r: r.as_of)
    inverse = max((r for r in fx.rates if (r.base, r.quote) == (quote, base) and r.as_of <= on), key=lambda r: r.as_of)
    return FxRate(base=base, quote=quote, rate=value, as_of=inverse.as_of, source=f"inverse of {inverse.source}")


def _check(fx: object, on: object, to: object) -> None:
    if not isinstance(fx, FxTable):
        raise ValidationError.at("fx", f"expected an FxTable, got {fx!r}")
    if not isinstance(on, date):
        raise ValidationError.at("on", f"expected a date like 2027-01-04, got {on!r}")
    validate_currency(to)
    if MINOR_UNITS[str(to)] is None:
        raise ValidationError.at("to", f"{to} has no minor unit in ISO 4217, so amounts cannot be converted into it")


@in_crokit_context
def convert_amounts(
    amounts: Sequence[Money], to: str, *, fx: FxTable, on: date, purpose: FxPurpose
) -> tuple[tuple[Money, ...], Conversion | None]:
    """Convert *amounts*, all in one currency, into *to* at the rate in force on *on*.

    The parts add up exactly to the conversion's ``converted`` total (see the module
    docstring for the rounding). Amounts already in *to* come back unchanged with no
    conversion record; so do no amounts.

    Raises:
        MissingRateError: If the table has no rate for the pair in force on *on*.
        ValidationError: If *amounts* is not a sequence of Money, or is in more than one currency.
    """
    _check(fx, on, to)
    if not isinstance(amounts, Sequence):
        raise ValidationError.at("amounts", f"expected a sequence of Money, got {amounts!r}")
    base = to
    for index, item in enumerate(list[object](amounts)):
        if not isinstance(item, Money):
            raise ValidationError.at(f"amounts[{index}]", f"expected Money, got {item!r}")
        if index and item.currency != base:
            raise ValidationError.at(f"amounts[{index}]", f"expected Money in {base}, like amounts[0], got {item!r}")
        base = item.currency
    if base == to:
        return tuple(amounts), None
    used = rate_in_force(fx, base, to, on)
    unit = MINOR_UNITS[to] or 0
    exact = [MONEY.multiply(amount.amount, used.rate).scaleb(unit, context=MONEY) for amount in amounts]  # minor units
    floors = [value.to_integral_value(rounding=ROUND_FLOOR, context=MONEY) for value in exact]
    whole = exact_sum(exact).to_integral_value(rounding=POLICY.decimal_mode, context=MONEY)
    left = int(exact_add(whole, exact_sum(floors).copy_negate()))
    remainders = [exact_add(value, floor.copy_negate()) for value, floor in zip(exact, floors, strict=True)]
    parts = [int(floor) for floor in floors]
    for index in sorted(range(len(parts)), key=lambda i: remainders[i].copy_negate())[:left]:
        parts[index] += 1
    converted = tuple(Money(units_decimal(part, unit), to) for part in parts)
    total = sum(amounts[1:], amounts[0])
    record = Conversion(
        base=base,
        quote=to,
        on=on,
        rate=used.rate,
        rate_date=used.as_of,
        source=used.source,
        purpose=purpose,
        amount=total,
        converted=Money(units_decimal(int(whole), unit), to),
    )
    return converted, record


def _readable(value: Decimal, unit: int) -> Decimal:
    """*value* without zeros below the minor unit (``43200.000000`` -> ``43200.00``), exactly."""
    trimmed = value.quantize(Decimal(1).scaleb(-unit), context=MONEY)
    return trimmed if trimmed == value else value.normalize(MONEY)


def _converted_line(line: LineItem, amount: Money, record: Conversion) -> LineItem:
    """*line* with *amount* in the record's currency, and a unit price that prices it.

    The unit price is the first of these that gives ``quantity x unit price``, rounded,
    equal to *amount*: the converted unit price rounded to the minor unit, the exact
    converted unit price, the amount over the quantity to 34 significant digits, and
    to :data:`~crokit._decimal.MONEY_DIGITS` (62). The last always prices the line: an
    amount near 10**30 in a currency of four places has 35 digits, which a 34-digit
    quotient times the quantity can miss by more than half a minor unit.
    """
    unit = MINOR_UNITS[record.quote] or 0
    exact = MONEY.multiply(line.unit_price.amount, record.rate)
    choices = [exact.quantize(Decimal(1).scaleb(-unit), rounding=POLICY.decimal_mode, context=MONEY), exact]
    if line.quantity:
        choices.append(CONTEXT.divide(amount.amount, line.quantity))
        choices.append(MONEY.divide(amount.amount, line.quantity))
    unit_price = Money(_readable(exact, unit), record.quote)
    for choice in choices:
        candidate = Money(_readable(choice, unit), record.quote)
        if (candidate * line.quantity).rounded(POLICY) == amount:
            unit_price = candidate
            break
    how = (
        f"; converted {record.pair} at {record.rate} (rate of {record.rate_date}, {record.source}) "
        f"for {record.purpose.value} on {record.on}: {line.amount} -> {amount}, its share of the "
        f"converted total {record.converted}"
    )
    return attrs.evolve(line, unit_price=unit_price, amount=amount, derivation=line.derivation + how)


@in_crokit_context
def convert_budget(
    budget: Budget, to: str, *, fx: FxTable, on: date, purpose: FxPurpose = FxPurpose.COMPARISON
) -> tuple[Budget, Conversion | None]:
    """Re-express every line of *budget* in *to* at the rate in force on *on*.

    The converted total is the budget's total times the rate, rounded once; it is
    split over the lines in proportion to their exact converted amounts (see the module
    docstring), so the converted lines add up exactly to it. Each line keeps its
    quantity, service, months and description; its unit price is the exact converted
    unit price where that prices the line's share, else its share over its quantity (to
    34 digits, or 62 where 34 do not price it).
    A budget already in *to*, or with no lines, comes back unchanged (an empty one in
    *to*), with no conversion record.

    Raises:
        MissingRateError: If the table has no rate for the pair in force on *on*.
    """
    if not isinstance(budget, Budget):
        raise ValidationError.at("budget", f"expected a Budget, got {budget!r}")
    _check(fx, on, to)
    if budget.currency == to:
        return budget, None
    if not budget.lines:
        return Budget(currency=to), None
    amounts, found = convert_amounts([line.amount for line in budget.lines], to, fx=fx, on=on, purpose=purpose)
    assert found is not None  # noqa: S101 - the budget is in another currency than *to*
    lines = [_converted_line(line, amount, found) for line, amount in zip(budget.lines, amounts, strict=True)]
    return Budget(currency=to, lines=lines), found
