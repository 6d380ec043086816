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

from datetime import date

import attrs

from crokit._convert import to_tuple
from crokit._members import is_member
from crokit.study import Complexity, Study, _as_complexity
from crokit.vocabulary.lifecycle import Stage, _as_stage

__all__ = ["Assumption", "ImportDefaults", "ImportReport"]


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
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
        countries: ISO 3166 codes used if the source names no country (``("US",)``).
        start_date: The start date, if the source has none. ``None`` (the default) uses
            the day of the import.
        currency: The ISO 4217 currency the sponsor budgets in (``"USD"``); study
            protocols and registries never state one.
        complexity: The protocol complexity. ``None`` (the default) uses ``HIGH`` when the
            source marks the design adaptive, ``MODERATE`` otherwise.
    """

    phase: Stage | None = attrs.field(
        default=None,
        converter=_as_stage,
        validator=attrs.validators.optional(is_member(Stage)),
    )
    therapeutic_area: str | None = None
    indication: str | None = None
    planned_patients: int | None = None
    sites: int | None = None
    patients_per_site: int = attrs.field(default=10, validator=attrs.validators.ge(1))
    countries: tuple[str, ...] = attrs.field(default=("US",), converter=to_tuple)
    start_date: date | None = None
    currency: str = "USD"
    complexity: Complexity | None = attrs.field(
        default=None,
        converter=_as_complexity,
        validator=attrs.validators.optional(is_member(Complexity)),
    )
