"""Scoring methods: worked examples, properties, awkward columns and refusals with paths."""

from __future__ import annotations

import inspect
import math
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit.errors import CrokitError, UnknownIdError, ValidationError
from crokit.selection import (
    METHODS,
    Criterion,
    DecisionMatrix,
    Direction,
    MethodResult,
    NormalizedWeights,
    normalize_weights,
    rank_scores,
    topsis,
    weighted_product,
    weighted_sum,
)

ALL_METHODS = tuple(METHODS.values())


@st.composite
def matrices(draw: st.DrawFn) -> DecisionMatrix:
    m = draw(st.integers(2, 5))
    n = draw(st.integers(1, 4))
    directions = draw(st.lists(st.sampled_from(Direction), min_size=n, max_size=n))
    rows = draw(st.lists(st.lists(st.integers(1, 20), min_size=n, max_size=n), min_size=m, max_size=m))
    return DecisionMatrix(
        alternatives=tuple(f"cro-{i}" for i in range(m)),
        criteria=tuple(Criterion(id=f"c{j}", direction=d) for j, d in enumerate(directions)),
        scores=tuple(tuple(row) for row in rows),
    )


@st.composite
def matrix_and_weights(draw: st.DrawFn) -> tuple[DecisionMatrix, dict[str, int]]:
    matrix = draw(matrices())
    values = draw(st.lists(st.integers(0, 10), min_size=len(matrix.criteria), max_size=len(matrix.criteria)))
    if not any(values):
        values[draw(st.integers(0, len(values) - 1))] = 1
    return matrix, dict(zip(matrix.criterion_ids, values, strict=True))


def flat(rows: tuple[tuple[float, ...], ...]) -> list[float]:
    return [x for row in rows for x in row]


def no_nan(result: MethodResult) -> bool:
    values = [*result.scores, *result.weights, *(c for row in result.contributions for c in row)]
    return all(math.isfinite(v) for v in values)


# --- worked examples -------------------------------------------------------------------


def test_topsis_hwang_yoon_fighter_aircraft() -> None:
    # Hwang, C.-L. and Yoon, K. (1981), Multiple Attribute Decision Making: Methods and
    # Applications, Lecture Notes in Economics and Mathematical Systems 186, Springer:
    # the fighter-aircraft example (qualitative ratings on the book's interval scale,
    # average = 5, low = 3, high = 7, very high = 9). The book reports closeness
    # 0.643, 0.268, 0.613 and 0.312 (rounded intermediates), ranking A1 > A3 > A4 > A2.
    # Caveat: the matrix and these values were transcribed from the widely reproduced
    # example, not re-read in a copy of the book. The weights (0.2, 0.1, 0.1, 0.1, 0.2,
    # 0.3) and which aircraft beats which on each attribute agree with the same example
    # as taught in the Czech University of Life Sciences' operations-research course
    # (orms.pef.czu.cz, "Fighter Aircraft Problem"); the computed closeness values
    # (0.6433, 0.2684, 0.6135, 0.3123) agree within the book's rounding of intermediates.
    matrix = DecisionMatrix(
        alternatives=("A1", "A2", "A3", "A4"),
        criteria=(
            Criterion(id="max-speed"),
            Criterion(id="ferry-range"),
            Criterion(id="max-payload"),
            Criterion(id="acquisition-cost", direction=Direction.COST),
            Criterion(id="reliability"),
            Criterion(id="maneuverability"),
        ),
        scores=(
            ("2.0", 1500, 20000, "5.5", 5, 9),
            ("2.5", 2700, 18000, "6.5", 3, 5),
            ("1.8", 2000, 21000, "4.5", 7, 7),
            ("2.2", 1800, 20000, "5.0", 5, 5),
        ),
    )
    weights = {
        "max-speed": "0.2",
        "ferry-range": "0.1",
        "max-payload": "0.1",
        "acquisition-cost": "0.1",
        "reliability": "0.2",
        "maneuverability": "0.3",
    }
    result = topsis(matrix, weights)
    assert result.scores == pytest.approx((0.643, 0.268, 0.613, 0.312), abs=1.5e-3)
    assert result.ranks == (1, 4, 2, 3)
    assert result.ranking == ("A1", "A3", "A4", "A2")


