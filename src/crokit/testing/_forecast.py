"""Hypothesis strategies for the forecast models and results, valid by construction.

Every strategy takes keyword-only arguments, none required. Importing this module does
not import NumPy: only :func:`simulated_enrolments` (which runs a small simulation) and
the result strategies built by computation import it, when drawn.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from hypothesis import strategies as st

from crokit.forecast import (
    ActivateAt,
    Activation,
    ActivationList,
    ActivationWindow,
    CashFlowItem,
    CostForecast,
    CostForecastResult,
    CurvePoint,
    EnrolmentForecast,
    EnrolmentModel,
    ForecastSettings,
    KnownRateTime,
    LikelihoodOfApproval,
    MilestoneForecast,
    MoneyQuantile,
    PhaseTransitions,
    PooledRateTime,
    Programme,
    ProgrammeStudy,
    Quantile,
    QuarterCost,
    Reprojection,
    RiskAdjustedCost,
    SiteGroup,
    SiteObservation,
    SitePosterior,
    VarianceShare,
    date_at,
    likelihood_of_approval,
)
from crokit.forecast.economics import GATES
from crokit.money import Money
from crokit.vocabulary.lifecycle import Milestone, Stage

if TYPE_CHECKING:
    from crokit.forecast.cost_drivers import SimulatedDrivers
    from crokit.forecast.cost_pricing import SimulatedBudget
    from crokit.forecast.simulation import SimulatedEnrolment

__all__ = [
    "activate_ats",
    "activation_lists",
    "activation_windows",
    "activations",
    "cash_flow_items",
    "cost_forecast_results",
    "cost_forecasts",
    "curve_points",
    "enrolment_forecasts",
    "enrolment_models",
    "forecast_settings",
    "known_rate_times",
    "likelihoods_of_approval",
    "milestone_forecasts",
    "money_quantiles",
    "phase_transitions",
    "pooled_rate_times",
    "programme_studies",
    "programmes",
    "quantiles",
    "quarter_costs",
    "reprojections",
    "risk_adjusted_costs",
    "simulated_budgets",
    "simulated_drivers",
    "simulated_enrolments",
    "site_groups",
    "site_observations",
    "site_posteriors",
    "variance_shares",
]

_STARTS: Final = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2040, 12, 31))
_PROGRAMME_STAGES: Final = (
    Stage.PHASE_1,
    Stage.PHASE_2,
    Stage.PHASE_3,
    Stage.SUBMISSION,
    Stage.APPROVAL,
    Stage.PHASE_4,
)
_BIO_2021_AREAS: Final = (
    "all",
    "hematology",
    "metabolic",
    "infectious-disease",
    "ophthalmology",
    "oncology",
    "cardiovascular",
    "rare-disease",
)
_BIO_2016_AREAS: Final = ("all", "oncology", "non-oncology")


def _months(max_value: float = 24.0) -> st.SearchStrategy[float]:
    return st.floats(min_value=0.0, max_value=max_value, allow_nan=False, allow_infinity=False)


def activate_ats(*, max_month: float = 24.0) -> st.SearchStrategy[ActivateAt]:
    """:class:`~crokit.forecast.ActivateAt` at a month from 0 to *max_month*."""
    return st.builds(ActivateAt, month=_months(max_month))


def activation_windows(*, max_month: float = 24.0) -> st.SearchStrategy[ActivationWindow]:
    """:class:`~crokit.forecast.ActivationWindow` values within months 0 to *max_month*."""
    return st.tuples(_months(max_month), _months(max_month)).map(
        lambda pair: ActivationWindow(first=min(pair), last=max(pair))
    )


def activation_lists(*, sites: int = 3, max_month: float = 24.0) -> st.SearchStrategy[ActivationList]:
    """:class:`~crokit.forecast.ActivationList` values with one month per site."""
    return st.lists(_months(max_month), min_size=sites, max_size=sites).map(
        lambda months: ActivationList(months=tuple(months))
    )


def activations(*, sites: int = 3, max_month: float = 24.0) -> st.SearchStrategy[Activation]:
    """Any activation schedule for a group of *sites* sites."""
    return st.one_of(
        activate_ats(max_month=max_month),
        activation_windows(max_month=max_month),
        activation_lists(sites=sites, max_month=max_month),
    )


def _parameters(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


def site_groups(
    *,
    group_id: str | None = None,
    max_sites: int = 20,
    max_month: float = 24.0,
    min_shape: float = 0.5,
) -> st.SearchStrategy[SiteGroup]:
    """:class:`~crokit.forecast.SiteGroup` values: 1 to *max_sites* sites, shape *min_shape*-5, rate 0.5-10.

    *group_id* fixes the group's id (drawn otherwise).
    """
    ids = st.just(group_id) if group_id is not None else st.from_regex(r"\A[a-z]{2}(-[a-z0-9]{1,4})?\Z")

    def build(group_id: str, sites: int) -> st.SearchStrategy[SiteGroup]:
        return st.builds(
            SiteGroup,
            id=st.just(group_id),
            sites=st.just(sites),
            shape=_parameters(min_shape, max(min_shape, 5.0)),
            rate=_parameters(0.5, 10.0),
            activation=activations(sites=sites, max_month=max_month),
        )

    return st.tuples(ids, st.integers(1, max_sites)).flatmap(lambda pair: build(*pair))


@st.composite
def enrolment_models(
    draw: st.DrawFn, *, max_groups: int = 3, max_sites: int = 20, max_target: int = 200, min_shape: float = 0.5
) -> EnrolmentModel:
    """:class:`~crokit.forecast.EnrolmentModel` values whose target the sites can plausibly reach.

    *min_shape* bounds the sites' Gamma shapes from below: small shapes give heavy tails,
    whose high quantiles may lie beyond what a forecast reports.
    """
    count = draw(st.integers(1, max_groups))
    groups = tuple(
        draw(site_groups(group_id=f"g{index}", max_sites=max_sites, min_shape=min_shape)) for index in range(count)
    )
    screen_failure = draw(_parameters(0.0, 0.6))
    horizon = draw(_parameters(30.0, 120.0))

    def reachable_by(months: float) -> float:
        return EnrolmentModel(
            start=dt.date(2027, 1, 1), target=1, groups=groups, screen_failure=screen_failure, horizon_months=1200
        ).expected_randomised(months)

    reachable = reachable_by(horizon)
    if reachable < 1.0:  # slow, late sites: plan over the longest horizon crokit accepts
        horizon = 1200.0
        reachable = reachable_by(horizon)
    upper = max(1, min(max_target, math.floor(reachable)))
    return EnrolmentModel(
        start=draw(_STARTS),
        target=draw(st.integers(1, upper)),
        groups=groups,
        screen_failure=screen_failure,
        dropout=draw(_parameters(0.0, 0.5)),
        horizon_months=horizon,
    )


def pooled_rate_times(*, max_patients: int = 1000) -> st.SearchStrategy[PooledRateTime]:
    """:class:`~crokit.forecast.PooledRateTime` values: total shape 1.5-500, rate 0.5-20."""
    return st.builds(
        PooledRateTime,
        patients=st.integers(1, max_patients),
        shape=_parameters(1.5, 500.0),
        rate=_parameters(0.5, 20.0),
    )


def known_rate_times(*, max_patients: int = 1000) -> st.SearchStrategy[KnownRateTime]:
    """:class:`~crokit.forecast.KnownRateTime` values: rate 0.1-200 patients a month."""
    return st.builds(KnownRateTime, patients=st.integers(1, max_patients), rate=_parameters(0.1, 200.0))


def _levels() -> st.SearchStrategy[tuple[float, ...]]:
    return st.lists(_parameters(0.01, 0.99), min_size=1, max_size=5, unique=True).map(lambda xs: tuple(sorted(xs)))


def quantiles(*, start: dt.date = dt.date(2027, 1, 1)) -> st.SearchStrategy[Quantile]:
    """:class:`~crokit.forecast.Quantile` values of a study starting on *start*."""
    return st.builds(
        lambda level, month: Quantile(level=level, month=month, date=date_at(start, month)),
        _parameters(0.01, 0.99),
        _months(120.0),
    )


@st.composite
def milestone_forecasts(draw: st.DrawFn, *, start: dt.date = dt.date(2027, 1, 1)) -> MilestoneForecast:
    """:class:`~crokit.forecast.MilestoneForecast` values with months increasing with the level."""
    levels = draw(_levels())
    months = sorted(draw(st.lists(_months(120.0), min_size=len(levels), max_size=len(levels))))
    return MilestoneForecast(
        milestone=draw(
            st.sampled_from((Milestone.FIRST_PATIENT_IN, Milestone.HALF_ENROLLED, Milestone.LAST_PATIENT_IN))
        ),
        patients=draw(st.integers(1, 1000)),
        quantiles=tuple(
            Quantile(level=level, month=month, date=date_at(start, month))
            for level, month in zip(levels, months, strict=True)
        ),
        mean=draw(st.none() | _months(120.0)),
    )


@st.composite
def curve_points(draw: st.DrawFn, *, start: dt.date = dt.date(2027, 1, 1)) -> CurvePoint:
    """:class:`~crokit.forecast.CurvePoint` values with the band in order."""
    month = draw(st.integers(1, 120))
    low, high = sorted(draw(st.lists(st.integers(0, 1000), min_size=2, max_size=2)))
    return CurvePoint(
        month=month, date=date_at(start, float(month)), expected=draw(_parameters(0.0, 1000.0)), low=low, high=high
    )


@st.composite
def enrolment_forecasts(draw: st.DrawFn) -> EnrolmentForecast:
    """:class:`~crokit.forecast.EnrolmentForecast` values computed exactly from drawn small models."""
    from crokit.forecast.exact import forecast_enrolment

    model = draw(enrolment_models(max_groups=2, max_sites=5, max_target=30, min_shape=2.0))
    return forecast_enrolment(model)


def site_observations(*, site: str = "g0/1", max_month: float = 24.0) -> st.SearchStrategy[SiteObservation]:
    """:class:`~crokit.forecast.SiteObservation` values for *site*."""
    return st.builds(SiteObservation, site=st.just(site), opened=_months(max_month), randomised=st.integers(0, 100))


def site_posteriors() -> st.SearchStrategy[SitePosterior]:
    """:class:`~crokit.forecast.SitePosterior` values."""
    return st.builds(
        SitePosterior,
        site=st.from_regex(r"\A[a-z]{2}/[1-9][0-9]?\Z"),
        observed=st.integers(0, 100),
        months_open=_months(24.0),
        shape=_parameters(0.5, 100.0),
        rate=_parameters(0.5, 50.0),
    )


@st.composite
def reprojections(draw: st.DrawFn) -> Reprojection:
    """:class:`~crokit.forecast.Reprojection` values computed from drawn models and observations."""
    from crokit.forecast.reprojection import reproject

    model = draw(enrolment_models(max_groups=2, max_sites=4, max_target=40, min_shape=2.0))
    census = draw(_parameters(model.first_activation, model.first_activation + 12.0))
    observations = []
    budget = model.target - 1
    for site in model.site_ids:
        if draw(st.booleans()):
            count = draw(st.integers(0, min(5, budget)))
            budget -= count
            observations.append(SiteObservation(site=site, opened=draw(_parameters(0.0, census)), randomised=count))
    return reproject(model, observations, census=census)


def simulated_enrolments(*, max_trials: int = 200) -> st.SearchStrategy[SimulatedEnrolment]:
    """:class:`~crokit.forecast.SimulatedEnrolment` values: small simulations of drawn models (imports NumPy)."""
    from crokit.forecast.simulation import simulate_enrolment

    return st.builds(
        lambda model, trials, seed: simulate_enrolment(model, trials=trials, seed=seed),
        enrolment_models(max_groups=2, max_sites=5, max_target=50),
        st.integers(1, max_trials),
        st.integers(1, 2**32),
    )


def _probabilities() -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=Decimal(0), max_value=Decimal(1), places=3)


def phase_transitions() -> st.SearchStrategy[PhaseTransitions]:
    """:class:`~crokit.forecast.PhaseTransitions` with probabilities of three decimal places."""
    return st.builds(
        PhaseTransitions,
        phase_1=_probabilities(),
        phase_2=_probabilities(),
        phase_3=_probabilities(),
        submission=_probabilities(),
    )


def likelihoods_of_approval() -> st.SearchStrategy[LikelihoodOfApproval]:
    """:class:`~crokit.forecast.LikelihoodOfApproval` values from crokit's published BIO figures."""
    pairs = [(area, "bio-2021") for area in _BIO_2021_AREAS] + [(area, "bio-2016") for area in _BIO_2016_AREAS]
    return st.sampled_from(pairs).map(lambda pair: likelihood_of_approval(pair[0], pair[1]))


