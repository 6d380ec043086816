"""Tests written to kill the mutants of crokit.schedule.build that survived the schedule tests.

Budgets are built line by line (no pricing), so each test states exactly which lines an
invoice holds; every expected date and amount below is worked out by hand in the comments.
See mutation/results-schedule-build.md for the mutants each test kills.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest

from crokit import Milestone, Money, Stage, ValidationError
from crokit.pricing import Budget, CostBucket, FixedFee, InvestigatorGrants, LineItem, MilestonePayment, PricingKind
from crokit.schedule import BillingFrequency, BillingTerms, MilestonePlan, PaymentKind, PaymentSchedule, build_schedule

START = date(2027, 1, 15)
FPI, DBL, CSR = Milestone.FIRST_PATIENT_IN, Milestone.DATABASE_LOCK, Milestone.CLINICAL_STUDY_REPORT
PLAN = MilestonePlan(dates={FPI: date(2027, 2, 10), DBL: date(2027, 6, 10), CSR: date(2027, 8, 20)})
REPORT = "crokit:clinical-study-report"


def _any(value: object) -> Any:
    """*value*, typed as anything: these tests pass wrong types on purpose."""
    return value


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def line(
    amount: str,
    months: tuple[int, ...],
    *,
    description: str = "Monitoring",
    service: str = "crokit:on-site-monitoring",
    kind: PricingKind = PricingKind.UNIT,
    bucket: CostBucket = CostBucket.CRO_DIRECT_FEES,
) -> LineItem:
    """A line of *amount* USD (one unit at that price) spread over *months*."""
    return LineItem(
        service=service,
        stage=Stage.PHASE_2,
        kind=kind,
        bucket=bucket,
        description=description,
        basis=None,
        quantity=Decimal(1),
        unit_price=usd(amount),
        amount=usd(amount),
        months=months,
        derivation="written by hand",
    )


def fee_line(amount: str, milestone: Milestone, *, description: str = "Report") -> LineItem:
    return line(
        amount, (0,), description=f"{description}: {milestone.label}", service=REPORT, kind=PricingKind.FIXED_FEE
    )


def schedule(*lines: LineItem, **terms: Any) -> PaymentSchedule:
    return build_schedule(
        Budget(currency="USD", lines=lines), contract_start=START, milestones=PLAN, terms=BillingTerms(**terms)
    )


def rows(built: PaymentSchedule) -> list[tuple[str, str, str, str, str | None, str | None]]:
    """Each payment as (invoice date, due date, description, amount, retained, milestone)."""
    return [
        (
            str(p.invoice_date),
            str(p.due),
            p.description,
            str(p.amount.amount),
            None if p.retained is None else str(p.retained.amount),
            None if p.milestone is None else p.milestone.value,
        )
        for p in built.payments
    ]


def _problem(error: ValidationError) -> tuple[str, str]:
    assert len(error.problems) == 1
    return error.problems[0].path, error.problems[0].message


# -- refusals ------------------------------------------------------------------------------

REPORT_FEE = FixedFee(
    service=REPORT,
    stage=Stage.PHASE_2,
    fee=usd("100.00"),
    description="Report",
    milestones=(MilestonePayment(milestone=FPI, share="0.30"), MilestonePayment(milestone=CSR, share="0.70")),
)
REPORT_LINES = (fee_line("30.00", FPI), fee_line("70.00", CSR))


def _build(**changes: Any) -> Callable[[], object]:
    arguments: dict[str, Any] = {
        "budget": Budget(currency="USD", lines=REPORT_LINES),
        "contract_start": START,
        "milestones": PLAN,
        "terms": BillingTerms(),
    }
    arguments.update(changes)
    return lambda: build_schedule(**arguments)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (_build(budget="budget"), ("budget", "expected a Budget, got 'budget'")),
        (
            _build(contract_start="2027-01-15"),
            ("contract_start", "expected a date like 2027-01-04, got '2027-01-15'"),
        ),
        (
            _build(contract_start=datetime(2027, 1, 15)),  # noqa: DTZ001 - a naive datetime on purpose
            ("contract_start", "expected a date like 2027-01-04, got datetime.datetime(2027, 1, 15, 0, 0)"),
        ),
        (_build(milestones=[(FPI, START)]), ("milestones", f"expected a MilestonePlan, got {[(FPI, START)]!r}")),
        (_build(terms=None), ("terms", "expected BillingTerms, got None")),
        (_build(fixed_fees=[REPORT_FEE, 5]), ("fixed_fees[1]", "expected a FixedFee, got 5")),
        (_build(grants=["grants"]), ("grants[0]", "expected InvestigatorGrants, got 'grants'")),
        (
            _build(
                budget=Budget(currency="USD", lines=(*REPORT_LINES, line("5.00", (0,), kind=PricingKind.FIXED_FEE)))
            ),
            (
                "budget.lines[2].description",
                "a fixed-fee line's description ends with the label of its milestone, got 'Monitoring'",
            ),
        ),
        (
            _build(budget=Budget(currency="USD", lines=(fee_line("30.00", FPI),)), fixed_fees=[REPORT_FEE]),
            (
                "fixed_fees[0].milestones[1]",
                (
                    f"the budget has no fixed-fee line of {REPORT} paying 70.00 USD on Clinical study report: "
                    "price the fee into the budget first"
                ),
            ),
        ),
    ],
)
def test_each_refusal_has_its_path_and_message(build: Callable[[], object], expected: tuple[str, str]) -> None:
    with pytest.raises(ValidationError) as caught:
        build()
    assert _problem(caught.value) == expected


# -- invoices: periods, advance billing, pass-through ----------------------------------------

PASS_THROUGH: dict[str, Any] = {
    "service": "crokit:edc",
    "kind": PricingKind.PASS_THROUGH,
    "bucket": CostBucket.PASS_THROUGH,
}


def test_quarterly_fees_in_advance_are_held_back_and_pass_through_is_billed_monthly_in_arrears() -> None:
    built = schedule(
        line("300.00", (0, 1, 2)),  # January to March 2027: the first quarter
        line("90.00", (1, 2, 3), description="Couriers", **PASS_THROUGH),  # 30.00 in February, March, April
        frequency=BillingFrequency.QUARTERLY,
        in_arrears=False,
        holdback_share="0.10",
    )
    assert rows(built) == [
        # The quarter starts 1 January, before the contract: invoiced on the start day, net 30; 10% kept.
        ("2027-01-15", "2027-02-14", "Services 2027-Q1", "270.00", "30.00", None),
        # Pass-through costs: never in advance, never held back, at the end of each month.
        ("2027-02-28", "2027-03-30", "Pass-through costs 2027-02", "30.00", None, None),
        ("2027-03-31", "2027-04-30", "Pass-through costs 2027-03", "30.00", None, None),
        ("2027-04-30", "2027-05-30", "Pass-through costs 2027-04", "30.00", None, None),
        (
            "2027-08-20",
            "2027-09-19",
            "Holdback release on Clinical study report",
            "30.00",
            None,
            "clinical-study-report",
        ),
    ]
    assert [p.kind for p in built.payments] == [
        PaymentKind.SERVICE_PERIOD,
        *[PaymentKind.PASS_THROUGH] * 3,
        PaymentKind.HOLDBACK_RELEASE,
    ]
    assert built.payments[0].lines == (("crokit:on-site-monitoring", "Monitoring"),)
    assert built.payments[1].lines == (("crokit:edc", "Couriers"),)
    assert built.payments[-1].lines == ()


def test_pass_through_not_billed_as_incurred_follows_the_billing_frequency() -> None:
    built = schedule(
        line("300.00", (0, 1, 2)),
        line("90.00", (1, 2, 3), description="Couriers", **PASS_THROUGH),
        frequency=BillingFrequency.QUARTERLY,
        pass_through_as_incurred=False,
    )
    assert rows(built) == [
        ("2027-03-31", "2027-04-30", "Pass-through costs 2027-Q1", "60.00", None, None),
        ("2027-03-31", "2027-04-30", "Services 2027-Q1", "300.00", None, None),
        ("2027-06-30", "2027-07-30", "Pass-through costs 2027-Q2", "30.00", None, None),
    ]


def test_monthly_fees_in_advance_are_invoiced_on_the_first_of_each_month_after_the_start() -> None:
    built = schedule(line("300.00", (0, 1, 2)), in_arrears=False, payment_days=0)
    assert rows(built) == [
        ("2027-01-15", "2027-01-15", "Services 2027-01", "100.00", None, None),
        ("2027-02-01", "2027-02-01", "Services 2027-02", "100.00", None, None),
        ("2027-03-01", "2027-03-01", "Services 2027-03", "100.00", None, None),
    ]


def test_each_quarter_of_a_year_is_named_and_invoiced_at_its_end() -> None:
    built = schedule(line("1200.00", tuple(range(12))), frequency=BillingFrequency.QUARTERLY)
    assert [(str(p.invoice_date), p.description, str(p.amount.amount)) for p in built.payments] == [
        ("2027-03-31", "Services 2027-Q1", "300.00"),
        ("2027-06-30", "Services 2027-Q2", "300.00"),
        ("2027-09-30", "Services 2027-Q3", "300.00"),
        ("2027-12-31", "Services 2027-Q4", "300.00"),
    ]


def test_an_invoice_that_sums_to_zero_is_left_out() -> None:
    """A discount that cancels a month's fees leaves no invoice for that month, not one of 0.00."""
    discount = line("-100.00", (1,), description="Discount", kind=PricingKind.ADJUSTMENT)
    built = schedule(line("300.00", (0, 1, 2)), discount)
    assert [(p.description, str(p.amount.amount)) for p in built.payments] == [
        ("Services 2027-01", "100.00"),
        ("Services 2027-03", "100.00"),
    ]


