"""The record of one import: the :class:`Collector` of assumptions, unread items and notes.

A reader fills every fact its source does not state from the
:class:`~crokit.interop.ImportDefaults` through a :class:`Collector`, which records each
filled value as an :class:`~crokit.interop.Assumption` (or raises
:class:`~crokit.errors.ValidationError` at the given path when no default exists), and
gathers the data the reader could not use and its notes on how values were read, for the
:class:`~crokit.interop.ImportReport`.
"""

from __future__ import annotations

import math
from datetime import date

import attrs

from crokit.errors import CrokitError, ValidationError
from crokit.interop.report import Assumption, ImportDefaults
from crokit.study import Complexity
from crokit.vocabulary.lifecycle import Stage

__all__ = ["Collector"]


@attrs.define
class Collector:
    """Gathers the assumptions, unread items and notes of one import."""

    defaults: ImportDefaults
    filled: list[Assumption] = attrs.field(factory=list)
    unread: list[str] = attrs.field(factory=list)
    notes: list[str] = attrs.field(factory=list)

    def not_read(self, error: CrokitError, what: str) -> None:
        """Record that data crokit does not need (*what*) was skipped because of *error*.

        Placeholders and invalid values in parts of a file crokit only reports on (an
        amendment's enrolment of 0 participants, an arm without a name) never stop an
        import: each is listed in :attr:`unread` with its path and the problem.
        """
        problems = error.problems if isinstance(error, ValidationError) else ()
        if problems:
            self.unread.extend(f"{p.path}: {what} not read ({p.message})" for p in problems)
        else:
            self.unread.append(f"{what} not read ({error})")

    def assume(self, field: str, value: object, reason: str) -> None:
        """Record that *field* was filled with *value* because of *reason*."""
        self.filled.append(Assumption(field=field, value=str(value), reason=reason))

    def phase(self, path: str) -> Stage:
        """The default phase, recorded as an assumption, or an error at *path*."""
        if self.defaults.phase is None:
            raise ValidationError.at(
                path, "missing: no study phase found; pass defaults=ImportDefaults(phase=...) to state one"
            )
        self.assume("phase", self.defaults.phase.value, "the source gives no phase; taken from the defaults")
        return self.defaults.phase

    def indication(self, path: str) -> str:
        """The default indication, recorded as an assumption, or an error at *path*."""
        if self.defaults.indication is None:
            raise ValidationError.at(
                path, "missing: no indication or condition found; pass defaults=ImportDefaults(indication=...)"
            )
        self.assume("indication", self.defaults.indication, "the source names no indication; taken from the defaults")
        return self.defaults.indication

    def planned_patients(self, path: str) -> int:
        """The default enrolment, recorded as an assumption, or an error at *path*."""
        if self.defaults.planned_patients is None:
            raise ValidationError.at(
                path, "missing: no planned enrolment found; pass defaults=ImportDefaults(planned_patients=...)"
            )
        self.assume(
            "planned_patients",
            self.defaults.planned_patients,
            "the source gives no planned enrolment; taken from the defaults",
        )
        return self.defaults.planned_patients

    def sites(self, patients: int) -> int:
        """The default number of sites for *patients*, recorded as an assumption."""
        if self.defaults.sites is not None:
            self.assume("sites", self.defaults.sites, "the source lists no sites; taken from the defaults")
            return self.defaults.sites
        per_site = self.defaults.patients_per_site
        sites = max(1, min(patients, math.ceil(patients / per_site)))
        self.assume(
            "sites",
            sites,
            f"the source lists no sites; {patients} patients at {per_site} patients per site "
            "(ImportDefaults.patients_per_site), rounded up",
        )
        return sites

    def countries(self) -> tuple[str, ...]:
        """The default countries, recorded as an assumption."""
        countries = self.defaults.countries
        self.assume("countries", ", ".join(countries), "the source names no country; taken from the defaults")
        return countries

    def start_date(self, path: str) -> date:
        """The default start date, recorded as an assumption, or an error at *path*.

        crokit has no hidden "today": a study without a usable date needs one stated.
        """
        if self.defaults.start_date is None:
            raise ValidationError.at(
                path, "missing: no usable study date found; pass defaults=ImportDefaults(start_date=...)"
            )
        self.assume("start_date", self.defaults.start_date, "the source gives no usable date; taken from the defaults")
        return self.defaults.start_date

    def currency(self) -> str:
        """The budget currency, always an assumption: sources never state one."""
        self.assume("currency", self.defaults.currency, "the source states no budget currency; taken from the defaults")
        return self.defaults.currency

    def complexity(self, *, adaptive: bool) -> Complexity:
        """The protocol complexity, always an assumption."""
        if self.defaults.complexity is not None:
            self.assume("complexity", self.defaults.complexity.value, "taken from the defaults")
            return self.defaults.complexity
        if adaptive:
            self.assume(
                "complexity",
                Complexity.HIGH.value,
                "the source states no complexity; the design is marked adaptive, which crokit's "
                "Complexity scale puts at high",
            )
            return Complexity.HIGH
        self.assume("complexity", Complexity.MODERATE.value, "the source states no complexity; crokit's default")
        return Complexity.MODERATE

    def rates_and_services(self) -> None:
        """Record the Study fields no protocol or registry record states."""
        self.assume(
            "screen_failure_rate", "0", "the source states no expected screen-failure rate; 0 screens only enrolees"
        )
        self.assume(
            "dropout_rate", "0", "the source states no expected dropout rate; 0 assumes every patient completes"
        )
        self.assume(
            "required_services", "(none)", "the source does not say which services the sponsor needs from a CRO"
        )
