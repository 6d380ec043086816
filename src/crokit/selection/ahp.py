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

Judgements are usually given as the upper triangle only (:func:`reciprocal_matrix`
fills in the rest and checks Saaty's 1/9 to 9 scale), and a decision as a two-level
hierarchy: criteria weighed against each other, then the alternatives compared under
each criterion; :func:`ahp_hierarchy` synthesises the global priorities and keeps the
consistency of every judgement matrix.
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
    "SAATY_SCALE",
    "AhpHierarchy",
    "AhpMethod",
    "AhpResult",
    "CR_THRESHOLD",
    "SAATY_1980",
    "ahp_hierarchy",
    "ahp_weights",
    "reciprocal_matrix",
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

SAATY_SCALE: Final = (1 / 9, 9.0)
"""The range of Saaty's fundamental scale: a judgement from 1/9 (extremely less
important) to 9 (extremely more important), 1 meaning equal importance."""


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


def _order(count: int) -> int:
    """The order n of a matrix whose upper triangle has *count* judgements, n(n-1)/2 = count."""
    n = (1 + math.isqrt(1 + 8 * count)) // 2
    if n * (n - 1) // 2 != count:
        below = (n * (n - 1) // 2, n)
        above = (n * (n + 1) // 2, n + 1)
        raise ValidationError.at(
            "judgements",
            f"expected n(n-1)/2 judgements for some n ({below[0]} for n = {below[1]}, "
            f"{above[0]} for n = {above[1]}), got {count}",
        )
    return n


def reciprocal_matrix(judgements: Sequence[Number]) -> tuple[tuple[float, ...], ...]:
    """The full pairwise matrix from its upper triangle, row by row.

    For n items the n(n-1)/2 judgements are ``a[0][1], a[0][2], ..., a[0][n-1], a[1][2],
    ..., a[n-2][n-1]``: how many times more important the row item is than the column
    item. The diagonal is 1 and ``a[j][i] = 1 / a[i][j]``. No judgement at all is the
    1x1 matrix.

    Raises:
        ValidationError: If the number of judgements is not n(n-1)/2, or a judgement
            is not a number on Saaty's scale, 1/9 to 9 (path ``judgements[k]``, naming
            the pair).

    >>> reciprocal_matrix([3, 5, "2"])
    ((1.0, 3.0, 5.0), (0.3333333333333333, 1.0, 2.0), (0.2, 0.5, 1.0))
    """
    if isinstance(judgements, str | bytes) or not isinstance(judgements, Sequence):
        raise ValidationError.at("judgements", f"expected a list of judgements, got {judgements!r}")
    n = _order(len(judgements))
    low, high = SAATY_SCALE
    matrix = [[1.0] * n for _ in range(n)]
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    for k, ((i, j), raw) in enumerate(zip(pairs, judgements, strict=True)):
        value = to_float(raw, path=f"judgements[{k}]", what="judgement")
        if not (low * (1 - _RECIPROCAL_TOLERANCE) <= value <= high * (1 + _RECIPROCAL_TOLERANCE)):
            raise ValidationError.at(
                f"judgements[{k}]",
                f"expected a judgement of row {i} over column {j} on Saaty's scale, 1/9 to 9, got {raw!r}",
            )
        matrix[i][j], matrix[j][i] = value, 1.0 / value
    return tuple(tuple(row) for row in matrix)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class AhpHierarchy:
    """A two-level AHP synthesis: criteria weights, each criterion's local priorities, global priorities.

    Attributes:
        criteria: The criteria's names, in matrix order.
        alternatives: The alternatives' names, in matrix order.
        criteria_weights: The criteria matrix's result (weights and consistency).
        local: One result per criterion: the alternatives' local priorities under it.
        global_priorities: Per alternative, ``sum over criteria of weight x local
            priority``; they sum to 1.
        warnings: Every node's warnings, each prefixed with the node
            (``criteria``, or ``criterion 'price'``).
    """

    criteria: tuple[str, ...]
    alternatives: tuple[str, ...]
    criteria_weights: AhpResult
    local: tuple[AhpResult, ...]
    global_priorities: tuple[float, ...]
    warnings: tuple[str, ...]

    def __attrs_post_init__(self) -> None:
        n, m = len(self.criteria), len(self.alternatives)
        counts = (
            ("criteria_weights.weights", len(self.criteria_weights.weights), n, "criterion"),
            ("local", len(self.local), n, "criterion"),
            ("global_priorities", len(self.global_priorities), m, "alternative"),
        )
        for path, found, expected, per in counts:
            if found != expected:
                raise ValidationError.at(path, f"expected {expected} (one per {per}), got {found}")

    @property
    def consistency_ratios(self) -> dict[str, float | None]:
        """The consistency ratio of every node: ``criteria`` first, then each criterion by name."""
        return {
            "criteria": self.criteria_weights.consistency_ratio,
            **{name: result.consistency_ratio for name, result in zip(self.criteria, self.local, strict=True)},
        }

    @property
    def acceptable(self) -> bool:
        """Whether every node's consistency ratio is acceptable (at most 0.10)."""
        return self.criteria_weights.acceptable and all(result.acceptable for result in self.local)

    @property
    def ranking(self) -> tuple[str, ...]:
        """The alternatives by global priority, highest first (ties in input order)."""
        order = sorted(range(len(self.alternatives)), key=lambda i: (-self.global_priorities[i], i))
        return tuple(self.alternatives[i] for i in order)


def _names(names: object, n: int, what: str) -> tuple[str, ...]:
    if names is None:
        return tuple(f"{what} {index + 1}" for index in range(n))
    found = tuple(names) if isinstance(names, Sequence) and not isinstance(names, str) else (names,)
    if len(found) != n or len(set(found)) != n or not all(isinstance(name, str) and name for name in found):
        raise ValidationError.at(f"{what}_names", f"expected {n} distinct non-empty names, got {found!r}")
    return found


def ahp_hierarchy(
    criteria: Sequence[Sequence[Number]],
    alternatives: Sequence[Sequence[Sequence[Number]]],
    *,
    criterion_names: Sequence[str] | None = None,
    alternative_names: Sequence[str] | None = None,
    method: AhpMethod = "eigenvector",
    random_index: Mapping[int, float] = SAATY_1980,
) -> AhpHierarchy:
    """Synthesise a two-level hierarchy: criteria, then the alternatives under each criterion.

    The criteria matrix gives the criteria weights; each alternatives matrix (one per
    criterion, in the criteria's order) gives the alternatives' local priorities under
    that criterion; an alternative's global priority is the weighted sum of its local
    priorities (Saaty's distributive synthesis). Each of the ``1 + len(criteria)``
    matrices keeps its own consistency ratio. Build a matrix from its upper triangle
    with :func:`reciprocal_matrix`.

    Raises:
        ValidationError: For a bad matrix (path ``criteria.pairwise[i][j]`` or
            ``alternatives[k].pairwise[i][j]``), a count of alternatives matrices other
            than the number of criteria, matrices of different orders, or bad names.

    >>> result = ahp_hierarchy([[1, 3], ["1/3", 1]], [[[1, 1], [1, 1]], [[1, 4], ["1/4", 1]]])
    >>> [round(p, 4) for p in result.global_priorities], result.consistency_ratios
    ([0.575, 0.425], {'criteria': None, 'criterion 1': None, 'criterion 2': None})
    """
    try:
        top = ahp_weights(criteria, method=method, random_index=random_index)
    except ValidationError as error:
        raise error.with_prefix("criteria") from None
    n = len(top.weights)
    given: object = alternatives
    if isinstance(given, str | bytes) or not isinstance(given, Sequence) or len(given) != n:
        count = len(given) if isinstance(given, Sequence) else given
        raise ValidationError.at("alternatives", f"expected one alternatives matrix per criterion ({n}), got {count!r}")
    local: list[AhpResult] = []
    for index, matrix in enumerate(alternatives):
        try:
            local.append(ahp_weights(matrix, method=method, random_index=random_index))
        except ValidationError as error:
            raise error.with_prefix(f"alternatives[{index}]") from None
        if len(local[-1].weights) != len(local[0].weights):
            raise ValidationError.at(
                f"alternatives[{index}]",
                f"expected a {len(local[0].weights)}x{len(local[0].weights)} matrix like alternatives[0], "
                f"got {len(local[-1].weights)}x{len(local[-1].weights)}",
            )
    names = _names(criterion_names, n, "criterion")
    options = _names(alternative_names, len(local[0].weights), "alternative")
    priorities = tuple(math.fsum(top.weights[c] * local[c].weights[a] for c in range(n)) for a in range(len(options)))
    warnings = [f"criteria: {warning}" for warning in top.warnings]
    for name, result in zip(names, local, strict=True):
        warnings.extend(f"criterion {name!r}: {warning}" for warning in result.warnings)
    return AhpHierarchy(
        criteria=names,
        alternatives=options,
        criteria_weights=top,
        local=tuple(local),
        global_priorities=priorities,
        warnings=tuple(warnings),
    )
