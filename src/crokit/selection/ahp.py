"""Criterion weights from pairwise comparisons: the Analytic Hierarchy Process (AHP).

A pairwise matrix says, for each pair of criteria, how many times more important the
row criterion is than the column criterion (Saaty's 1-9 scale). :func:`ahp_weights`
derives the weights (principal eigenvector, or normalised row geometric means) and
Saaty's consistency ratio, ``CR = CI / RI`` with ``CI = (lambda_max - n) / (n - 1)``
and ``RI`` the mean CI of random matrices of the same size. A CR above 0.10 means the
judgements contradict each other too much; the result then carries a warning naming
the judgement that fits the weights worst (nothing is raised or emitted through
:mod:`warnings`).

>>> result = ahp_weights([[1, 3], ["1/3", 1]])
>>> result.weights, result.consistency_ratio
((0.75, 0.25), None)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Final, Literal

import attrs

from crokit._typed import typed_fields
from crokit.errors import ValidationError
from crokit.selection.matrix import Number, to_float

__all__ = [
    "AhpMethod",
    "AhpResult",
    "CR_THRESHOLD",
    "SAATY_1980",
    "ahp_weights",
]

AhpMethod = Literal["eigenvector", "geometric-mean"]

# Random consistency index RI by matrix order n, from T. L. Saaty (1980), "The Analytic
# Hierarchy Process: Planning, Priority Setting, Resource Allocation", McGraw-Hill,
# New York.
SAATY_1980: Final[Mapping[int, float]] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}
"""Saaty's (1980) random index RI for matrices of order 1 to 10."""

CR_THRESHOLD: Final = 0.10
"""The largest consistency ratio Saaty accepts."""

_RECIPROCAL_TOLERANCE: Final = 1e-9


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class AhpResult:
    """Weights derived from a pairwise comparison matrix, and their consistency.

    Attributes:
        weights: One weight per row of the matrix; they sum to 1.
        lambda_max: The principal eigenvalue (eigenvector method) or its estimate
            ``mean((A w)_i / w_i)`` (geometric-mean method); at least n.
        consistency_index: ``(lambda_max - n) / (n - 1)``; 0 for n = 1.
        consistency_ratio: ``CI / RI``, or ``None`` when RI is 0 (n <= 2 with
            Saaty's table), where every reciprocal matrix is consistent.
        acceptable: Whether the CR is at most 0.10 (always true when it is ``None``).
        warnings: Human-readable warnings, such as an unacceptable CR.
    """

    weights: tuple[float, ...]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float | None
    acceptable: bool
    warnings: tuple[str, ...]


def _read_matrix(matrix: object) -> list[list[float]]:
    if isinstance(matrix, str | bytes) or not isinstance(matrix, Sequence) or not matrix:
        raise ValidationError.at("pairwise", f"expected a non-empty square matrix (a list of rows), got {matrix!r}")
    n = len(matrix)
    rows: list[list[float]] = []
    for i, row in enumerate(matrix):
        if isinstance(row, str | bytes) or not isinstance(row, Sequence):
            raise ValidationError.at(f"pairwise[{i}]", f"expected a row of {n} numbers, got {row!r}")
        if len(row) != n:
            raise ValidationError.at(
                f"pairwise[{i}]", f"expected {n} entries (the matrix has {n} rows), got {len(row)}"
            )
        values = [to_float(x, path=f"pairwise[{i}][{j}]", what="judgement") for j, x in enumerate(row)]
        for j, value in enumerate(values):
            if value <= 0:
                raise ValidationError.at(f"pairwise[{i}][{j}]", f"expected a positive judgement, got {row[j]!r}")
        rows.append(values)
    for i in range(n):
        if not math.isclose(rows[i][i], 1.0, rel_tol=_RECIPROCAL_TOLERANCE):
            raise ValidationError.at(f"pairwise[{i}][{i}]", f"expected 1 on the diagonal, got {matrix[i][i]!r}")
        for j in range(i + 1, n):
            expected = 1.0 / rows[i][j]
            if not math.isclose(rows[j][i], expected, rel_tol=_RECIPROCAL_TOLERANCE):
                raise ValidationError.at(
                    f"pairwise[{j}][{i}]",
                    f"expected the reciprocal of pairwise[{i}][{j}] = {matrix[i][j]!r}, that is "
                    f"{expected:.6g}, got {matrix[j][i]!r}",
                )
    return rows


