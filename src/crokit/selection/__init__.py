"""The decision math of choosing a CRO: scoring, weighting and sensitivity.

Pure, deterministic functions over a :class:`DecisionMatrix` of alternatives (candidate
CROs) scored on criteria:

* :func:`normalize_weights` checks criterion weights and scales them to sum to 1;
  :func:`ahp_weights` derives them from pairwise comparisons (AHP) with Saaty's
  consistency ratio.
* :func:`weighted_sum`, :func:`weighted_product` and :func:`topsis` score and rank the
  alternatives.
* :func:`weight_intervals` shows how far each weight can move before the winner
  changes; :func:`rank_acceptability` (SMAA-2) shows how often each alternative takes
  each rank when the weights are uncertain.

On top of the math, the CRO-specific layer:

* :mod:`~crokit.selection.due_diligence`: a candidate's answers to the due-diligence
  questionnaire (:class:`DueDiligence`) and their scores per criterion.
* :mod:`~crokit.selection.rules`: how each criterion maps a candidate onto 0..1
  (:func:`score_candidate`).
* :mod:`~crokit.selection.constraints`: hard constraints (:class:`Constraints`) and
  every reason a candidate fails them.
* :mod:`~crokit.selection.ranking`: :func:`select`, from a study and candidates to a
  serialisable :class:`Ranking` with weight intervals and rank acceptabilities.

This package uses NumPy; ``import crokit`` alone does not import it.

>>> from crokit.selection import Criterion, DecisionMatrix, topsis
>>> matrix = DecisionMatrix(
...     alternatives=("acme", "bolt"),
...     criteria=(Criterion(id="quality"), Criterion(id="price", direction="cost")),
...     scores=((9, 120), (7, 80)),
... )
>>> topsis(matrix, {"quality": 1, "price": 1}).ranking
('bolt', 'acme')
"""

from crokit import _hypothesis_plugin
from crokit.selection.acceptability import RankAcceptability, rank_acceptability
from crokit.selection.ahp import (
    CR_THRESHOLD,
    SAATY_1980,
    SAATY_SCALE,
    AhpHierarchy,
    AhpMethod,
    AhpResult,
    ahp_hierarchy,
    ahp_weights,
    reciprocal_matrix,
)
from crokit.selection.constraints import Constraints, CustomConstraint, CustomConstraintKind, check_constraints
from crokit.selection.due_diligence import (
    Answer,
    DueDiligence,
    QuestionScore,
    answer_score,
    check_due_diligence,
    question_scores,
)
from crokit.selection.matrix import Criterion, DecisionMatrix, Direction, NormalizedWeights, Number, normalize_weights
from crokit.selection.methods import (
    METHODS,
    MethodName,
    MethodResult,
    WeightsLike,
    rank_scores,
    topsis,
    weighted_product,
    weighted_sum,
)
from crokit.selection.ranking import (
    DEFAULT_CRITERIA,
    AcceptabilityRow,
    CandidateInput,
    Consistency,
    Exclusion,
    Interval,
    Ranking,
    Scorecard,
    SelectionSettings,
    select,
)
from crokit.selection.rules import CriterionScore, ScoringContext, SponsorPreferences, score_candidate
from crokit.selection.sensitivity import WeightInterval, weight_intervals

__all__ = [
    "AcceptabilityRow",
    "AhpHierarchy",
    "AhpMethod",
    "AhpResult",
    "Answer",
    "CR_THRESHOLD",
    "CandidateInput",
    "Consistency",
    "Constraints",
    "Criterion",
    "CriterionScore",
    "CustomConstraint",
    "CustomConstraintKind",
    "DEFAULT_CRITERIA",
    "DecisionMatrix",
    "Direction",
    "DueDiligence",
    "Exclusion",
    "Interval",
    "METHODS",
    "MethodName",
    "MethodResult",
    "NormalizedWeights",
    "Number",
    "QuestionScore",
    "RankAcceptability",
    "Ranking",
    "SAATY_1980",
    "SAATY_SCALE",
    "Scorecard",
    "ScoringContext",
    "SelectionSettings",
    "SponsorPreferences",
    "WeightInterval",
    "WeightsLike",
    "ahp_hierarchy",
    "ahp_weights",
    "answer_score",
    "check_constraints",
    "check_due_diligence",
    "normalize_weights",
    "question_scores",
    "rank_acceptability",
    "rank_scores",
    "reciprocal_matrix",
    "score_candidate",
    "select",
    "topsis",
    "weight_intervals",
    "weighted_product",
    "weighted_sum",
]


# Registers this module's models with Hypothesis' st.from_type if Hypothesis is in use.
_hypothesis_plugin.imported(__name__)
