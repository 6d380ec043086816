"""HTML and Markdown tables of budgets, payment schedules and rankings (public in :mod:`crokit.display`)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from decimal import Decimal

import attrs

from crokit.errors import ValidationError
from crokit.money import Money
from crokit.presentation import _format as fmt
from crokit.pricing.budget import Budget
from crokit.schedule.payments import PaymentSchedule
from crokit.selection.models import Ranking

__all__ = [
    "MAX_ROWS",
    "budget_html",
    "budget_markdown",
    "ranking_html",
    "ranking_markdown",
    "schedule_html",
    "schedule_markdown",
]

MAX_ROWS = 50
"""How many rows a table shows before it is cut with a "… N more rows" note."""


@attrs.frozen
class _Section:
    """One titled table: text cells, the indexes of right-aligned columns and notes under it."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    right: frozenset[int] = frozenset()
    notes: tuple[str, ...] = ()


def _number(value: Decimal) -> str:
    return fmt.number(value)


def _money(money: Money | None) -> str:
    return fmt.money_number(money, missing="")


def _more(hidden: int) -> str:
    return f"… {hidden} more row{'' if hidden == 1 else 's'}"


def _budget_sections(budget: Budget) -> list[_Section]:
    rows = tuple(
        (
            line.service,
            line.stage.label,
            line.kind.value,
            line.description,
            _number(line.quantity),
            _money(line.unit_price),
            _money(line.amount),
        )
        for line in budget.lines
    )
    count = len(budget.lines)
    return [
        _Section(
            title=f"Budget in {budget.currency}: {fmt.plural(count, 'line')}",
            headers=(
                "Service",
                "Stage",
                "Kind",
                "Description",
                "Quantity",
                f"Unit price ({budget.currency})",
                f"Amount ({budget.currency})",
            ),
            rows=rows,
            right=frozenset({4, 5, 6}),
            notes=(f"Total: {_money(budget.total)} {budget.currency}",),
        )
    ]


def _schedule_sections(schedule: PaymentSchedule) -> list[_Section]:
    currency = schedule.currency
    rows = tuple(
        (
            payment.due.isoformat(),
            payment.invoice_date.isoformat(),
            payment.kind.value,
            payment.description,
            _money(payment.amount),
            _money(payment.retained),
        )
        for payment in schedule.payments
    )
    count = len(schedule.payments)
    notes = [f"Total: {_money(schedule.total)} {currency}"]
    if schedule.holdback_retained.amount:
        notes.append(f"Held back and released on its milestone: {_money(schedule.holdback_retained)} {currency}")
    return [
        _Section(
            title=f"Payment schedule in {currency} from {fmt.date(schedule.contract_start)}: "
            f"{fmt.plural(count, 'payment')}",
            headers=("Due", "Invoiced", "Kind", "Description", f"Amount ({currency})", f"Retained ({currency})"),
            rows=rows,
            right=frozenset({4, 5}),
            notes=tuple(notes),
        )
    ]


def _ranking_sections(ranking: Ranking) -> list[_Section]:
    first = {row.candidate: row.by_rank[0] for row in ranking.acceptability if row.by_rank}
    headers: tuple[str, ...] = ("Rank", "Candidate", "Name", "Score")
    if first:
        headers = (*headers, "Rank 1 acceptability")
    rows = []
    for card in ranking.scorecards:
        row: tuple[str, ...] = (str(card.rank), card.candidate, card.name, f"{card.score:.4f}")
        if first:
            row = (*row, f"{first[card.candidate]:.1%}" if card.candidate in first else "")
        rows.append(row)
    named = {card.candidate: card.name for card in ranking.scorecards}
    winner = named.get(ranking.winner, ranking.winner) if ranking.winner is not None else None
    sections = [
        _Section(
            title=f"Ranking by {fmt.method(ranking.method)}: winner {winner or 'none (no candidate is eligible)'}",
            headers=headers,
            rows=tuple(rows),
            right=frozenset({0, 3, 4}),
            notes=(ranking.explanation, *(f"Warning: {warning}" for warning in ranking.warnings)),
        )
    ]
    if ranking.excluded:
        sections.append(
            _Section(
                title=f"Excluded by the constraints: {len(ranking.excluded)}",
                headers=("Candidate", "Name", "Reasons"),
                rows=tuple(
                    (exclusion.candidate, exclusion.name, "; ".join(exclusion.reasons))
                    for exclusion in ranking.excluded
                ),
            )
        )
    return sections


