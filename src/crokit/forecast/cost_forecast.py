"""Run a scenario's cost forecast: simulate enrolment, derive drivers, price every proposal exactly.

:func:`forecast_costs` is what :func:`~crokit.evaluate` calls when a scenario has a
``forecast`` section (see :mod:`crokit.forecast.cost` for the settings and results,
and ``docs/forecasting.md`` for the formulas). It imports NumPy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt
from dateutil.relativedelta import relativedelta

from crokit._decimal import CONTEXT, in_crokit_context
from crokit.errors import ValidationError
from crokit.forecast._numbers import date_at
from crokit.forecast.cost import (
    CRO,
    SPONSOR,
    CostForecast,
    CostForecastResult,
    ForecastSettings,
    MoneyQuantile,
    QuarterCost,
    VarianceShare,
)
from crokit.forecast.cost_drivers import SimulatedDrivers, simulate_drivers
from crokit.forecast.cost_pricing import SimulatedBudget, price_simulated
from crokit.forecast.model import EnrolmentModel
from crokit.forecast.simulation import simulate_enrolment
from crokit.money import FxTable, Money
from crokit.pricing.budget import PricingKind
from crokit.pricing.drivers import derive_drivers
from crokit.pricing.proposal import Proposal
from crokit.registry import Registry, default_registry
from crokit.study import Study

if TYPE_CHECKING:
    from crokit.scenario import Scenario

__all__ = ["enrolment_model", "forecast_costs", "forecast_proposal", "quantile_units"]

Ints = npt.NDArray[np.int64]

_FIXED_PRICE: Final = frozenset({PricingKind.FIXED_FEE, PricingKind.FTE, PricingKind.PASS_THROUGH})
"""Models whose price does not move with the simulated drivers: their spread is measured by the study's length."""
_CRO_CARRIES: Final = frozenset({PricingKind.FIXED_FEE})
_SHARE_PLACES: Final = Decimal("0.0001")
_NAMES: Final = {
    PricingKind.UNIT: "unit prices",
    PricingKind.FIXED_FEE: "fixed fees",
    PricingKind.FTE: "FTE time and materials",
    PricingKind.GRANTS: "investigator grants",
    PricingKind.PASS_THROUGH: "pass-through costs",
    PricingKind.ADJUSTMENT: "adjustments",
}


def enrolment_model(study: Study, startup_months: int, settings: ForecastSettings) -> EnrolmentModel:
    """The enrolment model of a scenario's forecast: month 0 is the plan's first enrolment month."""
    return EnrolmentModel(
        start=date_at(study.start_date, float(startup_months)),
        target=study.planned_patients,
        groups=settings.groups,
        screen_failure=float(study.screen_failure_rate),
        dropout=float(study.dropout_rate),
        horizon_months=settings.horizon_months,
    )


def quantile_units(values: Ints, levels: Sequence[float]) -> list[int]:
    """The inverted-CDF empirical quantiles of whole numbers: simulated values themselves, exact.

    The quantile at level ``p`` of ``n`` sorted values is the ``ceil(p n)``-th.
    """
    ordered = np.sort(values)
    count = ordered.size
    return [int(ordered[min(count - 1, max(0, int(np.ceil(level * count)) - 1))]) for level in levels]


def _mean(values: Ints) -> Decimal:
    largest = int(np.abs(values).max()) if values.size else 0
    if largest * values.size < 2**63:
        total = int(values.sum())
    else:  # the sum could leave int64: add exactly on Python integers
        distinct, counts = np.unique(values, return_counts=True)
        total = sum(int(value) * int(count) for value, count in zip(distinct, counts, strict=True))
    return CONTEXT.divide(Decimal(total), Decimal(values.size))


def _units_money(units: int | Decimal, budget: SimulatedBudget) -> Money:
    amount = Decimal(units).scaleb(-budget.minor)
    return Money(amount, budget.currency).rounded()


