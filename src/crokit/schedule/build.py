"""Lay a budget's cash over real dates: invoices, payment terms and holdbacks.

:func:`build_schedule` turns a priced :class:`~crokit.pricing.Budget` into a
:class:`~crokit.schedule.PaymentSchedule` whose payments sum exactly to the budget's
total, to the minor unit:

- Study month ``i`` of the budget (counted from month 0) is the calendar month of
  ``contract_start + relativedelta(months=i)``; month 0 is the contract start's month.
- Fixed-fee lines (kind ``fixed-fee``) are paid on the planned date of their milestone,
  the exact amount :meth:`~crokit.pricing.FixedFee.payments` gave. A line's milestone
  is read from its description, which :meth:`~crokit.pricing.FixedFee.price` ends with
  the milestone's label (``"Clinical study report: Database lock"``).
- Every other line of CRO fees is split by month (:meth:`~crokit.pricing.LineItem.monthly`)
  and invoiced per billing period: monthly on each month's last day, quarterly on each
  calendar quarter's last day (:func:`dateutil.rrule.rrule` with ``bymonthday=-1``);
  in advance, on the period's first day instead (never before the contract start).
- Lines outside the CRO-fees bucket (pass-through costs, investigator grants,
  sponsor-internal costs) are always invoiced in arrears, at the end of each month they
  are incurred (or of each billing period). The billing terms' holdback never applies
  to them; an :class:`~crokit.pricing.InvestigatorGrants` holdback does: the amount the
  grants model says is held back (:meth:`~crokit.pricing.InvestigatorGrants.holdback`)
  is spread over the held-back lines' months in proportion to their amounts with
  :meth:`~crokit.Money.allocate`, retained from those invoices, and paid in one payment
  on the terms' ``grant_holdback_release`` milestone. So what the schedule retains is
  exactly what the budget marks as held back.
- A holdback keeps ``holdback_share`` of each CRO-fees invoice, split with
  :meth:`~crokit.Money.allocate` so the payment plus the part retained is exactly the
  invoice. Everything retained is paid in one payment invoiced on the release
  milestone's planned date, or on the last invoice that retained something if that is
  later (nothing is released before it is retained).
- Every payment is due ``payment_days`` after its invoice.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, rrule

from crokit._currencies import MINOR_UNITS
from crokit._decimal import EXACT, in_crokit_context
from crokit.errors import ValidationError
from crokit.money import Money, _scaled, allocate_units
from crokit.pricing.budget import Budget, CostBucket, LineItem, PricingKind
from crokit.pricing.fixed_fee import milestone_of_line
from crokit.pricing.grants import InvestigatorGrants
from crokit.pricing.line_item import units_decimal
from crokit.pricing.models import FixedFee
from crokit.schedule.payments import Payment, PaymentKind, PaymentSchedule, month_start, payment_order
from crokit.schedule.terms import BillingFrequency, BillingTerms, MilestonePlan
from crokit.vocabulary.lifecycle import Milestone

__all__ = ["billing_period", "build_schedule"]

_QUARTER_ENDS = (3, 6, 9, 12)
_HUNDRED = Decimal(100)


def billing_period(month: dt.date, frequency: BillingFrequency) -> tuple[dt.date, dt.date]:
    """The first and last day of the billing period that holds *month*.

    >>> billing_period(dt.date(2028, 2, 10), BillingFrequency.MONTHLY)
    (datetime.date(2028, 2, 1), datetime.date(2028, 2, 29))
    >>> billing_period(dt.date(2028, 2, 10), BillingFrequency.QUARTERLY)
    (datetime.date(2028, 1, 1), datetime.date(2028, 3, 31))
    """
    return _period(month_start(month), frequency is BillingFrequency.QUARTERLY)


@functools.lru_cache(maxsize=4096)
def _period(first_of_month: dt.date, quarterly: bool) -> tuple[dt.date, dt.date]:  # noqa: FBT001 - private cache key
    start = dt.datetime.combine(first_of_month, dt.time())
    rule = rrule(MONTHLY, dtstart=start, bymonthday=-1, bymonth=_QUARTER_ENDS if quarterly else None, count=1)
    end = rule[0].date()
    first = month_start(end - relativedelta(months=2 if quarterly else 0))
    return first, end


@functools.lru_cache(maxsize=4096)
def _study_month(first_month: dt.date, index: int) -> dt.date:
    """The first day of study month *index* (month 0 holds the contract start)."""
    return first_month + relativedelta(months=index)


@functools.lru_cache(maxsize=4096)
def _period_name(first: dt.date, last: dt.date) -> str:
    if first.month == last.month:
        return f"{first:%Y-%m}"
    return f"{first.year}-Q{(first.month - 1) // 3 + 1}"


def _fixed_lines(budget: Budget, fixed_fees: Sequence[FixedFee]) -> dict[int, Milestone]:
    found: dict[int, Milestone] = {}
    for index, line in enumerate(budget.lines):
        if line.kind is not PricingKind.FIXED_FEE:
            continue
        milestone = milestone_of_line(line)
        if milestone is None:
            raise ValidationError.at(
                f"budget.lines[{index}].description",
                f"a fixed-fee line's description ends with the label of its milestone, got {line.description!r}",
            )
        found[index] = milestone
    for number, fee in enumerate(fixed_fees):
        if not isinstance(fee, FixedFee):
            raise ValidationError.at(f"fixed_fees[{number}]", f"expected a FixedFee, got {fee!r}")
        for place, (payment, amount) in enumerate(zip(fee.milestones, fee.payments(), strict=True)):
            label = payment.milestone.label
            if not any(
                budget.lines[index].service == fee.service
                and milestone is payment.milestone
                and budget.lines[index].amount == amount
                and (not fee.description or budget.lines[index].description == f"{fee.description}: {label}")
                for index, milestone in found.items()
            ):
                raise ValidationError.at(
                    f"fixed_fees[{number}].milestones[{place}]",
                    f"the budget has no fixed-fee line of {fee.service} paying {amount} on {label}: "
                    "price the fee into the budget first",
                )
    return found


def _grant_retention(budget: Budget, grants: Sequence[InvestigatorGrants]) -> dict[tuple[tuple[str, str], int], int]:
    """Minor units each held-back grants line retains in each of its months: each model's holdback, spread exactly.

    Each model holds its own lines (:meth:`~crokit.pricing.InvestigatorGrants.holds`,
    the other models given so that one with no description leaves theirs alone). The
    holdback is allocated over the lines' monthly parts in proportion to their
    amounts (:meth:`~crokit.Money.allocate`, whole minor units as weights: the same
    proportions as the amounts). A model in another currency than the budget's holds
    back its share of its lines converted into the budget's currency.
    """
    retained: dict[tuple[tuple[str, str], int], int] = {}
    unit = MINOR_UNITS[budget.currency] or 0
    for number, model in enumerate(grants):
        if not isinstance(model, InvestigatorGrants):
            raise ValidationError.at(f"grants[{number}]", f"expected InvestigatorGrants, got {model!r}")
    for model in grants:
        if not model.holdback_share:
            continue
        held = model.holdback(budget, others=grants)
        parts = [
            (line.key, month, units)
            for line in model.held_lines(budget, others=grants)
            for month, units in line._month_units()  # noqa: SLF001 - the line's monthly split
            if units > 0
        ]
        if held.is_zero() or not parts:
            continue
        for (key, month, _), share in zip(parts, held.allocate([units for _, _, units in parts]), strict=True):
            retained[key, month] = retained.get((key, month), 0) + _scaled(share.amount, unit)
    return retained


class _Invoices:
    """Amounts gathered per invoice: (CRO fees?, first day, last day) -> amounts and line keys.

    The key holds a bool rather than the PaymentKind enum: enum members hash in Python,
    and this dictionary is hit once per line and month.

    Lines are added in the order of their keys (:meth:`add_all` sorts them once), so each
    invoice's keys are gathered already sorted and listed once, with no sort per invoice
    (issue #13: that sort made pricing grow as payments x N log N); invoices that pay for
    the same lines share one tuple of keys.
    """

    def __init__(
        self,
        budget: Budget,
        contract_start: dt.date,
        terms: BillingTerms,
        retention: dict[tuple[tuple[str, str], int], int],
    ) -> None:
        self.contract_start = contract_start
        self.terms = terms
        self.currency = budget.currency
        self.retention = retention
        self.unit = MINOR_UNITS[budget.currency] or 0
        # Per invoice: [minor units invoiced, minor units kept back, parts with a grants
        # retention (even of zero)], and the line keys.
        self.groups: dict[tuple[bool, dt.date, dt.date], tuple[list[int], list[tuple[str, str]]]] = {}
        self.first_month = month_start(contract_start)
        self.periods: dict[tuple[int, bool], tuple[dt.date, dt.date]] = {}
        self.slots: dict[tuple[bool, bool], dict[int, tuple[list[int], list[tuple[str, str]]]]] = {}

    def add_all(self, lines: Sequence[LineItem]) -> None:
        """Add *lines* in the order of their ``(service, description)`` keys."""
        for line in sorted(lines, key=_key_of):
            self.add(line)

    def add(self, line: LineItem) -> None:
        fees = line.bucket is CostBucket.CRO_DIRECT_FEES
        monthly = not fees and self.terms.pass_through_as_incurred
        frequency = BillingFrequency.MONTHLY if monthly else self.terms.frequency
        key = line.key
        quarterly = frequency is BillingFrequency.QUARTERLY
        # Study month -> its invoice's group, for this kind of invoice and this frequency
        # (an int key: the per-month lookup is the builder's innermost loop).
        slots = self.slots.get((fees, quarterly))
        if slots is None:
            slots = self.slots[fees, quarterly] = {}
        retention = self.retention
        low, high, left = line._unit_parts()  # noqa: SLF001 - the line's monthly split
        for index, month in enumerate(line.months):
            group = slots.get(month)
            if group is None:
                group = slots[month] = self._group(fees, month, quarterly=quarterly)
            sums, keys = group
            sums[0] += high if index < left else low
            if not keys or keys[-1] != key:  # a quarter holds several months of one line
                keys.append(key)
            if retention:
                kept = retention.get((key, month))
                if kept is not None:
                    sums[1] += kept
                    sums[2] += 1

    def _group(self, fees: bool, month: int, *, quarterly: bool) -> tuple[list[int], list[tuple[str, str]]]:  # noqa: FBT001
        """The invoice group of study *month*: found by its (kind, first day, last day), or started."""
        period = self.periods.get((month, quarterly))
        if period is None:
            period = self.periods[month, quarterly] = _period(_study_month(self.first_month, month), quarterly)
        group = self.groups.get((fees, *period))
        if group is None:
            group = self.groups[fees, *period] = ([0, 0, 0], [])
        return group

    def payments(self, holdback: _Holdback, grants: _Holdback) -> list[Payment]:
        result = []
        shared: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}
        for (fees, first, last), ((invoiced_units, kept_units, retaining), keys) in self.groups.items():
            kind = PaymentKind.SERVICE_PERIOD if fees else PaymentKind.PASS_THROUGH
            if not invoiced_units:
                continue
            advance = kind is PaymentKind.SERVICE_PERIOD and not self.terms.in_arrears
            invoiced = max(first, self.contract_start) if advance else last
            what = "Services" if kind is PaymentKind.SERVICE_PERIOD else "Pass-through costs"
            kept = bool(retaining)
            lines = tuple(keys)
            lines = shared.setdefault(lines, lines)
            result.append(
                (grants if kept else holdback).invoice_units(
                    invoiced_units,
                    invoiced,
                    kind=kind,
                    description=f"{what} {_period_name(first, last)}",
                    lines=lines,
                    hold=kind is PaymentKind.SERVICE_PERIOD or kept,
                    keep_units=kept_units if kept else None,
                )
            )
        return result


def _key_of(line: LineItem) -> tuple[str, str]:
    return line.key


class _Holdback:
    """Splits invoices into what is paid and what is retained, and releases what was retained.

    The billing terms' holdback keeps a share of each invoice; the investigator-grants
    holdback (``grants=True``) keeps the amounts :func:`_grant_retention` gave, and is
    released on the terms' ``grant_holdback_release`` milestone.
    """

    def __init__(self, terms: BillingTerms, currency: str, *, grants: bool = False) -> None:
        self.terms = terms
        self.grants = grants
        # The holdback share as whole-number weights [kept, paid] in its exact proportions.
        share = terms.holdback_share
        exponent = share.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
        kept = int(share.scaleb(places, context=EXACT))
        self.weights = [kept, 10**places - kept]
        self.unit = MINOR_UNITS[currency] or 0
        self.due_after = terms.due_after  # one timedelta for every payment
        self.currency = currency
        self.retained_units = 0  # everything retained so far, in minor units
        self.last_retained: dt.date | None = None

    def invoice(
        self,
        gross: Money,
        invoiced: dt.date,
        *,
        kind: PaymentKind,
        description: str,
        lines: tuple[tuple[str, str], ...],
        hold: bool,
        milestone: Milestone | None = None,
    ) -> Payment:
        """A payment of the invoice of *gross*, less the terms' holdback if *hold*."""
        if hold and self.terms.holdback_share:
            return self.invoice_units(
                _scaled(gross.amount, self.unit),
                invoiced,
                kind=kind,
                description=description,
                lines=lines,
                hold=hold,
                milestone=milestone,
            )
        return self._payment(
            gross, None, invoiced, kind=kind, description=description, lines=lines, milestone=milestone
        )

    def invoice_units(
        self,
        units: int,
        invoiced: dt.date,
        *,
        kind: PaymentKind,
        description: str,
        lines: tuple[tuple[str, str], ...],
        hold: bool,
        milestone: Milestone | None = None,
        keep_units: int | None = None,
    ) -> Payment:
        """A payment of the invoice of *units* minor units, less what is held back.

        What is held back is *keep_units* when given (the grants' retention), otherwise
        the terms' holdback share of the invoice if *hold*, split on whole minor units
        with the rule of :meth:`Money.allocate` (the same parts, signs and digits), so
        the payment plus the part retained is exactly the invoice.
        """
        unit, currency = self.unit, self.currency
        if not hold or (keep_units is None and not self.terms.holdback_share):
            kept_units, paid_units, negative = 0, units, False
        elif keep_units is not None:
            kept_units, paid_units, negative = keep_units, units - keep_units, False
        else:
            kept_units, paid_units = allocate_units(abs(units), self.weights)
            negative = units < 0
        retained = None
        if kept_units:
            retained = Money._trusted(units_decimal(kept_units, unit, negative=negative), currency)  # noqa: SLF001
            self.retained_units += -kept_units if negative else kept_units
            self.last_retained = max(invoiced, self.last_retained or invoiced)
        paid = Money._trusted(units_decimal(paid_units, unit, negative=negative), currency)  # noqa: SLF001
        return self._payment(
            paid, retained, invoiced, kind=kind, description=description, lines=lines, milestone=milestone
        )

    def _payment(
        self,
        paid: Money,
        retained: Money | None,
        invoiced: dt.date,
        *,
        kind: PaymentKind,
        description: str,
        lines: tuple[tuple[str, str], ...],
        milestone: Milestone | None,
    ) -> Payment:
        return Payment._trusted(  # noqa: SLF001 - the builder's own values
            due=invoiced + self.due_after,
            invoice_date=invoiced,
            amount=paid,
            kind=kind,
            description=description,
            lines=lines,
            milestone=milestone,
            retained=retained,
        )

    def release(self, planned: dt.date) -> Payment | None:
        if not self.retained_units or self.last_retained is None:
            return None
        invoiced = max(planned, self.last_retained)
        milestone = self.terms.grant_holdback_release if self.grants else self.terms.holdback_release
        what = "Investigator grants held back, released" if self.grants else "Holdback release"
        return self._payment(
            Money._trusted(units_decimal(self.retained_units, self.unit), self.currency),  # noqa: SLF001
            None,
            invoiced,
            kind=PaymentKind.HOLDBACK_RELEASE,
            description=f"{what} on {milestone.label}",
            lines=(),
            milestone=milestone,
        )


def _check_inputs(budget: object, contract_start: object, milestones: object, terms: object) -> None:
    if not isinstance(budget, Budget):
        raise ValidationError.at("budget", f"expected a Budget, got {budget!r}")
    if not isinstance(contract_start, dt.date) or isinstance(contract_start, dt.datetime):
        raise ValidationError.at("contract_start", f"expected a date like 2027-01-04, got {contract_start!r}")
    if not isinstance(milestones, MilestonePlan):
        raise ValidationError.at("milestones", f"expected a MilestonePlan, got {milestones!r}")
    if not isinstance(terms, BillingTerms):
        raise ValidationError.at("terms", f"expected BillingTerms, got {terms!r}")


@in_crokit_context
def build_schedule(
    budget: Budget,
    *,
    contract_start: dt.date,
    milestones: MilestonePlan,
    terms: BillingTerms,
    fixed_fees: Sequence[FixedFee] = (),
    grants: Sequence[InvestigatorGrants] = (),
) -> PaymentSchedule:
    """Lay *budget* over real dates under *terms*; the payments sum exactly to its total.

    See the module docstring for the rules.

    Args:
        budget: The priced budget.
        contract_start: The day the contract starts: month 0 of the budget is its month.
        milestones: Planned dates of the milestones fixed fees and the holdback are paid on.
        terms: Billing frequency, payment days, holdback.
        fixed_fees: Fixed fees the budget was priced from; each payment of each fee must
            be a fixed-fee line of the budget (a check that the budget holds them).
        grants: Investigator-grant models the budget was priced from; the holdback each
            states is retained from the grants' invoices and released on the terms'
            ``grant_holdback_release`` milestone.

    Raises:
        ValidationError: If a milestone that a payment falls on has no planned date
            (path ``milestones.dates``, naming it), a milestone is planned before the
            contract start, a fixed-fee line names no milestone, or a fixed fee is not
            in the budget.
    """
    _check_inputs(budget, contract_start, milestones, terms)
    milestones.check_start(contract_start)
    fixed = _fixed_lines(budget, fixed_fees)
    release = milestones.date_of(terms.holdback_release) if terms.holdback_share else None
    holdback = _Holdback(terms, budget.currency)
    retention = _grant_retention(budget, grants)
    grant_holdback = _Holdback(terms, budget.currency, grants=True)
    invoices = _Invoices(budget, contract_start, terms, retention)
    payments: list[Payment] = []
    invoices.add_all([line for index, line in enumerate(budget.lines) if index not in fixed])
    for index, milestone in fixed.items():
        line = budget.lines[index]
        if not line.amount.is_zero():
            payments.append(
                holdback.invoice(
                    line.amount,
                    milestones.date_of(milestone),
                    kind=PaymentKind.MILESTONE,
                    description=line.description,
                    lines=(line.key,),
                    hold=line.bucket is CostBucket.CRO_DIRECT_FEES,
                    milestone=milestone,
                )
            )
    payments.extend(invoices.payments(holdback, grant_holdback))
    released = holdback.release(release) if release is not None else None
    if released is not None:
        payments.append(released)
    if retention:
        grants_released = grant_holdback.release(milestones.date_of(terms.grant_holdback_release))
        if grants_released is not None:
            payments.append(grants_released)
    payments.sort(key=payment_order)
    return PaymentSchedule._trusted(currency=budget.currency, contract_start=contract_start, payments=tuple(payments))  # noqa: SLF001
