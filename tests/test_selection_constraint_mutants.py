"""Constraint checks at their boundaries, and the exact words of each reason (mutation testing, issue #9).

mutmut's run of ``selection/constraints.py`` left survivors that move a boundary (a
budget equal to the ceiling, a study count equal to the minimum, a turnover equal to
its limit) or drop the phase from the studies counted; these tests pin each one.
"""

from __future__ import annotations

from decimal import Decimal

from crokit import AreaExperience, Money, Stage, TeamExperience
from crokit.pricing import Budget, CostBucket, LineItem, PricingKind
from crokit.selection import Constraints, CustomConstraintKind, check_constraints

from tests.selection.test_constraints import STUDY, ctx, custom  # isort: skip


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
