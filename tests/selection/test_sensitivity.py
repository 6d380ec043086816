"""Weight intervals and SMAA-2 rank acceptability."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from crokit.errors import CrokitError, UnknownIdError, ValidationError
from crokit.selection import (
    METHODS,
    Criterion,
    DecisionMatrix,
    Direction,
    rank_acceptability,
    topsis,
    weight_intervals,
    weighted_product,
    weighted_sum,
)
from crokit.selection.sensitivity import _moved, _numeric_interval

TWO = DecisionMatrix(
    alternatives=("acme", "bolt"),
    criteria=(Criterion(id="quality"), Criterion(id="price", direction="cost")),
    scores=((9, 120), (7, 80)),
)


@st.composite
def matrix_and_weights(draw: st.DrawFn) -> tuple[DecisionMatrix, dict[str, int]]:
    m = draw(st.integers(2, 5))
    n = draw(st.integers(1, 4))
    directions = draw(st.lists(st.sampled_from(Direction), min_size=n, max_size=n))
    rows = draw(st.lists(st.lists(st.integers(1, 20), min_size=n, max_size=n), min_size=m, max_size=m))
    matrix = DecisionMatrix(
        alternatives=tuple(f"cro-{i}" for i in range(m)),
        criteria=tuple(Criterion(id=f"c{j}", direction=d) for j, d in enumerate(directions)),
        scores=tuple(tuple(row) for row in rows),
    )
    values = draw(st.lists(st.integers(0, 10), min_size=n, max_size=n))
    if not any(values):
        values[draw(st.integers(0, n - 1))] = 1
    return matrix, dict(zip(matrix.criterion_ids, values, strict=True))


def scores_at(method, matrix: DecisionMatrix, weights: dict[str, int], j: int, t: float) -> tuple[float, ...]:
    base = np.asarray(weighted_sum(matrix, weights).weights)
    moved = _moved(base, j, np.asarray([t]))[0]
    return tuple(method(matrix, dict(zip(matrix.criterion_ids, moved.tolist(), strict=True))).scores)


# --- weight intervals ------------------------------------------------------------------


def test_two_alternative_intervals_by_hand() -> None:
    # Normalised: acme (1, 0), bolt (0, 1); acme wins while w_quality >= w_price.
    quality, price = weight_intervals(TWO, {"quality": 3, "price": 1})
    assert (quality.low, quality.high, quality.below, quality.above) == (0.5, 1.0, "bolt", None)
    assert quality.current == 0.75
    assert quality.winner == "acme"
    assert (price.low, price.high, price.below, price.above) == (0.0, 0.5, None, "bolt")
    assert price.explanation == (
        "'acme' stays the winner while 'price' weighs from 0 to 0.5 (now 0.25); "
        "the winner changes to 'bolt' if 'price' weighs more than 0.5."
    )


def test_criterion_with_all_the_weight_and_one_with_none() -> None:
    quality, price = weight_intervals(TWO, {"quality": 1, "price": 0})
    assert (quality.current, quality.low, quality.high, quality.below) == (1.0, 0.5, 1.0, "bolt")
    assert (price.current, price.low, price.high, price.above) == (0.0, 0.0, 0.5, "bolt")


def test_interval_with_changes_at_both_ends() -> None:
    # Normalised on (x, y): A (1, 0), B (0, 1), C (0.6, 0.6). With w_x = t, w_y = 1 - t:
    # A = t, B = 1 - t, C = 0.6; C wins for t in [0.4, 0.6].
    matrix = DecisionMatrix(alternatives=("A", "B", "C"), criteria=("x", "y"), scores=((10, 0), (0, 10), (6, 6)))
    x, _ = weight_intervals(matrix, {"x": 1, "y": 1})
    assert x.winner == "C"
    assert x.low == pytest.approx(0.4)
    assert x.high == pytest.approx(0.6)
    assert (x.below, x.above) == ("B", "A")
    assert "to 'B' if 'x' weighs less than 0.4 and to 'A' if it weighs more than 0.6" in x.explanation


def test_tie_at_the_current_weight_ends_the_interval_there() -> None:
    # A (1, 0) and B (0, 1) tie at equal weights; A wins the tie by input order and
    # keeps winning only while x weighs at least 0.5.
    matrix = DecisionMatrix(alternatives=("A", "B"), criteria=("x", "y"), scores=((1, 0), (0, 1)))
    x, y = weight_intervals(matrix, {"x": 1, "y": 1})
    assert (x.winner, x.low, x.high, x.below, x.above) == ("A", 0.5, 1.0, "B", None)
    assert (y.winner, y.low, y.high, y.below, y.above) == ("A", 0.0, 0.5, None, "B")


@given(matrix_and_weights())
def test_topsis_interval_holds_the_current_weight_and_the_winner(case) -> None:
    matrix, weights = case
    result = topsis(matrix, weights)
    for j, interval in enumerate(weight_intervals(matrix, weights, method="topsis")):
        assert interval.winner == result.winner
        assert 0.0 <= interval.low <= interval.current <= interval.high <= 1.0
        if len(matrix.criteria) == 1:
            continue
        win = matrix.alternatives.index(interval.winner)
        for t in (interval.low, interval.high):
            scores = scores_at(topsis, matrix, weights, j, t)
            assert scores[win] >= max(scores) - 1e-9
        assert (interval.below is None) == (interval.low == 0.0)
        assert (interval.above is None) == (interval.high == 1.0)


def test_single_criterion_interval_is_fixed() -> None:
    matrix = DecisionMatrix(alternatives=("a", "b"), criteria=("x",), scores=((1,), (2,)))
    (interval,) = weight_intervals(matrix, {"x": 5})
    assert (interval.low, interval.high, interval.below, interval.above) == (1.0, 1.0, None, None)
    assert interval.winner == "b"
    assert "for any weight" in interval.explanation


def test_topsis_interval_matches_the_closed_form() -> None:
    # With two alternatives TOPSIS picks acme iff w_q * dq >= w_p * dp, where dq and dp
    # are the gaps of the vector-normalised columns: threshold w_q = dp / (dq + dp).
    dq = (9 - 7) / math.sqrt(9**2 + 7**2)
    dp = (120 - 80) / math.sqrt(120**2 + 80**2)
    quality, _ = weight_intervals(TWO, {"quality": 3, "price": 1}, method=topsis)
    assert quality.low == pytest.approx(dp / (dq + dp), abs=1e-9)
    assert (quality.high, quality.below, quality.above) == (1.0, "bolt", None)


@given(matrix_and_weights(), st.sampled_from(["weighted-sum", "weighted-product"]), st.data())
def test_interval_holds_the_current_weight_and_the_winner(case, name, data) -> None:
    matrix, weights = case
    method = METHODS[name]
    result = method(matrix, weights)
    for j, interval in enumerate(weight_intervals(matrix, weights, method=name)):
        assert interval.winner == result.winner
        assert 0.0 <= interval.low <= interval.current <= interval.high <= 1.0
        assert interval.current == pytest.approx(result.weights[j])
        win = matrix.alternatives.index(interval.winner)
        t = data.draw(st.floats(interval.low, interval.high))
        inside = scores_at(method, matrix, weights, j, t)
        assert inside[win] >= max(inside) - 1e-9
        if interval.below is not None and interval.low >= 1e-6:
            outside = scores_at(method, matrix, weights, j, interval.low - 1e-6)
            assert outside[matrix.alternatives.index(interval.below)] > outside[win]
        if interval.above is not None and interval.high <= 1 - 1e-6:
            outside = scores_at(method, matrix, weights, j, interval.high + 1e-6)
            assert outside[matrix.alternatives.index(interval.above)] > outside[win]


def _tied_case(
    directions: tuple[Direction, ...], scores: tuple[tuple[int, ...], ...], weights: dict[str, int]
) -> tuple[DecisionMatrix, dict[str, int]]:
    matrix = DecisionMatrix(
        alternatives=tuple(f"cro-{i}" for i in range(len(scores))),
        criteria=tuple(Criterion(id=f"c{j}", direction=d) for j, d in enumerate(directions)),
        scores=scores,
    )
    return matrix, weights


B, C = Direction.BENEFIT, Direction.COST
# cro-1 and cro-2 are equal on c0 and tie at the current weights, so their lines in
# w_c0 coincide; rounding once put a spurious crossing at w_c0 = 0.5 (exact high 0.5).
COINCIDING_ON_C0 = _tied_case(
    (B, C, B, C), ((1, 4, 1, 1), (2, 14, 4, 1), (2, 11, 4, 2)), {"c0": 9, "c1": 10, "c2": 4, "c3": 3}
)
# The same on c2: a spurious crossing at w_c2 = 1 once gave an exact low of 0.0667.
COINCIDING_ON_C2 = _tied_case(
    (B, B, B, B), ((1, 4, 1, 1), (2, 14, 4, 1), (1, 12, 4, 2)), {"c0": 1, "c1": 10, "c2": 1, "c3": 3}
)


@given(matrix_and_weights())
@example(COINCIDING_ON_C0)
@example(COINCIDING_ON_C2)
def test_exact_interval_agrees_with_the_numeric_search(case) -> None:
    matrix, weights = case
    base = np.asarray(weighted_sum(matrix, weights).weights)
    for j, interval in enumerate(weight_intervals(matrix, weights)):
        if len(base) == 1:
            continue
        win = matrix.alternatives.index(interval.winner)
        low, high, _, _ = _numeric_interval("weighted-sum", matrix, base, j, win)
        assert low == pytest.approx(interval.low, abs=1e-9)
        assert high == pytest.approx(interval.high, abs=1e-9)


@pytest.mark.parametrize(("case", "j"), [(COINCIDING_ON_C0, 0), (COINCIDING_ON_C2, 2)])
def test_a_challenger_tied_all_along_never_ends_the_interval(case, j) -> None:
    # The tied challenger comes after the winner in input order, so the winner keeps
    # winning for every weight of the criterion on which the two are equal.
    matrix, weights = case
    interval = weight_intervals(matrix, weights)[j]
    assert interval.winner == "cro-1"
    assert (interval.high, interval.above) == (1.0, None)
    if j == 2:
        assert (interval.low, interval.below) == (0.0, None)


def test_weight_intervals_refuse_an_unknown_method() -> None:
    with pytest.raises(ValidationError, match=r"method: expected one of"):
        weight_intervals(TWO, {"quality": 1, "price": 1}, method="electre")  # type: ignore[arg-type]


# --- rank acceptability ----------------------------------------------------------------


def test_uniform_weights_split_a_symmetric_choice_evenly() -> None:
    # acme wins iff w_quality > 0.5, which has probability 1/2 under uniform weights.
    result = rank_acceptability(TWO, samples=20_000, seed=7)
    assert result.acceptability[0][0] == pytest.approx(0.5, abs=0.02)
    assert result.acceptability[0][0] + result.acceptability[1][0] == pytest.approx(1.0)
    central = result.central_weights[0]
    assert central is not None
    assert central[0] == pytest.approx(0.75, abs=0.02)


@given(matrix_and_weights(), st.integers(0, 2**32), st.sampled_from(sorted(METHODS)))
def test_rows_and_columns_sum_to_one_and_seed_repeats(case, seed, name) -> None:
    matrix, _ = case
    result = rank_acceptability(matrix, samples=200, seed=seed, method=name)
    again = rank_acceptability(matrix, samples=200, seed=seed, method=name)
    assert result == again
    for row in result.acceptability:
        assert math.fsum(row) == pytest.approx(1.0)
    for column in zip(*result.acceptability, strict=True):
        assert math.fsum(column) == pytest.approx(1.0)
    assert all(math.isfinite(x) for row in result.acceptability for x in row)


def test_dominated_alternative_never_ranks_first() -> None:
    matrix = DecisionMatrix(alternatives=("a", "b", "c"), criteria=("x", "y"), scores=((5, 5), (4, 4), (1, 9)))
    result = rank_acceptability(matrix, samples=2000, seed=1)
    assert result.acceptability[1][0] == 0.0
    assert result.central_weights[1] == ()


def test_bounds_are_respected() -> None:
    result = rank_acceptability(TWO, {"quality": (0.6, "0.9")}, samples=500, seed=3)
    assert result.acceptability[0] == (1.0, 0.0)
    assert result.bounds == ((0.6, 0.9), (0.0, 1.0))
    central = result.central_weights[0]
    assert central is not None
    assert 0.6 <= central[0] <= 0.9


@pytest.mark.parametrize("method", [weighted_sum, weighted_product, topsis])
def test_constant_column_and_identical_alternatives_give_no_nan(method) -> None:
    matrix = DecisionMatrix(alternatives=("a", "b"), criteria=("x", "y"), scores=((3, 1), (3, 1)))
    result = rank_acceptability(matrix, samples=100, seed=0, method=method)
    assert result.acceptability == ((1.0, 0.0), (0.0, 1.0))  # exact ties rank in input order
    for interval in weight_intervals(matrix, {"x": 1, "y": 0}, method=method):
        assert all(math.isfinite(v) for v in (interval.low, interval.high, interval.current))
        assert (interval.low, interval.high, interval.winner) == (0.0, 1.0, "a")


@pytest.mark.parametrize(
    ("bounds", "error", "path"),
    [
        ({"quality": (0.7, 1), "price": (0.5, 1)}, ValidationError, "lows add up to 1.2"),
        ({"quality": (0, 0.2), "price": (0, 0.3)}, ValidationError, "highs to 0.5"),
        ({"quality": (0.5, 0.4)}, ValidationError, "weights_bounds['quality']"),
        ({"quality": (-0.1, 0.4)}, ValidationError, "weights_bounds['quality']"),
        ({"quality": (0.1,)}, ValidationError, "weights_bounds['quality']"),
        ({"quality": (0.1, "x")}, ValidationError, "weights_bounds['quality'][1]"),
        ({"qualty": (0.1, 0.2)}, UnknownIdError, "weights_bounds['qualty']"),
        ({"quality": (0.5, 0.5)}, ValidationError, "too narrow"),
    ],
)
def test_bad_bounds_are_refused(bounds, error, path) -> None:
    with pytest.raises(error) as caught:
        rank_acceptability(TWO, bounds, samples=10, seed=0)
    assert isinstance(caught.value, CrokitError)
    assert path in str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"samples": 0, "seed": 0}, "samples"),
        ({"samples": True, "seed": 0}, "samples"),
        ({"samples": 10, "seed": -1}, "seed"),
        ({"samples": 10, "seed": 1.5}, "seed"),
    ],
)
def test_bad_samples_or_seed_are_refused(kwargs, path) -> None:
    with pytest.raises(ValidationError, match=rf"^{path}: expected a whole number"):
        rank_acceptability(TWO, **kwargs)


def test_weighted_product_acceptability_refuses_non_positive_scores() -> None:
    matrix = DecisionMatrix(alternatives=("a", "b"), criteria=("x",), scores=((0,), (1,)))
    with pytest.raises(ValidationError, match=r"scores\[0\]\[0\]"):
        rank_acceptability(matrix, samples=10, seed=0, method="weighted-product")
