"""The line keys each invoice carries: sorted, each once, exactly the lines it pays for (issue #13).

The builder gathers keys in the order of the lines' keys instead of sorting every
invoice's keys, and invoices that pay for the same lines share one tuple; these tests
check the result is what the old per-invoice sort gave.
"""

from __future__ import annotations

from hypothesis import given

from crokit.pricing import CostBucket, PricingKind
from crokit.schedule import BillingFrequency, PaymentKind, billing_period, build_schedule
from crokit.schedule.build import _period_name, _study_month
from crokit.schedule.payments import month_start

from crokit.testing._schedule import schedule_cases  # isort: skip


@given(schedule_cases())
def test_each_invoice_lists_the_sorted_keys_of_the_lines_it_pays_for(case):
    budget, start, plan, terms = case
    schedule = build_schedule(budget, contract_start=start, milestones=plan, terms=terms)
    first_month = month_start(start)
    expected: dict[tuple[bool, str], set[tuple[str, str]]] = {}
    for line in budget.lines:
        if line.kind is PricingKind.FIXED_FEE:
            continue
        fees = line.bucket is CostBucket.CRO_DIRECT_FEES
        frequency = BillingFrequency.MONTHLY if not fees and terms.pass_through_as_incurred else terms.frequency
        for month in line.months:
            name = _period_name(*billing_period(_study_month(first_month, month), frequency))
            expected.setdefault((fees, name), set()).add(line.key)
    for payment in schedule.payments:
        if payment.kind in {PaymentKind.SERVICE_PERIOD, PaymentKind.PASS_THROUGH}:
            name = payment.description.rsplit(" ", 1)[1]
            keys = expected[payment.kind is PaymentKind.SERVICE_PERIOD, name]
            assert payment.lines == tuple(sorted(keys))


@given(schedule_cases())
def test_invoices_paying_for_the_same_lines_share_one_tuple(case):
    budget, start, plan, terms = case
    schedule = build_schedule(budget, contract_start=start, milestones=plan, terms=terms)
    by_value: dict[object, object] = {}
    for payment in schedule.payments:
        if payment.kind in {PaymentKind.SERVICE_PERIOD, PaymentKind.PASS_THROUGH}:
            assert by_value.setdefault(payment.lines, payment.lines) is payment.lines
