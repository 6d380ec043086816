"""Hypothesis strategies for the decision-analysis results of :mod:`crokit.selection`.

Public through :mod:`crokit.testing`; see there. Matrices and weights are drawn; the
results (method results, AHP weights, rank acceptabilities, weight intervals,
question scores) come from running crokit's own functions on them, so every value is
one crokit could return. The parts of a ranking (scorecards, exclusions, intervals,
consistency) are drawn field by field within what their constructors accept.
"""

from __future__ import annotations

from hypothesis import strategies as st

from crokit.registry import Registry
from crokit.selection.acceptability import RankAcceptability, rank_acceptability
from crokit.selection.ahp import AhpResult, ahp_weights
from crokit.selection.due_diligence import QuestionScore
from crokit.selection.due_diligence import question_scores as score_questions
from crokit.selection.matrix import Criterion, DecisionMatrix, Direction, NormalizedWeights, normalize_weights
from crokit.selection.methods import METHODS, MethodResult
from crokit.selection.models import DEFAULT_CRITERIA, AcceptabilityRow, Consistency, Exclusion, Interval, Scorecard
from crokit.selection.rules import ScoringContext
from crokit.selection.sensitivity import WeightInterval
from crokit.selection.sensitivity import weight_intervals as intervals_of
from crokit.testing._core import cro_profiles, studies
from crokit.testing._selection import (
    budgets,
    criterion_scores,
    due_diligences,
    sponsor_preferences,
)

__all__ = [
    "acceptability_rows",
    "ahp_results",
    "consistencies",
    "decision_matrices",
    "exclusions",
    "intervals",
    "matrix_criteria",
    "method_results",
    "normalized_weights",
    "question_scores",
    "rank_acceptabilities",
    "scorecards",
    "scoring_contexts",
    "weight_intervals",
]

_SLUG = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,15}\Z")
_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    str.strip
)
_UNIT = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
_SCORE = st.floats(min_value=0.01, max_value=100.0, allow_nan=False)


def matrix_criteria() -> st.SearchStrategy[Criterion]:
    """Decision-matrix criteria: an id and a direction."""
    return st.builds(Criterion, id=_SLUG, direction=st.sampled_from(Direction))


def decision_matrices(*, max_alternatives: int = 4, max_criteria: int = 4) -> st.SearchStrategy[DecisionMatrix]:
    """Matrices of 1..*max_alternatives* alternatives by 1..*max_criteria* criteria, with positive scores."""

    @st.composite
    def build(draw: st.DrawFn) -> DecisionMatrix:
        names = draw(st.lists(_SLUG, min_size=1, max_size=max_alternatives, unique=True))
        criteria = draw(st.lists(matrix_criteria(), min_size=1, max_size=max_criteria, unique_by=lambda c: c.id))
        rows = [tuple(draw(_SCORE) for _ in criteria) for _ in names]
        return DecisionMatrix(alternatives=names, criteria=criteria, scores=rows)

    return build()


def _weights(matrix: DecisionMatrix) -> st.SearchStrategy[dict[str, float]]:
    size = len(matrix.criteria)
    values = st.lists(st.floats(min_value=0.0, max_value=10.0), min_size=size, max_size=size).filter(any)
    return values.map(lambda found: dict(zip(matrix.criterion_ids, found, strict=True)))


def normalized_weights() -> st.SearchStrategy[NormalizedWeights]:
    """Weights normalised by :func:`~crokit.selection.normalize_weights`."""
    return decision_matrices().flatmap(
        lambda matrix: _weights(matrix).map(lambda weights: normalize_weights(weights, matrix.criteria))
    )


def method_results() -> st.SearchStrategy[MethodResult]:
    """Results of the weighted sum, weighted product and TOPSIS on drawn matrices and weights."""

    @st.composite
    def build(draw: st.DrawFn) -> MethodResult:
        matrix = draw(decision_matrices())
        return METHODS[draw(st.sampled_from(sorted(METHODS)))](matrix, draw(_weights(matrix)))

    return build()


def ahp_results() -> st.SearchStrategy[AhpResult]:
    """AHP weights of reciprocal judgement matrices, consistent or not, by either method."""

    @st.composite
    def build(draw: st.DrawFn) -> AhpResult:
        size = draw(st.integers(1, 5))
        matrix = [[1.0] * size for _ in range(size)]
        for i in range(size):
            for j in range(i + 1, size):
                judgement = draw(st.integers(1, 9))
                matrix[i][j], matrix[j][i] = (
                    (judgement, 1 / judgement) if draw(st.booleans()) else (1 / judgement, judgement)
                )
        return ahp_weights(matrix, method=draw(st.sampled_from(("eigenvector", "geometric-mean"))))

    return build()