def _costs(currency: str) -> st.SearchStrategy[Money]:
    return st.decimals(min_value=Decimal(0), max_value=Decimal("1e9"), places=2).map(lambda a: Money(a, currency))


def programme_studies(*, currency: str = "USD") -> st.SearchStrategy[ProgrammeStudy]:
    """:class:`~crokit.forecast.ProgrammeStudy` values costing up to 1e9 in *currency*."""
    return st.builds(
        ProgrammeStudy,
        name=st.sampled_from(
            ("FIH", "Phase 2 proof of concept", "Pivotal 1", "Pivotal 2", "Filing", "Long-term safety")
        ),
        stage=st.sampled_from(_PROGRAMME_STAGES),
        cost=_costs(currency),
    )


def cash_flow_items(*, currency: str = "USD") -> st.SearchStrategy[CashFlowItem]:
    """:class:`~crokit.forecast.CashFlowItem` values, signed, in *currency*."""
    return st.builds(
        CashFlowItem,
        on=_STARTS,
        amount=st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2).map(
            lambda a: Money(a, currency)
        ),
        stage=st.sampled_from(_PROGRAMME_STAGES),
    )


@st.composite
def programmes(draw: st.DrawFn, *, currency: str = "USD") -> Programme:
    """:class:`~crokit.forecast.Programme` values: a start stage and studies and flows from it on."""
    start = draw(st.sampled_from(GATES))
    later = [stage for stage in _PROGRAMME_STAGES if _PROGRAMME_STAGES.index(stage) >= _PROGRAMME_STAGES.index(start)]
    studies = draw(st.lists(programme_studies(currency=currency), max_size=6))
    flows = draw(st.lists(cash_flow_items(currency=currency), max_size=6))
    return Programme(
        transitions=draw(phase_transitions()),
        start=start,
        studies=tuple(ProgrammeStudy(name=s.name, stage=draw(st.sampled_from(later)), cost=s.cost) for s in studies),
        cash_flows=tuple(CashFlowItem(on=f.on, amount=f.amount, stage=draw(st.sampled_from(later))) for f in flows),
    )


