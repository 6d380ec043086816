"""The portfolio table as text, Markdown, JSON, CSV or a pandas DataFrame."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Final, Literal

from crokit.errors import MissingDependencyError, ValidationError
from crokit.portfolio.table import COLUMNS, Portfolio, PortfolioRow
from crokit.presentation import _format as fmt

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PORTFOLIO_FORMATS", "PortfolioFormat", "render_portfolio", "to_dataframe"]

PortfolioFormat = Literal["text", "markdown", "json", "csv"]
PORTFOLIO_FORMATS: Final[tuple[PortfolioFormat, ...]] = ("text", "markdown", "json", "csv")
"""The formats :func:`render_portfolio` writes."""

_SHOWN: Final = ("scenario", "study", "winner", "total", "per patient", "eligible", "warnings", "error")


def _cells(row: PortfolioRow) -> tuple[str, ...]:
    error = "" if row.error is None else " ".join(row.error.split())
    return (
        row.name,
        row.study or "",
        (row.winner_name or row.winner) or ("(none eligible)" if row.ok else ""),
        "" if row.winner_total is None else fmt.money(row.winner_total),
        "" if row.cost_per_patient is None else fmt.money(row.cost_per_patient),
        f"{row.eligible}/{row.candidates}" if row.ok else "",
        str(row.warnings) if row.ok else "",
        error,
    )


def _summary(portfolio: Portfolio) -> str:
    failed = len(portfolio.failed)
    text = f"{len(portfolio)} scenarios, {len(portfolio) - failed} evaluated, {failed} failed"
    totals = portfolio.totals()
    if totals:
        text += "; winners' totals: " + ", ".join(fmt.money(amount) for amount in totals)
    return text


def _text(portfolio: Portfolio) -> str:
    rows = [_cells(row) for row in portfolio.rows]
    widths = [max([len(title), *(len(cells[i]) for cells in rows)]) for i, title in enumerate(_SHOWN)]
    lines = ["Portfolio", ""]
    lines.append("  ".join(title.ljust(width) for title, width in zip(_SHOWN, widths, strict=True)).rstrip())
    lines.extend(
        "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip() for cells in rows
    )
    lines += ["", _summary(portfolio)]
    return "\n".join(lines) + "\n"


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def _markdown(portfolio: Portfolio) -> str:
    lines = ["# Portfolio", ""]
    lines.append("| " + " | ".join(_SHOWN) + " |")
    lines.append("|" + "|".join("---" for _ in _SHOWN) + "|")
    lines.extend("| " + " | ".join(_markdown_cell(cell) for cell in _cells(row)) + " |" for row in portfolio.rows)
    lines += ["", _summary(portfolio) + "."]
    return "\n".join(lines) + "\n"


def _json(portfolio: Portfolio) -> str:
    payload = {
        "seed": portfolio.seed,
        "scenarios": len(portfolio),
        "failed": len(portfolio.failed),
        "totals": [{"amount": str(amount.amount), "currency": amount.currency} for amount in portfolio.totals()],
        "rows": portfolio.to_records(),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _csv(portfolio: Portfolio) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)  # RFC 4180: CRLF line ends, so a lone CR is quoted
    writer.writeheader()
    writer.writerows(portfolio.to_records())
    return buffer.getvalue()


def render_portfolio(portfolio: Portfolio, fmt: PortfolioFormat = "text") -> str:
    """*portfolio* as ``text``, ``markdown``, ``json`` or ``csv``.

    JSON holds the base seed, the counts, the winners' totals per currency and every
    row (:meth:`~crokit.portfolio.Portfolio.to_records`); CSV has one line per row
    under a header of :data:`~crokit.portfolio.COLUMNS`, with RFC 4180's CRLF line ends. Amounts are exact decimal
    text in both, in the row's ``currency``.

    Raises:
        ValidationError: For an unknown format.
    """
    renderers = {"text": _text, "markdown": _markdown, "json": _json, "csv": _csv}
    if fmt not in renderers:
        raise ValidationError.at("format", f"expected one of {', '.join(PORTFOLIO_FORMATS)}, got {fmt!r}")
    return renderers[fmt](portfolio)


def to_dataframe(portfolio: Portfolio) -> pd.DataFrame:
    """*portfolio* as a pandas DataFrame, one row per scenario, columns :data:`~crokit.portfolio.COLUMNS`.

    Amounts stay exact: ``winner_total`` and ``cost_per_patient`` hold ``Decimal``
    values (in the row's ``currency``), never floats.

    Raises:
        MissingDependencyError: If pandas is not installed (``pip install 'crokit[pandas]'``).
    """
    try:
        import pandas as pd
    except ImportError:
        raise MissingDependencyError("pandas", "pandas") from None
    records = [
        {
            column: (value.amount if column in {"winner_total", "cost_per_patient"} and value is not None else value)
            for column in COLUMNS
            for value in (getattr(row, column),)
        }
        for row in portfolio.rows
    ]
    return pd.DataFrame.from_records(records, columns=list(COLUMNS))