def test_topsis_hand_computed() -> None:
    # Hand-computed (not from a publication). Columns chosen with norm 5:
    #   quality (benefit) 3, 4, 0 -> 0.6, 0.8, 0.0;  price (cost) 4, 0, 3 -> 0.8, 0.0, 0.6
    # Weights 1:1 -> 0.5 each; weighted: A (0.3, 0.4), B (0.4, 0.0), C (0.0, 0.3).
    # Ideal (max quality, min price) = (0.4, 0.0); anti-ideal = (0.0, 0.4).
    #   A: d+ = sqrt(0.1^2 + 0.4^2) = sqrt(0.17), d- = 0.3  -> 0.3 / (0.3 + sqrt(0.17))
    #   B: d+ = 0                                           -> 1
    #   C: d+ = sqrt(0.4^2 + 0.3^2) = 0.5, d- = 0.1         -> 0.1 / 0.6 = 1/6
    matrix = DecisionMatrix(
        alternatives=("A", "B", "C"),
        criteria=(Criterion(id="quality"), Criterion(id="price", direction="cost")),
        scores=((3, 4), (4, 0), (0, 3)),
    )
    result = topsis(matrix, {"quality": 1, "price": 1})
    assert result.scores == pytest.approx((0.3 / (0.3 + math.sqrt(0.17)), 1.0, 1 / 6), rel=1e-12)
    assert result.ranks == (2, 1, 3)
    assert flat(result.contributions) == pytest.approx(flat(((0.3, 0.4), (0.4, 0.0), (0.0, 0.3))))
    assert result.ties == ()


def test_weighted_sum_hand_computed() -> None:
    # quality (benefit) 9, 7, 5 -> 1, 0.5, 0; price (cost) 120, 80, 100 -> 0, 1, 0.5.
    # Weights 3:1 -> 0.75, 0.25: A 0.75, B 0.375 + 0.25 = 0.625, C 0.125.
    matrix = DecisionMatrix(
        alternatives=("A", "B", "C"),
        criteria=(Criterion(id="quality"), Criterion(id="price", direction=Direction.COST)),
        scores=((9, 120), (7, 80), (5, 100)),
    )
    result = weighted_sum(matrix, {"quality": Decimal(3), "price": Fraction(1)})
    assert result.scores == pytest.approx((0.75, 0.625, 0.125))
    assert flat(result.contributions) == pytest.approx(flat(((0.75, 0.0), (0.375, 0.25), (0.0, 0.125))))
    assert result.weights == (0.75, 0.25)
    assert result.winner == "A"
    assert result.method == "weighted-sum"


def test_weighted_product_hand_computed_with_a_tie() -> None:
    # speed (benefit) 1, 2 -> ratios 0.5, 1; price (cost) 1, 2 -> min/x = 1, 0.5.
    # Equal weights: both score sqrt(0.5), a tie sharing rank 1.
    matrix = DecisionMatrix(
        alternatives=("A", "B"),
        criteria=(Criterion(id="speed"), Criterion(id="price", direction="cost")),
        scores=((1, 1), (2, 2)),
    )
    result = weighted_product(matrix, {"speed": 1, "price": 1})
    assert result.scores == pytest.approx((math.sqrt(0.5), math.sqrt(0.5)))
    assert flat(result.contributions) == pytest.approx(flat(((math.sqrt(0.5), 1.0), (1.0, math.sqrt(0.5)))))
    assert result.ranks == (1, 1)
    assert result.ties == (("A", "B"),)
    assert result.winner == "A"


