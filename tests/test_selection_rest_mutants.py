"""Tests written to kill the mutants of crokit.selection (all but ahp, constraints and rules).

Each pins behaviour the earlier tests left open: values, boundaries, refusal paths and
messages. See mutation/results-selection-rest.md for the mutants each test kills.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

import pytest

from crokit import CroProfile, ProviderKind, Registry, Stage, Study, UnknownIdError, ValidationError
from crokit.errors import InvalidAmountError
from crokit.money import Money
from crokit.pricing.budget import Budget, CostBucket, LineItem, PricingKind
from crokit.selection.acceptability import rank_acceptability
from crokit.selection.constraints import Constraints
from crokit.selection.due_diligence import (
    FRACTION_QUESTIONS,
    Answer,
    DueDiligence,
    QuestionScore,
    answer_score,
    check_due_diligence,
    question_scores,
)
from crokit.selection.matrix import (
    Criterion,
    DecisionMatrix,
    Direction,
    NormalizedWeights,
    normalize_weights,
    to_float,
)
from crokit.selection.methods import method_name, rank_scores, topsis, weighted_product, weighted_sum
from crokit.selection.models import (
    DEFAULT_CRITERIA,
    PRODUCT_FLOOR,
    AcceptabilityRow,
    CandidateInput,
    Consistency,
    Exclusion,
    Scorecard,
    SelectionSettings,
    normalisation_note,
)
from crokit.selection.ranking import lowest_totals, select
from crokit.selection.rules import CriterionScore, ScoringContext, SponsorPreferences
from crokit.selection.sensitivity import weight_intervals
from crokit.vocabulary import AnswerType, Better, Question, SelectionCriterion
from crokit.vocabulary.terms import UnitBasis


def _problem(error: ValidationError) -> tuple[str, str]:
    assert len(error.problems) == 1
    return error.problems[0].path, error.problems[0].message


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("weighted-sum", "weighted-sum"),
        (weighted_sum, "weighted-sum"),
        ("weighted-product", "weighted-product"),
        (weighted_product, "weighted-product"),
        ("topsis", "topsis"),
        (topsis, "topsis"),
    ],
)
def test_a_method_is_named_by_its_name_or_its_function(method: Any, expected: str):
    assert method_name(method) == expected


def test_an_unknown_method_lists_every_name():
    with pytest.raises(ValidationError) as caught:
        method_name("electre")
    assert _problem(caught.value) == (
        "method",
        "expected one of 'weighted-sum', 'weighted-product', 'topsis' or its function, got 'electre'",
    )


def test_scores_within_the_tie_tolerance_tie_and_the_next_rank_is_skipped():
    ranks, ties = rank_scores([0.5, 0.5 + 1e-13, 0.4, 0.5 - 2e-12], ["a", "b", "c", "d"])
    assert ranks == (1, 1, 4, 3)
    assert ties == (("a", "b"),)


# --- matrix: refusals with their exact paths and messages --------------------------------

BIG = 10**400


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "expected a score, got the bool True"),
        ("x" * 101, f"expected a score such as '2.5' or '1/3', got the text '{'x' * 101}'"),
        ("lots", "expected a score such as '2.5' or '1/3', got the text 'lots'"),
        ("1/0", "expected a score such as '2.5' or '1/3', got the text '1/0'"),
        (Decimal("sNaN"), "expected a finite number, got Decimal('sNaN')"),
        (BIG, f"expected a finite number, got {BIG}"),
        (float("nan"), "expected a finite number, got nan"),
        (None, "expected a score, got NoneType None"),
        ([1], "expected a score, got list [1]"),
    ],
)
def test_a_bad_number_is_refused_naming_what_was_expected(value: object, message: str):
    with pytest.raises(ValidationError) as caught:
        to_float(value, path="scores[0][1]", what="score")
    assert _problem(caught.value) == ("scores[0][1]", message)


def test_a_number_is_read_from_text_fractions_and_decimals():
    assert to_float(" 2.5 ", path="p") == 2.5
    assert to_float("1" * 100, path="p") == float("1" * 100)  # a text of 100 characters is still read
    assert to_float(Fraction(1, 4), path="p") == 0.25
    assert to_float(Decimal("0.1"), path="p") == 0.1
    with pytest.raises(ValidationError) as caught:
        to_float(False, path="p")
    assert _problem(caught.value) == ("p", "expected a number, got the bool False")


@pytest.mark.parametrize(
    ("kwargs", "path", "message"),
    [
        (
            {"alternatives": ("a", "b", "c", "b"), "scores": ((1,), (2,), (3,), (4,))},
            "alternatives[3]",
            "duplicate alternative id 'b': already given at alternatives[1]",
        ),
        (
            {"alternatives": ("a", " "), "scores": ((1,), (2,))},
            "alternatives[1]",
            "expected a non-empty text id, got ' '",
        ),
        ({"alternatives": (), "scores": ()}, "alternatives", "expected at least one alternative, got none"),
        (
            {"criteria": ("x", "x"), "scores": ((1, 2), (3, 4))},
            "criteria[1]",
            "duplicate criterion id 'x': already given at criteria[0]",
        ),
        ({"criteria": (), "scores": ((), ())}, "criteria", "expected at least one criterion, got none"),
        ({"scores": ((1,),)}, "scores", "expected one row per alternative (2 rows), got 1 rows"),
        ({"scores": ((1,), (2, 3))}, "scores[1]", "expected one score per criterion (1 scores), got 2"),
        ({"scores": ((1,), "2")}, "scores[1]", "expected a row of scores, got '2'"),
        ({"scores": ((1,), 2)}, "scores[1]", "expected a row of scores, got 2"),
        ({"scores": ((1,), ("lots",))}, "scores[1][0]", "expected a score such as '2.5' or '1/3', got the text 'lots'"),
    ],
)
def test_a_bad_matrix_is_refused_with_its_path_and_message(kwargs: dict[str, Any], path: str, message: str):
    arguments: dict[str, Any] = {"alternatives": ("a", "b"), "criteria": ("x",)} | kwargs
    with pytest.raises(ValidationError) as caught:
        DecisionMatrix(**arguments)
    assert _problem(caught.value) == (path, message)


def test_a_criterion_refuses_a_blank_id_and_an_unknown_direction():
    with pytest.raises(ValidationError) as caught:
        Criterion(id=" ")
    assert _problem(caught.value) == ("id", "expected a non-empty text id, got ' '")
    with pytest.raises(ValidationError) as caught:
        Criterion(id="x", direction="more")
    assert _problem(caught.value) == ("direction", "expected 'benefit' or 'cost', got 'more'")
    assert Criterion(id="x", direction="cost").direction is Direction.COST


@pytest.mark.parametrize(
    ("weights", "path", "message"),
    [
        (5, "weights", "expected a mapping of criterion id to weight, got 5"),
        ({"x": 1}, "weights", "expected a weight for every criterion (give 0 to ignore one), missing 'y'"),
        ({"x": -1, "y": 1}, "weights['x']", "expected a weight of 0 or more, got -1"),
        ({"x": 0, "y": "0"}, "weights", "expected at least one positive weight, got all zero"),
        ({"x": True, "y": 1}, "weights['x']", "expected a weight, got the bool True"),
        ({"x": 1e308, "y": 1e308}, "weights", "the weights are too large to add up; scale them down"),
    ],
)
def test_bad_weights_are_refused_with_their_path_and_message(weights: Any, path: str, message: str):
    with pytest.raises(ValidationError) as caught:
        normalize_weights(weights, [Criterion(id="x"), Criterion(id="y")])
    assert _problem(caught.value) == (path, message)


def test_weights_too_large_to_add_up_are_refused_not_an_overflow():
    """Regression: two weights of 1e308 made math.fsum raise a bare OverflowError."""
    matrix = DecisionMatrix(alternatives=("a", "b"), criteria=("x", "y"), scores=((1, 2), (2, 1)))
    for method in (weighted_sum, weighted_product, topsis):
        with pytest.raises(ValidationError, match=r"weights: the weights are too large to add up"):
            method(matrix, {"x": 1e308, "y": 1e308})
        with pytest.raises(ValidationError) as caught:
            method(matrix, NormalizedWeights(values=(1e308, 1e308), given_sum=1.0, was_normalized=False))
        assert _problem(caught.value) == ("weights", "expected normalised weights summing to 1, got a sum of inf")


def test_an_unknown_weight_names_the_criterion_with_its_path():
    with pytest.raises(UnknownIdError) as caught:
        normalize_weights({"x": 1, "y": 1, "z": 1}, [Criterion(id="x"), Criterion(id="y")])
    assert caught.value.path == "weights['z']"
    assert "unknown criterion 'z'" in str(caught.value)


def test_weights_within_a_billionth_of_1_are_not_rescaled():
    criteria = [Criterion(id="x"), Criterion(id="y")]
    near = normalize_weights({"x": "0.5", "y": 0.5 + 5e-10}, criteria)
    assert not near.was_normalized
    assert near.given_sum == 1.0 + 5e-10
    far = normalize_weights({"x": "0.5", "y": 0.5 + 2e-9}, criteria)
    assert far.was_normalized
    assert far.values == pytest.approx((0.5 / (1 + 2e-9), (0.5 + 2e-9) / (1 + 2e-9)), rel=1e-15, abs=0)
    assert far.values[0] < 0.5


# --- methods ----------------------------------------------------------------------------

SQUARE = DecisionMatrix(alternatives=("a", "b"), criteria=("x", "y"), scores=((1, 2), (2, 1)))


@pytest.mark.parametrize(
    ("call", "path", "message"),
    [
        (
            lambda: weighted_sum(SQUARE, {"x": 1, "y": 1}, normalisation=cast("Any", "zscore")),
            "normalisation",
            "expected 'absolute' or 'min-max', got 'zscore'",
        ),
        (
            lambda: weighted_sum(SQUARE, {"x": 1, "y": 1}, normalisation="absolute"),
            "scores[0][1]",
            "absolute normalisation needs scores from 0 to 1, got 2.0",
        ),
        (
            lambda: weighted_sum(SQUARE, NormalizedWeights(values=(1.0,), given_sum=1.0, was_normalized=False)),
            "weights",
            "expected 2 normalised weights, got 1",
        ),
        (
            lambda: topsis(SQUARE, NormalizedWeights(values=(1.5, -0.5), given_sum=1.0, was_normalized=False)),
            "weights[1]",
            "expected a finite weight of 0 or more, got -0.5",
        ),
        (
            lambda: topsis(SQUARE, NormalizedWeights(values=(0.5, 0.6), given_sum=1.1, was_normalized=False)),
            "weights",
            "expected normalised weights summing to 1, got a sum of 1.1",
        ),
    ],
)
def test_method_refusals_have_their_path_and_message(call: Any, path: str, message: str):
    with pytest.raises(ValidationError) as caught:
        call()
    assert _problem(caught.value) == (path, message)


def test_normalised_weights_within_a_billionth_of_1_are_used_as_they_are():
    near = NormalizedWeights(values=(0.5, 0.5 + 9e-10), given_sum=1.0, was_normalized=False)
    assert weighted_sum(SQUARE, near).weights == (0.5, 0.5 + 9e-10)
    zero = NormalizedWeights(values=(0.0, 1.0), given_sum=1.0, was_normalized=False)
    assert weighted_sum(SQUARE, zero).scores == (1.0, 0.0)


# --- acceptability ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bounds", "path", "message"),
    [
        (5, "weights_bounds", "expected a mapping of criterion id to (low, high), got 5"),
        ({"x": "ab"}, "weights_bounds['x']", "expected a (low, high) pair, got 'ab'"),
        ({"x": (0, 1, 2)}, "weights_bounds['x']", "expected a (low, high) pair, got (0, 1, 2)"),
        ({"x": 0.5}, "weights_bounds['x']", "expected a (low, high) pair, got 0.5"),
        ({"x": (0.6, 0.5)}, "weights_bounds['x']", "expected bounds with 0 <= low <= high <= 1, got (0.6, 0.5)"),
        ({"x": (-0.1, 0.5)}, "weights_bounds['x']", "expected bounds with 0 <= low <= high <= 1, got (-0.1, 0.5)"),
        ({"x": (0.2, 1.1)}, "weights_bounds['x']", "expected bounds with 0 <= low <= high <= 1, got (0.2, 1.1)"),
        ({"x": (True, 1)}, "weights_bounds['x'][0]", "expected a weight bound, got the bool True"),
        (
            {"x": (0, "much")},
            "weights_bounds['x'][1]",
            "expected a weight bound such as '2.5' or '1/3', got the text 'much'",
        ),
        (
            {"x": (0.6, 1), "y": (0.6, 1)},
            "weights_bounds",
            (
                "no weights summing to 1 fit these bounds: the lows add up to 1.2 (at most 1 allowed) "
                "and the highs to 2 (at least 1 needed)"
            ),
        ),
        (
            {"x": (0, 0.2), "y": (0, 0.2)},
            "weights_bounds",
            (
                "no weights summing to 1 fit these bounds: the lows add up to 0 (at most 1 allowed) "
                "and the highs to 0.4 (at least 1 needed)"
            ),
        ),
        ({"x": (0.5, 0.5)}, "weights_bounds", "the bounds are too narrow to sample: 0 of 10 draws fit; widen them"),
    ],
)
def test_bad_bounds_are_refused_with_their_path_and_message(bounds: Any, path: str, message: str):
    with pytest.raises(ValidationError) as caught:
        rank_acceptability(SQUARE, bounds, samples=10, seed=1)
    assert _problem(caught.value) == (path, message)


def test_bounds_on_an_unknown_criterion_name_it():
    with pytest.raises(UnknownIdError) as caught:
        rank_acceptability(SQUARE, {"z": (0, 1)}, samples=10, seed=1)
    assert caught.value.path == "weights_bounds['z']"
    assert "unknown criterion 'z'" in str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "path", "message"),
    [
        ({"samples": 0}, "samples", "expected a whole number from 1 to 1000000, got 0"),
        ({"samples": 1_000_001}, "samples", "expected a whole number from 1 to 1000000, got 1000001"),
        ({"samples": True}, "samples", "expected a whole number from 1 to 1000000, got True"),
        ({"samples": 1.0}, "samples", "expected a whole number from 1 to 1000000, got 1.0"),
        ({"seed": -1}, "seed", "expected a whole number of 0 or more, got -1"),
        ({"seed": 1.0}, "seed", "expected a whole number of 0 or more, got 1.0"),
        (
            {"method": "electre"},
            "method",
            "expected one of 'weighted-sum', 'weighted-product', 'topsis' or its function, got 'electre'",
        ),
    ],
)
def test_bad_sampling_arguments_are_refused_with_their_path_and_message(
    kwargs: dict[str, Any], path: str, message: str
):
    arguments: dict[str, Any] = {"samples": 10, "seed": 1} | kwargs
    with pytest.raises(ValidationError) as caught:
        rank_acceptability(SQUARE, **arguments)
    assert _problem(caught.value) == (path, message)


def test_the_extreme_sample_counts_and_seed_are_accepted():
    assert rank_acceptability(SQUARE, samples=1, seed=0).samples == 1
    assert rank_acceptability(SQUARE, samples=1_000_000, seed=0).samples == 1_000_000


def test_acceptability_refuses_bad_scores_before_sampling():
    with pytest.raises(ValidationError) as caught:
        rank_acceptability(SQUARE, samples=10, seed=1, normalisation="absolute")
    assert _problem(caught.value) == ("scores[0][1]", "absolute normalisation needs scores from 0 to 1, got 2.0")
    zero = DecisionMatrix(alternatives=("a", "b"), criteria=("x",), scores=((0,), (1,)))
    with pytest.raises(ValidationError) as caught:
        rank_acceptability(zero, samples=10, seed=1, method="weighted-product")
    assert _problem(caught.value) == ("scores[0][0]", "the weighted product needs scores above 0, got 0.0")


# --- due diligence ----------------------------------------------------------------------

REGISTRY = Registry.builtin()


def _question(**changes: object) -> Question:
    fields: dict[str, Any] = {
        "id": "acme:q",
        "text": "?",
        "criterion": "crokit:technology",
        "answer_type": AnswerType.SCALE_1_5,
        "better": Better.HIGHER,
    }
    fields.update(changes)
    return Question(**fields)


@pytest.mark.parametrize(
    ("fields", "path", "message"),
    [
        ({}, "", "give exactly one of yes, scale, number and text, got none"),
        ({"yes": True, "scale": 3}, "", "give exactly one of yes, scale, number and text, got yes, scale"),
        ({"number": 1, "text": "t"}, "", "give exactly one of yes, scale, number and text, got number, text"),
        ({"scale": 0}, "scale", "expected a whole number from 1 to 5, got 0"),
        ({"scale": 6}, "scale", "expected a whole number from 1 to 5, got 6"),
        ({"text": " "}, "text", "expected a non-empty text, got ' '"),
    ],
)
def test_answer_refusals_have_their_path_and_message(fields: dict[str, Any], path: str, message: str):
    with pytest.raises(ValidationError) as caught:
        Answer(question="crokit:dd-named-team", **fields)
    assert _problem(caught.value) == (path, message)


@pytest.mark.parametrize(("scale", "higher", "lower"), [(1, 0.0, 1.0), (3, 0.5, 0.5), (5, 1.0, 0.0)])
def test_the_ends_of_the_scale_are_answers_and_score_0_or_1(scale: int, higher: float, lower: float):
    answer = Answer(question="acme:q", scale=scale)
    assert answer.answer_type is AnswerType.SCALE_1_5
    assert answer_score(_question(), answer) == higher
    assert answer_score(_question(better=Better.LOWER), answer) == lower


def test_each_answer_knows_its_type():
    assert Answer(question="acme:q", yes=False).answer_type is AnswerType.YES_NO
    assert Answer(question="acme:q", number=0).answer_type is AnswerType.NUMBER
    assert Answer(question="acme:q", text="t").answer_type is AnswerType.TEXT
    assert Answer(question="acme:q", yes=False, evidence="audit 2026").evidence == "audit 2026"


def test_an_answer_to_a_question_twice_names_both_places():
    answer = Answer(question="crokit:dd-named-team", yes=True)
    other = Answer(question="crokit:dd-escalation", scale=2)
    with pytest.raises(ValidationError) as caught:
        DueDiligence(candidate="x", answers=(answer, other, answer))
    assert _problem(caught.value) == ("answers[2].question", "'crokit:dd-named-team' is already answered at answers[0]")


def test_an_answer_of_the_wrong_type_names_the_field_to_use():
    cases = [
        (Answer(question="crokit:dd-named-team", scale=3), "a yes-no answer (field 'yes'), got a scale-1-5 answer"),
        (Answer(question="crokit:dd-escalation", yes=True), "a scale-1-5 answer (field 'scale'), got a yes-no answer"),
        (Answer(question="crokit:dd-team-turnover", text="low"), "a number answer (field 'number'), got a text answer"),
        (
            Answer(question="crokit:dd-budget-assumptions", number=1),
            "a text answer (field 'text'), got a number answer",
        ),
    ]
    for answer, expected in cases:
        dd = DueDiligence(candidate="x", answers=(Answer(question="crokit:dd-data-ownership", yes=True), answer))
        with pytest.raises(ValidationError) as caught:
            check_due_diligence(dd, REGISTRY)
        assert _problem(caught.value) == ("answers[1]", f"question {answer.question!r} expects {expected}")


def test_an_unknown_question_has_its_path():
    dd = DueDiligence(
        candidate="x",
        answers=(Answer(question="crokit:dd-named-team", yes=True), Answer(question="crokit:dd-named-tem", yes=True)),
    )
    with pytest.raises(UnknownIdError) as caught:
        check_due_diligence(dd, REGISTRY)
    assert caught.value.path == "answers[1].question"
    assert "unknown question 'crokit:dd-named-tem'; did you mean 'crokit:dd-named-team'" in str(caught.value)


@pytest.mark.parametrize("question", sorted(FRACTION_QUESTIONS))
def test_a_fraction_question_takes_1_and_refuses_more(question: str):
    check_due_diligence(DueDiligence(candidate="x", answers=(Answer(question=question, number=1),)), REGISTRY)
    check_due_diligence(DueDiligence(candidate="x", answers=(Answer(question=question, number=0),)), REGISTRY)
    dd = DueDiligence(
        candidate="x", answers=(Answer(question="crokit:dd-named-team", yes=True), Answer(question=question, number=20))
    )
    with pytest.raises(ValidationError) as caught:
        check_due_diligence(dd, REGISTRY)
    assert _problem(caught.value) == (
        "answers[1].number",
        "20 is not a fraction between 0 and 1; did you mean 0.20 (20%)?",
    )


def test_a_number_question_that_is_not_a_fraction_takes_numbers_above_1():
    dd = DueDiligence(candidate="x", answers=(Answer(question="crokit:dd-project-lead-experience", number=12),))
    check_due_diligence(dd, REGISTRY)
    assert question_scores(dd, REGISTRY, ["crokit:team-experience"])["crokit:team-experience"].score == 1.0


def test_answer_score_refuses_an_answer_of_another_type():
    answer = Answer(question="acme:q", yes=True)
    with pytest.raises(ValidationError) as caught:
        answer_score(_question(), answer)
    assert _problem(caught.value) == ("answer", f"question 'acme:q' expects a scale-1-5 answer, got {answer!r}")


def test_a_number_answer_is_placed_between_its_questions_ends():
    number = Answer(question="acme:q", number=3)
    higher = _question(answer_type=AnswerType.NUMBER, zero_at=0, one_at=5)
    lower = _question(answer_type=AnswerType.NUMBER, better=Better.LOWER, zero_at=5, one_at=0)
    assert answer_score(higher, number) == 0.6
    assert answer_score(lower, number) == 0.4


def test_question_scores_follow_the_criteria_asked_for_in_their_order():
    dd = DueDiligence(
        candidate="x",
        answers=(
            Answer(question="crokit:dd-named-team", yes=True),  # weight 2, score 1
            Answer(question="crokit:dd-escalation", scale=2),  # weight 1, score 0.25
            Answer(question="crokit:dd-team-turnover", number="0.1"),  # weight 2, (0.1 - 0.4) / (0 - 0.4) = 0.75
        ),
    )
    scores = question_scores(dd, REGISTRY, ["crokit:team-experience", "acme:none"])
    assert list(scores) == ["crokit:team-experience", "acme:none"]
    team = scores["crokit:team-experience"]
    assert team.score == (2 * 1 + 0.25 + 2 * 0.75) / 5
    assert team.answered == ("crokit:dd-named-team", "crokit:dd-team-turnover", "crokit:dd-escalation")
    assert team.unanswered == ("crokit:dd-project-lead-experience",)
    assert scores["acme:none"] == QuestionScore(criterion="acme:none")
    everything = question_scores(None, REGISTRY)
    assert list(everything) == list(dict.fromkeys(q.criterion for q in REGISTRY.questions))


# --- select(): notes, warnings, the explanation and refusals -----------------------------

MANUAL = ("test:quality", "test:speed", "test:price")
CHOOSER = Registry.builtin().with_entries(
    *(SelectionCriterion(id=cid, name=cid.split(":")[1].title(), description="d", why="w") for cid in MANUAL)
)
STUDY = Study(
    name="RD-201",
    phase=Stage.PHASE_2,
    therapeutic_area="crokit:rare-disease",
    indication="Fabry disease",
    planned_patients=60,
    sites=12,
    countries=("US",),
    start_date=date(2027, 1, 4),
    currency="USD",
)
OPEN = Constraints(require_services=False, require_countries=False)


def _cro(id_: str, **changes: Any) -> CroProfile:
    fields: dict[str, Any] = {"id": id_, "name": id_.title(), "kind": ProviderKind.CRO, "countries": ("US",)}
    return CroProfile(**(fields | changes))


def _manual(id_: str, *scores: str, **changes: Any) -> CandidateInput:
    pairs = tuple((cid, Decimal(s)) for cid, s in zip(MANUAL, scores, strict=True))
    return CandidateInput(profile=_cro(id_, **changes), manual_scores=pairs)


def _settings(**changes: Any) -> SelectionSettings:
    fields: dict[str, Any] = {"criteria": MANUAL, "constraints": OPEN}
    fields.update(changes)
    return SelectionSettings(**fields)


THREE = (
    _manual("acme", "0.9", "0.2", "0.5"),
    _manual("bolt", "0.5", "0.8", "0.6"),
    _manual("core", "0.1", "0.1", "0.1"),
)
NO_ANSWERS = tuple(
    f"{name}: no due-diligence answers; scored from its profile alone" for name in ("Acme", "Bolt", "Core")
)
NO_SEED = "no seed given: rank acceptability not computed (pass seed=... to sample the weights)"


def test_a_ranking_says_where_its_weights_come_from():
    given = _settings(weights=(("test:quality", 3), ("test:speed", 1), ("test:price", 1)))
    assert (
        select(STUDY, THREE, given, registry=CHOOSER).weights_note
        == "the given weights sum to 5; each was divided by that sum so they sum to 1"
    )
    unit = _settings(weights=(("test:quality", "0.5"), ("test:speed", "0.25"), ("test:price", "0.25")))
    ranking = select(STUDY, THREE, unit, registry=CHOOSER)
    assert ranking.weights_note == "the given weights, which already sum to 1"
    assert ranking.weights == (0.5, 0.25, 0.25)
    equal = select(STUDY, THREE, _settings(), registry=CHOOSER)
    assert equal.weights_note == "equal weights (none given): 1/3 each"
    assert equal.weights == (1 / 3, 1 / 3, 1 / 3)
    assert equal.consistency is None


def test_ahp_weights_carry_their_consistency_and_say_so():
    pairwise = _settings(pairwise=((1, 2, 4), ("1/2", 1, 2), ("1/4", "1/2", 1)))
    ranking = select(STUDY, THREE, pairwise, registry=CHOOSER)
    assert ranking.weights_note == (
        "weights from AHP pairwise judgements (principal eigenvector, sum 1); consistency ratio 0.000"
    )
    assert ranking.consistency == Consistency(lambda_max=3.0, ci=0.0, acceptable=True, cr=0.0)
    assert ranking.warnings == (*NO_ANSWERS, NO_SEED)
    uneven = select(STUDY, THREE, _settings(pairwise=((1, 9, "1/9"), ("1/9", 1, 9), (9, "1/9", 1))), registry=CHOOSER)
    assert uneven.consistency is not None
    assert uneven.consistency is not None
    found: Any = (uneven.consistency.lambda_max, uneven.consistency.ci, uneven.consistency.cr)
    assert found == (
        pytest.approx(91 / 9),
        pytest.approx(32 / 9),
        pytest.approx(6.130268),
    )
    assert not uneven.consistency.acceptable
    assert uneven.weights_note.endswith("consistency ratio 6.130")
    assert uneven.warnings == (
        (
            "consistency ratio 6.130 exceeds 0.10: the judgements contradict each other; the least consistent is "
            "pairwise[1][0] = 0.1111, where the weights imply 1"
        ),
        *NO_ANSWERS,
        NO_SEED,
    )
    two = (
        CandidateInput(
            profile=_cro("acme"), manual_scores=(("test:quality", Decimal("0.9")), ("test:speed", Decimal("0.2")))
        ),
        CandidateInput(
            profile=_cro("bolt"), manual_scores=(("test:quality", Decimal("0.5")), ("test:speed", Decimal("0.8")))
        ),
    )
    small = select(STUDY, two, _settings(criteria=MANUAL[:2], pairwise=((1, 2), ("1/2", 1))), registry=CHOOSER)
    assert small.weights_note.endswith("consistency ratio n/a (2 criteria or fewer)")
    assert small.consistency == Consistency(lambda_max=2.0, ci=0.0, acceptable=True, cr=None)


def test_the_explanation_names_leads_trails_the_closest_call_and_the_share_of_first_places():
    weights = (("test:quality", 3), ("test:speed", 1), ("test:price", 1))
    ranking = select(STUDY, THREE, _settings(weights=weights), registry=CHOOSER, seed=3)
    assert ranking.explanation == (
        "Acme ranks first with 0.68 against 0.58 for Bolt; its largest contribution leads are on Quality (+0.24), "
        "while it trails on Speed (-0.12) and Price (-0.02). The closest call is Speed: if it weighed more than "
        "0.314 (now 0.2), Bolt would win instead. It ranks first in 34% of 2000 random weightings (seed 3)."
    )
    assert ranking.warnings == NO_ANSWERS
    assert ranking.acceptability == (
        AcceptabilityRow(candidate="acme", by_rank=(0.341, 0.659, 0.0)),
        AcceptabilityRow(candidate="bolt", by_rank=(0.659, 0.341, 0.0)),
        AcceptabilityRow(candidate="core", by_rank=(0.0, 0.0, 1.0)),
    )
    quality, speed, price = ranking.intervals
    found: Any = (quality.criterion, quality.current, quality.low, quality.high)
    assert found == (
        "test:quality",
        0.6,
        pytest.approx(7 / 15),
        1.0,
    )
    assert (quality.below, quality.above) == ("bolt", None)
    assert quality.explanation == (
        "Acme stays the winner while Quality weighs from 0.467 to 1 (now 0.6); "
        "the winner changes to Bolt if Quality weighs less than 0.467."
    )
    found = (speed.low, speed.high, speed.below, speed.above)
    assert found == (0.0, pytest.approx(0.11 / 0.35), None, "bolt")
    found = (price.low, price.high, price.below, price.above)
    assert found == (0.0, pytest.approx(0.6), None, "bolt")


@pytest.mark.parametrize(
    ("candidates", "path", "message"),
    [
        ((THREE[0], 5), "candidates[1]", "expected a CandidateInput, got 5"),
        (
            (*THREE, _manual("acme", "0.1", "0.1", "0.1")),
            "candidates[3]",
            "candidate 'acme' is listed twice: already given at candidates[0]",
        ),
        (
            (THREE[0], _manual("bolt", "0.5", "1.2", "0.6")),
            "candidates[1].manual_scores[1]",
            "a score outside its scale: expected 0 to 1 for 'test:speed', got 1.2",
        ),
        (
            (THREE[0], _manual("bolt", "0.5", "-0.1", "0.6")),
            "candidates[1].manual_scores[1]",
            "a score outside its scale: expected 0 to 1 for 'test:speed', got -0.1",
        ),
        (
            (THREE[0], CandidateInput(profile=_cro("bolt"), due_diligence=DueDiligence(candidate="acme"))),
            "candidates[1].due_diligence.candidate",
            "the answers are from 'acme', but the candidate is 'bolt'",
        ),
    ],
)
def test_candidate_refusals_have_their_path_and_message(candidates: Any, path: str, message: str):
    with pytest.raises(ValidationError) as caught:
        select(STUDY, candidates, _settings(), registry=CHOOSER)
    assert _problem(caught.value) == (path, message)


def test_manual_scores_of_0_and_1_are_within_the_scale():
    ranking = select(
        STUDY, (_manual("acme", "0", "1", "1"), _manual("bolt", "1", "0", "0")), _settings(), registry=CHOOSER
    )
    assert ranking.winner == "acme"
    assert [card.score for card in ranking.scorecards] == [pytest.approx(2 / 3), pytest.approx(1 / 3)]


def test_unknown_ids_in_a_candidate_have_their_paths():
    bad_score = CandidateInput(profile=_cro("bolt"), manual_scores=(("test:qualty", Decimal("0.5")),))
    with pytest.raises(UnknownIdError) as caught:
        select(STUDY, (THREE[0], bad_score), _settings(), registry=CHOOSER)
    assert caught.value.path == "candidates[1].manual_scores[0]"
    assert "unknown criterion 'test:qualty'; did you mean 'test:quality'" in str(caught.value)
    answers = DueDiligence(candidate="bolt", answers=(Answer(question="crokit:dd-named-tem", yes=True),))
    with pytest.raises(UnknownIdError) as caught:
        select(
            STUDY,
            (THREE[0], CandidateInput(profile=_cro("bolt"), due_diligence=answers)),
            _settings(),
            registry=CHOOSER,
        )
    assert caught.value.path == "candidates[1].due_diligence.answers[0].question"
    with pytest.raises(UnknownIdError) as caught:
        select(STUDY, THREE, _settings(weights=(("test:quality", 1), ("test:sped", 1))), registry=CHOOSER)
    assert (
        str(caught.value)
        == "settings.weights[1]: unknown criterion 'test:sped'; did you mean 'test:speed' or 'test:price'?"
    )


def test_weights_and_judgements_that_do_not_fit_are_refused_under_settings():
    with pytest.raises(ValidationError) as caught:
        select(STUDY, THREE, _settings(pairwise=((1, 2), ("1/2", 1))), registry=CHOOSER)
    assert _problem(caught.value) == ("settings.pairwise", "expected a 3x3 matrix (one row per criterion), got 2 rows")
    with pytest.raises(ValidationError) as caught:
        select(STUDY, THREE, _settings(weights=(("test:quality", 1),)), registry=CHOOSER)
    assert _problem(caught.value) == (
        "settings.weights",
        "expected a weight for every criterion (give 0 to ignore one), missing 'test:speed', 'test:price'",
    )


@pytest.mark.parametrize(
    ("method", "name"), [(weighted_sum, "weighted-sum"), (weighted_product, "weighted-product"), (topsis, "topsis")]
)
def test_each_result_names_its_method(method: Any, name: str):
    result = method(SQUARE, {"x": 1, "y": 1})
    assert result.method == name
    assert result.criteria == ("x", "y")
    assert result.alternatives == ("a", "b")
    assert result.weights == (0.5, 0.5)


# --- models -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "path", "message"),
    [
        (
            lambda: CandidateInput(profile=_cro("acme"), manual_scores=(("a", "0.5"), ("a", "0.6"))),
            "manual_scores[1]",
            "'a' is already given at manual_scores[0]",
        ),
        (
            lambda: CandidateInput(profile=_cro("acme"), manual_scores=(("", "0.5"),)),
            "manual_scores[0]",
            "expected a criterion id, got ''",
        ),
        (
            lambda: CandidateInput(profile=_cro("acme"), manual_scores=cast("Any", (("a", "0.5", "x"),))),
            "[0]",
            "expected a (criterion id, number) pair, got ('a', '0.5', 'x')",
        ),
        (
            lambda: CandidateInput(profile=_cro("acme"), manual_scores=cast("Any", ("ab",))),
            "[0]",
            "expected a (criterion id, number) pair, got 'ab'",
        ),
        (
            lambda: SelectionSettings(method="electre"),
            "method",
            "expected one of 'weighted-sum', 'weighted-product', 'topsis', got 'electre'",
        ),
        (
            lambda: SelectionSettings(normalisation="zscore"),
            "normalisation",
            "expected one of 'absolute', 'min-max', got 'zscore'",
        ),
        (lambda: SelectionSettings(criteria=()), "criteria", "expected at least one criterion"),
        (lambda: SelectionSettings(criteria=("a", "b", "a")), "criteria[2]", "'a' is listed more than once"),
        (
            lambda: SelectionSettings(criteria=("a", "b"), weights={"a": 1, "b": 1}, pairwise=[[1, 2], ["1/2", 1]]),
            "pairwise",
            "give weights or pairwise judgements, not both",
        ),
        (
            lambda: SelectionSettings(criteria=("a", "b"), pairwise=cast("Any", [[1, 2], [0.5, 1]])),
            "pairwise",
            "expected a judgement such as 3, '3' or '1/3', got 0.5",
        ),
        (
            lambda: SelectionSettings(criteria=("a", "b"), pairwise=[[1, True], [1, 1]]),
            "pairwise",
            "expected a judgement such as 3, '3' or '1/3', got True",
        ),
        (lambda: SelectionSettings(samples=0), "samples", "expected a whole number from 1 to 1000000, got 0"),
        (
            lambda: SelectionSettings(constraints=Constraints(within_budget_ceiling=True)),
            "constraints.within_budget_ceiling",
            "there is no budget ceiling to stay within: set preferences.budget_ceiling",
        ),
        (
            lambda: Scorecard(
                candidate="a", name="A", rank=1, score=0.5, contributions=((5, 0.1),), criterion_scores=()
            ),
            "contributions[0]",
            "expected a criterion id, got 5",
        ),
        (
            lambda: Scorecard(
                candidate="a", name="A", rank=1, score=0.5, contributions=(("x", "lots"),), criterion_scores=()
            ),
            "contributions[0]",
            "expected a number such as '2.5' or '1/3', got the text 'lots'",
        ),
    ],
)
def test_model_refusals_have_their_path_and_message(build: Any, path: str, message: str):
    with pytest.raises(ValidationError) as caught:
        build()
    assert _problem(caught.value) == (path, message)


def test_models_convert_what_files_hold():
    candidate = CandidateInput(profile=_cro("acme"), manual_scores=cast("Any", {"a": "0.5", "b": 1}))
    assert candidate.manual_scores == (("a", Decimal("0.5")), ("b", Decimal(1)))
    assert candidate.id == "acme"
    assert CandidateInput(profile=_cro("acme"), manual_scores=cast("Any", [["a", "0.25"]])).manual_scores == (
        ("a", Decimal("0.25")),
    )
    settings = SelectionSettings(criteria=["a", "b"], pairwise=[[1, " 2 "], ["1/2", Decimal("1.0")]])
    assert settings.criteria == ("a", "b")
    assert settings.pairwise == (("1", "2"), ("1/2", "1.0"))
    assert SelectionSettings(samples=1_000_000).samples == 1_000_000
    card = Scorecard(candidate="a", name="A", rank=1, score=0.5, contributions=[("x", "1/4")], criterion_scores=[])
    assert card.contributions == (("x", 0.25),)
    assert card.criterion_scores == ()
    assert Exclusion(candidate="a", name="A", reasons=["r"]).reasons == ("r",)
    assert AcceptabilityRow(candidate="a", by_rank=[0.5, 0.5]).by_rank == (0.5, 0.5)


def test_settings_defaults():
    settings = SelectionSettings()
    assert settings.method == "weighted-sum"
    assert settings.criteria == DEFAULT_CRITERIA
    assert settings.weights == ()
    assert settings.pairwise is None
    assert settings.samples == 2000
    assert settings.normalisation == "absolute"
    assert DEFAULT_CRITERIA == (
        "crokit:therapeutic-expertise",
        "crokit:geographic-reach",
        "crokit:technology",
        "crokit:team-experience",
        "crokit:pricing-fit",
    )
    assert PRODUCT_FLOOR == 0.01


@pytest.mark.parametrize(
    ("method", "normalisation", "note"),
    [
        (
            "weighted-sum",
            "absolute",
            (
                "absolute: each criterion's 0..1 score is used as it is, "
                "so a candidate's score does not depend on the others"
            ),
        ),
        (
            "weighted-sum",
            "min-max",
            (
                "min-max: each criterion rescaled from the worst eligible candidate (0) to the best (1), "
                "so scores depend on who else is compared"
            ),
        ),
        (
            "weighted-product",
            "min-max",
            "ratio to the best: each score divided by the best candidate's (the weighted product's own scale)",
        ),
        ("topsis", "min-max", "vector: each column divided by its Euclidean norm (TOPSIS's own scale)"),
    ],
)
def test_each_normalisation_note(method: str, normalisation: str, note: str):
    assert normalisation_note(method, normalisation) == note


def test_a_ranking_repr_is_one_line_of_counts():
    ranking = select(STUDY, THREE, _settings(), registry=CHOOSER, seed=2)
    assert repr(ranking) == ("Ranking(method='weighted-sum', 3 criteria, 3 ranked, 0 excluded, winner='bolt', seed=2)")


def test_an_empty_shortlist_explains_itself():
    cdmo = _manual("make", "0.9", "0.9", "0.9", kind=ProviderKind.CDMO)
    ranking = select(STUDY, (cdmo,), _settings(), registry=CHOOSER, seed=1)
    assert ranking.warnings == ("empty shortlist: no candidate met the constraints",)
    assert ranking.explanation == (
        "No candidate met the constraints, so there is no winner; see the exclusions for the reasons."
    )
    assert ranking.excluded[0].candidate == "make"
    assert ranking.excluded[0].name == "Make"
    assert (ranking.winner, ranking.seed, ranking.samples, ranking.scorecards) == (None, 1, 2000, ())
    assert ranking.normalisation == "absolute"
    assert ranking.criteria == MANUAL
    assert ranking.method == "weighted-sum"


def test_a_sole_candidate_is_ranked_without_intervals_or_acceptability():
    cdmo = _manual("make", "0.9", "0.9", "0.9", kind=ProviderKind.CDMO)
    ranking = select(STUDY, (THREE[0], cdmo), _settings(), registry=CHOOSER, seed=1)
    assert ranking.warnings == (
        NO_ANSWERS[0],
        "fewer than 2 eligible candidates: weight intervals and rank acceptability are skipped",
    )
    assert ranking.explanation == "Acme is the only candidate that met the constraints."
    assert (ranking.intervals, ranking.acceptability, ranking.winner) == ((), (), "acme")


def test_the_weighted_product_raises_zero_scores_and_compares_logarithms():
    candidates = (
        _manual("acme", "0", "0.5", "0.5"),
        _manual("bolt", "0.5", "0.5", "0.4"),
        _manual("core", "0.5", "0", "0"),
    )
    ranking = select(STUDY, candidates, _settings(method="weighted-product"), registry=CHOOSER, seed=1)
    assert ranking.warnings == (
        "the weighted product needs scores above 0: raised to 0.01 for Acme on Quality, Core on Speed, Core on Price",
        *NO_ANSWERS,
    )
    assert ranking.normalisation == "ratio"
    assert ranking.explanation == (
        "Bolt ranks first with 0.928 against 0.271 for Acme; its largest log-contribution leads are on Quality "
        "(+1.3), while it trails on Price (-0.0744). The closest call is Quality: if it weighed less than 0.0277 "
        "(now 0.333), Acme would win instead. It ranks first in 95% of 2000 random weightings (seed 1)."
    )
    bolt, acme, core = ranking.scorecards
    contributions: Any = bolt.contributions
    assert contributions == (
        ("test:quality", 1.0),
        ("test:speed", 1.0),
        ("test:price", pytest.approx(0.8 ** (1 / 3))),
    )
    assert acme.score == pytest.approx(0.02 ** (1 / 3))
    assert core.score == pytest.approx(0.02 ** (2 / 3))
    assert [card.rank for card in ranking.scorecards] == [1, 2, 3]


def test_a_score_just_above_zero_is_not_raised_under_the_weighted_product():
    candidates = (_manual("acme", "0.01", "0.5", "0.5"), _manual("bolt", "0.5", "0.5", "0.4"))
    ranking = select(STUDY, candidates, _settings(method="weighted-product"), registry=CHOOSER)
    assert not any("raised to" in warning for warning in ranking.warnings)


def test_a_tie_is_warned_about_only_when_it_is_for_first_place():
    first = (
        _manual("acme", "0.5", "0.5", "0.5"),
        _manual("bolt", "0.5", "0.5", "0.5"),
        _manual("core", "0.1", "0.1", "0.1"),
    )
    ranking = select(STUDY, first, _settings(), registry=CHOOSER)
    assert ranking.warnings == (
        *NO_ANSWERS,
        "a tie for first place: Acme, Bolt; the first listed is named the winner",
        NO_SEED,
    )
    assert ranking.explanation == (
        "Acme ranks first with 0.5 against 0.5 for Bolt. "
        "Acme stays the winner whatever weight any single criterion is given."
    )
    assert [card.rank for card in ranking.scorecards] == [1, 1, 3]
    later = (
        _manual("acme", "0.9", "0.9", "0.9"),
        _manual("bolt", "0.5", "0.5", "0.5"),
        _manual("core", "0.5", "0.5", "0.5"),
    )
    ranking = select(STUDY, later, _settings(), registry=CHOOSER)
    assert ranking.ties == (("bolt", "core"),)
    assert ranking.warnings == (*NO_ANSWERS, NO_SEED)
    assert [(card.candidate, card.rank) for card in ranking.scorecards] == [("acme", 1), ("bolt", 2), ("core", 2)]


def test_a_tie_lists_the_winners_by_name_in_input_order():
    tied = (
        _manual("acme", "0.1", "0.1", "0.1"),
        _manual("bolt", "0.5", "0.5", "0.5"),
        _manual("core", "0.5", "0.5", "0.5"),
    )
    ranking = select(STUDY, tied, _settings(), registry=CHOOSER)
    assert ranking.winner == "bolt"
    assert "a tie for first place: Bolt, Core; the first listed is named the winner" in ranking.warnings
    assert [card.candidate for card in ranking.scorecards] == ["bolt", "core", "acme"]


def _answers_to_all_but(*left_out: str) -> tuple[Answer, ...]:
    values: dict[AnswerType, dict[str, Any]] = {
        AnswerType.YES_NO: {"yes": True},
        AnswerType.SCALE_1_5: {"scale": 3},
        AnswerType.NUMBER: {"number": 0},
        AnswerType.TEXT: {"text": "t"},
    }
    return tuple(Answer(question=q.id, **values[q.answer_type]) for q in REGISTRY.questions if q.id not in left_out)


def test_unanswered_questions_are_warned_about_by_name():
    acme = DueDiligence(candidate="acme", answers=_answers_to_all_but("crokit:dd-named-team"))
    bolt = DueDiligence(candidate="bolt", answers=_answers_to_all_but("crokit:dd-named-team", "crokit:dd-escalation"))
    complete = DueDiligence(candidate="core", answers=_answers_to_all_but())
    candidates = (
        CandidateInput(profile=_cro("acme"), due_diligence=acme),
        CandidateInput(profile=_cro("bolt"), due_diligence=bolt),
        CandidateInput(profile=_cro("core"), due_diligence=complete),
    )
    ranking = select(STUDY, candidates, SelectionSettings(constraints=OPEN), registry=REGISTRY)
    named = REGISTRY.name_of("crokit:dd-named-team", "question")
    escalation = REGISTRY.name_of("crokit:dd-escalation", "question")
    unanswered = [w for w in ranking.warnings if "unanswered" in w]
    assert sorted(unanswered) == [
        f"Acme: 1 due-diligence question unanswered: {named}",
        f"Bolt: 2 due-diligence questions unanswered: {named} / {escalation}",
    ]
    cards = {card.candidate: card for card in ranking.scorecards}
    assert cards["acme"].unanswered == ("crokit:dd-named-team",)
    assert cards["bolt"].unanswered == ("crokit:dd-named-team", "crokit:dd-escalation")
    assert cards["core"].unanswered == ()


def test_scores_near_zero_tie_within_the_absolute_tolerance():
    """Scores lie in [0, 1]: near 0 the tolerance is absolute, not relative."""
    ranks, ties = rank_scores([0.0, 1e-13, 2e-12], ["a", "b", "c"])
    assert ranks == (2, 2, 1)
    assert ties == (("a", "b"),)


def _budget(amount: str, currency: str = "USD") -> Budget:
    price = Money(amount, currency)
    line = LineItem(
        service="crokit:on-site-monitoring",
        stage=Stage.PHASE_2,
        kind=PricingKind.UNIT,
        bucket=CostBucket.CRO_DIRECT_FEES,
        description="monitoring visit",
        basis=UnitBasis.PER_MONITORING_VISIT,
        quantity=Decimal(1),
        unit_price=price,
        amount=price,
        months=(0,),
        derivation=f"1 x {price}",
    )
    return Budget(currency=currency, lines=(line,))


def test_the_lowest_total_is_kept_per_currency():
    candidates = [
        CandidateInput(profile=_cro("acme"), budget=_budget("900")),
        CandidateInput(profile=_cro("bolt"), budget=_budget("700")),
        CandidateInput(profile=_cro("core")),
        CandidateInput(profile=_cro("dyna"), budget=_budget("800", "EUR")),
        CandidateInput(profile=_cro("echo"), budget=_budget("700.00")),
        CandidateInput(profile=_cro("flux"), budget=_budget("750")),
    ]
    lowest = lowest_totals(candidates)
    assert lowest == {"USD": Money("700", "USD"), "EUR": Money("800", "EUR")}
    assert str(lowest["USD"].amount) == "700"  # the first of equal totals is kept
    assert lowest_totals([CandidateInput(profile=_cro("core"))]) == {}


def test_pricing_fit_compares_each_total_with_the_lowest_eligible_one():
    candidates = (
        CandidateInput(profile=_cro("acme"), budget=_budget("1000")),
        CandidateInput(profile=_cro("bolt"), budget=_budget("800")),
        CandidateInput(profile=_cro("core")),
    )
    settings = SelectionSettings(
        criteria=("crokit:pricing-fit",),
        constraints=OPEN,
        preferences=SponsorPreferences(price_against_lowest=True),
    )
    ranking = select(STUDY, candidates, settings, registry=REGISTRY)
    scores = {card.candidate: card.criterion_scores[0].value for card in ranking.scorecards}
    assert scores == {"acme": 0.8, "bolt": 1.0, "core": 0.0}
    assert [card.candidate for card in ranking.scorecards] == ["bolt", "acme", "core"]


# --- the explanation --------------------------------------------------------------------


def test_a_winner_ahead_everywhere_shows_its_two_largest_leads_and_no_trail():
    candidates = (_manual("acme", "0.9", "0.8", "0.7"), _manual("bolt", "0.1", "0.5", "0.6"))
    ranking = select(STUDY, candidates, _settings(), registry=CHOOSER, seed=5)
    assert ranking.explanation == (
        "Acme ranks first with 0.8 against 0.4 for Bolt; its largest contribution leads are on Quality (+0.267) "
        "and Speed (+0.1). Acme stays the winner whatever weight any single criterion is given. "
        "It ranks first in 100% of 2000 random weightings (seed 5)."
    )


def test_shared_names_are_told_apart_by_id_and_the_closest_call_is_the_smallest_move():
    def named(id_: str, name: str, *scores: str) -> CandidateInput:
        pairs = tuple((cid, Decimal(s)) for cid, s in zip(MANUAL, scores, strict=True))
        return CandidateInput(profile=_cro(id_, name=name), manual_scores=pairs)

    candidates = (
        named("acme-us", "Acme", "0.9", "0.1", "0.5"),
        named("acme-eu", "ACME", "0.1", "0.9", "0.5"),
        _manual("bolt", "0.1", "0.1", "0.1"),
    )
    weights = {"test:quality": 2, "test:speed": 1, "test:price": 1}
    ranking = select(STUDY, candidates, _settings(weights=weights), registry=CHOOSER)
    assert ranking.explanation == (
        "Acme (acme-us) ranks first with 0.6 against 0.4 for ACME (acme-eu); its largest contribution leads are on "
        "Quality (+0.4), while it trails on Speed (-0.2). The closest call is Speed: if it weighed more than 0.4 "
        "(now 0.25), ACME (acme-eu) would win instead."
    )
    assert [interval.explanation for interval in ranking.intervals] == [
        (
            "Acme (acme-us) stays the winner while Quality weighs from 0.333 to 1 (now 0.5); "
            "the winner changes to ACME (acme-eu) if Quality weighs less than 0.333."
        ),
        (
            "Acme (acme-us) stays the winner while Speed weighs from 0 to 0.4 (now 0.25); "
            "the winner changes to ACME (acme-eu) if Speed weighs more than 0.4."
        ),
        "Acme (acme-us) stays the winner for any weight of Price from 0 to 1 (now 0.25).",
    ]
    assert ranking.warnings[:3] == (
        "Acme: no due-diligence answers; scored from its profile alone",
        "ACME: no due-diligence answers; scored from its profile alone",
        "Bolt: no due-diligence answers; scored from its profile alone",
    )


def test_topsis_rankings_are_explained_with_their_numeric_intervals():
    candidates = (_manual("acme", "0.6", "0.5", "0.5"), _manual("bolt", "0.5", "0.6", "0.5"))
    weights = {"test:quality": "0.5", "test:speed": "0.4", "test:price": "0.1"}
    ranking = select(STUDY, candidates, _settings(weights=weights, method="topsis"), registry=CHOOSER, seed=1)
    assert ranking.normalisation == "vector"
    assert ranking.explanation == (
        "Acme ranks first with 0.556 against 0.444 for Bolt; its largest contribution leads are on Quality (+0.064), "
        "while it trails on Speed (-0.0512). The closest call is Speed: if it weighed more than 0.455 (now 0.4), "
        "Bolt would win instead. It ranks first in 50% of 2000 random weightings (seed 1)."
    )
    quality, speed, price = ranking.intervals
    found: Any = (quality.low, quality.high, quality.below, quality.above)
    assert found == (pytest.approx(4 / 9), 1.0, "bolt", None)
    found = (speed.low, speed.high, speed.below, speed.above)
    assert found == (0.0, pytest.approx(5 / 11), None, "bolt")
    assert (price.low, price.high, price.below, price.above) == (0.0, 1.0, None, None)


def test_a_ranking_repr_counts_one_criterion_in_the_singular():
    cdmo = CandidateInput(profile=_cro("make", kind=ProviderKind.CDMO))
    ranking = select(STUDY, (cdmo,), _settings(criteria=("test:quality",)), registry=CHOOSER)
    assert repr(ranking) == "Ranking(method='weighted-sum', 1 criterion, 0 ranked, 1 excluded, winner=None, seed=None)"


def test_a_ranking_shows_itself_as_records_a_dataframe_and_tables():
    from crokit.dataframe import to_dataframe, to_records
    from crokit.display import ranking_html, ranking_markdown

    ranking = select(STUDY, THREE, _settings(), registry=CHOOSER, seed=2)
    assert ranking.to_records() == to_records(ranking)
    assert ranking.to_records()[0]["candidate"] == "bolt"
    assert ranking.to_dataframe().equals(to_dataframe(ranking))
    assert ranking.to_dataframe(numeric="float").equals(to_dataframe(ranking, numeric="float"))
    assert list(ranking.to_dataframe()["candidate"]) == ["bolt", "acme", "core"]
    assert ranking._repr_html_() == ranking_html(ranking)
    assert ranking._repr_markdown_() == ranking_markdown(ranking)
    assert ranking._repr_markdown_().startswith("**Ranking by weighted sum: winner Bolt**")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("abc", "invalid amount 'abc': expected a decimal number such as '12.50' for the number"),
        (True, "invalid amount True: a bool is not a number; give the number as text or an int"),
    ],
)
def test_an_answer_that_is_not_a_number_says_so(number: Any, message: str):
    with pytest.raises(InvalidAmountError) as caught:
        Answer(question="crokit:dd-team-turnover", number=number)
    assert str(caught.value) == message


def test_an_answer_to_a_badly_written_question_id_names_the_field():
    with pytest.raises(ValidationError) as caught:
        Answer(question="bad id", yes=True)
    assert _problem(caught.value) == (
        "question",
        "expected a namespaced id like 'crokit:patient-recruitment' (lower case, hyphens), got 'bad id'",
    )


def _rule_with_a_bad_lookup(ctx: ScoringContext) -> CriterionScore:
    """A custom scoring rule that looks up an entry missing from the registry, without a path."""
    ctx.registry.criterion("acme:missing")
    return CriterionScore(criterion="acme:lookup", value=1.0, basis="never reached")


def test_an_unknown_id_met_by_a_custom_rule_is_placed_at_its_candidate():
    lookup = SelectionCriterion(
        id="acme:lookup",
        name="Lookup",
        description="d",
        why="w",
        rule="tests.test_selection_rest_mutants:_rule_with_a_bad_lookup",
    )
    registry = CHOOSER.with_entries(lookup)
    by_hand = CandidateInput(profile=_cro("acme"), manual_scores=(("acme:lookup", Decimal("0.5")),))
    by_rule = CandidateInput(profile=_cro("bolt"))
    with pytest.raises(UnknownIdError) as caught:
        select(STUDY, (by_hand, by_rule), _settings(criteria=("acme:lookup",)), registry=registry)
    assert caught.value.path == "candidates[1]"
    assert str(caught.value) == "candidates[1]: unknown criterion 'acme:missing'"


def test_bounds_on_a_misspelt_criterion_suggest_the_close_one():
    matrix = DecisionMatrix(alternatives=("a", "b"), criteria=("quality", "price"), scores=((1, 2), (2, 1)))
    with pytest.raises(UnknownIdError, match=r"did you mean 'quality'"):
        rank_acceptability(matrix, {"qualty": (0, 1)}, samples=10, seed=1)


def test_a_weight_on_its_bound_is_inside_it():
    """With one criterion every weight is exactly 1, so bounds of (1, 1) hold every draw."""
    one = DecisionMatrix(alternatives=("a", "b"), criteria=("x",), scores=((1,), (2,)))
    result = rank_acceptability(one, {"x": (1, 1)}, samples=5, seed=0)
    assert result.acceptability == ((0.0, 1.0), (1.0, 0.0))
    assert result.central_weights == ((), (1.0,))
    assert result.bounds == ((1.0, 1.0),)


def test_draws_that_fit_only_by_the_last_batch_are_enough_and_one_more_is_too_many():
    """Seed 0 draws 200 batches of 1024 weight vectors; 836 of them give x a weight within (0.498, 0.502)."""
    bounds = {"x": (0.498, 0.502)}
    assert rank_acceptability(SQUARE, bounds, samples=836, seed=0).samples == 836
    with pytest.raises(ValidationError) as caught:
        rank_acceptability(SQUARE, bounds, samples=837, seed=0)
    assert _problem(caught.value) == (
        "weights_bounds",
        "the bounds are too narrow to sample: 836 of 837 draws fit; widen them",
    )


def test_acceptability_defaults_to_ten_thousand_min_max_draws():
    result = rank_acceptability(SQUARE, seed=4)
    assert result.samples == 10_000
    assert result.method == "weighted-sum"
    assert result == rank_acceptability(SQUARE, seed=4, samples=10_000, normalisation="min-max")


def test_acceptability_refuses_an_unknown_normalisation():
    """Regression: an unknown normalisation was silently taken as min-max."""
    with pytest.raises(ValidationError) as caught:
        rank_acceptability(SQUARE, samples=10, seed=1, normalisation=cast("Any", "zscore"))
    assert _problem(caught.value) == ("normalisation", "expected 'absolute' or 'min-max', got 'zscore'")


def test_only_the_method_in_use_checks_its_scores_and_before_sampling():
    zero = DecisionMatrix(alternatives=("a", "b"), criteria=("x", "y"), scores=((0, 1), (1, 0)))
    assert rank_acceptability(zero, samples=10, seed=1).samples == 10
    assert rank_acceptability(SQUARE, samples=10, seed=1, method="topsis", normalisation="absolute").samples == 10
    narrow = {"x": (0.5, 0.5)}  # too narrow to sample: the scores are refused first
    with pytest.raises(ValidationError) as caught:
        rank_acceptability(zero, narrow, samples=10, seed=1, method="weighted-product")
    assert _problem(caught.value) == ("scores[0][0]", "the weighted product needs scores above 0, got 0.0")
    with pytest.raises(ValidationError) as caught:
        rank_acceptability(SQUARE, narrow, samples=10, seed=1, normalisation="absolute")
    assert _problem(caught.value) == ("scores[0][1]", "absolute normalisation needs scores from 0 to 1, got 2.0")


def test_the_sponsors_preferences_reach_every_scoring_rule():
    candidates = (
        CandidateInput(profile=_cro("acme"), budget=_budget("1000")),
        CandidateInput(profile=_cro("bolt"), budget=_budget("800")),
    )
    apart = SponsorPreferences(price_against_lowest=False)
    settings = SelectionSettings(criteria=("crokit:pricing-fit",), constraints=OPEN, preferences=apart)
    ranking = select(STUDY, candidates, settings, registry=REGISTRY)
    assert [card.criterion_scores[0].value for card in ranking.scorecards] == [0.5, 0.5]


def test_a_cost_criterion_from_the_registry_favours_the_lower_score():
    effort = SelectionCriterion(id="acme:effort", name="Effort", description="d", why="w", direction="cost")
    registry = CHOOSER.with_entries(effort)
    candidates = tuple(
        CandidateInput(profile=_cro(id_), manual_scores=(("acme:effort", Decimal(score)),))
        for id_, score in (("acme", "0.8"), ("bolt", "0.3"))
    )
    ranking = select(STUDY, candidates, _settings(criteria=("acme:effort",)), registry=registry)
    assert ranking.winner == "bolt"
    assert [card.score for card in ranking.scorecards] == [pytest.approx(0.7), pytest.approx(0.2)]


def test_a_criterion_without_a_rule_or_a_manual_score_is_refused_at_its_candidate():
    bare = SelectionCriterion(id="acme:bare", name="Bare", description="d", why="w")
    registry = CHOOSER.with_entries(bare)
    by_hand = CandidateInput(profile=_cro("acme"), manual_scores=(("acme:bare", Decimal("0.5")),))
    with pytest.raises(ValidationError) as caught:
        select(
            STUDY,
            (by_hand, CandidateInput(profile=_cro("bolt"))),
            _settings(criteria=("acme:bare",)),
            registry=registry,
        )
    assert _problem(caught.value) == (
        "candidates[1].manual['acme:bare']",
        "'acme:bare' has no scoring rule: give a manual score from 0 to 1 for it",
    )


def test_a_manual_score_or_weight_that_is_not_a_number_says_so():
    with pytest.raises(InvalidAmountError) as caught:
        SelectionSettings(weights=(("crokit:technology", "x"),))
    assert str(caught.value) == "invalid amount 'x': expected a decimal number such as '12.50' for the number"
    with pytest.raises(InvalidAmountError) as caught:
        CandidateInput(profile=_cro("acme"), manual_scores=(("a", "0.5"), ("b", True)))
    assert str(caught.value) == "invalid amount True: a bool is not a number; give the number as text or an int"


def test_exactly_equal_scores_take_ranks_in_input_order_however_many_alternatives():
    """The sort is stable: with 20 alternatives (more than a small-array sort handles) ties keep input order."""
    ids = tuple(f"cro-{i:02d}" for i in range(20))
    scores = tuple((i % 3,) for i in range(20))
    matrix = DecisionMatrix(alternatives=ids, criteria=("x",), scores=scores)
    expected = sorted(range(20), key=lambda i: (-(i % 3), i))
    result = rank_acceptability(matrix, samples=3, seed=0)
    for rank, i in enumerate(expected):
        assert result.acceptability[i][rank] == 1.0, (ids[i], rank)


def test_a_challenger_ahead_by_less_than_the_tie_tolerance_never_ends_the_interval_even_near_zero():
    """The tolerance is 1e-12 of the scores' scale, and never of a scale below 1."""
    matrix = DecisionMatrix(
        alternatives=("a", "b"), criteria=("x", "y"), scores=((0.01, 0.01), (0.01 + 1e-13, 0.01 - 1e-13))
    )
    x, y = weight_intervals(matrix, {"x": 1, "y": 1}, normalisation="absolute")
    assert (x.winner, x.low, x.high, x.below, x.above) == ("a", 0.0, 1.0, None, None)
    assert (y.winner, y.low, y.high, y.below, y.above) == ("a", 0.0, 1.0, None, None)