def rank_acceptabilities() -> st.SearchStrategy[RankAcceptability]:
    """SMAA-2 rank acceptabilities of drawn matrices, from a small number of samples."""
    return st.builds(
        lambda matrix, samples, seed, method: rank_acceptability(matrix, samples=samples, seed=seed, method=method),
        decision_matrices(max_alternatives=3, max_criteria=3),
        st.integers(1, 200),
        st.integers(0, 2**32),
        st.sampled_from(sorted(METHODS)),
    )


def weight_intervals() -> st.SearchStrategy[WeightInterval]:
    """Weight intervals of a drawn matrix under the weighted sum (:func:`crokit.selection.weight_intervals`)."""

    @st.composite
    def build(draw: st.DrawFn) -> WeightInterval:
        matrix = draw(decision_matrices(max_alternatives=3, max_criteria=3))
        found = intervals_of(matrix, draw(_weights(matrix)))
        return draw(st.sampled_from(found))

    return build()


def question_scores(*, registry: Registry | None = None) -> st.SearchStrategy[QuestionScore]:
    """Per-criterion scores of drawn due-diligence answers (:func:`crokit.selection.question_scores`)."""
    reg = registry if registry is not None else Registry.builtin()
    return (
        due_diligences(registry=reg)
        .map(lambda dd: tuple(score_questions(dd, reg).values()))
        .filter(bool)
        .flatmap(st.sampled_from)
    )


def consistencies() -> st.SearchStrategy[Consistency]:
    """The consistency of AHP judgements, as a ranking reports it."""
    return ahp_results().map(
        lambda found: Consistency(
            lambda_max=found.lambda_max,
            ci=found.consistency_index,
            cr=found.consistency_ratio,
            acceptable=found.acceptable,
        )
    )


def exclusions() -> st.SearchStrategy[Exclusion]:
    """Candidates excluded from a ranking, with their reasons."""
    return st.builds(Exclusion, candidate=_SLUG, name=_TEXT, reasons=st.lists(_TEXT, min_size=1, max_size=3))


def intervals() -> st.SearchStrategy[Interval]:
    """A criterion's weight interval, as a ranking reports it."""
    return weight_intervals().map(
        lambda found: Interval(
            criterion=found.criterion,
            current=found.current,
            low=found.low,
            high=found.high,
            explanation=found.explanation,
            below=found.below,
            above=found.above,
        )
    )


def acceptability_rows() -> st.SearchStrategy[AcceptabilityRow]:
    """One candidate's rank acceptabilities, as a ranking reports them."""
    return rank_acceptabilities().flatmap(
        lambda found: st.sampled_from(
            [
                AcceptabilityRow(candidate=name, by_rank=row)
                for name, row in zip(found.alternatives, found.acceptability, strict=True)
            ]
        )
    )


def scorecards() -> st.SearchStrategy[Scorecard]:
    """One candidate's scorecard: rank, score, contributions and criterion scores."""
    return st.builds(
        Scorecard,
        candidate=_SLUG,
        name=_TEXT,
        rank=st.integers(1, 20),
        score=_UNIT,
        contributions=st.lists(st.tuples(st.sampled_from(DEFAULT_CRITERIA), _UNIT), max_size=3).map(tuple),
        criterion_scores=st.lists(criterion_scores(), max_size=3).map(tuple),
        unanswered=st.lists(_SLUG, max_size=2).map(tuple),
    )


def scoring_contexts(*, registry: Registry | None = None) -> st.SearchStrategy[ScoringContext]:
    """What a selection rule scores one candidate on: study, profile, budget, answers, preferences."""
    reg = registry if registry is not None else Registry.builtin()

    @st.composite
    def build(draw: st.DrawFn) -> ScoringContext:
        study = draw(studies(registry=reg, max_visits=2))
        profile = draw(cro_profiles(registry=reg))
        return ScoringContext(
            study=study,
            profile=profile,
            registry=reg,
            budget=draw(st.none() | budgets(currency=study.currency)),
            due_diligence=draw(st.none() | due_diligences(candidate=profile.id, registry=reg)),
            preferences=draw(sponsor_preferences(currency=study.currency)),
        )

    return build()