def test_competition_ranking_and_tie_groups() -> None:
    ranks, ties = rank_scores([0.2, 0.9, 0.9, 0.2, 0.1, 0.9 * (1 + 1e-14)], list("abcdef"))
    assert ranks == (4, 1, 1, 4, 6, 1)
    assert ties == (("b", "c", "f"), ("a", "d"))


def test_normalized_weights_are_accepted_and_checked() -> None:
    matrix = DecisionMatrix(alternatives=("a", "b"), criteria=("x", "y"), scores=((1, 2), (2, 1)))
    given = normalize_weights({"x": 1, "y": 3}, matrix.criteria)
    assert given == NormalizedWeights(values=(0.25, 0.75), given_sum=4.0, was_normalized=True)
    assert weighted_sum(matrix, given) == weighted_sum(matrix, {"x": 1, "y": 3})
    with pytest.raises(ValidationError, match=r"weights: expected 2 normalised weights, got 1"):
        weighted_sum(matrix, NormalizedWeights(values=(1.0,), given_sum=1.0, was_normalized=False))
    assert not normalize_weights({"x": "0.5", "y": "0.5"}, matrix.criteria).was_normalized
    with pytest.raises(ValidationError, match=r"weights\[1\]: expected a finite weight of 0 or more, got -0.5"):
        topsis(matrix, NormalizedWeights(values=(1.5, -0.5), given_sum=1.0, was_normalized=False))
    with pytest.raises(ValidationError, match=r"weights: expected normalised weights summing to 1"):
        topsis(matrix, NormalizedWeights(values=(0.5, 0.6), given_sum=1.1, was_normalized=False))


# --- awkward columns -------------------------------------------------------------------


@pytest.mark.parametrize("method", ALL_METHODS)
def test_constant_column_and_zero_weight_give_no_nan(method) -> None:
    matrix = DecisionMatrix(
        alternatives=("a", "b", "c"),
        criteria=(Criterion(id="flat"), Criterion(id="price", direction="cost"), Criterion(id="q")),
        scores=((5, 10, 1), (5, 20, 2), (5, 30, 3)),
    )
    result = method(matrix, {"flat": 1, "price": 0, "q": 1})
    assert no_nan(result)
    assert result.winner == "c"


@pytest.mark.parametrize("method", ALL_METHODS)
def test_identical_alternatives_all_tie(method) -> None:
    matrix = DecisionMatrix(alternatives=("a", "b", "c"), criteria=("x", "y"), scores=((2, 3), (2, 3), (2, 3)))
    result = method(matrix, {"x": 1, "y": 2})
    assert no_nan(result)
    assert result.ranks == (1, 1, 1)
    assert result.ties == (("a", "b", "c"),)


def test_constant_matrix_scores_documented_values() -> None:
    matrix = DecisionMatrix(alternatives=("a", "b"), criteria=("x",), scores=((4,), (4,)))
    assert weighted_sum(matrix, {"x": 1}).scores == (0.0, 0.0)
    assert weighted_product(matrix, {"x": 1}).scores == (1.0, 1.0)
    assert topsis(matrix, {"x": 1}).scores == (0.5, 0.5)


def test_topsis_with_zero_and_negative_scores_stays_in_range() -> None:
    matrix = DecisionMatrix(alternatives=("a", "b", "c"), criteria=("x", "y"), scores=((0, -1), (0, 2), (0, 0.5)))
    result = topsis(matrix, {"x": 1, "y": 1})
    assert no_nan(result)
    assert all(0 <= s <= 1 for s in result.scores)
    assert result.winner == "b"


# --- properties ------------------------------------------------------------------------


@given(matrix_and_weights(), st.sampled_from([1e-3, 0.5, 2, 7, 1e6]), st.sampled_from(ALL_METHODS))
def test_scaling_weights_never_changes_ranks(case, factor, method) -> None:
    matrix, weights = case
    scaled = {k: v * factor for k, v in weights.items()}
    assert method(matrix, scaled).ranks == method(matrix, weights).ranks


