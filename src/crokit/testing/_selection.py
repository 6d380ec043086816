"""Hypothesis strategies for the CRO-selection models, valid by construction.

Companions of :mod:`crokit.testing` for :mod:`crokit.selection` and
:mod:`crokit.vocabulary.criteria`: criteria, questions, answers, due diligence,
constraints, preferences, settings, candidate inputs, criterion scores and whole
rankings (drawn by running :func:`~crokit.selection.select` on generated inputs).

This module imports Hypothesis and NumPy; ``import crokit`` does not import it.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
from hypothesis import strategies as st

from crokit.money import Money
from crokit.pricing.budget import Budget, CostBucket, LineItem, PricingKind
from crokit.provider import CroProfile, TechnologyKind
from crokit.registry import Registry
from crokit.selection.constraints import Constraints, CustomConstraint, CustomConstraintKind
from crokit.selection.due_diligence import FRACTION_QUESTIONS, Answer, DueDiligence
from crokit.selection.ranking import DEFAULT_CRITERIA, CandidateInput, Ranking, SelectionSettings, select
from crokit.selection.rules import CriterionScore, SponsorPreferences
from crokit.testing._core import cro_profiles, namespaced_ids, studies
from crokit.vocabulary.criteria import AnswerType, Better, CriterionDirection, Question, SelectionCriterion
from crokit.vocabulary.lifecycle import Stage
from crokit.vocabulary.terms import UnitBasis

__all__ = [
    "answers",
    "budgets",
    "candidate_inputs",
    "constraints",
    "criterion_scores",
    "custom_constraints",
    "due_diligences",
    "questions",
    "rankings",
    "selection_criteria",
    "selection_settings",
    "sponsor_preferences",
]

_SLUG = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,15}\Z")
_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    str.strip
)
_UNIT = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
_LINE_KINDS = (
    (PricingKind.UNIT, UnitBasis.PER_MONITORING_VISIT, CostBucket.CRO_DIRECT_FEES),
    (PricingKind.FIXED_FEE, UnitBasis.PER_STUDY, CostBucket.CRO_DIRECT_FEES),
    (PricingKind.FTE, UnitBasis.PER_FTE_MONTH, CostBucket.CRO_DIRECT_FEES),
    (PricingKind.GRANTS, UnitBasis.PER_PATIENT_VISIT, CostBucket.INVESTIGATOR_GRANTS),
    (PricingKind.PASS_THROUGH, UnitBasis.PASS_THROUGH, CostBucket.PASS_THROUGH),
)


def _registry(registry: Registry | None) -> Registry:
    return registry if registry is not None else Registry.builtin()


def selection_criteria(*, namespace: str | None = None) -> st.SearchStrategy[SelectionCriterion]:
    """Criteria scored by hand (no rule: a generated rule path would name no code)."""
    return st.builds(
        SelectionCriterion,
        id=namespaced_ids(namespace=namespace),
        name=_TEXT,
        description=_TEXT,
        why=_TEXT,
        direction=st.sampled_from(CriterionDirection),
        rule=st.none(),
    )


@st.composite
def _question(draw: st.DrawFn, criteria: tuple[str, ...], namespace: str | None) -> Question:
    answer_type = draw(st.sampled_from(AnswerType))
    zero_at = one_at = None
    if answer_type is AnswerType.YES_NO:
        better = draw(st.sampled_from((Better.YES, Better.NO)))
    elif answer_type is AnswerType.TEXT:
        better = Better.NONE
    else:
        better = draw(st.sampled_from((Better.HIGHER, Better.LOWER)))
    if answer_type is AnswerType.NUMBER:
        low = draw(st.integers(0, 50))
        high = low + draw(st.integers(1, 50))
        zero_at, one_at = (Decimal(low), Decimal(high)) if better is Better.HIGHER else (Decimal(high), Decimal(low))
    return Question(
        id=draw(namespaced_ids(namespace=namespace)),
        text=draw(_TEXT),
        criterion=draw(st.sampled_from(criteria)),
        answer_type=answer_type,
        better=better,
        weight=draw(st.decimals(min_value=Decimal("0.1"), max_value=10, places=1)),
        help=draw(st.just("") | _TEXT),
        zero_at=zero_at,
        one_at=one_at,
    )


def questions(
    *, criteria: tuple[str, ...] = DEFAULT_CRITERIA, namespace: str | None = None
) -> st.SearchStrategy[Question]:
    """Due-diligence questions tied to one of *criteria*, of every answer type."""
    return _question(criteria, namespace)


def answers(question: Question | None = None) -> st.SearchStrategy[Answer]:
    """Answers of the right type to *question* (or to any built-in question, if not given)."""
    if question is None:
        return st.sampled_from(Registry.builtin().questions).flatmap(answers)
    evidence = st.just("") | _TEXT
    if question.answer_type is AnswerType.YES_NO:
        return st.builds(Answer, question=st.just(question.id), yes=st.booleans(), evidence=evidence)
    if question.answer_type is AnswerType.SCALE_1_5:
        return st.builds(Answer, question=st.just(question.id), scale=st.integers(1, 5), evidence=evidence)
    if question.answer_type is AnswerType.NUMBER:
        if question.id in FRACTION_QUESTIONS:  # a rate or share, as a fraction (crokit.units)
            numbers = st.decimals(min_value=0, max_value=1, places=4)
        else:
            numbers = st.decimals(min_value=-100, max_value=1000, places=2)
        return st.builds(Answer, question=st.just(question.id), number=numbers, evidence=evidence)
    return st.builds(Answer, question=st.just(question.id), text=_TEXT, evidence=evidence)


def due_diligences(
    *, candidate: str | None = None, registry: Registry | None = None
) -> st.SearchStrategy[DueDiligence]:
    """Answers of one candidate to a random subset of *registry*'s questions, in random order."""
    reg = _registry(registry)

    @st.composite
    def build(draw: st.DrawFn) -> DueDiligence:
        chosen = draw(st.lists(st.sampled_from(reg.questions), unique_by=lambda q: q.id, max_size=len(reg.questions)))
        return DueDiligence(
            candidate=candidate if candidate is not None else draw(_SLUG),
            answers=tuple(draw(answers(q)) for q in chosen),
        )

    return build()