def _check_rows(max_rows: int) -> int:
    value: object = max_rows
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError.at("max_rows", f"expected a whole number of rows >= 1, got {max_rows!r}")
    return max_rows


def _html_row(tag: str, cells: Sequence[str], right: frozenset[int]) -> str:
    parts = [
        f'<{tag} style="text-align: {"right" if index in right else "left"}">{html.escape(text)}</{tag}>'
        for index, text in enumerate(cells)
    ]
    return f"<tr>{''.join(parts)}</tr>"


def _html(sections: Sequence[_Section], max_rows: int) -> str:
    limit = _check_rows(max_rows)
    out = ['<div class="crokit">']
    for section in sections:
        out.append(f"<p><strong>{html.escape(section.title)}</strong></p>")
        out.append("<table>")
        out.append(f"<thead>{_html_row('th', section.headers, section.right)}</thead>")
        out.append("<tbody>")
        out.extend(_html_row("td", row, section.right) for row in section.rows[:limit])
        out.append("</tbody>")
        out.append("</table>")
        if len(section.rows) > limit:
            out.append(f"<p><em>{html.escape(_more(len(section.rows) - limit))}</em></p>")
        out.extend(f"<p>{html.escape(note)}</p>" for note in section.notes if note)
    out.append("</div>")
    return "\n".join(out)


def _md(text: str) -> str:
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


def _markdown(sections: Sequence[_Section], max_rows: int) -> str:
    limit = _check_rows(max_rows)
    blocks = []
    for section in sections:
        lines = [f"**{_md(section.title)}**", ""]
        lines.append("| " + " | ".join(_md(header) for header in section.headers) + " |")
        lines.append(
            "| " + " | ".join("---:" if i in section.right else ":---" for i in range(len(section.headers))) + " |"
        )
        lines.extend("| " + " | ".join(_md(text) for text in row) + " |" for row in section.rows[:limit])
        if len(section.rows) > limit:
            lines.extend(["", f"*{_more(len(section.rows) - limit)}*"])
        lines.extend(part for note in section.notes if note for part in ("", _md(note)))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def budget_html(budget: Budget, *, max_rows: int = MAX_ROWS) -> str:
    """*budget*'s lines as a self-contained HTML table, with its total."""
    return _html(_budget_sections(budget), max_rows)


def budget_markdown(budget: Budget, *, max_rows: int = MAX_ROWS) -> str:
    """*budget*'s lines as a Markdown table, with its total."""
    return _markdown(_budget_sections(budget), max_rows)


def schedule_html(schedule: PaymentSchedule, *, max_rows: int = MAX_ROWS) -> str:
    """*schedule*'s payments as a self-contained HTML table, with its total."""
    return _html(_schedule_sections(schedule), max_rows)


def schedule_markdown(schedule: PaymentSchedule, *, max_rows: int = MAX_ROWS) -> str:
    """*schedule*'s payments as a Markdown table, with its total."""
    return _markdown(_schedule_sections(schedule), max_rows)


def ranking_html(ranking: Ranking, *, max_rows: int = MAX_ROWS) -> str:
    """*ranking*'s scorecards (and excluded candidates) as self-contained HTML tables, with its explanation."""
    return _html(_ranking_sections(ranking), max_rows)


def ranking_markdown(ranking: Ranking, *, max_rows: int = MAX_ROWS) -> str:
    """*ranking*'s scorecards (and excluded candidates) as Markdown tables, with its explanation."""
    return _markdown(_ranking_sections(ranking), max_rows)
