"""Hard constraints: every reason listed, custom constraints as data, refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from crokit import (
    AreaExperience,
    CroProfile,
    Money,
    ProviderKind,
    Registry,
    Stage,
    Study,
    TeamExperience,
    Technology,
    TechnologyKind,
    UnknownIdError,
    ValidationError,
)
from crokit.pricing import Budget
from crokit.selection import (
    Constraints,
    CustomConstraint,
    CustomConstraintKind,
    ScoringContext,
    SelectionSettings,
    SponsorPreferences,
    check_constraints,
)

REGISTRY = Registry.builtin()
STUDY = Study(
    name="RD-201",
    phase=Stage.PHASE_2,
    therapeutic_area="crokit:rare-disease",
    indication="Fabry disease",
    planned_patients=60,
    sites=12,
    countries=("US", "DE", "FR"),
    start_date=date(2027, 1, 4),
    currency="USD",
    required_services=("crokit:biostatistics", "crokit:patient-recruitment"),
)


def ctx(budget: Budget | None = None, ceiling: Money | None = None, **changes: Any) -> ScoringContext:
    fields: dict[str, Any] = {
        "id": "helix",
        "name": "Helix",
        "kind": ProviderKind.CRO,
        "services": STUDY.required_services,
        "countries": ("US", "DE", "FR"),
    }
    fields.update(changes)
    preferences = SponsorPreferences(budget_ceiling=ceiling)
    return ScoringContext(
        study=STUDY, profile=CroProfile(**fields), registry=REGISTRY, budget=budget, preferences=preferences
    )


def custom(kind: CustomConstraintKind, value: str) -> CustomConstraint:
    return CustomConstraint(id=f"c-{kind.value}", description="sponsor rule", kind=kind, value=value)


def test_an_eligible_candidate_has_no_reasons():
    assert check_constraints(ctx(), Constraints()) == ()


def test_cdmo_is_excluded_with_every_other_reason():
    reasons = check_constraints(ctx(kind=ProviderKind.CDMO, services=(), countries=("US",)), Constraints())
    assert len(reasons) == 3
    assert "does not conduct research" in reasons[0]
    assert reasons[1] == "does not offer required services: Biostatistics, Patient recruitment"
    assert reasons[2] == "does not cover study countries: DE, FR"


def test_switches_turn_constraints_off():
    loose = Constraints(must_conduct_research=False, require_services=False, require_countries=False)
    assert check_constraints(ctx(kind=ProviderKind.CDMO, services=(), countries=()), loose) == ()


def test_min_area_studies_and_budget_ceiling():
    constraints = Constraints(min_area_studies=3, within_budget_ceiling=True)
    experience = (AreaExperience(area="crokit:rare-disease", phase=Stage.PHASE_3, studies=2),)
    reasons = check_constraints(ctx(experience=experience, ceiling=Money("100.00", "USD")), constraints)
    assert reasons == (
        "2 studies in Rare disease, fewer than the 3 required",
        "no budget quoted, so the ceiling 100.00 USD cannot be checked",
    )
    within = Constraints(within_budget_ceiling=True)
    with pytest.raises(ValidationError, match="ceiling is in EUR"):
        check_constraints(ctx(budget=Budget(currency="USD"), ceiling=Money("1.00", "EUR")), within)
    assert check_constraints(ctx(budget=Budget(currency="USD"), ceiling=Money("1.00", "USD")), within) == ()
    # the sponsor's ceiling alone only scores pricing fit; the constraint makes it a hard limit
    assert check_constraints(ctx(ceiling=Money("100.00", "USD")), Constraints()) == ()


def test_the_ceiling_constraint_needs_the_ceiling():
    with pytest.raises(ValidationError, match=r"set preferences\.budget_ceiling") as info:
        check_constraints(ctx(), Constraints(within_budget_ceiling=True))
    assert info.value.problems[0].path == "within_budget_ceiling"
    with pytest.raises(ValidationError) as info:
        SelectionSettings(constraints=Constraints(within_budget_ceiling=True))
    assert info.value.problems[0].path == "constraints.within_budget_ceiling"


def test_custom_constraints_each_kind():
    team = TeamExperience(average_years=Decimal(5), turnover_rate=Decimal("0.3"))
    constraints = Constraints(
        custom=(
            custom(CustomConstraintKind.MIN_STUDIES, "1"),
            custom(CustomConstraintKind.MAX_TURNOVER, "0.25"),
            custom(CustomConstraintKind.REQUIRE_CATEGORY, "crokit:specialty"),
            custom(CustomConstraintKind.REQUIRE_TECHNOLOGY, "edc"),
            custom(CustomConstraintKind.EXCLUDE_CANDIDATE, "helix"),
        )
    )
    technologies = (Technology(kind=TechnologyKind.EDC, name="EDC", validated=False),)
    reasons = check_constraints(ctx(team=team, technologies=technologies), constraints)
    assert [r.split(" (")[0] for r in reasons] == [
        "c-min-studies",
        "c-max-turnover",
        "c-require-category",
        "c-require-technology",
        "c-exclude-candidate",
    ]
    assert "staff turnover 0.3 is above 0.25" in reasons[1]
    passing = ctx(
        team=TeamExperience(average_years=Decimal(5), turnover_rate=Decimal("0.1")),
        categories=("crokit:specialty",),
        technologies=(Technology(kind=TechnologyKind.EDC, name="EDC", validated=True),),
        experience=(AreaExperience(area="crokit:rare-disease", phase=Stage.PHASE_2, studies=1),),
        id="bolt",
    )
    assert check_constraints(passing, constraints) == ()


def test_unknown_category_in_a_custom_constraint():
    constraints = Constraints(
        custom=(
            custom(CustomConstraintKind.MIN_STUDIES, "0"),
            custom(CustomConstraintKind.REQUIRE_CATEGORY, "crokit:speciality"),
        )
    )
    with pytest.raises(UnknownIdError) as info:
        check_constraints(ctx(), constraints)
    assert info.value.path == "custom[1].value"
    assert info.value.suggestions[0] == "crokit:specialty"


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (CustomConstraintKind.MIN_STUDIES, "three"),
        (CustomConstraintKind.MIN_STUDIES, "-1"),
        (CustomConstraintKind.MAX_TURNOVER, "1.5"),
        (CustomConstraintKind.MAX_TURNOVER, "lots"),
        (CustomConstraintKind.REQUIRE_CATEGORY, "Specialty"),
        (CustomConstraintKind.REQUIRE_TECHNOLOGY, "fax"),
        (CustomConstraintKind.EXCLUDE_CANDIDATE, "Not An Id"),
    ],
)
def test_custom_values_are_checked(kind, value):
    with pytest.raises(ValidationError) as info:
        custom(kind, value)
    assert info.value.problems[0].path == "value"
    assert repr(value) in str(info.value) or f" {value} " in str(info.value)


def test_a_turnover_percentage_gets_a_hint():
    with pytest.raises(
        ValidationError, match=r"value: 20 is not a fraction between 0 and 1; did you mean 0\.20 \(20%\)\?"
    ):
        custom(CustomConstraintKind.MAX_TURNOVER, "20")


def test_custom_ids_are_unique():
    item = custom(CustomConstraintKind.MIN_STUDIES, "1")
    with pytest.raises(ValidationError) as info:
        Constraints(custom=(item, item))
    assert info.value.problems[0].path == "custom[1].id"
