"""Multi-criteria scoring methods: weighted sum, weighted product and TOPSIS.

Each method takes a :class:`~crokit.selection.matrix.DecisionMatrix` and weights
(criterion id to weight, or :class:`~crokit.selection.matrix.NormalizedWeights`) and
returns a :class:`MethodResult` with a score per alternative (higher is better), the
ranks, each criterion's contribution to each score, and the groups of tied
alternatives. Weights are always scaled to sum to 1 first, so multiplying every weight
by the same positive number changes nothing.

How each method treats awkward input:

* :func:`weighted_sum` min-max normalises each criterion to [0, 1] by default. A
  constant column (every alternative scores the same) cannot separate the
  alternatives, so it contributes 0 to every alternative instead of dividing by zero.
  With ``normalisation="absolute"`` it uses scores already on a 0..1 scale as they are
  (``1 - x`` for a cost criterion), so no alternative's score depends on the others;
  :func:`crokit.selection.select` does this by default, as its criterion rules score
  on an absolute 0..1 scale.
* :func:`weighted_product` needs strictly positive scores (ratios and powers of zero or
  negative numbers are meaningless) and refuses anything else.
* :func:`topsis` scores an alternative by its closeness to the ideal; when the ideal
  and the anti-ideal coincide (every weighted column is constant) every alternative
  is equally close to both and gets a closeness of exactly 0.5.

No method ever returns NaN.

>>> from crokit.selection.matrix import Criterion, DecisionMatrix
>>> matrix = DecisionMatrix(
...     alternatives=("acme", "bolt", "core"),
...     criteria=(Criterion(id="quality"), Criterion(id="price", direction="cost")),
...     scores=((9, 120), (7, 80), (5, 100)),
... )
>>> result = weighted_sum(matrix, {"quality": 1, "price": 1})
>>> result.scores, result.ranks
((0.5, 0.75, 0.25), (2, 1, 3))
>>> scored = DecisionMatrix(
...     alternatives=("acme", "bolt"), criteria=(Criterion(id="quality"),), scores=((0.8,), (0.6,))
... )
>>> weighted_sum(scored, {"quality": 1}, normalisation="absolute").scores
(0.8, 0.6)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Final, TypeAlias

import attrs

from crokit._typed import typed_fields
from crokit.errors import ValidationError
from crokit.selection._scoring import (
    TIE_TOLERANCE,
    MethodName,
    Normalisation,
    absolute_utilities,
    benefit_mask,
    min_max_normalised,
    ratio_normalised,
    topsis_closeness,
    vector_normalised,
)
from crokit.selection.matrix import DecisionMatrix, NormalizedWeights, Number, normalize_weights

if TYPE_CHECKING:
    from crokit.selection._scoring import FloatArray

__all__ = [
    "METHODS",
    "MethodName",
    "MethodResult",
    "Normalisation",
    "WeightsLike",
    "rank_scores",
    "topsis",
    "weighted_product",
    "weighted_sum",
]

WeightsLike: TypeAlias = Mapping[str, Number] | NormalizedWeights
"""Weights as criterion id to weight, or already normalised in column order."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class MethodResult:
    """The outcome of scoring a decision matrix with one method.

    Attributes:
        method: ``"weighted-sum"``, ``"weighted-product"`` or ``"topsis"``.
        alternatives: The alternatives' ids, in the matrix's order.
        criteria: The criteria's ids, in the matrix's order.
        weights: The weights used, normalised to sum to 1, in criteria order.
        scores: One score per alternative; higher is better.
        ranks: One rank per alternative; 1 is best, and tied alternatives share a rank
            with the next rank skipped (competition ranking: 1, 1, 3).
        contributions: Per alternative, per criterion: the weighted normalised score
            (weighted sum and TOPSIS) or the factor ``r ** w`` (weighted product).
        ties: Each group of two or more tied alternatives, best group first, each in
            input order.
        distances_to_ideal: TOPSIS only (``None`` otherwise): each alternative's
            Euclidean distance to the ideal, in the weighted normalised space.
        distances_to_anti_ideal: TOPSIS only: each alternative's distance to the
            anti-ideal; the score is ``anti / (ideal + anti)`` (0.5 where both are 0).
    """

    method: str
    alternatives: tuple[str, ...]
    criteria: tuple[str, ...]
    weights: tuple[float, ...]
    scores: tuple[float, ...]
    ranks: tuple[int, ...]
    contributions: tuple[tuple[float, ...], ...]
    ties: tuple[tuple[str, ...], ...]
    distances_to_ideal: tuple[float, ...] | None = None
    distances_to_anti_ideal: tuple[float, ...] | None = None

    @property
    def ranking(self) -> tuple[str, ...]:
        """The alternatives best first; ties in input order."""
        order = sorted(range(len(self.alternatives)), key=lambda i: (self.ranks[i], i))
        return tuple(self.alternatives[i] for i in order)

    @property
    def winner(self) -> str:
        """The best alternative (the first in input order if several tie for first)."""
        return self.ranking[0]


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=TIE_TOLERANCE, abs_tol=TIE_TOLERANCE)


