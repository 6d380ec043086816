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

from crokit.selection.acceptability import RankAcceptability, rank_acceptability
from crokit.selection.ahp import CR_THRESHOLD, SAATY_1980, AhpMethod, AhpResult, ahp_weights
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
from crokit.selection.sensitivity import WeightInterval, weight_intervals

__all__ = [
    "AhpMethod",
    "AhpResult",
    "CR_THRESHOLD",
    "Criterion",
    "DecisionMatrix",
    "Direction",
    "METHODS",
    "MethodName",
    "MethodResult",
    "NormalizedWeights",
    "Number",
    "RankAcceptability",
    "SAATY_1980",
    "WeightInterval",
    "WeightsLike",
    "ahp_weights",
    "normalize_weights",
    "rank_acceptability",
    "rank_scores",
    "topsis",
    "weight_intervals",
    "weighted_product",
    "weighted_sum",
]