def risk_adjusted_costs(*, currency: str = "USD") -> st.SearchStrategy[RiskAdjustedCost]:
    """:class:`~crokit.forecast.RiskAdjustedCost` values (a study's cost times a probability)."""
    return st.builds(
        lambda study, probability: RiskAdjustedCost(
            study=study, probability=probability, expected=study.cost * probability
        ),
        programme_studies(currency=currency),
        _probabilities(),
    )


def forecast_settings(*, max_groups: int = 3) -> st.SearchStrategy[ForecastSettings]:
    """:class:`~crokit.forecast.ForecastSettings` values: distinct site groups, a seed, small simulations."""

    @st.composite
    def build(draw: st.DrawFn) -> ForecastSettings:
        count = draw(st.integers(1, max_groups))
        groups = tuple(draw(site_groups(group_id=f"g{index}", max_sites=10)) for index in range(count))
        return ForecastSettings(
            groups=groups,
            seed=draw(st.integers(1, 10**15 - 1)),
            simulations=draw(st.integers(1, 5_000)),
            levels=draw(_levels()),
            note=draw(st.none() | st.sampled_from(["illustrative", "feasibility survey"])),
        )

    return build()


def _amounts(currency: str) -> st.SearchStrategy[Money]:
    return st.decimals(min_value=0, max_value=10**9, places=2).map(lambda amount: Money(amount, currency))


