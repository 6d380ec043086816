"""Matplotlib charts of budgets, cash flow, milestone timelines and rankings.

Each function draws on the :class:`~matplotlib.axes.Axes` it is given and returns it;
without one it makes a new :class:`~matplotlib.figure.Figure` (not a pyplot figure, so
nothing is left open in pyplot's state) and returns its single Axes, whose ``figure``
a notebook can display. Nothing here calls ``plt.show()``, changes the style or touches
``rcParams``. Exact amounts are converted to floats only to be drawn.

matplotlib is imported only when a chart is drawn; install it with
``pip install 'crokit[plot]'``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from crokit.errors import MissingDependencyError, ValidationError
from crokit.money import Money
from crokit.pricing.budget import Budget
from crokit.schedule.payments import PaymentSchedule
from crokit.schedule.terms import MilestonePlan
from crokit.selection.models import Ranking

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_acceptability", "plot_budget", "plot_cash_flow", "plot_contributions", "plot_timeline"]


def _axes(ax: Axes | None) -> Axes:
    """*ax*, or the single Axes of a new figure outside pyplot; imports matplotlib either way."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingDependencyError("matplotlib", "plot") from None
    if ax is not None:
        return ax
    return Figure().add_subplot()


def _dates(days: list[dt.date]) -> list[float]:
    from matplotlib.dates import date2num

    return [float(date2num(day)) for day in days]  # type: ignore[no-untyped-call]


