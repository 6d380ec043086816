"""The criteria a sponsor weighs when choosing a CRO, and the due-diligence questions behind them.

Two open vocabularies, filed in the :class:`~crokit.Registry` like services and areas:

* :class:`SelectionCriterion` (registry kind ``"criterion"``): what is scored, why it
  matters, whether more is better, and the import path of the function that scores it
  (``"crokit.selection.rules:therapeutic_expertise"``), or ``None`` when the sponsor
  scores it by hand for each candidate. Rule paths come only from registry entries,
  that is from installed code, never from scenario files.
* :class:`Question` (registry kind ``"question"``): one question of the due-diligence
  questionnaire ("questions to ask a CRO"), tied to one criterion, with the type of
  answer it expects and which answers are better.

crokit's own criteria (the five of the product brief) and questions (the usual questions
to ask a CRO, each tied to one of them) are data: ``criteria.toml`` and ``questions.toml``
in ``crokit/vocabulary/data``, read into the built-in registry on first use.
:data:`BUILTIN_CRITERIA` and :data:`BUILTIN_QUESTIONS` are the built-in registry's
``criteria`` and ``questions``. This module imports no selection code (and no NumPy):
the selection layer maps :class:`CriterionDirection` onto its own direction.

>>> from crokit import Registry
>>> [c.id for c in Registry.builtin().criteria][:2]
['crokit:therapeutic-expertise', 'crokit:geographic-reach']
>>> Registry.builtin().questions[0].answer_type.value
'number'
"""

from __future__ import annotations

import enum
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Final

import attrs

from crokit._decimal import to_decimal
from crokit._members import as_member, is_member
from crokit._typed import typed_fields
from crokit.errors import ValidationError
from crokit.vocabulary.ids import RegistryKind, check_id

__all__ = [
    "AnswerType",
    "BUILTIN_CRITERIA",
    "BUILTIN_QUESTIONS",
    "Better",
    "CriterionDirection",
    "CriterionId",
    "Question",
    "QuestionId",
    "SelectionCriterion",
]

CriterionId = Annotated[str, RegistryKind("criterion")]
"""Id of a :class:`SelectionCriterion` (``crokit:technology``)."""
QuestionId = Annotated[str, RegistryKind("question")]
"""Id of a due-diligence :class:`Question` (``crokit:dd-team-turnover``)."""

_RULE_PART = r"[A-Za-z_][A-Za-z0-9_]*"
_RULE_PATTERN: Final = re.compile(rf"^{_RULE_PART}(\.{_RULE_PART})*:{_RULE_PART}$")


class CriterionDirection(enum.Enum):
    """Whether more of a criterion is better (``BENEFIT``) or worse (``COST``)."""

    BENEFIT = "benefit"
    COST = "cost"


def _as_criterion_direction(value: object) -> object:
    """A converter: text (the value or name) to CriterionDirection member (see :func:`crokit._members.as_member`)."""
    return as_member(CriterionDirection, value)


class AnswerType(enum.Enum):
    """The kind of answer a due-diligence question expects."""

    YES_NO = "yes-no"
    SCALE_1_5 = "scale-1-5"
    NUMBER = "number"
    TEXT = "text"


def _as_answer_type(value: object) -> object:
    """A converter: text (the value or name) to AnswerType member (see :func:`crokit._members.as_member`)."""
    return as_member(AnswerType, value)


class Better(enum.Enum):
    """Which answers are better: ``HIGHER``/``LOWER`` for scales and numbers, ``YES``/``NO`` for yes-no.

    ``NONE`` is for text answers, which are recorded as evidence but never scored.
    """

    HIGHER = "higher"
    LOWER = "lower"
    YES = "yes"
    NO = "no"
    NONE = "none"


def _as_better(value: object) -> object:
    """A converter: text (the value or name) to Better member (see :func:`crokit._members.as_member`)."""
    return as_member(Better, value)


_BETTER_FOR: Final = {
    AnswerType.YES_NO: frozenset({Better.YES, Better.NO}),
    AnswerType.SCALE_1_5: frozenset({Better.HIGHER, Better.LOWER}),
    AnswerType.NUMBER: frozenset({Better.HIGHER, Better.LOWER}),
    AnswerType.TEXT: frozenset({Better.NONE}),
}