def money_quantiles(*, currency: str = "USD") -> st.SearchStrategy[MoneyQuantile]:
    """:class:`~crokit.forecast.MoneyQuantile` values: a level strictly between 0 and 1 and an amount."""
    return st.builds(MoneyQuantile, level=st.floats(0.01, 0.99), amount=_amounts(currency))


@st.composite
def _ordered_quantiles(draw: st.DrawFn, currency: str) -> tuple[MoneyQuantile, ...]:
    levels = draw(_levels())
    amounts = sorted(draw(st.lists(_amounts(currency), min_size=len(levels), max_size=len(levels))))
    return tuple(MoneyQuantile(level=level, amount=amount) for level, amount in zip(levels, amounts, strict=True))


def quarter_costs(*, currency: str = "USD") -> st.SearchStrategy[QuarterCost]:
    """:class:`~crokit.forecast.QuarterCost` values for a calendar quarter."""

    @st.composite
    def build(draw: st.DrawFn) -> QuarterCost:
        year, quarter = draw(st.integers(2020, 2040)), draw(st.integers(1, 4))
        return QuarterCost(
            quarter=f"{year}-Q{quarter}",
            start=dt.date(year, 3 * quarter - 2, 1),
            quantiles=draw(_ordered_quantiles(currency)),
            mean=draw(_amounts(currency)),
        )

    return build()


