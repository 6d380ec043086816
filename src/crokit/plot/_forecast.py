"""Forecast charts: the enrolment fan chart and each candidate's cost distribution."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crokit.errors import ValidationError
from crokit.plot._common import axes_for, bars_height, colour, date_axis, dates, figure_of, money_axis, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from crokit.forecast.cost import CostForecastResult
    from crokit.forecast.results import EnrolmentForecast

__all__ = ["plot_cost_distribution", "plot_enrolment_fan"]


def _label(level: float) -> str:
    return f"P{round(level * 100, 4):g}"


def plot_enrolment_fan(forecast: EnrolmentForecast, *, ax: Axes | None = None) -> Figure:
    """Patients randomised by the end of each month: the expected count and its band, over dates.

    The band (P10 to P90 by default) is shaded; the expected count is a line; the target
    is a dashed horizontal line, and each level of last patient in is marked on it.

    Raises:
        MissingDependencyError: If matplotlib is not installed (extra ``plot``).
        ValidationError: At ``forecast.curve`` if the forecast has no curve.
    """
    if not forecast.curve:
        raise ValidationError.at("forecast.curve", "expected an enrolment curve (simulate with months=...)")
    points = []
    for point in forecast.curve:
        points.append(point)
        if point.low >= forecast.target:
            break
    axes = axes_for(ax, width=8.0, height=4.5)
    days = dates([point.date for point in points])
    main, _ = colour(0)
    axes.fill_between(
        days,
        [point.low for point in points],
        [point.high for point in points],
        color=main,
        alpha=0.3,
        linewidth=0,
        label=f"{_label(forecast.band[0])}-{_label(forecast.band[1])} band",
    )
    axes.plot(days, [point.expected for point in points], color=main, linewidth=2.0, label="expected")
    axes.axhline(forecast.target, color="0.3", linestyle="--", linewidth=1.0, label=f"target {forecast.target}")
    for index, quantile in enumerate(forecast.last_patient_in.quantiles):
        axes.plot(
            dates([quantile.date]),
            [forecast.target],
            marker="v",
            linestyle="none",
            color=colour(index + 1)[0],
            label=f"last patient in {_label(quantile.level)}: {quantile.date.isoformat()}",
        )
    axes.set_ylim(0, forecast.target * 1.1)
    axes.set_ylabel("patients randomised")
    date_axis(axes)
    axes.grid(axis="y", linewidth=0.5, alpha=0.5)
    axes.legend(loc="lower right", fontsize="small")
    axes.set_title("Enrolment forecast")
    return figure_of(axes)


def plot_cost_distribution(
    result: CostForecastResult, *, ax: Axes | None = None, names: dict[str, str] | None = None
) -> Figure:
    """Each candidate's total under uncertain enrolment: its lowest-to-highest level as a bar, each level marked.

    The planned total (the plan's drivers) is a black tick. *names* maps candidate ids to
    display names (the ids are shown otherwise).

    Raises:
        MissingDependencyError: If matplotlib is not installed (extra ``plot``).
        ValidationError: At ``result.costs`` if no candidate was priced.
    """
    if not result.costs:
        raise ValidationError.at("result.costs", "expected at least one priced candidate")
    names = names or {}
    costs = result.costs
    axes = axes_for(ax, width=8.0, height=bars_height(len(costs)))
    positions = list(range(len(costs)))
    main, _ = colour(0)
    for position, cost in zip(positions, costs, strict=True):
        low, high = float(cost.total[0].amount.amount), float(cost.total[-1].amount.amount)
        axes.barh(position, high - low, left=low, height=0.5, color=main, alpha=0.35)
        for index, quantile in enumerate(cost.total):
            axes.plot(
                [float(quantile.amount.amount)],
                [position],
                marker="|",
                markersize=18,
                color=colour(index + 1)[0],
                label=_label(quantile.level) if position == 0 else None,
            )
        axes.plot(
            [float(cost.planned.amount)],
            [position],
            marker="x",
            color="black",
            linestyle="none",
            label="planned" if position == 0 else None,
        )
    axes.set_yticks(positions, [wrap(names.get(cost.candidate, cost.candidate)) for cost in costs])
    axes.set_ylim(len(costs) - 0.5, -0.5)
    axes.margins(x=0.08)
    money_axis(axes, costs[0].currency)
    axes.grid(axis="x", linewidth=0.5, alpha=0.5)
    axes.legend(loc="lower right", fontsize="small")
    axes.set_title(wrap(f"Total cost under uncertain enrolment ({result.simulations:,} simulated trials)", 60))
    return figure_of(axes)
