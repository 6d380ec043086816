"""Deriving cost drivers: :func:`derive_drivers` and the counting rules behind it.

:func:`derive_drivers` turns a :class:`~crokit.Study` and explicit
:class:`~crokit.pricing.Assumptions` into :class:`~crokit.pricing.CostDrivers`: the
site activation profile, active and planned site-months, patients screened (rounded
up), enrolled and completed (rounded down), patient visits and CRF pages from the visit
schedule, monitoring visits (rounded up, using :data:`WEEKS_PER_MONTH`), tables and the
period lengths, each a :class:`~crokit.pricing.Driver` that writes out its formula.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Final

from crokit._decimal import CONTEXT, few_decimals, in_crokit_context
from crokit.errors import ValidationError
from crokit.pricing.assumptions import Assumptions
from crokit.pricing.cost_drivers import _EXACT, CostDrivers, Driver
from crokit.study import Study, VisitKind

__all__ = ["WEEKS_PER_MONTH", "derive_drivers"]

WEEKS_PER_MONTH: Final = Fraction(52, 12)
"""Weeks in an average month, used to turn a monitoring interval in weeks into visits
per site-month: 52 weeks a year over 12 months (a convention, not data)."""


def _show(value: Fraction) -> str:
    """A rational as decimal text for a formula: exact, or cut to four decimals with ``…``."""
    if value.denominator == 1:
        return str(value.numerator)
    return few_decimals(CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator)))


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
    return Driver._trusted(  # noqa: SLF001 - computed from the checked study
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
    screened = Driver._trusted(  # noqa: SLF001 - computed from the checked study
        name="patients screened",
        value=math.ceil(screened_exact),
        unit="patient",
        formula=f"ceil(enrolled / (1 - screen_failure_rate)) = ceil({enrolled} / (1 - {screen_fail})) "
        f"= ceil({_show(screened_exact)})",
        inputs=(("enrolled", str(enrolled)), ("screen_failure_rate", str(screen_fail))),
        rounding="ROUND_CEILING to a whole patient: enough patients must be screened to enrol the plan",
    )
    completed = Driver._trusted(  # noqa: SLF001 - computed from the checked study
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
    return Driver._trusted(  # noqa: SLF001 - computed from the checked study
        name="monitoring visits",
        value=math.ceil(exact),
        unit="monitoring visit",
        formula=formula,
        inputs=inputs,
        rounding="ROUND_CEILING to a whole visit: a part visit is still a visit",
    )


@in_crokit_context
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
