"""Payment schedules: hand-worked examples, refusals with paths, and round trips."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

import pytest

from crokit import CrokitError, InvalidAmountError, Milestone, Money, Registry, Stage, Study, UnitBasis, ValidationError
from crokit.money import total
from crokit.pricing import (
    Assumptions,
    Budget,
    CostDrivers,
    FixedFee,
    MilestonePayment,
    PassThrough,
    PricingModel,
    Proposal,
    UnitPrice,
    derive_drivers,
)
from crokit.schedule import (
    BillingFrequency,
    BillingTerms,
    CashFlowRow,
    MilestoneDate,
    MilestonePlan,
    Payment,
    PaymentKind,
    PaymentSchedule,
    billing_period,
    build_schedule,
    cash_flow,
)
from crokit.serialization import FORMATS, dumps, loads

REGISTRY = Registry.builtin()


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def study_and_drivers(start: date, **months: int) -> tuple[Study, CostDrivers]:
    study = Study(
        name="RD-201",
        phase=Stage.PHASE_2,
        therapeutic_area="crokit:rare-disease",
        indication="Fabry disease",
        planned_patients=20,
        sites=2,
        countries=("US",),
        start_date=start,
        currency="USD",
    )
    assumptions = Assumptions(
        startup_months=months["startup_months"],
        enrolment_months=months["enrolment_months"],
        treatment_months=months["treatment_months"],
        closeout_months=months["closeout_months"],
        monitoring_interval_weeks=6,
        tables_listings_figures=10,
        crf_pages_per_visit_default=10,
    )
    return study, derive_drivers(study, assumptions)


def priced(start: date, items: tuple[PricingModel, ...], **months: int) -> Budget:
    study, drivers = study_and_drivers(start, **months)
    return Proposal(cro_id="helix-cro", currency="USD", items=items).price(study, drivers, registry=REGISTRY)


def per_month(rate: str) -> UnitPrice:
    return UnitPrice(
        service="crokit:project-management", stage=Stage.PHASE_2, basis=UnitBasis.PER_MONTH, rate=usd(rate)
    )


def plan(**dates: date) -> MilestonePlan:
    return MilestonePlan(dates=tuple((Milestone[name.upper()], day) for name, day in dates.items()))


def brief(schedule: PaymentSchedule) -> list[tuple[str, str, str, str]]:
    return [(str(p.invoice_date), str(p.due), str(p.amount), p.kind.value) for p in schedule.payments]


class TestThreeMonthsMonthlyWithHoldback:
    """Project management at 10000.00 a month for 3 months, billed monthly in arrears, net 30, 10% held back."""

    START = date(2027, 1, 15)

    @pytest.fixture
    def schedule(self) -> PaymentSchedule:
        budget = priced(self.START, (per_month("10000.00"),), startup_months=1, enrolment_months=1,
                        treatment_months=1, closeout_months=0)  # fmt: skip
        assert budget.total == usd("30000.00")
        return build_schedule(
            budget,
            contract_start=self.START,
            milestones=plan(clinical_study_report=date(2027, 5, 20)),
            terms=BillingTerms(holdback_share=Decimal("0.10")),
        )

    def test_payments(self, schedule):
        assert brief(schedule) == [
            ("2027-01-31", "2027-03-02", "9000.00 USD", "service-period"),
            ("2027-02-28", "2027-03-30", "9000.00 USD", "service-period"),
            ("2027-03-31", "2027-04-30", "9000.00 USD", "service-period"),
            ("2027-05-20", "2027-06-19", "3000.00 USD", "holdback-release"),
        ]
        assert [p.retained for p in schedule.payments] == [usd("1000.00")] * 3 + [None]
        assert schedule.payments[-1].milestone is Milestone.CLINICAL_STUDY_REPORT
        assert schedule.payments[0].lines == (("crokit:project-management", "Project management (per-month)"),)

    def test_totals_and_roll_ups(self, schedule):
        assert schedule.total == usd("30000.00")
        assert schedule.holdback_retained == usd("3000.00")
        assert schedule.by_month() == {
            date(2027, 3, 1): usd("18000.00"),
            date(2027, 4, 1): usd("9000.00"),
            date(2027, 6, 1): usd("3000.00"),
        }
        assert list(schedule.cumulative().values()) == [usd("18000.00"), usd("27000.00"), usd("30000.00")]

    def test_cash_flow_includes_empty_months(self, schedule):
        assert cash_flow(schedule) == (
            CashFlowRow(month=date(2027, 3, 1), paid=usd("18000.00"), cumulative=usd("18000.00")),
            CashFlowRow(month=date(2027, 4, 1), paid=usd("9000.00"), cumulative=usd("27000.00")),
            CashFlowRow(month=date(2027, 5, 1), paid=usd("0"), cumulative=usd("27000.00")),
            CashFlowRow(month=date(2027, 6, 1), paid=usd("3000.00"), cumulative=usd("30000.00")),
        )

    def test_release_waits_for_the_last_retention(self):
        budget = priced(self.START, (per_month("10000.00"),), startup_months=1, enrolment_months=1,
                        treatment_months=1, closeout_months=0)  # fmt: skip
        early = build_schedule(
            budget,
            contract_start=self.START,
            milestones=plan(database_lock=date(2027, 2, 10)),
            terms=BillingTerms(holdback_share=Decimal("0.10"), holdback_release=Milestone.DATABASE_LOCK),
        )
        (release,) = [p for p in early.payments if p.kind is PaymentKind.HOLDBACK_RELEASE]
        assert (release.kind, release.invoice_date, release.amount) == (
            PaymentKind.HOLDBACK_RELEASE,
            date(2027, 3, 31),  # not 10 February: the March invoice still retains 1000.00
            usd("3000.00"),
        )


class TestQuarterlyAcrossLeapFebruary:
    """Contract from 31 January 2028: study month 1 is February 2028 (29 days), billed quarterly, net 45."""

    START = date(2028, 1, 31)

    def budget(self) -> Budget:
        return priced(self.START, (per_month("1000.00"),), startup_months=1, enrolment_months=2,
                      treatment_months=1, closeout_months=0)  # fmt: skip

    def test_in_arrears(self):
        schedule = build_schedule(
            self.budget(),
            contract_start=self.START,
            milestones=MilestonePlan(),
            terms=BillingTerms(frequency=BillingFrequency.QUARTERLY, payment_days=45),
        )
        assert brief(schedule) == [
            ("2028-03-31", "2028-05-15", "3000.00 USD", "service-period"),
            ("2028-06-30", "2028-08-14", "1000.00 USD", "service-period"),
        ]
        assert [p.description for p in schedule.payments] == ["Services 2028-Q1", "Services 2028-Q2"]

    def test_in_advance_never_before_the_contract_start(self):
        schedule = build_schedule(
            self.budget(),
            contract_start=self.START,
            milestones=MilestonePlan(),
            terms=BillingTerms(frequency=BillingFrequency.QUARTERLY, in_arrears=False, payment_days=45),
        )
        # Q1 starts 1 January, before the contract: invoiced on 31 January, due 45 days later (29 February counts).
        assert brief(schedule) == [
            ("2028-01-31", "2028-03-16", "3000.00 USD", "service-period"),
            ("2028-04-01", "2028-05-16", "1000.00 USD", "service-period"),
        ]

    def test_month_ends(self):
        assert billing_period(date(2028, 2, 1), BillingFrequency.MONTHLY) == (date(2028, 2, 1), date(2028, 2, 29))
        assert billing_period(date(2027, 2, 14), BillingFrequency.MONTHLY) == (date(2027, 2, 1), date(2027, 2, 28))
        assert billing_period(date(2027, 11, 30), BillingFrequency.QUARTERLY) == (
            date(2027, 10, 1),
            date(2027, 12, 31),
        )


class TestFixedFeeOnMilestones:
    """A 150000.00 report fee paid 20/30/50 on first patient in, last patient out and the report."""

    START = date(2027, 1, 4)
    FEE = FixedFee(
        service="crokit:clinical-study-report",
        stage=Stage.PHASE_2,
        fee=usd("150000.00"),
        milestones=(
            MilestonePayment(milestone=Milestone.FIRST_PATIENT_IN, share="0.20"),
            MilestonePayment(milestone=Milestone.LAST_PATIENT_OUT, share="0.30"),
            MilestonePayment(milestone=Milestone.CLINICAL_STUDY_REPORT, share="0.50"),
        ),
    )
    PLAN = MilestonePlan(
        dates=(
            (Milestone.CLINICAL_STUDY_REPORT, date(2029, 3, 15)),
            (Milestone.FIRST_PATIENT_IN, date(2027, 5, 3)),
            (Milestone.LAST_PATIENT_OUT, date(2028, 10, 31)),
        )
    )
    MONTHS: ClassVar[dict[str, int]] = {
        "startup_months": 4,
        "enrolment_months": 12,
        "treatment_months": 6,
        "closeout_months": 3,
    }

    def test_paid_on_the_planned_dates(self):
        budget = priced(self.START, (self.FEE,), **self.MONTHS)
        schedule = build_schedule(
            budget, contract_start=self.START, milestones=self.PLAN, terms=BillingTerms(), fixed_fees=(self.FEE,)
        )
        assert brief(schedule) == [
            ("2027-05-03", "2027-06-02", "30000.00 USD", "milestone"),
            ("2028-10-31", "2028-11-30", "45000.00 USD", "milestone"),
            ("2029-03-15", "2029-04-14", "75000.00 USD", "milestone"),
        ]
        assert [p.milestone for p in schedule.payments] == [m.milestone for m in self.FEE.milestones]
        assert schedule.total == budget.total == usd("150000.00")

    def test_pass_through_is_never_held_back_and_billed_as_incurred(self):
        grants = PassThrough(service="crokit:investigator-grants", stage=Stage.PHASE_2, estimate=usd("1800.00"))
        budget = priced(self.START, (self.FEE, grants), **self.MONTHS)
        schedule = build_schedule(
            budget,
            contract_start=self.START,
            milestones=self.PLAN,
            terms=BillingTerms(frequency=BillingFrequency.QUARTERLY, holdback_share="0.05"),
        )
        passed = [p for p in schedule.payments if p.kind is PaymentKind.PASS_THROUGH]
        assert len(passed) == 18  # months 4 to 21, one invoice at each month end
        assert passed[0].invoice_date == date(2027, 5, 31)
        assert all(p.retained is None and p.amount == usd("100.00") for p in passed)
        assert schedule.holdback_retained == usd("7500.00")
        assert schedule.total == budget.total

    def test_a_fee_missing_from_the_budget_is_refused(self):
        other = FixedFee(
            service="crokit:clinical-study-report",
            stage=Stage.PHASE_2,
            fee=usd("150000.00"),
            milestones=(MilestonePayment(milestone=Milestone.DATABASE_LOCK, share="1.00"),),
        )
        budget = priced(self.START, (self.FEE,), **self.MONTHS)
        with pytest.raises(ValidationError) as info:
            build_schedule(
                budget, contract_start=self.START, milestones=self.PLAN, terms=BillingTerms(), fixed_fees=(other,)
            )
        assert info.value.problems[0].path == "fixed_fees[0].milestones[0]"


class TestNpv:
    def one(self, due: date, amount: str = "1000.00") -> PaymentSchedule:
        payment = Payment(
            due=due, invoice_date=due, amount=usd(amount), kind=PaymentKind.SERVICE_PERIOD, description="Services"
        )
        return PaymentSchedule(currency="USD", contract_start=date(2027, 1, 1), payments=(payment,))

    def test_act_365(self):
        # 365 days at 10%: 1000.00 / 1.1 = 909.0909..., half-even to 909.09.
        assert self.one(date(2028, 1, 1)).npv("0.10", date(2027, 1, 1)) == usd("909.09")
        # 2028 is a leap year: 366 days is slightly more than one year of discounting.
        assert self.one(date(2029, 1, 1)).npv("0.10", date(2028, 1, 1)) == usd("908.85")

    def test_payments_before_the_valuation_date_are_compounded(self):
        assert self.one(date(2027, 1, 1)).npv("0.10", date(2028, 1, 1)) == usd("1100.00")

    def test_bad_rates(self):
        with pytest.raises(ValidationError) as info:
            self.one(date(2027, 2, 1)).npv("-1", date(2027, 1, 1))
        assert info.value.problems[0].path == "annual_rate"
        with pytest.raises(InvalidAmountError):
            self.one(date(2027, 2, 1)).npv(0.1, date(2027, 1, 1))  # type: ignore[arg-type]


class TestRefusals:
    def test_milestones_out_of_order_are_named(self):
        with pytest.raises(ValidationError, match=r"Database lock .* before Last patient out") as info:
            plan(last_patient_out=date(2028, 6, 1), database_lock=date(2028, 5, 1))
        assert info.value.problems[0].path == "dates[1].date"

    def test_milestone_listed_twice(self):
        with pytest.raises(ValidationError) as info:
            MilestonePlan(
                dates=((Milestone.DATABASE_LOCK, date(2028, 5, 1)), (Milestone.DATABASE_LOCK, date(2028, 6, 1)))
            )
        assert info.value.problems[0].path == "dates[1].milestone"

    def test_bad_pair(self):
        with pytest.raises(ValidationError) as info:
            MilestonePlan(dates=(("database-lock",),))  # type: ignore[arg-type]
        assert info.value.problems[0].path == "dates[0]"

    def test_milestone_without_a_date_is_named(self):
        budget = priced(date(2027, 1, 4), (TestFixedFeeOnMilestones.FEE,), **TestFixedFeeOnMilestones.MONTHS)
        with pytest.raises(ValidationError, match=r"Last patient out \(last-patient-out\)") as info:
            build_schedule(
                budget,
                contract_start=date(2027, 1, 4),
                milestones=plan(first_patient_in=date(2027, 5, 3), clinical_study_report=date(2029, 3, 15)),
                terms=BillingTerms(),
            )
        assert info.value.problems[0].path == "milestones.dates"

    def test_holdback_needs_its_release_date(self):
        with pytest.raises(ValidationError, match="Clinical study report"):
            build_schedule(
                Budget(currency="USD"),
                contract_start=date(2027, 1, 4),
                milestones=MilestonePlan(),
                terms=BillingTerms(holdback_share="0.10"),
            )

    def test_milestone_before_the_contract_start(self):
        with pytest.raises(ValidationError, match="before the contract starts") as info:
            build_schedule(
                Budget(currency="USD"),
                contract_start=date(2027, 1, 4),
                milestones=plan(contract_signed=date(2026, 12, 20)),
                terms=BillingTerms(),
            )
        assert info.value.problems[0].path == "milestones.dates[0].date"

    @pytest.mark.parametrize(
        ("changes", "path"),
        [
            ({"holdback_share": "1"}, "holdback_share"),
            ({"holdback_share": "10"}, "holdback_share"),
            ({"holdback_share": "-0.01"}, "holdback_share"),
            ({"payment_days": -1}, "payment_days"),
            ({"in_arrears": "yes"}, "in_arrears"),
            ({"frequency": "weekly"}, "frequency"),
            ({"holdback_release": "database-unlock"}, "holdback_release"),
        ],
    )
    def test_bad_terms(self, changes, path):
        with pytest.raises(ValidationError) as info:
            BillingTerms(**changes)
        assert isinstance(info.value, CrokitError)
        assert info.value.problems[0].path == path

    def test_float_holdback(self):
        with pytest.raises(InvalidAmountError):
            BillingTerms(holdback_share=0.1)

    def test_enum_fields_take_their_text(self):
        terms = BillingTerms(frequency="quarterly", holdback_release="database-lock")
        assert (terms.frequency, terms.holdback_release) == (BillingFrequency.QUARTERLY, Milestone.DATABASE_LOCK)

    def test_bad_inputs(self):
        with pytest.raises(ValidationError) as info:
            build_schedule("budget", contract_start=date(2027, 1, 4), milestones=MilestonePlan(), terms=BillingTerms())  # type: ignore[arg-type]
        assert info.value.problems[0].path == "budget"

    def test_payment_due_before_invoice(self):
        with pytest.raises(ValidationError) as info:
            Payment(
                due=date(2027, 1, 1),
                invoice_date=date(2027, 1, 31),
                amount=usd("1.00"),
                kind=PaymentKind.SERVICE_PERIOD,
                description="x",
            )
        assert info.value.problems[0].path == "due"

    def test_schedule_refuses_unsorted_and_early_payments(self):
        def pay(day: date, description: str = "x") -> Payment:
            return Payment(
                due=day, invoice_date=day, amount=usd("1.00"), kind=PaymentKind.SERVICE_PERIOD, description=description
            )

        with pytest.raises(ValidationError) as info:
            PaymentSchedule(
                currency="USD", contract_start=date(2027, 1, 1), payments=(pay(date(2027, 3, 1)), pay(date(2027, 2, 1)))
            )
        assert info.value.problems[0].path == "payments[1]"
        with pytest.raises(ValidationError) as info:
            PaymentSchedule(currency="USD", contract_start=date(2027, 1, 1), payments=(pay(date(2026, 3, 1)),))
        assert info.value.problems[0].path == "payments[0].invoice_date"

    def test_schedule_refuses_unreleased_holdback(self):
        kept = Payment(
            due=date(2027, 2, 1),
            invoice_date=date(2027, 2, 1),
            amount=usd("9.00"),
            kind=PaymentKind.SERVICE_PERIOD,
            description="x",
            retained=usd("1.00"),
        )
        with pytest.raises(ValidationError, match="holdback released 0 USD differs"):
            PaymentSchedule(currency="USD", contract_start=date(2027, 1, 1), payments=(kept,))


class TestRoundTrips:
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_every_model(self, fmt):
        fixed = TestFixedFeeOnMilestones
        budget = priced(fixed.START, (fixed.FEE, per_month("1234.56")), **fixed.MONTHS)
        terms = BillingTerms(frequency=BillingFrequency.QUARTERLY, holdback_share="0.075", payment_days=45)
        schedule = build_schedule(budget, contract_start=fixed.START, milestones=fixed.PLAN, terms=terms)
        models: list[object] = [
            fixed.PLAN,
            MilestoneDate(milestone=Milestone.DATABASE_LOCK, date=date(2028, 2, 29)),
            terms,
            BillingTerms(),
            schedule,
            *schedule.payments,
            *cash_flow(schedule),
        ]
        for model in models:
            assert loads(dumps(model, fmt), type(model), fmt) == model

    def test_unknown_frequency_in_a_file(self):
        with pytest.raises(ValidationError, match="frequency"):
            loads('{"frequency": "weekly"}', BillingTerms)

    def test_totals_add_up(self):
        fixed = TestFixedFeeOnMilestones
        budget = priced(fixed.START, (fixed.FEE, per_month("1234.56")), **fixed.MONTHS)
        schedule = build_schedule(budget, contract_start=fixed.START, milestones=fixed.PLAN, terms=BillingTerms())
        assert total((row.paid for row in cash_flow(schedule)), currency="USD") == budget.total