def test_a_challenger_ahead_by_more_than_the_tie_tolerance_ends_the_interval():
    matrix = DecisionMatrix(
        alternatives=("a", "b"), criteria=("x", "y"), scores=((0.5, 0.5), (0.5 + 1.5e-12, 0.5 - 1.5e-12))
    )
    x, y = weight_intervals(matrix, {"x": 1, "y": 1}, normalisation="absolute")
    assert (x.winner, x.low, x.high, x.below, x.above) == ("a", 0.0, 0.5, None, "b")
    assert (y.winner, y.low, y.high, y.below, y.above) == ("a", 0.5, 1.0, "b", None)


def test_the_tie_tolerance_of_the_weighted_product_scales_with_its_log_scores_at_both_ends():
    """b trails a by 6e-12 on y's log-ratio and leads by 3e-12 on x's; a scores log(0.001) with x alone.

    Within 1e-12 of the larger log-score at either end (6.9) b never overtakes, so only c,
    far ahead on x, ends each interval.
    """
    scores = ((0.001, 1.0), (0.001 * (1 + 3e-12), 1.0 - 6e-12), (1.0, 1e-9))
    matrix = DecisionMatrix(alternatives=("a", "b", "c"), criteria=("x", "y"), scores=scores)
    x, y = weight_intervals(matrix, {"x": 1, "y": 1}, method="weighted-product")
    found: Any = (x.winner, x.low, x.high, x.below, x.above)
    assert found == ("a", 0.0, pytest.approx(0.75), None, "c")
    found = (y.winner, y.low, y.high, y.below, y.above)
    assert found == ("a", pytest.approx(0.25), 1.0, "c", None)