def _random_index(random_index: Mapping[int, float], n: int) -> float:
    if n not in random_index:
        sizes = sorted(random_index)
        covered = f"n = {sizes[0]} to {sizes[-1]}" if sizes else "no sizes"
        raise ValidationError.at(
            "pairwise", f"a {n}x{n} matrix is outside the random index table, which covers {covered}"
        )
    value = to_float(random_index[n], path=f"random_index[{n}]", what="random index")
    if value < 0:
        raise ValidationError.at(f"random_index[{n}]", f"expected a random index of 0 or more, got {value!r}")
    return value


def ahp_weights(
    matrix: Sequence[Sequence[Number]],
    *,
    method: AhpMethod = "eigenvector",
    random_index: Mapping[int, float] = SAATY_1980,
) -> AhpResult:
    """Derive weights from a pairwise comparison matrix and check its consistency.

    Args:
        matrix: A square matrix of positive judgements with 1 on the diagonal and
            ``matrix[j][i] == 1 / matrix[i][j]`` (within 1e-9 relative). Entries may be
            numbers or text such as ``"1/3"``.
        method: ``"eigenvector"`` (Saaty's principal right eigenvector) or
            ``"geometric-mean"`` (normalised geometric means of the rows).
        random_index: RI by matrix order; the default is :data:`SAATY_1980`.

    Raises:
        ValidationError: For a matrix that is not square, positive and reciprocal with
            a unit diagonal (the path names the cell, such as ``pairwise[2][1]``), for
            an order missing from *random_index*, or for an unknown *method*.

    >>> r = ahp_weights([[1, 2, 4], ["1/2", 1, 2], ["1/4", "1/2", 1]])
    >>> [round(w, 4) for w in r.weights], round(r.consistency_ratio or 0.0, 12)
    ([0.5714, 0.2857, 0.1429], 0.0)
    """
    import numpy as np

    if method not in {"eigenvector", "geometric-mean"}:
        raise ValidationError.at("method", f"expected 'eigenvector' or 'geometric-mean', got {method!r}")
    a = np.asarray(_read_matrix(matrix), dtype=np.float64)
    n = a.shape[0]
    ri = _random_index(random_index, n)
    if method == "eigenvector":
        eigenvalues, eigenvectors = np.linalg.eig(a)
        k = int(np.argmax(eigenvalues.real))
        vector = np.abs(eigenvectors[:, k].real)
        lambda_max = float(eigenvalues[k].real)
    else:
        vector = np.exp(np.log(a).mean(axis=1))
    w = vector / vector.sum()
    if method == "geometric-mean":
        lambda_max = float(((a @ w) / w).mean())
    # Saaty: lambda_max >= n for every positive reciprocal matrix; clamp rounding noise.
    lambda_max = max(lambda_max, float(n))
    ci = (lambda_max - n) / (n - 1) if n > 1 else 0.0
    cr = ci / ri if ri > 0 else None
    acceptable = cr is None or cr <= CR_THRESHOLD
    warnings: list[str] = []
    if not acceptable:
        implied = w[:, None] / w[None, :]
        misfit = np.abs(np.log(a / implied))
        i, j = (int(x) for x in np.unravel_index(int(np.argmax(misfit)), misfit.shape))
        warnings.append(
            f"consistency ratio {cr:.3f} exceeds {CR_THRESHOLD:.2f}: the judgements contradict each other; "
            f"the least consistent is pairwise[{i}][{j}] = {a[i, j]:.4g}, where the weights imply {implied[i, j]:.4g}"
        )
    return AhpResult(
        weights=tuple(float(x) for x in w),
        lambda_max=lambda_max,
        consistency_index=ci,
        consistency_ratio=cr,
        acceptable=acceptable,
        warnings=tuple(warnings),
    )
