"""crokit's vocabulary: the words every other module uses.

Lifecycle stages and milestones, services, CRO categories, therapeutic areas,
regulators, submissions, provider kinds, engagement models, countries and the code
bridges to data standards.

Closed sets are enums (:class:`Stage`, :class:`Milestone`, :class:`ProviderKind`,
:class:`UnitBasis`); open ones are registry data (:class:`Service`,
:class:`CroCategory`, ...) that downstream packages extend through the
:class:`~crokit.Registry`. crokit's own entries of the open vocabularies are TOML
files in ``crokit/vocabulary/data``, read on first use (see :mod:`crokit.vocabulary.loader`).
"""

from typing import TYPE_CHECKING, Any, cast

from crokit.vocabulary.codes import CTGOV_PHASES, NCI_PHASE_CODES, nci_code_for, stage_from_ctgov, stage_from_nci
from crokit.vocabulary.countries import COUNTRIES, REGIONS, Country, country, normalize_country, region_countries
from crokit.vocabulary.criteria import (
    AnswerType,
    Better,
    CriterionDirection,
    CriterionId,
    Question,
    QuestionId,
    SelectionCriterion,
)
from crokit.vocabulary.ids import (
    AreaId,
    CategoryId,
    EngagementModelId,
    RegulatorId,
    ServiceId,
    SubmissionId,
    check_id,
)
from crokit.vocabulary.lifecycle import TRANSITIONS, Milestone, Stage, check_path, check_transition
from crokit.vocabulary.obligations import Obligation
from crokit.vocabulary.terms import (
    CroCategory,
    EngagementModel,
    ProviderKind,
    Regulator,
    Service,
    Submission,
    TherapeuticArea,
    UnitBasis,
)

__all__ = [
    "BUILTIN_CRITERIA",
    "BUILTIN_QUESTIONS",
    "COUNTRIES",
    "CTGOV_PHASES",
    "NCI_PHASE_CODES",
    "REGIONS",
    "TRANSITIONS",
    "AnswerType",
    "AreaId",
    "Better",
    "CategoryId",
    "Country",
    "CriterionDirection",
    "CriterionId",
    "CroCategory",
    "EngagementModel",
    "EngagementModelId",
    "Milestone",
    "Obligation",
    "ProviderKind",
    "Question",
    "QuestionId",
    "Regulator",
    "RegulatorId",
    "SelectionCriterion",
    "Service",
    "ServiceId",
    "Stage",
    "Submission",
    "SubmissionId",
    "TherapeuticArea",
    "UnitBasis",
    "check_id",
    "check_path",
    "check_transition",
    "country",
    "nci_code_for",
    "normalize_country",
    "region_countries",
    "stage_from_ctgov",
    "stage_from_nci",
]

if TYPE_CHECKING:
    from crokit.vocabulary.criteria import BUILTIN_CRITERIA, BUILTIN_QUESTIONS


def __getattr__(name: str) -> tuple[Any, ...]:
    """Read ``BUILTIN_CRITERIA`` and ``BUILTIN_QUESTIONS`` from the built-in vocabulary on first use."""
    if name in {"BUILTIN_CRITERIA", "BUILTIN_QUESTIONS"}:
        from crokit.vocabulary import criteria

        return cast("tuple[Any, ...]", getattr(criteria, name))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
