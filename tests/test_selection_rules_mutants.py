"""Tests that kill the surviving mutants of ``crokit/selection/rules.py`` (see mutation/RESULTS.md).

Each rule's whole :class:`CriterionScore` is pinned (value, basis, inputs, unanswered
questions) for one context per branch, since the basis and inputs are what a report
prints as the reason for a score; the refusals are pinned with their paths and words;
the boundaries of the scales are pinned on both sides.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest

from crokit import (
    AreaExperience,
    InvalidAmountError,
    Money,
    Stage,
    TeamExperience,
    Technology,
    TechnologyKind,
    ValidationError,
)
from crokit.pricing import Budget, PricingKind
from crokit.selection import Answer, DueDiligence, ScoringContext, SponsorPreferences, score_candidate
from crokit.selection.rules import (
    CriterionScore,
    geographic_reach,
    pricing_fit,
    resolve_rule,
    team_experience,
    technology,
    therapeutic_expertise,
)
from crokit.vocabulary import SelectionCriterion
from tests.selection.test_rules import BUDGET, REGISTRY, STUDY, ctx, line, profile

PRICING_QUESTIONS = (
    "crokit:dd-change-orders",
    "crokit:dd-rate-escalation",
    "crokit:dd-pass-through-fees",
    "crokit:dd-budget-assumptions",
)
TEAM_QUESTIONS = (
    "crokit:dd-named-team",
    "crokit:dd-team-turnover",
    "crokit:dd-project-lead-experience",
    "crokit:dd-escalation",
)
ALONE = "no due-diligence answers, so the profile part alone"
USD = "USD"
TWO_PLATFORMS = profile(
    technologies=(
        Technology(kind=TechnologyKind.EDC, name="Rave", validated=True),
        Technology(kind=TechnologyKind.IRT, name="Balance", validated=True),
    )
)


def _whole(score: CriterionScore) -> tuple[Any, ...]:
    return (score.criterion, score.value, score.basis, score.inputs, score.unanswered)


def _usd(amount: str) -> Money:
    return Money(amount, USD)


def _budget(*lines: tuple[PricingKind, str]) -> Budget:
    return Budget(currency=USD, lines=tuple(line(kind, amount, f"line {n}") for n, (kind, amount) in enumerate(lines)))


# Whole scores, one per branch


def test_therapeutic_expertise_past_saturation_scores_1() -> None:
    experience = (
        AreaExperience(area="crokit:rare-disease", phase=Stage.PHASE_2, studies=6),
        AreaExperience(area="crokit:rare-disease", phase=Stage.PHASE_3, studies=1),
    )
    score = therapeutic_expertise(ctx(profile=profile(experience=experience)))
    assert _whole(score) == (
        "crokit:therapeutic-expertise",
        1.0,
        (
            "6 studies in Rare disease at Phase 2 + 0.5 x 1 at other phases = 6.5, over 5 (saturating at 1): 1; "
            f"{ALONE}: 1"
        ),
        (("studies in area and phase", "6"), ("studies in area, other phases", "1"), ("profile part", "1")),
        ("crokit:dd-indication-phase-studies", "crokit:dd-key-opinion-leaders", "crokit:dd-medical-expertise"),
    )


def test_geographic_reach_names_every_country_missing() -> None:
    score = geographic_reach(ctx(profile=profile(countries=("US",))))
    assert _whole(score) == (
        "crokit:geographic-reach",
        0.25,
        f"covers 1 of the study's 4 countries (missing: DE, FR, GB): 0.25; {ALONE}: 0.25",
        (("countries covered", "1"), ("study countries", "4"), ("profile part", "0.25")),
        ("crokit:dd-recruitment-track-record", "crokit:dd-local-regulatory", "crokit:dd-subcontracting"),
    )


def test_geographic_reach_missing_none() -> None:
    score = geographic_reach(ctx(profile=profile(countries=("US", "DE", "FR", "GB"))))
    assert score.basis.startswith("covers 4 of the study's 4 countries (missing: none): 1;")


@pytest.mark.parametrize(
    ("preferences", "study", "expected"),
    [
        (
            SponsorPreferences(),
            STUDY,
            (
                (
                    "platforms from the platforms the study's required services imply: edc validated 1, "
                    "irt validated 1; mean 1"
                ),
                "2",
                "2",
            ),
        ),
        (
            SponsorPreferences(required_technologies=("edc", "ecoa")),
            STUDY,
            ("platforms from the sponsor's required technologies: edc validated 1, ecoa missing 0; mean 0.5", "2", "1"),
        ),
        (
            SponsorPreferences(),
            attrs.evolve(STUDY, required_services=()),
            ("platforms from EDC, as nothing more specific is required: edc validated 1; mean 1", "1", "1"),
        ),
    ],
    ids=["implied", "sponsor", "edc"],
)
def test_technology_says_where_its_platforms_come_from(
    preferences: SponsorPreferences, study: Any, expected: tuple[str, str, str]
) -> None:
    basis, required, points = expected
    score = technology(ctx(profile=TWO_PLATFORMS, preferences=preferences, study=study))
    assert score.criterion == "crokit:technology"
    assert score.basis.startswith(basis + ";")
    assert score.inputs[:2] == (("platforms required", required), ("platform points", points))


def test_team_experience_without_team_data() -> None:
    score = team_experience(ctx())
    assert _whole(score) == (
        "crokit:team-experience",
        0.0,
        f"no team data in the profile: 0 (no evidence, no credit); {ALONE}: 0",
        (("profile part", "0"),),
        TEAM_QUESTIONS,
    )


def test_team_experience_blended_with_the_questionnaire() -> None:
    team = TeamExperience(average_years=Decimal(3), turnover_rate=Decimal("0.5"), named_staff=False)
    answers = DueDiligence(
        candidate="helix", answers=(Answer(question="crokit:dd-team-turnover", number=Decimal("0.1")),)
    )
    score = team_experience(ctx(profile=profile(team=team), due_diligence=answers))
    assert _whole(score) == (
        "crokit:team-experience",
        0.495,
        (
            "0.4 x years 3/5 capped (0.6) + 0.4 x turnover (1 - 0.5/0.4) (0) + 0.2 x named team (0) = 0.24; "
            "blended 0.5 x 0.24 + 0.5 x questionnaire 0.75 (1 answered, 3 unanswered) = 0.495"
        ),
        (
            ("average years", "3"),
            ("turnover rate", "0.5"),
            ("named staff", "false"),
            ("profile part", "0.24"),
            ("questionnaire score", "0.75"),
        ),
        ("crokit:dd-named-team", "crokit:dd-project-lead-experience", "crokit:dd-escalation"),
    )


def test_answers_for_other_criteria_only_are_no_scored_answers() -> None:
    answers = DueDiligence(candidate="helix", answers=())
    score = team_experience(ctx(due_diligence=answers))
    assert score.basis == (
        "no team data in the profile: 0 (no evidence, no credit); no scored due-diligence answers, "
        "so the profile part alone: 0"
    )


PRICING_CASES: list[tuple[str, dict[str, Any], tuple[Any, ...]]] = [
    (
        "no budget",
        {},
        (0.0, "no budget quoted: 0 (no quote, no credit)", (("profile part", "0"),)),
    ),
    (
        "neutral",
        {"budget": BUDGET},
        (
            0.5,
            (
                "no budget ceiling and no preferred pricing given, so the price cannot be judged on an absolute scale: "
                "0.5 (neutral; set a budget ceiling to score price)"
            ),
            (("budget total", "900000.00 USD"), ("profile part", "0.5")),
        ),
    ),
    (
        "ceiling",
        {"budget": BUDGET, "preferences": SponsorPreferences(budget_ceiling=_usd("1000000.00"))},
        (
            0.6,
            "total 900,000.00 USD is 90.0% of the ceiling 1,000,000.00 USD (1 at or below 50%, 0 at 150%): 0.6",
            (("budget total", "900000.00 USD"), ("ceiling", "1000000.00 USD"), ("profile part", "0.6")),
        ),
    ),
    (
        "far below the ceiling",
        {"budget": BUDGET, "preferences": SponsorPreferences(budget_ceiling=_usd("3600000.00"))},
        (
            1.0,
            "total 900,000.00 USD is 25.0% of the ceiling 3,600,000.00 USD (1 at or below 50%, 0 at 150%): 1",
            (("budget total", "900000.00 USD"), ("ceiling", "3600000.00 USD"), ("profile part", "1")),
        ),
    ),
    (
        "preferred kinds only",
        {"budget": BUDGET, "preferences": SponsorPreferences(preferred_pricing=("fixed-fee", "unit"))},
        (
            2 / 3,
            "66.7% of the budget is in the preferred kinds (fixed-fee, unit)",
            (("budget total", "900000.00 USD"), ("share in preferred kinds", "0.667"), ("profile part", "0.667")),
        ),
    ),
    (
        "everything",
        {
            "budget": BUDGET,
            "preferences": SponsorPreferences(
                budget_ceiling=_usd("1000000.00"), preferred_pricing=("fixed-fee",), price_against_lowest=True
            ),
            "lowest_total": _usd("720000.00"),
        },
        (
            0.69,
            (
                "lowest eligible total 720,000.00 USD / this total 900,000.00 USD = 0.8 and total 900,000.00 USD is "
                "90.0% of the ceiling 1,000,000.00 USD (1 at or below 50%, 0 at 150%): 0.6; price part 0.5 x 0.8 + "
                "0.5 x 0.6 = 0.7 and 66.7% of the budget is in the preferred kinds (fixed-fee); 0.7 x 0.7 + 0.3 x "
                "0.667 = 0.69"
            ),
            (
                ("budget total", "900000.00 USD"),
                ("lowest total", "720000.00 USD"),
                ("ceiling", "1000000.00 USD"),
                ("share in preferred kinds", "0.667"),
                ("profile part", "0.69"),
            ),
        ),
    ),
    (
        "a total of zero",
        {
            "budget": _budget((PricingKind.FIXED_FEE, "0.00")),
            "preferences": SponsorPreferences(price_against_lowest=True),
            "lowest_total": _usd("0.00"),
        },
        (
            1.0,
            "lowest eligible total 0.00 USD / this total 0.00 USD = 1",
            (("budget total", "0.00 USD"), ("lowest total", "0.00 USD"), ("profile part", "1")),
        ),
    ),
    (
        "a total below one",
        {
            "budget": _budget((PricingKind.FIXED_FEE, "0.50")),
            "preferences": SponsorPreferences(price_against_lowest=True, preferred_pricing=("fixed-fee",)),
            "lowest_total": _usd("0.25"),
        },
        (
            0.65,
            (
                "lowest eligible total 0.25 USD / this total 0.50 USD = 0.5 and 100.0% of the budget is in the "
                "preferred kinds (fixed-fee); 0.7 x 0.5 + 0.3 x 1 = 0.65"
            ),
            (
                ("budget total", "0.50 USD"),
                ("lowest total", "0.25 USD"),
                ("share in preferred kinds", "1"),
                ("profile part", "0.65"),
            ),
        ),
    ),
    (
        "a lowest total above this one",
        {
            "budget": BUDGET,
            "preferences": SponsorPreferences(price_against_lowest=True),
            "lowest_total": _usd("1000000.00"),
        },
        (
            1.0,
            "lowest eligible total 1,000,000.00 USD / this total 900,000.00 USD = 1",
            (("budget total", "900000.00 USD"), ("lowest total", "1000000.00 USD"), ("profile part", "1")),
        ),
    ),
    (
        "preferred share above the total",
        {
            "budget": _budget((PricingKind.FIXED_FEE, "1000.00"), (PricingKind.ADJUSTMENT, "-500.00")),
            "preferences": SponsorPreferences(preferred_pricing=("fixed-fee",)),
        },
        (
            1.0,
            "100.0% of the budget is in the preferred kinds (fixed-fee)",
            (("budget total", "500.00 USD"), ("share in preferred kinds", "1"), ("profile part", "1")),
        ),
    ),
]


@pytest.mark.parametrize(
    ("changes", "expected"), [case[1:] for case in PRICING_CASES], ids=[c[0] for c in PRICING_CASES]
)
def test_pricing_fit_whole_score(changes: dict[str, Any], expected: tuple[Any, ...]) -> None:
    value, basis, inputs = expected
    score = pricing_fit(ctx(**changes))
    assert score.criterion == "crokit:pricing-fit"
    assert score.value == pytest.approx(value, abs=1e-12)
    assert score.basis == f"{basis}; {ALONE}: {inputs[-1][1]}"
    assert score.inputs == inputs
    assert score.unanswered == PRICING_QUESTIONS


# Manual scores


def test_a_manual_score_on_the_first_criterion_leaves_the_others_to_their_rules() -> None:
    criteria = ["crokit:technology", "crokit:geographic-reach", "crokit:team-experience"]
    scores = score_candidate(ctx(), criteria, {"crokit:technology": Decimal("0.4")})
    assert [s.criterion for s in scores] == criteria
    assert _whole(scores[0]) == (
        "crokit:technology",
        0.4,
        "scored by hand: 0.4 (instead of the rule crokit.selection.rules:technology)",
        (("manual", "0.4"),),
        (),
    )


def test_a_manual_score_of_a_criterion_without_a_rule_names_no_rule() -> None:
    extra = SelectionCriterion(id="acme:culture", name="Culture", description="Fit", why="Works together")
    (score,) = score_candidate(
        ctx(registry=REGISTRY.with_entries(extra)), ["acme:culture"], {"acme:culture": Decimal(1)}
    )
    assert (score.basis, score.inputs) == ("scored by hand: 1", (("manual", "1"),))


@pytest.mark.parametrize("raw", ["0", "1", Decimal(0), Decimal(1)])
def test_manual_scores_at_the_ends_of_the_scale_are_accepted(raw: object) -> None:
    (score,) = score_candidate(ctx(), ["crokit:technology"], {"crokit:technology": raw})  # type: ignore[dict-item]
    assert score.value == float(raw)  # type: ignore[arg-type]


def test_manual_score_refusals_have_their_path_and_words() -> None:
    with pytest.raises(ValidationError) as info:
        score_candidate(ctx(), ["crokit:technology"], {"crokit:technology": "much"})  # type: ignore[dict-item]
    problem = info.value.problems[0]
    assert (problem.path, problem.message) == (
        "manual['crokit:technology']",
        "expected a score such as '2.5' or '1/3', got the text 'much'",
    )
    with pytest.raises(ValidationError) as info:
        score_candidate(ctx(), ["crokit:technology"], {"crokit:technology": Decimal("1.5")})
    assert (info.value.problems[0].path, info.value.problems[0].message) == (
        "manual['crokit:technology']",
        "a score outside its scale: expected 0 to 1 for 'crokit:technology', got Decimal('1.5')",
    )


def test_a_manual_score_of_a_known_criterion_not_scored_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        score_candidate(ctx(), ["crokit:technology"], {"crokit:geographic-reach": Decimal("0.5")})
    assert (info.value.problems[0].path, info.value.problems[0].message) == (
        "manual['crokit:geographic-reach']",
        "'crokit:geographic-reach' is not one of the criteria scored",
    )


def test_a_manual_score_of_an_unknown_criterion_suggests_the_closest() -> None:
    from crokit import UnknownIdError

    with pytest.raises(UnknownIdError) as info:
        score_candidate(ctx(), ["crokit:technology"], {"crokit:tecnology": Decimal("0.5")})
    assert info.value.path == "manual['crokit:tecnology']"
    assert info.value.id == "crokit:tecnology"
    assert info.value.suggestions[0] == "crokit:technology"


# Model refusals and boundaries


def test_a_criterion_score_holds_a_float() -> None:
    score = CriterionScore(criterion="crokit:technology", value=1, basis="b")
    assert type(score.value) is float
    assert score.value == 1.0
    assert type(CriterionScore(criterion="crokit:technology", value=0.5, basis="b").value) is float


@pytest.mark.parametrize("bad", [1.5, -0.1, 2])
def test_a_criterion_score_off_its_scale_is_refused(bad: float) -> None:
    with pytest.raises(ValidationError) as info:
        CriterionScore(criterion="crokit:technology", value=bad, basis="b")
    assert (info.value.problems[0].path, info.value.problems[0].message) == (
        "value",
        f"expected a score from 0 to 1, got {float(bad)!r}",
    )


@pytest.mark.parametrize(("years", "ok"), [("0", False), ("0.5", True), ("60", True), ("60.5", False)])
def test_min_team_years_boundaries(years: str, ok: bool) -> None:  # noqa: FBT001 - a parameter
    if ok:
        assert SponsorPreferences(min_team_years=years).min_team_years == Decimal(years)
        return
    with pytest.raises(ValidationError) as info:
        SponsorPreferences(min_team_years=years)
    assert (info.value.problems[0].path, info.value.problems[0].message) == (
        "min_team_years",
        f"expected years above 0 and at most 60, got {years}",
    )


def test_float_min_team_years_is_refused_as_years() -> None:
    with pytest.raises(InvalidAmountError, match=r"give the years as text like '5\.0'"):
        SponsorPreferences(min_team_years=5.0)


@pytest.mark.parametrize(("full", "zero"), [("0", "1"), ("0.5", "10")])
def test_the_ends_of_the_ceiling_band_are_accepted(full: str, zero: str) -> None:
    preferences = SponsorPreferences(price_full_at=full, price_zero_at=zero)
    assert (preferences.price_full_at, preferences.price_zero_at) == (Decimal(full), Decimal(zero))


@pytest.mark.parametrize(("amount", "ok"), [("0.50", True), ("0.00", False), ("-1.00", False)])
def test_a_ceiling_must_be_above_zero(amount: str, ok: bool) -> None:  # noqa: FBT001 - a parameter
    if ok:
        assert SponsorPreferences(budget_ceiling=_usd(amount)).budget_ceiling == _usd(amount)
        return
    with pytest.raises(ValidationError) as info:
        SponsorPreferences(budget_ceiling=_usd(amount))
    assert (info.value.problems[0].path, info.value.problems[0].message) == (
        "budget_ceiling",
        f"expected a ceiling above 0, got {amount} USD",
    )


def test_a_negative_lowest_total_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        ScoringContext(study=STUDY, profile=profile(), registry=REGISTRY, lowest_total=_usd("-0.01"))
    assert (info.value.problems[0].path, info.value.problems[0].message) == (
        "lowest_total",
        "expected a total of 0 or more, got -0.01 USD",
    )
    zero = ScoringContext(study=STUDY, profile=profile(), registry=REGISTRY, lowest_total=_usd("0.00"))
    assert zero.lowest_total == _usd("0.00")


def test_a_ceiling_in_another_currency_is_refused_at_the_budget() -> None:
    preferences = SponsorPreferences(budget_ceiling=Money("1000000.00", "EUR"))
    with pytest.raises(ValidationError) as info:
        pricing_fit(ctx(budget=BUDGET, preferences=preferences))
    assert (info.value.problems[0].path, info.value.problems[0].message) == (
        "budget",
        "the budget is in USD but the ceiling is in EUR; convert one",
    )


@pytest.mark.parametrize(
    ("field", "values", "path", "message"),
    [
        (
            "preferred_pricing",
            ("unit", "fte", "unit"),
            "preferred_pricing[2]",
            "<PricingKind.UNIT: 'unit'> is listed more than once",
        ),
        (
            "required_technologies",
            ("edc", "irt", "edc"),
            "required_technologies[2]",
            "<TechnologyKind.EDC: 'edc'> is listed more than once",
        ),
    ],
)
def test_a_kind_listed_twice_is_refused_where_it_repeats(
    field: str, values: tuple[str, ...], path: str, message: str
) -> None:
    with pytest.raises(ValidationError) as info:
        SponsorPreferences(**{field: values})  # type: ignore[arg-type]
    assert (info.value.problems[0].path, info.value.problems[0].message) == (path, message)
    assert len(getattr(SponsorPreferences(**{field: values[:2]}), field)) == 2  # type: ignore[arg-type]


# resolve_rule (mutated once mutation/run.py undecorated it)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("crokit.selection.rules:no_such_rule", "'crokit.selection.rules:no_such_rule' does not name a function"),
        ("crokit.selection.rules:technology:x", "'crokit.selection.rules:technology:x' does not name a function"),
        ("crokit.selection.rules:DD_WEIGHT", "'crokit.selection.rules:DD_WEIGHT' does not name a function"),
    ],
)
def test_a_rule_path_naming_no_function_is_refused_at_rule(path: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        resolve_rule(path)
    assert (info.value.problems[0].path, info.value.problems[0].message) == ("rule", message)


def test_a_rule_module_that_cannot_be_imported_is_refused_at_rule() -> None:
    with pytest.raises(ValidationError) as info:
        resolve_rule("acme_missing_rules:x")
    assert info.value.problems[0].path == "rule"
    assert info.value.problems[0].message.startswith("cannot import the rule module of 'acme_missing_rules:x': ")


def test_a_rule_path_names_its_function_after_the_first_colon() -> None:
    assert resolve_rule("crokit.selection.rules:technology") is technology