def test_a_negative_invoice_keeps_back_a_negative_share() -> None:
    """A month that is all discount is a credit; the holdback keeps back 10% of it, with its sign."""
    discount = line("-50.00", (2,), description="Discount", kind=PricingKind.ADJUSTMENT)
    built = schedule(line("200.00", (0, 1)), discount, holdback_share="0.10")
    assert [(p.description, str(p.amount.amount), p.retained and str(p.retained.amount)) for p in built.payments] == [
        ("Services 2027-01", "90.00", "10.00"),
        ("Services 2027-02", "90.00", "10.00"),
        ("Services 2027-03", "-45.00", "-5.00"),
        ("Holdback release on Clinical study report", "15.00", None),
    ]
    assert built.total == usd("150.00")


def test_a_holdback_share_with_more_places_keeps_its_exact_proportion() -> None:
    """7.5% of 1000.01 is 75.00075: the kept part rounds to 75.00 and the payment is the rest."""
    built = schedule(line("1000.01", (0,)), holdback_share="0.075")
    assert [(str(p.amount.amount), p.retained and str(p.retained.amount)) for p in built.payments] == [
        ("925.01", "75.00"),
        ("75.00", None),
    ]


# -- fixed fees and holdback release -------------------------------------------------------


def test_fixed_fee_lines_are_paid_on_their_milestones_and_held_back_when_they_are_fees() -> None:
    pass_through_fee = line(
        "40.00", (0,), description=f"Travel: {DBL.label}", kind=PricingKind.FIXED_FEE, bucket=CostBucket.PASS_THROUGH
    )
    built = schedule(*REPORT_LINES, pass_through_fee, holdback_share="0.10")
    assert rows(built) == [
        ("2027-02-10", "2027-03-12", "Report: First patient in", "27.00", "3.00", "first-patient-in"),
        ("2027-06-10", "2027-07-10", "Travel: Database lock", "40.00", None, "database-lock"),
        (
            "2027-08-20",
            "2027-09-19",
            "Holdback release on Clinical study report",
            "10.00",
            None,
            "clinical-study-report",
        ),
        ("2027-08-20", "2027-09-19", "Report: Clinical study report", "63.00", "7.00", "clinical-study-report"),
    ]
    assert [p.kind for p in built.payments] == [
        PaymentKind.MILESTONE,
        PaymentKind.MILESTONE,
        PaymentKind.HOLDBACK_RELEASE,
        PaymentKind.MILESTONE,
    ]
    assert built.payments[0].lines == ((REPORT, "Report: First patient in"),)


