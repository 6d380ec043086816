"""Renderers: the same report blocks as plain text, rich text, Markdown or HTML.

HTML is self-contained (inline CSS and SVG, no scripts, no external assets) and every
piece of user text goes through :func:`html.escape` (see :mod:`crokit.report._html`).
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Sequence

from crokit.errors import MissingDependencyError
from crokit.report._document import Block, Bullets, Heading, Paragraph
from crokit.report._html import Charts, page

__all__ = ["to_html", "to_markdown", "to_rich_text", "to_text"]


def _pad(cells: Sequence[str], widths: Sequence[int], numeric: frozenset[int]) -> str:
    parts = [
        cell.rjust(width) if index in numeric else cell.ljust(width)
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
    ]
    return "  ".join(parts).rstrip()


def to_text(blocks: Sequence[Block]) -> str:
    """Plain text with aligned columns."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            underline = "=" if block.level == 1 else "-"
            out += ["", block.text, underline * len(block.text)]
        elif isinstance(block, Paragraph):
            out += ["", block.text]
        elif isinstance(block, Bullets):
            out += ["", *(f"- {item}" for item in block.items)]
        else:
            widths = [max(len(row[i]) for row in (block.headers, *block.rows)) for i in range(len(block.headers))]
            out += [
                "",
                _pad(block.headers, widths, block.numeric),
                _pad(["-" * w for w in widths], widths, frozenset()),
            ]
            out += [_pad(row, widths, block.numeric) for row in block.rows]
    return "\n".join(out).lstrip("\n") + "\n"


def rich_available() -> bool:
    """Whether the optional rich package is installed."""
    return importlib.util.find_spec("rich") is not None


def to_rich_text(blocks: Sequence[Block], *, width: int = 120) -> str:
    """Text with rich's box-drawn tables (rich must be installed), without colour codes.

    Raises:
        MissingDependencyError: If rich is not installed (``pip install 'crokit[rich]'``).
    """
    try:
        from rich.console import Console
        from rich.table import Table as RichTable
        from rich.text import Text
    except ImportError:
        raise MissingDependencyError("rich", "rich") from None

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False, highlight=False)
    for block in blocks:
        if isinstance(block, Heading):
            console.print()
            console.print(Text(block.text.upper() if block.level == 1 else block.text, style="bold"))
        elif isinstance(block, Paragraph):
            console.print(Text(block.text))
        elif isinstance(block, Bullets):
            for item in block.items:
                console.print(Text(f"- {item}"))
        else:
            table = RichTable(show_lines=False)
            for index, header in enumerate(block.headers):
                table.add_column(header, justify="right" if index in block.numeric else "left")
            for row in block.rows:
                table.add_row(*(Text(cell) for cell in row))
            console.print(table)
    return buffer.getvalue().lstrip("\n")


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(blocks: Sequence[Block]) -> str:
    """GitHub-flavoured Markdown."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out += [f"{'#' * block.level} {_md(block.text)}", ""]
        elif isinstance(block, Paragraph):
            out += [_md(block.text), ""]
        elif isinstance(block, Bullets):
            out += [*(f"- {_md(item)}" for item in block.items), ""]
        else:
            align = ["---:" if i in block.numeric else "---" for i in range(len(block.headers))]
            out += [
                "| " + " | ".join(_md(h) for h in block.headers) + " |",
                "| " + " | ".join(align) + " |",
                *("| " + " | ".join(_md(c) for c in row) + " |" for row in block.rows),
                "",
            ]
    return "\n".join(out).rstrip("\n") + "\n"


def to_html(blocks: Sequence[Block], *, standalone: bool = True, charts: Charts | None = None) -> str:
    """HTML; with ``standalone`` a complete page with inline CSS, else a fragment for notebooks.

    The report comes in sections, the winner's highlighted, with *charts* (inline SVG,
    see :mod:`crokit.report._html_charts`) after the ranking and print-friendly
    CSS; see :func:`crokit.report._html.page`.
    """
    return page(blocks, standalone=standalone, charts=charts)