def _quantiles(values: Ints, levels: Sequence[float], budget: SimulatedBudget) -> tuple[MoneyQuantile, ...]:
    return tuple(
        MoneyQuantile(level=level, amount=budget.money(units))
        for level, units in zip(levels, quantile_units(values, levels), strict=True)
    )


def _quarters(budget: SimulatedBudget, start: dt.date, levels: Sequence[float]) -> tuple[QuarterCost, ...]:
    width = max((line.months.width for line in budget.lines), default=0)
    groups: dict[tuple[int, int], list[int]] = {}
    for month in range(width):
        on = start + relativedelta(months=month)
        groups.setdefault((on.year, (on.month - 1) // 3 + 1), []).append(month)
    sums = budget.between([(months[0], months[-1] + 1) for months in groups.values()])
    result = []
    for column, (year, quarter) in enumerate(groups):
        values: Ints = sums[:, column]
        result.append(
            QuarterCost(
                quarter=f"{year}-Q{quarter}",
                start=dt.date(year, 3 * quarter - 2, 1),
                quantiles=_quantiles(values, levels, budget),
                mean=_units_money(_mean(values), budget),
            )
        )
    return tuple(result)


def _share(part: Decimal, whole: Decimal) -> Decimal:
    if not whole:
        return Decimal(0)
    return min(Decimal(1), CONTEXT.divide(part, whole).quantize(_SHARE_PLACES, rounding=ROUND_HALF_EVEN))


def _variance(
    budget: SimulatedBudget,
    planned: dict[PricingKind, Money],
    drivers: SimulatedDrivers,
    levels: Sequence[float],
) -> tuple[tuple[VarianceShare, ...], Decimal, dict[str, Decimal]]:
    low, high = levels[0], levels[-1]
    months_low, months_high = quantile_units(drivers.total_months, (low, high))
    planned_months = Decimal(drivers.assumptions.total_months)
    length_spread = CONTEXT.divide(Decimal(months_high - months_low), planned_months)
    spreads: list[tuple[PricingKind, str, Money, Decimal]] = []
    for kind in PricingKind:
        lines = [line for line in budget.lines if line.kind is kind]
        if not lines and kind not in planned:
            continue
        values = budget.total_where(lambda line, k=kind: line.kind is k)  # type: ignore[misc]
        lo_units, hi_units = quantile_units(values, (low, high))
        spread_units = Decimal(hi_units - lo_units)
        plan = planned.get(kind, Money.zero(budget.currency))
        if kind in _FIXED_PRICE and not spread_units:
            spread_units = CONTEXT.multiply(abs(plan.amount).scaleb(budget.minor), length_spread)
        bearer = CRO if kind in _CRO_CARRIES else SPONSOR
        spreads.append((kind, bearer, plan, spread_units))
    whole = sum((spread for *_, spread in spreads), Decimal(0))
    shares = tuple(
        VarianceShare(
            model=kind.value,
            bearer=bearer,
            planned=plan,
            spread=_units_money(spread, budget),
            share=_share(spread, whole),
        )
        for kind, bearer, plan, spread in spreads
    )
    sponsor = sum((spread for _, bearer, _, spread in spreads if bearer == SPONSOR), Decimal(0))
    by_model = {_NAMES[kind]: _share(spread, whole) for kind, _, _, spread in spreads if spread}
    return shares, _share(sponsor, whole), by_model


def _percent(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)}%"


def _explain(shares: tuple[VarianceShare, ...], sponsor: Decimal, by_model: dict[str, Decimal]) -> str:
    if not by_model:
        return "The cost does not move with the simulated enrolment, so there is no spread to carry."
    parts = {
        bearer: ", ".join(
            f"{_NAMES[PricingKind(share.model)]} {_percent(share.share)}"
            for share in shares
            if share.bearer == bearer and share.share
        )
        for bearer in (SPONSOR, CRO)
    }
    cro = Decimal(1) - sponsor
    sponsor_text = f"the sponsor carries {_percent(sponsor)} of the cost spread" + (
        f" ({parts[SPONSOR]})" if parts[SPONSOR] else ""
    )
    cro_text = f"the CRO {_percent(cro)}" + (f" ({parts[CRO]})" if parts[CRO] else "")
    return (
        f"{sponsor_text[0].upper()}{sponsor_text[1:]} and {cro_text}: a fixed fee leaves the volume risk with the CRO, "
        "while unit prices, FTE time and pass-through costs pass it to the sponsor."
    )


def forecast_proposal(
    candidate: str,
    proposal: Proposal,
    drivers: SimulatedDrivers,
    levels: Sequence[float],
    *,
    registry: Registry,
    fx: FxTable | None = None,
    on: dt.date | None = None,
) -> CostForecast:
    """One proposal's cost forecast over the simulated drivers.

    Items in another currency than the proposal's are converted with *fx* at the rates
    in force on *on* (the scenario's contract date), as the evaluation converts them.
    """
    study = drivers.study
    budget = price_simulated(proposal, drivers, registry=registry, fx=fx, on=on)
    plan = proposal.price(study, derive_drivers(study, drivers.assumptions), registry=registry, fx=fx, on=on)
    totals = budget.totals
    shares, sponsor, by_model = _variance(budget, plan.by_kind(), drivers, levels)
    return CostForecast(
        candidate=candidate,
        currency=budget.currency,
        planned=plan.total,
        total=_quantiles(totals, levels, budget),
        mean=_units_money(_mean(totals), budget),
        quarters=_quarters(budget, study.start_date, levels),
        variance=shares,
        sponsor_share=sponsor,
        explanation=_explain(shares, sponsor, by_model),
    )


@in_crokit_context
def forecast_costs(scenario: Scenario, *, registry: Registry | None = None) -> CostForecastResult | None:
    """The scenario's cost forecast, or ``None`` if it has no ``forecast`` section.

    Raises:
        ValidationError: With paths under ``forecast`` for an enrolment model that does
            not fit the study (and as :meth:`Proposal.price` would, under
            ``candidates[i].proposal``).
    """
    settings = scenario.forecast
    if settings is None:
        return None
    registry = registry if registry is not None else default_registry()
    study = scenario.study
    try:
        model = enrolment_model(study, scenario.assumptions.startup_months, settings)
    except ValidationError as error:
        raise error.with_prefix("forecast") from None
    band = (settings.levels[0], settings.levels[-1]) if len(settings.levels) > 1 else (0.1, 0.9)
    horizon = max(1, min(240, int(np.ceil(settings.horizon_months))))
    enrolment = simulate_enrolment(model, trials=settings.simulations, seed=settings.seed, months=horizon)
    try:
        drivers = simulate_drivers(study, scenario.assumptions, enrolment)
    except ValidationError as error:
        raise error.with_prefix("forecast") from None
    from crokit._scenario_fx import comparison_date  # the scenario layer, above this module

    on = comparison_date(study, scenario.milestones)
    costs = []
    for index, candidate in enumerate(scenario.candidates):
        if candidate.proposal is None:
            continue
        try:
            costs.append(
                forecast_proposal(
                    candidate.id, candidate.proposal, drivers, settings.levels, registry=registry, fx=scenario.fx, on=on
                )
            )
        except ValidationError as error:
            raise error.with_prefix(f"candidates[{index}].proposal") from None
    months = quantile_units(drivers.enrolment_months, settings.levels)
    return CostForecastResult(
        simulations=settings.simulations,
        seed=settings.seed,
        levels=settings.levels,
        enrolment_start=model.start,
        enrolment=enrolment.summary(levels=settings.levels, band=band),
        enrolment_months=tuple(zip(settings.levels, months, strict=True)),
        planned_enrolment_months=scenario.assumptions.enrolment_months,
        costs=tuple(costs),
        note=settings.note,
    )