def test_a_fixed_fee_line_of_zero_is_not_paid() -> None:
    built = schedule(fee_line("0.00", FPI), fee_line("70.00", CSR))
    assert [p.description for p in built.payments] == ["Report: Clinical study report"]


def test_payments_with_the_same_due_date_and_description_are_ordered_by_their_lines() -> None:
    """Two services' fees named alike on one milestone: the line keys break the tie, whatever the budget's order."""
    second = line(
        "20.00", (0,), description=f"Report: {FPI.label}", service="crokit:biostatistics", kind=PricingKind.FIXED_FEE
    )
    built = schedule(fee_line("30.00", FPI), second)
    assert [p.lines for p in built.payments] == [
        (("crokit:biostatistics", "Report: First patient in"),),
        ((REPORT, "Report: First patient in"),),
    ]


def test_the_release_waits_for_the_last_invoice_that_retained_something() -> None:
    """The report is planned in August, but fees are held back until December: released with the last one."""
    built = schedule(line("1200.00", tuple(range(12))), holdback_share="0.10", frequency=BillingFrequency.QUARTERLY)
    (release,) = [p for p in built.payments if p.kind is PaymentKind.HOLDBACK_RELEASE]
    assert (release.description, release.invoice_date, release.amount) == (
        "Holdback release on Clinical study report",
        date(2027, 12, 31),
        usd("120.00"),
    )


