"""Payment schedule invariants, for any budget, plan and terms the strategies draw."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from crokit.money import total
from crokit.pricing import Budget, CostBucket
from crokit.schedule import MilestonePlan, PaymentKind, build_schedule, cash_flow, month_start
from crokit.serialization import FORMATS, dumps, loads

from crokit.testing._schedule import (  # isort: skip
    billing_terms,
    milestone_plans,
    payment_schedules,
    schedule_cases,
)


@given(schedule_cases())
def test_payments_sum_exactly_to_the_budget(case):
    budget, start, plan, terms = case
    schedule = build_schedule(budget, contract_start=start, milestones=plan, terms=terms)
    assert schedule.total == budget.total
    assert total(schedule.by_month().values(), currency=budget.currency) == budget.total
    released = [p.amount for p in schedule.payments if p.kind is PaymentKind.HOLDBACK_RELEASE]
    assert total(released, currency=budget.currency) == schedule.holdback_retained
    assert all(p.amount.is_rounded() for p in schedule.payments)


@given(schedule_cases())
def test_nothing_before_the_start_and_everything_in_order(case):
    budget, start, plan, terms = case
    schedule = build_schedule(budget, contract_start=start, milestones=plan, terms=terms)
    assert all(start <= p.invoice_date <= p.due for p in schedule.payments)
    keys = [p.sort_key for p in schedule.payments]
    assert keys == sorted(keys)
    milestones = [p for p in schedule.payments if p.kind is PaymentKind.MILESTONE]
    for first, second in itertools.combinations(milestones, 2):
        assert first.milestone is not None
        assert second.milestone is not None
        if first.milestone.order < second.milestone.order:
            assert first.due <= second.due


@given(schedule_cases())
def test_holdback_is_the_stated_share_of_fee_invoices_only(case):
    budget, start, plan, terms = case
    schedule = build_schedule(budget, contract_start=start, milestones=plan, terms=terms)
    for payment in schedule.payments:
        unit = Decimal(1).scaleb(-(payment.amount.minor_unit or 0))
        if payment.kind is PaymentKind.PASS_THROUGH:
            assert payment.retained is None
        if payment.retained is not None:
            gross = payment.amount + payment.retained
            exact = gross.amount * terms.holdback_share
            assert abs(payment.retained.amount - exact) < unit


@given(schedule_cases())
def test_pass_through_lines_are_paid_as_pass_through(case):
    budget, start, plan, terms = case
    schedule = build_schedule(budget, contract_start=start, milestones=plan, terms=terms)
    passed = [line for line in budget.lines if line.bucket is not CostBucket.CRO_DIRECT_FEES]
    paid = [p.amount for p in schedule.payments if p.kind is PaymentKind.PASS_THROUGH]
    assert total(paid, currency=budget.currency) == total((line.amount for line in passed), currency=budget.currency)


@given(payment_schedules())
def test_cash_flow_covers_every_month(schedule):
    rows = cash_flow(schedule)
    if not schedule.payments:
        assert rows == ()
        return
    assert rows[0].month == month_start(schedule.payments[0].due)
    assert rows[-1].month == month_start(max(p.due for p in schedule.payments))
    for before, after in itertools.pairwise(rows):
        assert after.month == before.month + relativedelta(months=1)
        assert after.cumulative == before.cumulative + after.paid
    assert rows[-1].cumulative == schedule.total
    assert list(schedule.cumulative().values())[-1] == schedule.total


@given(payment_schedules())
def test_npv_at_zero_is_the_total(schedule):
    assert schedule.npv(Decimal(0), schedule.contract_start) == schedule.total


@given(schedule_cases(), st.decimals("0", "0.5", places=3), st.decimals("0", "0.5", places=3))
def test_npv_falls_as_the_rate_rises(case, first, second):
    budget, start, plan, terms = case
    positive = Budget(currency=budget.currency, lines=[line for line in budget.lines if line.amount.amount >= 0])
    schedule = build_schedule(positive, contract_start=start, milestones=plan, terms=terms)
    low, high = sorted((first, second))
    assert schedule.npv(high, start) <= schedule.npv(low, start)


@given(milestone_plans())
def test_plans_keep_milestones_in_order(plan):
    ordered = sorted(plan.dates, key=lambda planned: planned.milestone.order)
    assert [p.date for p in ordered] == sorted(p.date for p in ordered)


@pytest.mark.parametrize("fmt", FORMATS)
@given(data=st.data())
def test_round_trips(fmt, data):
    for model in (
        data.draw(payment_schedules()),
        data.draw(milestone_plans()),
        data.draw(billing_terms()),
    ):
        assert loads(dumps(model, fmt), type(model), fmt) == model


@given(milestone_plans())
def test_plans_accept_their_own_pairs(plan):
    assert MilestonePlan(dates=tuple((p.milestone, p.date) for p in plan.dates)) == plan
