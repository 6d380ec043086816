"""The report's "Sensitivity to assumptions" section: the tornado as a table, with break-evens.

:func:`sensitivity_blocks` turns the :class:`~crokit.sensitivity.Tornado` of an
evaluation (present when its scenario has a ``sensitivity`` section) into document
blocks; :func:`sensitivity_json` into the ``sensitivity.assumptions`` object of the
JSON report (docs/json-report.md). Candidates are named, not shown by id.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crokit.report._document import Block, Heading, Paragraph, Table, format_money

if TYPE_CHECKING:
    from crokit.scenario import Evaluation
    from crokit.sensitivity import AssumptionSensitivity, BreakEven, Tornado

__all__ = ["sensitivity_blocks", "sensitivity_json"]

_RATES = frozenset({"screen-failure-rate", "dropout-rate"})


def _value(row: AssumptionSensitivity, value: Decimal) -> str:
    """A value as the report shows it: rates in percent, whole numbers whole, others to 6 significant digits."""
    if row.assumption.value in _RATES:
        percent = (value * 100).normalize()
        return f"{percent:f}%"
    if row.assumption.is_whole:
        return str(int(value))
    return f"{value.normalize():.6g}"


def _name(names: dict[str, str], winner: str | None) -> str:
    return "no eligible candidate" if winner is None else names.get(winner, winner)


def _holds(row: AssumptionSensitivity) -> str:
    """The values found to keep the base winner: the whole range, or up to the break-evens."""
    if row.break_even_low is None and row.break_even_high is None:
        return "whole range"
    low = row.break_even_low.before if row.break_even_low is not None else row.low
    high = row.break_even_high.before if row.break_even_high is not None else row.high
    return f"{_value(row, low)} to {_value(row, high)}"


def _changes(row: AssumptionSensitivity, names: dict[str, str]) -> str:
    points = [point for point in (row.break_even_low, row.break_even_high) if point is not None]
    if not points:
        return "-"
    return "; ".join(
        f"{'' if point.exact else '~'}{_value(row, point.after)}: {_name(names, point.winner_after)}"
        for point in points
    )


def _names(evaluation: Evaluation) -> dict[str, str]:
    return {result.id: result.name for result in evaluation.candidates}


def sensitivity_blocks(evaluation: Evaluation) -> list[Block]:
    """The tornado of *evaluation* as report blocks; none when the scenario asked for no sensitivity."""
    tornado = evaluation.sensitivity
    if tornado is None:
        return []
    names = _names(evaluation)
    rows = tuple(
        (
            row.label,
            _value(row, row.low),
            _value(row, row.base),
            _value(row, row.high),
            format_money(row.swing),
            _holds(row),
            _changes(row, names),
        )
        for row in tornado.assumptions
    )
    blocks: list[Block] = [
        Heading(text="Sensitivity to assumptions"),
        Paragraph(
            text="Each assumption moved alone from its low to its high value, everything else as the scenario "
            "states it, largest swing first. The swing is the largest change in a candidate's total between "
            f"the two ends. {_name(names, tornado.winner)} wins over the values under 'winner holds'; 'winner "
            "changes' gives the value next to them at which another candidate wins (found by bisection; "
            "'~' marks a value found to within the tolerance). Ranges the scenario does not give are "
            "illustrative defaults, not published figures."
        ),
        Table(
            headers=("assumption", "low", "base", "high", "swing", "winner holds", "winner changes"),
            rows=rows,
            numeric=frozenset({1, 2, 3, 4}),
        ),
    ]
    totals = tuple(
        (
            row.label,
            swing.name,
            format_money(swing.low),
            format_money(swing.base),
            format_money(swing.high),
            format_money(swing.swing),
        )
        for row in tornado.assumptions
        for swing in row.candidates
    )
    if totals:
        blocks += [
            Heading(text="Totals at each end", level=3),
            Table(
                headers=("assumption", "candidate", "at low", "at base", "at high", "swing"),
                rows=totals,
                numeric=frozenset({2, 3, 4, 5}),
            ),
        ]
    if tornado.not_varied:
        blocks.append(Paragraph(text="Not varied: " + "; ".join(tornado.not_varied) + "."))
    return blocks


def _break_even_json(point: BreakEven | None) -> dict[str, Any] | None:
    if point is None:
        return None
    return {
        "before": str(point.before),
        "after": str(point.after),
        "winner_before": point.winner_before,
        "winner_after": point.winner_after,
        "exact": point.exact,
    }


def _row_json(row: AssumptionSensitivity) -> dict[str, Any]:
    from crokit.report._json import money_json

    return {
        "assumption": row.assumption.value,
        "label": row.label,
        "currency": row.currency,
        "base": str(row.base),
        "low": str(row.low),
        "high": str(row.high),
        "swing": money_json(row.swing),
        "winner": row.winner,
        "winner_low": row.winner_low,
        "winner_high": row.winner_high,
        "winner_changes": row.winner_changes,
        "break_even_low": _break_even_json(row.break_even_low),
        "break_even_high": _break_even_json(row.break_even_high),
        "candidates": [
            {
                "id": swing.candidate,
                "name": swing.name,
                "low": money_json(swing.low),
                "base": money_json(swing.base),
                "high": money_json(swing.high),
                "swing": money_json(swing.swing),
            }
            for swing in row.candidates
        ],
    }


def sensitivity_json(tornado: Tornado | None) -> dict[str, Any] | None:
    """The tornado as the JSON report's ``sensitivity.assumptions`` object (``None`` without one)."""
    if tornado is None:
        return None
    return {
        "winner": tornado.winner,
        "tolerance": str(tornado.tolerance),
        "rows": [_row_json(row) for row in tornado.assumptions],
        "not_varied": list(tornado.not_varied),
    }
