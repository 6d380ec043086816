"""AHP from the upper triangle and the two-level hierarchy; TOPSIS distances. Checked against closed forms."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crokit import ValidationError
from crokit.selection import (
    AhpHierarchy,
    Criterion,
    DecisionMatrix,
    ahp_hierarchy,
    ahp_weights,
    reciprocal_matrix,
    topsis,
)
from crokit.testing import ahp_hierarchies

SAATY = [Fraction(1, k) for k in range(9, 1, -1)] + [Fraction(k) for k in range(1, 10)]


def test_the_upper_triangle_gives_the_reciprocal_matrix() -> None:
    matrix = reciprocal_matrix(["3", 5, Fraction(1, 2)])
    assert matrix[0] == (1.0, 3.0, 5.0)
    assert matrix[1] == (1 / 3, 1.0, 0.5)
    assert matrix[2] == (0.2, 2.0, 1.0)
    assert reciprocal_matrix([]) == ((1.0,),)
    assert reciprocal_matrix([7]) == ((1.0, 7.0), (1 / 7, 1.0))


@pytest.mark.parametrize(
    ("judgements", "path", "words"),
    [
        ([3, 5], "judgements", "n(n-1)/2"),
        ([3, 10, 1], "judgements[1]", "row 0 over column 2"),
        ([3, "1/10", 1], "judgements[1]", "1/9 to 9"),
        ([3, 0, 1], "judgements[1]", "1/9 to 9"),
        ([3, "much", 1], "judgements[1]", "judgement"),
    ],
)
def test_judgements_off_saatys_scale_or_of_the_wrong_count_are_refused(
    judgements: list[object], path: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        reciprocal_matrix(judgements)  # type: ignore[arg-type]
    assert caught.value.problems[0].path == path
    assert words in caught.value.problems[0].message


def _consistent(priorities: list[int]) -> tuple[tuple[float, ...], ...]:
    """The perfectly consistent matrix a[i][j] = p_i / p_j, built from its upper triangle."""
    n = len(priorities)
    return reciprocal_matrix([Fraction(priorities[i], priorities[j]) for i in range(n) for j in range(i + 1, n)])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 9), min_size=3, max_size=6).filter(lambda p: max(p) <= 9 * min(p)))
def test_a_perfectly_consistent_matrix_has_cr_zero_and_weights_proportional_to_its_first_column(
    priorities: list[int],
) -> None:
    matrix = _consistent(priorities)
    for method in ("eigenvector", "geometric-mean"):
        result = ahp_weights(matrix, method=method)
        assert result.consistency_ratio is not None
        assert result.consistency_ratio == pytest.approx(0, abs=1e-9)
        column = [row[0] for row in matrix]
        expected = [value / math.fsum(column) for value in column]
        assert result.weights == pytest.approx(expected, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(hierarchy=ahp_hierarchies())
def test_global_priorities_are_the_weighted_sum_of_local_priorities(hierarchy: AhpHierarchy) -> None:
    weights = hierarchy.criteria_weights.weights
    for a in range(len(hierarchy.alternatives)):
        expected = math.fsum(weights[c] * hierarchy.local[c].weights[a] for c in range(len(hierarchy.criteria)))
        assert hierarchy.global_priorities[a] == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert math.fsum(hierarchy.global_priorities) == pytest.approx(1.0)
    assert list(hierarchy.consistency_ratios) == ["criteria", *hierarchy.criteria]
    assert hierarchy.acceptable == all(cr is None or cr <= 0.10 for cr in hierarchy.consistency_ratios.values())


def test_a_hierarchy_of_consistent_matrices_has_closed_form_priorities() -> None:
    # Criteria weights 4:2:1; the alternatives' local priorities 1:2, 1:1 and 3:1 (all consistent).
    result = ahp_hierarchy(
        _consistent([4, 2, 1]),
        [_consistent([1, 2]), _consistent([1, 1]), _consistent([3, 1])],
        criterion_names=["quality", "price", "speed"],
        alternative_names=["helix", "orphan"],
    )
    w = [4 / 7, 2 / 7, 1 / 7]
    helix = w[0] * (1 / 3) + w[1] * 0.5 + w[2] * 0.75
    assert result.global_priorities == pytest.approx((helix, 1 - helix), rel=1e-12)
    assert result.ranking == ("orphan", "helix")
    assert result.consistency_ratios["criteria"] == pytest.approx(0, abs=1e-12)
    assert result.consistency_ratios["price"] is None  # a 2x2 matrix is always consistent
    assert result.warnings == ()


def test_an_inconsistent_node_is_named_in_the_warnings() -> None:
    bad = reciprocal_matrix([9, "1/9", 9])  # a > b, c > a, b > c: a cycle
    result = ahp_hierarchy(
        _consistent([1, 1, 1]),
        [bad, _consistent([1, 2, 3]), _consistent([3, 2, 1])],
        criterion_names=["quality", "price", "speed"],
    )
    assert not result.acceptable
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("criterion 'quality': consistency ratio")


def test_a_hierarchy_refuses_mismatched_matrices_with_their_path() -> None:
    with pytest.raises(ValidationError) as caught:
        ahp_hierarchy(_consistent([1, 2]), [_consistent([1, 2])])
    assert caught.value.problems[0].path == "alternatives"
    with pytest.raises(ValidationError) as caught:
        ahp_hierarchy(_consistent([1, 2]), [_consistent([1, 2]), _consistent([1, 2, 3])])
    assert caught.value.problems[0].path == "alternatives[1]"
    with pytest.raises(ValidationError) as caught:
        ahp_hierarchy(_consistent([1, 2]), [_consistent([1, 2]), [[1, 2], [2, 1]]])
    assert caught.value.problems[0].path == "alternatives[1].pairwise[1][0]"
    with pytest.raises(ValidationError) as caught:
        ahp_hierarchy([[1, 2], [1, 1]], [])
    assert caught.value.problems[0].path == "criteria.pairwise[1][0]"
    with pytest.raises(ValidationError) as caught:
        ahp_hierarchy(_consistent([1, 2]), [_consistent([1, 2])] * 2, criterion_names=["a", "a"])
    assert caught.value.problems[0].path == "criterion_names"


MATRIX = DecisionMatrix(
    alternatives=("acme", "bolt", "core"),
    criteria=(Criterion(id="quality"), Criterion(id="price", direction="cost")),
    scores=((9, 120), (7, 80), (5, 100)),
)


def test_topsis_exposes_distances_that_give_its_closeness() -> None:
    result = topsis(MATRIX, {"quality": 1, "price": 1})
    assert result.distances_to_ideal is not None
    assert result.distances_to_anti_ideal is not None
    # Closed form: vector-normalised columns, each weighted 1/2.
    q = [9 / math.sqrt(81 + 49 + 25), 7 / math.sqrt(155), 5 / math.sqrt(155)]
    norm = math.sqrt(120**2 + 80**2 + 100**2)
    p = [120 / norm, 80 / norm, 100 / norm]
    v = [(0.5 * qi, 0.5 * pi) for qi, pi in zip(q, p, strict=True)]
    ideal = (max(x for x, _ in v), min(y for _, y in v))
    anti = (min(x for x, _ in v), max(y for _, y in v))
    for index, (x, y) in enumerate(v):
        assert result.distances_to_ideal[index] == pytest.approx(math.hypot(x - ideal[0], y - ideal[1]), rel=1e-12)
        assert result.distances_to_anti_ideal[index] == pytest.approx(math.hypot(x - anti[0], y - anti[1]), rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(st.tuples(st.integers(1, 100), st.integers(1, 100), st.integers(1, 100)), min_size=2, max_size=6),
    weights=st.tuples(st.integers(0, 10), st.integers(0, 10), st.integers(1, 10)),
)
def test_topsis_closeness_is_anti_over_the_sum_of_the_distances(
    scores: list[tuple[int, int, int]], weights: tuple[int, int, int]
) -> None:
    matrix = DecisionMatrix(
        alternatives=tuple(f"a{i}" for i in range(len(scores))),
        criteria=(Criterion(id="x"), Criterion(id="y", direction="cost"), Criterion(id="z")),
        scores=tuple(scores),
    )
    result = topsis(matrix, dict(zip("xyz", weights, strict=True)))
    assert result.distances_to_ideal is not None
    assert result.distances_to_anti_ideal is not None
    for score, near, far in zip(result.scores, result.distances_to_ideal, result.distances_to_anti_ideal, strict=True):
        assert near >= 0
        assert far >= 0
        expected = far / (near + far) if near + far > 1e-15 else 0.5
        assert score == pytest.approx(expected, abs=1e-9)


def test_other_methods_carry_no_distances() -> None:
    from crokit.selection import weighted_sum

    result = weighted_sum(MATRIX, {"quality": 1, "price": 1})
    assert result.distances_to_ideal is None
    assert result.distances_to_anti_ideal is None


def test_saaty_scale_values_are_all_accepted() -> None:
    for value in SAATY:
        assert reciprocal_matrix([value])[0][1] == pytest.approx(float(value))


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 7).flatmap(
        lambda n: st.lists(st.sampled_from(SAATY), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2)
    )
)
def test_the_reciprocal_matrix_is_reciprocal_and_keeps_the_judgements(judgements: list[Fraction]) -> None:
    matrix = reciprocal_matrix(judgements)
    n = len(matrix)
    assert n * (n - 1) // 2 == len(judgements)
    upper = [matrix[i][j] for i in range(n) for j in range(i + 1, n)]
    assert upper == [float(value) for value in judgements]
    for i in range(n):
        assert matrix[i][i] == 1.0
        for j in range(n):
            assert matrix[i][j] * matrix[j][i] == pytest.approx(1.0, rel=1e-12)
    assert len(ahp_weights(matrix).weights) == n  # ahp_weights accepts what it builds
