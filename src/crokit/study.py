"""A clinical (or preclinical) study: what a sponsor asks CROs to price and run.

A :class:`Study` holds the facts every cost driver is derived from: phase, area,
patients, sites, countries, dates, the visit schedule, expected screen-failure and
dropout rates, the services the sponsor needs, the protocol's complexity and the
currency the sponsor budgets in. It checks its own consistency; ids are checked
against a registry by :func:`crokit.serialization` when loaded, or by
:meth:`crokit.Registry` lookups when priced.
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from crokit._convert import to_tuple
from crokit._decimal import CONTEXT, to_decimal
from crokit._typed import typed_fields
from crokit._validators import (
    as_member,
    before_calendar_end,
    is_member,
    non_empty_text,
    rate_below_one,
    slug,
    unique,
    unique_ids,
    whole_number,
)
from crokit.errors import ValidationError
from crokit.money import validate_currency
from crokit.vocabulary.countries import normalize_country
from crokit.vocabulary.ids import AreaId, ServiceId, check_id
from crokit.vocabulary.lifecycle import Stage, _as_stage

__all__ = ["Complexity", "Study", "Visit", "VisitKind"]

_STUDY_STAGES = frozenset(stage for stage in Stage if stage.is_clinical) | {Stage.PRECLINICAL}


class Complexity(enum.Enum):
    """How demanding a protocol is to run; drives monitoring and data-management effort.

    - ``LOW``: few procedures per visit, standard endpoints, no specialty assessments.
    - ``MODERATE``: a typical protocol; some specialty procedures or central reads.
    - ``HIGH``: many procedures per visit, complex endpoints (imaging, biomarkers, PK
      sampling), adaptive design elements.
    - ``VERY_HIGH``: first-in-class or rare-disease protocols with novel endpoints,
      long follow-up, intensive sampling or complex logistics (cell and gene therapy).
    """

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    VERY_HIGH = "very-high"


def _as_complexity(value: object) -> object:
    """A converter: text (the value or name) to Complexity member."""
    return as_member(Complexity, value)


class VisitKind(enum.Enum):
    """The role a visit plays in the schedule."""

    SCREENING = "screening"
    BASELINE = "baseline"
    TREATMENT = "treatment"
    FOLLOW_UP = "follow-up"
    END_OF_STUDY = "end-of-study"


def _as_visit_kind(value: object) -> object:
    """A converter: text (the value or name) to VisitKind member."""
    return as_member(VisitKind, value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Visit:
    """One planned patient visit.

    Attributes:
        id: A short id unique within the schedule (``"week-4"``).
        name: Readable name (``"Week 4"``).
        day: Planned study day relative to day 1 (first dose or randomisation);
            screening visits have negative days.
        kind: The visit's role.
        window_days: Allowed deviation either side, in days.
        crf_pages: Case-report-form pages collected at the visit (drives data
            management priced per page).
        procedures: Names of the procedures done at the visit.
        remote: Whether the visit is done remotely (a decentralised visit).
    """

    id: str = attrs.field(validator=slug)
    name: str = attrs.field(validator=non_empty_text)
    day: int = attrs.field(validator=whole_number(-3650, 36500))
    kind: VisitKind = attrs.field(converter=_as_visit_kind, default=VisitKind.TREATMENT, validator=is_member(VisitKind))
    window_days: int = attrs.field(default=0, validator=whole_number(0, 3650))
    crf_pages: int = attrs.field(default=0, validator=whole_number(0, 10_000))
    procedures: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    remote: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))


def _countries(_instance: object, attribute: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]) -> None:
    if not value:
        raise ValidationError.at(attribute.name, "expected at least one country (ISO 3166 code such as 'US')")
    seen: dict[str, int] = {}
    for index, code in enumerate(value):
        alpha2 = normalize_country(code, path=f"{attribute.name}[{index}]")
        if alpha2 in seen:
            raise ValidationError.at(
                f"{attribute.name}[{index}]", f"{code!r} is the same country as {attribute.name}[{seen[alpha2]}]"
            )
        seen[alpha2] = index


def _visits(_instance: object, attribute: attrs.Attribute[tuple[Visit, ...]], value: tuple[Visit, ...]) -> None:
    ids: dict[str, int] = {}
    for index, visit in enumerate(value):
        if not isinstance(visit, Visit):
            raise ValidationError.at(f"{attribute.name}[{index}]", f"expected a Visit, got {visit!r}")
        if visit.id in ids:
            raise ValidationError.at(
                f"{attribute.name}[{index}].id", f"{visit.id!r} is already used by {attribute.name}[{ids[visit.id]}]"
            )
        ids[visit.id] = index
        if index and visit.day < value[index - 1].day:
            raise ValidationError.at(
                f"{attribute.name}[{index}].day",
                f"visits must be in schedule order: day {visit.day} comes before day {value[index - 1].day}",
            )


def _rate(value: object) -> Decimal:
    return to_decimal(value, what="rate")


def _phase(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in _STUDY_STAGES:
        allowed = ", ".join(stage.value for stage in Stage if stage in _STUDY_STAGES)
        raise ValidationError.at(attribute.name, f"expected a study phase ({allowed}), got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Study:
    """A study a sponsor plans to outsource.

    Attributes:
        name: The study's name or title.
        phase: Its lifecycle stage: preclinical or a clinical phase.
        therapeutic_area: Area id (``crokit:rare-disease``).
        indication: The disease or condition studied.
        planned_patients: Patients to enrol (>= 1).
        sites: Sites to activate (>= 1).
        countries: ISO 3166 alpha-2 or alpha-3 codes, each country once.
        start_date: Planned start (contract signature or protocol approval).
        end_date: Planned end (final report), if known; after ``start_date``.
        visits: The visit schedule of one patient, in day order.
        screen_failure_rate: Expected share of screened patients who fail screening, in [0, 1).
        dropout_rate: Expected share of enrolled patients who do not complete, in [0, 1).
        required_services: Ids of the services the sponsor needs from a CRO.
        complexity: How demanding the protocol is.
        currency: The ISO 4217 currency the sponsor budgets in.
        protocol_id: The sponsor's protocol number, if any.
        sponsor: The sponsor's name, if given.

    >>> from datetime import date
    >>> study = Study(
    ...     name="RD-201", phase=Stage.PHASE_2, therapeutic_area="crokit:rare-disease",
    ...     indication="Fabry disease", planned_patients=60, sites=12, countries=("US", "DE"),
    ...     start_date=date(2027, 1, 4), currency="USD",
    ... )
    >>> study.screened_patients()
    Decimal('60')
    """

    name: str = attrs.field(validator=non_empty_text)
    phase: Stage = attrs.field(converter=_as_stage, validator=_phase)
    therapeutic_area: AreaId = attrs.field(validator=lambda _i, a, v: check_id(v, path=a.name))
    indication: str = attrs.field(validator=non_empty_text)
    planned_patients: int = attrs.field(validator=whole_number(1, 10_000_000))
    sites: int = attrs.field(validator=whole_number(1, 100_000))
    countries: tuple[str, ...] = attrs.field(converter=to_tuple, validator=_countries)
    start_date: date = attrs.field(validator=before_calendar_end)
    currency: str = attrs.field(validator=lambda _i, _a, v: validate_currency(v))
    end_date: date | None = attrs.field(default=None, validator=before_calendar_end)
    visits: tuple[Visit, ...] = attrs.field(default=(), converter=to_tuple, validator=_visits)
    screen_failure_rate: Decimal = attrs.field(default=Decimal(0), converter=_rate, validator=rate_below_one)
    dropout_rate: Decimal = attrs.field(default=Decimal(0), converter=_rate, validator=rate_below_one)
    required_services: tuple[ServiceId, ...] = attrs.field(default=(), converter=to_tuple, validator=unique_ids)
    complexity: Complexity = attrs.field(
        default=Complexity.MODERATE,
        converter=_as_complexity,
        validator=is_member(Complexity),
    )
    protocol_id: str | None = attrs.field(default=None, validator=attrs.validators.optional(non_empty_text))
    sponsor: str | None = attrs.field(default=None, validator=attrs.validators.optional(non_empty_text))

    def __attrs_post_init__(self) -> None:
        """Check the rules that tie fields together."""
        if self.end_date is not None and self.end_date <= self.start_date:
            raise ValidationError.at(
                "end_date", f"expected a date after start_date {self.start_date}, got {self.end_date}"
            )
        if self.sites > self.planned_patients:
            raise ValidationError.at(
                "sites", f"{self.sites} sites for {self.planned_patients} patients leaves sites with no patient"
            )
        unique(self, attrs.fields(Study).countries, self.countries)

    @property
    def country_codes(self) -> frozenset[str]:
        """The study's countries as ISO 3166 alpha-2 codes."""
        return frozenset(normalize_country(code) for code in self.countries)

    def screened_patients(self) -> Decimal:
        """Patients expected to be screened: enrolled / (1 - screen-failure rate), unrounded."""
        return CONTEXT.divide(Decimal(self.planned_patients), Decimal(1) - self.screen_failure_rate)

    def completed_patients(self) -> Decimal:
        """Patients expected to complete: enrolled x (1 - dropout rate), unrounded."""
        return CONTEXT.multiply(Decimal(self.planned_patients), Decimal(1) - self.dropout_rate)
