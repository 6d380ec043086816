"""Accruals, variance to plan and the estimate at completion, from a budget and actuals.

Each month finance books the cost of the work done, not of the invoices received. Given
the contracted :class:`~crokit.pricing.Budget` (the plan, month by month), the study's
start date (study month 0) and the :class:`~crokit.engagement.Actuals` as of a date,
:func:`engagement_status` earns each budget line by a documented rule:

- **Lines with a unit basis** (unit prices, FTE time, investigator grants): the units
  recorded for the basis (for the line's service, or for every service) to date, times
  the line's contracted unit price, rounded once, half-even. ``per-month`` lines earn
  one unit per elapsed month of the line, without a record.
- **Fixed fees**: the line's amount once its milestone is reached
  (:attr:`FixedFeeRule.MILESTONE`, the default), or in proportion to the line's months
  elapsed (:attr:`FixedFeeRule.PERCENT_COMPLETE`).
- **Pass-through costs**: as invoiced for the service, at cost.
- **Lines without a unit** (management fees, adjustments, performance terms): the
  line's amount times the share of the priced work earned so far (earned over
  planned, of the lines above), rounded half-even: they follow the work.

Accrued this month is earned to date less earned to the end of the previous month, so
the monthly accruals add up to the cumulative one exactly. Variance to plan splits, by
service, into *volume* (units done minus units planned to date, at contracted prices)
and *timing and other* (the rest), adding up to earned minus planned exactly; *rate*
variance is what invoices charged above or below the contracted prices for the units
they bill (a price escalated under the contract's escalation is a contracted price).
The estimate at completion comes two ways: **plan** (earned to date plus the plan's
remaining months) and **observed rates** (earned to date plus each unit line's
remaining planned units at the average unit price invoiced so far, where there is one).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import Final

import attrs

from crokit import _hypothesis_plugin, _text
from crokit._convert import to_tuple
from crokit._decimal import CONTEXT, in_crokit_context
from crokit._members import as_member
from crokit._typed import typed_fields
from crokit.engagement.actuals import Actuals
from crokit.money import Money
from crokit.pricing.budget import Budget
from crokit.pricing.fixed_fee import milestone_of_line
from crokit.pricing.line_item import POLICY, LineItem, PricingKind
from crokit.schedule.payments import month_index
from crokit.vocabulary.terms import UnitBasis

__all__ = [
    "EngagementStatus",
    "FixedFeeRule",
    "InvoiceFinding",
    "LineAccrual",
    "ServiceVariance",
    "engagement_status",
]

_UNIT_KINDS: Final = frozenset({PricingKind.UNIT, PricingKind.FTE, PricingKind.GRANTS})
_ZERO: Final = Decimal(0)
_ESCALATION: Final = "Escalation"


class FixedFeeRule(enum.Enum):
    """How a fixed fee is earned: on its milestone, or in proportion to its months elapsed."""

    MILESTONE = "milestone"
    PERCENT_COMPLETE = "percent-complete"


def _as_pricing_kind(value: object) -> object:
    """A converter: text (the value or name) to a PricingKind member."""
    return as_member(PricingKind, value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class LineAccrual:
    """One budget line: planned and earned to date, and how it was earned.

    Attributes:
        service: The line's service.
        description: The line's description (with the service, its key in the budget).
        kind: The pricing model of the line.
        contracted: The line's whole amount in the budget.
        planned_to_date: What the plan spread over the months up to the as-of month.
        earned_to_date: What the work done so far earned.
        earned_this_month: Earned to date less earned to the end of the previous month.
        planned_units_to_date: Units the plan spread up to the as-of month (unit lines).
        units_to_date: Units recorded (unit lines).
        remaining_at_observed: The rest of the line at observed rates (for the EAC).
        rule: How the line was earned, in words.
    """

    service: str
    description: str
    kind: PricingKind = attrs.field(converter=_as_pricing_kind)
    contracted: Money
    planned_to_date: Money
    earned_to_date: Money
    earned_this_month: Money
    planned_units_to_date: Decimal | None
    units_to_date: Decimal | None
    remaining_at_observed: Money
    rule: str


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ServiceVariance:
    """Plan against actual for one service, to date.

    ``planned + volume + timing_and_other == earned`` exactly.

    Attributes:
        service: The service.
        planned: Planned to date.
        earned: Earned (accrued) to date.
        volume: Units done minus units planned, at contracted prices.
        timing_and_other: The rest of earned minus planned.
        rate: Invoiced minus contracted price, times the units invoiced.
        invoiced: Invoiced to date.
    """

    service: str
    planned: Money
    earned: Money
    volume: Money
    timing_and_other: Money
    rate: Money
    invoiced: Money


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class InvoiceFinding:
    """An invoice line that does not match the contract.

    Attributes:
        invoice: The invoice number.
        line: The line's index in the invoice.
        message: What does not match.
    """

    invoice: str
    line: int
    message: str


@attrs.frozen(kw_only=True, field_transformer=typed_fields, repr=False)
class EngagementStatus:
    """Plan, actuals and the estimate at completion of one contract as of a date.

    Attributes:
        as_of: The as-of date.
        currency: The budget's currency.
        contract_value: The budget's total.
        lines: Each line's accrual, in budget order.
        services: Variance to plan by service, in budget order.
        invoiced_to_date: The invoices' total.
        paid_to_date: The total of the invoices paid by the as-of date.
        eac_plan: Earned to date plus the plan's remaining months.
        eac_observed: Earned to date plus the rest re-priced at observed rates.
        invoice_findings: Invoice lines that do not match the contract.
    """

    as_of: dt.date
    currency: str
    contract_value: Money
    lines: tuple[LineAccrual, ...] = attrs.field(converter=to_tuple)
    services: tuple[ServiceVariance, ...] = attrs.field(converter=to_tuple)
    invoiced_to_date: Money
    paid_to_date: Money
    eac_plan: Money
    eac_observed: Money
    invoice_findings: tuple[InvoiceFinding, ...] = attrs.field(converter=to_tuple)

    @property
    def earned_to_date(self) -> Money:
        """Accrued to date: the sum of every line's earned amount."""
        return _sum((line.earned_to_date for line in self.lines), self.currency)

    @property
    def accrued_this_month(self) -> Money:
        """The accrual to book for the as-of month."""
        return _sum((line.earned_this_month for line in self.lines), self.currency)

    @property
    def planned_to_date(self) -> Money:
        """What the plan spread up to the as-of month."""
        return _sum((line.planned_to_date for line in self.lines), self.currency)

    @property
    def accrued_not_invoiced(self) -> Money:
        """Earned to date less invoiced to date: the accrual liability."""
        return self.earned_to_date - self.invoiced_to_date

    def __repr__(self) -> str:
        """A one-line summary (the full content: ``attrs.asdict(self)``)."""
        return _text.summary(
            "EngagementStatus",
            f"as_of={self.as_of.isoformat()}",
            f"contract_value={_text.money(self.contract_value)}",
            _text.count(len(self.lines), "line"),
            f"eac_plan={_text.money(self.eac_plan)}",
            _text.count(len(self.invoice_findings), "invoice finding"),
        )