def test_of_challengers_crossing_at_the_same_weight_the_fastest_then_the_first_takes_over():
    """b and a both catch w at x = 0.4; below it b gains faster; b2 is b again, listed later."""
    scores = ((0.6, 0.4), (0.3, 0.6), (0.45, 0.5), (0.3, 0.6))
    matrix = DecisionMatrix(alternatives=("w", "b", "a", "b2"), criteria=("x", "y"), scores=scores)
    x, y = weight_intervals(matrix, {"x": 1, "y": 1}, normalisation="absolute")
    found: Any = (x.winner, x.low, x.high, x.below, x.above)
    assert found == ("w", pytest.approx(0.4), 1.0, "b", None)
    found = (y.winner, y.low, y.high, y.below, y.above)
    assert found == ("w", 0.0, pytest.approx(0.6), None, "b")


def test_a_challenger_whose_crossing_is_within_the_tolerance_of_zero_takes_nothing():
    """c leads w by 2e-12 in log-score with y alone, but falls behind within 1.5e-13 of x's weight."""
    matrix = DecisionMatrix(alternatives=("w", "c"), criteria=("x", "y"), scores=((1.0, 1.0), (1e-6, 1.0 + 2e-12)))
    x, y = weight_intervals(matrix, {"x": 1, "y": 1}, method="weighted-product")
    assert (x.low, x.high, x.below, x.above) == (0.0, 1.0, None, None)
    assert (y.low, y.high, y.below, y.above) == (0.0, 1.0, None, None)


