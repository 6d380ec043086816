"""What a provider is, offers, covers and has done: :class:`CroProfile`.

A profile is the sponsor's record of a candidate provider: its kind (a CDMO is not a
CRO), categories, size, services, geographic coverage, therapeutic experience with
evidence, technology platforms and their validation, team experience and regulatory
inspection history. Pricing proposals and due-diligence answers attach to it in the
pricing and selection layers.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from decimal import Decimal

import attrs

from crokit._convert import to_tuple
from crokit._decimal import to_decimal
from crokit._members import as_members
from crokit._typed import typed_fields
from crokit._validators import as_member, is_member, non_empty_text, slug, unique, unique_ids, whole_number
from crokit.errors import ValidationError
from crokit.units import Fraction, fraction, fraction_validator
from crokit.vocabulary.countries import normalize_country, region_countries
from crokit.vocabulary.ids import AreaId, CategoryId, RegulatorId, ServiceId, check_id
from crokit.vocabulary.lifecycle import Stage, _as_stage
from crokit.vocabulary.terms import ProviderKind, _as_provider_kind

__all__ = [
    "AreaExperience",
    "CroProfile",
    "Inspection",
    "InspectionOutcome",
    "SizeClass",
    "TeamExperience",
    "Technology",
    "TechnologyKind",
]


class SizeClass(enum.Enum):
    """A provider's size, as sponsors usually bucket it."""

    SMALL = "small"
    MID_SIZE = "mid-size"
    LARGE = "large"


def _as_size_class(value: object) -> object:
    """A converter: text (the value or name) to SizeClass member."""
    return as_member(SizeClass, value)


class TechnologyKind(enum.Enum):
    """Clinical technology platforms a provider may run."""

    EDC = "edc"
    ECOA = "ecoa"
    IRT = "irt"
    DCT = "dct"
    RBM = "rbm"
    CTMS = "ctms"
    ETMF = "etmf"
    SAFETY_DATABASE = "safety-database"


def _as_technology_kinds(value: Iterable[object]) -> tuple[object, ...]:
    """A converter: text (the value or name) to TechnologyKind members, as a tuple."""
    return as_members(TechnologyKind, value)


def _as_technology_kind(value: object) -> object:
    """A converter: text (the value or name) to TechnologyKind member."""
    return as_member(TechnologyKind, value)


class InspectionOutcome(enum.Enum):
    """The outcome of a regulatory inspection, on the FDA's three-level scale.

    Other agencies' findings map onto it: no findings or only minor ones to
    ``NO_ACTION``, major findings to ``VOLUNTARY_ACTION``, critical findings to
    ``OFFICIAL_ACTION``.
    """

    NO_ACTION = "no-action-indicated"
    VOLUNTARY_ACTION = "voluntary-action-indicated"
    OFFICIAL_ACTION = "official-action-indicated"


def _as_inspection_outcome(value: object) -> object:
    """A converter: text (the value or name) to InspectionOutcome member."""
    return as_member(InspectionOutcome, value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class AreaExperience:
    """Studies a provider has run in one therapeutic area and phase, with evidence.

    Attributes:
        area: Therapeutic-area id.
        phase: The phase of those studies.
        studies: How many studies.
        patients: How many patients they enrolled in total, if known.
        evidence: Where the claim comes from (a reference list, a case study).
    """

    area: AreaId = attrs.field(validator=lambda _i, a, v: check_id(v, path=a.name))
    phase: Stage = attrs.field(converter=_as_stage, validator=is_member(Stage))
    studies: int = attrs.field(validator=whole_number(0, 100_000))
    patients: int | None = attrs.field(default=None, validator=attrs.validators.optional(whole_number(0, 10**8)))
    evidence: str = attrs.field(default="")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Technology:
    """A technology platform a provider runs.

    Attributes:
        kind: What sort of platform.
        name: Product name (``"Medidata Rave"``, an in-house system's name).
        validated: Whether the provider holds computer-system validation for it
            (21 CFR Part 11 / EU Annex 11).
        evidence: Where the validation claim comes from.
    """

    kind: TechnologyKind = attrs.field(converter=_as_technology_kind, validator=is_member(TechnologyKind))
    name: str = attrs.field(validator=non_empty_text)
    validated: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    evidence: str = attrs.field(default="")


def _years_value(value: object) -> Decimal:
    return to_decimal(value, what="years")


def _years(_instance: object, attribute: attrs.Attribute[Decimal], value: Decimal) -> None:
    if not Decimal(0) <= value <= Decimal(60):
        raise ValidationError.at(attribute.name, f"expected years of experience from 0 to 60, got {value}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class TeamExperience:
    """The proposed team's experience.

    Attributes:
        average_years: Mean years of relevant experience of the proposed team.
        turnover_rate: Annual staff turnover of the provider, a fraction from 0 to 1
            (``"0.2"`` for 20% a year; 20 is refused with "did you mean 0.2 (20%)?").
        named_staff: Whether the proposal names the people who will work on the study.
    """

    average_years: Decimal = attrs.field(converter=_years_value, validator=_years)
    turnover_rate: Fraction = attrs.field(converter=fraction, validator=fraction_validator())
    named_staff: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Inspection:
    """One regulatory inspection of the provider.

    Attributes:
        regulator: Regulator id.
        year: Year of the inspection.
        outcome: Its classification.
        note: Free text (scope, findings).
    """

    regulator: RegulatorId = attrs.field(validator=lambda _i, a, v: check_id(v, path=a.name))
    year: int = attrs.field(validator=whole_number(1960, 2200))
    outcome: InspectionOutcome = attrs.field(converter=_as_inspection_outcome, validator=is_member(InspectionOutcome))
    note: str = attrs.field(default="")


def _country_list(_instance: object, attribute: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]) -> None:
    for index, code in enumerate(value):
        normalize_country(code, path=f"{attribute.name}[{index}]")
    unique(_instance, attribute, value)


def _region_list(_instance: object, attribute: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]) -> None:
    for index, region in enumerate(value):
        region_countries(region, path=f"{attribute.name}[{index}]")
    unique(_instance, attribute, value)


