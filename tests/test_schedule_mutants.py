"""Tests written to kill the mutants of crokit.schedule.terms and .cashflow that survived tests/schedule.

They pin the path and text of every refusal, the defaults of BillingTerms and the bounds
of its fields. See mutation/RESULTS.md for the mutants each test kills.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from crokit import InvalidAmountError, Milestone, Money, ValidationError
from crokit.schedule import BillingFrequency, BillingTerms, CashFlowRow, MilestoneDate, MilestonePlan

FPI, LPI = Milestone.FIRST_PATIENT_IN, Milestone.LAST_PATIENT_IN
OUT_OF_ORDER = (
    "Last patient in (2027-01-01) is planned before First patient in (2027-02-01), which comes first in a study"
)
MILESTONES = ", ".join(repr(m.value) for m in Milestone)


def _any(value: object) -> Any:
    """*value*, typed as anything: these tests pass wrong types on purpose."""
    return value


def _problem(error: ValidationError) -> tuple[str, str]:
    assert len(error.problems) == 1
    return error.problems[0].path, error.problems[0].message


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (
            lambda: BillingTerms(frequency=_any("monthly")),
            ("frequency", "expected a BillingFrequency ('monthly', 'quarterly'), got 'monthly'"),
        ),
        (
            lambda: MilestoneDate(milestone=_any("first-patient-in"), date=date(2027, 1, 1)),
            ("milestone", f"expected a Milestone ({MILESTONES}), got 'first-patient-in'"),
        ),
        (
            lambda: MilestonePlan(dates=[(FPI, date(2027, 1, 1)), _any(5)]),
            ("dates[1]", "expected a (milestone, date) pair, got 5"),
        ),
        (
            lambda: MilestonePlan(dates=[(FPI, date(2027, 1, 1)), _any(("x", date(2027, 2, 1)))]),
            ("dates[1].milestone", f"expected a Milestone ({MILESTONES}), got 'x'"),
        ),
        (
            lambda: MilestonePlan(dates=[(FPI, date(2027, 1, 1)), (FPI, date(2027, 2, 1))]),
            ("dates[1].milestone", "First patient in is already planned at dates[0]"),
        ),
        (
            lambda: MilestonePlan(dates=[(LPI, date(2027, 1, 1)), (FPI, date(2027, 2, 1))]),
            (
                "dates[0].date",
                OUT_OF_ORDER,
            ),
        ),
        (
            lambda: MilestonePlan(dates={FPI: date(2027, 1, 1)}).date_of(LPI),
            ("milestones.dates", "no planned date for Last patient in (last-patient-in), which a payment falls on"),
        ),
        (
            lambda: MilestonePlan(dates={FPI: date(2027, 1, 1)}).date_of(LPI, path="plan"),
            ("plan.dates", "no planned date for Last patient in (last-patient-in), which a payment falls on"),
        ),
        (
            lambda: MilestonePlan(dates={FPI: date(2027, 1, 1)}).check_start(date(2027, 1, 2)),
            (
                "milestones.dates[0].date",
                "First patient in is planned for 2027-01-01, before the contract starts on 2027-01-02",
            ),
        ),
        (
            lambda: MilestonePlan(dates={FPI: date(2027, 1, 1)}).check_start(date(2027, 1, 2), path="plan"),
            (
                "plan.dates[0].date",
                "First patient in is planned for 2027-01-01, before the contract starts on 2027-01-02",
            ),
        ),
        (
            lambda: BillingTerms(holdback_percent="100"),
            ("holdback_percent", "expected a percentage from 0 up to but not including 100 ('10' for 10%), got 100"),
        ),
        (
            lambda: BillingTerms(holdback_percent="-0.01"),
            ("holdback_percent", "expected a percentage from 0 up to but not including 100 ('10' for 10%), got -0.01"),
        ),
        (lambda: BillingTerms(in_arrears=_any(1)), ("in_arrears", "expected true or false, got 1")),
        (
            lambda: BillingTerms(pass_through_as_incurred=_any(None)),
            ("pass_through_as_incurred", "expected true or false, got None"),
        ),
        (lambda: BillingTerms(payment_days=366), ("payment_days", "expected a whole number from 0 to 365, got 366")),
        (lambda: BillingTerms(payment_days=-1), ("payment_days", "expected a whole number from 0 to 365, got -1")),
        (
            lambda: BillingTerms(holdback_release=_any("approval")),
            ("holdback_release", f"expected a Milestone ({MILESTONES}), got 'approval'"),
        ),
        (
            lambda: CashFlowRow(month=date(2027, 1, 1), paid=_any(1), cumulative=Money("1.00", "USD")),
            ("paid", "expected Money, got 1"),
        ),
        (
            lambda: CashFlowRow(month=date(2027, 1, 1), paid=Money("1.00", "USD"), cumulative=_any("1.00")),
            ("cumulative", "expected Money, got '1.00'"),
        ),
    ],
)
def test_each_refusal_has_its_path_and_message(build: Callable[[], object], expected: tuple[str, str]):
    with pytest.raises(ValidationError) as caught:
        build()
    assert _problem(caught.value) == expected


def test_a_float_holdback_is_refused_naming_the_field():
    with pytest.raises(InvalidAmountError) as caught:
        BillingTerms(holdback_percent=_any(2.5))
    assert "give the holdback percent as text" in caught.value.reason


def test_billing_terms_defaults():
    terms = BillingTerms()
    assert terms.frequency is BillingFrequency.MONTHLY
    assert terms.in_arrears is True
    assert terms.payment_days == 30
    assert terms.holdback_percent == 0
    assert terms.holdback_release is Milestone.CLINICAL_STUDY_REPORT
    assert terms.pass_through_as_incurred is True
    assert terms.due_after == timedelta(days=30)


def test_billing_terms_bounds_are_inclusive_where_documented():
    assert BillingTerms(payment_days=0).due_after == timedelta(0)
    assert BillingTerms(payment_days=365).due_after == timedelta(days=365)
    assert BillingTerms(holdback_percent="0").holdback_percent == 0
    assert BillingTerms(holdback_percent="99.99").holdback_percent == Decimal("99.99")


def test_a_plan_from_a_mapping_or_pairs_keeps_each_date_and_allows_the_same_day():
    plan = MilestonePlan(dates={LPI: date(2027, 6, 1), FPI: date(2027, 6, 1)})
    assert plan.date_of(FPI) == date(2027, 6, 1)
    assert plan.date_of(LPI) == date(2027, 6, 1)
    assert MilestonePlan(dates=[MilestoneDate(milestone=FPI, date=date(2027, 1, 1))]).date_of(FPI) == date(2027, 1, 1)
    plan.check_start(date(2027, 6, 1))  # on the start day is allowed