def test_when_a_criterion_has_all_the_weight_the_rest_is_shared_equally_among_the_others():
    matrix = DecisionMatrix(alternatives=("a", "b"), criteria=("x", "y", "z"), scores=((1, 0, 0), (0, 1, 0)))
    x, y, z = weight_intervals(matrix, {"x": 1, "y": 0, "z": 0}, normalisation="absolute")
    # Moving x down to t leaves (1 - t) / 2 to y and to z: b scores (1 - t) / 2 against a's t.
    found: Any = (x.winner, x.low, x.high, x.below, x.above)
    assert found == ("a", pytest.approx(1 / 3), 1.0, "b", None)
    assert (y.low, y.high, y.below, y.above) == (0.0, 0.5, None, "b")
    assert (z.low, z.high, z.below, z.above) == (0.0, 1.0, None, None)


def test_intervals_follow_the_normalisation_and_name_what_they_are_told():
    """Under absolute scores b wins; under min-max a and b would tie and a would win."""
    matrix = DecisionMatrix(alternatives=("a", "b"), criteria=("x", "y"), scores=((0.9, 0.0), (0.5, 0.5)))
    x, y = weight_intervals(matrix, {"x": 1, "y": 1}, normalisation="absolute", names={"x": "Quality"})
    assert x.winner == "b"
    assert x.explanation == (
        "b stays the winner while Quality weighs from 0 to 0.556 (now 0.5); "
        "the winner changes to a if Quality weighs more than 0.556."
    )
    assert y.explanation == (
        "b stays the winner while y weighs from 0.444 to 1 (now 0.5); "
        "the winner changes to a if y weighs less than 0.444."
    )