def _experience(
    _instance: object, attribute: attrs.Attribute[tuple[AreaExperience, ...]], value: tuple[AreaExperience, ...]
) -> None:
    seen: dict[tuple[str, Stage], int] = {}
    for index, item in enumerate(value):
        key = (item.area, item.phase)
        if key in seen:
            raise ValidationError.at(
                f"{attribute.name}[{index}]",
                f"{item.area} {item.phase.value} is already given at {attribute.name}[{seen[key]}]",
            )
        seen[key] = index


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CroProfile:
    """A candidate provider as the sponsor sees it.

    Attributes:
        id: A short id for the candidate (``"helix-cro"``).
        name: Its name.
        kind: What kind of provider it is; only research providers can be CRO candidates.
        categories: CRO category ids.
        size: Size class.
        services: Ids of the services it offers.
        countries: ISO 3166 codes of countries where it runs studies.
        regions: Region ids it covers in full (``"eu"``, ``"north-america"``).
        experience: Studies run by area and phase, with evidence.
        technologies: Platforms it runs, and whether each is validated.
        team: The proposed team's experience, if known.
        inspections: Regulatory inspection history.
        specialisms: Therapeutic areas it specialises in (for specialty CROs).
    """

    id: str = attrs.field(validator=slug)
    name: str = attrs.field(validator=non_empty_text)
    kind: ProviderKind = attrs.field(converter=_as_provider_kind, validator=is_member(ProviderKind))
    categories: tuple[CategoryId, ...] = attrs.field(default=(), converter=to_tuple, validator=unique_ids)
    size: SizeClass = attrs.field(converter=_as_size_class, default=SizeClass.MID_SIZE, validator=is_member(SizeClass))
    services: tuple[ServiceId, ...] = attrs.field(default=(), converter=to_tuple, validator=unique_ids)
    countries: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=_country_list)
    regions: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=_region_list)
    experience: tuple[AreaExperience, ...] = attrs.field(default=(), converter=to_tuple, validator=_experience)
    technologies: tuple[Technology, ...] = attrs.field(default=(), converter=to_tuple)
    team: TeamExperience | None = attrs.field(default=None)
    inspections: tuple[Inspection, ...] = attrs.field(default=(), converter=to_tuple)
    specialisms: tuple[AreaId, ...] = attrs.field(default=(), converter=to_tuple, validator=unique_ids)

    @property
    def country_codes(self) -> frozenset[str]:
        """Every country covered, as alpha-2 codes: the listed countries plus the regions' members."""
        codes = {normalize_country(code) for code in self.countries}
        for region in self.regions:
            codes |= region_countries(region)
        return frozenset(codes)

    def covers(self, countries: frozenset[str]) -> frozenset[str]:
        """The subset of *countries* (alpha-2 codes) this provider covers."""
        return countries & self.country_codes

    def studies_in(self, area: str, phase: Stage | None = None) -> int:
        """Studies run in *area* (and *phase*, if given)."""
        return sum(e.studies for e in self.experience if e.area == area and (phase is None or e.phase == phase))
