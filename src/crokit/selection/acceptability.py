"""SMAA-2 rank acceptability: how often each alternative takes each rank.

:func:`rank_acceptability` follows SMAA-2 (Lahdelma and Salminen, 2001, "SMAA-2:
Stochastic Multicriteria Acceptability Analysis for Group Decision Making",
Operations Research 49(3)): it draws many weight vectors uniformly from the simplex
(or from user bounds) and reports, for each alternative, the share of draws in which
it takes each rank, and the mean weights of the draws it wins (central weights).

>>> from crokit.selection.matrix import DecisionMatrix
>>> matrix = DecisionMatrix(alternatives=("acme", "bolt"), criteria=("x", "y"), scores=((2, 1), (1, 2)))
>>> result = rank_acceptability(matrix, samples=1000, seed=1)
>>> [round(row[0], 1) for row in result.acceptability]
[0.5, 0.5]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

import attrs

from crokit._typed import typed_fields
from crokit.errors import UnknownIdError, ValidationError
from crokit.selection._scoring import (
    NORMALISATIONS,
    MethodName,
    Normalisation,
    absolute_utilities,
    ratio_normalised,
    sample_scores,
)
from crokit.selection.matrix import DecisionMatrix, Number, to_float
from crokit.selection.methods import Method, method_name

if TYPE_CHECKING:
    import numpy as np

    from crokit.selection._scoring import FloatArray

__all__ = [
    "RankAcceptability",
    "rank_acceptability",
]

_CHUNK: Final = 4096
_MAX_BATCHES: Final = 200
_MAX_SAMPLES: Final = 1_000_000


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class RankAcceptability:
    """SMAA-2 rank acceptability indices.

    Attributes:
        method: The scoring method's name.
        alternatives: The alternatives' ids, in the matrix's order.
        criteria: The criteria's ids, in the matrix's order.
        acceptability: Per alternative, per rank (rank 1 first): the share of weight
            draws in which the alternative took that rank. Each row and each column
            sums to 1.
        central_weights: Per alternative, the mean weight vector of the draws in which
            it ranked first, or an empty tuple if it never did (TOML has no null, so
            a list cannot hold ``None``).
        samples: The number of weight vectors drawn.
        seed: The random seed; the same seed gives the same result.
        bounds: The (low, high) bounds of each criterion's weight that were sampled.
    """

    method: str
    alternatives: tuple[str, ...]
    criteria: tuple[str, ...]
    acceptability: tuple[tuple[float, ...], ...]
    central_weights: tuple[tuple[float, ...], ...]
    samples: int
    seed: int
    bounds: tuple[tuple[float, float], ...]


def _read_bounds(matrix: DecisionMatrix, bounds: object) -> FloatArray:
    import numpy as np

    ids = matrix.criterion_ids
    result = np.tile(np.asarray([0.0, 1.0]), (len(ids), 1))
    if bounds is None:
        return result
    if not isinstance(bounds, Mapping):
        raise ValidationError.at("weights_bounds", f"expected a mapping of criterion id to (low, high), got {bounds!r}")
    for key, pair in bounds.items():
        path = f"weights_bounds[{key!r}]"
        if key not in ids:
            raise UnknownIdError("criterion", str(key), choices=ids, path=path)
        if isinstance(pair, str | bytes) or not isinstance(pair, tuple | list) or len(pair) != 2:  # noqa: PLR2004
            raise ValidationError.at(path, f"expected a (low, high) pair, got {pair!r}")
        low, high = (to_float(x, path=f"{path}[{k}]", what="weight bound") for k, x in enumerate(pair))
        if not 0 <= low <= high <= 1:
            raise ValidationError.at(path, f"expected bounds with 0 <= low <= high <= 1, got ({low!r}, {high!r})")
        result[ids.index(key)] = (low, high)
    if result[:, 0].sum() > 1 or result[:, 1].sum() < 1:
        raise ValidationError.at(
            "weights_bounds",
            f"no weights summing to 1 fit these bounds: the lows add up to {result[:, 0].sum():.6g} "
            f"(at most 1 allowed) and the highs to {result[:, 1].sum():.6g} (at least 1 needed)",
        )
    return result


def _check_whole(path: str, value: object, low: int, high: int | None) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        upto = f"from {low} to {high}" if high is not None else f"of {low} or more"
        raise ValidationError.at(path, f"expected a whole number {upto}, got {value!r}")


def _draw(rng: np.random.Generator, bounds: FloatArray, samples: int) -> FloatArray:
    import numpy as np

    n = len(bounds)
    kept: list[FloatArray] = []
    count = 0
    for _ in range(_MAX_BATCHES):
        exponential = rng.standard_exponential((max(samples, 1024), n))
        draws = exponential / exponential.sum(axis=1, keepdims=True)  # Dirichlet(1, ..., 1)
        ok = np.all((draws >= bounds[:, 0]) & (draws <= bounds[:, 1]), axis=1)
        kept.append(draws[ok])
        count += int(ok.sum())
        if count >= samples:
            return np.concatenate(kept)[:samples]
    raise ValidationError.at(
        "weights_bounds", f"the bounds are too narrow to sample: {count} of {samples} draws fit; widen them"
    )


def rank_acceptability(
    matrix: DecisionMatrix,
    weights_bounds: Mapping[str, tuple[Number, Number]] | None = None,
    *,
    samples: int = 10_000,
    seed: int,
    method: MethodName | Method = "weighted-sum",
    normalisation: Normalisation = "min-max",
) -> RankAcceptability:
    """SMAA-2 rank acceptability: how often each alternative takes each rank.

    Weight vectors are drawn uniformly from the simplex (Dirichlet(1, ..., 1), as
    normalised standard exponentials from ``numpy.random.default_rng(seed)``). With
    *weights_bounds*, draws outside the bounds are rejected until *samples* fit;
    criteria without bounds may take any weight. In each draw the alternatives are
    ranked by score with a stable sort, so exactly equal scores rank in input order.

    Args:
        matrix: The decision matrix.
        weights_bounds: Optional ``{criterion id: (low, high)}`` bounds on the weights.
        samples: How many weight vectors to draw (1 to 1,000,000).
        seed: The random seed (a non-negative int); required, so results repeat.
        method: A name from :data:`~crokit.selection.methods.METHODS` or its function.
        normalisation: The weighted sum's normalisation (see
            :func:`~crokit.selection.methods.weighted_sum`); ignored by the other methods.

    Raises:
        ValidationError: For bad bounds, bounds no weights summing to 1 fit, bounds too
            narrow to sample, a bad *samples* or *seed*, an unknown method or
            normalisation.
        UnknownIdError: For bounds on an unknown criterion.
    """
    import numpy as np

    name = method_name(method)
    if normalisation not in NORMALISATIONS:
        raise ValidationError.at("normalisation", f"expected 'absolute' or 'min-max', got {normalisation!r}")
    _check_whole("samples", samples, 1, _MAX_SAMPLES)
    _check_whole("seed", seed, 0, None)
    bounds = _read_bounds(matrix, weights_bounds)
    if name == "weighted-product":
        ratio_normalised(matrix)  # refuse non-positive scores before sampling
    if name == "weighted-sum" and normalisation == "absolute":
        absolute_utilities(matrix)  # refuse scores outside 0..1 before sampling
    weights = _draw(np.random.default_rng(seed), bounds, samples)
    m, n = matrix.shape
    counts = np.zeros((m, m), dtype=np.int64)
    first_weights = np.zeros((m, n))
    for start in range(0, samples, _CHUNK):
        chunk = weights[start : start + _CHUNK]
        order = np.argsort(-sample_scores(name, matrix, chunk, normalisation), axis=1, kind="stable")
        for rank in range(m):
            counts[:, rank] += np.bincount(order[:, rank], minlength=m)
        np.add.at(first_weights, order[:, 0], chunk)
    return RankAcceptability(
        method=name,
        alternatives=matrix.alternatives,
        criteria=matrix.criterion_ids,
        acceptability=tuple(tuple(float(c) / samples for c in row) for row in counts),
        central_weights=tuple(
            tuple(float(x) / int(counts[i, 0]) for x in first_weights[i]) if counts[i, 0] else () for i in range(m)
        ),
        samples=samples,
        seed=seed,
        bounds=tuple((float(lo), float(hi)) for lo, hi in bounds),
    )
