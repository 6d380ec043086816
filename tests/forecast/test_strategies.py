"""Every public forecast model has a strategy in crokit.testing, callable with no arguments."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crokit.forecast
import crokit.testing

STRATEGIES = {
    "ActivateAt": "activate_ats",
    "ActivationList": "activation_lists",
    "ActivationWindow": "activation_windows",
    "CashFlowItem": "cash_flow_items",
    "CostForecast": "cost_forecasts",
    "CostForecastResult": "cost_forecast_results",
    "CurvePoint": "curve_points",
    "EnrolmentForecast": "enrolment_forecasts",
    "EnrolmentModel": "enrolment_models",
    "ForecastSettings": "forecast_settings",
    "KnownRateTime": "known_rate_times",
    "LikelihoodOfApproval": "likelihoods_of_approval",
    "MilestoneForecast": "milestone_forecasts",
    "MoneyQuantile": "money_quantiles",
    "PhaseTransitions": "phase_transitions",
    "PooledRateTime": "pooled_rate_times",
    "Programme": "programmes",
    "ProgrammeStudy": "programme_studies",
    "Quantile": "quantiles",
    "QuarterCost": "quarter_costs",
    "Reprojection": "reprojections",
    "RiskAdjustedCost": "risk_adjusted_costs",
    "SimulatedBudget": "simulated_budgets",
    "SimulatedDrivers": "simulated_drivers",
    "SimulatedEnrolment": "simulated_enrolments",
    "SiteGroup": "site_groups",
    "SiteObservation": "site_observations",
    "SitePosterior": "site_posteriors",
    "VarianceShare": "variance_shares",
}
"""Model class -> strategy name: the table the Hypothesis plugin can register."""


def test_every_public_forecast_class_has_a_strategy():
    classes = {
        name
        for name in crokit.forecast.__all__
        if isinstance(getattr(crokit.forecast, name), type) and attrs.has(getattr(crokit.forecast, name))
    }
    assert classes == set(STRATEGIES)


@pytest.mark.parametrize(("name", "strategy"), sorted(STRATEGIES.items()))
def test_each_strategy_draws_its_class_with_no_arguments(name, strategy):
    cls = getattr(crokit.forecast, name)

    @settings(max_examples=5, deadline=None)
    @given(getattr(crokit.testing, strategy)())
    def check(value):
        assert isinstance(value, cls)

    check()


def test_the_strategies_work_with_from_type_once_registered():
    # What the lead's Hypothesis plugin will do; registering here affects only these classes.
    for name, strategy in STRATEGIES.items():
        st.register_type_strategy(getattr(crokit.forecast, name), getattr(crokit.testing, strategy)())

    @settings(max_examples=5, deadline=None)
    @given(st.from_type(crokit.forecast.EnrolmentModel), st.from_type(crokit.forecast.Programme))
    def check(model, programme):
        assert isinstance(model, crokit.forecast.EnrolmentModel)
        assert isinstance(programme, crokit.forecast.Programme)

    check()
