"""Forecasts with uncertainty: Poisson-gamma enrolment and programme economics.

Enrolment (Anisimov and Fedorov 2007, Statistics in Medicine 26(27):4958-4975):

- the model: :class:`EnrolmentModel` of :class:`SiteGroup` values, each with an
  activation schedule (:class:`ActivateAt`, :class:`ActivationWindow`,
  :class:`ActivationList`) and a Gamma law of its sites' recruitment rates; screen
  failures and dropouts as binomial thinning;
- closed forms: :class:`PooledRateTime` (all sites open from month 0: a scaled
  beta-prime time) and :class:`KnownRateTime` (a known total rate: a Gamma time);
- exact evaluation of the same law under staggered activation:
  :func:`forecast_enrolment`, :func:`probability_enrolled`;
- Monte Carlo from an explicit seed: :func:`simulate_enrolment`;
- interim re-projection from observed counts: :func:`reproject`;
- results as values: :class:`EnrolmentForecast`, :class:`MilestoneForecast`,
  :class:`Quantile`, :class:`CurvePoint`, :class:`Reprojection`, :class:`SitePosterior`.

Programme economics: :func:`likelihood_of_approval` (the product of the published
phase-transition probabilities), :func:`expected_cost` and :func:`expected_npv` of a
:class:`Programme`.

The exact evaluation, simulation and re-projection use NumPy and are loaded on first
use: ``import crokit.forecast`` (the models, closed forms and economics) does not import
NumPy. docs/forecasting.md gives every formula with its source.

>>> import datetime as dt
>>> model = EnrolmentModel(start=dt.date(2027, 1, 1), target=300,
...                        groups=(SiteGroup(id="us", sites=50, shape=2, rate=4),))
>>> round(forecast_enrolment(model).last_patient_in.mean, 4)
12.1212
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crokit import _hypothesis_plugin, _lazy
from crokit.forecast._numbers import date_at, months_between
from crokit.forecast.closed_form import KnownRateTime, PooledRateTime
from crokit.forecast.cost import (
    CostForecast,
    CostForecastResult,
    ForecastSettings,
    MoneyQuantile,
    QuarterCost,
    VarianceShare,
)
from crokit.forecast.economics import (
    CashFlowItem,
    LikelihoodOfApproval,
    PhaseTransitions,
    Programme,
    ProgrammeStudy,
    RiskAdjustedCost,
    expected_cost,
    expected_npv,
    likelihood_of_approval,
    risk_adjusted_costs,
)
from crokit.forecast.model import (
    DEFAULT_HORIZON_MONTHS,
    ActivateAt,
    Activation,
    ActivationList,
    ActivationWindow,
    EnrolmentModel,
    SiteGroup,
    SiteObservation,
)
from crokit.forecast.results import (
    DEFAULT_BAND,
    DEFAULT_LEVELS,
    CurvePoint,
    EnrolmentForecast,
    MilestoneForecast,
    Quantile,
    Reprojection,
    SitePosterior,
)

if TYPE_CHECKING:
    from crokit.forecast.cost_drivers import SimulatedDrivers, simulate_drivers
    from crokit.forecast.cost_forecast import forecast_costs
    from crokit.forecast.cost_pricing import SimulatedBudget, price_simulated
    from crokit.forecast.exact import forecast_enrolment, probability_enrolled
    from crokit.forecast.reprojection import reproject
    from crokit.forecast.simulation import SimulatedEnrolment, simulate_enrolment

_LAZY = {
    "SimulatedBudget": "crokit.forecast.cost_pricing",
    "SimulatedDrivers": "crokit.forecast.cost_drivers",
    "forecast_costs": "crokit.forecast.cost_forecast",
    "price_simulated": "crokit.forecast.cost_pricing",
    "simulate_drivers": "crokit.forecast.cost_drivers",
    "SimulatedEnrolment": "crokit.forecast.simulation",
    "forecast_enrolment": "crokit.forecast.exact",
    "probability_enrolled": "crokit.forecast.exact",
    "reproject": "crokit.forecast.reprojection",
    "simulate_enrolment": "crokit.forecast.simulation",
}
"""Names whose modules import NumPy: loaded on first use."""

__all__ = [
    "simulate_drivers",
    "price_simulated",
    "forecast_costs",
    "SimulatedDrivers",
    "SimulatedBudget",
    "VarianceShare",
    "QuarterCost",
    "MoneyQuantile",
    "ForecastSettings",
    "CostForecastResult",
    "CostForecast",
    "Activation",
    "ActivateAt",
    "ActivationList",
    "ActivationWindow",
    "CashFlowItem",
    "CurvePoint",
    "DEFAULT_BAND",
    "DEFAULT_HORIZON_MONTHS",
    "DEFAULT_LEVELS",
    "EnrolmentForecast",
    "EnrolmentModel",
    "KnownRateTime",
    "LikelihoodOfApproval",
    "MilestoneForecast",
    "PhaseTransitions",
    "PooledRateTime",
    "Programme",
    "ProgrammeStudy",
    "Quantile",
    "Reprojection",
    "RiskAdjustedCost",
    "SimulatedEnrolment",
    "SiteGroup",
    "SiteObservation",
    "SitePosterior",
    "date_at",
    "expected_cost",
    "expected_npv",
    "forecast_enrolment",
    "likelihood_of_approval",
    "months_between",
    "probability_enrolled",
    "reproject",
    "risk_adjusted_costs",
    "simulate_enrolment",
]


def __getattr__(name: str) -> Any:
    """Load the NumPy-based parts on first use of one of their names."""
    return _lazy.load(__name__, _LAZY, globals(), name)


def __dir__() -> list[str]:
    """The public names, including the lazily loaded ones."""
    return _lazy.public_names(globals(), __all__)


# Registers this module's models with Hypothesis' st.from_type if Hypothesis is in use.
_hypothesis_plugin.imported(__name__)
