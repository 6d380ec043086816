"""What an import read, what it assumed, and what it could not use.

Readers of other formats (:func:`~crokit.interop.read_usdm`,
:func:`~crokit.interop.read_ctgov`) return an :class:`ImportReport` rather than a bare
:class:`~crokit.Study`: a protocol file never says everything a CRO budget needs (the
sponsor's currency, the expected dropout rate, CRF pages per visit, ...), and crokit
never fills a gap silently. Every Study field the file did not give is listed as an
:class:`Assumption` with the value used and why, so the user knows what to check.

The values used for missing facts come from :class:`ImportDefaults`; pass your own to
change them. Defaults are used only where the file is silent: they never override what
the file says.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, Final, TypeVar

import attrs

from crokit._convert import to_tuple
from crokit._members import as_member
from crokit._typed import typed_fields
from crokit._validators import is_date, non_empty_text, whole_number
from crokit.errors import UnknownCurrencyError, ValidationError
from crokit.money import validate_currency
from crokit.study import Complexity, Study
from crokit.vocabulary.countries import normalize_country
from crokit.vocabulary.lifecycle import Stage

__all__ = ["Assumption", "ImportDefaults", "ImportReport"]


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Assumption:
    """A Study field the source did not provide, and the value crokit filled in.

    Attributes:
        field: The Study field, as a path (``"currency"``, ``"visits[*].crf_pages"``).
        value: The value used, as text (``"USD"``).
        reason: Why that value was used, and what to check.
    """

    field: str
    value: str
    reason: str

    def __str__(self) -> str:
        """Render as ``field = value (reason)``."""
        return f"{self.field} = {self.value} ({self.reason})"


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ImportReport:
    """The result of reading a study from another format.

    Attributes:
        source: Where the data came from (a file path), or ``""``.
        format: The format read, with its version (``"USDM 4.0.0"``, ``"ClinicalTrials.gov API v2"``).
        study: The study built from the data.
        filled: Every Study field the data did not give, with the value used and why.
        unread: Data found in the source that crokit could not use (an unknown
            country name, a region that is not a country, ...), each as ``"path: what"``.
        notes: How the data was read (which field a value came from, how a value was
            derived), for review.
    """

    source: str
    format: str
    study: Study
    filled: tuple[Assumption, ...] = attrs.field(default=(), converter=to_tuple)
    unread: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    notes: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)

    def assumed(self, field: str) -> Assumption | None:
        """The assumption made for *field*, or ``None`` if the source gave it."""
        return next((a for a in self.filled if a.field == field), None)

    def summary(self) -> str:
        """A readable, multi-line account of the import, for review."""
        lines = [f"Read {self.study.name!r} from {self.source or 'data'} ({self.format})."]
        if self.filled:
            lines.append("Assumed (check these):")
            lines.extend(f"  - {item}" for item in self.filled)
        if self.unread:
            lines.append("Not used:")
            lines.extend(f"  - {item}" for item in self.unread)
        if self.notes:
            lines.append("Notes:")
            lines.extend(f"  - {item}" for item in self.notes)
        return "\n".join(lines)


E = TypeVar("E", bound=enum.Enum)

_STUDY_STAGES: Final = tuple(stage for stage in Stage if stage.is_clinical or stage is Stage.PRECLINICAL)


def _member(kind: type[E], name: str, choices: tuple[E, ...], value: object) -> E | None:
    """``None``, a member of *kind* among *choices*, or the text value or name of one; else an error at *name*."""
    if value is None:
        return None
    converted = as_member(kind, value)
    found = converted if isinstance(converted, kind) else None
    if found is None or found not in choices:
        listed = ", ".join(str(c.value) for c in choices)
        raise ValidationError.at(name, f"expected one of {listed}, got {value!r}")
    return found


def _phase(value: object) -> Stage | None:
    """A converter: ``None``, a stage, or its text value or name (``"phase-3"``); :func:`_study_phase` checks it."""
    return _member(Stage, "phase", tuple(Stage), value)


def _study_phase(_instance: object, _attribute: attrs.Attribute[Any], value: Stage | None) -> None:
    if value is not None and value not in _STUDY_STAGES:
        listed = ", ".join(str(c.value) for c in _STUDY_STAGES)
        raise ValidationError.at("phase", f"expected a study phase, one of {listed}, got {value.value!r}")


def _complexity(value: object) -> Complexity | None:
    """A converter: ``None``, a complexity, or its text value (``"high"``)."""
    return _member(Complexity, "complexity", tuple(Complexity), value)


def _countries(value: object) -> tuple[str, ...]:
    """A converter: a list of ISO 3166 alpha-2 or alpha-3 codes, as alpha-2 codes."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError.at(
            "countries", f"expected a list of ISO 3166 country codes such as ['US'], got {value!r}"
        )
    codes = tuple(normalize_country(code, path=f"countries[{index}]") for index, code in enumerate(value))
    if not codes:
        raise ValidationError.at("countries", "expected at least one country (ISO 3166 code such as 'US')")
    return tuple(dict.fromkeys(codes))


