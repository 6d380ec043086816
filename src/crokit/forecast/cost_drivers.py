"""Simulated cost drivers: the counts a budget is priced on, one set per simulated trial.

:func:`simulate_drivers` turns a :class:`~crokit.forecast.SimulatedEnrolment` of a
study into :class:`SimulatedDrivers`: NumPy ``int64`` arrays with one entry per trial.
Simulated set *i* is, by definition, what :func:`~crokit.pricing.derive_drivers`
gives for the same study and assumptions with

- ``enrolment_months`` the simulated enrolment length in whole months: the enrolment
  model's month 0 is the first enrolment month of the pricing timeline (study month
  ``startup_months``), and a last patient in at month ``L`` ends enrolment in the month
  that contains it, so ``E = max(1, ceil(L))`` (at least long enough for an explicit
  activation plan's last opening to fall in enrolment);
- ``patients_screened`` and ``patients_completed`` the simulated counts instead of the
  planned ones (patients enrolled stay the study's plan, the enrolment model's target).

Everything else follows by the same rules: patient visits and CRF pages from the
visit schedule with the simulated screened count, active site-months from the
activation profile and the new last-patient-out month, monitoring visits rounded up,
planned site-months and the months of the study. :meth:`SimulatedDrivers.at` builds
that :class:`~crokit.pricing.CostDrivers` for one trial, so any simulated set can be
priced on the Decimal path and compared.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from crokit._typed import typed_fields
from crokit.errors import ValidationError
from crokit.forecast.simulation import SimulatedEnrolment
from crokit.pricing.assumptions import _MAX_MONTHS, Assumptions
from crokit.pricing.cost_drivers import CostDrivers, Driver
from crokit.pricing.derive import _visits, derive_drivers
from crokit.study import Study, VisitKind

__all__ = ["SimulatedDrivers", "simulate_drivers"]

Ints = npt.NDArray[np.int64]

_SIMULATED: Final = "none: a simulated whole number"


def _read_only(array: npt.NDArray[Any]) -> Ints:
    result: Ints = np.ascontiguousarray(array, dtype=np.int64)
    result.setflags(write=False)
    return result


def _ceil_ratio(numerator: Ints, denominator: int) -> Ints:
    """``ceil(numerator / denominator)`` for non-negative integers, exactly."""
    result: Ints = -((-numerator) // denominator)
    return result


@attrs.frozen(kw_only=True, eq=False, field_transformer=typed_fields)
class SimulatedDrivers:
    """Cost drivers per simulated trial: read-only ``int64`` arrays, one entry per trial.

    Attributes:
        study: The study the drivers count.
        assumptions: The planning assumptions (``enrolment_months`` is the plan; the
            simulated lengths are in :attr:`enrolment_months`).
        trials: The number of trials.
        enrolment_months: Months of enrolment, per trial.
        patients_screened: Patients screened, per trial.
        patients_completed: Patients completing, per trial.
        patient_visits: Patient visits in the schedule, per trial.
        crf_pages: CRF pages, per trial.
        active_site_months: Active site-months up to last patient out, per trial.
        planned_site_months: Sites times the study's months, per trial.
        monitoring_visits: Monitoring visits, rounded up, per trial.
        total_months: Months of the whole study, per trial.
    """

    study: Study
    assumptions: Assumptions
    trials: int
    enrolment_months: Ints
    patients_screened: Ints
    patients_completed: Ints
    patient_visits: Ints
    crf_pages: Ints
    active_site_months: Ints
    planned_site_months: Ints
    monitoring_visits: Ints
    total_months: Ints

    @property
    def startup_months(self) -> int:
        """Months of start-up (the same in every trial)."""
        return self.assumptions.startup_months

    @property
    def treatment_end(self) -> Ints:
        """The first month after the treatment period (last patient out + 1), per trial."""
        result: Ints = self.startup_months + self.enrolment_months + self.assumptions.treatment_months
        return result

    def at(self, trial: int) -> CostDrivers:
        """The Decimal-path :class:`~crokit.pricing.CostDrivers` of one simulated trial.

        Raises:
            ValidationError: At ``trial`` for an index out of range.
        """
        given: object = trial
        if isinstance(given, bool) or not isinstance(given, int) or not 0 <= given < self.trials:
            raise ValidationError.at("trial", f"expected a trial index from 0 to {self.trials - 1}, got {trial!r}")
        assumptions = attrs.evolve(self.assumptions, enrolment_months=int(self.enrolment_months[trial]))
        base = derive_drivers(self.study, assumptions)
        screened = int(self.patients_screened[trial])
        completed = int(self.patients_completed[trial])
        visits, pages = _visits(self.study, assumptions, screened)
        return attrs.evolve(
            base,
            patients_screened=Driver(
                name="patients screened",
                value=screened,
                unit="patient",
                formula=f"simulated (trial {trial})",
                rounding=_SIMULATED,
            ),
            patients_completed=Driver(
                name="patients completed",
                value=completed,
                unit="patient",
                formula=f"simulated (trial {trial})",
                rounding=_SIMULATED,
            ),
            patient_visits=visits,
            crf_pages=pages,
        )


def _enrolment_months(enrolment: SimulatedEnrolment, study: Study, assumptions: Assumptions) -> Ints:
    last = np.asarray(enrolment.last_patient_in, dtype=np.float64)
    if not np.all(np.isfinite(last)):
        raise ValidationError.at("enrolment.last_patient_in", "expected finite months in every trial")
    months = np.maximum(1, np.ceil(last)).astype(np.int64)
    if not assumptions.activation.is_even:
        latest = max(month for month, _ in assumptions.activation.plan)
        months = np.maximum(months, latest + 1 - assumptions.startup_months)
    longest = _MAX_MONTHS - (assumptions.startup_months + assumptions.treatment_months + assumptions.closeout_months)
    if int(months.max()) > longest:
        raise ValidationError.at(
            "enrolment",
            f"a simulated enrolment lasts {int(months.max())} months, so the study would run past "
            f"{_MAX_MONTHS} months; expected at most {longest} months of enrolment for {study.name!r}",
        )
    return months


def simulate_drivers(study: Study, assumptions: Assumptions, enrolment: SimulatedEnrolment) -> SimulatedDrivers:
    """The cost drivers of every simulated trial of *enrolment* (see the module doc for the rules).

    Args:
        study: The study priced.
        assumptions: Its planning assumptions.
        enrolment: Simulated enrolment whose target is the study's planned patients.

    Raises:
        ValidationError: At ``enrolment.model.target`` if the target is not the study's
            planned patients; at ``enrolment`` if a simulated study would be longer than
            crokit's longest timeline.
    """
    if enrolment.model.target != study.planned_patients:
        raise ValidationError.at(
            "enrolment.model.target",
            f"expected the study's {study.planned_patients} planned patients, got {enrolment.model.target}",
        )
    base = derive_drivers(study, assumptions)
    months = _enrolment_months(enrolment, study, assumptions)
    enrolled = study.planned_patients
    screened = np.asarray(enrolment.screened, dtype=np.int64)
    completed = np.asarray(enrolment.completed, dtype=np.int64)
    screening = [visit for visit in study.visits if visit.kind is VisitKind.SCREENING]
    others = [visit for visit in study.visits if visit.kind is not VisitKind.SCREENING]
    default = assumptions.crf_pages_per_visit_default
    screening_pages = sum(visit.crf_pages or default for visit in screening)
    other_pages = sum(visit.crf_pages or default for visit in others)
    visits = len(screening) * screened + len(others) * enrolled
    pages = screening_pages * screened + other_pages * enrolled
    profile = base.sites_activated_per_month
    sites = sum(profile)
    weighted = sum(month * opened for month, opened in enumerate(profile))
    treatment_end = assumptions.startup_months + months + assumptions.treatment_months
    total = treatment_end + assumptions.closeout_months
    active = sites * treatment_end - weighted
    if assumptions.monitoring_interval_weeks is not None:
        per_site_month = Fraction(52, 12) / Fraction(assumptions.monitoring_interval_weeks)
    else:
        per_site_month = Fraction(assumptions.monitoring_visits_per_site_month or 0)
    monitoring = _ceil_ratio(active * per_site_month.numerator, per_site_month.denominator)
    return SimulatedDrivers(
        study=study,
        assumptions=assumptions,
        trials=int(months.size),
        enrolment_months=_read_only(months),
        patients_screened=_read_only(screened),
        patients_completed=_read_only(completed),
        patient_visits=_read_only(visits),
        crf_pages=_read_only(pages),
        active_site_months=_read_only(active),
        planned_site_months=_read_only(sites * total),
        monitoring_visits=_read_only(monitoring),
        total_months=_read_only(total),
    )
