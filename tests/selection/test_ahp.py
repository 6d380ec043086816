"""AHP weights: a worked example, consistent matrices, inconsistency warnings and refusals."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit.errors import CrokitError, ValidationError
from crokit.selection import SAATY_1980, Number, ahp_weights

METHODS = ("eigenvector", "geometric-mean")


@pytest.mark.parametrize("method", METHODS)
def test_three_criteria_example(method) -> None:
    # The 3x3 matrix [[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]] used in many AHP tutorials;
    # the expected values were verified by hand here, not taken from one publication:
    # geometric means 15^(1/3) = 2.466, 1, (1/15)^(1/3) = 0.405 -> weights
    # 0.637, 0.258, 0.105; A w = (1.936, 0.785, 0.318), so lambda_max = 3.039,
    # CI = 0.039 / 2 = 0.019 and CR = 0.019 / 0.58 = 0.033. For a 3x3 reciprocal
    # matrix the eigenvector and the geometric-mean weights coincide.
    result = ahp_weights([[1, 3, 5], ["1/3", 1, 3], [Fraction(1, 5), "1/3", 1]], method=method)
    assert result.weights == pytest.approx((0.637, 0.258, 0.105), abs=5e-4)
    assert result.lambda_max == pytest.approx(3.0385, abs=5e-4)
    assert result.consistency_index == pytest.approx(0.0193, abs=5e-4)
    assert result.consistency_ratio == pytest.approx(0.0332, abs=5e-4)
    assert result.acceptable
    assert result.warnings == ()


def test_saaty_random_index_table() -> None:
    # Saaty (1980), The Analytic Hierarchy Process, McGraw-Hill.
    assert dict(SAATY_1980) == {
        1: 0,
        2: 0,
        3: 0.58,
        4: 0.90,
        5: 1.12,
        6: 1.24,
        7: 1.32,
        8: 1.41,
        9: 1.45,
        10: 1.49,
    }


@pytest.mark.parametrize("size", [1, 2])
def test_small_matrices_have_no_consistency_ratio(size) -> None:
    matrix: list[list[Number]] = [[1]] if size == 1 else [[1, 4], [Decimal("0.25"), 1]]
    result = ahp_weights(matrix)
    assert result.consistency_ratio is None
    assert result.consistency_index == 0
    assert result.acceptable
    assert result.weights == pytest.approx((1.0,) if size == 1 else (0.8, 0.2))


@given(
    st.lists(st.floats(0.1, 10, allow_nan=False), min_size=1, max_size=10),
    st.sampled_from(METHODS),
)
def test_consistent_matrix_recovers_weights_with_zero_cr(raw, method) -> None:
    matrix = [[wi / wj for wj in raw] for wi in raw]
    result = ahp_weights(matrix, method=method)
    total = math.fsum(raw)
    assert result.weights == pytest.approx([w / total for w in raw], rel=1e-9, abs=1e-12)
    assert abs(result.consistency_index) < 1e-9
    if result.consistency_ratio is not None:
        assert abs(result.consistency_ratio) < 1e-9
    assert result.lambda_max == pytest.approx(len(raw), rel=1e-9)
    assert result.acceptable
    assert math.fsum(result.weights) == pytest.approx(1.0)


@pytest.mark.parametrize("method", METHODS)
def test_inconsistent_matrix_is_reported_not_raised(method) -> None:
    # A circular judgement: 0 beats 1, 1 beats 2, 2 beats 0, each strongly.
    result = ahp_weights([[1, 9, "1/9"], ["1/9", 1, 9], [9, "1/9", 1]], method=method)
    assert result.consistency_ratio is not None
    assert result.consistency_ratio > 0.10
    assert not result.acceptable
    assert len(result.warnings) == 1
    assert "exceeds 0.10" in result.warnings[0]
    assert "pairwise[" in result.warnings[0]
    assert result.weights == pytest.approx((1 / 3, 1 / 3, 1 / 3))


def test_custom_random_index_table() -> None:
    result = ahp_weights([[1, 3, 5], ["1/3", 1, 3], ["1/5", "1/3", 1]], random_index={3: 0.52})
    assert result.consistency_ratio == pytest.approx(result.consistency_index / 0.52)


@pytest.mark.parametrize(
    ("matrix", "path", "detail"),
    [
        ([[1, 3], [0.5, 1]], "pairwise[1][0]", "reciprocal of pairwise[0][1] = 3"),
        ([[1, 0], [1, 1]], "pairwise[0][1]", "positive"),
        ([[1, -2], [-0.5, 1]], "pairwise[0][1]", "positive"),
        ([[2, 1], [1, 1]], "pairwise[0][0]", "1 on the diagonal"),
        ([[1, 2, 3], [0.5, 1]], "pairwise[0]", "expected 2 entries (the matrix has 2 rows), got 3"),
        ([[1, 2], [0.5, 1, 3]], "pairwise[1]", "expected 2 entries"),
        ([], "pairwise", "non-empty square matrix"),
        ([[1, "two"], ["1/2", 1]], "pairwise[0][1]", "'two'"),
        ([[1, float("nan")], [1, 1]], "pairwise[0][1]", "finite"),
        ([[1, 2], "ab"], "pairwise[1]", "row"),
    ],
)
def test_bad_matrix_is_refused_with_the_cell(matrix, path, detail) -> None:
    with pytest.raises(ValidationError) as caught:
        ahp_weights(matrix)
    assert isinstance(caught.value, CrokitError)
    assert path in str(caught.value)
    assert detail in str(caught.value)


def test_matrix_larger_than_the_table_is_refused() -> None:
    matrix = [[1.0] * 11 for _ in range(11)]
    with pytest.raises(ValidationError, match=r"pairwise: a 11x11 matrix is outside .* n = 1 to 10"):
        ahp_weights(matrix)


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"method: expected 'eigenvector' or 'geometric-mean'"):
        ahp_weights([[1]], method="power")  # type: ignore[arg-type]


def test_negative_random_index_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"random_index\[1\]"):
        ahp_weights([[1]], random_index={1: -1.0})


def test_saaty_2008_drink_consumption_example() -> None:
    """Saaty's published worked example of the eigenvector method.

    Saaty, T. L. (2008). "Decision making with the analytic hierarchy process."
    International Journal of Services Sciences 1(1):83-98, the example "Which drink is
    consumed more in the U.S.?": a 7 x 7 judgement matrix whose derived priorities the
    paper reports as coffee .177, wine .019, tea .042, beer .116, sodas .190, milk .129,
    water .327 (and compares them with actual consumption).

    Caveat: the matrix was transcribed from a third-party reproduction of the example (the
    AHPy project's README), not re-read in the paper; that all seven computed priorities
    agree with the published ones to three decimals corroborates the transcription.
    """
    names = ["coffee", "wine", "tea", "beer", "sodas", "milk", "water"]
    upper = {
        ("coffee", "wine"): "9",
        ("coffee", "tea"): "5",
        ("coffee", "beer"): "2",
        ("coffee", "sodas"): "1",
        ("coffee", "milk"): "1",
        ("coffee", "water"): "1/2",
        ("wine", "tea"): "1/3",
        ("wine", "beer"): "1/9",
        ("wine", "sodas"): "1/9",
        ("wine", "milk"): "1/9",
        ("wine", "water"): "1/9",
        ("tea", "beer"): "1/3",
        ("tea", "sodas"): "1/4",
        ("tea", "milk"): "1/3",
        ("tea", "water"): "1/9",
        ("beer", "sodas"): "1/2",
        ("beer", "milk"): "1",
        ("beer", "water"): "1/3",
        ("sodas", "milk"): "2",
        ("sodas", "water"): "1/2",
        ("milk", "water"): "1/3",
    }
    matrix = [
        [
            "1"
            if row == column
            else upper[row, column]
            if (row, column) in upper
            else str(1 / Fraction(upper[column, row]))
            for column in names
        ]
        for row in names
    ]
    result = ahp_weights(matrix)
    published = (0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327)
    assert tuple(round(weight, 3) for weight in result.weights) == published
    assert result.consistency_ratio is not None
    assert result.consistency_ratio < 0.10
    assert result.acceptable
