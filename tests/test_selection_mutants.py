"""Tests written to kill the mutants of crokit.selection that survived its own tests.

Each pins behaviour the earlier tests left open. See mutation/RESULTS.md for the mutants
each test kills.
"""

from __future__ import annotations

from typing import Any

import pytest

from crokit import ValidationError
from crokit.selection.ahp import ahp_hierarchy, ahp_weights, reciprocal_matrix

CRITERIA: Any = [[1, 3], ["1/3", 1]]
# Two inconsistent 3x3 matrices: the eigenvector and the geometric-mean weights differ,
# and so do consistency ratios under different random indexes.
UNEVEN: Any = [[1, 3, "1/5"], ["1/3", 1, 7], [5, "1/7", 1]]
OTHER: Any = [[1, 2, 4], ["1/2", 1, "1/3"], ["1/4", 3, 1]]


def _problem(error: ValidationError) -> tuple[str, str]:
    assert len(error.problems) == 1
    return error.problems[0].path, error.problems[0].message


def test_names_default_to_numbered_criteria_and_alternatives():
    result = ahp_hierarchy(CRITERIA, [UNEVEN, OTHER])
    assert result.criteria == ("criterion 1", "criterion 2")
    assert result.alternatives == ("alternative 1", "alternative 2", "alternative 3")


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ("ab", "expected 2 distinct non-empty names, got ('ab',)"),
        ([5, "b"], "expected 2 distinct non-empty names, got (5, 'b')"),
        (["a", ""], "expected 2 distinct non-empty names, got ('a', '')"),
        (["a", "a"], "expected 2 distinct non-empty names, got ('a', 'a')"),
    ],
)
def test_bad_criterion_names_are_refused(names: Any, expected: str):
    """A text is one name (never split into letters); every name is non-empty text."""
    with pytest.raises(ValidationError) as caught:
        ahp_hierarchy(CRITERIA, [UNEVEN, OTHER], criterion_names=names)
    assert _problem(caught.value) == ("criterion_names", expected)


def test_one_criterion_may_be_named_by_a_text():
    result = ahp_hierarchy([[1]], [UNEVEN], criterion_names="Cost")
    assert result.criteria == ("Cost",)


@pytest.mark.parametrize(("alternatives", "count"), [(5, "5"), ([UNEVEN], "1"), ("ab", "2")])
def test_a_wrong_number_of_alternatives_matrices_is_refused_with_the_count(alternatives: Any, count: str):
    with pytest.raises(ValidationError) as caught:
        ahp_hierarchy(CRITERIA, alternatives)
    assert _problem(caught.value) == (
        "alternatives",
        f"expected one alternatives matrix per criterion (2), got {count}",
    )


@pytest.mark.parametrize("method", ["eigenvector", "geometric-mean"])
def test_the_method_and_random_index_reach_every_matrix(method: Any):
    """Both reach the criteria matrix and every alternatives matrix, each of which they change."""
    index = {3: 1.0}
    result = ahp_hierarchy(UNEVEN, [UNEVEN, OTHER, UNEVEN], method=method, random_index=index)
    assert result.criteria_weights == ahp_weights(UNEVEN, method=method, random_index=index)
    assert result.local == tuple(ahp_weights(m, method=method, random_index=index) for m in (UNEVEN, OTHER, UNEVEN))
    other: Any = "geometric-mean" if method == "eigenvector" else "eigenvector"
    assert result.criteria_weights.weights != ahp_weights(UNEVEN, method=other, random_index=index).weights
    assert result.local[1].weights != ahp_weights(OTHER, method=other, random_index=index).weights
    assert result.criteria_weights.consistency_ratio != ahp_weights(UNEVEN, method=method).consistency_ratio
    assert result.local[1].consistency_ratio != ahp_weights(OTHER, method=method).consistency_ratio


def test_bad_alternative_names_are_refused_with_their_own_path():
    with pytest.raises(ValidationError) as caught:
        ahp_hierarchy(CRITERIA, [UNEVEN, OTHER], alternative_names=["a", "b"])
    assert _problem(caught.value) == ("alternative_names", "expected 3 distinct non-empty names, got ('a', 'b')")
    named = ahp_hierarchy(CRITERIA, [UNEVEN, OTHER], alternative_names=["a", "b", "c"])
    assert named.alternatives == ("a", "b", "c")


@pytest.mark.parametrize(("count", "order"), [(0, 1), (1, 2), (3, 3), (6, 4), (10, 5), (120, 16), (136, 17)])
def test_the_order_of_a_matrix_follows_from_its_judgements(count: int, order: int):
    """n(n-1)/2 judgements make an n x n matrix (17 x 17 tells ``9 * count`` from ``8 * count``)."""
    matrix = reciprocal_matrix([1] * count)
    assert len(matrix) == order
    assert all(len(row) == order for row in matrix)


