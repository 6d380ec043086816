"""Due-diligence answers: validation against the registry, scores per criterion, unanswered questions."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import CrokitError, Registry, UnknownIdError, ValidationError
from crokit.selection import Answer, DueDiligence, answer_score, check_due_diligence, question_scores
from crokit.testing._selection import answers, due_diligences
from crokit.vocabulary import AnswerType, Better, Question

REGISTRY = Registry.builtin()


def q(**changes: object) -> Question:
    fields: dict[str, object] = {
        "id": "acme:q",
        "text": "?",
        "criterion": "crokit:technology",
        "answer_type": AnswerType.YES_NO,
        "better": Better.YES,
    }
    fields.update(changes)
    return Question(**fields)  # type: ignore[arg-type]


def _scores_as(question: Question, value: float) -> Callable[[Answer], bool]:
    def check(answer: Answer) -> bool:
        return answer_score(question, answer) == value

    return check


class TestAnswer:
    def test_exactly_one_value(self):
        with pytest.raises(ValidationError, match="got none"):
            Answer(question="crokit:dd-named-team")
        with pytest.raises(ValidationError, match="got yes, scale"):
            Answer(question="crokit:dd-named-team", yes=True, scale=3)

    @pytest.mark.parametrize("bad", [0, 6, True])
    def test_scale_is_one_to_five(self, bad):
        with pytest.raises(ValidationError) as info:
            Answer(question="crokit:dd-escalation", scale=bad)
        assert info.value.problems[0].path == "scale"

    def test_numbers_are_exact(self):
        with pytest.raises(CrokitError, match="float is inexact"):
            Answer(question="crokit:dd-team-turnover", number=0.1)
        assert Answer(question="crokit:dd-team-turnover", number="12.5").number == Decimal("12.5")

    def test_a_question_answered_twice(self):
        with pytest.raises(ValidationError) as info:
            DueDiligence(
                candidate="helix",
                answers=(
                    Answer(question="crokit:dd-named-team", yes=True),
                    Answer(question="crokit:dd-named-team", yes=False),
                ),
            )
        assert info.value.problems[0].path == "answers[1].question"


class TestCheck:
    def test_unknown_question_suggests(self):
        dd = DueDiligence(
            candidate="helix",
            answers=(
                Answer(question="crokit:dd-named-team", yes=True),
                Answer(question="crokit:dd-team-turnovr", number=5),
            ),
        )
        with pytest.raises(UnknownIdError) as info:
            check_due_diligence(dd, REGISTRY)
        assert info.value.path == "answers[1].question"
        assert info.value.suggestions[0] == "crokit:dd-team-turnover"

    def test_wrong_answer_type_names_the_answer(self):
        dd = DueDiligence(
            candidate="helix",
            answers=(
                Answer(question="crokit:dd-named-team", yes=True),
                Answer(question="crokit:dd-escalation", scale=4),
                Answer(question="crokit:dd-change-orders", yes=True),
                Answer(question="crokit:dd-team-turnover", yes=True),
            ),
        )
        with pytest.raises(ValidationError) as info:
            check_due_diligence(dd, REGISTRY)
        assert info.value.problems[0].path == "answers[3]"
        assert "expects a number answer (field 'number'), got a yes-no answer" in str(info.value)


class TestScores:
    def test_each_answer_type(self):
        assert answer_score(q(), Answer(question="acme:q", yes=True)) == 1.0
        assert answer_score(q(better=Better.NO), Answer(question="acme:q", yes=True)) == 0.0
        scale = q(answer_type=AnswerType.SCALE_1_5, better=Better.HIGHER)
        assert answer_score(scale, Answer(question="acme:q", scale=4)) == 0.75
        assert (
            answer_score(q(answer_type=AnswerType.SCALE_1_5, better=Better.LOWER), Answer(question="acme:q", scale=4))
            == 0.25
        )
        number = q(answer_type=AnswerType.NUMBER, better=Better.HIGHER, zero_at=50, one_at=100)
        assert answer_score(number, Answer(question="acme:q", number=75)) == 0.5
        assert answer_score(number, Answer(question="acme:q", number=120)) == 1.0  # clipped
        assert answer_score(number, Answer(question="acme:q", number=10)) == 0.0
        assert (
            answer_score(q(answer_type=AnswerType.TEXT, better=Better.NONE), Answer(question="acme:q", text="x"))
            is None
        )

    def test_weighted_mean_per_criterion_hand_worked(self):
        dd = DueDiligence(
            candidate="helix",
            answers=(
                Answer(question="crokit:dd-systems-validated", yes=True),  # weight 2, score 1
                Answer(question="crokit:dd-inspection-findings", number=2),  # weight 1, (2-5)/(0-5) = 0.6
                Answer(question="crokit:dd-data-ownership", yes=False),  # weight 1, score 0
                Answer(question="crokit:dd-budget-assumptions", text="60 patients, 12 sites"),  # text: not scored
            ),
        )
        scores = question_scores(dd, REGISTRY)
        technology = scores["crokit:technology"]
        assert technology.score == pytest.approx((2 * 1 + 0.6 + 0) / 4)
        assert technology.unanswered == ("crokit:dd-business-continuity",)
        pricing = scores["crokit:pricing-fit"]
        assert pricing.score is None  # only a text answer
        assert pricing.answered == ("crokit:dd-budget-assumptions",)
        assert scores["crokit:team-experience"].score is None

    def test_no_answers_lists_every_question_unanswered(self):
        scores = question_scores(None, REGISTRY)
        assert sum(len(s.unanswered) for s in scores.values()) == len(REGISTRY.questions)
        assert all(s.score is None and not s.answered for s in scores.values())

    @given(due_diligences(candidate="helix", registry=REGISTRY), st.sampled_from(REGISTRY.questions), st.data())
    def test_unanswered_is_never_scored_as_0_or_1(self, dd, question, data):
        without = DueDiligence(candidate="helix", answers=tuple(a for a in dd.answers if a.question != question.id))
        base = question_scores(without, REGISTRY)[question.criterion]
        assert question.id in base.unanswered
        if question.answer_type is AnswerType.TEXT:
            return
        # Answering it 0 or 1 (the worst or the best answer) moves the score unless it was already there.
        for extreme in (0.0, 1.0):
            answer = data.draw(answers(question).filter(_scores_as(question, extreme)))
            answered = DueDiligence(candidate="helix", answers=(*without.answers, answer))
            score = question_scores(answered, REGISTRY)[question.criterion].score
            assert score is not None
            if base.score is None:
                assert score == extreme
            elif base.score != extreme:
                assert score != pytest.approx(base.score, abs=1e-12)
                assert (score < base.score) == (extreme == 0.0)
