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

from crokit.pricing.assumptions import Assumptions, SiteActivation
from crokit.pricing.cost_drivers import CostDrivers, Driver
from crokit.pricing.derive import WEEKS_PER_MONTH, derive_drivers

__all__ = [
    "Assumptions",
    "CostDrivers",
    "Driver",
    "SiteActivation",
    "WEEKS_PER_MONTH",
    "derive_drivers",
]
