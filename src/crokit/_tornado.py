"""The tornado's engine: :func:`assumption_sensitivity`, public as :func:`crokit.sensitivity.assumption_sensitivity`.

Each assumption is read from the scenario, changed with :func:`attrs.evolve` and the
changed scenario run through :func:`crokit.evaluate`; each value is evaluated once
per assumption, and a break-even is bracketed by bisection between a value that keeps
the winner and one that changes it.
"""

from __future__ import annotations

import math
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Any

import attrs

from crokit._decimal import CONTEXT, in_crokit_context
from crokit.errors import CrokitError, ValidationError
from crokit.money import FxRate, FxTable, Money
from crokit.sensitivity import (
    AssumptionRange,
    AssumptionSensitivity,
    BreakEven,
    CandidateSwing,
    PlanningAssumption,
    SensitivitySettings,
    Tornado,
    default_range,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from crokit.registry import Registry
    from crokit.scenario import Evaluation, Scenario

__all__ = ["assumption_sensitivity"]


def _fx_override(scenario: Scenario, currency: str, value: Decimal) -> FxTable:
    """The scenario's table with *value* as the *currency* -> study rate on the study's start date."""
    study = scenario.study
    start = study.start_date
    kept = tuple(
        rate
        for rate in scenario.fx.rates
        if not (rate.as_of == start and {rate.base, rate.quote} == {currency, study.currency})
    )
    varied = FxRate(
        base=currency, quote=study.currency, rate=value, as_of=start, source="crokit sensitivity: varied rate"
    )
    return FxTable(rates=(*kept, varied))


def _read(scenario: Scenario, assumption: PlanningAssumption, currency: str | None) -> Decimal | None:
    """The scenario's value of *assumption*, or ``None`` when the scenario does not state it."""
    study, plan = scenario.study, scenario.assumptions
    values: dict[PlanningAssumption, object] = {
        PlanningAssumption.SCREEN_FAILURE_RATE: study.screen_failure_rate,
        PlanningAssumption.DROPOUT_RATE: study.dropout_rate,
        PlanningAssumption.ENROLMENT_MONTHS: plan.enrolment_months,
        PlanningAssumption.SITES: study.sites if plan.activation.is_even else None,
        PlanningAssumption.MONITORING_INTERVAL_WEEKS: plan.monitoring_interval_weeks,
        PlanningAssumption.MONITORING_VISITS_PER_SITE_MONTH: plan.monitoring_visits_per_site_month,
        PlanningAssumption.STARTUP_MONTHS: plan.startup_months,
        PlanningAssumption.TREATMENT_MONTHS: plan.treatment_months,
        PlanningAssumption.CLOSEOUT_MONTHS: plan.closeout_months,
    }
    if assumption is PlanningAssumption.FX_RATE:
        if currency is None or currency == study.currency:
            return None
        return scenario.fx.rate(currency, study.currency, study.start_date)
    value = values[assumption]
    return None if value is None else Decimal(str(value))


def _changed(scenario: Scenario, assumption: PlanningAssumption, currency: str | None, value: Decimal) -> Scenario:
    """*scenario* with *assumption* set to *value*; a new value, the scenario untouched."""
    study, plan = scenario.study, scenario.assumptions
    if assumption is PlanningAssumption.FX_RATE:
        return attrs.evolve(scenario, fx=_fx_override(scenario, str(currency), value))
    if assumption is PlanningAssumption.SCREEN_FAILURE_RATE:
        return attrs.evolve(scenario, study=attrs.evolve(study, screen_failure_rate=value))
    if assumption is PlanningAssumption.DROPOUT_RATE:
        return attrs.evolve(scenario, study=attrs.evolve(study, dropout_rate=value))
    if assumption is PlanningAssumption.SITES:
        return attrs.evolve(scenario, study=attrs.evolve(study, sites=int(value)))
    if assumption is PlanningAssumption.MONITORING_VISITS_PER_SITE_MONTH:
        return attrs.evolve(scenario, assumptions=attrs.evolve(plan, monitoring_visits_per_site_month=value))
    changes: dict[str, Any] = {assumption.value.replace("-", "_"): int(value)}
    return attrs.evolve(scenario, assumptions=attrs.evolve(plan, **changes))


def _foreign_currencies(scenario: Scenario) -> list[str]:
    found = {
        candidate.proposal.currency
        for candidate in scenario.candidates
        if candidate.proposal is not None and candidate.proposal.currency != scenario.study.currency
    }
    return sorted(found)


def _plain(scenario: Scenario) -> Scenario:
    """*scenario* without the optional analyses, so an evaluation inside the tornado never runs them again."""
    # "forecast" is the Monte Carlo section of issue #14 section 2, cleared when present.
    fields = attrs.fields_dict(type(scenario))
    cleared: dict[str, Any] = {name: None for name in ("sensitivity", "forecast") if name in fields}
    return attrs.evolve(scenario, **cleared)


def _requested(
    scenario: Scenario, settings: SensitivitySettings
) -> tuple[list[tuple[str, AssumptionRange]], list[str]]:
    """The ranges to run, each with its path, and the default assumptions left out with why."""
    if settings.ranges:
        return [(f"scenario.sensitivity.ranges[{i}]", item) for i, item in enumerate(settings.ranges)], []
    plan = scenario.assumptions
    chosen = [
        PlanningAssumption.SCREEN_FAILURE_RATE,
        PlanningAssumption.DROPOUT_RATE,
        PlanningAssumption.ENROLMENT_MONTHS,
        PlanningAssumption.SITES,
        PlanningAssumption.MONITORING_INTERVAL_WEEKS
        if plan.monitoring_interval_weeks is not None
        else PlanningAssumption.MONITORING_VISITS_PER_SITE_MONTH,
        PlanningAssumption.STARTUP_MONTHS,
    ]
    skipped = []
    if not plan.activation.is_even:
        chosen.remove(PlanningAssumption.SITES)
        skipped.append("sites: the assumptions give an explicit activation plan, which opens a fixed number of sites")
    ranges = [("scenario.sensitivity", AssumptionRange(assumption=item)) for item in chosen]
    currencies = _foreign_currencies(scenario)
    ranges += [
        ("scenario.sensitivity", AssumptionRange(assumption=PlanningAssumption.FX_RATE, currency=code))
        for code in currencies
    ]
    if not currencies:
        skipped.append(f"exchange rate: every proposal is in the study's currency ({scenario.study.currency})")
    return ranges, skipped


@attrs.frozen
class _Point:
    totals: dict[str, Money]
    winner: str | None


class _Runner:
    """Evaluates one assumption at given values, each value once."""

    def __init__(
        self, scenario: Scenario, item: AssumptionRange, currency: str | None, path: str, evaluate: Callable[..., Any]
    ) -> None:
        self.scenario, self.item, self.currency, self.path = scenario, item, currency, path
        self.evaluate = evaluate
        self.points: dict[Decimal, _Point] = {}

    def at(self, value: Decimal) -> _Point:
        found = self.points.get(value)
        if found is not None:
            return found
        try:
            evaluation = self.evaluate(_changed(self.scenario, self.item.assumption, self.currency, value))
        except CrokitError as exc:
            raise ValidationError.at(
                self.path, f"with {self.item.assumption.label} = {value} the scenario is refused: {exc}"
            ) from None
        point = _point(evaluation)
        self.points[value] = point
        return point

    def break_even(self, near: Decimal, far: Decimal, tolerance: Decimal, width: Decimal) -> BreakEven | None:
        """Bisect between *near* (its winner kept) and *far* if their winners differ."""
        keep = self.at(near).winner
        if self.at(far).winner == keep:
            return None
        whole = self.item.assumption.is_whole
        step = Decimal(1) if whole else CONTEXT.multiply(tolerance, width)
        grid = Decimal(1) if whole else Decimal(1).scaleb(math.floor(step.log10(CONTEXT)))
        while abs(far - near) > step:
            middle = CONTEXT.divide(near + far, Decimal(2)).quantize(grid, rounding=ROUND_FLOOR)
            if middle in {near, far}:
                break
            if self.at(middle).winner == keep:
                near = middle
            else:
                far = middle
        return BreakEven(before=near, after=far, winner_before=keep, winner_after=self.at(far).winner, exact=whole)


def _point(evaluation: Evaluation) -> _Point:
    # The total the ranking reads: the normalised bid plus the scope it leaves out.
    totals = {
        result.id: result.ranked_total if result.ranked_total is not None else result.budget.total
        for result in evaluation.candidates
        if result.budget is not None
    }
    return _Point(totals=totals, winner=evaluation.winner)


def _resolve(scenario: Scenario, path: str, item: AssumptionRange) -> tuple[str | None, Decimal, Decimal, Decimal]:
    """The currency, base, low and high values of *item* in *scenario*."""
    currency = item.currency
    if item.assumption is PlanningAssumption.FX_RATE and currency is None:
        foreign = _foreign_currencies(scenario)
        if len(foreign) != 1:
            raise ValidationError.at(
                f"{path}.currency",
                f"name the currency whose rate to vary: the proposals use {', '.join(foreign) or 'no other currency'}",
            )
        currency = foreign[0]
    try:
        base = _read(scenario, item.assumption, currency)
    except CrokitError as exc:
        raise ValidationError.at(f"{path}.currency", str(exc)) from None
    if base is None:
        raise ValidationError.at(f"{path}.assumption", _not_stated(scenario, item.assumption, currency))
    low, high = default_range(item.assumption, base, patients=scenario.study.planned_patients)
    low = item.low if item.low is not None else min(low, item.high) if item.high is not None else low
    high = item.high if item.high is not None else max(high, low)
    if item.assumption is PlanningAssumption.SITES and high > scenario.study.planned_patients:
        raise ValidationError.at(
            f"{path}.high", f"expected at most the study's {scenario.study.planned_patients} patients, got {high}"
        )
    return currency, base, low, high


def _not_stated(scenario: Scenario, assumption: PlanningAssumption, currency: str | None) -> str:
    if assumption is PlanningAssumption.SITES:
        return "sites cannot be varied: the assumptions give an explicit activation plan, which opens a fixed number"
    if assumption is PlanningAssumption.FX_RATE:
        return f"{currency} is the study's own currency: there is no exchange rate to vary"
    stated = (
        "monitoring-interval-weeks"
        if scenario.assumptions.monitoring_interval_weeks is not None
        else "monitoring-visits-per-site-month"
    )
    return f"the assumptions state the monitoring frequency as {stated}, not {assumption.value}: vary that instead"


def _row(
    scenario: Scenario,
    path: str,
    item: AssumptionRange,
    *,
    tolerance: Decimal,
    base: _Point,
    evaluate: Callable[..., Any],
) -> AssumptionSensitivity:
    currency, value, low, high = _resolve(scenario, path, item)
    runner = _Runner(scenario, item, currency, path, evaluate)
    runner.points[value] = base
    at_low, at_high = runner.at(low), runner.at(high)
    names = {candidate.id: candidate.profile.name for candidate in scenario.candidates}
    swings = tuple(
        CandidateSwing(candidate=id_, name=names[id_], base=total, low=at_low.totals[id_], high=at_high.totals[id_])
        for id_, total in base.totals.items()
        if id_ in at_low.totals and id_ in at_high.totals
    )
    anchor = min(max(value, low), high)
    width = high - low
    return AssumptionSensitivity(
        assumption=item.assumption,
        currency=currency,
        base=value,
        low=low,
        high=high,
        candidates=swings,
        winner=base.winner,
        winner_low=at_low.winner,
        winner_high=at_high.winner,
        break_even_low=runner.break_even(anchor, low, tolerance, width) if low < anchor else None,
        break_even_high=runner.break_even(anchor, high, tolerance, width) if anchor < high else None,
    )


def _order(row: AssumptionSensitivity) -> tuple[Decimal, int]:
    swing = row.swing
    return (-(swing.amount if swing is not None else Decimal(0)), list(PlanningAssumption).index(row.assumption))


@in_crokit_context
def assumption_sensitivity(
    scenario: Scenario, *, registry: Registry | None = None, settings: SensitivitySettings | None = None
) -> Tornado:
    """Vary each assumption of *settings* alone over its range and report totals, winners and break-evens.

    A pure function: every changed scenario is made with :func:`attrs.evolve` and run
    through :func:`crokit.evaluate` (without the scenario's own ``sensitivity`` and
    ``forecast`` sections, so nothing recurses), without a seed: the winner is the
    ranking's, which a seed does not change.

    Args:
        scenario: The scenario to analyse.
        registry: The vocabulary (default: :func:`~crokit.default_registry`).
        settings: What to vary; default: the scenario's ``sensitivity`` section, or
            when it has none, the default set over default ranges.

    The default set: screen-failure rate, dropout rate, enrolment months, sites (when
    they open evenly over start-up), the monitoring frequency in the form the
    assumptions state it, start-up months, and the exchange rate of each proposal
    currency other than the study's; ranges from :func:`default_range`.

    Raises:
        ValidationError: A range the scenario cannot take (an assumption it does not
            state, more sites than patients, a value at which it is refused), with the
            path of the range in the scenario (``scenario.sensitivity.ranges[0]``).
    """
    from crokit.registry import default_registry
    from crokit.scenario import evaluate

    registry = registry if registry is not None else default_registry()
    chosen = settings if settings is not None else scenario.sensitivity or SensitivitySettings()
    plain = _plain(scenario)

    def run(changed: Scenario) -> Evaluation:
        return evaluate(changed, registry=registry)

    base = _point(run(plain))
    ranges, skipped = _requested(plain, chosen)
    rows = [_row(plain, path, item, tolerance=chosen.tolerance, base=base, evaluate=run) for path, item in ranges]
    return Tornado(
        currency=scenario.study.currency,
        winner=base.winner,
        tolerance=chosen.tolerance,
        assumptions=tuple(sorted(rows, key=_order)),
        not_varied=tuple(skipped),
    )
