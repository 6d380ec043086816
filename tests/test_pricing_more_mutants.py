"""The exact records, words and boundaries of FTE, grants, drivers, proposals and diffs (mutation testing, issue #9).

mutmut's run of ``fte``, ``grants``, ``cost_drivers``, ``derive``, ``proposal``,
``diff``, ``assumptions`` and ``performance`` (target ``pricing-more``) left survivors
that change what a user reads (a driver's name, unit, formula or inputs; a line's
description or derivation; a diff's explanation; the path and words of a refusal) or
move a boundary; these tests pin each of them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import attrs
import pytest

from crokit import (
    FxRate,
    FxTable,
    InvalidAmountError,
    Milestone,
    Money,
    Stage,
    UnitBasis,
    UnknownIdError,
    ValidationError,
)
from crokit.pricing import (
    Budget,
    CostBucket,
    CostDrivers,
    DiscountTier,
    Driver,
    FixedFee,
    FteAllocation,
    FteTimeAndMaterials,
    FxPurpose,
    InvestigatorGrants,
    LineItem,
    MilestonePayment,
    OutcomeStatus,
    PassThrough,
    PerformanceOutcome,
    PerformanceTerm,
    PricingKind,
    PricingModel,
    Proposal,
    RateCard,
    RateCardEntry,
    RatePer,
    SiteActivation,
    UnitPrice,
    VisitFee,
    VolumeDiscount,
    derive_drivers,
    performance_outcome,
)
from crokit.pricing.adjustments import CurrencyConversion, TieredDiscount, TotalTier
from crokit.pricing.diff import ChangeKind, LineChange

from tests.pricing.test_drivers import make_assumptions, make_study  # isort: skip
from tests.pricing.test_models import ASSUMPTIONS, REGISTRY, STUDY  # isort: skip

_EXACT = "none: exact whole number"


def _record(driver: Driver) -> tuple[str, Decimal, str, str, tuple[tuple[str, str], ...], str]:
    return (driver.name, driver.value, driver.unit, driver.formula, driver.inputs, driver.rounding)


# --- derive ---------------------------------------------------------------------------


def test_every_driver_of_the_worked_example_writes_out_its_name_unit_formula_inputs_and_rule() -> None:
    # derived inside the test (not the import-time DRIVERS), so a mutant of derive is active
    d: CostDrivers = derive_drivers(STUDY, ASSUMPTIONS)
    assert _record(d.countries) == (
        "countries",
        Decimal(3),
        "country",
        "len(study.countries)",
        (("countries", "US,DE,FR"),),
        _EXACT,
    )
    assert _record(d.sites) == ("sites", Decimal(12), "site", "study.sites", (("sites", "12"),), _EXACT)
    assert _record(d.active_site_months) == (
        "active site-months",
        Decimal(246),
        "site-month",
        (
            "sum of sites x (last-patient-out month 22 - activation month) = "
            "3 x (22 - 0) + 3 x (22 - 1) + 3 x (22 - 2) + 3 x (22 - 3)"
        ),
        (("sites_activated_per_month", str((3, 3, 3, 3) + (0,) * 21)), ("last_patient_out_month", "22")),
        _EXACT,
    )
    assert _record(d.planned_site_months) == (
        "planned site-months",
        Decimal(300),
        "site-month",
        "sites x total months = 12 x 25",
        (("sites", "12"), ("total_months", "25")),
        _EXACT,
    )
    assert _record(d.patients_screened) == (
        "patients screened",
        Decimal(80),
        "patient",
        "ceil(enrolled / (1 - screen_failure_rate)) = ceil(60 / (1 - 0.25)) = ceil(80)",
        (("enrolled", "60"), ("screen_failure_rate", "0.25")),
        "ROUND_CEILING to a whole patient: enough patients must be screened to enrol the plan",
    )
    assert _record(d.patients_enrolled) == (
        "patients enrolled",
        Decimal(60),
        "patient",
        "study.planned_patients",
        (("enrolled", "60"),),
        _EXACT,
    )
    assert _record(d.patients_completed) == (
        "patients completed",
        Decimal(54),
        "patient",
        "floor(enrolled x (1 - dropout_rate)) = floor(60 x (1 - 0.10)) = floor(54)",
        (("enrolled", "60"), ("dropout_rate", "0.10")),
        "ROUND_FLOOR to a whole patient: a patient either completes or does not",
    )
    assert _record(d.patient_visits) == (
        "patient visits",
        Decimal(320),
        "patient visit",
        "screening visits x screened + other visits x enrolled = 1 x 80 + 4 x 60",
        (("screening_visits", "1"), ("patients_screened", "80"), ("other_visits", "4"), ("patients_enrolled", "60")),
        _EXACT,
    )
    assert _record(d.monitoring_visits) == (
        "monitoring visits",
        Decimal(178),
        "monitoring visit",
        "ceil(active site-months x (52 / 12) / interval weeks) = ceil(246 x 52 / 12 / 6) = ceil(177.6666\u2026)",
        (("active_site_months", "246"), ("monitoring_interval_weeks", "6")),
        "ROUND_CEILING to a whole visit: a part visit is still a visit",
    )
    assert _record(d.crf_pages) == (
        "CRF pages",
        Decimal(3300),
        "page",
        (
            "screening pages per patient x screened + other pages per patient x enrolled = 12 x 80 + 39 x 60 "
            "(1 visits without crf_pages counted at 10)"
        ),
        (
            ("screening_pages_per_patient", "12"),
            ("patients_screened", "80"),
            ("other_pages_per_patient", "39"),
            ("patients_enrolled", "60"),
            ("crf_pages_per_visit_default", "10"),
        ),
        _EXACT,
    )
    assert _record(d.tables_listings_figures) == (
        "tables, listings and figures",
        Decimal(120),
        "table",
        "assumptions.tables_listings_figures",
        (("tables_listings_figures", "120"),),
        _EXACT,
    )
    for name, value in (("startup", 4), ("enrolment", 12), ("treatment", 6), ("closeout", 3)):
        assert _record(getattr(d, f"{name}_months")) == (
            f"{name} months",
            Decimal(value),
            "month",
            f"assumptions.{name}_months",
            ((f"{name}_months", str(value)),),
            _EXACT,
        )
    assert _record(d.total_months) == (
        "total months",
        Decimal(25),
        "month",
        "startup + enrolment + treatment + closeout = 4 + 12 + 6 + 3",
        (),
        _EXACT,
    )
    assert d.scheduled_visits == 5


def test_a_half_in_a_formula_is_shown_as_a_decimal_and_a_whole_number_without_one() -> None:
    found = derive_drivers(
        make_study(planned_patients=55, screen_failure_rate="0.5"),
        make_assumptions(monitoring_interval_weeks=None, monitoring_visits_per_site_month="0.5"),
    )
    # 55 x 0.9 = 49.5 (a denominator of 2); 55 / 0.5 = 110 (a denominator of 1)
    assert found.patients_completed.formula.endswith("= floor(49.5)")
    assert found.patients_screened.formula.endswith("= ceil(110)")
    assert _record(found.monitoring_visits) == (
        "monitoring visits",
        Decimal(123),
        "monitoring visit",
        "ceil(active site-months x visits per site-month) = ceil(246 x 0.5) = ceil(123)",
        (("active_site_months", "246"), ("monitoring_visits_per_site_month", "0.5")),
        "ROUND_CEILING to a whole visit: a part visit is still a visit",
    )


# --- cost_drivers ---------------------------------------------------------------------


def _problem(build: Callable[[], object]) -> tuple[str, str]:
    """The path and message of the one problem *build* is refused with."""
    with pytest.raises(ValidationError) as info:
        build()
    (problem,) = info.value.problems
    return problem.path, problem.message


def test_driver_inputs_that_are_not_pairs_are_refused_with_their_path_and_words() -> None:
    def driver(inputs: object) -> Driver:
        return Driver(name="x", value=1, unit="u", formula="f", inputs=inputs, rounding="none")

    assert _problem(lambda: driver(None)) == ("inputs", "expected a list of pairs, got None")
    assert _problem(lambda: driver("ab")) == ("inputs", "expected a list of pairs, got 'ab'")
    assert _problem(lambda: driver([("a", "1"), ("a", "1", "2")])) == (
        "inputs[1]",
        "expected a (name, value) pair, got ('a', '1', '2')",
    )
    assert _problem(lambda: driver(["ab"])) == ("inputs[0]", "expected a (name, value) pair, got 'ab'")
    # lists are pairs too, and every name and value is kept as text
    assert driver([["a", 1], ("b", Decimal("0.5"))]).inputs == (("a", "1"), ("b", "0.5"))
    assert str(driver(())) == "1 u (f)"


def test_a_float_driver_value_is_refused_naming_the_value() -> None:
    with pytest.raises(InvalidAmountError, match="give the value as text"):
        Driver(name="x", value=1.5, unit="u", formula="f", rounding="none")


def test_an_activation_profile_is_refused_with_its_path_and_words() -> None:
    drivers = derive_drivers(STUDY, ASSUMPTIONS)

    def profile(months: tuple[int, ...]) -> Callable[[], object]:
        return lambda: attrs.evolve(drivers, sites_activated_per_month=months)

    assert _problem(profile((12,))) == (
        "sites_activated_per_month",
        "expected one entry per study month (25), got 1",
    )
    assert _problem(profile((13, -1, *(0,) * 23))) == (
        "sites_activated_per_month[1]",
        "expected a whole number of sites >= 0, got -1",
    )
    assert _problem(profile((0,) * 25)) == (
        "sites_activated_per_month",
        "the profile opens 0 sites, expected 12 (>= 1)",
    )
    assert _problem(profile((11, *(0,) * 24))) == (
        "sites_activated_per_month",
        "the profile opens 11 sites, expected 12 (>= 1)",
    )
    # the same sites opened later is a valid profile
    assert attrs.evolve(drivers, sites_activated_per_month=(0, 0, 12, *(0,) * 22)).sites.value == 12


@pytest.mark.parametrize(
    ("basis", "message"),
    [
        (UnitBasis.PER_HOUR, "unit basis per-hour is not derived from the study: it needs an explicit quantity"),
        (
            UnitBasis.PER_FTE_MONTH,
            "unit basis per-fte-month is not derived from the study: it needs an explicit quantity",
        ),
        (UnitBasis.PER_SAMPLE, "unit basis per-sample is not derived from the study: it needs an explicit quantity"),
        (
            UnitBasis.PASS_THROUGH,
            "unit basis pass-through is not derived from the study: it needs an explicit quantity",
        ),
    ],
)
def test_a_basis_no_study_fact_counts_is_refused_in_these_words(basis: UnitBasis, message: str) -> None:
    drivers = derive_drivers(STUDY, ASSUMPTIONS)
    assert _problem(lambda: drivers.get(basis)) == ("basis", message)


def test_visit_bases_without_a_schedule_are_refused_and_the_others_still_count() -> None:
    study = make_study(visits=())
    drivers = derive_drivers(study, make_assumptions())
    for basis in (UnitBasis.PER_PATIENT_VISIT, UnitBasis.PER_PAGE):
        assert _problem(functools.partial(drivers.get, basis)) == (
            "basis",
            f"unit basis {basis.value} needs the study's visit schedule, and the study lists no visits",
        )
    assert drivers.get(UnitBasis.PER_PATIENT_ENROLLED).value == 60
    assert drivers.scheduled_visits == 0


def test_the_per_study_driver_is_one_study_exactly() -> None:
    study = derive_drivers(STUDY, ASSUMPTIONS).get(UnitBasis.PER_STUDY)
    assert _record(study) == ("study", Decimal(1), "study", "1", (), _EXACT)


def test_each_basis_falls_in_its_months_when_sites_open_late() -> None:
    plan = SiteActivation.planned((2, 5), (5, 7))
    drivers = derive_drivers(STUDY, make_assumptions(activation=plan, enrolment_months=7))
    # start-up 0-3, enrolment 4-10, treatment 11-16, close-out 17-19
    assert drivers.total_months.value == 20
    assert drivers.months_for(UnitBasis.PER_SITE) == (2, 5)
    assert drivers.months_for(UnitBasis.PER_COUNTRY) == (0, 1, 2, 3)
    assert drivers.months_for(UnitBasis.PER_ACTIVE_SITE_MONTH) == tuple(range(2, 17))
    assert drivers.months_for(UnitBasis.PER_MONITORING_VISIT) == tuple(range(2, 17))
    assert drivers.months_for(UnitBasis.PER_PATIENT_SCREENED) == tuple(range(4, 11))
    assert drivers.months_for(UnitBasis.PER_PATIENT_ENROLLED) == tuple(range(4, 11))
    for conduct in (
        UnitBasis.PER_PATIENT_VISIT,
        UnitBasis.PER_PATIENT_COMPLETED,
        UnitBasis.PER_PAGE,
        UnitBasis.PER_SAMPLE,
        UnitBasis.PASS_THROUGH,
    ):
        assert drivers.months_for(conduct) == tuple(range(4, 17))
    assert drivers.months_for(UnitBasis.PER_TABLE) == (17, 18, 19)
    for whole in (UnitBasis.PER_STUDY, UnitBasis.PER_MONTH, UnitBasis.PER_SITE_MONTH, UnitBasis.PER_HOUR, None):
        assert drivers.months_for(whole) == tuple(range(20))


def test_milestones_when_sites_open_late_and_enrolment_is_odd() -> None:
    plan = SiteActivation.planned((2, 5), (5, 7))
    drivers = derive_drivers(STUDY, make_assumptions(activation=plan, enrolment_months=7))
    assert {milestone: drivers.month_of(milestone) for milestone in Milestone} == {
        Milestone.CONTRACT_SIGNED: 0,
        Milestone.FIRST_SITE_ACTIVATED: 2,
        Milestone.FIRST_PATIENT_IN: 4,
        Milestone.HALF_ENROLLED: 7,  # the middle of enrolment months 4..10
        Milestone.LAST_PATIENT_IN: 10,
        Milestone.LAST_PATIENT_OUT: 16,
        Milestone.DATABASE_LOCK: 17,
        Milestone.TOPLINE_RESULTS: 18,
        Milestone.CLINICAL_STUDY_REPORT: 19,
        Milestone.SUBMISSION: 19,
        Milestone.APPROVAL: 19,
    }


def test_milestones_after_the_last_month_are_capped_at_it() -> None:
    drivers = derive_drivers(STUDY, make_assumptions(enrolment_months=2, treatment_months=0, closeout_months=0))
    # six months: start-up 0-3, enrolment 4-5, no treatment, no close-out
    assert drivers.month_of(Milestone.HALF_ENROLLED) == 4
    assert drivers.month_of(Milestone.LAST_PATIENT_IN) == 5
    assert drivers.month_of(Milestone.LAST_PATIENT_OUT) == 5
    assert drivers.month_of(Milestone.DATABASE_LOCK) == 5
    assert drivers.month_of(Milestone.TOPLINE_RESULTS) == 5
    assert drivers.months_for(UnitBasis.PER_TABLE) == (5,)
    one_month = derive_drivers(STUDY, make_assumptions(enrolment_months=1, treatment_months=0, closeout_months=1))
    assert one_month.month_of(Milestone.LAST_PATIENT_OUT) == 4
    assert one_month.month_of(Milestone.DATABASE_LOCK) == 5
    assert one_month.month_of(Milestone.TOPLINE_RESULTS) == 5


# --- fte ------------------------------------------------------------------------------


def _usd(amount: str) -> Money:
    return Money(amount, "USD")


_CARD = RateCard(
    entries=(
        RateCardEntry(role="biostatistician", region="us", rate=_usd("100.00"), per=RatePer.HOUR, year=2026),
        RateCardEntry(role="biostatistician", region="us", rate=_usd("110.00"), per=RatePer.HOUR, year=2028),
        RateCardEntry(role="programmer", region="in", rate=_usd("6000.00"), per="fte-month", year=2026),
    )
)


def _fte(*allocations: FteAllocation, tiers: tuple[DiscountTier, ...] | None = None) -> FteTimeAndMaterials:
    return FteTimeAndMaterials(
        service="crokit:biostatistics",
        stage=Stage.PHASE_2,
        rate_card=_CARD,
        year=2027,
        allocations=allocations,
        volume_discount=None if tiers is None else VolumeDiscount(tiers=tiers),
    )


def _allocation(role: str, fte: str, start: int, months: int, **changes: object) -> FteAllocation:
    fields: dict[str, object] = {
        "role": role,
        "region": "us" if role == "biostatistician" else "in",
        "fte": fte,
        "start_month": start,
        "duration_months": months,
    }
    fields.update(changes)
    return FteAllocation(**fields)  # type: ignore[arg-type]


def test_fte_lines_and_discount_lines_write_out_every_field() -> None:
    model = _fte(
        _allocation("biostatistician", "0.5", 2, 4),
        _allocation("programmer", "1", 0, 2),
        _allocation("biostatistician", "0.25", 4, 4, hours_per_fte_month=160),
        tiers=(DiscountTier(min_fte_months=0, rate="0"), DiscountTier(min_fte_months=5, rate="0.025")),
    )
    assert model.fte_months == Decimal(5)  # 2 + 2 + 1: exactly the second tier
    assert model.currency == "USD"
    budget = model.price(STUDY, derive_drivers(STUDY, ASSUMPTIONS), registry=REGISTRY)
    statistician, programmer, statistician_off, programmer_off = budget.lines
    # 0.5 x 4 x 140 + 0.25 x 4 x 160 = 280 + 160 = 440 hours at the 2026 rate, in force in 2027
    assert statistician.description == "Biostatistics: biostatistician (us)"
    assert statistician.derivation == (
        "(0.5 FTE x 4 months x 140 hours + 0.25 FTE x 4 months x 160 hours) = 440.00 hours x 100.00 USD "
        "(rate card 2026) = 44000.0000 USD, rounded half-even to 44000.00 USD"
    )
    assert (statistician.quantity, statistician.unit_price, statistician.amount) == (
        Decimal(440),
        _usd("100.00"),
        _usd("44000.00"),
    )
    assert (statistician.basis, statistician.months) == (UnitBasis.PER_HOUR, (2, 3, 4, 5, 6, 7))
    assert programmer.description == "Biostatistics: programmer (in)"
    assert programmer.derivation == (
        "(1 FTE x 2 months) = 2 fte-months x 6000.00 USD (rate card 2026) = 12000.00 USD, "
        "rounded half-even to 12000.00 USD"
    )
    assert (programmer.basis, programmer.months, programmer.amount) == (
        UnitBasis.PER_FTE_MONTH,
        (0, 1),
        _usd("12000.00"),
    )
    for line in (statistician, programmer):
        assert (line.service, line.stage, line.kind, line.bucket) == (
            "crokit:biostatistics",
            Stage.PHASE_2,
            PricingKind.FTE,
            CostBucket.CRO_DIRECT_FEES,
        )
    assert statistician_off.description == "Biostatistics: biostatistician (us): volume discount 2.5%"
    assert statistician_off.derivation == (
        "5.00 FTE months in all reach the 2.5% tier; -2.5% x 44000.00 USD rounded half-even to -1100.00 USD"
    )
    assert programmer_off.derivation == (
        "5.00 FTE months in all reach the 2.5% tier; -2.5% x 12000.00 USD rounded half-even to -300.00 USD"
    )
    assert (statistician_off.quantity, statistician_off.unit_price, statistician_off.amount) == (
        Decimal("0.025"),
        _usd("-44000.00"),
        _usd("-1100.00"),
    )
    assert (programmer_off.months, programmer_off.amount) == ((0, 1), _usd("-300.00"))
    for line in (statistician_off, programmer_off):
        assert (line.service, line.stage, line.kind, line.bucket, line.basis) == (
            "crokit:biostatistics",
            Stage.PHASE_2,
            PricingKind.ADJUSTMENT,
            CostBucket.CRO_DIRECT_FEES,
            None,
        )
    assert budget.total == _usd("54600.00")


def test_fte_amounts_and_discounts_are_rounded_half_even_to_the_cent() -> None:
    # 0.333 FTE x 1 month x 145 hours = 48.285 hours x 100.00 = 4828.50
    # 1.5% off: 72.4275, half-even to 72.43 (a float or a truncation would give 72.42)
    model = _fte(
        _allocation("biostatistician", "0.333", 0, 1, hours_per_fte_month=145),
        tiers=(DiscountTier(min_fte_months="0.333", rate="0.015"),),
    )
    line, discount = model.price(STUDY, derive_drivers(STUDY, ASSUMPTIONS), registry=REGISTRY).lines
    assert line.quantity == Decimal("48.285")
    assert line.amount == _usd("4828.50")
    assert discount.amount == _usd("-72.43")
    assert discount.description.endswith("volume discount 1.5%")


def test_no_discount_below_the_first_tier_nor_at_a_zero_rate() -> None:
    drivers = derive_drivers(STUDY, ASSUMPTIONS)
    allocation = _allocation("programmer", "1", 0, 4)
    below = _fte(allocation, tiers=(DiscountTier(min_fte_months="4.01", rate="0.05"),))
    zero = _fte(allocation, tiers=(DiscountTier(min_fte_months=1, rate="0"),))
    reached = _fte(allocation, tiers=(DiscountTier(min_fte_months=4, rate="0.05"),))
    assert len(below.price(STUDY, drivers, registry=REGISTRY).lines) == 1
    assert len(zero.price(STUDY, drivers, registry=REGISTRY).lines) == 1
    assert [line.amount for line in reached.price(STUDY, drivers, registry=REGISTRY).lines] == [
        _usd("24000.00"),
        _usd("-1200.00"),
    ]


def test_the_last_tier_reached_applies_to_everything() -> None:
    tiers = VolumeDiscount(
        tiers=(
            DiscountTier(min_fte_months=2, rate="0.01"),
            DiscountTier(min_fte_months=5, rate="0.02"),
            DiscountTier(min_fte_months=9, rate="0.03"),
        )
    )
    assert tiers.rate_for(Decimal("1.99")) == Decimal(0)
    assert tiers.rate_for(Decimal(2)) == Decimal("0.01")
    assert tiers.rate_for(Decimal("8.99")) == Decimal("0.02")
    assert tiers.rate_for(Decimal(9)) == Decimal("0.03")
    assert tiers.rate_for(Decimal(500)) == Decimal("0.03")


def test_an_allocation_covers_its_months_and_quantities() -> None:
    allocation = _allocation("programmer", "0.5", 3, 4, hours_per_fte_month=150)
    assert allocation.months == (3, 4, 5, 6)
    assert allocation.fte_months == Decimal(2)
    assert allocation.quantity(RatePer.FTE_MONTH) == Decimal(2)
    assert allocation.quantity(RatePer.HOUR) == Decimal(300)
    assert FteAllocation(role="a", region="us", fte=1, start_month=0, duration_months=1).hours_per_fte_month == 140
    assert RatePer.HOUR.basis is UnitBasis.PER_HOUR
    assert RatePer.FTE_MONTH.basis is UnitBasis.PER_FTE_MONTH


def test_the_rate_in_force_is_the_latest_on_or_before_the_year() -> None:
    assert _CARD.rate("biostatistician", "us", 2026).rate == _usd("100.00")
    assert _CARD.rate("biostatistician", "us", 2027).rate == _usd("100.00")
    assert _CARD.rate("biostatistician", "us", 2028).rate == _usd("110.00")
    assert _CARD.rate("biostatistician", "us", 2040).year == 2028
    assert _CARD.currency == "USD"
    # a rate per may be given by its value or its name
    assert _CARD.entries[2].per is RatePer.FTE_MONTH
    assert RateCardEntry(role="a", region="us", rate=_usd("1"), per="HOUR", year=2026).per is RatePer.HOUR


def test_rate_card_lookups_are_refused_with_their_kind_path_and_choices() -> None:
    with pytest.raises(UnknownIdError) as role:
        _CARD.rate("biostatistican", "us", 2027, path="items[2]")
    assert (role.value.kind, role.value.id, role.value.path) == ("role", "biostatistican", "items[2].role")
    assert role.value.suggestions == ("biostatistician",)
    with pytest.raises(UnknownIdError) as region:
        _CARD.rate("programmer", "inn", 2027)
    assert (region.value.kind, region.value.path, region.value.suggestions) == ("region", "region", ("in",))
    # the regions offered are the role's own
    with pytest.raises(UnknownIdError) as other:
        _CARD.rate("programmer", "us", 2027)
    assert other.value.suggestions == ()
    assert _problem(lambda: _CARD.rate("biostatistician", "us", 2025, path="items[1]")) == (
        "items[1].year",
        "the rate card prices biostatistician in us from 2026, not in 2025",
    )
    # the first year named is the role's own in the region, not another role's there or its own elsewhere
    card = RateCard(
        entries=(
            RateCardEntry(role="programmer", region="us", rate=_usd("50.00"), per=RatePer.HOUR, year=2020),
            RateCardEntry(role="biostatistician", region="in", rate=_usd("40.00"), per=RatePer.HOUR, year=2019),
            RateCardEntry(role="biostatistician", region="us", rate=_usd("100.00"), per=RatePer.HOUR, year=2026),
        )
    )
    assert _problem(lambda: card.rate("biostatistician", "us", 2025)) == (
        "year",
        "the rate card prices biostatistician in us from 2026, not in 2025",
    )
    assert card.rate("biostatistician", "us", 2030).rate == _usd("100.00")


def test_fte_refusals_have_their_paths_and_words() -> None:
    first, _, programmer = _CARD.entries
    euro = RateCardEntry(role="x", region="us", rate=Money("1", "EUR"), per=RatePer.HOUR, year=2026)
    assert _problem(lambda: RateCard(entries=())) == ("entries", "expected at least one rate-card entry")
    assert _problem(lambda: RateCard(entries=(first, programmer, first))) == (
        "entries[2]",
        "biostatistician in us for 2026 is already entries[0]",
    )
    assert _problem(lambda: RateCard(entries=(first, euro))) == (
        "entries[1].rate",
        "expected a rate in USD, like entries[0], got 1 EUR",
    )
    assert _problem(lambda: DiscountTier(min_fte_months=-1, rate="0.01")) == (
        "min_fte_months",
        "expected a number >= 0, got -1",
    )
    assert DiscountTier(min_fte_months=0, rate="0.01").min_fte_months == 0
    assert _problem(lambda: VolumeDiscount(tiers=())) == ("tiers", "expected at least one tier")
    assert _problem(
        lambda: VolumeDiscount(
            tiers=(DiscountTier(min_fte_months=5, rate="0.01"), DiscountTier(min_fte_months=4, rate="0.02"))
        )
    ) == ("tiers[1].min_fte_months", "tiers must be in strictly ascending order: 4 follows 5")
    assert _problem(lambda: FteAllocation(role="a", region="us", fte=0, start_month=0, duration_months=1)) == (
        "fte",
        "expected a number above 0, got 0",
    )
    assert _problem(
        lambda: FteAllocation(role="a", region="us", fte=1, start_month=0, duration_months=1, hours_per_fte_month=0)
    ) == ("hours_per_fte_month", "expected a number above 0, got 0")
    assert FteAllocation(role="a", region="us", fte="0.01", start_month=0, duration_months=1).fte == Decimal("0.01")
    assert _problem(_fte) == ("allocations", "expected at least one allocation")
    with pytest.raises(InvalidAmountError, match="give the number as text"):
        FteAllocation(role="a", region="us", fte=0.5, start_month=0, duration_months=1)


def test_a_role_priced_by_a_basis_the_service_lacks_is_refused_in_these_words() -> None:
    model = attrs.evolve(_fte(_allocation("biostatistician", "1", 0, 1)), service="crokit:real-world-evidence")
    assert _problem(
        lambda: model.price(STUDY, derive_drivers(STUDY, ASSUMPTIONS), registry=REGISTRY, path="items[4]")
    ) == (
        "items[4].allocations[0].role",
        "biostatistician is priced per hour, which service crokit:real-world-evidence is not priced by",
    )
    with pytest.raises(UnknownIdError) as info:
        _fte(_allocation("programmer", "1", 0, 1, region="us")).price(
            STUDY, derive_drivers(STUDY, ASSUMPTIONS), registry=REGISTRY, path="items[4]"
        )
    assert info.value.path == "items[4].allocations[0].region"


# --- grants ---------------------------------------------------------------------------


def _grants(**changes: object) -> InvestigatorGrants:
    fields: dict[str, object] = {
        "stage": Stage.PHASE_2,
        "fee_per_visit": _usd("500.00"),
        "screen_failure_fee": _usd("250.00"),
        "early_termination_fee": _usd("300.00"),
        "startup_fee_per_site": _usd("2000.00"),
    }
    fields.update(changes)
    return InvestigatorGrants(**fields)  # type: ignore[arg-type]


_HELD = "(12.5% held back to close-out)"


def test_grant_lines_write_out_every_field_and_the_holdback() -> None:
    # the overrides listed out of schedule order: the lines follow the schedule
    item = _grants(
        visit_fees=(
            VisitFee(visit_id="week-12", fee=_usd("700.00")),
            VisitFee(visit_id="screening", fee=_usd("800.00")),
        ),
        holdback_share="0.125",
    )
    assert item.currency == "USD"
    budget = item.price(STUDY, derive_drivers(STUDY, ASSUMPTIONS), registry=REGISTRY)
    conduct = tuple(range(4, 22))
    expected = [
        (
            f"Investigator grants: patient visits {_HELD}",
            (
                "60 patients enrolled x 3 visits at the standard fee = 180 x 500.00 USD = 90000.00 USD, "
                "rounded half-even to 90000.00 USD; 12.5% of it is held back to close-out"
            ),
            UnitBasis.PER_PATIENT_VISIT,
            Decimal(180),
            _usd("500.00"),
            _usd("90000.00"),
            conduct,
        ),
        (
            f"Investigator grants: visit screening {_HELD}",
            (
                "60 patients enrolled x 1 visit (screening) = 60 x 800.00 USD = 48000.00 USD, "
                "rounded half-even to 48000.00 USD; 12.5% of it is held back to close-out"
            ),
            UnitBasis.PER_PATIENT_VISIT,
            Decimal(60),
            _usd("800.00"),
            _usd("48000.00"),
            conduct,
        ),
        (
            f"Investigator grants: visit week-12 {_HELD}",
            (
                "60 patients enrolled x 1 visit (week-12) = 60 x 700.00 USD = 42000.00 USD, "
                "rounded half-even to 42000.00 USD; 12.5% of it is held back to close-out"
            ),
            UnitBasis.PER_PATIENT_VISIT,
            Decimal(60),
            _usd("700.00"),
            _usd("42000.00"),
            conduct,
        ),
        (
            f"Investigator grants: screen failures {_HELD}",
            (
                "screened - enrolled = 80 - 60 = 20 x 250.00 USD = 5000.00 USD, "
                "rounded half-even to 5000.00 USD; 12.5% of it is held back to close-out"
            ),
            None,
            Decimal(20),
            _usd("250.00"),
            _usd("5000.00"),
            tuple(range(4, 16)),
        ),
        (
            f"Investigator grants: early terminations {_HELD}",
            (
                "enrolled - completed = 60 - 54 = 6 x 300.00 USD = 1800.00 USD, "
                "rounded half-even to 1800.00 USD; 12.5% of it is held back to close-out"
            ),
            None,
            Decimal(6),
            _usd("300.00"),
            _usd("1800.00"),
            conduct,
        ),
        (
            "Investigator grants: site start-up",
            "12 sites = 12 x 2000.00 USD = 24000.00 USD, rounded half-even to 24000.00 USD",
            UnitBasis.PER_SITE,
            Decimal(12),
            _usd("2000.00"),
            _usd("24000.00"),
            (0, 1, 2, 3),
        ),
    ]
    assert [
        (line.description, line.derivation, line.basis, line.quantity, line.unit_price, line.amount, line.months)
        for line in budget.lines
    ] == expected
    for line in budget.lines:
        assert (line.service, line.stage, line.kind, line.bucket) == (
            "crokit:investigator-grants",
            Stage.PHASE_2,
            PricingKind.GRANTS,
            CostBucket.INVESTIGATOR_GRANTS,
        )
    # 12.5% of the patient payments 186800.00; the start-up fees are not held back
    assert [item.holds(line) for line in budget.lines] == [True] * 5 + [False]
    assert item.holdback(budget) == _usd("23350.00")


def test_a_grants_description_replaces_the_service_name_and_amounts_round_half_even() -> None:
    # fees of a fraction of a cent
    item = _grants(
        fee_per_visit=_usd("0.00175"),
        startup_fee_per_site=_usd("0.125"),
        description="Site payments",
    )
    budget = item.price(STUDY, derive_drivers(STUDY, ASSUMPTIONS), registry=REGISTRY)
    visits = budget.lines[0]
    startup = budget.lines[-1]
    assert visits.description == "Site payments: patient visits"
    assert visits.amount == _usd("0.52")  # 300 visits x 0.00175 = 0.525, half-even to 0.52
    assert startup.description == "Site payments: site start-up"
    assert startup.amount == _usd("1.50")  # 12 x 0.125
    assert item.holdback(budget) == _usd("0.00")
    assert not any(item.holds(line) for line in budget.lines)


def test_the_holdback_counts_only_this_models_held_grant_lines_and_rounds_once() -> None:
    item = _grants(holdback_share="0.10", fee_per_visit=_usd("0.05"), service="crokit:investigator-grants")
    drivers = derive_drivers(STUDY, ASSUMPTIONS)
    own = item.price(STUDY, drivers, registry=REGISTRY)
    other = _grants(holdback_share="0.10", fee_per_visit=_usd("0.05"), service="crokit:patient-recruitment")
    foreign = other.price(STUDY, drivers, registry=REGISTRY)
    both = Budget(currency="USD", lines=[*own.lines, *foreign.lines])
    visits = own.lines[0]
    assert visits.amount == _usd("15.00")  # 60 patients x 5 visits x 0.05
    # 10% of 15.00 + 5000.00 + 1800.00, rounded once: 681.50
    assert item.holdback(both) == _usd("681.50")
    assert other.holdback(both) == _usd("681.50")
    # a line of this service that is not a grant line is not held back
    fee = attrs.evolve(visits, kind=PricingKind.FIXED_FEE)
    assert not item.holds(fee)
    plain = attrs.evolve(visits, description="Investigator grants: patient visits")
    assert not item.holds(plain)


def test_grants_refusals_have_their_paths_and_words() -> None:
    one, two = _usd("1"), _usd("2")
    assert _problem(
        lambda: _grants(
            visit_fees=(
                VisitFee(visit_id="a", fee=one),
                VisitFee(visit_id="b", fee=one),
                VisitFee(visit_id="a", fee=two),
            )
        )
    ) == ("visit_fees[2].visit_id", "'a' already has a fee at visit_fees[0]")
    for field in ("screen_failure_fee", "early_termination_fee", "startup_fee_per_site"):
        assert _problem(functools.partial(_grants, **{field: Money("1.00", "EUR")})) == (
            field,
            "expected an amount in USD, like fee_per_visit, got 1.00 EUR",
        )
    assert _problem(
        lambda: _grants(visit_fees=(VisitFee(visit_id="a", fee=one), VisitFee(visit_id="b", fee=Money("1", "EUR"))))
    ) == ("visit_fees[1].fee", "expected an amount in USD, like fee_per_visit, got 1 EUR")
    study = make_study(visits=())
    drivers = derive_drivers(study, ASSUMPTIONS)
    assert _problem(lambda: _grants().price(study, drivers, registry=REGISTRY, path="items[3]")) == (
        "items[3].fee_per_visit",
        "per-patient grants need the study's visit schedule, and it lists no visits",
    )
    with pytest.raises(UnknownIdError) as info:
        _grants(visit_fees=(VisitFee(visit_id="week-5", fee=one),)).price(
            STUDY, derive_drivers(STUDY, ASSUMPTIONS), registry=REGISTRY, path="items[3]"
        )
    assert (info.value.kind, info.value.id, info.value.path) == ("visit", "week-5", "items[3].visit_fees[0].visit_id")
    assert info.value.suggestions == ("week-4", "week-12")
    with pytest.raises(UnknownIdError) as service:
        _grants(service="crokit:nope").price(
            STUDY, derive_drivers(STUDY, ASSUMPTIONS), registry=REGISTRY, path="items[1]"
        )
    assert service.value.path == "items[1].service"


# --- diff -----------------------------------------------------------------------------


def _line(service: str, description: str, quantity: int, unit_price: str) -> LineItem:
    price = _usd(unit_price)
    return LineItem(
        service=service,
        stage=Stage.PHASE_2,
        kind=PricingKind.UNIT,
        bucket=CostBucket.CRO_DIRECT_FEES,
        description=description,
        basis=UnitBasis.PER_MONITORING_VISIT,
        quantity=Decimal(quantity),
        unit_price=price,
        amount=(price * Decimal(quantity)).rounded(),
        months=(0, 1, 2),
        derivation="worked by hand",
    )


def test_a_diff_explains_every_change_in_these_words() -> None:
    old = Budget(
        currency="USD",
        lines=(
            _line("crokit:on-site-monitoring", "Monitoring visits", 3, "1000.00"),
            _line("crokit:edc", "EDC licence", 1, "1000.00"),
        ),
    )
    new = Budget(
        currency="USD",
        lines=(
            # 5 x 1100.005 = 5500.025, half-even to 5500.02
            _line("crokit:on-site-monitoring", "Monitoring visits", 5, "1100.005"),
            _line("crokit:biostatistics", "TLFs", 2, "1000.00"),
        ),
    )
    assert old.diff(new).explain().split("\n") == [
        "total 4,000.00 USD -> 7,500.02 USD (3,500.02 USD)",
        (
            "crokit:on-site-monitoring / Monitoring visits: changed 3,000.00 USD -> 5,500.02 USD (2,500.02 USD); "
            "quantity 3 -> 5, unit price 1,000.00 USD -> 1,100.005 USD: "
            "volume 2,000.00 USD, rate 500.025 USD, rounding -0.005 USD"
        ),
        "crokit:edc / EDC licence: removed 1,000.00 USD -> 0.00 USD (-1,000.00 USD)",
        "crokit:biostatistics / TLFs: added 0.00 USD -> 2,000.00 USD (2,000.00 USD)",
    ]
    assert old.diff(old).explain() == "total 4,000.00 USD -> 4,000.00 USD (0.00 USD)"


def test_a_line_change_built_by_hand_takes_its_kind_as_text_and_shows_a_missing_price_as_none() -> None:
    change = LineChange(
        key=("crokit:edc", "EDC licence"),
        change="changed",
        old_quantity=Decimal(1),
        new_quantity=Decimal(2),
        old_unit_price=None,
        new_unit_price=_usd("3"),
        old_amount=_usd("1"),
        new_amount=_usd("1234.5"),
    )
    assert change.change is ChangeKind.CHANGED
    assert change.explain() == (
        "crokit:edc / EDC licence: changed 1.00 USD -> 1,234.50 USD (1,233.50 USD); quantity 1 -> 2, "
        "unit price none -> 3.00 USD: volume 1,233.50 USD, rate 0.00 USD, rounding 0.00 USD"
    )
    added = attrs.evolve(change, change="ADDED", old_amount=_usd("0"))
    assert added.change is ChangeKind.ADDED
    assert added.explain() == "crokit:edc / EDC licence: added 0.00 USD -> 1,234.50 USD (1,234.50 USD)"


# --- performance ----------------------------------------------------------------------


def test_a_term_without_bonus_or_malus_is_refused_in_these_words() -> None:
    assert _problem(lambda: PerformanceTerm(milestone=Milestone.DATABASE_LOCK, target_date=date(2029, 1, 31))) == (
        "bonus",
        "give a bonus, a malus or both",
    )


def test_a_malus_only_term_is_in_the_malus_currency_and_an_outcome_takes_its_status_as_text() -> None:
    term = PerformanceTerm(
        milestone=Milestone.DATABASE_LOCK, target_date=date(2029, 1, 31), malus=Money("10000.00", "EUR")
    )
    assert term.currency == "EUR"
    outcome = PerformanceOutcome(term=term, actual_date=None, status="pending", amount=Money.zero("EUR"))
    assert outcome.status is OutcomeStatus.PENDING
    assert PerformanceOutcome(term=term, actual_date=None, status="MISSED", amount=Money.zero("EUR")).status is (
        OutcomeStatus.MISSED
    )


# --- assumptions ----------------------------------------------------------------------


def test_an_empty_planned_activation_is_refused_in_these_words() -> None:
    assert _problem(SiteActivation.planned) == ("plan", "expected at least one (month_index, sites) pair")


# --- proposal -------------------------------------------------------------------------


def _euro_items() -> list[tuple[PricingModel, str]]:
    """One item of each kind priced in EUR, with the field a currency refusal names."""
    euro = Money("100.00", "EUR")
    card = RateCard(
        entries=(RateCardEntry(role="programmer", region="in", rate=euro, per=RatePer.FTE_MONTH, year=2026),)
    )
    return [
        (
            UnitPrice(
                service="crokit:on-site-monitoring",
                stage=Stage.PHASE_2,
                basis=UnitBasis.PER_MONITORING_VISIT,
                rate=euro,
            ),
            "rate",
        ),
        (PassThrough(service="crokit:investigator-grants", stage=Stage.PHASE_2, estimate=euro), "estimate"),
        (
            FixedFee(
                service="crokit:clinical-study-report",
                stage=Stage.PHASE_2,
                fee=euro,
                milestones=(MilestonePayment(milestone=Milestone.CLINICAL_STUDY_REPORT, share="1"),),
            ),
            "fee",
        ),
        (
            FteTimeAndMaterials(
                service="crokit:biostatistics",
                stage=Stage.PHASE_2,
                rate_card=card,
                year=2027,
                allocations=(_allocation("programmer", "1", 0, 1),),
            ),
            "rate_card",
        ),
        (
            InvestigatorGrants(
                stage=Stage.PHASE_2,
                fee_per_visit=euro,
                screen_failure_fee=euro,
                early_termination_fee=euro,
                startup_fee_per_site=euro,
            ),
            "fee_per_visit",
        ),
    ]


def test_an_item_in_another_currency_is_refused_at_its_money_field_with_a_hint() -> None:
    for item, field in _euro_items():
        assert _problem(functools.partial(Proposal, cro_id="helix", currency="USD", items=(item,))) == (
            f"items[0].{field}",
            (
                "expected an amount in USD, the proposal's currency, got EUR "
                "(to price this item in EUR and convert it, list 'EUR' in other_currencies)"
            ),
        )
        listed = Proposal(cro_id="helix", currency="USD", items=(item,), other_currencies=("EUR",))
        assert listed.items == (item,)


def test_performance_terms_and_tiered_discounts_are_checked_against_the_currency_then() -> None:
    malus = PerformanceTerm(milestone=Milestone.DATABASE_LOCK, target_date=date(2029, 1, 1), malus=Money("1", "EUR"))
    assert _problem(lambda: Proposal(cro_id="helix", currency="USD", performance_terms=(malus,))) == (
        "performance_terms[0].malus",
        "expected an amount in USD, the proposal's currency, got EUR",
    )
    bonus = attrs.evolve(malus, bonus=Money("2", "EUR"))
    assert _problem(lambda: Proposal(cro_id="helix", currency="USD", performance_terms=(bonus,))) == (
        "performance_terms[0].bonus",
        "expected an amount in USD, the proposal's currency, got EUR",
    )

    def tiered(currency: str) -> TieredDiscount:
        return TieredDiscount(tiers=(TotalTier(min_total=Money("0", currency), rate="0.01"),))

    fx = FxTable(rates=(FxRate(base="USD", quote="EUR", rate=Decimal("0.9"), as_of=date(2026, 1, 1), source="test"),))
    conversion = CurrencyConversion(to="EUR", fx=fx, on=date(2026, 6, 1))
    assert _problem(lambda: Proposal(cro_id="helix", currency="USD", adjustments=(tiered("EUR"),))) == (
        "adjustments[0].tiers",
        "expected thresholds in USD, the budget's currency at this point, got EUR",
    )
    assert _problem(lambda: Proposal(cro_id="helix", currency="USD", adjustments=(conversion, tiered("USD")))) == (
        "adjustments[1].tiers",
        "expected thresholds in EUR, the budget's currency at this point, got USD",
    )
    both = Proposal(cro_id="helix", currency="USD", adjustments=(tiered("USD"), conversion, tiered("EUR")))
    assert len(both.adjustments) == 3


def test_other_currencies_are_refused_with_their_paths_and_words() -> None:
    def proposal(*codes: str) -> Proposal:
        return Proposal(cro_id="helix", currency="USD", other_currencies=codes)

    path, message = _problem(lambda: proposal("EUR", "yen"))
    assert path == "other_currencies[1]"
    assert message.startswith("unknown currency 'yen': expected an active ISO 4217 code")
    assert _problem(lambda: proposal("EUR", "USD")) == (
        "other_currencies[1]",
        "USD is the proposal's own currency; list only other ones",
    )
    assert _problem(lambda: proposal("EUR", "JPY", "EUR")) == (
        "other_currencies[2]",
        "EUR is already listed at other_currencies[0]",
    )
    assert proposal("EUR", "JPY").other_currencies == ("EUR", "JPY")


def test_activation_plans_are_refused_with_their_paths_and_words() -> None:
    assert _problem(lambda: SiteActivation(plan=None)) == ("plan", "expected a list of pairs, got None")
    assert _problem(lambda: SiteActivation(plan="0,3")) == ("plan", "expected a list of pairs, got '0,3'")
    # an item that is not a list is kept as it is, so the refusal names the item, not the plan
    assert _problem(lambda: SiteActivation(plan=(3,))) == (
        "plan[0]",
        "expected a tuple of (a whole number, a whole number), got 3",
    )
    assert _problem(lambda: SiteActivation(plan=((0, 2), "ab"))) == (
        "plan[1]",
        "expected a tuple of (a whole number, a whole number), got 'ab'",
    )
    assert _problem(lambda: SiteActivation(plan=((600, 3),))) == (
        "plan[0][0]",
        "expected a month index from 0 to 599, got 600",
    )
    assert _problem(lambda: SiteActivation(plan=((-1, 3),))) == (
        "plan[0][0]",
        "expected a month index from 0 to 599, got -1",
    )
    assert _problem(lambda: SiteActivation(plan=((0, 0),))) == (
        "plan[0][1]",
        "expected a whole number of sites >= 1, got 0",
    )
    assert _problem(lambda: SiteActivation(plan=((2, 3), (2, 3)))) == (
        "plan[1][0]",
        "months must be listed once each, in increasing order: 2 follows 2",
    )
    # the ends of the ranges are accepted
    assert SiteActivation(plan=((0, 1), (599, 1))).plan == ((0, 1), (599, 1))
    assert SiteActivation(plan=[[0, 2], [1, 10]]).plan == ((0, 2), (1, 10))
    assert SiteActivation.planned((0, 2)).plan == ((0, 2),)
    assert SiteActivation.evenly().is_even
    assert not SiteActivation.planned((0, 2)).is_even


def test_a_plan_that_does_not_fit_the_study_is_refused_in_these_words() -> None:
    late = make_assumptions(activation=SiteActivation.planned((0, 6), (16, 6)))
    assert _problem(lambda: derive_drivers(STUDY, late)) == (
        "activation.plan[1][0]",
        "sites must open before enrolment ends (month 15 at the latest), got month 16",
    )
    # the last month of enrolment is still in time
    last = make_assumptions(activation=SiteActivation.planned((0, 6), (15, 6)))
    assert derive_drivers(STUDY, last).sites_activated_per_month[15] == 6
    short = make_assumptions(activation=SiteActivation.planned((0, 5), (1, 5)))
    assert _problem(lambda: derive_drivers(STUDY, short)) == (
        "activation.plan",
        "the plan opens 10 sites, but the study has 12 sites",
    )


def test_the_monitoring_frequency_must_be_given_once_in_these_words() -> None:
    expected = "give exactly one of monitoring_interval_weeks and monitoring_visits_per_site_month, got "
    assert _problem(lambda: make_assumptions(monitoring_visits_per_site_month="1")) == (
        "monitoring_interval_weeks",
        expected + "both",
    )
    assert _problem(lambda: make_assumptions(monitoring_interval_weeks=None)) == (
        "monitoring_interval_weeks",
        expected + "neither",
    )
    with pytest.raises(InvalidAmountError, match="for the visits per site-month"):
        make_assumptions(monitoring_interval_weeks=None, monitoring_visits_per_site_month="abc")
    rate = make_assumptions(monitoring_interval_weeks=None, monitoring_visits_per_site_month="0")
    assert rate.monitoring_visits_per_site_month == Decimal(0)
    assert make_assumptions().total_months == 25


# Decorated functions (mutated once mutation/run.py undecorated them; see results-pricing-more.md)


def test_an_fte_item_of_an_unknown_service_is_refused_at_its_service() -> None:
    item = attrs.evolve(
        _fte(_allocation("biostatistician", "1", 0, 2)),
        service="crokit:biostatistix",
    )
    with pytest.raises(UnknownIdError) as info:
        item.price(STUDY, derive_drivers(STUDY, ASSUMPTIONS), registry=REGISTRY, path="items[3]")
    assert info.value.path == "items[3].service"
    assert info.value.suggestions[0] == "crokit:biostatistics"


def _euro_fee_proposal() -> Proposal:
    fee = FixedFee(
        service="crokit:project-management",
        stage=Stage.PHASE_2,
        fee=Money("1000.00", "EUR"),
        milestones=(MilestonePayment(milestone="contract-signed", share=Decimal(1)),),
    )
    return Proposal(cro_id="helix", currency="USD", items=(fee,), other_currencies=("EUR",))


_EUR_USD = FxTable(rates=(FxRate(base="EUR", quote="USD", rate="1.10", as_of=date(2026, 1, 1), source="test"),))


@pytest.mark.parametrize(("fx", "on"), [(None, date(2027, 1, 4)), (_EUR_USD, None), (None, None)])
def test_an_item_in_another_currency_needs_both_fx_and_a_date(fx: FxTable | None, on: date | None) -> None:
    drivers = derive_drivers(STUDY, ASSUMPTIONS)
    assert _problem(lambda: _euro_fee_proposal().price_converted(STUDY, drivers, registry=REGISTRY, fx=fx, on=on)) == (
        "items[0]",
        (
            "the item is priced in EUR and the proposal in USD: "
            "pass fx= (an FxTable) and on= (the date whose rate applies) to convert it"
        ),
    )


def test_a_conversion_records_the_purpose_it_was_asked_for() -> None:
    drivers = derive_drivers(STUDY, ASSUMPTIONS)
    budget, (record,) = _euro_fee_proposal().price_converted(
        STUDY, drivers, registry=REGISTRY, fx=_EUR_USD, on=date(2027, 1, 4), purpose=FxPurpose.CASH_FLOW
    )
    assert record.purpose is FxPurpose.CASH_FLOW
    assert budget.total == Money("1100.00", "USD")


def test_a_milestone_reached_on_its_target_date_is_met_and_the_outcome_keeps_the_date() -> None:
    term = PerformanceTerm(
        milestone=Milestone.DATABASE_LOCK, target_date=date(2029, 1, 31), bonus=Money("5000.00", "USD")
    )
    (on_time,) = performance_outcome([term], {Milestone.DATABASE_LOCK: date(2029, 1, 31)})
    assert (on_time.status, on_time.actual_date, on_time.amount) == (
        OutcomeStatus.MET,
        date(2029, 1, 31),
        Money("5000.00", "USD"),
    )
    (late,) = performance_outcome([term], {Milestone.DATABASE_LOCK: date(2029, 2, 1)})
    assert (late.status, late.actual_date) == (OutcomeStatus.MISSED, date(2029, 2, 1))