def rank_scores(
    scores: Sequence[float], alternatives: Sequence[str]
) -> tuple[tuple[int, ...], tuple[tuple[str, ...], ...]]:
    """Rank *scores* (higher is better) and list the tied groups.

    Scores within 1e-12 of the best score of their group (relative, with the same
    absolute floor) tie and share a rank; the next rank is skipped.

    Returns:
        The rank of each alternative and the tied groups (see :class:`MethodResult`).

    >>> rank_scores([0.5, 0.9, 0.5], ["a", "b", "c"])
    ((2, 1, 2), (('a', 'c'),))
    """
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    ranks = [0] * len(scores)
    ties: list[tuple[str, ...]] = []
    position = 0
    while position < len(order):
        leader = scores[order[position]]
        end = position + 1
        while end < len(order) and _close(scores[order[end]], leader):
            end += 1
        group = sorted(order[position:end])
        for i in group:
            ranks[i] = position + 1
        if len(group) > 1:
            ties.append(tuple(alternatives[i] for i in group))
        position = end
    return tuple(ranks), tuple(ties)


def weight_vector(matrix: DecisionMatrix, weights: WeightsLike) -> FloatArray:
    """The weights as an array in column order, checked and normalised to sum to 1.

    Raises:
        ValidationError: For bad weights (see
            :func:`~crokit.selection.matrix.normalize_weights`) or normalised weights
            of the wrong length.
        UnknownIdError: For a weight of an unknown criterion.
    """
    import numpy as np

    if isinstance(weights, NormalizedWeights):
        if len(weights.values) != len(matrix.criteria):
            raise ValidationError.at(
                "weights", f"expected {len(matrix.criteria)} normalised weights, got {len(weights.values)}"
            )
        values = weights.values
        given: tuple[object, ...] = values  # NormalizedWeights is not validated on construction
        for index, value in enumerate(given):
            if isinstance(value, bool) or not (isinstance(value, float | int) and math.isfinite(value) and value >= 0):
                raise ValidationError.at(f"weights[{index}]", f"expected a finite weight of 0 or more, got {value!r}")
        try:
            total = math.fsum(values)
        except OverflowError:  # finite weights whose sum is beyond the largest float
            total = math.inf
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise ValidationError.at("weights", f"expected normalised weights summing to 1, got a sum of {total!r}")
    else:
        values = normalize_weights(weights, matrix.criteria).values
    return np.asarray(values, dtype=np.float64)


def _result(
    name: str, matrix: DecisionMatrix, w: FloatArray, scores: FloatArray, contributions: FloatArray
) -> MethodResult:
    score_tuple = tuple(float(s) for s in scores)
    ranks, ties = rank_scores(score_tuple, matrix.alternatives)
    return MethodResult(
        method=name,
        alternatives=matrix.alternatives,
        criteria=matrix.criterion_ids,
        weights=tuple(float(v) for v in w),
        scores=score_tuple,
        ranks=ranks,
        contributions=tuple(tuple(float(c) for c in row) for row in contributions),
        ties=ties,
    )