def variance_shares(*, currency: str = "USD") -> st.SearchStrategy[VarianceShare]:
    """:class:`~crokit.forecast.VarianceShare` values: a pricing model, its bearer and its share."""
    return st.builds(
        VarianceShare,
        model=st.sampled_from(["unit", "fixed-fee", "fte", "grants", "pass-through", "adjustment"]),
        bearer=st.sampled_from(["sponsor", "cro"]),
        planned=_amounts(currency),
        spread=_amounts(currency),
        share=st.decimals(min_value=0, max_value=1, places=4),
    )


def cost_forecasts(*, currency: str = "USD") -> st.SearchStrategy[CostForecast]:
    """:class:`~crokit.forecast.CostForecast` values (fields drawn independently, each valid)."""

    @st.composite
    def build(draw: st.DrawFn) -> CostForecast:
        return CostForecast(
            candidate=draw(st.sampled_from(["helix-cro", "globalcro", "orphan-trials"])),
            currency=currency,
            planned=draw(_amounts(currency)),
            total=draw(_ordered_quantiles(currency)),
            mean=draw(_amounts(currency)),
            quarters=tuple(draw(st.lists(quarter_costs(currency=currency), max_size=3))),
            variance=tuple(draw(st.lists(variance_shares(currency=currency), max_size=3))),
            sponsor_share=draw(st.decimals(min_value=0, max_value=1, places=4)),
            explanation="The sponsor carries the spread of unit prices.",
        )

    return build()


@st.composite
def cost_forecast_results(draw: st.DrawFn) -> CostForecastResult:
    """:class:`~crokit.forecast.CostForecastResult` values: a drawn enrolment forecast and cost forecasts."""
    enrolment = draw(enrolment_forecasts())
    levels = tuple(quantile.level for quantile in enrolment.last_patient_in.quantiles)
    return CostForecastResult(
        simulations=draw(st.integers(1, 10_000)),
        seed=draw(st.integers(1, 10**15 - 1)),
        levels=levels,
        enrolment_start=dt.date(2027, 1, 1),
        enrolment=enrolment,
        enrolment_months=tuple((level, draw(st.integers(1, 60))) for level in levels),
        planned_enrolment_months=draw(st.integers(1, 60)),
        costs=tuple(draw(st.lists(cost_forecasts(), max_size=2))),
        note=draw(st.none() | st.just("illustrative")),
    )


def simulated_drivers(*, max_trials: int = 20) -> st.SearchStrategy[SimulatedDrivers]:
    """:class:`~crokit.forecast.SimulatedDrivers` of the demo study: small simulations (imports NumPy)."""
    from crokit.demo import demo_scenario
    from crokit.forecast.cost_drivers import simulate_drivers
    from crokit.forecast.cost_forecast import enrolment_model
    from crokit.forecast.simulation import simulate_enrolment

    scenario = demo_scenario()
    settings = scenario.forecast
    assert settings is not None  # noqa: S101 - the demo has a forecast section
    model = enrolment_model(scenario.study, scenario.assumptions.startup_months, settings)
    return st.builds(
        lambda trials, seed: simulate_drivers(
            scenario.study, scenario.assumptions, simulate_enrolment(model, trials=trials, seed=seed)
        ),
        st.integers(1, max_trials),
        st.integers(1, 2**32),
    )


def simulated_budgets(*, max_trials: int = 20) -> st.SearchStrategy[SimulatedBudget]:
    """:class:`~crokit.forecast.SimulatedBudget` values: a demo proposal priced over small simulations."""
    from crokit.demo import demo_scenario
    from crokit.forecast.cost_pricing import price_simulated
    from crokit.registry import Registry

    scenario = demo_scenario()
    proposals = [candidate.proposal for candidate in scenario.candidates if candidate.proposal is not None]
    return st.builds(
        lambda drivers, proposal: price_simulated(
            proposal, drivers, registry=Registry.builtin(), fx=scenario.fx, on=scenario.study.start_date
        ),
        simulated_drivers(max_trials=max_trials),
        st.sampled_from(proposals),
    )