def test_the_weighted_product_takes_each_ratio_to_its_own_columns_best():
    matrix = DecisionMatrix(
        alternatives=("a", "b"),
        criteria=(Criterion(id="x"), Criterion(id="y"), Criterion(id="price", direction="cost")),
        scores=((1, 20, 300), (2, 10, 600)),
    )
    result = weighted_product(matrix, {"x": 1, "y": 1, "price": 1})
    half = 0.5 ** (1 / 3)
    assert result.contributions[0] == pytest.approx((half, 1.0, 1.0))
    assert result.contributions[1] == pytest.approx((1.0, half, half))
    assert result.scores == pytest.approx((half, half * half))


def test_a_winner_ahead_everywhere_is_named_by_its_name_not_its_id():
    pairs = tuple((cid, Decimal(s)) for cid, s in zip(MANUAL, ("0.9", "0.8", "0.7"), strict=True))
    winner = CandidateInput(profile=_cro("acme-us", name="Acme"), manual_scores=pairs)
    ranking = select(STUDY, (winner, _manual("bolt", "0.1", "0.5", "0.6")), _settings(), registry=CHOOSER)
    assert "Acme stays the winner whatever weight any single criterion is given" in ranking.explanation


def test_an_all_zero_column_contributes_nothing_to_topsis():
    matrix = DecisionMatrix(alternatives=("a", "b"), criteria=("x", "y"), scores=((0, 3), (0, 4)))
    result = topsis(matrix, {"x": 1, "y": 1})
    assert [row[0] for row in result.contributions] == [0.0, 0.0]
    assert result.scores == (0.0, 1.0)


