"""The schedule builder makes payments and schedules without re-validation: they must pass it anyway.

``Payment._trusted`` and ``PaymentSchedule._trusted`` skip the public constructors'
per-field checks (issue #13); this property rebuilds what the builder made through the
public constructors (which check types, order and every invariant) and requires it equal.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
from hypothesis import given

from crokit.money import FxRate, FxTable
from crokit.schedule import Payment, PaymentSchedule, build_schedule, convert_schedule
from crokit.testing._schedule import schedule_cases


@given(schedule_cases())
def test_every_built_schedule_passes_the_public_constructors(case):
    budget, start, plan, terms = case
    schedule = build_schedule(budget, contract_start=start, milestones=plan, terms=terms)
    payments = tuple(
        Payment(**{field.name: getattr(payment, field.name) for field in attrs.fields(Payment)})
        for payment in schedule.payments
    )
    assert payments == schedule.payments
    rebuilt = PaymentSchedule(currency=schedule.currency, contract_start=schedule.contract_start, payments=payments)
    assert rebuilt == schedule


@given(schedule_cases())
def test_every_converted_schedule_passes_the_public_constructors(case):
    budget, start, plan, terms = case
    schedule = build_schedule(budget, contract_start=start, milestones=plan, terms=terms)
    other = "EUR" if schedule.currency != "EUR" else "USD"
    fx = FxTable(
        rates=(FxRate(base=schedule.currency, quote=other, rate=Decimal("1.0837"), as_of=start, source="test fixing"),)
    )
    converted, _ = convert_schedule(schedule, other, fx=fx)
    payments = tuple(
        Payment(**{field.name: getattr(payment, field.name) for field in attrs.fields(Payment)})
        for payment in converted.payments
    )
    assert payments == converted.payments
    rebuilt = PaymentSchedule(currency=other, contract_start=converted.contract_start, payments=payments)
    assert rebuilt == converted
