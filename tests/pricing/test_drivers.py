"""Cost drivers: worked numbers, stated rounding, and refusals with paths."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import (
    CrokitError,
    InvalidAmountError,
    Milestone,
    Stage,
    Study,
    UnitBasis,
    ValidationError,
    Visit,
    VisitKind,
)
from crokit.pricing import Assumptions, CostDrivers, Driver, SiteActivation, derive_drivers

SCHEDULE = (
    Visit(id="screening", name="Screening", day=-28, kind=VisitKind.SCREENING, crf_pages=12),
    Visit(id="baseline", name="Baseline", day=1, kind=VisitKind.BASELINE, crf_pages=15),
    Visit(id="week-4", name="Week 4", day=28),
    Visit(id="week-12", name="Week 12", day=84, crf_pages=8),
    Visit(id="eos", name="End of study", day=168, kind=VisitKind.END_OF_STUDY, crf_pages=6),
)


def make_study(**changes) -> Study:
    fields: dict[str, Any] = {
        "name": "RD-201",
        "phase": Stage.PHASE_2,
        "therapeutic_area": "crokit:rare-disease",
        "indication": "Fabry disease",
        "planned_patients": 60,
        "sites": 12,
        "countries": ("US", "DE", "FR"),
        "start_date": date(2027, 1, 4),
        "currency": "USD",
        "visits": SCHEDULE,
        "screen_failure_rate": Decimal("0.25"),
        "dropout_rate": Decimal("0.10"),
        "required_services": ("crokit:on-site-monitoring", "crokit:data-management"),
    }
    fields.update(changes)
    return Study(**fields)


def make_assumptions(**changes) -> Assumptions:
    fields: dict[str, Any] = {
        "startup_months": 4,
        "enrolment_months": 12,
        "treatment_months": 6,
        "closeout_months": 3,
        "monitoring_interval_weeks": 6,
        "tables_listings_figures": 120,
        "crf_pages_per_visit_default": 10,
    }
    fields.update(changes)
    return Assumptions(**fields)


@pytest.fixture
def drivers() -> CostDrivers:
    return derive_drivers(make_study(), make_assumptions())


class TestWorkedExample:
    def test_patients(self, drivers):
        # 60 enrolled, 25% screen failure: 60 / 0.75 = 80 screened; 10% dropout: 54 complete.
        assert drivers.patients_enrolled.value == 60
        assert drivers.patients_screened.value == 80
        assert drivers.patients_completed.value == 54

    def test_sites_open_evenly_over_start_up(self, drivers):
        # 12 sites over 4 start-up months: 3 a month, then none for the other 21 months.
        assert drivers.sites_activated_per_month == (3, 3, 3, 3) + (0,) * 21
        assert drivers.sites.value == 12

    def test_site_months(self, drivers):
        # Last patient out at month 4 + 12 + 6 = 22: 3 x (22 + 21 + 20 + 19) = 246.
        assert drivers.active_site_months.value == 246
        # Planned: 12 sites x 25 months.
        assert drivers.planned_site_months.value == 300

    def test_monitoring_visits_every_six_weeks(self, drivers):
        # 246 x (52 / 12) / 6 = 177.67, rounded up to 178.
        assert drivers.monitoring_visits.value == 178
        assert "ROUND_CEILING" in drivers.monitoring_visits.rounding

    def test_monitoring_visits_per_site_month(self):
        found = derive_drivers(
            make_study(),
            make_assumptions(monitoring_interval_weeks=None, monitoring_visits_per_site_month="0.5"),
        )
        assert found.monitoring_visits.value == 123

    def test_patient_visits(self, drivers):
        # One screening visit per screened patient, four other visits per enrolled patient.
        assert drivers.patient_visits.value == 80 + 4 * 60

    def test_crf_pages_use_the_default_for_visits_without_pages(self, drivers):
        # Screening 12 pages x 80; others 15 + 10 (default) + 8 + 6 = 39 pages x 60.
        assert drivers.crf_pages.value == 12 * 80 + 39 * 60
        assert "1 visits without crf_pages counted at 10" in drivers.crf_pages.formula

    def test_months(self, drivers):
        assert drivers.startup_months.value == 4
        assert drivers.enrolment_months.value == 12
        assert drivers.treatment_months.value == 6
        assert drivers.closeout_months.value == 3
        assert drivers.total_months.value == 25
        assert drivers.tables_listings_figures.value == 120

    def test_uneven_sites_go_to_the_earliest_months(self):
        found = derive_drivers(make_study(sites=10), make_assumptions())
        assert found.sites_activated_per_month[:4] == (3, 3, 2, 2)

    def test_explicit_activation_plan(self):
        plan = SiteActivation.planned((1, 2), (3, 6), (6, 4))
        found = derive_drivers(make_study(), make_assumptions(activation=plan))
        assert found.sites_activated_per_month[:7] == (0, 2, 0, 6, 0, 0, 4)
        assert found.active_site_months.value == 2 * 21 + 6 * 19 + 4 * 16
        assert found.month_of(Milestone.FIRST_SITE_ACTIVATED) == 1


class TestDriverRecordsItsDerivation:
    def test_screened_says_how(self, drivers):
        screened = drivers.patients_screened
        assert screened.formula == "ceil(enrolled / (1 - screen_failure_rate)) = ceil(60 / (1 - 0.25)) = ceil(80)"
        assert dict(screened.inputs) == {"enrolled": "60", "screen_failure_rate": "0.25"}
        assert screened.rounding.startswith("ROUND_CEILING")
        assert str(screened).startswith("80 patient (")

    def test_fraction_is_rounded_by_the_stated_rule(self):
        found = derive_drivers(make_study(planned_patients=61, screen_failure_rate="0.3"), make_assumptions())
        # 61 / 0.7 = 87.14..., up to 88; 61 x 0.9 = 54.9, down to 54.
        assert found.patients_screened.value == 88
        assert found.patients_completed.value == 54
        assert "87.14" in found.patients_screened.formula
        assert found.patients_completed.rounding.startswith("ROUND_FLOOR")

    def test_exact_counts_say_so(self, drivers):
        assert drivers.sites.rounding.startswith("none")

    def test_driver_refuses_floats_and_negatives(self):
        with pytest.raises(InvalidAmountError):
            Driver(name="x", value=1.5, unit="u", formula="f", rounding="none")
        with pytest.raises(ValidationError, match="value"):
            Driver(name="x", value=-1, unit="u", formula="f", rounding="none")


class TestGetByBasis:
    @pytest.mark.parametrize(
        ("basis", "expected"),
        [
            (UnitBasis.PER_STUDY, 1),
            (UnitBasis.PER_COUNTRY, 3),
            (UnitBasis.PER_SITE, 12),
            (UnitBasis.PER_SITE_MONTH, 300),
            (UnitBasis.PER_ACTIVE_SITE_MONTH, 246),
            (UnitBasis.PER_PATIENT_SCREENED, 80),
            (UnitBasis.PER_PATIENT_ENROLLED, 60),
            (UnitBasis.PER_PATIENT_COMPLETED, 54),
            (UnitBasis.PER_PATIENT_VISIT, 320),
            (UnitBasis.PER_MONITORING_VISIT, 178),
            (UnitBasis.PER_PAGE, 3300),
            (UnitBasis.PER_TABLE, 120),
            (UnitBasis.PER_MONTH, 25),
        ],
    )
    def test_each_basis(self, drivers, basis, expected):
        assert drivers.get(basis).value == expected

    @pytest.mark.parametrize(
        "basis", [UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH, UnitBasis.PER_SAMPLE, UnitBasis.PASS_THROUGH]
    )
    def test_bases_that_need_a_quantity(self, drivers, basis):
        with pytest.raises(ValidationError, match="needs an explicit quantity") as info:
            drivers.get(basis)
        assert info.value.problems[0].path == "basis"

    def test_visit_bases_need_a_schedule(self):
        found = derive_drivers(make_study(visits=()), make_assumptions())
        assert found.patient_visits.value == 0
        with pytest.raises(ValidationError, match="lists no visits"):
            found.get(UnitBasis.PER_PAGE)


class TestMonths:
    def test_spans(self, drivers):
        assert drivers.months_for(UnitBasis.PER_SITE) == (0, 1, 2, 3)
        assert drivers.months_for(UnitBasis.PER_PATIENT_ENROLLED) == tuple(range(4, 16))
        assert drivers.months_for(UnitBasis.PER_PATIENT_VISIT) == tuple(range(4, 22))
        assert drivers.months_for(UnitBasis.PER_ACTIVE_SITE_MONTH) == tuple(range(22))
        assert drivers.months_for(UnitBasis.PER_TABLE) == (22, 23, 24)
        assert drivers.months_for(UnitBasis.PER_STUDY) == tuple(range(25))
        assert drivers.months_for(None) == tuple(range(25))

    def test_tables_without_close_out_fall_in_the_last_month(self):
        found = derive_drivers(make_study(), make_assumptions(closeout_months=0))
        assert found.months_for(UnitBasis.PER_TABLE) == (21,)

    def test_milestones(self, drivers):
        assert drivers.month_of(Milestone.CONTRACT_SIGNED) == 0
        assert drivers.month_of(Milestone.FIRST_PATIENT_IN) == 4
        assert drivers.month_of(Milestone.HALF_ENROLLED) == 9
        assert drivers.month_of(Milestone.LAST_PATIENT_IN) == 15
        assert drivers.month_of(Milestone.LAST_PATIENT_OUT) == 21
        assert drivers.month_of(Milestone.DATABASE_LOCK) == 22
        assert drivers.month_of(Milestone.TOPLINE_RESULTS) == 23
        assert drivers.month_of(Milestone.CLINICAL_STUDY_REPORT) == 24
        assert drivers.month_of(Milestone.APPROVAL) == 24


class TestRefusals:
    def test_monitoring_frequency_given_twice(self):
        with pytest.raises(ValidationError, match="got both") as info:
            make_assumptions(monitoring_visits_per_site_month="1")
        assert info.value.problems[0].path == "monitoring_interval_weeks"

    def test_monitoring_frequency_missing(self):
        with pytest.raises(ValidationError, match="got neither"):
            make_assumptions(monitoring_interval_weeks=None)

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("startup_months", 0),
            ("enrolment_months", -1),
            ("treatment_months", True),
            ("closeout_months", "3"),
            ("tables_listings_figures", -5),
            ("crf_pages_per_visit_default", 1.5),
        ],
    )
    def test_bad_whole_numbers(self, field, value):
        with pytest.raises(ValidationError) as info:
            make_assumptions(**{field: value})
        assert info.value.problems[0].path == field

    def test_float_visit_rate_refused(self):
        with pytest.raises(InvalidAmountError, match="float"):
            make_assumptions(monitoring_interval_weeks=None, monitoring_visits_per_site_month=0.5)

    def test_negative_visit_rate_refused(self):
        with pytest.raises(ValidationError) as info:
            make_assumptions(monitoring_interval_weeks=None, monitoring_visits_per_site_month="-1")
        assert info.value.problems[0].path == "monitoring_visits_per_site_month"

    def test_plan_must_open_the_study_sites(self):
        plan = SiteActivation.planned((0, 5), (1, 5))
        with pytest.raises(ValidationError, match="opens 10 sites, but the study has 12") as info:
            derive_drivers(make_study(), make_assumptions(activation=plan))
        assert info.value.problems[0].path == "activation.plan"

    def test_plan_must_open_sites_before_enrolment_ends(self):
        plan = SiteActivation.planned((0, 6), (16, 6))
        with pytest.raises(ValidationError, match="before enrolment ends") as info:
            derive_drivers(make_study(), make_assumptions(activation=plan))
        assert info.value.problems[0].path == "activation.plan[1][0]"

    @pytest.mark.parametrize(
        ("plan", "path"),
        [
            (((2, 3), (1, 3)), "plan[1][0]"),
            (((0, 0),), "plan[0][1]"),
            (((-1, 3),), "plan[0][0]"),
            (((0, 3, 4),), "plan[0]"),
        ],
    )
    def test_bad_plans(self, plan, path):
        with pytest.raises(CrokitError) as info:
            SiteActivation(plan=plan)
        assert isinstance(info.value, ValidationError)
        assert info.value.problems[0].path == path

    @pytest.mark.parametrize("plan", [None, 5, "0,3", [3]])
    def test_plans_that_are_not_pairs(self, plan):
        with pytest.raises(ValidationError) as info:
            SiteActivation(plan=plan)
        assert info.value.problems[0].path.startswith("plan")

    def test_plan_as_lists(self):
        assert SiteActivation(plan=[[0, 2], [1, 10]]).plan == ((0, 2), (1, 10))

    @pytest.mark.parametrize(
        ("inputs", "path"), [(None, "inputs"), ([("a", "1", "2")], "inputs[0]"), (["ab"], "inputs[0]")]
    )
    def test_driver_inputs_are_pairs(self, inputs, path):
        with pytest.raises(ValidationError) as info:
            Driver(name="x", value=1, unit="u", formula="f", inputs=inputs, rounding="none")
        assert info.value.problems[0].path == path

    def test_empty_planned_activation(self):
        with pytest.raises(ValidationError, match="at least one"):
            SiteActivation.planned()

    def test_drivers_refuse_a_short_activation_profile(self, drivers):
        with pytest.raises(ValidationError, match="one entry per study month") as info:
            attrs.evolve(drivers, sites_activated_per_month=(12,))
        assert info.value.problems[0].path == "sites_activated_per_month"

    @pytest.mark.parametrize(
        ("profile", "path"),
        [
            ((0,) * 25, "sites_activated_per_month"),
            ((13,) + (0,) * 24, "sites_activated_per_month"),
            ((-1, 13) + (0,) * 23, "sites_activated_per_month[0]"),
        ],
    )
    def test_drivers_refuse_a_profile_that_does_not_open_the_sites(self, drivers, profile, path):
        with pytest.raises(ValidationError) as info:
            attrs.evolve(drivers, sites_activated_per_month=profile)
        assert info.value.problems[0].path == path


@st.composite
def studies_and_assumptions(draw):
    patients = draw(st.integers(1, 5000))
    sites = draw(st.integers(1, min(patients, 300)))
    study = make_study(
        planned_patients=patients,
        sites=sites,
        screen_failure_rate=draw(st.decimals("0", "0.95", places=3)),
        dropout_rate=draw(st.decimals("0", "0.95", places=3)),
    )
    assumptions = make_assumptions(
        startup_months=draw(st.integers(1, 24)),
        enrolment_months=draw(st.integers(1, 48)),
        treatment_months=draw(st.integers(0, 36)),
        closeout_months=draw(st.integers(0, 12)),
        monitoring_interval_weeks=draw(st.integers(1, 26)),
    )
    return study, assumptions


class TestProperties:
    @given(studies_and_assumptions())
    def test_counts_follow_their_rules(self, pair):
        study, assumptions = pair
        found = derive_drivers(study, assumptions)
        exact_screened = Fraction(study.planned_patients) / (1 - Fraction(study.screen_failure_rate))
        assert found.patients_screened.value == math.ceil(exact_screened)
        assert found.patients_completed.value <= found.patients_enrolled.value <= found.patients_screened.value
        assert sum(found.sites_activated_per_month) == study.sites
        assert len(found.sites_activated_per_month) == found.total_months.value
        assert found.active_site_months.value <= found.planned_site_months.value
        for value in found.sites_activated_per_month[: assumptions.startup_months]:
            assert abs(value - study.sites // assumptions.startup_months) <= 1

    @given(studies_and_assumptions())
    def test_derivation_is_pure(self, pair):
        study, assumptions = pair
        assert derive_drivers(study, assumptions) == derive_drivers(study, assumptions)

    @given(studies_and_assumptions(), st.sampled_from(list(UnitBasis)))
    def test_every_span_is_inside_the_study(self, pair, basis):
        found = derive_drivers(*pair)
        months = found.months_for(basis)
        assert months
        assert all(0 <= month < found.total_months.value for month in months)
        for milestone in Milestone:
            assert 0 <= found.month_of(milestone) < found.total_months.value
