"""How robust a choice is to the weights: weight intervals and rank acceptability.

:func:`weight_intervals` moves one criterion's weight at a time from 0 to 1, rescaling
the other weights in proportion so they still sum to 1, and reports the interval of
that weight in which the current winner stays the winner, and who takes over beyond
each end. For the weighted sum and the weighted product (whose logarithm is a
weighted sum) every score is linear in the moved weight, so the interval is computed
exactly; for TOPSIS it is found numerically.

:func:`rank_acceptability` (SMAA-2) lives in :mod:`crokit.selection.acceptability` and is
re-exported here: it draws many weight vectors uniformly from the simplex (or from
user bounds) and reports, for each alternative, the share of draws in which it takes
each rank.

>>> from crokit.selection.matrix import Criterion, DecisionMatrix
>>> matrix = DecisionMatrix(
...     alternatives=("acme", "bolt"),
...     criteria=(Criterion(id="quality"), Criterion(id="price", direction="cost")),
...     scores=((9, 120), (7, 80)),
... )
>>> print(weight_intervals(matrix, {"quality": 3, "price": 1})[0].explanation)
'acme' stays the winner while 'quality' weighs from 0.5 to 1 (now 0.75); the winner changes
to 'bolt' if 'quality' weighs less than 0.5.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

import attrs

from crokit._typed import typed_fields
from crokit.selection._scoring import TIE_TOLERANCE, MethodName, Normalisation, linear_utilities, winners
from crokit.selection.acceptability import RankAcceptability, rank_acceptability
from crokit.selection.matrix import DecisionMatrix
from crokit.selection.methods import METHODS, Method, WeightsLike, method_name, weighted_sum

if TYPE_CHECKING:
    from crokit.selection._scoring import FloatArray

__all__ = [
    "RankAcceptability",
    "WeightInterval",
    "rank_acceptability",
    "weight_intervals",
]

_GRID: Final = 1000
_BISECTIONS: Final = 60


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class WeightInterval:
    """The range of one criterion's weight in which the current winner stays the winner.

    Attributes:
        criterion: The criterion whose weight moves.
        winner: The winner at the current weights.
        current: The criterion's current (normalised) weight.
        low: The lowest weight at which *winner* still wins.
        high: The highest weight at which *winner* still wins.
        below: Who wins just below *low*, or ``None`` if *low* is 0.
        above: Who wins just above *high*, or ``None`` if *high* is 1.
        explanation: The same in one sentence.
    """

    criterion: str
    winner: str
    current: float
    low: float
    high: float
    below: str | None
    above: str | None
    explanation: str


def _moved(w: FloatArray, j: int, t: FloatArray) -> FloatArray:
    """Weight vectors (one per entry of *t*) with weight *j* set to t, the rest rescaled."""
    import numpy as np

    others = w.copy()
    others[j] = 0.0
    rest = float(others.sum())
    # If the criterion had all the weight, the remainder is shared equally.
    share = others / rest if rest > 0 else np.where(np.arange(len(w)) == j, 0.0, 1.0 / max(len(w) - 1, 1))
    result = (1.0 - t)[:, None] * share[None, :]
    result[:, j] = t
    return result


def _linear_interval(u: FloatArray, w: FloatArray, j: int, win: int) -> tuple[float, float, int | None, int | None]:
    import numpy as np

    ends = _moved(w, j, np.asarray([0.0, 1.0]))
    at_zero = (u * ends[0]).sum(axis=1)  # score_i(t) = at_zero + t * slope
    slope = (u * ends[1]).sum(axis=1) - at_zero
    d0, d1 = at_zero[win] - at_zero, slope[win] - slope  # winner's lead: d0 + t * d1
    current = float(w[j])
    # A tie counts as the winner still winning, so only a challenger whose lead over the
    # winner exceeds the tie tolerance somewhere in [0, 1] can end the interval. As the
    # lead is linear, it is enough to look at both ends. This also drops a challenger
    # whose line coincides with the winner's (for example, equal on the moved criterion
    # and tied at the current weights): rounding leaves d0 and d1 of order 1e-16 rather
    # than exactly 0, which would otherwise put a spurious root anywhere in [0, 1].
    scale = max(1.0, abs(float(at_zero[win])), abs(float(at_zero[win] + slope[win])))
    overtakes = np.minimum(d0, d0 + d1) < -TIE_TOLERANCE * scale
    low, high = 0.0, 1.0
    roots: dict[int, float] = {}
    for i in range(len(u)):
        if i != win and overtakes[i] and d1[i] != 0:
            roots[i] = float(-d0[i] / d1[i])
            if d1[i] > 0:
                low = max(low, roots[i])
            else:
                high = min(high, roots[i])

    def taker(at: float, sign: float) -> int | None:
        # Of those crossing the winner at the end, the one gaining fastest beyond it.
        found = [i for i, r in roots.items() if sign * d1[i] > 0 and math.isclose(r, at, abs_tol=TIE_TOLERANCE)]
        return max(found, key=lambda i: (sign * d1[i], -i)) if found else None

    # Within the tie tolerance of an end counts as reaching it. A competitor tied with
    # the winner at the current weight (within the tolerance) can put a root just past
    # the current weight: the interval then ends at the current weight.
    below = taker(low, 1.0) if low > TIE_TOLERANCE else None
    above = taker(high, -1.0) if high < 1.0 - TIE_TOLERANCE else None
    low = 0.0 if below is None else min(low, current)
    high = 1.0 if above is None else max(high, current)
    return low, high, below, above


def _numeric_interval(
    name: MethodName, matrix: DecisionMatrix, w: FloatArray, j: int, win: int
) -> tuple[float, float, int | None, int | None]:
    import numpy as np

    current = float(w[j])

    def winner(t: float) -> int:
        return int(winners(name, matrix, _moved(w, j, np.asarray([t])))[0])

    def edge(direction: float) -> tuple[float, int | None]:
        grid = np.linspace(0.0, 1.0, _GRID + 1)
        grid = grid[grid > current] if direction > 0 else grid[grid < current][::-1]
        inside = current
        for t, who in zip(grid, winners(name, matrix, _moved(w, j, grid)), strict=True):
            if who != win:
                outside = float(t)
                for _ in range(_BISECTIONS):
                    middle = (inside + outside) / 2
                    if winner(middle) == win:
                        inside = middle
                    else:
                        outside = middle
                return inside, winner(outside)
            inside = float(t)
        return (1.0 if direction > 0 else 0.0), None

    low, below = edge(-1.0)
    high, above = edge(1.0)
    return low, high, below, above


def _explain(
    criterion: str,
    winner: str,
    current: float,
    interval: tuple[float, float, str | None, str | None],
    names: Mapping[str, str] | None = None,
) -> str:
    def say(id_: str) -> str:
        return repr(id_) if names is None else names.get(id_, id_)

    low, high, below, above = interval
    if below is None and above is None:
        return (
            f"{say(winner)} stays the winner for any weight of {say(criterion)} from {low:.3g} to {high:.3g} "
            f"(now {current:.3g})."
        )
    text = (
        f"{say(winner)} stays the winner while {say(criterion)} weighs from {low:.3g} to {high:.3g} (now {current:.3g})"
    )
    changes = []
    if below is not None:
        changes.append(f"to {say(below)} if {say(criterion)} weighs less than {low:.3g}")
    if above is not None:
        changes.append(f"to {say(above)} if {'it' if changes else say(criterion)} weighs more than {high:.3g}")
    return f"{text}; the winner changes " + " and ".join(changes) + "."


def weight_intervals(
    matrix: DecisionMatrix,
    weights: WeightsLike,
    method: MethodName | Method = weighted_sum,
    *,
    normalisation: Normalisation = "min-max",
    names: Mapping[str, str] | None = None,
) -> tuple[WeightInterval, ...]:
    """For each criterion, the weights at which the current winner stays the winner.

    The criterion's weight ``w_j`` moves over [0, 1] and every other weight is rescaled
    in proportion, ``w_k' = w_k * (1 - w_j') / (1 - w_j)``, so the weights still sum to
    1. If the criterion has all the weight (the others are 0) the remainder is shared
    equally among the others. Weights are the normalised ones.

    For the weighted sum and the weighted product the interval is exact (the scores,
    or their logarithms, are linear in ``w_j'``). For TOPSIS it is found on a grid of
    1000 steps refined by bisection; a change of winner that reverts within one step
    (0.001) can be missed.

    Args:
        matrix: The decision matrix.
        weights: The current weights.
        method: A name from :data:`~crokit.selection.methods.METHODS` or its function.
        normalisation: The weighted sum's normalisation (see
            :func:`~crokit.selection.methods.weighted_sum`); ignored by the other methods.
        names: What the explanations call each criterion and alternative id (a name
            people read); without it they quote the ids.

    Raises:
        ValidationError: For bad weights or an unknown method.
        UnknownIdError: For a weight of an unknown criterion.
    """
    import numpy as np

    name = method_name(method)
    if name == "weighted-sum":
        result = weighted_sum(matrix, weights, normalisation=normalisation)
    else:
        result = METHODS[name](matrix, weights)
    w = np.asarray(result.weights, dtype=np.float64)
    win = matrix.alternatives.index(result.winner)
    utilities = linear_utilities(name, matrix, normalisation)
    intervals: list[WeightInterval] = []
    for j, criterion in enumerate(matrix.criterion_ids):
        current = float(w[j])
        if len(w) == 1:
            low, high, below, above = 1.0, 1.0, None, None
        elif utilities is not None:
            low, high, below, above = _linear_interval(utilities, w, j, win)
        else:
            low, high, below, above = _numeric_interval(name, matrix, w, j, win)
        named = (
            low,
            high,
            None if below is None else matrix.alternatives[below],
            None if above is None else matrix.alternatives[above],
        )
        intervals.append(
            WeightInterval(
                criterion=criterion,
                winner=result.winner,
                current=current,
                low=low,
                high=high,
                below=named[2],
                above=named[3],
                explanation=_explain(criterion, result.winner, current, named, names),
            )
        )
    return tuple(intervals)
