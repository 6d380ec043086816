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

:data:`BUILTIN_CRITERIA` are the five criteria of the product brief; :data:`BUILTIN_QUESTIONS`
are the usual questions to ask a CRO, each tied to one of them. This module imports no
selection code (and no NumPy): the selection layer maps :class:`CriterionDirection` onto
its own direction.

>>> [c.id for c in BUILTIN_CRITERIA][:2]
['crokit:therapeutic-expertise', 'crokit:geographic-reach']
>>> BUILTIN_QUESTIONS[0].answer_type.value
'number'
"""

from __future__ import annotations

import enum
import re
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Final

import attrs

from crokit._decimal import to_decimal
from crokit._members import as_member, is_member
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


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
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


_RULES: Final = "crokit.selection.rules"

BUILTIN_CRITERIA: Final[tuple[SelectionCriterion, ...]] = (
    SelectionCriterion(
        id="crokit:therapeutic-expertise",
        name="Therapeutic expertise",
        description="Studies the CRO has run in the study's therapeutic area and phase, and what it says about them.",
        why="Deep scientific understanding of the disease area.",
        rule=f"{_RULES}:therapeutic_expertise",
    ),
    SelectionCriterion(
        id="crokit:geographic-reach",
        name="Geographic reach",
        description="The share of the study's countries the CRO runs studies in.",
        why="Needed for multi-country and global trials.",
        rule=f"{_RULES}:geographic_reach",
    ),
    SelectionCriterion(
        id="crokit:technology",
        name="Technology",
        description="The share of the platforms the study needs that the CRO runs; validated ones count in full.",
        why="Data quality, automation, compliance.",
        rule=f"{_RULES}:technology",
    ),
    SelectionCriterion(
        id="crokit:team-experience",
        name="Team experience",
        description="The proposed team's years of experience, the CRO's staff turnover and whether the team is named.",
        why="Avoids delays and protocol deviations.",
        rule=f"{_RULES}:team_experience",
    ),
    SelectionCriterion(
        id="crokit:pricing-fit",
        name="Pricing fit",
        description="The quoted budget against the sponsor's ceiling, and the share priced in the preferred models.",
        why="Must fit the sponsor's budget.",
        rule=f"{_RULES}:pricing_fit",
    ),
)
"""The five criteria of the product brief, each scored by a rule in :mod:`crokit.selection.rules`."""

_EXPERTISE = "crokit:therapeutic-expertise"
_REACH = "crokit:geographic-reach"
_TECHNOLOGY = "crokit:technology"
_TEAM = "crokit:team-experience"
_PRICING = "crokit:pricing-fit"


def _q(  # noqa: PLR0917 - a private table builder, one call per row
    id_: str,
    text: str,
    criterion: str,
    answer_type: AnswerType,
    better: Better,
    help_: str,
    *,
    weight: str = "1",
    zero_at: str | None = None,
    one_at: str | None = None,
) -> Question:
    return Question(
        id=id_,
        text=text,
        criterion=criterion,
        answer_type=answer_type,
        better=better,
        weight=Decimal(weight),
        help=help_,
        zero_at=None if zero_at is None else Decimal(zero_at),
        one_at=None if one_at is None else Decimal(one_at),
    )


_YES, _SCALE, _NUMBER, _TEXT = AnswerType.YES_NO, AnswerType.SCALE_1_5, AnswerType.NUMBER, AnswerType.TEXT

# The number bounds below (zero_at, one_at) are illustrative defaults chosen for this
# questionnaire, not published figures; replace the questions to use your own.
BUILTIN_QUESTIONS: Final[tuple[Question, ...]] = (
    _q(
        "crokit:dd-indication-phase-studies",
        "How many studies in this indication and phase have you run in the last five years?",
        _EXPERTISE,
        _NUMBER,
        Better.HIGHER,
        "Ask for a reference list; 0 scores 0 and 5 or more score 1 (illustrative).",
        weight="2",
        zero_at="0",
        one_at="5",
    ),
    _q(
        "crokit:dd-key-opinion-leaders",
        "Do you work with key opinion leaders and investigator networks in this disease area?",
        _EXPERTISE,
        _YES,
        Better.YES,
        "Established investigator relationships speed up site selection in small populations.",
    ),
    _q(
        "crokit:dd-medical-expertise",
        "How strong is your in-house medical and scientific expertise in this indication (1 weak to 5 strong)?",
        _EXPERTISE,
        _SCALE,
        Better.HIGHER,
        "Medical monitors and scientists who know the disease catch safety signals and protocol issues early.",
    ),
    _q(
        "crokit:dd-recruitment-track-record",
        "What share of your recent studies met their enrolment target on time (a fraction: 0.8 for 80%)?",
        _REACH,
        _NUMBER,
        Better.HIGHER,
        "Recruitment track record; 50% scores 0 and 100% scores 1 (illustrative).",
        weight="2",
        zero_at="0.5",
        one_at="1",
    ),
    _q(
        "crokit:dd-local-regulatory",
        "Do you have staff with local regulatory experience in every country of the study?",
        _REACH,
        _YES,
        Better.YES,
        "Local submissions and ethics committees are where multi-country timelines slip.",
    ),
    _q(
        "crokit:dd-subcontracting",
        "Will any part of the work in the study's countries be subcontracted to another provider?",
        _REACH,
        _YES,
        Better.NO,
        "Subcontracted work adds a party to oversee (21 CFR 312.52 and ICH E6 keep the sponsor accountable).",
    ),
    _q(
        "crokit:dd-systems-validated",
        "Are the systems you will use (EDC, IRT, eTMF, safety database) validated for 21 CFR Part 11 and EU Annex 11?",
        _TECHNOLOGY,
        _YES,
        Better.YES,
        "Ask for the validation summary of each system.",
        weight="2",
    ),
    _q(
        "crokit:dd-inspection-findings",
        "How many critical or major findings did inspections and sponsor audits raise in the last five years?",
        _TECHNOLOGY,
        _NUMBER,
        Better.LOWER,
        "Audit and inspection history; 0 findings score 1 and 5 or more score 0 (illustrative).",
        zero_at="5",
        one_at="0",
    ),
    _q(
        "crokit:dd-data-ownership",
        "Does the sponsor own all study data and get it back in a standard format (CDISC) at any time?",
        _TECHNOLOGY,
        _YES,
        Better.YES,
        "Data ownership and portability protect the sponsor if the relationship ends.",
    ),
    _q(
        "crokit:dd-business-continuity",
        "Do you have a tested business-continuity and disaster-recovery plan for study systems and data?",
        _TECHNOLOGY,
        _YES,
        Better.YES,
        "Ask when it was last tested.",
    ),
    _q(
        "crokit:dd-named-team",
        "Who will actually work on the study: will the contract name the project lead and key staff?",
        _TEAM,
        _YES,
        Better.YES,
        "The team presented in the bid defence is not always the team that runs the study.",
        weight="2",
    ),
    _q(
        "crokit:dd-team-turnover",
        "What was the annual turnover of your clinical staff last year (a fraction: 0.2 for 20%)?",
        _TEAM,
        _NUMBER,
        Better.LOWER,
        "High turnover means handovers and lost study knowledge; 0% scores 1 and 40% or more 0 (illustrative).",
        weight="2",
        zero_at="0.4",
        one_at="0",
    ),
    _q(
        "crokit:dd-project-lead-experience",
        "How many years of project-management experience does the proposed project lead have?",
        _TEAM,
        _NUMBER,
        Better.HIGHER,
        "0 years score 0 and 10 or more score 1 (illustrative).",
        zero_at="0",
        one_at="10",
    ),
    _q(
        "crokit:dd-escalation",
        "How well defined are the escalation and governance paths between the sponsor and the CRO (1 to 5)?",
        _TEAM,
        _SCALE,
        Better.HIGHER,
        "A joint steering committee and named escalation contacts.",
    ),
    _q(
        "crokit:dd-change-orders",
        "Are change orders priced from the contract's rate card, with no new rates after signature?",
        _PRICING,
        _YES,
        Better.YES,
        "How change orders are priced decides what the study finally costs.",
        weight="2",
    ),
    _q(
        "crokit:dd-rate-escalation",
        "What annual rate escalation does the proposal apply to multi-year work (a fraction: 0.03 for 3%)?",
        _PRICING,
        _NUMBER,
        Better.LOWER,
        "0% scores 1 and 6% or more score 0 (illustrative).",
        zero_at="0.06",
        one_at="0",
    ),
    _q(
        "crokit:dd-pass-through-fees",
        "Are pass-through costs billed at cost, without a management fee?",
        _PRICING,
        _YES,
        Better.YES,
        "Management fees on investigator grants and travel add up over a study.",
    ),
    _q(
        "crokit:dd-budget-assumptions",
        "Which assumptions (sites, patients, visits, monitoring frequency) is the budget built on?",
        _PRICING,
        _TEXT,
        Better.NONE,
        "Recorded as evidence for the bid grid; not scored.",
    ),
)
"""Due-diligence questions to ask a CRO, each tied to one of :data:`BUILTIN_CRITERIA`."""
