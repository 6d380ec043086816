"""Shared numerics of the scoring methods: normalisations and vectorised scores.

Private to :mod:`crokit.selection`; the public functions live in
:mod:`crokit.selection.methods`, :mod:`crokit.selection.sensitivity` and
:mod:`crokit.selection.acceptability`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal, TypeAlias

from crokit.errors import ValidationError
from crokit.selection.matrix import DecisionMatrix, Direction

__all__ = [
    "NORMALISATIONS",
    "FloatArray",
    "MethodName",
    "Normalisation",
    "TIE_TOLERANCE",
    "absolute_utilities",
    "benefit_mask",
    "linear_utilities",
    "min_max_normalised",
    "ratio_normalised",
    "sample_scores",
    "topsis_closeness",
    "vector_normalised",
    "winners",
]

if TYPE_CHECKING:  # NumPy is imported where it is used, so importing the models stays light
    import numpy as np
    import numpy.typing as npt

    FloatArray: TypeAlias = npt.NDArray[np.float64]
MethodName: TypeAlias = Literal["weighted-sum", "weighted-product", "topsis"]
"""The scoring methods' names."""
Normalisation: TypeAlias = Literal["absolute", "min-max"]
"""How the weighted sum puts the criteria on one scale: ``"absolute"`` uses each 0..1
score as it is; ``"min-max"`` rescales each column between its worst and best."""
NORMALISATIONS: Final[tuple[Normalisation, ...]] = ("absolute", "min-max")
"""The weighted sum's normalisations, the default first."""

TIE_TOLERANCE: Final = 1e-12
"""Scores within this relative distance (with the same absolute floor, as every method's
scores lie in [0, 1]) are ties."""


def benefit_mask(matrix: DecisionMatrix) -> npt.NDArray[np.bool_]:
    """``True`` for each benefit criterion, ``False`` for each cost criterion."""
    import numpy as np

    return np.asarray([c.direction is Direction.BENEFIT for c in matrix.criteria], dtype=np.bool_)


def min_max_normalised(matrix: DecisionMatrix) -> FloatArray:
    """Each column scaled to [0, 1], 1 best; a constant column becomes all zeros."""
    import numpy as np

    x = np.asarray(matrix.scores, dtype=np.float64)
    low, high = x.min(axis=0), x.max(axis=0)
    span = high - low
    safe = np.where(span > 0, span, 1.0)
    scaled = np.where(benefit_mask(matrix), (x - low) / safe, (high - x) / safe)
    return np.where(span > 0, np.clip(scaled, 0.0, 1.0), 0.0)


def absolute_utilities(matrix: DecisionMatrix) -> FloatArray:
    """Each score on its own 0..1 scale, 1 best: benefit ``x``, cost ``1 - x``.

    Nothing depends on the other alternatives, so adding or removing one never changes
    another's utilities.

    Raises:
        ValidationError: If a score lies outside 0..1 (path ``scores[i][j]``).
    """
    import numpy as np

    for i, row in enumerate(matrix.scores):
        for j, value in enumerate(row):
            if not 0 <= value <= 1:
                raise ValidationError.at(
                    f"scores[{i}][{j}]", f"absolute normalisation needs scores from 0 to 1, got {value!r}"
                )
    x = np.asarray(matrix.scores, dtype=np.float64)
    result: FloatArray = np.where(benefit_mask(matrix), x, 1.0 - x)
    return result


def ratio_normalised(matrix: DecisionMatrix) -> FloatArray:
    """Each column as a ratio to its best score (benefit ``x/max``, cost ``min/x``), in (0, 1].

    Raises:
        ValidationError: If a score is zero or negative (path ``scores[i][j]``).
    """
    import numpy as np

    for i, row in enumerate(matrix.scores):
        for j, value in enumerate(row):
            if value <= 0:
                raise ValidationError.at(
                    f"scores[{i}][{j}]", f"the weighted product needs scores above 0, got {value!r}"
                )
    x = np.asarray(matrix.scores, dtype=np.float64)
    result: FloatArray = np.where(benefit_mask(matrix), x / x.max(axis=0), x.min(axis=0) / x)
    return result


def vector_normalised(matrix: DecisionMatrix) -> FloatArray:
    """Each column divided by its Euclidean norm; an all-zero column stays zero."""
    import numpy as np

    x = np.asarray(matrix.scores, dtype=np.float64)
    norm = np.sqrt((x * x).sum(axis=0))
    return np.where(norm > 0, x / np.where(norm > 0, norm, 1.0), 0.0)


def topsis_closeness(normalised: FloatArray, weights: FloatArray, benefit: npt.NDArray[np.bool_]) -> FloatArray:
    """TOPSIS closeness for each weight vector (rows of *weights*) and alternative.

    Args:
        normalised: Vector-normalised scores, alternatives by criteria.
        weights: Weight vectors, one per row (samples by criteria).
        benefit: Which criteria are benefits.

    Returns:
        Closeness in [0, 1], samples by alternatives; 0.5 where the ideal and the
        anti-ideal coincide.
    """
    import numpy as np

    v = weights[:, None, :] * normalised[None, :, :]
    top, bottom = v.max(axis=1), v.min(axis=1)
    ideal = np.where(benefit, top, bottom)[:, None, :]
    anti = np.where(benefit, bottom, top)[:, None, :]
    d_ideal = np.sqrt(((v - ideal) ** 2).sum(axis=2))
    d_anti = np.sqrt(((v - anti) ** 2).sum(axis=2))
    total = d_ideal + d_anti
    closeness = np.divide(d_anti, total, out=np.full_like(total, 0.5), where=total > 0)
    result: FloatArray = np.clip(closeness, 0.0, 1.0)
    return result


def linear_utilities(
    name: MethodName, matrix: DecisionMatrix, normalisation: Normalisation = "min-max"
) -> FloatArray | None:
    """Per-criterion utilities whose weighted sum ranks like the method's score, or ``None`` for TOPSIS.

    The weighted sum is linear in the weights; the weighted product's logarithm is too.
    *normalisation* applies to the weighted sum only.
    """
    import numpy as np

    if name == "weighted-sum":
        return absolute_utilities(matrix) if normalisation == "absolute" else min_max_normalised(matrix)
    if name == "weighted-product":
        return np.log(ratio_normalised(matrix))
    return None


def sample_scores(
    name: MethodName, matrix: DecisionMatrix, weights: FloatArray, normalisation: Normalisation = "min-max"
) -> FloatArray:
    """Scores (or a monotone transform of them) for each weight vector: samples by alternatives."""
    import numpy as np

    utilities = linear_utilities(name, matrix, normalisation)
    if utilities is None:
        return topsis_closeness(vector_normalised(matrix), weights, benefit_mask(matrix))
    scores: FloatArray = np.einsum("sn,mn->sm", weights, utilities)
    return scores


def winners(name: MethodName, matrix: DecisionMatrix, weights: FloatArray) -> list[int]:
    """The winner for each weight vector: the first alternative within the tie tolerance of the best."""
    import numpy as np

    scores = sample_scores(name, matrix, weights)
    best = scores.max(axis=1, keepdims=True)
    within = scores >= best - TIE_TOLERANCE * np.maximum(1.0, np.abs(best))
    return [int(i) for i in np.argmax(within, axis=1)]
