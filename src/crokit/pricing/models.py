"""Pricing models: unit prices, pass-through costs, fixed fees, and a CRO's proposal.

Each model prices itself against a study and its :class:`~crokit.pricing.CostDrivers`
into a :class:`~crokit.pricing.Budget`. Amounts are rounded once per line, half-even to
the currency's minor unit; fixed fees are split over milestones with
:meth:`~crokit.Money.allocate`, so the payments sum exactly to the fee.

Each model class carries a ``kind`` tag (``"unit-price"``, ``"pass-through"``,
``"fixed-fee"``) for tagged-union serialization.

>>> from datetime import date
>>> from crokit import Money, Registry, Stage, Study, UnitBasis
>>> from crokit.pricing import Assumptions, derive_drivers
>>> study = Study(
...     name="RD-201", phase=Stage.PHASE_2, therapeutic_area="crokit:rare-disease",
...     indication="Fabry disease", planned_patients=60, sites=12, countries=("US", "DE"),
...     start_date=date(2027, 1, 4), currency="USD",
... )
>>> drivers = derive_drivers(study, Assumptions(
...     startup_months=4, enrolment_months=12, treatment_months=6, closeout_months=3,
...     monitoring_interval_weeks=6, tables_listings_figures=120, crf_pages_per_visit_default=10,
... ))
>>> proposal = Proposal(cro_id="helix-cro", currency="USD", items=(
...     UnitPrice(service="crokit:site-start-up", stage=Stage.PHASE_2, basis=UnitBasis.PER_SITE,
...               rate=Money("4500.00", "USD")),
...     PassThrough(service="crokit:investigator-grants", stage=Stage.PHASE_2,
...                 estimate=Money("300000.00", "USD"), management_fee="0.05"),
... ))
>>> budget = proposal.price(study, drivers, registry=Registry.builtin())
>>> [str(line.amount) for line in budget.lines]
['54000.00 USD', '300000.00 USD', '15000.00 USD']
"""

from __future__ import annotations

from crokit.pricing.fixed_fee import FixedFee, MilestonePayment
from crokit.pricing.pass_through import PassThrough
from crokit.pricing.proposal import PricingModel, Proposal
from crokit.pricing.unit_price import UnitPrice

__all__ = ["FixedFee", "MilestonePayment", "PassThrough", "PricingModel", "Proposal", "UnitPrice"]