def _id(_instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    check_id(value, path=attribute.name)


def _text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError.at(attribute.name, f"expected a non-empty text, got {value!r}")


def _rule(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not _RULE_PATTERN.match(value):
        raise ValidationError.at(
            attribute.name, f"expected an import path like 'package.module:function' or None, got {value!r}"
        )


def _optional_decimal(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, what="number")


def _weight(value: object) -> Decimal:
    return to_decimal(value, what="weight")


def _positive(_instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if value <= 0:
        raise ValidationError.at(attribute.name, f"expected a weight above 0, got {value}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class SelectionCriterion:
    """A criterion a sponsor weighs when choosing a CRO.

    Attributes:
        id: Namespaced id (``crokit:therapeutic-expertise``).
        name: Readable name.
        description: What is scored and how, in a sentence or two.
        why: Why the criterion matters to a sponsor.
        direction: ``BENEFIT`` (a higher score is better) or ``COST``. Rule scores are
            always on a 0..1 scale where 1 is best, so built-ins are benefits.
        rule: Import path ``"module:function"`` of the scoring function, which takes a
            :class:`~crokit.selection.rules.ScoringContext` and returns a
            :class:`~crokit.selection.rules.CriterionScore`; ``None`` means the sponsor
            scores the criterion by hand for each candidate.
    """

    registry_kind: ClassVar[str] = "criterion"

    id: CriterionId = attrs.field(validator=_id)
    name: str = attrs.field(validator=_text)
    description: str = attrs.field(validator=_text)
    why: str = attrs.field(validator=_text)
    direction: CriterionDirection = attrs.field(
        default=CriterionDirection.BENEFIT,
        converter=_as_criterion_direction,
        validator=is_member(CriterionDirection),
    )
    rule: str | None = attrs.field(default=None, validator=_rule)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Question:
    """One due-diligence question to ask a CRO, tied to one criterion.

    How an answer maps onto 0..1 (1 best) is fixed by the answer type:

    * ``yes-no``: the better answer (``better`` is ``yes`` or ``no``) scores 1, the other 0.
    * ``scale-1-5``: ``(answer - 1) / 4`` if higher is better, ``(5 - answer) / 4`` if lower is.
    * ``number``: linear from ``zero_at`` (scores 0) to ``one_at`` (scores 1), clipped
      to 0..1; both are required, and ``one_at > zero_at`` exactly when higher is better.
    * ``text``: recorded as evidence, never scored (``better`` is ``none``).

    Attributes:
        id: Namespaced id (``crokit:dd-team-turnover``).
        text: The question as asked.
        criterion: Id of the criterion the answer informs.
        answer_type: What kind of answer it expects.
        weight: Its weight among the questions of its criterion (above 0; default 1).
        better: Which answers are better (see above).
        help: What a good answer looks like, or why the question is asked.
        zero_at: For numbers, the answer that scores 0.
        one_at: For numbers, the answer that scores 1.
    """

    registry_kind: ClassVar[str] = "question"

    id: QuestionId = attrs.field(validator=_id)
    text: str = attrs.field(validator=_text)
    criterion: CriterionId = attrs.field(validator=_id)
    answer_type: AnswerType = attrs.field(converter=_as_answer_type, validator=is_member(AnswerType))
    better: Better = attrs.field(converter=_as_better, validator=is_member(Better))
    weight: Decimal = attrs.field(default=Decimal(1), converter=_weight, validator=_positive)
    help: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    zero_at: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    one_at: Decimal | None = attrs.field(default=None, converter=_optional_decimal)

    def __attrs_post_init__(self) -> None:
        """Check that ``better`` and the number bounds fit the answer type."""
        allowed = _BETTER_FOR[self.answer_type]
        if self.better not in allowed:
            names = " or ".join(sorted(repr(b.value) for b in allowed))
            raise ValidationError.at(
                "better", f"a {self.answer_type.value} question needs better = {names}, got {self.better.value!r}"
            )
        if self.answer_type is not AnswerType.NUMBER:
            if self.zero_at is not None or self.one_at is not None:
                raise ValidationError.at("zero_at", "only number questions take zero_at and one_at")
            return
        if self.zero_at is None or self.one_at is None:
            raise ValidationError.at("zero_at", "a number question needs both zero_at and one_at")
        if self.zero_at == self.one_at or (self.one_at > self.zero_at) != (self.better is Better.HIGHER):
            raise ValidationError.at(
                "one_at",
                f"with better = {self.better.value!r}, one_at must be "
                f"{'above' if self.better is Better.HIGHER else 'below'} zero_at ({self.zero_at}), got {self.one_at}",
            )


if TYPE_CHECKING:
    BUILTIN_CRITERIA: tuple[SelectionCriterion, ...]
    """The five criteria of the product brief, each scored by a rule in :mod:`crokit.selection.rules`."""
    BUILTIN_QUESTIONS: tuple[Question, ...]
    """Due-diligence questions to ask a CRO, each tied to one of :data:`BUILTIN_CRITERIA`."""


def __getattr__(name: str) -> tuple[Any, ...]:
    """Read ``BUILTIN_CRITERIA`` and ``BUILTIN_QUESTIONS`` from the built-in registry on first use."""
    if name == "BUILTIN_CRITERIA":
        from crokit.registry import Registry

        return Registry.builtin().criteria
    if name == "BUILTIN_QUESTIONS":
        from crokit.registry import Registry

        return Registry.builtin().questions
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