def _date_axis(axes: Axes) -> None:
    """Format the x axis as dates, with concise tick labels."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def plot_budget(budget: Budget, *, ax: Axes | None = None, by: Literal["service", "stage"] = "service") -> Axes:
    """Horizontal bars of *budget*'s totals by service (sorted by id) or by lifecycle stage, first at the top.

    Raises:
        MissingDependencyError: If matplotlib is not installed (extra ``plot``).
        ValidationError: If *by* is not ``"service"`` or ``"stage"``.
    """
    if by == "service":
        totals = list(budget.by_service().items())
    elif by == "stage":
        totals = [(stage.label, amount) for stage, amount in budget.by_stage().items()]
    else:
        raise ValidationError.at("by", f"expected 'service' or 'stage', got {by!r}")
    axes = _axes(ax)
    positions = list(range(len(totals)))
    axes.barh(positions, [float(amount.amount) for _, amount in totals])
    axes.set_yticks(positions, [label for label, _ in totals])
    axes.set_ylim(len(totals) - 0.5, -0.5)
    axes.set_xlabel(f"Amount ({budget.currency})")
    axes.set_title(f"Budget by {by}: total {budget.total}")
    return axes


def plot_cash_flow(
    schedule: PaymentSchedule, *, ax: Axes | None = None, milestones: MilestonePlan | None = None
) -> Axes:
    """The cumulative amount paid over time as a step line, from the contract start.

    The line starts at zero on the contract start and steps up (or down, for a credit)
    on each due date; with *milestones*, each planned milestone is a dashed vertical
    line labelled with its name.

    Raises:
        MissingDependencyError: If matplotlib is not installed (extra ``plot``).
    """
    axes = _axes(ax)
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
    axes.step(_dates(days), paid, where="post", label=f"Cumulative paid ({schedule.currency})")
    if milestones is not None:
        planned = sorted(milestones.dates, key=lambda item: (item.date, item.milestone.order))
        for item, x in zip(planned, _dates([item.date for item in planned]), strict=True):
            axes.axvline(x, linestyle="--", linewidth=0.8, color="grey")
            axes.text(
                x,
                0.98,
                f" {item.milestone.label}",
                transform=axes.get_xaxis_transform(),
                rotation=90,
                verticalalignment="top",
                horizontalalignment="right",
                fontsize="small",
            )
    _date_axis(axes)
    axes.set_ylabel(f"Cumulative paid ({schedule.currency})")
    axes.set_title(f"Cash flow: total {schedule.total}")
    return axes


def plot_timeline(plan: MilestonePlan, *, ax: Axes | None = None) -> Axes:
    """The planned milestones on a time line: a marker per milestone on its date, labelled.

    Labels alternate above and below the line, at two heights, so neighbours overlap less.

    Raises:
        MissingDependencyError: If matplotlib is not installed (extra ``plot``).
        ValidationError: If the plan has no dates.
    """
    if not plan.dates:
        raise ValidationError.at("plan.dates", "the milestone plan has no dates to draw")
    axes = _axes(ax)
    planned = sorted(plan.dates, key=lambda item: (item.date, item.milestone.order))
    xs = _dates([item.date for item in planned])
    levels = (1.0, -1.0, 1.8, -1.8)
    heights = [levels[index % len(levels)] for index in range(len(planned))]
    axes.plot(xs, [0.0] * len(xs), marker="o", color="black")
    axes.vlines(xs, 0.0, heights, linewidth=0.8, color="grey")
    for item, x, height in zip(planned, xs, heights, strict=True):
        axes.annotate(
            f"{item.milestone.label}\n{item.date.isoformat()}",
            xy=(x, height),
            xytext=(0, 3 if height > 0 else -3),
            textcoords="offset points",
            horizontalalignment="center",
            verticalalignment="bottom" if height > 0 else "top",
            fontsize="small",
        )
    axes.set_ylim(-3.0, 3.0)
    axes.yaxis.set_visible(False)
    _date_axis(axes)
    axes.set_title("Milestone timeline")
    return axes


def _names(ranking: Ranking) -> dict[str, str]:
    return {card.candidate: card.name for card in ranking.scorecards}


def plot_contributions(ranking: Ranking, *, ax: Axes | None = None) -> Axes:
    """Stacked horizontal bars, one per eligible candidate (best at the top), split by criterion.

    Each segment is the criterion's weighted normalised score, so a bar's length is the
    candidate's weighted-sum score (under TOPSIS, the weighted normalised scores that
    the distances are measured on).

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
    axes = _axes(ax)
    labels = [card.name for card in ranking.scorecards]
    positions = list(range(len(labels)))
    left = [0.0] * len(labels)
    for criterion in ranking.criteria:
        values = [dict(card.contributions).get(criterion, 0.0) for card in ranking.scorecards]
        axes.barh(positions, values, left=left, label=criterion)
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(positions, labels)
    axes.set_ylim(len(labels) - 0.5, -0.5)
    axes.set_xlabel("Contribution to the score")
    axes.set_title(f"Contributions by criterion ({ranking.method})")
    axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return axes


def plot_acceptability(ranking: Ranking, *, ax: Axes | None = None) -> Axes:
    """Stacked horizontal bars of each candidate's rank acceptabilities, most often first at the top.

    Each segment is the share of sampled weightings that give the candidate a rank
    (rank 1 first), so every bar is 1 long.

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
    axes = _axes(ax)
    names = _names(ranking)
    rows = sorted(ranking.acceptability, key=lambda row: tuple(-share for share in row.by_rank))
    labels = [names.get(row.candidate, row.candidate) for row in rows]
    positions = list(range(len(rows)))
    ranks = max(len(row.by_rank) for row in rows)
    left = [0.0] * len(rows)
    for rank in range(ranks):
        shares = [row.by_rank[rank] if rank < len(row.by_rank) else 0.0 for row in rows]
        axes.barh(positions, shares, left=left, label=f"Rank {rank + 1}")
        left = [a + b for a, b in zip(left, shares, strict=True)]
    axes.set_yticks(positions, labels)
    axes.set_ylim(len(rows) - 0.5, -0.5)
    axes.set_xlim(0.0, 1.0)
    axes.set_xlabel("Share of weightings")
    seed = f", seed {ranking.seed}" if ranking.seed is not None else ""
    axes.set_title(f"Rank acceptability ({ranking.samples} weightings{seed})")
    axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return axes