@pytest.mark.parametrize(
    ("count", "below", "above"),
    [(2, (1, 2), (3, 3)), (4, (3, 3), (6, 4)), (5, (3, 3), (6, 4)), (7, (6, 4), (10, 5)), (9, (6, 4), (10, 5))],
)
def test_a_count_of_judgements_between_two_orders_names_both(
    count: int, below: tuple[int, int], above: tuple[int, int]
):
    with pytest.raises(ValidationError) as caught:
        reciprocal_matrix([1] * count)
    message = f"expected n(n-1)/2 judgements for some n ({below[0]} for n = {below[1]}, {above[0]} for n = {above[1]})"
    assert _problem(caught.value) == ("judgements", f"{message}, got {count}")


@pytest.mark.parametrize("judgements", [5, "35", b"35", None])
def test_judgements_that_are_not_a_list_are_refused(judgements: Any):
    with pytest.raises(ValidationError) as caught:
        reciprocal_matrix(judgements)
    assert _problem(caught.value) == ("judgements", f"expected a list of judgements, got {judgements!r}")


@pytest.mark.parametrize(
    ("matrix", "options", "expected"),
    [
        (
            [[1, "x"], [1, 1]],
            {},
            ("pairwise[0][1]", "expected a judgement such as '2.5' or '1/3', got the text 'x'"),
        ),
        (
            [[1, 1], [1, 1]],
            {"random_index": {2: "x"}},
            ("random_index[2]", "expected a random index such as '2.5' or '1/3', got the text 'x'"),
        ),
        (
            [[1, 1], [1, 1]],
            {"random_index": {}},
            ("pairwise", "a 2x2 matrix is outside the random index table, which covers no sizes"),
        ),
        (
            [[1, 1], [1, 1]],
            {"random_index": {3: 0.5, 5: 1.1}},
            ("pairwise", "a 2x2 matrix is outside the random index table, which covers n = 3 to 5"),
        ),
        (5, {}, ("pairwise", "expected a non-empty square matrix (a list of rows), got 5")),
        ("ab", {}, ("pairwise", "expected a non-empty square matrix (a list of rows), got 'ab'")),
    ],
)
def test_ahp_weights_refusals_have_their_path_and_message(matrix: Any, options: Any, expected: tuple[str, str]):
    with pytest.raises(ValidationError) as caught:
        ahp_weights(matrix, **options)
    assert _problem(caught.value) == expected


def test_a_diagonal_within_the_tolerance_of_one_is_accepted():
    """1 + 0.9e-9 is 1 within the tolerance; its reciprocal is not within it of itself, and is never compared."""
    result = ahp_weights([["1.0000000009", 1], [1, 1]])
    assert result.weights == pytest.approx((0.5, 0.5))


def test_a_consistency_ratio_at_the_threshold_is_acceptable():
    """CR <= 0.10 is acceptable (Saaty): a random index chosen so that CR is exactly 0.10."""
    from crokit.selection.ahp import CR_THRESHOLD

    index = ahp_weights(UNEVEN).consistency_index / CR_THRESHOLD
    result = ahp_weights(UNEVEN, random_index={3: index})
    assert result.consistency_ratio == CR_THRESHOLD
    assert result.acceptable
    assert result.warnings == ()


def test_the_warning_names_the_least_consistent_judgement():
    (warning,) = ahp_weights(UNEVEN).warnings
    assert warning == (
        "consistency ratio 2.526 exceeds 0.10: the judgements contradict each other; "
        "the least consistent is pairwise[2][0] = 5, where the weights imply 1.06"
    )


def test_judgements_at_the_ends_of_the_scale_within_the_tolerance_are_accepted():
    from crokit.selection.ahp import SAATY_SCALE

    low, high = SAATY_SCALE
    assert reciprocal_matrix([low * (1 - 1e-9)])[0][1] == low * (1 - 1e-9)
    assert reciprocal_matrix([high * (1 + 1e-9)])[0][1] == high * (1 + 1e-9)
    with pytest.raises(ValidationError) as caught:
        reciprocal_matrix(["x"])
    assert _problem(caught.value) == ("judgements[0]", "expected a judgement such as '2.5' or '1/3', got the text 'x'")


def test_an_ahp_hierarchy_whose_parts_do_not_match_its_names_is_refused() -> None:
    # Found through the survivors of the decorated consistency_ratios: a hierarchy built by
    # hand with one local result too few was accepted, then failed with a bare ValueError.
    import attrs

    from crokit.selection.ahp import ahp_hierarchy

    good = ahp_hierarchy(
        [[1, 2], [0.5, 1]],
        [[[1, 3], [1 / 3, 1]], [[1, 0.5], [2, 1]]],
        criterion_names=["price", "quality"],
        alternative_names=["a", "b"],
    )
    with pytest.raises(ValidationError) as info:
        attrs.evolve(good, local=good.local[:1])
    assert (info.value.problems[0].path, info.value.problems[0].message) == (
        "local",
        "expected 2 (one per criterion), got 1",
    )
    with pytest.raises(ValidationError, match=r"global_priorities: expected 2 \(one per alternative\), got 3"):
        attrs.evolve(good, global_priorities=(0.2, 0.3, 0.5))
    with pytest.raises(ValidationError, match=r"criteria_weights.weights: expected 3 \(one per criterion\), got 2"):
        attrs.evolve(good, criteria=("price", "quality", "speed"), local=(*good.local, good.local[0]))
    assert good.consistency_ratios.keys() == {"criteria", "price", "quality"}