def weighted_sum(
    matrix: DecisionMatrix, weights: WeightsLike, *, normalisation: Normalisation = "min-max"
) -> MethodResult:
    """Simple additive weighting on min-max normalised or absolute scores.

    With ``"min-max"`` each column is scaled to [0, 1] (benefit ``(x - min) / (max -
    min)``, cost ``(max - x) / (max - min)``); a constant column contributes 0 to every
    alternative. With ``"absolute"`` the scores must already lie in [0, 1] and are used
    as they are (benefit ``x``, cost ``1 - x``). The score is the weighted sum, in [0, 1].

    Raises:
        ValidationError: For bad weights, an unknown normalisation, or (absolute) a
            score outside 0..1.
        UnknownIdError: For a weight of an unknown criterion.
    """
    w = weight_vector(matrix, weights)
    if normalisation == "absolute":
        utilities = absolute_utilities(matrix)
    elif normalisation == "min-max":
        utilities = min_max_normalised(matrix)
    else:
        raise ValidationError.at("normalisation", f"expected 'absolute' or 'min-max', got {normalisation!r}")
    contributions = utilities * w
    return _result("weighted-sum", matrix, w, contributions.sum(axis=1), contributions)


def weighted_product(matrix: DecisionMatrix, weights: WeightsLike) -> MethodResult:
    """The weighted product model on ratio-normalised scores.

    Each score becomes a ratio to the column's best (benefit ``x / max``, cost
    ``min / x``), in (0, 1]; the alternative's score is the product of the ratios each
    raised to its criterion's weight, in (0, 1]. A zero-weight criterion contributes a
    factor of 1.

    Raises:
        ValidationError: For a score that is not above 0, or bad weights.
        UnknownIdError: For a weight of an unknown criterion.
    """
    import numpy as np

    w = weight_vector(matrix, weights)
    factors = ratio_normalised(matrix) ** w
    return _result("weighted-product", matrix, w, np.prod(factors, axis=1), factors)


def topsis(matrix: DecisionMatrix, weights: WeightsLike) -> MethodResult:
    """TOPSIS (Hwang and Yoon, 1981): closeness to the ideal alternative.

    Columns are vector-normalised (``x / sqrt(sum of x**2)``) and weighted; the ideal
    takes each column's best weighted value (max for a benefit, min for a cost) and
    the anti-ideal each column's worst. The score is the relative closeness
    ``d_anti / (d_ideal + d_anti)`` in [0, 1], with Euclidean distances; it is 0.5
    for every alternative when the ideal and the anti-ideal coincide. The
    contributions are the weighted normalised values; the result also carries each
    alternative's two distances (:attr:`MethodResult.distances_to_ideal` and
    :attr:`MethodResult.distances_to_anti_ideal`).

    >>> from crokit.selection.matrix import Criterion, DecisionMatrix
    >>> matrix = DecisionMatrix(alternatives=("a", "b"), criteria=(Criterion(id="q"),), scores=((3,), (4,)))
    >>> result = topsis(matrix, {"q": 1})
    >>> [round(d, 12) for d in result.distances_to_ideal], result.scores
    ([0.2, 0.0], (0.0, 1.0))

    Raises:
        ValidationError: For bad weights.
        UnknownIdError: For a weight of an unknown criterion.
    """
    import numpy as np

    w = weight_vector(matrix, weights)
    normalised = vector_normalised(matrix)
    benefit = benefit_mask(matrix)
    closeness = topsis_closeness(normalised, w[None, :], benefit)[0]
    weighted = normalised * w
    top, bottom = weighted.max(axis=0), weighted.min(axis=0)
    ideal = np.where(benefit, top, bottom)
    anti = np.where(benefit, bottom, top)
    return attrs.evolve(
        _result("topsis", matrix, w, closeness, weighted),
        distances_to_ideal=tuple(float(d) for d in np.sqrt(((weighted - ideal) ** 2).sum(axis=1))),
        distances_to_anti_ideal=tuple(float(d) for d in np.sqrt(((weighted - anti) ** 2).sum(axis=1))),
    )


Method: TypeAlias = Callable[[DecisionMatrix, WeightsLike], MethodResult]

METHODS: Final[Mapping[MethodName, Method]] = {
    "weighted-sum": weighted_sum,
    "weighted-product": weighted_product,
    "topsis": topsis,
}
"""The methods by name."""


def method_name(method: str | Method) -> MethodName:
    """The name of *method*, given as a name or as one of this module's functions.

    Raises:
        ValidationError: For anything else.
    """
    for name, function in METHODS.items():
        if method == name or method is function:
            return name
    raise ValidationError.at(
        "method", f"expected one of {', '.join(repr(n) for n in METHODS)} or its function, got {method!r}"
    )
