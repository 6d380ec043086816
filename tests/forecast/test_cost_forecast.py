"""A scenario's forecast section: settings, results as values, who carries the variance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crokit import Money, Registry, Stage, UnitBasis, evaluate
from crokit.demo import demo_scenario
from crokit.errors import CrokitError, ValidationError
from crokit.forecast import (
    ActivationWindow,
    CostForecastResult,
    ForecastSettings,
    MoneyQuantile,
    SiteGroup,
    simulate_enrolment,
)
from crokit.forecast.cost_drivers import simulate_drivers
from crokit.forecast.cost_forecast import enrolment_model, forecast_costs, quantile_units
from crokit.forecast.cost_pricing import price_simulated
from crokit.pricing import FixedFee, MilestonePayment, Proposal, UnitPrice
from crokit.scenario import Evaluation, Scenario
from crokit.serialization import dumps, loads
from crokit.testing import forecast_settings, money_quantiles
from crokit.vocabulary.lifecycle import Milestone

REGISTRY = Registry.builtin()
GROUPS = (
    SiteGroup(id="us", sites=6, shape="1.5", rate="2.5", activation=ActivationWindow(first=0, last=2)),
    SiteGroup(id="eu", sites=6, shape="1.5", rate=3, activation=ActivationWindow(first=0, last=3)),
)


def _scenario(simulations: int = 400, seed: int = 2027) -> Scenario:
    return attrs.evolve(demo_scenario(), forecast=ForecastSettings(groups=GROUPS, seed=seed, simulations=simulations))


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"seed": 0}, "seed"),
        ({"seed": -3}, "seed"),
        ({"simulations": 0}, "simulations"),
        ({"simulations": -1}, "simulations"),
        ({"levels": (0.0, 0.5)}, "levels[0]"),
        ({"levels": (0.5, 1.0)}, "levels[1]"),
        ({"levels": (0.5, 0.2)}, "levels[1]"),
        ({"groups": ()}, "groups"),
    ],
)
def test_bad_settings_are_refused_with_their_path(changes: dict[str, object], path: str) -> None:
    arguments: dict[str, object] = {"groups": GROUPS, "seed": 1, **changes}
    with pytest.raises(ValidationError) as caught:
        ForecastSettings(**arguments)  # type: ignore[arg-type]
    assert caught.value.problems[0].path == path
    assert isinstance(caught.value, CrokitError)


def test_a_scenario_file_with_bad_forecast_settings_is_refused_with_the_full_path() -> None:
    text = dumps(_scenario(), "json").replace('"seed":2027', '"seed":0')
    with pytest.raises(CrokitError) as caught:
        loads(text, Scenario, "json")
    assert "forecast.seed" in str(caught.value)


def test_the_forecast_section_round_trips_through_every_format() -> None:
    scenario = _scenario()
    for fmt in ("json", "toml", "yaml"):
        assert loads(dumps(scenario, fmt), Scenario, fmt) == scenario


def test_no_forecast_section_forecasts_nothing() -> None:
    assert forecast_costs(attrs.evolve(demo_scenario(), forecast=None)) is None


def test_the_forecast_is_reproducible_and_its_quantiles_are_simulated_totals() -> None:
    scenario = _scenario()
    first = forecast_costs(scenario, registry=REGISTRY)
    assert first is not None
    assert forecast_costs(scenario, registry=REGISTRY) == first
    # the P50 total is one trial's total, which the Decimal path gives for that trial's drivers
    forecast = scenario.forecast
    assert forecast is not None
    model = enrolment_model(scenario.study, scenario.assumptions.startup_months, forecast)
    drivers = simulate_drivers(
        scenario.study,
        scenario.assumptions,
        simulate_enrolment(model, trials=forecast.simulations, seed=forecast.seed, months=120),
    )
    candidate = scenario.candidates[1]
    assert candidate.proposal is not None
    cost = first.cost(candidate.id)
    totals = price_simulated(candidate.proposal, drivers, registry=REGISTRY).totals
    for quantile in cost.total:
        (trial,) = np.flatnonzero(totals == int(quantile.amount.amount * 100))[:1]
        decimal = candidate.proposal.price(scenario.study, drivers.at(int(trial)), registry=REGISTRY)
        assert decimal.total == quantile.amount
    low, middle, high = (quantile.amount for quantile in cost.total)
    assert low <= middle <= high
    assert low <= cost.mean <= high


def test_evaluate_carries_the_forecast_and_old_evaluations_still_load() -> None:
    evaluation = evaluate(_scenario(simulations=200))
    assert isinstance(evaluation.forecast, CostForecastResult)
    assert [cost.candidate for cost in evaluation.forecast.costs] == [
        "globalcro",
        "helix-cro",
        "orphan-trials",
        "clinpath-fsp",
    ]
    plain = evaluate(attrs.evolve(demo_scenario(), forecast=None))
    assert plain.forecast is None
    old = dumps(plain, "json").replace(',"forecast":null', "")  # an evaluation written before the field existed
    assert '"forecast"' not in old
    assert loads(old, Evaluation, "json") == plain


def _one_item_scenario(item: UnitPrice | FixedFee) -> Scenario:
    scenario = _scenario(simulations=300)
    candidate = attrs.evolve(
        scenario.candidates[1], proposal=Proposal(cro_id="helix-cro", currency="USD", items=(item,))
    )
    return attrs.evolve(scenario, candidates=(candidate,))


def test_a_fixed_fee_leaves_the_variance_with_the_cro() -> None:
    fee = FixedFee(
        service="crokit:project-management",
        stage=Stage.PHASE_2,
        fee=Money("500000.00", "USD"),
        milestones=(
            MilestonePayment(milestone=Milestone.CONTRACT_SIGNED, share="0.5"),
            MilestonePayment(milestone=Milestone.LAST_PATIENT_IN, share="0.5"),
        ),
    )
    result = forecast_costs(_one_item_scenario(fee), registry=REGISTRY)
    assert result is not None
    (cost,) = result.costs
    assert cost.sponsor_share == 0
    assert cost.cro_share == 1
    assert {quantile.amount for quantile in cost.total} == {Money("500000.00", "USD")}
    assert "CRO 100%" in cost.explanation


def test_unit_prices_leave_the_variance_with_the_sponsor() -> None:
    monitoring = UnitPrice(
        service="crokit:on-site-monitoring",
        stage=Stage.PHASE_2,
        basis=UnitBasis.PER_MONITORING_VISIT,
        rate=Money("1900.00", "USD"),
    )
    result = forecast_costs(_one_item_scenario(monitoring), registry=REGISTRY)
    assert result is not None
    (cost,) = result.costs
    assert cost.sponsor_share == 1
    assert cost.total[0].amount < cost.total[-1].amount
    assert "sponsor carries 100%" in cost.explanation


def test_quarters_add_up_to_the_total_in_every_trial_mean() -> None:
    result = forecast_costs(_scenario(simulations=300), registry=REGISTRY)
    assert result is not None
    for cost in result.costs:
        quarters = sum((quarter.mean for quarter in cost.quarters), Money.zero("USD"))
        assert abs((quarters - cost.mean).amount) <= Decimal("0.01") * len(cost.quarters)


@given(values=st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=50), level=st.floats(0.01, 0.99))
def test_quantiles_are_values_of_the_sample_with_the_inverted_cdf_rule(values: list[int], level: float) -> None:
    (quantile,) = quantile_units(np.array(values, dtype=np.int64), (level,))
    assert quantile in values
    below = sum(1 for value in values if value <= quantile)
    assert below >= level * len(values)
    assert sum(1 for value in values if value < quantile) < level * len(values)


@settings(max_examples=30, deadline=None)
@given(value=forecast_settings())
def test_settings_strategy_gives_valid_values(value: ForecastSettings) -> None:
    assert value.seed >= 1
    assert all(0 < level < 1 for level in value.levels)


@given(value=money_quantiles())
def test_money_quantiles_are_finite(value: MoneyQuantile) -> None:
    assert value.amount.amount.is_finite()
    assert 0 < value.level < 1


def test_a_quantile_level_must_be_one_of_the_forecast_levels() -> None:
    result = forecast_costs(_scenario(simulations=100), registry=REGISTRY)
    assert result is not None
    with pytest.raises(ValidationError):
        result.costs[0].at(0.25)
    assert result.last_patient_in.at(0.5).date >= dt.date(2027, 1, 4)


def test_the_forecast_charts_are_figures_drawn_on_the_axes_given() -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from crokit.plot import plot_cost_distribution, plot_enrolment_fan

    result = forecast_costs(_scenario(simulations=200), registry=REGISTRY)
    assert result is not None
    figure = Figure()
    axes = figure.add_subplot()
    assert plot_enrolment_fan(result.enrolment, ax=axes) is figure
    assert len(axes.collections) == 1  # the band
    costs = plot_cost_distribution(result, names={"helix-cro": "Helix CRO"})
    labels = [label.get_text() for label in costs.axes[0].get_yticklabels()]
    assert "Helix CRO" in labels
    assert len(costs.axes[0].patches) == len(result.costs)
    with pytest.raises(ValidationError):
        plot_enrolment_fan(attrs.evolve(result.enrolment, curve=()))
    with pytest.raises(ValidationError):
        plot_cost_distribution(attrs.evolve(result, costs=()))


def test_groups_that_cannot_reach_the_patients_are_refused_under_forecast() -> None:
    slow = ForecastSettings(groups=(SiteGroup(id="us", sites=1, shape=1, rate=100),), seed=3, horizon_months=24)
    with pytest.raises(ValidationError) as caught:
        forecast_costs(attrs.evolve(demo_scenario(), forecast=slow), registry=REGISTRY)
    assert caught.value.problems[0].path == "forecast.target"


def test_every_report_format_shows_the_forecast_only_when_there_is_one() -> None:
    import json

    from crokit.report import render

    with_forecast = evaluate(_scenario(simulations=200))
    without = evaluate(attrs.evolve(demo_scenario(), forecast=None))
    forecast = with_forecast.forecast
    assert forecast is not None
    for fmt in ("text", "markdown", "html"):
        text = render(with_forecast, fmt)
        assert "Forecast under uncertain enrolment" in text
        assert "Who carries the variance" in text
        assert forecast.last_patient_in.at(0.9).date.isoformat() in text
        assert "Forecast under uncertain enrolment" not in render(without, fmt)
    report = json.loads(render(with_forecast, "json"))
    helix = next(cost for cost in report["forecast"]["costs"] if cost["candidate"] == "helix-cro")
    assert helix["total"][1]["amount"]["amount"] == str(forecast.cost("helix-cro").at(0.5).amount)
    assert json.loads(render(without, "json"))["forecast"] is None