# --- the tie tolerance of TOPSIS's numeric intervals, and the closest call ------------------


def _near_tie(score: float) -> DecisionMatrix:
    """With y alone, c scores 1 and b 0, so a's closeness is its y score; x favours c."""
    return DecisionMatrix(
        alternatives=("a", "c", "b"), criteria=("x", "y"), scores=((1.0, score), (2.0, 1.0), (1.0, 0.0))
    )


def test_a_topsis_challenger_exactly_at_the_tie_tolerance_ties_and_takes_over():
    """With y alone a's closeness is 1 - 1e-12, exactly the tolerance below c's 1.

    A tie goes to the first listed, a: c's interval on x ends just above 0 (a takes over at
    x = 0) and on y just below 1.
    """
    matrix = _near_tie(0.999999999999)
    alone = topsis(matrix, {"x": 0, "y": 1}).scores
    assert alone == (1.0 - 1e-12, 1.0, 0.0)
    x, y = weight_intervals(matrix, {"x": 1, "y": 1}, method="topsis")
    assert (x.winner, x.below, x.above, x.high) == ("c", "a", None, 1.0)
    assert 0.0 < x.low < 1e-9
    assert (y.winner, y.low, y.below, y.above) == ("c", 0.0, None, "a")
    assert 1.0 - 1e-9 < y.high < 1.0


