"""A candidate's answers to the due-diligence questionnaire, and what they score.

The questions are registry entries (:class:`~crokit.vocabulary.criteria.Question`),
each tied to one selection criterion. A :class:`DueDiligence` holds one candidate's
:class:`Answer` values; :func:`check_due_diligence` checks them against the registry
(an unknown question id, or an answer of the wrong type), and :func:`question_scores`
turns them into one score per criterion.

An answer maps onto 0..1 as its question says (see
:class:`~crokit.vocabulary.criteria.Question`); a criterion's questionnaire score is the
weighted mean of its answered, scored questions. Unanswered questions are listed and
left out: never scored as 0 or as 1. Text answers are evidence and never scored.

The built-in questions that ask for a rate or share (:data:`FRACTION_QUESTIONS`) take
the answer as a fraction, like every rate in crokit (``"0.2"`` for 20%);
:func:`check_due_diligence` refuses an answer above 1 to them, with a "did you mean"
hint.

>>> from crokit import Registry
>>> registry = Registry.builtin()
>>> dd = DueDiligence(candidate="helix-cro", answers=(
...     Answer(question="crokit:dd-named-team", yes=True),
...     Answer(question="crokit:dd-team-turnover", number="0.2"),
... ))
>>> check_due_diligence(dd, registry)
>>> team = question_scores(dd, registry)["crokit:team-experience"]
>>> team.score, team.unanswered
(0.75, ('crokit:dd-project-lead-experience', 'crokit:dd-escalation'))
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Final

import attrs

from crokit._convert import to_tuple
from crokit._decimal import to_decimal
from crokit._typed import typed_fields
from crokit._validators import slug
from crokit.errors import UnknownIdError, ValidationError
from crokit.registry import Registry
from crokit.units import check_fraction
from crokit.vocabulary.criteria import AnswerType, Better, Question, QuestionId
from crokit.vocabulary.ids import check_id

__all__ = [
    "FRACTION_QUESTIONS",
    "Answer",
    "DueDiligence",
    "QuestionScore",
    "answer_score",
    "check_due_diligence",
    "question_scores",
]

FRACTION_QUESTIONS: Final = frozenset(
    {
        "crokit:dd-rate-escalation",
        "crokit:dd-recruitment-track-record",
        "crokit:dd-team-turnover",
    }
)
"""The built-in questions answered with a fraction from 0 to 1 (``"0.2"`` for 20%)."""

_FIELD_FOR = {
    AnswerType.YES_NO: "yes",
    AnswerType.SCALE_1_5: "scale",
    AnswerType.NUMBER: "number",
    AnswerType.TEXT: "text",
}


def _optional_number(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, what="number")


def _question(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_id(value, path=attribute.name)


def _optional_bool(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, bool):
        raise ValidationError.at(attribute.name, f"expected true or false, got {value!r}")


def _scale(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:  # noqa: PLR2004 - the 1-5 scale
        raise ValidationError.at(attribute.name, f"expected a whole number from 1 to 5, got {value!r}")


def _optional_text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ValidationError.at(attribute.name, f"expected a non-empty text, got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Answer:
    """A candidate's answer to one due-diligence question.

    Give exactly one of ``yes``, ``scale``, ``number`` and ``text``, the one the
    question's answer type asks for.

    Attributes:
        question: The question's id (``crokit:dd-team-turnover``).
        yes: The answer to a yes-no question.
        scale: The answer to a 1-5 scale question.
        number: The answer to a number question, exact.
        text: The answer to a text question.
        evidence: Where the answer comes from (a document, a meeting), free text.
    """

    question: QuestionId = attrs.field(validator=_question)
    yes: bool | None = attrs.field(default=None, validator=_optional_bool)
    scale: int | None = attrs.field(default=None, validator=_scale)
    number: Decimal | None = attrs.field(default=None, converter=_optional_number)
    text: str | None = attrs.field(default=None, validator=_optional_text)
    evidence: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    def __attrs_post_init__(self) -> None:
        """Require exactly one answer value."""
        given = [name for name in ("yes", "scale", "number", "text") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValidationError.at(
                "", f"give exactly one of yes, scale, number and text, got {', '.join(given) if given else 'none'}"
            )

    @property
    def answer_type(self) -> AnswerType:
        """The type of answer given."""
        if self.yes is not None:
            return AnswerType.YES_NO
        if self.scale is not None:
            return AnswerType.SCALE_1_5
        if self.number is not None:
            return AnswerType.NUMBER
        return AnswerType.TEXT


def _answers(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    seen: dict[str, int] = {}
    for index, answer in enumerate(value):
        path = f"{attribute.name}[{index}]"
        if not isinstance(answer, Answer):
            raise ValidationError.at(path, f"expected an Answer, got {answer!r}")
        if answer.question in seen:
            raise ValidationError.at(
                f"{path}.question",
                f"{answer.question!r} is already answered at {attribute.name}[{seen[answer.question]}]",
            )
        seen[answer.question] = index


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class DueDiligence:
    """One candidate's answers to the due-diligence questionnaire.

    Attributes:
        candidate: The candidate's id (its :attr:`~crokit.CroProfile.id`).
        answers: Its answers, each question at most once, in any order. Questions
            left out are unanswered.
    """

    candidate: str = attrs.field(validator=slug)
    answers: tuple[Answer, ...] = attrs.field(default=(), converter=to_tuple, validator=_answers)

    def answer_to(self, question: str) -> Answer | None:
        """The answer to *question*, or ``None`` if it is unanswered."""
        return next((a for a in self.answers if a.question == question), None)


def check_due_diligence(dd: DueDiligence, registry: Registry) -> None:
    """Check every answer against its question in *registry*.

    Raises:
        UnknownIdError: For an answer to a question that is not in *registry*, with the
            closest question ids (path ``answers[3].question``).
        ValidationError: For an answer of the wrong type (path ``answers[3]``), or
            an answer outside 0 to 1 to one of :data:`FRACTION_QUESTIONS` (path
            ``answers[3].number``).
    """
    known = {q.id: q for q in registry.questions}
    for index, answer in enumerate(dd.answers):
        question = known.get(answer.question)
        if question is None:
            raise UnknownIdError("question", answer.question, choices=known, path=f"answers[{index}].question")
        if answer.answer_type is not question.answer_type:
            raise ValidationError.at(
                f"answers[{index}]",
                f"question {question.id!r} expects a {question.answer_type.value} answer "
                f"(field {_FIELD_FOR[question.answer_type]!r}), got a {answer.answer_type.value} answer",
            )
        if question.id in FRACTION_QUESTIONS and answer.number is not None:
            check_fraction(answer.number, f"answers[{index}].number")


def answer_score(question: Question, answer: Answer) -> float | None:
    """The answer's score in 0..1 (1 best), or ``None`` for text answers, which are never scored.

    Raises:
        ValidationError: If the answer's type is not the question's.

    >>> q = Question(id="acme:q", text="Turnover?", criterion="crokit:team-experience",
    ...              answer_type=AnswerType.NUMBER, better=Better.LOWER, zero_at="40", one_at="0")
    >>> answer_score(q, Answer(question="acme:q", number="10"))
    0.75
    """
    if answer.answer_type is not question.answer_type:
        raise ValidationError.at(
            "answer", f"question {question.id!r} expects a {question.answer_type.value} answer, got {answer!r}"
        )
    if answer.yes is not None:
        return 1.0 if answer.yes is (question.better is Better.YES) else 0.0
    if answer.scale is not None:
        step = (answer.scale - 1) / 4
        return step if question.better is Better.HIGHER else 1.0 - step
    if answer.number is not None and question.zero_at is not None and question.one_at is not None:
        share = (answer.number - question.zero_at) / (question.one_at - question.zero_at)
        return float(min(Decimal(1), max(Decimal(0), share)))
    return None


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class QuestionScore:
    """What the questionnaire says about one criterion.

    Attributes:
        criterion: The criterion's id.
        score: The weighted mean score (0..1) of the answered, scored questions, or
            ``None`` if none is answered (or only text questions are).
        answered: Ids of the answered questions, in registry order.
        unanswered: Ids of the unanswered questions, in registry order.
    """

    criterion: str
    score: float | None = None
    answered: tuple[str, ...] = ()
    unanswered: tuple[str, ...] = ()


def question_scores(
    dd: DueDiligence | None, registry: Registry, criteria: Iterable[str] | None = None
) -> dict[str, QuestionScore]:
    """Score the answers of *dd* per criterion; ``None`` means nothing was answered.

    Args:
        dd: The candidate's answers, or ``None`` if it has not answered the questionnaire.
        registry: Where the questions come from.
        criteria: The criteria to report (default: every criterion with a question).

    Returns:
        A :class:`QuestionScore` per criterion, in the order of *criteria* (or of the
        registry's questions). Score = sum(weight x answer score) / sum(weight) over the
        answered, scored questions; unanswered ones are listed and left out.

    Raises:
        UnknownIdError, ValidationError: If *dd* does not fit the registry (see
            :func:`check_due_diligence`).
    """
    if dd is not None:
        check_due_diligence(dd, registry)
    by_criterion: dict[str, list[Question]] = {}
    for question in registry.questions:
        by_criterion.setdefault(question.criterion, []).append(question)
    wanted = list(by_criterion) if criteria is None else list(criteria)
    result: dict[str, QuestionScore] = {}
    for criterion in wanted:
        answered: list[str] = []
        unanswered: list[str] = []
        total = Decimal(0)
        weights = Decimal(0)
        for question in by_criterion.get(criterion, []):
            answer = dd.answer_to(question.id) if dd is not None else None
            if answer is None:
                unanswered.append(question.id)
                continue
            answered.append(question.id)
            score = answer_score(question, answer)
            if score is not None:
                total += question.weight * Decimal(repr(score))
                weights += question.weight
        result[criterion] = QuestionScore(
            criterion=criterion,
            score=float(total / weights) if weights else None,
            answered=tuple(answered),
            unanswered=tuple(unanswered),
        )
    return result
