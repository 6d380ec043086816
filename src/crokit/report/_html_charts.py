"""The charts of the HTML report, drawn with :mod:`crokit.plot` and saved as inline SVG.

matplotlib is imported only by :func:`evaluation_charts`, and only to draw; when it is
not installed the report says so in place of the charts and is otherwise complete.
The SVG is made reproducible: text stays text (``svg.fonttype: none``, so it is
small, selectable and searchable), ids come from a fixed salt, and no date is written.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Final

from crokit.errors import CrokitError, MissingDependencyError
from crokit.report._html import Chart, Charts, svg_markup

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from crokit.registry import Registry
    from crokit.scenario import Evaluation

__all__ = ["MISSING_NOTE", "NO_CHARTS_NOTE", "evaluation_charts", "figure_svg"]

MISSING_NOTE: Final = "Charts are left out: matplotlib is not installed (pip install 'crokit[plot]')."
"""What the report says in place of its charts without matplotlib."""

NO_CHARTS_NOTE: Final = "No charts: no candidate was ranked or priced."
"""What the report says when there is nothing to draw."""

_OTHERS: Final = "#9AA5B1"
"""The bars of the candidates that did not win: a grey that the winner's blue stands out from."""


def figure_svg(figure: Figure, *, prefix: str, title: str) -> str:
    """*figure* as inline SVG markup (see :func:`crokit.report._html.svg_markup`), the same bytes every run."""
    from matplotlib import rc_context

    buffer = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "crokit", "svg.image_inline": True}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return svg_markup(buffer.getvalue(), prefix=prefix, title=title)


def _totals(evaluation: Evaluation) -> Figure | None:
    """Horizontal bars of each priced candidate's total budget, in rank order, the winner in colour."""
    from crokit.plot._common import axes_for, bars_height, colour, figure_of, money_axis, money_text, wrap

    priced = [r for r in evaluation.candidates if r.budget is not None and r.rank is not None]
    priced.sort(key=lambda r: r.rank or 0)
    if not priced:
        return None
    axes = axes_for(None, width=8.0, height=bars_height(len(priced)))
    positions = list(range(len(priced)))
    totals = [float(r.budget.total.amount) if r.budget else 0.0 for r in priced]
    colours = [colour(0)[0] if r.id == evaluation.winner else _OTHERS for r in priced]
    axes.barh(positions, totals, color=colours, height=0.7)
    for position, result, value in zip(positions, priced, totals, strict=True):
        amount = result.budget.total if result.budget else None
        label = money_text(amount.amount, amount.currency) if amount else ""
        axes.annotate(
            label,
            xy=(max(value, 0.0), position),
            xytext=(4, 0),
            textcoords="offset points",
            verticalalignment="center",
            fontsize="small",
        )
    axes.set_xlim(min(0.0, *totals), max(*totals, 1.0) * 1.3)
    axes.set_yticks(positions, [wrap(f"{r.rank}. {r.name}") for r in priced])
    axes.set_ylim(len(priced) - 0.5, -0.5)
    money_axis(axes, evaluation.currency)
    axes.set_title("Total budget by candidate")
    return figure_of(axes)


def _figures(evaluation: Evaluation, registry: Registry | None) -> list[tuple[str, str, Figure | None]]:
    """(title, caption, figure) of each chart the evaluation has data for, in reading order."""
    from crokit.plot import plot_acceptability, plot_budget, plot_cash_flow, plot_contributions, plot_scores
    from crokit.scenario import planned_milestones

    ranking = evaluation.ranking
    out: list[tuple[str, str, Figure | None]] = []
    if ranking.scorecards:
        if ranking.method == "weighted-product":
            out.append(("Ranking", "Each eligible candidate's score, best at the top.", plot_scores(ranking)))
        else:
            caption = "Each eligible candidate's score, split into its criteria's weighted contributions."
            out.append(("Ranking", caption, plot_contributions(ranking, registry=registry)))
    out.append(("Total budget by candidate", "The winner in blue; amounts as priced by crokit.", _totals(evaluation)))
    winner = evaluation.candidate(evaluation.winner) if evaluation.winner else None
    if winner is not None and winner.budget is not None:
        caption = f"{winner.name}: the budget by service."
        out.append((f"Budget: {winner.name}", caption, plot_budget(winner.budget, registry=registry)))
    if winner is not None and winner.schedule is not None and winner.schedule.payments:
        plan = planned_milestones(evaluation.study, evaluation.drivers)
        caption = f"{winner.name}: the cumulative amount paid, with the planned milestones numbered along the top."
        out.append((f"Payments: {winner.name}", caption, plot_cash_flow(winner.schedule, milestones=plan)))
    if ranking.acceptability:
        caption = f"Share of {ranking.samples} random weightings giving each candidate each rank."
        out.append(("Rank acceptability", caption, plot_acceptability(ranking)))
    return out


def evaluation_charts(evaluation: Evaluation, *, registry: Registry | None = None) -> Charts:
    """The HTML report's charts of *evaluation*, or a note when matplotlib is missing.

    The charts: the ranking, the total budget of every candidate, the winner's budget
    by service and its payments, and the rank acceptabilities when they were sampled.
    Services and criteria are named from *registry* (crokit's built-in vocabulary when
    ``None``).
    """
    try:
        figures = _figures(evaluation, registry)
    except MissingDependencyError:
        return Charts(note=MISSING_NOTE)
    except CrokitError as exc:  # pragma: no cover - an evaluation the charts cannot draw: the tables still say it all
        return Charts(note=f"Charts are left out: {exc}")
    charts = tuple(
        Chart(title=title, caption=caption, svg=figure_svg(figure, prefix=f"chart{number}", title=title))
        for number, (title, caption, figure) in enumerate(figures, start=1)
        if figure is not None
    )
    return Charts(figures=charts) if charts else Charts(note=NO_CHARTS_NOTE)
