"""Cost drivers: the counts a CRO budget multiplies unit prices by.

A budget is unit prices times counts: sites, site-months, patients screened, patient
visits, monitoring visits, CRF pages, tables. :func:`derive_drivers` computes every
count from a :class:`~crokit.Study` and explicit :class:`Assumptions` (durations,
monitoring frequency, site activation), and each count is a :class:`Driver` that keeps
its formula, its inputs and the rule used to make it a whole number, so a budget line
can always say how its quantity was reached.

The study's timeline is counted in whole months from the study start (month 0):

- start-up: months ``[0, S)``, where sites are selected, contracted and activated;
- enrolment: months ``[S, S + E)``, from first patient in to last patient in;
- treatment: months ``[S + E, S + E + T)``, until the last patient's last visit;
- close-out: months ``[S + E + T, S + E + T + C)``: site close-out, database lock,
  tables, report.

>>> from datetime import date
>>> from crokit import Stage, Study
>>> study = Study(
...     name="RD-201", phase=Stage.PHASE_2, therapeutic_area="crokit:rare-disease",
...     indication="Fabry disease", planned_patients=60, sites=12, countries=("US", "DE"),
...     start_date=date(2027, 1, 4), currency="USD", screen_failure_rate="0.25",
... )
>>> assumptions = Assumptions(
...     startup_months=4, enrolment_months=12, treatment_months=6, closeout_months=3,
...     monitoring_interval_weeks=6, tables_listings_figures=120, crf_pages_per_visit_default=10,
... )
>>> drivers = derive_drivers(study, assumptions)
>>> drivers.patients_screened.value
Decimal('80')
>>> drivers.sites_activated_per_month[:5]
(3, 3, 3, 3, 0)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

import attrs

from crokit._convert import to_tuple
from crokit._decimal import CONTEXT, to_decimal
from crokit._validators import non_empty_text, whole_number
from crokit.errors import ValidationError
from crokit.pricing.assumptions import Assumptions, SiteActivation
from crokit.study import Study, VisitKind
from crokit.vocabulary.lifecycle import Milestone
from crokit.vocabulary.terms import UnitBasis

__all__ = [
    "Assumptions",
    "CostDrivers",
    "Driver",
    "SiteActivation",
    "WEEKS_PER_MONTH",
    "derive_drivers",
]

WEEKS_PER_MONTH: Final = Fraction(52, 12)
"""Weeks in an average month, used to turn a monitoring interval in weeks into visits
per site-month: 52 weeks a year over 12 months (a convention, not data)."""

_EXPLICIT_BASES: Final = frozenset({UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH, UnitBasis.PER_SAMPLE})
_EXACT: Final = "none: exact whole number"


def _decimal_value(value: object) -> Decimal:
    return to_decimal(value, what="value")


def _non_negative(_instance: object, attribute: attrs.Attribute[Any], value: Decimal | None) -> None:
    if value is not None and value < 0:
        raise ValidationError.at(attribute.name, f"expected a number >= 0, got {value}")


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


@attrs.frozen(kw_only=True)
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
    value: Decimal = attrs.field(converter=_decimal_value, validator=_non_negative)
    unit: str = attrs.field(validator=non_empty_text)
    formula: str = attrs.field(validator=non_empty_text)
    inputs: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_inputs)
    rounding: str = attrs.field(validator=non_empty_text)

    def __str__(self) -> str:
        """Render as ``'80 patient (ceil(60 / (1 - 0.25)))'``."""
        return f"{self.value} {self.unit} ({self.formula})"


@attrs.frozen(kw_only=True)
class CostDrivers:
    """Every count a budget is priced on, each with its derivation.

    Build it with :func:`derive_drivers`. Months are counted from the study start
    (month 0); see the module docstring for the four periods.

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
        last = self._months - 1
        database_lock = min(self._treatment_end, last)
        months = {
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
        return min(months.get(milestone, last), last)


def _show(value: Fraction) -> str:
    """Exact rational as decimal text (34 significant digits if it does not terminate)."""
    if value.denominator == 1:
        return str(value.numerator)
    return str(CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator)))