def _zero(currency: str) -> Money:
    return Money.zero(currency).rounded(POLICY)


def _sum(amounts: Iterable[Money], currency: str) -> Money:
    result = _zero(currency)
    for amount in amounts:
        result = result + amount
    return result


def _planned(line: LineItem, last: int) -> Money:
    return _sum((part for month, part in line.monthly().items() if month <= last), line.amount.currency)


def _units(actuals: Actuals, line: LineItem, start: dt.date, last: int) -> Decimal:
    total = _ZERO
    for done in actuals.work:
        if done.basis is line.basis and done.service in {None, line.service} and month_index(start, done.month) <= last:
            total = CONTEXT.add(total, done.quantity)
    return total


def _observed_prices(actuals: Actuals, currency: str) -> dict[tuple[str, UnitBasis], Decimal]:
    amounts: dict[tuple[str, UnitBasis], tuple[Decimal, Decimal]] = {}
    for invoice in actuals.invoices:
        if invoice.currency != currency:
            continue
        for line in invoice.lines:
            if line.basis is None or line.quantity == 0:
                continue
            key = (line.service, line.basis)
            quantity, amount = amounts.get(key, (_ZERO, _ZERO))
            amounts[key] = (CONTEXT.add(quantity, line.quantity), CONTEXT.add(amount, line.amount.amount))
    return {key: CONTEXT.divide(amount, quantity) for key, (quantity, amount) in amounts.items()}


def _contracted_prices(budget: Budget) -> dict[tuple[str, UnitBasis], set[Money]]:
    """Each unit line's contracted prices: its unit price, and that price under each escalation of its service."""
    prices: dict[tuple[str, UnitBasis], set[Money]] = {}
    escalations = {
        (line.service, line.quantity)
        for line in budget.lines
        if line.kind is PricingKind.ADJUSTMENT and line.description.startswith(_ESCALATION)
    }
    for line in budget.lines:
        if line.basis is not None and line.kind in _UNIT_KINDS:
            allowed = prices.setdefault((line.service, line.basis), set())
            allowed.add(line.unit_price)
            allowed.update(
                (line.unit_price * (1 + factor)).rounded(POLICY)
                for service, factor in escalations
                if service == line.service
            )
    return prices


