"""Budget adjustments: discounts, escalation, contingency, management fees and currency conversion.

Each adjustment is a small pure function of a budget, ``apply(budget) -> Budget``,
that adds lines of kind ``adjustment`` (or, for a currency conversion, re-expresses
every line). :func:`apply_adjustments` applies a list in the order given, each to the
budget as the ones before it left it, so order matters and shows: a discount applied
after a contingency also discounts the contingency lines.

Every rate is a :data:`~crokit.units.Fraction` (``Decimal("0.05")`` for 5%; a rate
of 5 is refused with "did you mean 0.05 (5%)?"). The rate adjustments
(:class:`PercentDiscount`, :class:`TieredDiscount`, :class:`Contingency`,
:class:`ManagementFee`) add one line per line they apply to, described ``"<what>:
<that line's description>"`` (the rate shown as a percentage), over the same months,
so every month's share follows the work it adjusts. Each is ``quantity = rate`` times
``unit_price = the adjusted line's amount`` (negated for a discount), rounded
half-even once. Zero amounts add no line. Rates are from 0 up to but not including 1,
so a discount never makes a line, or a total, negative.

Pass-through costs carry no markup unless a :class:`ManagementFee` says so:
:class:`Escalation` and :class:`Contingency` apply to the CRO's direct fees unless
told otherwise.

>>> from decimal import Decimal
>>> from crokit import Money, Stage, UnitBasis
>>> from crokit.pricing import Budget, CostBucket, LineItem, PricingKind
>>> line = LineItem(
...     service="crokit:project-management", stage=Stage.PHASE_2, kind=PricingKind.UNIT,
...     bucket=CostBucket.CRO_DIRECT_FEES, description="Project management", basis=UnitBasis.PER_MONTH,
...     quantity=Decimal(10), unit_price=Money("1000.00", "USD"), amount=Money("10000.00", "USD"),
...     months=range(10), derivation="10 months x 1000.00 USD",
... )
>>> adjustments = (Contingency(rate="0.10"), PercentDiscount(rate="0.05"))
>>> budget = apply_adjustments(Budget(currency="USD", lines=(line,)), adjustments)
>>> [(l.description, str(l.amount)) for l in budget.lines]  # doctest: +NORMALIZE_WHITESPACE
[('Project management', '10000.00 USD'),
 ('Contingency 10%: Project management', '1000.00 USD'),
 ('Discount 5%: Project management', '-500.00 USD'),
 ('Discount 5%: Contingency 10%: Project management', '-50.00 USD')]
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Final

import attrs
from dateutil.relativedelta import relativedelta

from crokit._convert import to_tuple
from crokit._decimal import CONTEXT, in_crokit_context
from crokit._typed import typed_fields
from crokit._validators import before_calendar_end, is_date, money_at_least_zero
from crokit.errors import CurrencyMismatchError, ValidationError
from crokit.money import FxTable, Money, minor_units, validate_currency
from crokit.pricing.budget import Budget, CostBucket, LineItem, PricingKind
from crokit.pricing.line_item import POLICY, _as_cost_bucket, units_decimal
from crokit.units import Fraction, fraction, fraction_validator, percent_text
from crokit.vocabulary.lifecycle import Stage

__all__ = [
    "Adjustment",
    "ESCALATION_MAX",
    "Contingency",
    "CurrencyConversion",
    "Escalation",
    "ManagementFee",
    "PercentDiscount",
    "TieredDiscount",
    "TotalTier",
    "apply_adjustments",
]

_RATE: Final = fraction_validator(below_maximum=True)
ESCALATION_MAX: Final = Decimal("0.5")
"""The largest annual escalation rate accepted (50% a year); anything above is taken for a typo."""


def _bucket(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, CostBucket):
        raise ValidationError.at(attribute.name, f"expected a cost bucket or None, got {value!r}")


def _required_bucket(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, CostBucket):
        raise ValidationError.at(attribute.name, f"expected a cost bucket, got {value!r}")


def _in(bucket: CostBucket | None) -> Callable[[LineItem], bool]:
    return lambda line: bucket is None or line.bucket is bucket


def _on(bucket: CostBucket | None) -> str:
    return f" on {bucket.value}" if bucket is not None else ""


def _per_line(
    budget: Budget,
    *,
    label: str,
    rate: Decimal,
    sign: int,
    select: Callable[[LineItem], bool],
    bucket: CostBucket | None = None,
) -> Budget:
    """Add ``sign x rate`` of every selected line as an adjustment line of its own."""
    added = []
    for line in budget.lines:
        if not select(line):
            continue
        base = line.amount if sign > 0 else -line.amount
        amount = (base * rate).rounded(POLICY)
        if amount.is_zero():
            continue
        added.append(
            LineItem._trusted(  # noqa: SLF001 - the model's own checked values
                service=line.service,
                stage=line.stage,
                kind=PricingKind.ADJUSTMENT,
                bucket=bucket or line.bucket,
                description=f"{label}: {line.description}",
                basis=None,
                quantity=rate,
                unit_price=base,
                amount=amount,
                months=line.months,
                derivation=f"{'+' if sign > 0 else '-'}{percent_text(rate)}% x {line.amount} "
                f"= {CONTEXT.multiply(base.amount, rate)} {budget.currency}, rounded half-even to {amount}",
            )
        )
    return Budget(currency=budget.currency, lines=(*budget.lines, *added))


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class PercentDiscount:
    """A flat discount of *rate* on every line, or on the lines of one cost bucket.

    Attributes:
        rate: The discount, a fraction from 0 up to but not including 1 (``"0.05"`` for 5%).
        applies_to: The bucket discounted; ``None`` (the default) for every line.
    """

    kind: ClassVar[str] = "percent-discount"

    rate: Fraction = attrs.field(converter=fraction, validator=_RATE)
    applies_to: CostBucket | None = attrs.field(converter=_as_cost_bucket, default=None, validator=_bucket)

    @in_crokit_context
    def apply(self, budget: Budget) -> Budget:
        """Add one negative line per discounted line."""
        label = f"Discount {percent_text(self.rate)}%{_on(self.applies_to)}"
        return _per_line(budget, label=label, rate=self.rate, sign=-1, select=_in(self.applies_to))


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class TotalTier:
    """A tier of a discount on the budget total: from *min_total* on, *rate* off.

    Attributes:
        min_total: The total the budget must reach (>= 0).
        rate: The discount, a fraction from 0 up to but not including 1 (``"0.05"`` for 5%).
    """

    min_total: Money = attrs.field(validator=money_at_least_zero)
    rate: Fraction = attrs.field(converter=fraction, validator=_RATE)


def _tiers(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    if not value:
        raise ValidationError.at(attribute.name, "expected at least one tier")
    previous: Money | None = None
    for index, tier in enumerate(value):
        path = f"{attribute.name}[{index}]"
        if not isinstance(tier, TotalTier):
            raise ValidationError.at(path, f"expected a TotalTier, got {tier!r}")
        if previous is not None and tier.min_total.currency != previous.currency:
            raise ValidationError.at(f"{path}.min_total", f"expected an amount in {previous.currency}, like tiers[0]")
        if previous is not None and tier.min_total <= previous:
            raise ValidationError.at(
                f"{path}.min_total", f"tiers must be in strictly ascending order: {tier.min_total} follows {previous}"
            )
        previous = tier.min_total


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class TieredDiscount:
    """A discount tiered by the budget's total when it is applied.

    The tier that applies is the last one whose ``min_total`` the total reaches; its
    rate applies to every line in scope (not only the amount above the threshold).

    Attributes:
        tiers: The tiers, in strictly ascending ``min_total``, all in one currency.
        applies_to: The bucket discounted; ``None`` (the default) for every line.
    """

    kind: ClassVar[str] = "tiered-discount"

    tiers: tuple[TotalTier, ...] = attrs.field(converter=to_tuple, validator=_tiers)
    applies_to: CostBucket | None = attrs.field(converter=_as_cost_bucket, default=None, validator=_bucket)

    @property
    def currency(self) -> str:
        """The currency of the thresholds."""
        return self.tiers[0].min_total.currency

    @in_crokit_context
    def apply(self, budget: Budget) -> Budget:
        """Add one negative line per discounted line, at the rate of the tier the total reaches.

        Raises:
            CurrencyMismatchError: If the budget is not in the tiers' currency.
        """
        if budget.currency != self.currency:
            raise CurrencyMismatchError(self.currency, budget.currency, operation="apply a tiered discount in")
        reached = [tier for tier in self.tiers if budget.total >= tier.min_total]
        if not reached:
            return budget
        tier = reached[-1]
        label = f"Tiered discount {percent_text(tier.rate)}%{_on(self.applies_to)} (total reaches {tier.min_total})"
        return _per_line(budget, label=label, rate=tier.rate, sign=-1, select=_in(self.applies_to))


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Contingency:
    """A contingency reserve of *rate* on top of the lines in scope.

    Attributes:
        rate: The reserve, a fraction from 0 up to but not including 1 (``"0.10"`` for 10%).
        applies_to: The bucket reserved for: the CRO's direct fees by default (add
            one contingency per bucket to reserve for several).
    """

    kind: ClassVar[str] = "contingency"

    rate: Fraction = attrs.field(converter=fraction, validator=_RATE)
    applies_to: CostBucket = attrs.field(
        converter=_as_cost_bucket,
        default=CostBucket.CRO_DIRECT_FEES,
        validator=_required_bucket,
    )

    @in_crokit_context
    def apply(self, budget: Budget) -> Budget:
        """Add one line per line in scope."""
        label = f"Contingency {percent_text(self.rate)}%"
        return _per_line(budget, label=label, rate=self.rate, sign=1, select=_in(self.applies_to))


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ManagementFee:
    """The CRO's fee of *rate* on costs it passes through; the fee lines go to its direct fees.

    Attributes:
        rate: The fee, a fraction from 0 up to but not including 1 (``"0.05"`` for 5%).
        applies_to: The bucket the fee is charged on (pass-through costs by default).
    """

    kind: ClassVar[str] = "management-fee"

    rate: Fraction = attrs.field(converter=fraction, validator=_RATE)
    applies_to: CostBucket = attrs.field(
        converter=_as_cost_bucket,
        default=CostBucket.PASS_THROUGH,
        validator=_required_bucket,
    )

    @in_crokit_context
    def apply(self, budget: Budget) -> Budget:
        """Add one fee line, in the ``cro-direct-fees`` bucket, per line in scope."""
        label = f"Management fee {percent_text(self.rate)}% on {self.applies_to.value}"
        return _per_line(
            budget,
            label=label,
            rate=self.rate,
            sign=1,
            select=_in(self.applies_to),
            bucket=CostBucket.CRO_DIRECT_FEES,
        )


@functools.lru_cache(maxsize=65536)
def _contract_years(start_date: date, base_date: date, month: int) -> int:
    """Whole years from *base_date* to study month *month* of a study starting on *start_date*.

    Cached: the answer depends only on the three values, and escalating a large budget
    asks it once per line and month.
    """
    on = start_date + relativedelta(months=month)
    return relativedelta(on, base_date).years if on >= base_date else 0


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Escalation:
    """Annual rate escalation, applied to work by the contract year it falls in.

    Study month *i* falls on ``start_date + i months``. Contract year 1 is the first
    twelve months from ``base_date`` (the rate card's date), year 2 the next, and so
    on; months before ``base_date`` count as year 1. Work in contract year ``n``
    costs ``(1 + r)^(n-1) - 1`` more, for the annual rate ``r``. Each line's monthly amounts
    (:meth:`~crokit.pricing.LineItem.monthly`) are summed by service, stage, bucket
    and contract year, and each sum gets one line (``quantity`` the factor,
    ``unit_price`` the sum), over that year's months; the factor is exact to 34
    significant digits, and each line is rounded half-even once. For a positive rate
    escalation never lowers a price.

    Attributes:
        annual_rate: The yearly rate, a fraction from 0 to 0.5 (``"0.03"`` for 3% a
            year; above 50% a year is refused as implausible).
        base_date: The date the prices are quoted at.
        start_date: The date of study month 0.
        applies_to: The bucket escalated: the CRO's direct fees by default (add one
            escalation per bucket to escalate several).
    """

    kind: ClassVar[str] = "escalation"

    annual_rate: Fraction = attrs.field(converter=fraction, validator=fraction_validator(maximum=ESCALATION_MAX))
    base_date: date = attrs.field(validator=before_calendar_end)
    start_date: date = attrs.field(validator=before_calendar_end)
    applies_to: CostBucket = attrs.field(
        converter=_as_cost_bucket,
        default=CostBucket.CRO_DIRECT_FEES,
        validator=_required_bucket,
    )

    def year_of(self, month: int) -> int:
        """Whole years from ``base_date`` to study month *month* (0 in contract year 1)."""
        return _contract_years(self.start_date, self.base_date, month)

    def factor(self, years: int) -> Decimal:
        """``(1 + annual_rate)^years - 1``."""
        growth = CONTEXT.add(Decimal(1), self.annual_rate)
        return CONTEXT.subtract(CONTEXT.power(growth, years), Decimal(1))

    @in_crokit_context
    def apply(self, budget: Budget) -> Budget:
        """Add one line per service, stage, bucket and contract year after the first."""
        # Per service, stage and bucket, per contract year: [minor units, months]; whole
        # minor units of each line's monthly split (Money.allocate's parts), summed exactly.
        sums: dict[tuple[str, Stage, CostBucket], dict[int, tuple[list[int], set[int]]]] = {}
        select = _in(self.applies_to)
        for line in budget.lines:
            if not select(line):
                continue
            for month, units in line._month_units():  # noqa: SLF001 - the line's monthly split
                years = self.year_of(month)
                if years:
                    group = sums.setdefault((line.service, line.stage, line.bucket), {})
                    year = group.get(years)
                    if year is None:
                        year = group[years] = ([0], set())
                    year[0][0] += units
                    year[1].add(month)
        groups_per_service: dict[str, int] = {}
        for service, _, _ in sums:
            groups_per_service[service] = groups_per_service.get(service, 0) + 1
        added = []
        for (service, stage, bucket), by_year in sums.items():
            suffix = f" ({stage.value}, {bucket.value})" if groups_per_service[service] > 1 else ""
            for years in sorted(by_year):
                added.extend(
                    self._line(
                        budget.currency,
                        service=service,
                        stage=stage,
                        bucket=bucket,
                        years=years,
                        units=by_year[years][0][0],
                        months=sorted(by_year[years][1]),
                        suffix=suffix,
                    )
                )
        return Budget(currency=budget.currency, lines=(*budget.lines, *added))

    def _line(
        self,
        currency: str,
        *,
        service: str,
        stage: Stage,
        bucket: CostBucket,
        years: int,
        units: int,
        months: list[int],
        suffix: str,
    ) -> list[LineItem]:
        base = Money._trusted(units_decimal(units, minor_units(currency) or 0), currency)  # noqa: SLF001 - exact sum
        factor = self.factor(years)
        amount = (base * factor).rounded(POLICY)
        if amount.is_zero():
            return []
        first = self.start_date + relativedelta(months=months[0])
        return [
            LineItem._trusted(  # noqa: SLF001 - the model's own checked values
                service=service,
                stage=stage,
                kind=PricingKind.ADJUSTMENT,
                bucket=bucket,
                description=f"Escalation {percent_text(self.annual_rate)}% a year, contract year {years + 1}{suffix}",
                basis=None,
                quantity=factor,
                unit_price=base,
                amount=amount,
                months=tuple(months),
                derivation=(
                    f"((1 + {percent_text(self.annual_rate)}/100)^{years} - 1) = {factor} x {base} "
                    "(work in study months "
                    f"{months[0]}-{months[-1]}, from {first}; prices of {self.base_date}) "
                    f"= {CONTEXT.multiply(base.amount, factor)} {currency}, rounded half-even to {amount}"
                ),
            )
        ]


def _target(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    code = validate_currency(value)
    if minor_units(code) is None:
        raise ValidationError.at(attribute.name, f"{code} has no minor unit, so budget lines cannot be rounded in it")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CurrencyConversion:
    """Re-express every line in currency *to*, at the rate in force on *on*.

    Each line keeps its quantity; its unit price is converted and rounded half-even
    to the target currency's minor unit, and its amount recomputed as quantity x the
    converted unit price, rounded half-even once. So the converted total is the sum
    of the converted lines (it may differ from converting the total by the rounding
    of each unit price). Converting into the budget's own currency changes nothing.

    Attributes:
        to: The target ISO 4217 currency (one with a minor unit).
        fx: The exchange rates.
        on: The date whose rate is used.
    """

    kind: ClassVar[str] = "currency-conversion"

    to: str = attrs.field(validator=_target)
    fx: FxTable = attrs.field(validator=attrs.validators.instance_of(FxTable))
    on: date = attrs.field(validator=is_date)

    @in_crokit_context
    def apply(self, budget: Budget) -> Budget:
        """Convert every line.

        Raises:
            MissingRateError: If the table has no rate for the pair on :attr:`on`.
        """
        if budget.currency == self.to:
            return budget
        rate = self.fx.rate(budget.currency, self.to, self.on)
        lines = []
        for line in budget.lines:
            unit_price = self.fx.convert(line.unit_price, self.to, self.on, policy=POLICY)
            amount = (unit_price * line.quantity).rounded(POLICY)
            how = (
                f"; converted at {rate} {budget.currency}->{self.to} on {self.on}: unit price {line.unit_price} -> "
                f"{unit_price} (rounded half-even), amount {line.quantity} x {unit_price} rounded to {amount}"
            )
            lines.append(attrs.evolve(line, unit_price=unit_price, amount=amount, derivation=line.derivation + how))
        return Budget(currency=self.to, lines=lines)


Adjustment = PercentDiscount | TieredDiscount | Escalation | Contingency | ManagementFee | CurrencyConversion
"""Any adjustment a proposal can apply to its priced budget."""

ADJUSTMENTS: Final = (PercentDiscount, TieredDiscount, Escalation, Contingency, ManagementFee, CurrencyConversion)


@in_crokit_context
def apply_adjustments(budget: Budget, adjustments: Iterable[Adjustment]) -> Budget:
    """Apply *adjustments* to *budget* in the order given, each to the result of the ones before."""
    return functools.reduce(lambda result, adjustment: adjustment.apply(result), adjustments, budget)
