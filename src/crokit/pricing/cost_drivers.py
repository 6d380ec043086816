"""Cost driver values: one derived count (:class:`Driver`) and the full set (:class:`CostDrivers`).

A :class:`Driver` is one count a budget multiplies unit prices by, kept with its
formula, its inputs and its rounding rule; :class:`CostDrivers` holds every driver of a
study, looks one up by :class:`~crokit.UnitBasis`, and places costs and milestones on
the study's month timeline (described in :mod:`crokit.pricing.drivers`). Both are
built by :func:`~crokit.pricing.derive_drivers`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Final

import attrs

from crokit._convert import to_tuple
from crokit._decimal import TOO_LARGE, to_decimal
from crokit._typed import typed_fields, unchecked
from crokit._validators import non_empty_text, non_negative, whole_number
from crokit.errors import ValidationError
from crokit.vocabulary.lifecycle import Milestone
from crokit.vocabulary.terms import UnitBasis

__all__ = ["CostDrivers", "Driver"]

_EXPLICIT_BASES: Final = frozenset({UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH, UnitBasis.PER_SAMPLE})
_EXACT: Final = "none: exact whole number"


def _decimal_value(value: object) -> Decimal:
    return to_decimal(value, what="value")


def _tuples(value: object, path: str) -> tuple[Any, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError.at(path, f"expected a list of pairs, got {value!r}")
    return tuple(tuple(item) if isinstance(item, list | tuple) else item for item in value)


def _inputs(value: object) -> tuple[tuple[str, str], ...]:
    pairs = _tuples(value, "inputs")
    for index, pair in enumerate(pairs):
        if not isinstance(pair, tuple) or len(pair) != 2:  # noqa: PLR2004 - a (name, value) pair
            raise ValidationError.at(f"inputs[{index}]", f"expected a (name, value) pair, got {pair!r}")
    return tuple((str(name), str(text)) for name, text in pairs)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Driver:
    """One derived count, with how it was computed.

    Attributes:
        name: What is counted (``"patients screened"``).
        value: The count used for pricing, a whole number unless the unit is fractional.
        unit: The unit of one count (``"patient"``, ``"site-month"``).
        formula: The computation, written out with its numbers.
        inputs: Each input's name and value as text, in the order the formula uses them.
        rounding: The rule that made the count whole (``"ROUND_CEILING to a whole
            patient"``), or that it needed none.

    >>> Driver(name="sites", value=12, unit="site", formula="study.sites", rounding="none").value
    Decimal('12')
    """

    name: str = attrs.field(validator=non_empty_text)
    value: Decimal = attrs.field(converter=_decimal_value, validator=non_negative)
    unit: str = attrs.field(validator=non_empty_text)
    formula: str = attrs.field(validator=non_empty_text)
    inputs: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_inputs)
    rounding: str = attrs.field(validator=non_empty_text)

    @classmethod
    def _trusted(
        cls, *, name: str, value: int, unit: str, formula: str, inputs: tuple[tuple[str, str], ...], rounding: str
    ) -> Driver:
        """A driver :func:`~crokit.pricing.derive_drivers` computed from a checked study (no re-validation).

        Its texts are crokit's own, non-empty, and *inputs* already pairs of text; only a
        negative or too large count (which a checked study cannot give) goes through the
        public constructor, to be refused there. ``tests/pricing/test_trusted_drivers.py``
        rebuilds every derived driver through the constructor and requires it equal.
        """
        if not 0 <= value < TOO_LARGE:
            return cls(name=name, value=value, unit=unit, formula=formula, inputs=inputs, rounding=rounding)
        return unchecked(
            cls, name=name, value=Decimal(value), unit=unit, formula=formula, inputs=inputs, rounding=rounding
        )

    def __str__(self) -> str:
        """Render as ``'80 patient (ceil(60 / (1 - 0.25)))'``."""
        return f"{self.value} {self.unit} ({self.formula})"


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CostDrivers:
    """Every count a budget is priced on, each with its derivation.

    Build it with :func:`derive_drivers`. Months are counted from the study start
    (month 0); see :mod:`crokit.pricing.drivers` for the four periods.

    Attributes:
        sites_activated_per_month: Sites opening in each month of the study (one entry
            per month, zeros after the last activation).
        countries: Countries in the study.
        sites: Sites activated in all.
        active_site_months: Sum over sites of the months from activation to last
            patient out.
        planned_site_months: Sites times total months.
        patients_screened: Patients screened, rounded up.
        patients_enrolled: Patients enrolled (the study's plan).
        patients_completed: Patients completing, rounded down.
        patient_visits: Patient visits in the schedule, screening visits counted per
            patient screened, the others per patient enrolled.
        monitoring_visits: Monitoring visits to active sites, rounded up.
        crf_pages: CRF pages collected over all patient visits.
        tables_listings_figures: TLFs to program.
        startup_months: Months in start-up.
        enrolment_months: Months in enrolment.
        treatment_months: Months from last patient in to last patient out.
        closeout_months: Months in close-out.
        total_months: Months in the whole study.
        scheduled_visits: Visits in one patient's schedule (0 if the study lists none).
    """

    sites_activated_per_month: tuple[int, ...] = attrs.field(converter=to_tuple)
    countries: Driver
    sites: Driver
    active_site_months: Driver
    planned_site_months: Driver
    patients_screened: Driver
    patients_enrolled: Driver
    patients_completed: Driver
    patient_visits: Driver
    monitoring_visits: Driver
    crf_pages: Driver
    tables_listings_figures: Driver
    startup_months: Driver
    enrolment_months: Driver
    treatment_months: Driver
    closeout_months: Driver
    total_months: Driver
    scheduled_visits: int = attrs.field(validator=whole_number(0, 100_000))

    def __attrs_post_init__(self) -> None:
        """Check that the activation profile covers the whole study and opens every site."""
        profile: tuple[object, ...] = self.sites_activated_per_month
        if len(profile) != self._months:
            raise ValidationError.at(
                "sites_activated_per_month",
                f"expected one entry per study month ({self._months}), got {len(profile)}",
            )
        for index, sites in enumerate(profile):
            if isinstance(sites, bool) or not isinstance(sites, int) or sites < 0:
                raise ValidationError.at(
                    f"sites_activated_per_month[{index}]", f"expected a whole number of sites >= 0, got {sites!r}"
                )
        opened = sum(self.sites_activated_per_month)
        if opened != self.sites.value or not opened:
            raise ValidationError.at(
                "sites_activated_per_month", f"the profile opens {opened} sites, expected {self.sites.value} (>= 1)"
            )

    @property
    def _months(self) -> int:
        return int(self.total_months.value)

    @property
    def _startup(self) -> int:
        return int(self.startup_months.value)

    @property
    def _enrolment_end(self) -> int:
        return self._startup + int(self.enrolment_months.value)

    @property
    def _treatment_end(self) -> int:
        return self._enrolment_end + int(self.treatment_months.value)

    def get(self, basis: UnitBasis) -> Driver:
        """The driver that counts units of *basis*.

        Raises:
            ValidationError: For bases that no study fact counts (per hour, per FTE
                month, per sample, pass-through): they need an explicit quantity. Also
                for per-patient-visit and per-page when the study has no visit schedule.
        """
        if basis in _EXPLICIT_BASES or basis is UnitBasis.PASS_THROUGH:
            raise ValidationError.at(
                "basis",
                f"unit basis {basis.value} is not derived from the study: it needs an explicit quantity",
            )
        if basis in {UnitBasis.PER_PATIENT_VISIT, UnitBasis.PER_PAGE} and not self.scheduled_visits:
            raise ValidationError.at(
                "basis", f"unit basis {basis.value} needs the study's visit schedule, and the study lists no visits"
            )
        if basis is UnitBasis.PER_STUDY:
            return Driver(name="study", value=1, unit="study", formula="1", rounding=_EXACT)
        return self._by_basis()[basis]

    def _by_basis(self) -> dict[UnitBasis, Driver]:
        return {
            UnitBasis.PER_COUNTRY: self.countries,
            UnitBasis.PER_SITE: self.sites,
            UnitBasis.PER_SITE_MONTH: self.planned_site_months,
            UnitBasis.PER_ACTIVE_SITE_MONTH: self.active_site_months,
            UnitBasis.PER_PATIENT_SCREENED: self.patients_screened,
            UnitBasis.PER_PATIENT_ENROLLED: self.patients_enrolled,
            UnitBasis.PER_PATIENT_COMPLETED: self.patients_completed,
            UnitBasis.PER_PATIENT_VISIT: self.patient_visits,
            UnitBasis.PER_MONITORING_VISIT: self.monitoring_visits,
            UnitBasis.PER_PAGE: self.crf_pages,
            UnitBasis.PER_TABLE: self.tables_listings_figures,
            UnitBasis.PER_MONTH: self.total_months,
        }

    def months_for(self, basis: UnitBasis | None) -> tuple[int, ...]:
        """The study months a cost counted per *basis* falls in, for spreading it by month.

        A documented approximation: start-up work (per site, per country) falls in the
        activation or start-up months, per-patient work in enrolment (screened,
        enrolled) or from first patient in to last patient out (visits, pages, samples,
        completions, pass-through costs), site-month and monitoring work from the first
        activation to last patient out, tables in close-out, and anything else
        (per study, per month, time-based, no basis) over the whole study.
        """
        return self._spans.get(basis, self._spans[None])

    @functools.cached_property
    def _spans(self) -> dict[UnitBasis | None, tuple[int, ...]]:
        """The months of each basis, computed once per set of drivers."""
        first = next(month for month, sites in enumerate(self.sites_activated_per_month) if sites)
        spans: dict[UnitBasis | None, range] = {
            None: range(self._months),
            UnitBasis.PER_COUNTRY: range(self._startup),
            UnitBasis.PER_ACTIVE_SITE_MONTH: range(first, self._treatment_end),
            UnitBasis.PER_MONITORING_VISIT: range(first, self._treatment_end),
            UnitBasis.PER_PATIENT_SCREENED: range(self._startup, self._enrolment_end),
            UnitBasis.PER_PATIENT_ENROLLED: range(self._startup, self._enrolment_end),
            UnitBasis.PER_TABLE: range(self._treatment_end, self._months) or range(self._months - 1, self._months),
        }
        for conduct in (
            UnitBasis.PER_PATIENT_VISIT,
            UnitBasis.PER_PATIENT_COMPLETED,
            UnitBasis.PER_PAGE,
            UnitBasis.PER_SAMPLE,
            UnitBasis.PASS_THROUGH,
        ):
            spans[conduct] = range(self._startup, self._treatment_end)
        result = {basis: tuple(months) for basis, months in spans.items()}
        result[UnitBasis.PER_SITE] = tuple(month for month, sites in enumerate(self.sites_activated_per_month) if sites)
        return result

    def month_of(self, milestone: Milestone) -> int:
        """The study month a *milestone* falls in, from the timeline (a documented convention).

        Contract signed: month 0. First site activated: the first month with an
        activation. First patient in: the first enrolment month. 50% enrolled: the
        middle enrolment month (rounded down). Last patient in: the last enrolment
        month. Last patient out: the last treatment month. Database lock: the first
        close-out month. Topline results: the month after database lock. Clinical
        study report, submission and approval: the last study month. Each is capped
        at the last study month.
        """
        months = self._milestone_months
        last = self._months - 1
        return min(months.get(milestone, last), last)

    @functools.cached_property
    def _milestone_months(self) -> dict[Milestone, int]:
        """The timeline's month of each milestone it places (see :meth:`month_of`), computed once."""
        last = self._months - 1
        database_lock = min(self._treatment_end, last)
        return {
            Milestone.CONTRACT_SIGNED: 0,
            Milestone.FIRST_SITE_ACTIVATED: next(
                month for month, sites in enumerate(self.sites_activated_per_month) if sites
            ),
            Milestone.FIRST_PATIENT_IN: self._startup,
            Milestone.HALF_ENROLLED: self._startup + (int(self.enrolment_months.value) + 1) // 2 - 1,
            Milestone.LAST_PATIENT_IN: self._enrolment_end - 1,
            Milestone.LAST_PATIENT_OUT: self._treatment_end - 1,
            Milestone.DATABASE_LOCK: database_lock,
            Milestone.TOPLINE_RESULTS: min(database_lock + 1, last),
        }