def _invoice_findings(budget: Budget, actuals: Actuals) -> tuple[InvoiceFinding, ...]:
    prices = _contracted_prices(budget)
    services = {line.service for line in budget.lines}
    findings: list[InvoiceFinding] = []
    for invoice in actuals.invoices:
        if invoice.currency != budget.currency:
            findings.append(
                InvoiceFinding(
                    invoice=invoice.number,
                    line=-1,
                    message=f"in {invoice.currency}, the contract is in {budget.currency}: not compared or accrued",
                )
            )
            continue
        for index, billed in enumerate(invoice.lines):
            expected = (billed.unit_price * billed.quantity).rounded(POLICY)
            if billed.amount != expected:
                findings.append(
                    InvoiceFinding(
                        invoice=invoice.number,
                        line=index,
                        message=f"amount {billed.amount:,} is not "
                        f"{billed.quantity} x {billed.unit_price:,} = {expected:,}",
                    )
                )
            if billed.service not in services:
                findings.append(
                    InvoiceFinding(
                        invoice=invoice.number, line=index, message=f"{billed.service} is not in the contract"
                    )
                )
            elif billed.basis is not None and billed.basis is not UnitBasis.PASS_THROUGH:
                contracted = prices.get((billed.service, billed.basis))
                if contracted is None:
                    findings.append(
                        InvoiceFinding(
                            invoice=invoice.number,
                            line=index,
                            message=f"{billed.service} is not contracted {billed.basis.value}",
                        )
                    )
                elif billed.unit_price not in contracted:
                    listed = ", ".join(f"{price:,}" for price in sorted(contracted, key=lambda m: m.amount))
                    findings.append(
                        InvoiceFinding(
                            invoice=invoice.number,
                            line=index,
                            message=f"{billed.service} charged at {billed.unit_price:,} {billed.basis.value}; "
                            f"the contract says {listed}",
                        )
                    )
    return tuple(findings)


def _earned(  # noqa: PLR0911 - one return per documented earning rule
    line: LineItem,
    *,
    actuals: Actuals,
    start: dt.date,
    last: int,
    rule: FixedFeeRule,
) -> tuple[Money, Decimal | None, str]:
    currency = line.amount.currency
    if line.kind in _UNIT_KINDS and line.basis is UnitBasis.PER_MONTH:
        units = Decimal(sum(1 for month in line.months if month <= last))
        return (line.unit_price * units).rounded(POLICY), units, "one unit per elapsed month of the line"
    if line.kind in _UNIT_KINDS and line.basis is not None:
        units = _units(actuals, line, start, last)
        return (line.unit_price * units).rounded(POLICY), units, f"units recorded {line.basis.value} x contracted price"
    if line.kind is PricingKind.FIXED_FEE:
        if rule is FixedFeeRule.PERCENT_COMPLETE:
            elapsed = sum(1 for month in line.months if month <= last)
            share = CONTEXT.divide(Decimal(elapsed), Decimal(len(line.months)))
            return (line.amount * share).rounded(POLICY), None, "percent complete: share of the line's months elapsed"
        milestone = milestone_of_line(line)
        reached = actuals.reached(milestone) if milestone is not None else None
        if reached is not None and milestone is not None and month_index(start, reached) <= last:
            return line.amount, None, f"milestone {milestone.label} reached on {reached}"
        what = milestone.label if milestone is not None else "its milestone"
        return _zero(currency), None, f"{what} not reached"
    if line.kind is PricingKind.PASS_THROUGH and line.basis is UnitBasis.PASS_THROUGH:
        invoiced = _sum(
            (
                item.amount
                for invoice in actuals.invoices
                if invoice.currency == currency and month_index(start, invoice.issued) <= last
                for item in invoice.lines
                if item.service == line.service and item.basis in {None, UnitBasis.PASS_THROUGH}
            ),
            currency,
        )
        return invoiced, None, "pass-through: as invoiced, at cost"
    return _zero(currency), None, ""  # follows the work: filled in by the caller