# -- investigator-grants holdback ------------------------------------------------------------

GRANTS: dict[str, Any] = {
    "service": "crokit:investigator-grants",
    "kind": PricingKind.GRANTS,
    "bucket": CostBucket.INVESTIGATOR_GRANTS,
}
HELD = "Patient visits (10% held back to close-out)"


def grants_model(share: str, currency: str = "USD") -> InvestigatorGrants:
    nothing = Money("0", currency)
    return InvestigatorGrants(
        stage=Stage.PHASE_2,
        fee_per_visit=nothing,
        screen_failure_fee=nothing,
        early_termination_fee=nothing,
        startup_fee_per_site=nothing,
        holdback_share=share,
    )


def with_grants(
    lines: tuple[LineItem, ...], models: list[Any], plan: MilestonePlan = PLAN, **terms: Any
) -> PaymentSchedule:
    return build_schedule(
        Budget(currency="USD", lines=lines),
        contract_start=START,
        milestones=plan,
        terms=BillingTerms(**terms),
        grants=models,
    )


GRANT_LINES = (
    line("100.00", (1, 2, 3), description=HELD, **GRANTS),  # 33.34, 33.33, 33.33 from February
    line("25.00", (1,), description="Site start-up", **GRANTS),  # not held back
    line("300.00", (0, 1, 2)),
)


