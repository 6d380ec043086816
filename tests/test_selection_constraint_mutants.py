"""Constraint checks at their boundaries, and the exact words of each reason (mutation testing, issue #9).

mutmut's run of ``selection/constraints.py`` left survivors that move a boundary (a
budget equal to the ceiling, a study count equal to the minimum, a turnover equal to
its limit) or drop the phase from the studies counted; these tests pin each one.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from crokit import AreaExperience, Money, Stage, TeamExperience, ValidationError
from crokit.pricing import Budget, CostBucket, LineItem, PricingKind
from crokit.selection import Constraints, CustomConstraint, CustomConstraintKind, check_constraints

from tests.selection.test_constraints import REGISTRY, STUDY, ctx, custom  # isort: skip


def _budget(amount: str) -> Budget:
    money = Money(amount, "USD")
    line = LineItem(
        service="crokit:biostatistics",
        stage=Stage.PHASE_2,
        kind=PricingKind.FIXED_FEE,
        bucket=CostBucket.CRO_DIRECT_FEES,
        description="Analysis",
        basis=None,
        quantity=Decimal(1),
        unit_price=money,
        amount=money,
        months=(0,),
        derivation="a fixed fee",
    )
    return Budget(currency="USD", lines=(line,))


def test_a_budget_equal_to_the_ceiling_is_within_it_and_a_cent_more_is_not() -> None:
    within = Constraints(within_budget_ceiling=True)
    ceiling = Money("1000.00", "USD")
    assert check_constraints(ctx(budget=_budget("1000.00"), ceiling=ceiling), within) == ()
    assert check_constraints(ctx(budget=_budget("1000.01"), ceiling=ceiling), within) == (
        "budget 1,000.01 USD is above the ceiling 1,000.00 USD",
    )


def test_exactly_the_minimum_of_studies_in_the_area_is_enough() -> None:
    constraints = Constraints(min_area_studies=3)
    three = (AreaExperience(area="crokit:rare-disease", phase=Stage.PHASE_3, studies=3),)
    two = (AreaExperience(area="crokit:rare-disease", phase=Stage.PHASE_3, studies=2),)
    assert check_constraints(ctx(experience=three), constraints) == ()
    assert check_constraints(ctx(experience=two), constraints) == (
        "2 studies in Rare disease, fewer than the 3 required",
    )


def test_a_custom_minimum_counts_studies_at_the_studys_phase_only() -> None:
    constraints = Constraints(custom=(custom(CustomConstraintKind.MIN_STUDIES, "2"),))
    other_phase = (AreaExperience(area="crokit:rare-disease", phase=Stage.PHASE_3, studies=5),)
    at_phase = (AreaExperience(area="crokit:rare-disease", phase=STUDY.phase, studies=2),)
    assert check_constraints(ctx(experience=at_phase), constraints) == ()
    assert check_constraints(ctx(experience=other_phase), constraints) == (
        "c-min-studies (sponsor rule): 0 studies in Rare disease at Phase 2, needs 2",
    )


def test_a_turnover_equal_to_the_limit_passes_and_above_it_fails() -> None:
    constraints = Constraints(custom=(custom(CustomConstraintKind.MAX_TURNOVER, "0.25"),))
    at_limit = TeamExperience(average_years=Decimal(5), turnover_rate=Decimal("0.25"))
    above = TeamExperience(average_years=Decimal(5), turnover_rate=Decimal("0.26"))
    assert check_constraints(ctx(team=at_limit), constraints) == ()
    assert check_constraints(ctx(team=above), constraints) == (
        "c-max-turnover (sponsor rule): staff turnover 0.26 is above 0.25",
    )
    assert check_constraints(ctx(), constraints) == (
        "c-max-turnover (sponsor rule): no staff turnover in the profile, needs at most 0.25",
    )


def test_an_excluded_candidate_is_named_and_others_are_not() -> None:
    constraints = Constraints(custom=(custom(CustomConstraintKind.EXCLUDE_CANDIDATE, "helix"),))
    assert check_constraints(ctx(), constraints) == ("c-exclude-candidate (sponsor rule): excluded by the sponsor",)
    assert check_constraints(ctx(id="bolt"), constraints) == ()


def test_a_required_category_is_named_in_the_reason() -> None:
    constraints = Constraints(custom=(custom(CustomConstraintKind.REQUIRE_CATEGORY, "crokit:specialty"),))
    (reason,) = check_constraints(ctx(), constraints)
    name = REGISTRY.category("crokit:specialty").name
    assert reason == f"c-require-category (sponsor rule): not in the category {name}"


def test_the_ceiling_refusals_have_their_paths_and_words() -> None:
    with pytest.raises(ValidationError) as caught:
        check_constraints(ctx(), Constraints(within_budget_ceiling=True))
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("within_budget_ceiling", "no budget ceiling to check against: set preferences.budget_ceiling")
    ]
    with pytest.raises(ValidationError) as caught:
        check_constraints(
            ctx(budget=_budget("1.00"), ceiling=Money("1.00", "EUR")), Constraints(within_budget_ceiling=True)
        )
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("budget_ceiling", "the ceiling is in EUR but the budget in USD")
    ]


def test_custom_constraint_refusals_have_their_paths_and_words() -> None:
    first = CustomConstraint(id="c1", description="d", kind="min-studies", value="1")  # a kind as its text
    assert first.kind is CustomConstraintKind.MIN_STUDIES
    with pytest.raises(ValidationError) as caught:
        Constraints(custom=(first, first))
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("custom[1].id", "'c1' is already used by custom[0]")
    ]
    cases = {
        ("max-turnover", "lots"): "expected a rate such as '0.25', got 'lots'",
        ("max-turnover", "1.5"): "1.5 is not a fraction between 0 and 1; did you mean 0.015 (1.5%)?",
        ("require-technology", "fax"): (
            "expected one of 'edc', 'ecoa', 'irt', 'dct', 'rbm', 'ctms', 'etmf', 'safety-database', got 'fax'"
        ),
    }
    for (kind, value), message in cases.items():
        with pytest.raises(ValidationError) as caught:
            CustomConstraint(id="c1", description="d", kind=kind, value=value)
        assert [(p.path, p.message) for p in caught.value.problems] == [("value", message)]
