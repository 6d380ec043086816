"""Vectorised pricing over simulated drivers equals the Decimal path, trial by trial."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from crokit import Money, Registry, Stage, UnitBasis
from crokit.errors import CrokitError, ValidationError
from crokit.forecast import ActivationWindow, EnrolmentModel, SiteGroup, simulate_enrolment
from crokit.forecast.cost_drivers import SimulatedDrivers, simulate_drivers
from crokit.forecast.cost_pricing import MAX_UNITS, SimulatedLine, _probe, price_simulated, scaled
from crokit.money import FxTable
from crokit.pricing import (
    Assumptions,
    Contingency,
    CostBucket,
    CurrencyConversion,
    Escalation,
    InvestigatorGrants,
    ManagementFee,
    PercentDiscount,
    PricingKind,
    PricingModel,
    Proposal,
    TieredDiscount,
    TotalTier,
    UnitPrice,
)
from crokit.study import Study
from crokit.testing import (
    assumptions,
    contingencies,
    escalations,
    fixed_fees,
    fte_models,
    investigator_grants,
    management_fees,
    pass_throughs,
    percent_discounts,
    studies,
    tiered_discounts,
    unit_prices,
)

REGISTRY = Registry.builtin()
_NO_SHRINK = (
    Phase.explicit,
    Phase.reuse,
    Phase.generate,
)  # a failing example here is already small; shrinking it takes minutes


def _model(study: Study, shape: float, mean: float, window: float) -> EnrolmentModel:
    """An enrolment model for *study* that reaches its patients well inside the horizon."""
    needed = study.planned_patients / (study.sites * 30.0 * (1 - float(study.screen_failure_rate)))
    mean = max(mean, needed)
    return EnrolmentModel(
        start=study.start_date,
        target=study.planned_patients,
        screen_failure=float(study.screen_failure_rate),
        dropout=float(study.dropout_rate),
        groups=(
            SiteGroup(
                id="all",
                sites=study.sites,
                shape=shape,
                rate=shape / mean,
                activation=ActivationWindow(first=0, last=window),
            ),
        ),
    )


@st.composite
def _simulated(draw: st.DrawFn) -> SimulatedDrivers:
    study = draw(studies(max_patients=60, max_visits=5))
    study = attrs.evolve(
        study, sites=min(study.sites, 12), screen_failure_rate=min(study.screen_failure_rate, Decimal("0.8"))
    )
    plan = draw(assumptions())
    model = _model(
        study,
        draw(st.floats(1.5, 4.0)),
        draw(st.floats(0.2, 3.0)),
        draw(st.floats(0.0, 6.0)),
    )
    enrolment = simulate_enrolment(model, trials=draw(st.integers(1, 12)), seed=draw(st.integers(1, 2**32)))
    try:
        return simulate_drivers(study, plan, enrolment)
    except ValidationError as error:  # a trial past crokit's 600-month timeline is refused, as documented
        assert error.problems[0].path == "enrolment"  # noqa: PT017 - the only refusal expected here
        assume(False)
        raise


_ITEMS: dict[str, Callable[[Study], st.SearchStrategy[PricingModel]]] = {
    "unit-price": lambda study: unit_prices(currency=study.currency, registry=REGISTRY, with_visits=bool(study.visits)),
    "pass-through": lambda study: pass_throughs(currency=study.currency, registry=REGISTRY),
    "fixed-fee": lambda study: fixed_fees(currency=study.currency, registry=REGISTRY),
    "fte": lambda study: fte_models(currency=study.currency, registry=REGISTRY),
    "grants": lambda study: investigator_grants(currency=study.currency, study=study),
}


def _adjustments(study: Study) -> st.SearchStrategy[tuple[object, ...]]:
    one = st.one_of(
        percent_discounts(),
        tiered_discounts(currency=study.currency),
        escalations(start_date=study.start_date),
        contingencies(),
        management_fees(),
    )
    return st.lists(one, max_size=3).map(tuple)


def _in_bucket(bucket: CostBucket) -> Callable[[SimulatedLine], bool]:
    return lambda line: line.bucket is bucket


def _of_kind(kind: PricingKind) -> Callable[[SimulatedLine], bool]:
    return lambda line: line.kind is kind


def _assert_same(
    proposal: Proposal, drivers: SimulatedDrivers, fx: FxTable | None = None, on: dt.date | None = None
) -> None:
    try:
        budget = price_simulated(proposal, drivers, registry=REGISTRY, fx=fx, on=on)
    except ValidationError as refused:
        # refused as the Decimal path refuses the same proposal on the probe set (every line present)
        with pytest.raises(ValidationError) as caught:
            proposal.price(drivers.study, _probe(drivers), registry=REGISTRY, fx=fx, on=on)
        assert caught.value.problems == refused.problems  # noqa: PT017 - both paths must refuse alike
        return
    monthly = budget.by_month()
    for trial in range(drivers.trials):
        decimal = proposal.price(drivers.study, drivers.at(trial), registry=REGISTRY, fx=fx, on=on)
        assert budget.currency == decimal.currency
        assert budget.money(int(budget.totals[trial])) == decimal.total
        for bucket, amount in decimal.by_bucket().items():
            assert budget.money(int(budget.total_where(_in_bucket(bucket))[trial])) == amount
        for kind, amount in decimal.by_kind().items():
            assert budget.money(int(budget.total_where(_of_kind(kind))[trial])) == amount
        months = decimal.by_month()
        for month in range(monthly.shape[1]):
            expected = months.get(month)
            got = int(monthly[trial, month])
            assert got == 0 if expected is None else budget.money(got) == expected, (trial, month)


@pytest.mark.parametrize("kind", sorted(_ITEMS))
@settings(
    max_examples=15,
    deadline=None,
    phases=_NO_SHRINK,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_every_trial_prices_as_the_decimal_path(kind: str, data: st.DataObject) -> None:
    drivers = data.draw(_simulated())
    study = drivers.study
    assume(kind != "grants" or bool(study.visits))  # per-patient grants need a visit schedule
    items: list[PricingModel] = data.draw(st.lists(_ITEMS[kind](study), min_size=1, max_size=3))
    items = [attrs.evolve(item, description=f"item {index}") for index, item in enumerate(items)]
    proposal = Proposal(cro_id="cro", currency=study.currency, items=items, adjustments=data.draw(_adjustments(study)))
    _assert_same(proposal, drivers)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drivers=_simulated(), data=st.data())
def test_a_currency_conversion_is_priced_on_the_decimal_path_exactly(
    drivers: SimulatedDrivers, data: st.DataObject
) -> None:
    study = drivers.study
    from crokit.money import FxRate, FxTable

    target = "EUR" if study.currency != "EUR" else "USD"
    rate = data.draw(st.decimals(min_value=Decimal("0.1"), max_value=50, places=4))
    table = FxTable(
        rates=(FxRate(base=study.currency, quote=target, rate=rate, as_of=dt.date(2000, 1, 1), source="test"),)
    )
    items = [
        UnitPrice(
            service="crokit:on-site-monitoring",
            stage=Stage.PHASE_2,
            basis=UnitBasis.PER_MONITORING_VISIT,
            rate=Money("1900.00", study.currency).rounded(),
        ),
    ]
    proposal = Proposal(
        cro_id="cro",
        currency=study.currency,
        items=items,
        adjustments=(Contingency(rate="0.1"), CurrencyConversion(to=target, fx=table, on=dt.date(2001, 1, 1))),
    )
    _assert_same(proposal, drivers)


@pytest.mark.parametrize(
    ("values", "number", "shift", "expected"),
    [
        ([5, 15, 25, -5, -15], Decimal("0.1"), 0, [0, 2, 2, 0, -2]),  # half-even both ways
        ([3], Decimal("1.005"), 2, [302]),  # 301.5 -> 302
        ([1], Decimal("0.0609"), 0, [0]),
        ([10**6], Decimal("0.1234567890123456789012345678901234"), 0, [123457]),  # beyond int64: Python ints
    ],
)
def test_scaled_rounds_half_even_exactly(values: list[int], number: Decimal, shift: int, expected: list[int]) -> None:
    assert scaled(np.array(values, dtype=np.int64), number, shift, path="x").tolist() == expected


def test_amounts_beyond_the_exact_range_are_refused_with_their_path() -> None:
    with pytest.raises(ValidationError) as caught:
        scaled(np.array([MAX_UNITS], dtype=np.int64), Decimal(10), 0, path="items[0]")
    assert caught.value.problems[0].path == "items[0]"
    assert isinstance(caught.value, CrokitError)


def _demo_like() -> tuple[Study, Assumptions]:
    from crokit.demo import demo_scenario

    scenario = demo_scenario()
    return scenario.study, scenario.assumptions


def test_the_demo_proposals_price_exactly_over_a_simulation() -> None:
    from crokit.demo import demo_scenario

    scenario = demo_scenario()
    study = scenario.study
    model = _model(study, 1.5, 0.4, 3.0)
    drivers = simulate_drivers(study, scenario.assumptions, simulate_enrolment(model, trials=40, seed=11))
    for candidate in scenario.candidates:
        if candidate.proposal is not None:
            # Orphan Trials bills a pass-through in EUR: converted once, as in every trial
            _assert_same(candidate.proposal, drivers, scenario.fx, study.start_date)


def test_items_in_another_currency_that_vary_by_trial_are_priced_on_the_decimal_path() -> None:
    from crokit.demo import demo_scenario

    scenario = demo_scenario()
    study = scenario.study
    drivers = simulate_drivers(
        study, scenario.assumptions, simulate_enrolment(_model(study, 1.5, 0.4, 3.0), trials=12, seed=3)
    )
    proposal = next(c.proposal for c in scenario.candidates if c.id == "orphan-trials")
    assert proposal is not None
    # its grants (which move with the enrolled patients) billed in EUR instead of USD
    grants = next(i for i, item in enumerate(proposal.items) if isinstance(item, InvestigatorGrants))
    item = proposal.items[grants]
    assert isinstance(item, InvestigatorGrants)
    euros = InvestigatorGrants(
        stage=item.stage,
        fee_per_visit=Money("700.00", "EUR"),
        screen_failure_fee=Money("300.00", "EUR"),
        early_termination_fee=Money("400.00", "EUR"),
        startup_fee_per_site=Money("2000.00", "EUR"),
    )
    moved = attrs.evolve(proposal, items=(*proposal.items[:grants], euros, *proposal.items[grants + 1 :]))
    _assert_same(moved, drivers, scenario.fx, study.start_date)


def test_a_tiered_discount_switches_tier_by_trial() -> None:
    study, plan = _demo_like()
    model = _model(study, 1.0, 0.3, 3.0)
    drivers = simulate_drivers(study, plan, simulate_enrolment(model, trials=60, seed=5))
    monitoring = UnitPrice(
        service="crokit:on-site-monitoring",
        stage=Stage.PHASE_2,
        basis=UnitBasis.PER_MONITORING_VISIT,
        rate=Money("1000.00", "USD"),
    )
    middle = int(np.median(drivers.monitoring_visits)) * 1000
    tiers = TieredDiscount(tiers=(TotalTier(min_total=Money(middle, "USD"), rate="0.1"),))
    proposal = Proposal(
        cro_id="cro",
        currency="USD",
        items=(monitoring,),
        adjustments=(
            tiers,
            PercentDiscount(rate="0.02"),
            ManagementFee(rate="0.05"),
            Escalation(annual_rate="0.04", base_date=dt.date(2026, 1, 1), start_date=study.start_date),
        ),
    )
    budget = price_simulated(proposal, drivers, registry=REGISTRY)
    discounted = budget.total_where(lambda line: line.description.startswith("Tiered"))
    assert (discounted < 0).any()
    assert (discounted == 0).any()
    _assert_same(proposal, drivers)


def test_simulated_drivers_refuse_a_target_that_is_not_the_studys() -> None:
    study, plan = _demo_like()
    model = attrs.evolve(_model(study, 1.0, 0.5, 1.0), target=study.planned_patients - 1)
    with pytest.raises(ValidationError) as caught:
        simulate_drivers(study, plan, simulate_enrolment(model, trials=2, seed=1))
    assert caught.value.problems[0].path == "enrolment.model.target"


def test_a_fixed_amount_beyond_the_exact_range_is_refused_not_overflowed() -> None:
    # Fuzz finding (cli, 2026-11-30): a fixed fee of 10^17 USD (10^19 cents) raised a bare
    # OverflowError from NumPy instead of the refusal every other amount gets.
    from crokit.demo import demo_scenario
    from crokit.pricing import FixedFee, MilestonePayment

    scenario = demo_scenario()
    study = scenario.study
    drivers = simulate_drivers(
        study, scenario.assumptions, simulate_enrolment(_model(study, 1.5, 0.4, 3.0), trials=4, seed=3)
    )
    fee = FixedFee(
        service="crokit:project-management",
        stage=Stage.PHASE_2,
        fee=Money("100000000000000000.00", "USD"),
        milestones=(MilestonePayment(milestone="contract-signed", share=Decimal(1)),),
    )
    proposal = Proposal(cro_id="huge", currency="USD", items=(fee,))
    with pytest.raises(ValidationError) as caught:
        price_simulated(proposal, drivers, registry=Registry.builtin())
    assert caught.value.problems[0].path == "items[0]"
    assert "beyond the 1000000000000000 the exact int64 pricing accepts" in caught.value.problems[0].message