@given(matrix_and_weights(), st.randoms(use_true_random=False), st.sampled_from(ALL_METHODS))
def test_permuting_criteria_never_changes_ranks(case, rng, method) -> None:
    matrix, weights = case
    order = list(range(len(matrix.criteria)))
    rng.shuffle(order)
    permuted = DecisionMatrix(
        alternatives=matrix.alternatives,
        criteria=tuple(matrix.criteria[j] for j in order),
        scores=tuple(tuple(row[j] for j in order) for row in matrix.scores),
    )
    assert method(permuted, weights).ranks == method(matrix, weights).ranks


@given(matrix_and_weights(), st.data())
def test_dominating_alternative_never_ranks_below_the_dominated(case, data) -> None:
    matrix, weights = case
    base = data.draw(st.integers(0, len(matrix.alternatives) - 1))
    gains = data.draw(st.lists(st.integers(0, 5), min_size=len(matrix.criteria), max_size=len(matrix.criteria)))
    better = tuple(
        x + g if c.direction is Direction.BENEFIT else x - g
        for x, g, c in zip(matrix.scores[base], gains, matrix.criteria, strict=True)
    )
    extended = DecisionMatrix(
        alternatives=(*matrix.alternatives, "dominator"),
        criteria=matrix.criteria,
        scores=(*matrix.scores, better),
    )
    ranks = weighted_sum(extended, weights).ranks
    assert ranks[-1] <= ranks[base]


@given(
    st.integers(2, 5).flatmap(
        lambda m: st.lists(
            st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=3, max_size=3), min_size=m, max_size=m
        )
    ),
    st.lists(st.floats(0, 100, allow_nan=False), min_size=3, max_size=3).filter(any),
)
def test_topsis_closeness_is_within_zero_and_one(rows, raw_weights) -> None:
    matrix = DecisionMatrix(
        alternatives=tuple(f"a{i}" for i in range(len(rows))),
        criteria=(Criterion(id="x"), Criterion(id="y", direction="cost"), Criterion(id="z")),
        scores=tuple(tuple(row) for row in rows),
    )
    result = topsis(matrix, dict(zip(matrix.criterion_ids, raw_weights, strict=True)))
    assert no_nan(result)
    assert all(0.0 <= s <= 1.0 for s in result.scores)


@given(matrix_and_weights(), st.sampled_from(ALL_METHODS))
def test_results_are_finite_and_ranks_consistent(case, method) -> None:
    matrix, weights = case
    result = method(matrix, weights)
    assert no_nan(result)
    assert min(result.ranks) == 1
    for i, j in zip(range(len(result.scores)), range(1, len(result.scores)), strict=False):
        if result.scores[i] > result.scores[j] + 1e-9:
            assert result.ranks[i] < result.ranks[j]


# --- refusals --------------------------------------------------------------------------

MATRIX = DecisionMatrix(
    alternatives=("acme", "bolt"),
    criteria=(Criterion(id="quality"), Criterion(id="price", direction="cost")),
    scores=((8, 100), (6, 90)),
)


@pytest.mark.parametrize(
    ("weights", "error", "path"),
    [
        ({"quality": -1, "price": 1}, ValidationError, "weights['quality']"),
        ({"quality": 0, "price": 0}, ValidationError, "weights"),
        ({"quality": 1, "price": 1, "qualty": 1}, UnknownIdError, "weights['qualty']"),
        ({"quality": 1}, ValidationError, "weights"),
        ({"quality": float("nan"), "price": 1}, ValidationError, "weights['quality']"),
        ({"quality": float("inf"), "price": 1}, ValidationError, "weights['quality']"),
        ({"quality": True, "price": 1}, ValidationError, "weights['quality']"),
        ({"quality": "heavy", "price": 1}, ValidationError, "weights['quality']"),
    ],
)
def test_bad_weights_are_refused_with_the_path(weights, error, path) -> None:
    with pytest.raises(error) as caught:
        weighted_sum(MATRIX, weights)
    assert isinstance(caught.value, CrokitError)
    assert path in str(caught.value)