def custom_constraints(*, registry: Registry | None = None) -> st.SearchStrategy[CustomConstraint]:
    """Custom constraints of every kind, with values that parse (categories from *registry*)."""
    reg = _registry(registry)
    values = {
        CustomConstraintKind.MIN_STUDIES: st.integers(0, 20).map(str),
        CustomConstraintKind.MAX_TURNOVER: st.decimals(min_value=0, max_value=1, places=2).map(str),
        CustomConstraintKind.REQUIRE_CATEGORY: st.sampled_from([c.id for c in reg.categories]),
        CustomConstraintKind.REQUIRE_TECHNOLOGY: st.sampled_from([k.value for k in TechnologyKind]),
        CustomConstraintKind.EXCLUDE_CANDIDATE: _SLUG,
    }
    return st.sampled_from(CustomConstraintKind).flatmap(
        lambda kind: st.builds(CustomConstraint, id=_SLUG, description=_TEXT, kind=st.just(kind), value=values[kind])
    )


def _ceilings(currency: str | None) -> st.SearchStrategy[Money | None]:
    amounts = st.decimals(min_value=1, max_value=10**8, places=2)
    code = currency or "USD"
    return st.none() | amounts.map(lambda a: Money(a, code))


def constraints(*, currency: str | None = None, registry: Registry | None = None) -> st.SearchStrategy[Constraints]:
    """Constraints; *currency* is accepted for symmetry with :func:`sponsor_preferences` (the ceiling lives there)."""
    del currency
    return st.builds(
        Constraints,
        must_conduct_research=st.booleans(),
        require_services=st.booleans(),
        require_countries=st.booleans(),
        min_area_studies=st.integers(0, 10),
        within_budget_ceiling=st.booleans(),
        custom=st.lists(custom_constraints(registry=registry), max_size=3, unique_by=lambda c: c.id).map(tuple),
    )


def sponsor_preferences(*, currency: str | None = None) -> st.SearchStrategy[SponsorPreferences]:
    """Sponsor preferences; a ceiling, if any, is in *currency* (default USD)."""
    return st.builds(
        SponsorPreferences,
        budget_ceiling=_ceilings(currency),
        preferred_pricing=st.lists(st.sampled_from(PricingKind), unique=True, max_size=3).map(tuple),
        required_technologies=st.lists(st.sampled_from(TechnologyKind), unique=True, max_size=4).map(tuple),
        min_team_years=st.decimals(min_value=1, max_value=20, places=1),
        price_against_lowest=st.booleans(),
    ).flatmap(_with_band)


def _with_band(preferences: SponsorPreferences) -> st.SearchStrategy[SponsorPreferences]:
    """*preferences* with a ceiling band (``price_full_at`` < ``price_zero_at``) drawn too."""
    bands = st.tuples(
        st.decimals(min_value=0, max_value=2, places=2), st.decimals(min_value="0.01", max_value=3, places=2)
    ).map(lambda pair: (pair[0], pair[0] + pair[1]))
    return st.one_of(st.just(preferences), bands.map(lambda band: _banded(preferences, band)))


def _banded(preferences: SponsorPreferences, band: tuple[Decimal, Decimal]) -> SponsorPreferences:
    return attrs.evolve(preferences, price_full_at=band[0], price_zero_at=band[1])


def budgets(*, currency: str | None = None, max_lines: int = 4) -> st.SearchStrategy[Budget]:
    """Budgets of simple priced lines (each with a unit basis) in *currency* (default USD)."""
    code = currency or "USD"

    @st.composite
    def line(draw: st.DrawFn, index: int) -> LineItem:
        kind, basis, bucket = draw(st.sampled_from(_LINE_KINDS))
        quantity = Decimal(draw(st.integers(0, 500)))
        price = Money(draw(st.decimals(min_value=0, max_value=100_000, places=2)), code)
        return LineItem(
            service="crokit:on-site-monitoring",
            stage=Stage.PHASE_2,
            kind=kind,
            bucket=bucket,
            description=f"line {index}",
            basis=basis,
            quantity=quantity,
            unit_price=price,
            amount=(price * quantity).rounded(),
            months=(0,),
            derivation=f"{quantity} x {price}",
        )

    return st.integers(0, max_lines).flatmap(
        lambda n: st.tuples(*(line(i) for i in range(n))).map(lambda lines: Budget(currency=code, lines=lines))
    )


