"""The entries of crokit's open vocabularies: services, categories, areas, agencies.

Each is a frozen, keyword-only attrs value with a namespaced ``id``. Downstream packages
add new *instances* through the :class:`~crokit.Registry`, never subclasses. The
closed sets (provider kinds, unit bases) are enums.

Every entry class names its registry kind in ``registry_kind``; the registry uses it to
file the entry and to word its errors ("unknown service ...").
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, ClassVar

import attrs

from crokit._convert import to_tuple
from crokit._members import as_member, as_member_set, is_member
from crokit._typed import typed_fields
from crokit.errors import ValidationError
from crokit.vocabulary.ids import (
    AreaId,
    CategoryId,
    EngagementModelId,
    RegulatorId,
    ServiceId,
    SubmissionId,
    check_id,
)
from crokit.vocabulary.lifecycle import Stage, _as_stage, _as_stage_set

__all__ = [
    "CroCategory",
    "EngagementModel",
    "ProviderKind",
    "Regulator",
    "Service",
    "Submission",
    "TherapeuticArea",
    "UnitBasis",
]


def _id(_instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    check_id(value, path=attribute.name)


def _text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError.at(attribute.name, f"expected a non-empty text, got {value!r}")


def _ids(_instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for index, item in enumerate(value):
        check_id(item, path=f"{attribute.name}[{index}]")
    if len(set(value)) != len(value):
        raise ValidationError.at(attribute.name, f"lists an id more than once: {list(value)}")


def _stages(_instance: object, attribute: attrs.Attribute[Any], value: frozenset[Stage]) -> None:
    for item in value:
        if not isinstance(item, Stage):
            raise ValidationError.at(attribute.name, f"expected lifecycle stages, got {item!r}")


class ProviderKind(enum.Enum):
    """What kind of organisation a provider is. A CDMO is not a CRO.

    ``conducts_research`` is true for the kinds that sell research services
    (CRO, SMO, central lab, academic research organization).
    """

    CRO = "cro"
    CDMO = "cdmo"
    CMO = "cmo"
    SMO = "smo"
    CENTRAL_LAB = "central-lab"
    TECHNOLOGY_VENDOR = "technology-vendor"
    ARO = "aro"

    @property
    def label(self) -> str:
        """A readable name."""
        return _KIND_LABELS[self]

    @property
    def conducts_research(self) -> bool:
        """Whether this kind of provider sells research services (a CDMO or CMO does not)."""
        return self in {ProviderKind.CRO, ProviderKind.SMO, ProviderKind.CENTRAL_LAB, ProviderKind.ARO}


def _as_provider_kind(value: object) -> object:
    """A converter: text (the value or name) to ProviderKind member."""
    return as_member(ProviderKind, value)


_KIND_LABELS = {
    ProviderKind.CRO: "Contract research organization (CRO)",
    ProviderKind.CDMO: "Contract development and manufacturing organization (CDMO)",
    ProviderKind.CMO: "Contract manufacturing organization (CMO)",
    ProviderKind.SMO: "Site management organization (SMO)",
    ProviderKind.CENTRAL_LAB: "Central laboratory",
    ProviderKind.TECHNOLOGY_VENDOR: "Clinical technology vendor",
    ProviderKind.ARO: "Academic research organization (ARO)",
}


class UnitBasis(enum.Enum):
    """What one unit of a unit price counts.

    The difference between a planned and an active site-month matters: a CRO that bills
    ``PER_SITE_MONTH`` bills every planned site for every month of the study, one that
    bills ``PER_ACTIVE_SITE_MONTH`` only sites that are open.
    """

    PER_STUDY = "per-study"
    PER_COUNTRY = "per-country"
    PER_SITE = "per-site"
    PER_SITE_MONTH = "per-site-month"
    PER_ACTIVE_SITE_MONTH = "per-active-site-month"
    PER_PATIENT_SCREENED = "per-patient-screened"
    PER_PATIENT_ENROLLED = "per-patient-enrolled"
    PER_PATIENT_COMPLETED = "per-patient-completed"
    PER_PATIENT_VISIT = "per-patient-visit"
    PER_MONITORING_VISIT = "per-monitoring-visit"
    PER_PAGE = "per-page"
    PER_TABLE = "per-table"
    PER_SAMPLE = "per-sample"
    PER_MONTH = "per-month"
    PER_HOUR = "per-hour"
    PER_FTE_MONTH = "per-fte-month"
    PASS_THROUGH = "pass-through"


def _as_unit_basis_set(value: Iterable[object]) -> frozenset[object]:
    """A converter: text (the value or name) to UnitBasis members, as a frozenset."""
    return as_member_set(UnitBasis, value)


def _as_unit_basis(value: object) -> object:
    """A converter: text (the value or name) to UnitBasis member."""
    return as_member(UnitBasis, value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class TherapeuticArea:
    """A therapeutic area, with the other names the sources use for it.

    Attributes:
        id: Canonical namespaced id (``crokit:oncology``).
        name: Readable name.
        aliases: Other names for the area in published sources and data standards
            (``"anti-infective"`` for infectious disease), matched case-insensitively.
        parent: The broader area this one belongs to, if any (neurology within
            central nervous system).
    """

    registry_kind: ClassVar[str] = "area"

    id: AreaId = attrs.field(validator=_id)
    name: str = attrs.field(validator=_text)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    parent: AreaId | None = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        """Check the parent id's form."""
        if self.parent is not None:
            check_id(self.parent, path="parent")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Service:
    """A service CROs sell (monitoring, biostatistics, toxicology, ...).

    Attributes:
        id: Namespaced id (``crokit:biostatistics``).
        name: Readable name.
        description: What the service covers.
        stages: The lifecycle stages the service applies to.
        categories: Ids of the CRO categories that typically offer it.
        unit_bases: How it is usually priced.
    """

    registry_kind: ClassVar[str] = "service"

    id: ServiceId = attrs.field(validator=_id)
    name: str = attrs.field(validator=_text)
    description: str = attrs.field(validator=_text)
    stages: frozenset[Stage] = attrs.field(converter=_as_stage_set, validator=_stages)
    categories: tuple[CategoryId, ...] = attrs.field(default=(), converter=to_tuple, validator=_ids)
    unit_bases: frozenset[UnitBasis] = attrs.field(default=frozenset(), converter=_as_unit_basis_set)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CroCategory:
    """A kind of CRO (full-service, specialty, preclinical, ...). Not exclusive.

    Attributes:
        id: Namespaced id (``crokit:full-service``).
        name: Readable name.
        description: What such CROs do.
        stages: The stages such CROs serve.
        typical_services: Ids of the services such CROs typically sell.
        focus_areas: Therapeutic areas the category specialises in (specialty CROs).
    """

    registry_kind: ClassVar[str] = "category"

    id: CategoryId = attrs.field(validator=_id)
    name: str = attrs.field(validator=_text)
    description: str = attrs.field(validator=_text)
    stages: frozenset[Stage] = attrs.field(converter=_as_stage_set, validator=_stages)
    typical_services: tuple[ServiceId, ...] = attrs.field(default=(), converter=to_tuple, validator=_ids)
    focus_areas: tuple[AreaId, ...] = attrs.field(default=(), converter=to_tuple, validator=_ids)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Regulator:
    """A regulatory agency.

    Attributes:
        id: Namespaced id (``crokit:fda``).
        name: Full name.
        short_name: The abbreviation people use (``"FDA"``).
        jurisdiction: ISO 3166 alpha-2 codes of the countries it covers.
    """

    registry_kind: ClassVar[str] = "regulator"

    id: RegulatorId = attrs.field(validator=_id)
    name: str = attrs.field(validator=_text)
    short_name: str = attrs.field(validator=_text)
    jurisdiction: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Submission:
    """A regulatory submission and the stage it gates.

    Attributes:
        id: Namespaced id (``crokit:ind``).
        name: Full name (``"Investigational New Drug application"``).
        short_name: Abbreviation (``"IND"``).
        regulators: Ids of the agencies that receive it.
        gates: The stage the submission opens: a program may not start that stage in
            the agency's jurisdiction before the submission is accepted (or, for a
            marketing application, the stage it leads to).
    """

    registry_kind: ClassVar[str] = "submission"

    id: SubmissionId = attrs.field(validator=_id)
    name: str = attrs.field(validator=_text)
    short_name: str = attrs.field(validator=_text)
    regulators: tuple[RegulatorId, ...] = attrs.field(converter=to_tuple, validator=_ids)
    gates: Stage = attrs.field(converter=_as_stage, validator=is_member(Stage))


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class EngagementModel:
    """How a sponsor engages a CRO: full-service outsourcing, functional service provision, ...

    Attributes:
        id: Namespaced id (``crokit:fsp``).
        name: Readable name.
        description: What the model means in practice and who carries which risk.
        parent: The broader model this is a variant of (FSP variants name ``crokit:fsp``).
    """

    registry_kind: ClassVar[str] = "engagement-model"

    id: EngagementModelId = attrs.field(validator=_id)
    name: str = attrs.field(validator=_text)
    description: str = attrs.field(validator=_text)
    parent: EngagementModelId | None = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        """Check the parent id's form."""
        if self.parent is not None:
            check_id(self.parent, path="parent")