def test_unknown_criterion_suggests_the_close_one() -> None:
    with pytest.raises(UnknownIdError, match=r"did you mean 'quality'"):
        topsis(MATRIX, {"qualty": 1, "price": 1})


def test_missing_weight_names_the_criterion() -> None:
    with pytest.raises(ValidationError, match=r"missing 'price'"):
        weighted_product(MATRIX, {"quality": 1})


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"alternatives": ("a", "b", "c", "b"), "scores": ((1,), (2,), (3,), (4,))}, "alternatives[3]"),
        ({"alternatives": ("a", ""), "scores": ((1,), (2,))}, "alternatives[1]"),
        ({"alternatives": (), "scores": ()}, "alternatives"),
        ({"criteria": ("x", "x"), "scores": ((1, 2), (3, 4))}, "criteria[1]"),
        ({"criteria": (), "scores": ((), ())}, "criteria"),
        ({"scores": ((1,),)}, "scores"),
        ({"scores": ((1,), (2, 3))}, "scores[1]"),
        ({"scores": ((1,), (float("nan"),))}, "scores[1][0]"),
        ({"scores": ((1,), ("-inf",))}, "scores[1][0]"),
        ({"scores": ((1,), ("lots",))}, "scores[1][0]"),
        ({"scores": ((1,), (Decimal("sNaN"),))}, "scores[1][0]"),
        ({"scores": ((1,), (10**400,))}, "scores[1][0]"),
        ({"scores": ((1,), (None,))}, "scores[1][0]"),
        ({"scores": ((1,), "2")}, "scores[1]"),
        ({"criteria": (3,), "scores": ((1,), (2,))}, "criteria[0]"),
    ],
)
def test_bad_matrix_is_refused_with_the_path(kwargs, path) -> None:
    arguments = {"alternatives": ("a", "b"), "criteria": ("x",)} | kwargs
    with pytest.raises(CrokitError) as caught:
        DecisionMatrix(**arguments)
    assert path in str(caught.value)


def test_bad_direction_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"direction: expected 'benefit' or 'cost', got 'more'"):
        Criterion(id="x", direction="more")
    with pytest.raises(ValidationError, match=r"id: expected a non-empty text id"):
        Criterion(id=" ")


def test_duplicate_alternative_names_the_first_occurrence() -> None:
    with pytest.raises(ValidationError, match=r"alternatives\[2\]: duplicate alternative id 'a': already given at"):
        DecisionMatrix(alternatives=("a", "b", "a"), criteria=("x",), scores=((1,), (2,), (3,)))


@pytest.mark.parametrize("bad", [0, -2])
def test_weighted_product_refuses_non_positive_scores(bad) -> None:
    matrix = DecisionMatrix(alternatives=("a", "b"), criteria=("x", "y"), scores=((1, 2), (3, bad)))
    with pytest.raises(ValidationError, match=r"scores\[1\]\[1\]: the weighted product needs scores above 0"):
        weighted_product(matrix, {"x": 1, "y": 1})


def test_text_criteria_are_benefits() -> None:
    matrix = DecisionMatrix(alternatives=("a",), criteria=("x",), scores=(("1/3",),))
    assert matrix.criteria == (Criterion(id="x", direction=Direction.BENEFIT),)
    assert matrix.scores == ((1 / 3,),)
    assert matrix.shape == (1, 1)


# --- package ---------------------------------------------------------------------------


def test_public_names_are_sorted_documented_and_exported() -> None:
    from crokit import selection

    assert selection.__all__ == sorted(selection.__all__)
    for name in selection.__all__:
        value = getattr(selection, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__doc__, name


def test_import_crokit_does_not_import_numpy() -> None:
    code = "import sys, crokit; assert 'numpy' not in sys.modules and 'crokit.selection' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