def _activation(study: Study, assumptions: Assumptions) -> tuple[int, ...]:
    months = [0] * assumptions.total_months
    if assumptions.activation.is_even:
        base, extra = divmod(study.sites, assumptions.startup_months)
        for month in range(assumptions.startup_months):
            months[month] = base + (1 if month < extra else 0)
        return tuple(months)
    plan = assumptions.activation.plan
    enrolment_end = assumptions.startup_months + assumptions.enrolment_months
    for index, (month, sites) in enumerate(plan):
        if month >= enrolment_end:
            raise ValidationError.at(
                f"activation.plan[{index}][0]",
                f"sites must open before enrolment ends (month {enrolment_end - 1} at the latest), got month {month}",
            )
        months[month] = sites
    planned = sum(sites for _, sites in plan)
    if planned != study.sites:
        raise ValidationError.at(
            "activation.plan", f"the plan opens {planned} sites, but the study has {study.sites} sites"
        )
    return tuple(months)


def _count(name: str, value: int, unit: str, formula: str, *inputs: tuple[str, object]) -> Driver:
    return Driver(
        name=name,
        value=value,
        unit=unit,
        formula=formula,
        inputs=tuple((key, str(item)) for key, item in inputs),
        rounding=_EXACT,
    )


def _patients(study: Study) -> tuple[Driver, Driver, Driver]:
    enrolled = study.planned_patients
    screen_fail = study.screen_failure_rate
    dropout = study.dropout_rate
    screened_exact = Fraction(enrolled) / (1 - Fraction(screen_fail))
    completed_exact = Fraction(enrolled) * (1 - Fraction(dropout))
    screened = Driver(
        name="patients screened",
        value=math.ceil(screened_exact),
        unit="patient",
        formula=f"ceil(enrolled / (1 - screen_failure_rate)) = ceil({enrolled} / (1 - {screen_fail})) "
        f"= ceil({_show(screened_exact)})",
        inputs=(("enrolled", str(enrolled)), ("screen_failure_rate", str(screen_fail))),
        rounding="ROUND_CEILING to a whole patient: enough patients must be screened to enrol the plan",
    )
    completed = Driver(
        name="patients completed",
        value=math.floor(completed_exact),
        unit="patient",
        formula=f"floor(enrolled x (1 - dropout_rate)) = floor({enrolled} x (1 - {dropout})) "
        f"= floor({_show(completed_exact)})",
        inputs=(("enrolled", str(enrolled)), ("dropout_rate", str(dropout))),
        rounding="ROUND_FLOOR to a whole patient: a patient either completes or does not",
    )
    enrolled_driver = _count("patients enrolled", enrolled, "patient", "study.planned_patients", ("enrolled", enrolled))
    return screened, enrolled_driver, completed


def _visits(study: Study, assumptions: Assumptions, screened: int) -> tuple[Driver, Driver]:
    enrolled = study.planned_patients
    screening = [visit for visit in study.visits if visit.kind is VisitKind.SCREENING]
    others = [visit for visit in study.visits if visit.kind is not VisitKind.SCREENING]
    default = assumptions.crf_pages_per_visit_default
    visits = len(screening) * screened + len(others) * enrolled
    screening_pages = sum(visit.crf_pages or default for visit in screening)
    other_pages = sum(visit.crf_pages or default for visit in others)
    pages = screening_pages * screened + other_pages * enrolled
    defaulted = sum(1 for visit in study.visits if not visit.crf_pages)
    patient_visits = _count(
        "patient visits",
        visits,
        "patient visit",
        f"screening visits x screened + other visits x enrolled = {len(screening)} x {screened} + "
        f"{len(others)} x {enrolled}",
        ("screening_visits", len(screening)),
        ("patients_screened", screened),
        ("other_visits", len(others)),
        ("patients_enrolled", enrolled),
    )
    crf_pages = _count(
        "CRF pages",
        pages,
        "page",
        f"screening pages per patient x screened + other pages per patient x enrolled = {screening_pages} x "
        f"{screened} + {other_pages} x {enrolled} ({defaulted} visits without crf_pages counted at {default})",
        ("screening_pages_per_patient", screening_pages),
        ("patients_screened", screened),
        ("other_pages_per_patient", other_pages),
        ("patients_enrolled", enrolled),
        ("crf_pages_per_visit_default", default),
    )
    return patient_visits, crf_pages