@pytest.mark.parametrize("score", [0.9999999999985, 0.999999999998])
def test_a_topsis_challenger_beyond_the_tie_tolerance_never_takes_over(score: float):
    """a trails c by 1.5e-12 or 2e-12 with y alone: beyond the tolerance (of a scale of 1: closeness is at most 1)."""
    matrix = _near_tie(score)
    assert topsis(matrix, {"x": 0, "y": 1}).scores == (score, 1.0, 0.0)
    for interval in weight_intervals(matrix, {"x": 1, "y": 1}, method="topsis"):
        assert (interval.winner, interval.low, interval.high, interval.below, interval.above) == (
            "c",
            0.0,
            1.0,
            None,
            None,
        )


def test_of_two_equally_close_calls_the_first_criterions_is_told():
    """Quality's interval ends 0.25 above its weight and speed's 0.25 below: the same move, exactly.

    Quality comes first; the move is measured as the distance from the current weight (0.75
    and 0.25 are not equally far from 0).
    """
    two = (
        CandidateInput(
            profile=_cro("acme"), manual_scores=(("test:quality", Decimal(0)), ("test:speed", Decimal("0.75")))
        ),
        CandidateInput(
            profile=_cro("bolt"), manual_scores=(("test:quality", Decimal("0.25")), ("test:speed", Decimal(0)))
        ),
    )
    ranking = select(STUDY, two, _settings(criteria=MANUAL[:2]), registry=CHOOSER)
    quality, speed = ranking.intervals
    assert (quality.current, quality.low, quality.high, quality.above) == (0.5, 0.0, 0.75, "bolt")
    assert (speed.current, speed.low, speed.high, speed.below) == (0.5, 0.25, 1.0, "bolt")
    assert ranking.explanation == (
        "Acme ranks first with 0.375 against 0.125 for Bolt; its largest contribution leads are on Speed (+0.375), "
        "while it trails on Quality (-0.125). The closest call is Quality: if it weighed more than 0.75 (now 0.5), "
        "Bolt would win instead."
    )