def test_the_grants_holdback_is_retained_from_the_held_lines_and_released_on_database_lock() -> None:
    built = with_grants(GRANT_LINES, [grants_model("0.10")], holdback_share="0.05")
    # 10% of 100.00 is 10.00, spread like the line: 3.34, 3.33, 3.33. The terms' 5% holdback
    # keeps 5.00 of each services invoice and never touches the grants.
    assert rows(built) == [
        ("2027-01-31", "2027-03-02", "Services 2027-01", "95.00", "5.00", None),
        ("2027-02-28", "2027-03-30", "Pass-through costs 2027-02", "55.00", "3.34", None),
        ("2027-02-28", "2027-03-30", "Services 2027-02", "95.00", "5.00", None),
        ("2027-03-31", "2027-04-30", "Pass-through costs 2027-03", "30.00", "3.33", None),
        ("2027-03-31", "2027-04-30", "Services 2027-03", "95.00", "5.00", None),
        ("2027-04-30", "2027-05-30", "Pass-through costs 2027-04", "30.00", "3.33", None),
        (
            "2027-06-10",
            "2027-07-10",
            "Investigator grants held back, released on Database lock",
            "10.00",
            None,
            "database-lock",
        ),
        (
            "2027-08-20",
            "2027-09-19",
            "Holdback release on Clinical study report",
            "15.00",
            None,
            "clinical-study-report",
        ),
    ]
    assert built.payments[1].kind is PaymentKind.PASS_THROUGH
    assert built.payments[6].kind is PaymentKind.HOLDBACK_RELEASE
    assert built.payments[1].lines == (
        ("crokit:investigator-grants", HELD),
        ("crokit:investigator-grants", "Site start-up"),
    )


def test_grants_models_without_a_holdback_retain_nothing() -> None:
    # (a model in another currency holds back its share of its converted lines:
    # tests/schedule/test_grant_models.py)
    for model in (grants_model("0"),):
        built = with_grants(GRANT_LINES, [model])
        assert [p.retained for p in built.payments] == [None] * 6
        assert [str(p.amount.amount) for p in built.payments if p.kind is PaymentKind.PASS_THROUGH] == [
            "58.34",
            "33.33",
            "33.33",
        ]


def test_a_grants_holdback_that_rounds_to_nothing_needs_no_release_date() -> None:
    """10% of 0.04 is 0.004, 0.00 to the cent: nothing is retained, so database lock need not be planned."""
    tiny = (line("0.04", (1,), description=HELD, **GRANTS),)
    built = with_grants(tiny, [grants_model("0.10")], plan=MilestonePlan(dates={FPI: date(2027, 2, 10)}))
    assert rows(built) == [("2027-02-28", "2027-03-30", "Pass-through costs 2027-02", "0.04", None, None)]


def test_the_grants_release_waits_for_the_last_invoice_that_retained_something() -> None:
    """Database lock is planned for 10 June, but the held visits run to July: released on 31 July."""
    long = (line("60.00", (1, 2, 3, 4, 5, 6), description=HELD, **GRANTS),)
    built = with_grants(long, [grants_model("0.10")])
    (release,) = [p for p in built.payments if p.kind is PaymentKind.HOLDBACK_RELEASE]
    assert (release.kind, release.invoice_date, release.amount, release.milestone) == (
        PaymentKind.HOLDBACK_RELEASE,
        date(2027, 7, 31),
        usd("6.00"),
        DBL,
    )
    assert [str(p.retained.amount) for p in built.payments if p.retained is not None] == ["1.00"] * 6


# -- survivors of the first run -------------------------------------------------------------


def test_holdbacks_that_cancel_out_release_nothing() -> None:
    """10.00 kept from January's fees and -10.00 from February's credit: no release payment of 0.00."""
    credit = line("-100.00", (1,), description="Credit", kind=PricingKind.ADJUSTMENT)
    built = schedule(line("100.00", (0,)), credit, holdback_share="0.10")
    assert [(p.description, str(p.amount.amount), p.retained and str(p.retained.amount)) for p in built.payments] == [
        ("Services 2027-01", "90.00", "10.00"),
        ("Services 2027-02", "-90.00", "-10.00"),
    ]


