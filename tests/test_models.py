"""Study and CroProfile: consistent by construction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest
from hypothesis import given

from crokit import (
    AreaExperience,
    CrokitError,
    CroProfile,
    InvalidAmountError,
    ProviderKind,
    Stage,
    Study,
    TeamExperience,
    UnknownIdError,
    ValidationError,
    Visit,
)
from crokit.testing import cro_profiles, studies


def study(**changes: object) -> Study:
    fields: dict[str, object] = {
        "name": "RD-201",
        "phase": Stage.PHASE_2,
        "therapeutic_area": "crokit:rare-disease",
        "indication": "Fabry disease",
        "planned_patients": 60,
        "sites": 12,
        "countries": ("US", "DE"),
        "start_date": date(2027, 1, 4),
        "currency": "USD",
    }
    fields.update(changes)
    return Study(**fields)  # type: ignore[arg-type]


class TestStudy:
    def test_derived_patient_counts(self):
        s = study(screen_failure_rate="0.25", dropout_rate="0.1")
        assert s.screened_patients() == Decimal(80)
        assert s.completed_patients() == Decimal("54.0")

    def test_is_immutable(self):
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            study().sites = 3  # type: ignore[misc]
        assert attrs.evolve(study(), sites=6).sites == 6

    @pytest.mark.parametrize(
        ("changes", "match"),
        [
            ({"planned_patients": 0}, "planned_patients"),
            ({"sites": -3}, "sites: expected a whole number"),
            ({"sites": 61}, "leaves sites with no patient"),
            ({"sites": True}, "sites"),
            ({"countries": ()}, "at least one country"),
            ({"countries": ("US", "USA")}, "same country"),
            ({"screen_failure_rate": "1"}, "screen_failure_rate"),
            ({"dropout_rate": "-0.1"}, "dropout_rate"),
            ({"end_date": date(2026, 1, 1)}, "end_date"),
            ({"phase": Stage.APPROVAL}, "expected a study phase"),
            ({"name": " "}, "name"),
            ({"therapeutic_area": "Oncology"}, "namespaced id"),
            ({"required_services": ("crokit:edc", "crokit:edc")}, "more than once"),
            ({"start_date": "2027-01-04"}, "start_date"),
        ],
    )
    def test_bad_values_are_refused_with_their_field(self, changes, match):
        with pytest.raises(CrokitError, match=match):
            study(**changes)

    def test_float_rates_are_refused(self):
        with pytest.raises(InvalidAmountError, match="float"):
            study(dropout_rate=0.1)

    def test_unknown_country(self):
        with pytest.raises(UnknownIdError, match=r"countries\[1\]: unknown country 'XX'"):
            study(countries=("US", "XX"))

    def test_visits_are_ordered_and_unique(self):
        a = Visit(id="a", name="A", day=1)
        b = Visit(id="b", name="B", day=0)
        with pytest.raises(ValidationError, match="schedule order"):
            study(visits=(a, b))
        with pytest.raises(ValidationError, match="already used"):
            study(visits=(a, Visit(id="a", name="A again", day=5)))

    def test_country_codes_are_normalised_for_comparison(self):
        assert study(countries=("USA", "DE")).country_codes == frozenset({"US", "DE"})

    @given(studies())
    def test_strategy_yields_valid_studies(self, s):
        assert s.planned_patients >= s.sites >= 1
        assert s.screened_patients() >= s.planned_patients >= s.completed_patients()


class TestCroProfile:
    def profile(self, **changes: object) -> CroProfile:
        fields: dict[str, object] = {
            "id": "helix-cro",
            "name": "Helix CRO",
            "kind": ProviderKind.CRO,
            "countries": ("US", "CA"),
            "regions": ("eu",),
            "experience": (AreaExperience(area="crokit:rare-disease", phase=Stage.PHASE_2, studies=7),),
            "team": TeamExperience(average_years="8.5", turnover_rate="0.18"),
        }
        fields.update(changes)
        return CroProfile(**fields)  # type: ignore[arg-type]

    def test_coverage_includes_regions(self):
        profile = self.profile()
        assert {"US", "CA", "DE", "FR"} <= profile.country_codes
        assert profile.covers(frozenset({"US", "JP"})) == frozenset({"US"})

    def test_experience(self):
        profile = self.profile()
        assert profile.studies_in("crokit:rare-disease") == 7
        assert profile.studies_in("crokit:rare-disease", Stage.PHASE_3) == 0

    def test_a_cdmo_is_not_a_research_provider(self):
        assert not ProviderKind.CDMO.conducts_research
        assert ProviderKind.CRO.conducts_research
        assert "CDMO" in ProviderKind.CDMO.label

    @pytest.mark.parametrize(
        ("changes", "match"),
        [
            ({"id": "Helix CRO"}, "expected an id"),
            ({"regions": ("mars",)}, "unknown region"),
            ({"countries": ("US", "US")}, "more than once"),
            (
                {
                    "experience": (
                        AreaExperience(area="crokit:oncology", phase=Stage.PHASE_2, studies=1),
                        AreaExperience(area="crokit:oncology", phase=Stage.PHASE_2, studies=2),
                    )
                },
                "already given",
            ),
        ],
    )
    def test_bad_values(self, changes, match):
        with pytest.raises(CrokitError, match=match):
            self.profile(**changes)

    def test_team_bounds(self):
        with pytest.raises(ValidationError, match="turnover"):
            TeamExperience(average_years="5", turnover_rate="1.5")
        with pytest.raises(ValidationError, match="years"):
            TeamExperience(average_years="61", turnover_rate="0.1")

    @given(cro_profiles())
    def test_strategy_yields_valid_profiles(self, profile):
        assert profile.covers(frozenset()) == frozenset()
