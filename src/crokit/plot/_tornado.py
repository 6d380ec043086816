"""The tornado chart: how far one candidate's total moves with each planning assumption."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crokit.errors import ValidationError
from crokit.plot._common import axes_for, bars_height, colour, figure_of, money_axis, money_text, wrap

if TYPE_CHECKING:
    from decimal import Decimal

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from crokit.sensitivity import AssumptionSensitivity, CandidateSwing, Tornado

__all__ = ["plot_tornado"]


def _shown(row: AssumptionSensitivity, value: Decimal) -> str:
    if row.assumption.value in {"screen-failure-rate", "dropout-rate"}:
        return f"{(value * 100).normalize():f}%"
    if row.assumption.is_whole:
        return str(int(value))
    return f"{value.normalize():.4g}"


def _label(row: AssumptionSensitivity) -> str:
    values = f"{_shown(row, row.low)} / {_shown(row, row.base)} / {_shown(row, row.high)}"
    changes = "; winner changes" if row.winner_changes else ""
    return f"{wrap(row.label)}\n({values}{changes})"


def _swing_of(row: AssumptionSensitivity, candidate: str) -> CandidateSwing | None:
    return next((swing for swing in row.candidates if swing.candidate == candidate), None)


def plot_tornado(tornado: Tornado, *, candidate: str | None = None, ax: Axes | None = None) -> Figure:
    """One candidate's total at the low and high value of each assumption, largest swing at the top.

    Each bar runs from the candidate's total at the scenario's value (the vertical line)
    to its total at the low value (one colour) and at the high value (the other), so a
    bar's length is the swing. Each row is named with the assumption and its low, base
    and high values, and says when the winner changes within the range. The candidate is
    named, not shown by id; rows it has no totals for are left out.

    Args:
        tornado: The tornado of an evaluation (``evaluation.sensitivity``).
        candidate: The candidate's id; default: the winner at the scenario's values, or
            the first priced candidate when there is none.
        ax: Axes to draw on; default: a new figure.

    Raises:
        MissingDependencyError: If matplotlib is not installed (extra ``plot``).
        ValidationError: If the tornado has no priced candidate, or *candidate* is not one.
    """
    priced = [swing.candidate for row in tornado.assumptions for swing in row.candidates]
    if not priced:
        raise ValidationError.at("tornado.assumptions", "the tornado has no priced candidate to draw")
    chosen = candidate if candidate is not None else tornado.winner if tornado.winner in priced else priced[0]
    if chosen not in priced:
        raise ValidationError.at(
            "candidate", f"expected one of the priced candidates {sorted(set(priced))}, got {chosen!r}"
        )
    rows = [(row, swing) for row in tornado.assumptions if (swing := _swing_of(row, chosen)) is not None]
    rows.sort(key=lambda pair: pair[1].swing.amount, reverse=True)
    axes = axes_for(ax, width=9.0, height=bars_height(len(rows)))
    base = float(rows[0][1].base.amount)
    positions = list(range(len(rows)))
    for index, label in enumerate(("at the low value", "at the high value")):
        ends = [float((swing.low if index == 0 else swing.high).amount) for _, swing in rows]
        axes.barh(
            positions,
            [end - base for end in ends],
            left=base,
            height=0.6,
            color=colour(index)[0],
            label=label,
        )
    axes.axvline(base, color="black", linewidth=1.0, zorder=3)
    axes.set_yticks(positions, [_label(row) for row, _ in rows], fontsize="small")
    axes.set_ylim(len(rows) - 0.5, -0.5)
    lows = [float(min(swing.low, swing.high).amount) for _, swing in rows]
    highs = [float(max(swing.low, swing.high).amount) for _, swing in rows]
    span = (max(highs) - min(lows)) or max(abs(base), 1.0) * 0.1
    axes.set_xlim(min(lows) - 0.1 * span, max(highs) + 0.1 * span)
    money_axis(axes, tornado.currency)
    axes.grid(axis="x", linewidth=0.5, alpha=0.5)
    axes.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=2, frameon=False)
    name = rows[0][1].name
    axes.set_title(
        wrap(f"Sensitivity of {name}'s total (base {money_text(rows[0][1].base.amount, tornado.currency)})", 70)
    )
    return figure_of(axes)