def _fee(*payments: tuple[Milestone, str], service: str = REPORT, description: str = "") -> FixedFee:
    return FixedFee(
        service=service,
        stage=Stage.PHASE_2,
        fee=usd("100.00"),
        description=description,
        milestones=tuple(MilestonePayment(milestone=m, share=share) for m, share in payments),
    )


@pytest.mark.parametrize(
    ("fee", "budget_line"),
    [
        # The same service and amount, another milestone.
        (_fee((DBL, "1")), fee_line("100.00", FPI)),
        # The same milestone and amount, another service.
        (_fee((FPI, "1"), service="crokit:biostatistics"), fee_line("100.00", FPI)),
        # The same service and milestone, another amount.
        (_fee((FPI, "1")), fee_line("90.00", FPI)),
        # A fee with a description finds only the line it writes: "Report: First patient in".
        (_fee((FPI, "1"), description="Report"), fee_line("100.00", FPI, description="Other")),
    ],
)
def test_a_fee_is_found_only_in_a_line_of_its_service_milestone_amount_and_description(
    fee: FixedFee, budget_line: LineItem
) -> None:
    with pytest.raises(ValidationError) as caught:
        build_schedule(
            Budget(currency="USD", lines=(budget_line,)),
            contract_start=START,
            milestones=PLAN,
            terms=BillingTerms(),
            fixed_fees=[fee],
        )
    assert _problem(caught.value)[0] == "fixed_fees[0].milestones[0]"


def test_fees_found_in_the_budget_are_accepted() -> None:
    lines = (*REPORT_LINES, line("5.00", (0,)))  # a line that is not a fixed fee comes first in no order
    for fees in ([REPORT_FEE], [_fee((FPI, "0.30"), (CSR, "0.70"))], [REPORT_FEE, REPORT_FEE]):
        built = build_schedule(
            Budget(currency="USD", lines=(lines[2], *lines[:2])),
            contract_start=START,
            milestones=PLAN,
            terms=BillingTerms(),
            fixed_fees=fees,
        )
        assert [(p.description, str(p.amount.amount)) for p in built.payments] == [
            ("Services 2027-01", "5.00"),
            ("Report: First patient in", "30.00"),
            ("Report: Clinical study report", "70.00"),
        ]


def test_every_grants_model_is_read_even_after_one_that_retains_nothing() -> None:
    """The first model is of another service (none of its lines in the budget); the second holds back 10%."""
    other = attrs.evolve(grants_model("0.10"), service="crokit:patient-travel")
    for models in ([grants_model("0"), grants_model("0.10")], [other, grants_model("0.10")]):
        built = with_grants(GRANT_LINES, models)
        assert [str(p.retained.amount) for p in built.payments if p.retained is not None] == ["3.34", "3.33", "3.33"]


def test_a_grants_holdback_of_single_minor_units_is_retained() -> None:
    """Half of 0.03 is 0.015, 0.02 half-even: one cent is kept from each of the first two months of 0.01."""
    held = (line("0.03", (1, 2, 3), description=HELD, **GRANTS),)
    built = with_grants(held, [grants_model("0.5")])
    assert [(p.description, str(p.amount.amount), p.retained and str(p.retained.amount)) for p in built.payments] == [
        ("Pass-through costs 2027-02", "0.00", "0.01"),
        ("Pass-through costs 2027-03", "0.00", "0.01"),
        ("Pass-through costs 2027-04", "0.01", None),
        ("Investigator grants held back, released on Database lock", "0.02", None),
    ]