def _manual(criteria: tuple[str, ...]) -> st.SearchStrategy[tuple[tuple[str, Decimal], ...]]:
    scores = st.decimals(min_value=0, max_value=1, places=2)
    return st.lists(st.sampled_from(criteria), unique=True, max_size=2).flatmap(
        lambda keys: st.tuples(*(st.tuples(st.just(k), scores) for k in keys))
    )


def candidate_inputs(
    *,
    profile: st.SearchStrategy[CroProfile] | None = None,
    currency: str | None = None,
    criteria: tuple[str, ...] = DEFAULT_CRITERIA,
    registry: Registry | None = None,
) -> st.SearchStrategy[CandidateInput]:
    """Candidate inputs: a profile, maybe a budget in *currency*, maybe its answers, manual scores on *criteria*."""
    reg = _registry(registry)

    @st.composite
    def build(draw: st.DrawFn) -> CandidateInput:
        drawn = draw(profile if profile is not None else cro_profiles(registry=reg))
        return CandidateInput(
            profile=drawn,
            budget=draw(st.none() | budgets(currency=currency)),
            due_diligence=draw(st.none() | due_diligences(candidate=drawn.id, registry=reg)),
            manual_scores=draw(_manual(criteria)),
        )

    return build()


@st.composite
def _weights(draw: st.DrawFn, criteria: tuple[str, ...]) -> tuple[tuple[str, Decimal], ...]:
    values = draw(
        st.lists(
            st.decimals(min_value=0, max_value=10, places=1), min_size=len(criteria), max_size=len(criteria)
        ).filter(any)
    )
    return tuple(zip(criteria, values, strict=True))


def _pairwise(criteria: tuple[str, ...]) -> st.SearchStrategy[tuple[tuple[str, ...], ...]]:
    """Perfectly consistent judgements ``v_i / v_j``, written as exact fractions."""
    size = len(criteria)
    return st.lists(st.integers(1, 9), min_size=size, max_size=size).map(
        lambda v: tuple(tuple(f"{v[i]}/{v[j]}" for j in range(size)) for i in range(size))
    )


def selection_settings(
    *, currency: str | None = None, registry: Registry | None = None
) -> st.SearchStrategy[SelectionSettings]:
    """Settings over a non-empty ordered subset of the built-in criteria, with weights, AHP judgements or neither.

    The method and the weighted sum's normalisation are drawn too.
    """

    @st.composite
    def build(draw: st.DrawFn) -> SelectionSettings:
        criteria = tuple(draw(st.lists(st.sampled_from(DEFAULT_CRITERIA), unique=True, min_size=1)))
        how = draw(st.sampled_from(("equal", "weights", "pairwise")))
        preferences = draw(sponsor_preferences(currency=currency))
        drawn = draw(constraints(currency=currency, registry=registry))
        if preferences.budget_ceiling is None:  # the ceiling constraint needs the ceiling
            drawn = attrs.evolve(drawn, within_budget_ceiling=False)
        return SelectionSettings(
            method=draw(st.sampled_from(("weighted-sum", "weighted-product", "topsis"))),
            criteria=criteria,
            weights=draw(_weights(criteria)) if how == "weights" else (),
            pairwise=draw(_pairwise(criteria)) if how == "pairwise" else None,
            constraints=drawn,
            preferences=preferences,
            samples=draw(st.integers(1, 300)),
            normalisation=draw(st.sampled_from(("absolute", "min-max"))),
        )

    return build()


def criterion_scores() -> st.SearchStrategy[CriterionScore]:
    """Criterion scores of the built-in criteria."""
    pairs = st.lists(st.tuples(_TEXT, _TEXT), max_size=3).map(tuple)
    return st.builds(
        CriterionScore,
        criterion=st.sampled_from(DEFAULT_CRITERIA),
        value=_UNIT,
        basis=_TEXT,
        inputs=pairs,
        unanswered=st.lists(namespaced_ids(), max_size=3).map(tuple),
    )


def rankings(*, registry: Registry | None = None, max_candidates: int = 4) -> st.SearchStrategy[Ranking]:
    """Rankings made by :func:`~crokit.selection.select` on generated studies, candidates and settings."""
    reg = _registry(registry)

    @st.composite
    def build(draw: st.DrawFn) -> Ranking:
        study = draw(studies(registry=reg, max_visits=2))
        settings = draw(selection_settings(currency=study.currency, registry=reg))
        candidates = draw(
            st.lists(
                candidate_inputs(currency=study.currency, criteria=settings.criteria, registry=reg),
                max_size=max_candidates,
                unique_by=lambda c: c.id,
            )
        )
        seed = draw(st.none() | st.integers(0, 2**32))
        return select(study, candidates, settings, registry=reg, seed=seed)

    return build()