@in_crokit_context
def engagement_status(
    budget: Budget,
    actuals: Actuals,
    *,
    start: dt.date,
    fixed_fees: FixedFeeRule = FixedFeeRule.MILESTONE,
) -> EngagementStatus:
    """Accruals, variance and the estimate at completion of *budget* under *actuals*.

    Args:
        budget: The contracted budget (a contract's current proposal, priced).
        actuals: What happened, as of :attr:`Actuals.as_of`.
        start: The study's start (month 0 of the budget's months).
        fixed_fees: How fixed fees are earned.
    """
    currency = budget.currency
    last = month_index(start, actuals.as_of)
    observed = _observed_prices(actuals, currency)

    def earn(at: int) -> list[tuple[Money, Decimal | None, str]]:
        results = [_earned(line, actuals=actuals, start=start, last=at, rule=fixed_fees) for line in budget.lines]
        worked = [i for i, line in enumerate(budget.lines) if results[i][2]]
        planned_work = sum((_planned(budget.lines[i], at).amount for i in worked), _ZERO)
        earned_work = sum((results[i][0].amount for i in worked), _ZERO)
        share = CONTEXT.divide(earned_work, planned_work) if planned_work else _ZERO
        for index, line in enumerate(budget.lines):
            if not results[index][2]:
                amount = (_planned(line, at) * share).rounded(POLICY)
                results[index] = (amount, None, "follows the work: planned to date x share of priced work earned")
        return results

    now, before = earn(last), earn(last - 1)
    accruals: list[LineAccrual] = []
    for line, (earned, units, rule), (earned_before, _, _) in zip(budget.lines, now, before, strict=True):
        planned = _planned(line, last)
        planned_units = None
        remaining = line.amount - planned if last >= 0 else line.amount
        if units is not None:
            planned_units = (
                CONTEXT.multiply(line.quantity, CONTEXT.divide(planned.amount, line.amount.amount))
                if (line.amount.amount)
                else _ZERO
            )
            left = max(_ZERO, CONTEXT.subtract(line.quantity, units))
            price = (
                observed.get((line.service, line.basis), line.unit_price.amount)
                if line.basis
                else line.unit_price.amount
            )
            remaining = Money(CONTEXT.multiply(left, price), currency).rounded(POLICY)
        accruals.append(
            LineAccrual(
                service=line.service,
                description=line.description,
                kind=line.kind,
                contracted=line.amount,
                planned_to_date=planned,
                earned_to_date=earned,
                earned_this_month=earned - earned_before,
                planned_units_to_date=planned_units,
                units_to_date=units,
                remaining_at_observed=remaining,
                rule=rule,
            )
        )
    remaining_plan = _sum(
        (part for line in budget.lines for month, part in line.monthly().items() if month > last), currency
    )
    earned_total = _sum((item.earned_to_date for item in accruals), currency)
    invoices = [invoice for invoice in actuals.invoices if invoice.currency == currency]
    return EngagementStatus(
        as_of=actuals.as_of,
        currency=currency,
        contract_value=budget.total,
        lines=accruals,
        services=_variances(budget, accruals, actuals),
        invoiced_to_date=_sum((invoice.total for invoice in invoices), currency),
        paid_to_date=_sum((invoice.total for invoice in invoices if invoice.paid_on is not None), currency),
        eac_plan=earned_total + remaining_plan,
        eac_observed=earned_total + _sum((item.remaining_at_observed for item in accruals), currency),
        invoice_findings=_invoice_findings(budget, actuals),
    )


def _variances(budget: Budget, accruals: list[LineAccrual], actuals: Actuals) -> tuple[ServiceVariance, ...]:
    currency = budget.currency
    order = list(dict.fromkeys(line.service for line in budget.lines))
    prices: dict[tuple[str, UnitBasis], Money] = {}
    for line in budget.lines:
        if line.basis is not None and line.kind in _UNIT_KINDS:
            prices.setdefault((line.service, line.basis), line.unit_price)
    allowed = _contracted_prices(budget)
    result = []
    for service in order:
        pairs = [(line, item) for line, item in zip(budget.lines, accruals, strict=True) if line.service == service]
        planned = _sum((item.planned_to_date for _, item in pairs), currency)
        earned = _sum((item.earned_to_date for _, item in pairs), currency)
        volume = _sum(
            (
                (line.unit_price * CONTEXT.subtract(item.units_to_date, item.planned_units_to_date)).rounded(POLICY)
                for line, item in pairs
                if item.units_to_date is not None and item.planned_units_to_date is not None
            ),
            currency,
        )
        rate = _zero(currency)
        invoiced = _zero(currency)
        for invoice in actuals.invoices:
            if invoice.currency != currency:
                continue
            for item in invoice.lines:
                if item.service != service:
                    continue
                invoiced = invoiced + item.amount
                if item.basis is None or (service, item.basis) not in prices:
                    continue
                if item.unit_price not in allowed[(service, item.basis)]:
                    contracted = prices[(service, item.basis)]
                    rate = rate + ((item.unit_price - contracted) * item.quantity).rounded(POLICY)
        result.append(
            ServiceVariance(
                service=service,
                planned=planned,
                earned=earned,
                volume=volume,
                timing_and_other=earned - planned - volume,
                rate=rate,
                invoiced=invoiced,
            )
        )
    return tuple(result)


# Registers this module's models with Hypothesis' st.from_type if Hypothesis is in use.
_hypothesis_plugin.imported(__name__)