def _monitoring(assumptions: Assumptions, active_site_months: int) -> Driver:
    weeks = assumptions.monitoring_interval_weeks
    rate = assumptions.monitoring_visits_per_site_month
    if weeks is not None:
        exact = Fraction(active_site_months) * WEEKS_PER_MONTH / weeks
        formula = (
            f"ceil(active site-months x (52 / 12) / interval weeks) = ceil({active_site_months} x 52 / 12 / {weeks})"
            f" = ceil({_show(exact)})"
        )
        inputs: tuple[tuple[str, str], ...] = (
            ("active_site_months", str(active_site_months)),
            ("monitoring_interval_weeks", str(weeks)),
        )
    elif rate is not None:
        exact = Fraction(active_site_months) * Fraction(rate)
        formula = (
            f"ceil(active site-months x visits per site-month) = ceil({active_site_months} x {rate})"
            f" = ceil({_show(exact)})"
        )
        inputs = (("active_site_months", str(active_site_months)), ("monitoring_visits_per_site_month", str(rate)))
    else:  # Assumptions refuses this; kept so the function stands on its own
        raise ValidationError.at("monitoring_interval_weeks", "no monitoring frequency given")
    return Driver(
        name="monitoring visits",
        value=math.ceil(exact),
        unit="monitoring visit",
        formula=formula,
        inputs=inputs,
        rounding="ROUND_CEILING to a whole visit: a part visit is still a visit",
    )


def derive_drivers(study: Study, assumptions: Assumptions) -> CostDrivers:
    """Compute every cost driver of *study* under *assumptions*; a pure function.

    A site is active from the month it opens until the last patient's last visit
    (the end of the treatment period); close-out is not counted as active. Patients
    screened are rounded up and patients completed rounded down to whole patients, and
    monitoring visits rounded up to whole visits; each :class:`Driver` states its rule.

    Raises:
        ValidationError: If an explicit activation plan does not open exactly the
            study's sites, or opens a site after enrolment ends (path
            ``activation.plan``).
    """
    activation = _activation(study, assumptions)
    total = assumptions.total_months
    treatment_end = assumptions.startup_months + assumptions.enrolment_months + assumptions.treatment_months
    active = sum(sites * (treatment_end - month) for month, sites in enumerate(activation) if sites)
    screened, enrolled, completed = _patients(study)
    patient_visits, crf_pages = _visits(study, assumptions, int(screened.value))
    terms = " + ".join(f"{sites} x ({treatment_end} - {month})" for month, sites in enumerate(activation) if sites)

    def months(name: str, value: int) -> Driver:
        return _count(f"{name} months", value, "month", f"assumptions.{name}_months", (f"{name}_months", value))

    return CostDrivers(
        sites_activated_per_month=activation,
        countries=_count(
            "countries",
            len(study.countries),
            "country",
            "len(study.countries)",
            ("countries", ",".join(study.countries)),
        ),
        sites=_count("sites", study.sites, "site", "study.sites", ("sites", study.sites)),
        active_site_months=_count(
            "active site-months",
            active,
            "site-month",
            f"sum of sites x (last-patient-out month {treatment_end} - activation month) = {terms}",
            ("sites_activated_per_month", activation),
            ("last_patient_out_month", treatment_end),
        ),
        planned_site_months=_count(
            "planned site-months",
            study.sites * total,
            "site-month",
            f"sites x total months = {study.sites} x {total}",
            ("sites", study.sites),
            ("total_months", total),
        ),
        patients_screened=screened,
        patients_enrolled=enrolled,
        patients_completed=completed,
        patient_visits=patient_visits,
        monitoring_visits=_monitoring(assumptions, active),
        crf_pages=crf_pages,
        tables_listings_figures=_count(
            "tables, listings and figures",
            assumptions.tables_listings_figures,
            "table",
            "assumptions.tables_listings_figures",
            ("tables_listings_figures", assumptions.tables_listings_figures),
        ),
        startup_months=months("startup", assumptions.startup_months),
        enrolment_months=months("enrolment", assumptions.enrolment_months),
        treatment_months=months("treatment", assumptions.treatment_months),
        closeout_months=months("closeout", assumptions.closeout_months),
        total_months=_count(
            "total months",
            total,
            "month",
            f"startup + enrolment + treatment + closeout = {assumptions.startup_months} + "
            f"{assumptions.enrolment_months} + {assumptions.treatment_months} + {assumptions.closeout_months}",
        ),
        scheduled_visits=len(study.visits),
    )
