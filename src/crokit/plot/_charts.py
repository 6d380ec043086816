"""The single charts: budget, cash flow, milestone timeline, contributions and acceptability."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from crokit.errors import ValidationError
from crokit.money import Money
from crokit.plot._common import (
    axes_for,
    bars_height,
    colour,
    criterion_name,
    date_axis,
    dates,
    figure_of,
    money_axis,
    money_text,
    registry_or_builtin,
    service_name,
    wrap,
)
from crokit.presentation import _format as fmt

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from crokit.pricing.budget import Budget
    from crokit.registry import Registry
    from crokit.schedule.payments import PaymentSchedule
    from crokit.schedule.terms import MilestoneDate, MilestonePlan
    from crokit.selection.models import Ranking

__all__ = ["plot_acceptability", "plot_budget", "plot_cash_flow", "plot_contributions", "plot_timeline"]

#: Vertical room (axes fraction) of one level of the numbered milestone strip.
_STRIP_STEP = 0.075
#: Two milestone numbers closer than this share of the date span go on different levels.
_STRIP_GAP = 0.06


def plot_budget(
    budget: Budget,
    *,
    ax: Axes | None = None,
    by: Literal["service", "stage"] = "service",
    registry: Registry | None = None,
) -> Figure:
    """Horizontal bars of *budget*'s totals by service or by lifecycle stage, first at the top, amounts at the ends.

    Services are named from *registry* (crokit's built-in vocabulary when ``None``) and
    sorted by id; stages come in lifecycle order.

    Raises:
        MissingDependencyError: If matplotlib is not installed (extra ``plot``).
        ValidationError: If *by* is not ``"service"`` or ``"stage"``.
    """
    if by == "service":
        names = registry_or_builtin(registry)
        totals = [(service_name(names, service), amount) for service, amount in budget.by_service().items()]
    elif by == "stage":
        totals = [(stage.label, amount) for stage, amount in budget.by_stage().items()]
    else:
        raise ValidationError.at("by", f"expected 'service' or 'stage', got {by!r}")
    axes = axes_for(ax, width=8.0, height=bars_height(len(totals)))
    positions = list(range(len(totals)))
    widths = [float(amount.amount) for _, amount in totals]
    axes.barh(positions, widths, color=colour(0)[0], height=0.7)
    for position, (_, amount) in zip(positions, totals, strict=True):
        axes.annotate(
            f" {amount.amount:,.0f}",
            xy=(float(amount.amount), position),
            xytext=(2, 0),
            textcoords="offset points",
            verticalalignment="center",
            fontsize="small",
        )
    axes.set_yticks(positions, [wrap(label) for label, _ in totals])
    axes.set_ylim(len(totals) - 0.5, -0.5)
    axes.set_xlim(min(0.0, *widths), max(0.0, *widths) * 1.3 or 1.0)
    money_axis(axes, budget.currency)
    axes.set_title(wrap(f"Budget by {by}: total {money_text(budget.total.amount, budget.currency)}", 60))
    return figure_of(axes)


def _levels(xs: list[float]) -> list[int]:
    """A level per sorted date so that two numbers on one level are at least ``_STRIP_GAP`` of the span apart."""
    span = (max(xs) - min(xs)) or 1.0
    last: list[float] = []
    result = []
    for x in xs:
        level = next((index for index, end in enumerate(last) if x - end >= _STRIP_GAP * span), len(last))
        if level == len(last):
            last.append(x)
        else:
            last[level] = x
        result.append(level)
    return result


def _milestone_strip(axes: Axes, planned: list[MilestoneDate], top: float) -> None:
    """Numbered markers along the top of *axes* (staggered so none overlap) and a key beside it."""
    from matplotlib.lines import Line2D

    xs = dates([item.date for item in planned])
    levels = _levels(xs)
    depth = max(levels) + 1
    bottom, _ = axes.get_ylim()
    headroom = 0.08 + _STRIP_STEP * depth
    axes.set_ylim(bottom, bottom + (top - bottom) / (1.0 - headroom))
    handles = []
    for number, (item, x, level) in enumerate(zip(planned, xs, levels, strict=True), start=1):
        axes.axvline(x, linestyle="--", linewidth=0.8, color="grey", zorder=1)
        axes.text(
            x,
            0.965 - _STRIP_STEP * level,
            str(number),
            transform=axes.get_xaxis_transform(),
            horizontalalignment="center",
            verticalalignment="top",
            fontsize="small",
            bbox={"boxstyle": "circle,pad=0.2", "facecolor": "white", "edgecolor": "grey", "linewidth": 0.6},
        )
        label = f"{number}  {item.milestone.label}, {fmt.date(item.date)}"
        handles.append(Line2D([], [], linestyle="none", label=label))
    axes.legend(
        handles=handles,
        title="Milestones",
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize="small",
        handlelength=0,
        handletextpad=0,
        frameon=False,
    )


def plot_cash_flow(
    schedule: PaymentSchedule, *, ax: Axes | None = None, milestones: MilestonePlan | None = None
) -> Figure:
    """The cumulative amount paid over time as a step line, from the contract start.

    The line starts at zero on the contract start and steps up (or down, for a credit)
    on each due date. With *milestones*, each planned milestone is a dashed vertical
    line with a number in a strip along the top (numbers close in time are staggered, so
    none overlap) and a key beside the chart names each number's milestone and date.

    Raises:
        MissingDependencyError: If matplotlib is not installed (extra ``plot``).
    """
    axes = axes_for(ax, width=10.0 if milestones is not None else 8.0, height=4.5)
    days = [schedule.contract_start]
    paid = [0.0]
    running = Money.zero(schedule.currency)
    for payment in schedule.payments:
        running += payment.amount
        if payment.due == days[-1]:
            paid[-1] = float(running.amount)
        else:
            days.append(payment.due)
            paid.append(float(running.amount))
    axes.step(dates(days), paid, where="post", color=colour(0)[0], linewidth=2.0, zorder=2)
    top = max(paid) or 1.0
    axes.set_ylim(min(0.0, *paid), top * 1.05)
    if milestones is not None and milestones.dates:
        planned = sorted(milestones.dates, key=lambda item: (item.date, item.milestone.order))
        _milestone_strip(axes, planned, top * 1.05)
    date_axis(axes)
    money_axis(axes, schedule.currency, axis="y")
    axes.grid(axis="y", linewidth=0.5, alpha=0.5)
    axes.set_title(wrap(f"Cumulative payments: total {money_text(schedule.total.amount, schedule.currency)}", 60))
    return figure_of(axes)


def plot_timeline(plan: MilestonePlan, *, ax: Axes | None = None) -> Figure:
    """The planned milestones, one row each in date order (first at the top), a marker on each date.

    Each row is named on the left; the date is written beside its marker, on the side
    with more room, so no two labels overlap whatever the dates.

    Raises:
        MissingDependencyError: If matplotlib is not installed (extra ``plot``).
        ValidationError: If the plan has no dates.
    """
    if not plan.dates:
        raise ValidationError.at("plan.dates", "the milestone plan has no dates to draw")
    planned = sorted(plan.dates, key=lambda item: (item.date, item.milestone.order))
    axes = axes_for(ax, width=8.0, height=max(2.5, 0.4 * len(planned) + 1.4))
    xs = dates([item.date for item in planned])
    rows = list(range(len(planned)))
    low, high = min(xs), max(xs)
    span = (high - low) or 30.0
    axes.hlines(rows, low - 0.3 * span, high + 0.3 * span, color="lightgrey", linewidth=0.6, zorder=1)
    axes.plot(xs, rows, linestyle="none", marker="D", color=colour(0)[0], zorder=2)
    for item, x, row in zip(planned, xs, rows, strict=True):
        right = x - low <= 0.5 * span
        axes.annotate(
            item.date.isoformat(),
            xy=(x, row),
            xytext=(7 if right else -7, 0),
            textcoords="offset points",
            horizontalalignment="left" if right else "right",
            verticalalignment="center",
            fontsize="small",
        )
    axes.set_yticks(rows, [wrap(item.milestone.label) for item in planned])
    axes.set_ylim(len(planned) - 0.5, -0.5)
    axes.set_xlim(low - 0.3 * span, high + 0.3 * span)
    axes.tick_params(axis="y", length=0)
    date_axis(axes)
    axes.set_title("Milestone plan")
    return figure_of(axes)


def _legend_beside(axes: Axes) -> None:
    axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)


def plot_contributions(ranking: Ranking, *, ax: Axes | None = None, registry: Registry | None = None) -> Figure:
    """Stacked horizontal bars, one per eligible candidate (best at the top), split by criterion.

    Each segment is the criterion's weighted normalised score, so a bar's length is the
    candidate's weighted-sum score (under TOPSIS, the weighted normalised scores that
    the distances are measured on). Criteria are named from *registry* (crokit's
    built-in vocabulary when ``None``), candidates by their names.

    Raises:
        MissingDependencyError: If matplotlib is not installed (extra ``plot``).
        ValidationError: If no candidate is eligible, or the ranking is by weighted
            product (its contributions are factors that multiply, not parts that add).
    """
    if not ranking.scorecards:
        raise ValidationError.at("ranking.scorecards", "no candidate is eligible: there are no contributions to draw")
    if ranking.method == "weighted-product":
        raise ValidationError.at(
            "ranking.method",
            "weighted-product contributions are factors whose product is the score; they do not stack into bars",
        )
    names = registry_or_builtin(registry)
    cards = ranking.scorecards
    axes = axes_for(ax, width=10.0, height=bars_height(len(cards)))
    positions = list(range(len(cards)))
    left = [0.0] * len(cards)
    for index, criterion in enumerate(ranking.criteria):
        values = [dict(card.contributions).get(criterion, 0.0) for card in cards]
        fill, hatch = colour(index)
        label = wrap(criterion_name(names, criterion), 28)
        axes.barh(positions, values, left=left, label=label, color=fill, hatch=hatch, edgecolor="white")
        left = [a + b for a, b in zip(left, values, strict=True)]
    for position, card in zip(positions, cards, strict=True):
        axes.annotate(
            f"{card.score:.3f}",
            xy=(max(card.score, 0.0), position),
            xytext=(3, 0),
            textcoords="offset points",
            verticalalignment="center",
            fontsize="small",
        )
    axes.set_xlim(0.0, max(*left, 1e-9) * 1.15)
    axes.set_yticks(positions, [wrap(f"{card.rank}. {card.name}") for card in cards])
    axes.set_ylim(len(cards) - 0.5, -0.5)
    axes.set_xlabel("Score (sum of weighted criterion scores)")
    axes.set_title(f"Ranking by {fmt.method(ranking.method)}: contributions by criterion")
    _legend_beside(axes)
    return figure_of(axes)


def plot_acceptability(ranking: Ranking, *, ax: Axes | None = None) -> Figure:
    """Stacked horizontal bars of each candidate's rank acceptabilities, most often first at the top.

    Each segment is the share of sampled weightings that give the candidate a rank
    (rank 1 first, darkest), so every bar is 1 long.

    Raises:
        MissingDependencyError: If matplotlib is not installed (extra ``plot``).
        ValidationError: If the ranking has no rank acceptabilities (they are sampled
            only when a seed is given to ``select`` or ``evaluate``).
    """
    if not ranking.acceptability:
        raise ValidationError.at(
            "ranking.acceptability",
            "the ranking has no rank acceptabilities: they are sampled only when a seed is given to select or evaluate",
        )
    names = {card.candidate: card.name for card in ranking.scorecards}
    rows = sorted(ranking.acceptability, key=lambda row: tuple(-share for share in row.by_rank))
    axes = axes_for(ax, width=10.0, height=bars_height(len(rows)))
    from matplotlib import colormaps

    # cividis is designed to read the same under red-green colour-vision deficiency
    # (Nuñez, Anderton and Renslow, PLoS ONE 13(7): e0199239, 2018).
    shades = colormaps["cividis"]
    positions = list(range(len(rows)))
    ranks = max(len(row.by_rank) for row in rows)
    left = [0.0] * len(rows)
    for rank in range(ranks):
        shares = [row.by_rank[rank] if rank < len(row.by_rank) else 0.0 for row in rows]
        shade = shades(rank / max(ranks - 1, 1))
        axes.barh(positions, shares, left=left, label=f"Rank {rank + 1}", color=shade, edgecolor="white")
        left = [a + b for a, b in zip(left, shares, strict=True)]
    axes.set_yticks(positions, [wrap(names.get(row.candidate, row.candidate)) for row in rows])
    axes.set_ylim(len(rows) - 0.5, -0.5)
    axes.set_xlim(0.0, 1.0)
    axes.xaxis.set_major_formatter("{x:.0%}")
    axes.set_xlabel("Share of sampled weightings")
    seed = f", seed {ranking.seed}" if ranking.seed is not None else ""
    axes.set_title(f"Rank acceptability ({ranking.samples:,} weightings{seed})")
    _legend_beside(axes)
    return figure_of(axes)
