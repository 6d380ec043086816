"""One page for an evaluation: the ranking, the winner's budget and payments, and the milestone plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crokit.errors import ValidationError
from crokit.plot._charts import plot_budget, plot_cash_flow, plot_contributions, plot_timeline
from crokit.plot._common import axes_for, bars_height, colour, figure_of, new_figure, wrap
from crokit.presentation import _format as fmt

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from crokit.registry import Registry
    from crokit.scenario import Evaluation
    from crokit.selection.models import Ranking

__all__ = ["dashboard", "plot_scores"]


def plot_scores(ranking: Ranking, *, ax: Axes | None = None) -> Figure:
    """Horizontal bars of the eligible candidates' scores, best at the top, for any method.

    Raises:
        MissingDependencyError: If matplotlib is not installed (extra ``plot``).
        ValidationError: If no candidate is eligible.
    """
    if not ranking.scorecards:
        raise ValidationError.at("ranking.scorecards", "no candidate is eligible: there are no scores to draw")
    cards = ranking.scorecards
    axes = axes_for(ax, width=8.0, height=bars_height(len(cards)))
    positions = list(range(len(cards)))
    scores = [card.score for card in cards]
    axes.barh(positions, scores, color=colour(0)[0], height=0.7)
    for position, score in zip(positions, scores, strict=True):
        axes.annotate(
            f"{score:.3f}",
            xy=(max(score, 0.0), position),
            xytext=(3, 0),
            textcoords="offset points",
            verticalalignment="center",
            fontsize="small",
        )
    axes.set_xlim(min(0.0, *scores), max(*scores, 1e-9) * 1.15)
    axes.set_yticks(positions, [wrap(f"{card.rank}. {card.name}") for card in cards])
    axes.set_ylim(len(cards) - 0.5, -0.5)
    axes.set_xlabel("Score")
    axes.set_title(f"Ranking by {fmt.method(ranking.method)}")
    return figure_of(axes)


def dashboard(evaluation: Evaluation, *, registry: Registry | None = None) -> Figure:
    """A one-page figure of *evaluation*: ranking, the winner's budget by service, its payments, the milestones.

    The ranking panel shows each eligible candidate's score split by criterion (plain
    scores under weighted product); the budget, the cumulative payments (with the
    milestones numbered along the top) and the milestone plan are the winner's. The
    figure uses constrained layout and grows with the number of candidates. Services and
    criteria are named from *registry* (crokit's built-in vocabulary when ``None``).

    Raises:
        MissingDependencyError: If matplotlib is not installed (extra ``plot``).
        ValidationError: If no candidate is eligible, so there is no winner to show.
    """
    from crokit.scenario import planned_milestones

    if evaluation.winner is None:
        raise ValidationError.at("evaluation.winner", "no candidate is eligible: there is no winner to show")
    winner = evaluation.candidate(evaluation.winner)
    if winner.budget is None or winner.schedule is None:
        raise ValidationError.at("evaluation.winner", f"the winner {winner.id!r} has no priced budget to show")
    plan = planned_milestones(evaluation.study, evaluation.drivers)
    candidates = len(evaluation.ranking.scorecards)
    services = len(winner.budget.by_service())
    top = max(3.2, 0.5 * max(candidates, services) + 1.4)
    bottom = max(4.2, 0.36 * len(plan.dates) + 1.6)
    figure = new_figure(width=16.0, height=top + bottom + 0.8)
    grid = figure.add_gridspec(2, 2, height_ratios=[top, bottom], width_ratios=[1.1, 1.0])
    ranking_axes = figure.add_subplot(grid[0, 0])
    if evaluation.ranking.method == "weighted-product":
        plot_scores(evaluation.ranking, ax=ranking_axes)
    else:
        plot_contributions(evaluation.ranking, ax=ranking_axes, registry=registry)
    plot_budget(winner.budget, ax=figure.add_subplot(grid[0, 1]), registry=registry)
    plot_cash_flow(winner.schedule, ax=figure.add_subplot(grid[1, 0]), milestones=plan)
    if plan.dates:
        plot_timeline(plan, ax=figure.add_subplot(grid[1, 1]))
    heading = evaluation.title or f"{evaluation.sponsor}: {evaluation.study.name}"
    figure.suptitle(wrap(f"{heading}: winner {winner.name}", 110), fontsize="x-large")
    return figure
