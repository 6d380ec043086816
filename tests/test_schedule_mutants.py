"""Tests written to kill the mutants of crokit.schedule (terms, cash flow, payments) that survived tests/schedule.

They pin the path and text of every refusal, the defaults of BillingTerms and the bounds
of its fields. See mutation/RESULTS.md for the mutants each test kills.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from crokit import CurrencyMismatchError, InvalidAmountError, Milestone, Money, ValidationError
from crokit.schedule import (
    BillingFrequency,
    BillingTerms,
    CashFlowRow,
    MilestoneDate,
    MilestonePlan,
    Payment,
    PaymentKind,
    PaymentSchedule,
)
from crokit.schedule.payments import month_index, month_start

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
            lambda: BillingTerms(frequency=_any("weekly")),
            ("frequency", "expected a BillingFrequency, one of 'monthly', 'quarterly', got 'weekly'"),
        ),
        (
            lambda: MilestoneDate(milestone=_any("first-patient-out"), date=date(2027, 1, 1)),
            (
                "milestone",
                f"expected a Milestone, one of {MILESTONES}, got 'first-patient-out'; did you mean 'last-patient-out'?",
            ),
        ),
        (
            lambda: MilestonePlan(dates=[(FPI, date(2027, 1, 1)), _any(5)]),
            ("dates[1]", "expected a (milestone, date) pair, got 5"),
        ),
        (
            lambda: MilestonePlan(dates=[(FPI, date(2027, 1, 1)), _any(("x", date(2027, 2, 1)))]),
            ("dates[1].milestone", f"expected a Milestone, one of {MILESTONES}, got 'x'"),
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
            lambda: BillingTerms(holdback_share="1"),
            ("holdback_share", "1 is not a fraction between 0 and 1; did you mean 0.01 (1%)?"),
        ),
        (
            lambda: BillingTerms(holdback_share="-0.01"),
            (
                "holdback_share",
                "expected a fraction from 0 up to but not including 1 (100%), where 0.05 means 5%, got -0.01",
            ),
        ),
        (lambda: BillingTerms(in_arrears=_any(1)), ("in_arrears", "expected True or False, got 1")),
        (
            lambda: BillingTerms(pass_through_as_incurred=_any(None)),
            ("pass_through_as_incurred", "expected True or False, got None"),
        ),
        (lambda: BillingTerms(payment_days=366), ("payment_days", "expected a whole number from 0 to 365, got 366")),
        (lambda: BillingTerms(payment_days=-1), ("payment_days", "expected a whole number from 0 to 365, got -1")),
        (
            lambda: BillingTerms(holdback_release=_any("never")),
            ("holdback_release", f"expected a Milestone, one of {MILESTONES}, got 'never'"),
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
        BillingTerms(holdback_share=_any(2.5))
    assert "give the fraction (0.05 for 5%) as text" in caught.value.reason


def test_billing_terms_defaults():
    terms = BillingTerms()
    assert terms.frequency is BillingFrequency.MONTHLY
    assert terms.in_arrears is True
    assert terms.payment_days == 30
    assert terms.holdback_share == 0
    assert terms.holdback_release is Milestone.CLINICAL_STUDY_REPORT
    assert terms.grant_holdback_release is Milestone.DATABASE_LOCK
    assert terms.pass_through_as_incurred is True
    assert terms.due_after == timedelta(days=30)


def test_billing_terms_bounds_are_inclusive_where_documented():
    assert BillingTerms(payment_days=0).due_after == timedelta(0)
    assert BillingTerms(payment_days=365).due_after == timedelta(days=365)
    assert BillingTerms(holdback_share="0").holdback_share == 0
    assert BillingTerms(holdback_share="0.9999").holdback_share == Decimal("0.9999")


def test_a_plan_from_a_mapping_or_pairs_keeps_each_date_and_allows_the_same_day():
    plan = MilestonePlan(dates={LPI: date(2027, 6, 1), FPI: date(2027, 6, 1)})
    assert plan.date_of(FPI) == date(2027, 6, 1)
    assert plan.date_of(LPI) == date(2027, 6, 1)
    assert MilestonePlan(dates=[MilestoneDate(milestone=FPI, date=date(2027, 1, 1))]).date_of(FPI) == date(2027, 1, 1)
    plan.check_start(date(2027, 6, 1))  # on the start day is allowed


# -- payments.py ---------------------------------------------------------------------------

START = date(2027, 1, 4)
UNSORTED = (
    "payments are sorted by due date then description: (datetime.date(2027, 1, 4), 'Services 2027-01-04') "
    "follows (datetime.date(2027, 2, 4), 'Services 2027-02-04')"
)


def _pay(due: date, amount: str = "900.00", **extra: Any) -> Payment:
    fields: dict[str, Any] = {
        "due": due,
        "invoice_date": due,
        "amount": Money(amount, "USD"),
        "kind": PaymentKind.SERVICE_PERIOD,
        "description": f"Services {due:%Y-%m-%d}",
    }
    return Payment(**{**fields, **extra})


def test_payment_refusals_have_their_path_and_message():
    checks: dict[tuple[str, str], Callable[[], object]] = {
        ("amount", "expected Money, got 1"): lambda: Payment(
            due=START, invoice_date=START, amount=_any(1), kind=PaymentKind.SERVICE_PERIOD, description="x"
        ),
        ("amount", "expected whole USD minor units, got 1.005 USD"): lambda: _pay(START, "1.005"),
        ("retained", "expected whole USD minor units, got 0.005 USD"): lambda: _pay(
            START, retained=Money("0.005", "USD")
        ),
        ("lines[1]", "expected a (service, description) pair, got 'x'"): lambda: _pay(START, lines=[("a", "b"), "x"]),
        ("lines[0]", "expected a (service, description) pair, got ('a', 1)"): lambda: _pay(START, lines=[("a", 1)]),
        ("lines[0]", "expected a (service, description) pair, got ('a', 'b', 'c')"): lambda: _pay(
            START, lines=[("a", "b", "c")]
        ),
        ("due", "the payment is due 2027-01-04, before it is invoiced 2027-01-05"): lambda: _pay(
            START, invoice_date=date(2027, 1, 5)
        ),
        ("milestone", "a milestone payment names the milestone it is paid on"): lambda: _pay(
            START, kind=PaymentKind.MILESTONE
        ),
        ("milestone", "a holdback-release payment names the milestone it is paid on"): lambda: _pay(
            START, kind=PaymentKind.HOLDBACK_RELEASE
        ),
        ("payments[0]", "expected Payment, got 1"): lambda: PaymentSchedule(
            currency="USD", contract_start=START, payments=_any([1])
        ),
        ("payments[1]", UNSORTED): lambda: PaymentSchedule(
            currency="USD", contract_start=START, payments=[_pay(date(2027, 2, 4)), _pay(START)]
        ),
        ("payments[0].invoice_date", "invoiced 2027-01-03, before the contract starts on 2027-01-04"): lambda: (
            PaymentSchedule(currency="USD", contract_start=START, payments=[_pay(date(2027, 1, 3))])
        ),
        ("payments", "holdback released 0 USD differs from holdback retained 10.00 USD"): lambda: PaymentSchedule(
            currency="USD", contract_start=START, payments=[_pay(START, retained=Money("10.00", "USD"))]
        ),
        ("annual_rate", "expected a rate above -1, got -1"): lambda: PaymentSchedule(
            currency="USD", contract_start=START
        ).npv("-1", START),
    }
    for expected, build in checks.items():
        with pytest.raises(ValidationError) as caught:
            build()
        assert _problem(caught.value) == expected


def test_a_payment_in_another_currency_is_refused():
    euro = Payment(
        due=START, invoice_date=START, amount=Money("1.00", "EUR"), kind=PaymentKind.SERVICE_PERIOD, description="x"
    )
    with pytest.raises(ValidationError) as caught:
        PaymentSchedule(currency="USD", contract_start=START, payments=[euro])
    assert _problem(caught.value) == (
        "payments[0].amount",
        f"expected an amount in USD, the schedule's currency, got {euro}",
    )
    with pytest.raises(CurrencyMismatchError) as mismatch:
        _pay(START, retained=Money("1.00", "EUR"))
    assert str(mismatch.value) == "cannot hold back USD and EUR: convert one currency with an FxTable first"


def test_npv_refuses_a_datetime_and_a_float():
    schedule = PaymentSchedule(currency="USD", contract_start=START, payments=[_pay(START)])
    moment = datetime(2027, 1, 4, 12, 0)  # noqa: DTZ001 - a naive datetime on purpose
    with pytest.raises(ValidationError) as caught:
        schedule.npv("0.1", moment)
    assert _problem(caught.value) == ("valuation_date", f"expected a date like 2027-01-04, got {moment!r}")
    with pytest.raises(InvalidAmountError) as floated:
        schedule.npv(_any(0.1), START)
    assert "give the annual rate as text" in floated.value.reason


def test_npv_discounts_and_compounds_by_act_365():
    schedule = PaymentSchedule(
        currency="USD",
        contract_start=START,
        payments=[_pay(START, "1100.00"), _pay(START + timedelta(days=365), "1100.00")],
    )
    assert schedule.npv("0.10", START) == Money("2100.00", "USD")
    assert schedule.npv("0.10", START + timedelta(days=365)) == Money("2310.00", "USD")
    assert schedule.npv(0, START) == Money("2200.00", "USD")


def test_roll_ups_by_month_and_cumulative():
    payments = [_pay(date(2027, 1, 31), "100.00"), _pay(date(2027, 3, 1), "50.00"), _pay(date(2027, 3, 31), "25.00")]
    schedule = PaymentSchedule(currency="USD", contract_start=START, payments=payments)
    usd = lambda amount: Money(amount, "USD")  # noqa: E731 - a short local helper
    assert schedule.by_month() == {date(2027, 1, 1): usd("100.00"), date(2027, 3, 1): usd("75.00")}
    assert list(schedule.by_month()) == [date(2027, 1, 1), date(2027, 3, 1)]
    assert schedule.cumulative() == {date(2027, 1, 1): usd("100.00"), date(2027, 3, 1): usd("175.00")}
    assert schedule.total == usd("175.00")
    assert month_start(date(2027, 3, 31)) == date(2027, 3, 1)
    assert payments[1].sort_key == (date(2027, 3, 1), "Services 2027-03-01")


def test_holdback_released_equals_retained():
    retained = _pay(START, "90.00", retained=Money("10.00", "USD"))
    release = _pay(
        date(2027, 6, 1), "10.00", kind=PaymentKind.HOLDBACK_RELEASE, milestone=Milestone.CLINICAL_STUDY_REPORT
    )
    schedule = PaymentSchedule(currency="USD", contract_start=START, payments=[retained, release])
    assert schedule.holdback_retained == Money("10.00", "USD")
    assert schedule.total == Money("100.00", "USD")


def test_lines_are_kept_as_tuples_of_pairs():
    assert _pay(START, lines=[["crokit:biostatistics", "SAP"]]).lines == (("crokit:biostatistics", "SAP"),)
    pairs = (("crokit:biostatistics", "SAP"),)
    assert _pay(START, lines=pairs).lines is pairs


def test_a_schedule_shows_as_records_tables_and_a_dataframe():
    schedule = PaymentSchedule(currency="USD", contract_start=START, payments=[_pay(START)])
    records = schedule.to_records()
    assert [(r["description"], r["amount"]) for r in records] == [("Services 2027-01-04", "900.00")]
    assert "Services 2027-01-04" in schedule._repr_markdown_()
    assert "<table" in schedule._repr_html_()
    assert schedule.to_dataframe()["amount"].tolist() == [Decimal("900.00")]
    assert schedule.to_dataframe(numeric="float")["amount"].tolist() == [900.0]


# Second round: survivors of the first full run of payments.py -----------------------------


def test_a_payment_kind_may_be_given_as_text():
    assert _pay(START, kind="service-period").kind is PaymentKind.SERVICE_PERIOD
    assert _pay(START, kind="pass-through").kind is PaymentKind.PASS_THROUGH


@pytest.mark.parametrize("lines", [((1, "a"),), (("a", 1),), ((1, 2),), (("a", "b", "c"),), (["a", "b"],)])
def test_a_tuple_of_lines_that_are_not_text_pairs_is_checked_too(lines: Any):
    """A tuple is taken as it is only when every key is a tuple of two texts; anything else is checked pair by pair."""
    if lines == (["a", "b"],):  # a list pair is converted, not refused
        assert _pay(START, lines=lines).lines == (("a", "b"),)
        return
    with pytest.raises(ValidationError) as caught:
        _pay(START, lines=lines)
    assert _problem(caught.value) == ("lines[0]", f"expected a (service, description) pair, got {lines[0]!r}")


def test_a_float_dataframe_holds_floats():
    """``Decimal("900.00") == 900.0`` in Python, so the type is what tells the two views apart."""
    schedule = PaymentSchedule(currency="USD", contract_start=START, payments=[_pay(START)])
    assert [type(v) for v in schedule.to_dataframe(numeric="float")["amount"]] == [float]
    assert [type(v) for v in schedule.to_dataframe()["amount"]] == [Decimal]


def test_month_index_counts_calendar_months_from_the_start_month():
    assert month_index(START, START) == 0
    assert month_index(START, date(2027, 1, 31)) == 0
    assert month_index(START, date(2028, 3, 1)) == 14
    assert month_index(date(2027, 11, 30), date(2027, 2, 1)) == -9
    assert month_index(date(2026, 12, 1), date(2029, 1, 1)) == 25


def test_two_payments_with_the_same_due_date_and_description_are_in_order():
    """Sorted means no payment before the previous one; an equal key (two equal invoices) is allowed."""
    twice = [_pay(START), _pay(START)]
    schedule = PaymentSchedule(currency="USD", contract_start=START, payments=twice)
    assert schedule.payments == tuple(twice)
