"""Cash flow in the study's currency: each payment converted at the rate of its due date.

A budget is compared at one date (the contract date, see :mod:`crokit.pricing.currency`),
but money paid in another currency costs what the rate says on the day it is paid.
:func:`convert_schedule` converts a schedule payment by payment at the rate in force
on each payment's due date (purpose ``cash-flow``): the payments due on one date are
converted together, their total rounded once and split exactly over them, with one
:class:`~crokit.pricing.Conversion` record per due date. When the table has no rate on
a due date, the latest rate before it is used; the record says so
(:attr:`~crokit.pricing.Conversion.fallback`) and :func:`fallback_warnings` words it.

What a payment's invoice retained is shown at the rate of the holdback release that
pays it out (the cash moves then): the converted releases are split over the
retained amounts in proportion to them, so the converted schedule still releases
exactly what it retained. Amounts retained that cancel out (and so are released by no
payment) are shown at the rate of the last due date that retained them.

:func:`schedule_in_currencies` builds one schedule per currency a bid is paid in and
merges the converted payments into one schedule in the target currency; a converted
payment's description says what it was paid in (``"Services 2027-03 (paid in JPY)"``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_FLOOR, Decimal

from crokit._currencies import MINOR_UNITS
from crokit._decimal import MONEY, exact_add, exact_sum, in_crokit_context
from crokit.errors import ValidationError
from crokit.money import FxTable, Money
from crokit.pricing.budget import Budget
from crokit.pricing.currency import Conversion, FxPurpose, convert_amounts
from crokit.pricing.fixed_fee import FixedFee
from crokit.pricing.grants import InvestigatorGrants
from crokit.pricing.line_item import units_decimal
from crokit.schedule.build import build_schedule
from crokit.schedule.payments import Payment, PaymentKind, PaymentSchedule, payment_order
from crokit.schedule.terms import BillingTerms, MilestonePlan

__all__ = ["convert_schedule", "fallback_warnings", "schedule_in_currencies"]


def _split(whole: Money, weights: Sequence[Decimal]) -> list[Money]:
    """*whole* split in proportion to *weights* (any signs, non-zero sum): floors, then the largest remainders."""
    unit = MINOR_UNITS[whole.currency] or 0
    weight = exact_sum(weights)
    scaled = whole.amount.scaleb(unit, context=MONEY)  # in minor units: a whole number, the amount is rounded
    target = int(scaled)
    exact = [MONEY.divide(MONEY.multiply(w, scaled), weight) for w in weights]
    floors = [int(value.to_integral_value(rounding=ROUND_FLOOR, context=MONEY)) for value in exact]
    remainders = [exact_add(value, Decimal(-floor)) for value, floor in zip(exact, floors, strict=True)]
    order = sorted(range(len(floors)), key=lambda i: remainders[i].copy_negate())
    left = target - sum(floors)
    for step in range(max(left, 0)):
        floors[order[step % len(order)]] += 1
    return [Money(units_decimal(part, unit), whole.currency) for part in floors]


@in_crokit_context
def convert_schedule(
    schedule: PaymentSchedule, to: str, *, fx: FxTable, label: bool = True
) -> tuple[PaymentSchedule, tuple[Conversion, ...]]:
    """Convert every payment of *schedule* into *to* at the rate in force on its due date.

    Args:
        schedule: The payments, in one currency.
        to: The currency to express them in.
        fx: The dated exchange rates.
        label: Whether each converted payment's description says what it was paid in.

    Returns:
        The converted schedule (its payments sum exactly to the records' converted
        totals) and one conversion record per due date, in date order. A schedule
        already in *to* comes back unchanged, with no records.

    Raises:
        MissingRateError: If no rate for the pair is in force on a due date (naming it).
    """
    if not isinstance(schedule, PaymentSchedule):
        raise ValidationError.at("schedule", f"expected a PaymentSchedule, got {schedule!r}")
    if schedule.currency == to:
        convert_amounts([], to, fx=fx, on=schedule.contract_start, purpose=FxPurpose.CASH_FLOW)  # checks *to*, *fx*
        return schedule, ()
    by_due: dict[dt.date, list[int]] = {}
    for index, payment in enumerate(schedule.payments):
        by_due.setdefault(payment.due, []).append(index)
    amounts: dict[int, Money] = {}
    records: list[Conversion] = []
    for due in sorted(by_due):
        indexes = by_due[due]
        parts, record = convert_amounts(
            [schedule.payments[i].amount for i in indexes], to, fx=fx, on=due, purpose=FxPurpose.CASH_FLOW
        )
        amounts.update(zip(indexes, parts, strict=True))
        if record is not None:
            records.append(record)
    retained = _retained(schedule, amounts, to, fx)
    suffix = f" (paid in {schedule.currency})" if label else ""
    # The schedule's own payments with converted amounts: the constructors' cross-field
    # checks (currencies, dates, releases equal to retentions) still run.
    payments = [
        Payment._trusted(  # noqa: SLF001 - a checked payment, converted exactly
            due=payment.due,
            invoice_date=payment.invoice_date,
            amount=amounts[index],
            kind=payment.kind,
            description=payment.description + suffix,
            lines=payment.lines,
            milestone=payment.milestone,
            retained=retained.get(index),
        )
        for index, payment in enumerate(schedule.payments)
    ]
    payments.sort(key=payment_order)
    converted = PaymentSchedule._trusted(currency=to, contract_start=schedule.contract_start, payments=tuple(payments))  # noqa: SLF001
    return converted, tuple(records)


def _retained(schedule: PaymentSchedule, amounts: dict[int, Money], to: str, fx: FxTable) -> dict[int, Money]:
    """What each invoice retained, at the rate of the releases that pay it out (they sum exactly to them).

    Amounts retained that cancel out (10.00 kept from fees, -10.00 from a credit) are
    released by no payment, so no cash moves for them: they are shown at the rate of the
    last due date that retained, and still sum exactly to zero.
    """
    kept = [(i, p.retained) for i, p in enumerate(schedule.payments) if p.retained is not None]
    if not kept:
        return {}
    weights = [money.amount for _, money in kept]
    if not exact_sum(weights):
        last = max(schedule.payments[i].due for i, _ in kept)
        parts, _ = convert_amounts([money for _, money in kept], to, fx=fx, on=last, purpose=FxPurpose.CASH_FLOW)
        return {index: part for (index, _), part in zip(kept, parts, strict=True)}
    # What is retained is released (PaymentSchedule checks it), so a non-zero total has a release.
    released = [amounts[i] for i, p in enumerate(schedule.payments) if p.kind is PaymentKind.HOLDBACK_RELEASE]
    shares = _split(sum(released[1:], released[0]), weights)
    return {index: share for (index, _), share in zip(kept, shares, strict=True)}


def fallback_warnings(records: Iterable[Conversion], *, who: str) -> tuple[str, ...]:
    """One warning per pair whose cash-flow conversions used a rate from before the due date."""
    stale: dict[str, list[Conversion]] = {}
    for record in records:
        if record.purpose is FxPurpose.CASH_FLOW and record.fallback:
            stale.setdefault(record.pair, []).append(record)
    warnings = []
    for pair, found in stale.items():
        first, last = min(r.on for r in found), max(r.on for r in found)
        latest = max(found, key=lambda r: r.rate_date)
        count = f"{len(found)} payment date{'s' if len(found) > 1 else ''}"
        warnings.append(
            f"{who}: the fx table has no {pair} rate on {count} from {first} to {last}; each payment is converted "
            f"at the latest rate known on or before its due date (the latest used: {latest.rate} of "
            f"{latest.rate_date}). Add rates to the fx table for a truer cash flow"
        )
    return tuple(warnings)


@in_crokit_context
def schedule_in_currencies(
    parts: Sequence[tuple[Budget, Sequence[FixedFee], Sequence[InvestigatorGrants]]],
    to: str,
    *,
    fx: FxTable,
    contract_start: dt.date,
    milestones: MilestonePlan,
    terms: BillingTerms,
) -> tuple[PaymentSchedule, tuple[Conversion, ...]]:
    """Schedule each part of a bid in the currency it is paid in, then convert each payment at its due date.

    Args:
        parts: ``(budget, fixed fees, grants)`` per currency the bid is paid in, each
            budget in one currency (see :func:`~crokit.schedule.build_schedule`).
        to: The currency of the cash flow (the study's).
        fx: The dated exchange rates.
        contract_start: The contract's start (month 0 of every budget).
        milestones: Planned milestone dates.
        terms: The billing terms.

    Returns:
        One schedule in *to* holding every part's payments, and the conversion records
        (per part, per due date).

    Raises:
        MissingRateError: If a payment's due date has no rate in force for its pair.
    """
    payments: list[Payment] = []
    records: list[Conversion] = []
    for budget, fixed_fees, grants in parts:
        schedule = build_schedule(
            budget,
            contract_start=contract_start,
            milestones=milestones,
            terms=terms,
            fixed_fees=fixed_fees,
            grants=grants,
        )
        converted, used = convert_schedule(schedule, to, fx=fx)
        payments.extend(converted.payments)
        records.extend(used)
    payments.sort(key=lambda p: (*p.sort_key, p.invoice_date, p.kind.value, p.lines))
    return PaymentSchedule(currency=to, contract_start=contract_start, payments=payments), tuple(records)