def test_the_closest_call_is_the_smallest_move_from_the_current_weight_not_the_smallest_weight():
    """Quality must drop 0.1 (to 0.4), speed rise 0.125 (to 0.375), price rise 0.1875 (to 0.4375)."""
    candidates = (_manual("acme", "0.8", "0.2", "0.2"), _manual("bolt", "0.2", "0.7", "0.5"))
    weights = {"test:quality": 2, "test:speed": 1, "test:price": 1}
    ranking = select(STUDY, candidates, _settings(weights=weights), registry=CHOOSER)
    found: Any = [(i.current, i.low, i.high, i.below, i.above) for i in ranking.intervals]
    assert found == [
        (0.5, pytest.approx(0.4), 1.0, "bolt", None),
        (0.25, 0.0, pytest.approx(0.375), None, "bolt"),
        (0.25, 0.0, pytest.approx(0.4375), None, "bolt"),
    ]
    assert ranking.explanation.endswith(
        "The closest call is Quality: if it weighed less than 0.4 (now 0.5), Bolt would win instead."
    )


# --- the ends of the intervals: exactly at the tie tolerance, and TOPSIS's grid ---------------


def test_a_challenger_level_with_the_winner_to_exactly_the_tie_tolerance_never_ends_the_interval():
    """With y alone c leads w by 1e-12 exactly (the tolerance): that is a tie, not an overtaking."""
    matrix = DecisionMatrix(alternatives=("w", "c"), criteria=("x", "y"), scores=((0.5, 0.0), (0.25, 1e-12)))
    x, y = weight_intervals(matrix, {"x": 1, "y": 1}, normalisation="absolute")
    assert (x.winner, x.low, x.high, x.below, x.above) == ("w", 0.0, 1.0, None, None)
    assert (y.winner, y.low, y.high, y.below, y.above) == ("w", 0.0, 1.0, None, None)


def test_a_crossing_exactly_the_tie_tolerance_above_zero_counts_as_reaching_zero():
    """c leads w by 1e-12 * (1 + 1e-12) with y alone, so it crosses w at x = 1e-12 exactly.

    A crossing within the tolerance of 0 (the end included) is no change of winner. Moving
    y instead, c crosses at 1 / (1 + 1.000000000001e-12), which rounds to 1.00009e-12 below 1:
    beyond the tolerance of 1, so c takes over there. (w's scores at both ends are at most 1,
    so the tolerance's scale is 1.)
    """
    matrix = DecisionMatrix(
        alternatives=("w", "c"), criteria=("x", "y"), scores=((1.0, 0.0), (0.0, 1.000000000001e-12))
    )
    x, y = weight_intervals(matrix, {"x": 1, "y": 1}, normalisation="absolute")
    assert (x.low, x.high, x.below, x.above) == (0.0, 1.0, None, None)
    found: Any = (y.low, y.high, y.below, y.above)
    assert found == (0.0, pytest.approx(1.0 - 1e-12, abs=1e-15), None, "c")
    assert y.high < 1.0


def test_a_crossing_exactly_the_tie_tolerance_below_one_counts_as_reaching_one():
    """With x alone c's log-score leads w's by 1.00009e-12 (log 0.999999999999), and c crosses w at x = 1 - 1e-12.

    c's lead is beyond the tolerance, but its crossing is within the tolerance of 1 (the
    end included), so x's interval runs to 1 with no one beyond it.
    """
    matrix = DecisionMatrix(
        alternatives=("w", "c"), criteria=("x", "y"), scores=((0.999999999999, 1.0), (1.0, 0.36783))
    )
    x, y = weight_intervals(matrix, {"x": 1, "y": 1}, method="weighted-product")
    assert (x.winner, x.low, x.high, x.below, x.above) == ("w", 0.0, 1.0, None, None)
    assert (y.winner, y.low, y.high, y.below, y.above) == ("w", 0.0, 1.0, None, None)


def test_the_weighted_products_tie_tolerance_scales_with_the_winners_log_scores_at_zero_and_one_only():
    """w's log-score is log 0.5 with y alone and about 0 with x alone: the scale is 1.

    So c, ahead of w by 1.2e-12 with x alone, ends x's interval just below 1 (and y's just
    above 0). Extrapolating w's line to the far side (2 log 0.5 = -1.39) would widen the
    tolerance enough to call that a tie. d, best on y, takes over below log 2 / log 20.
    """
    scores = ((1 - 1.2e-12, 0.5), (1.0, 0.25), (0.1, 1.0))
    matrix = DecisionMatrix(alternatives=("w", "c", "d"), criteria=("x", "y"), scores=scores)
    x, y = weight_intervals(matrix, {"x": 1, "y": 1}, method="weighted-product")
    found: Any = (x.winner, x.low, x.below, x.above)
    assert found == ("w", pytest.approx(math.log(2) / math.log(20)), "d", "c")
    assert 1.0 - 1e-11 < x.high < 1.0
    found = (y.low, y.high, y.below, y.above)
    assert found == (
        pytest.approx(1.2e-12 / math.log(2), rel=1e-3),
        pytest.approx(math.log(10) / math.log(20)),
        "c",
        "d",
    )


def test_challengers_crossing_within_the_tie_tolerance_of_an_end_near_zero_cross_there_together():
    """c1 catches w at x = 1e-4, c2 at 5e-13 below it: within 1e-12, so both cross at the end.

    The one gaining faster beyond it (c2, which scores nothing on x) takes over. Near 0 the
    absolute tolerance matters: 5e-13 is 5e-9 of 1e-4, beyond a relative 1e-9.
    """
    r1, r2 = 1e-4, 1e-4 - 5e-13
    scores = ((1.0, 0.0), (0.5, 0.5 * r1 / (1 - r1)), (0.0, r2 / (1 - r2)))
    matrix = DecisionMatrix(alternatives=("w", "c1", "c2"), criteria=("x", "y"), scores=scores)
    x, _ = weight_intervals(matrix, {"x": 1, "y": 1}, normalisation="absolute")
    found: Any = (x.low, x.high, x.below, x.above)
    assert found == (pytest.approx(1e-4), 1.0, "c2", None)


def _excursion(x: float, z: float) -> DecisionMatrix:
    """b wins under TOPSIS but for a short stretch of x's weight, around 0.25, where c does.

    y and z share what x leaves equally; c's scores on x and z were tuned (by solving for
    the two ends) to set the stretch.
    """
    return DecisionMatrix(
        alternatives=("a", "b", "c"), criteria=("x", "y", "z"), scores=((3, 4, 1), (10, 1, 10), (x, 2, z))
    )


def _topsis_winner_at(matrix: DecisionMatrix, x: float) -> str:
    return topsis(matrix, {"x": x, "y": (1 - x) / 2, "z": (1 - x) / 2}).winner


@pytest.mark.parametrize(
    ("scores", "start", "end"),
    [
        # Five grid steps: found by any grid finer than that.
        ((8.5907912, 7.1891018), 0.2475, 0.2525),
        # 1.4 steps covering one grid point (0.250), which the grid passes scanning down from 0.333.
        ((8.59077516, 7.18909995), 0.24930, 0.25070),
        # Narrower than a step: found because it covers 0.250 (the grid is the thousandths).
        ((8.5907739, 7.1890998), 0.24981, 0.25019),
    ],
)
def test_topsis_intervals_end_at_the_nearest_change_of_winner_found_on_the_grid(
    scores: tuple[float, float], start: float, end: float
):
    matrix = _excursion(*scores)
    # The stretch, checked with TOPSIS itself.
    assert [_topsis_winner_at(matrix, t) for t in (start - 1e-5, (start + end) / 2, end + 1e-5)] == ["b", "c", "b"]
    assert [_topsis_winner_at(matrix, t) for t in (0.0, 0.2, 0.3, 1 / 3, 0.6, 1.0)] == ["b"] * 6
    x = weight_intervals(matrix, {"x": 1, "y": 1, "z": 1}, method="topsis")[0]
    found: Any = (x.winner, x.current, x.low, x.high, x.below, x.above)
    assert found == ("b", pytest.approx(1 / 3), pytest.approx(end, abs=1e-5), 1.0, "c", None)
    # Bisected to a crossing: b just above the low end, c just below it.
    assert (_topsis_winner_at(matrix, x.low + 1e-6), _topsis_winner_at(matrix, x.low - 1e-6)) == ("b", "c")