def test_a_grants_holdback_in_yen_is_kept_in_whole_yen() -> None:
    """Yen have no minor unit: 10% of 3000 yen over three months keeps 100 yen a month, 300 released."""
    held = LineItem(
        service="crokit:investigator-grants",
        stage=Stage.PHASE_2,
        kind=PricingKind.GRANTS,
        bucket=CostBucket.INVESTIGATOR_GRANTS,
        description=HELD,
        basis=None,
        quantity=Decimal(1),
        unit_price=Money("3000", "JPY"),
        amount=Money("3000", "JPY"),
        months=(1, 2, 3),
        derivation="written by hand",
    )
    built = build_schedule(
        Budget(currency="JPY", lines=(held,)),
        contract_start=START,
        milestones=PLAN,
        terms=BillingTerms(),
        grants=[grants_model("0.10", "JPY")],
    )
    assert [(str(p.amount.amount), p.retained and str(p.retained.amount)) for p in built.payments] == [
        ("900", "100"),
        ("900", "100"),
        ("900", "100"),
        ("300", None),
    ]


def test_a_holdback_on_fees_in_yen_keeps_whole_yen() -> None:
    """10% of 1004 yen is 100.4: 100 yen kept and 904 paid, whole yen both."""
    fees = LineItem(
        service="crokit:on-site-monitoring",
        stage=Stage.PHASE_2,
        kind=PricingKind.UNIT,
        bucket=CostBucket.CRO_DIRECT_FEES,
        description="Monitoring",
        basis=None,
        quantity=Decimal(1),
        unit_price=Money("1004", "JPY"),
        amount=Money("1004", "JPY"),
        months=(0,),
        derivation="written by hand",
    )
    built = build_schedule(
        Budget(currency="JPY", lines=(fees,)),
        contract_start=START,
        milestones=PLAN,
        terms=BillingTerms(holdback_share="0.10"),
    )
    assert [(str(p.amount.amount), p.retained and str(p.retained.amount)) for p in built.payments] == [
        ("904", "100"),
        ("100", None),
    ]


def test_what_each_grants_model_holds_back_is_retained_even_from_the_same_line() -> None:
    """Two models of one service both hold the line back: 10% and 5% of 100.00, 15.00 retained in all.

    The builder retains what each model says it holds back (``InvestigatorGrants.holdback``),
    added up where two models hold the same line.
    """
    held = (line("100.00", (1,), description=HELD, **GRANTS),)
    models = [grants_model("0.10"), grants_model("0.05")]
    built = with_grants(held, models)
    assert [(p.description, str(p.amount.amount), p.retained and str(p.retained.amount)) for p in built.payments] == [
        ("Pass-through costs 2027-02", "85.00", "15.00"),
        ("Investigator grants held back, released on Database lock", "15.00", None),
    ]
    assert sum((model.holdback(Budget(currency="USD", lines=held)) for model in models), usd("0")) == usd("15.00")


def test_a_holdback_share_longer_than_crokits_34_digits_is_applied_exactly() -> None:
    """A share just below one half keeps nothing of one cent; rounded to 34 digits it would be one half and keep it."""
    share = "0." + "4" + "9" * 36  # 37 significant digits
    built = schedule(line("0.01", (0,)), holdback_share=share)
    assert [(str(p.amount.amount), p.retained) for p in built.payments] == [("0.01", None)]
    built = schedule(line("0.01", (0,)), holdback_share="0.5")
    assert [(str(p.amount.amount), p.retained and str(p.retained.amount)) for p in built.payments] == [
        ("0.00", "0.01"),
        ("0.01", None),
    ]


def test_two_grants_models_of_one_service_each_retain_only_their_own_lines() -> None:
    """Cohorts A and B each hold back 10% of their own 100.00 of visits: 20.00 in all, not 40.00."""
    lines = (
        line("100.00", (1,), description="Cohort A: patient visits (10% held back to close-out)", **GRANTS),
        line("100.00", (1,), description="Cohort B: patient visits (10% held back to close-out)", **GRANTS),
    )
    models = [attrs.evolve(grants_model("0.10"), description=name) for name in ("Cohort A", "Cohort B")]
    built = with_grants(lines, models)
    assert [str(p.retained.amount) for p in built.payments if p.retained is not None] == ["20.00"]