def _currency(_instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    try:
        validate_currency(value)
    except UnknownCurrencyError as exc:
        raise ValidationError.at("currency", str(exc)) from None


def _optional(check: Callable[[Any, attrs.Attribute[Any], Any], None]) -> Callable[[Any, Any, Any], None]:
    def validate(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            check(instance, attribute, value)

    return validate


@attrs.frozen(kw_only=True)
class ImportDefaults:
    """The values an import uses for facts its source does not state.

    Each is used only when the source is silent, and each use is reported as an
    :class:`Assumption`.

    Attributes:
        phase: The phase, if the source has none. ``None`` (the default) makes a
            source without a phase an error: crokit does not guess a phase.
        therapeutic_area: The area id or alias, if none can be read or mapped from the
            source. ``None`` makes that an error.
        indication: The indication, if the source names none. ``None`` makes that an error.
        planned_patients: The enrolment, if the source gives none. ``None`` makes that an error.
        sites: The number of sites, if the source lists none. ``None`` (the default)
            derives it from the enrolment and :attr:`patients_per_site`.
        patients_per_site: Patients per site used to derive the number of sites
            (10, a round planning figure; at most one site per patient).
        countries: ISO 3166 codes used if neither the source nor the addresses of its
            sites or sponsor name a country (``("US",)``); kept as alpha-2 codes.
        start_date: The start date, if the source has none. ``None`` (the default) makes
            a source without a usable date an error: crokit has no hidden "today".
        currency: The ISO 4217 currency the sponsor budgets in (``"USD"``); study
            protocols and registries never state one.
        complexity: The protocol complexity. ``None`` (the default) uses ``HIGH`` when the
            source marks the design adaptive, ``MODERATE`` otherwise.

    Every field is checked like any other crokit model: a count must be a whole number
    (not a float, text or ``True``), a phase or complexity a member or its text value,
    countries a list of ISO 3166 codes (kept as alpha-2), the currency an ISO 4217 code;
    anything else raises :class:`~crokit.errors.ValidationError` naming the field.

    >>> ImportDefaults(planned_patients=120.0)
    Traceback (most recent call last):
    ...
    crokit.errors.ValidationError: planned_patients: expected a whole number from 1 to 10000000, got 120.0
    """

    phase: Stage | None = attrs.field(default=None, converter=_phase, validator=_study_phase)
    therapeutic_area: str | None = attrs.field(default=None, validator=_optional(non_empty_text))
    indication: str | None = attrs.field(default=None, validator=_optional(non_empty_text))
    planned_patients: int | None = attrs.field(default=None, validator=_optional(whole_number(1, 10_000_000)))
    sites: int | None = attrs.field(default=None, validator=_optional(whole_number(1, 100_000)))
    patients_per_site: int = attrs.field(default=10, validator=whole_number(1, 10_000_000))
    countries: tuple[str, ...] = attrs.field(default=("US",), converter=_countries)
    start_date: date | None = attrs.field(default=None, validator=_optional(is_date))
    currency: str = attrs.field(default="USD", validator=_currency)
    complexity: Complexity | None = attrs.field(default=None, converter=_complexity)
