"""Renderers: the same report blocks as plain text, rich text, Markdown or HTML.

HTML is self-contained (inline CSS and SVG, no scripts, no external assets) and every
piece of user text goes through :func:`html.escape` (see :mod:`crokit.report._html`).
"""

from __future__ import annotations

import importlib.util
import io
import textwrap
from collections.abc import Sequence

from crokit.errors import MissingDependencyError
from crokit.presentation._format import DEFAULT_WIDTH, MIN_WIDTH
from crokit.report._document import Block, Bullets, Heading, Paragraph
from crokit.report._html import Charts, page

__all__ = ["table_lines", "to_html", "to_markdown", "to_rich_text", "to_text"]


_GAP = "  "
"""What separates two columns of a plain-text table."""
_NARROWEST = 4
"""The narrowest a wrapped text column gets before its long words are broken."""


def _wrap_cell(text: str, width: int) -> list[str]:
    """*text* wrapped to *width*: on spaces first, inside a word only when the word alone is wider."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines += textwrap.wrap(paragraph, width=width, break_long_words=True, break_on_hyphens=False) or [""]
    return lines


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _column_widths(cells: Sequence[Sequence[str]], numeric: frozenset[int], budget: int) -> list[int]:
    """Column widths that add up to at most *budget*: the natural widths, narrowed (widest first) as needed.

    A column is first narrowed no further than its longest word, so names wrap on
    spaces; if the table still does not fit, every column may go down to a few
    characters and long words are broken.
    """
    count = len(cells[0])
    natural = [max(1, *(len(row[i]) for row in cells)) for i in range(count)]
    words = [max([_NARROWEST, *(_longest_word(row[i]) for row in cells)]) for i in range(count)]
    body_words = [max([_NARROWEST, *(_longest_word(row[i]) for row in cells[1:])]) for i in range(count)]
    widths = list(natural)
    stages = (
        # Text columns down to their longest word; numbers keep their width.
        [natural[i] if i in numeric else min(natural[i], words[i]) for i in range(count)],
        # Numbers too, down to their longest word (a header wraps at its spaces).
        [min(natural[i], words[i]) for i in range(count)],
        # Every column down to its longest word below the header: headers wrap inside words.
        [min(natural[i], body_words[i]) for i in range(count)],
        # Everything down to a few characters: long words break.
        [min(natural[i], _NARROWEST) for i in range(count)],
    )
    for floors in stages:
        while sum(widths) > budget:
            wider = [i for i in range(count) if widths[i] > floors[i]]
            if not wider:
                break
            widest = max(wider, key=lambda i: (widths[i] - floors[i], widths[i]))
            widths[widest] -= 1
        if sum(widths) <= budget:
            break
    return widths


def table_lines(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: frozenset[int], width: int
) -> list[str]:
    """A table as text lines no wider than *width*, cells wrapped onto several lines where needed."""
    widths = _column_widths([headers, *rows], numeric, width - len(_GAP) * (len(headers) - 1))

    def lines_of(cells: Sequence[str]) -> list[str]:
        wrapped = [_wrap_cell(cell, w) for cell, w in zip(cells, widths, strict=True)]
        height = max(len(cell) for cell in wrapped)
        out = []
        for line in range(height):
            parts = []
            for index, cell in enumerate(wrapped):
                text = cell[line] if line < len(cell) else ""
                parts.append(text.rjust(widths[index]) if index in numeric else text.ljust(widths[index]))
            out.append(_GAP.join(parts).rstrip())
        return out

    rule = _GAP.join("-" * w for w in widths)
    body = [line for row in rows for line in lines_of(row)]
    return [*lines_of(headers), rule, *body]


def _fill(text: str, width: int, *, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False) or [
        first.rstrip()
    ]


def to_text(blocks: Sequence[Block], *, width: int = DEFAULT_WIDTH) -> str:
    """Plain text no wider than *width* columns: paragraphs and table cells wrapped, never cut."""
    width = max(width, MIN_WIDTH)
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            lines = _fill(block.text, width)
            underline = "=" if block.level == 1 else "-"
            out += ["", *lines, underline * max(len(line) for line in lines)]
        elif isinstance(block, Paragraph):
            out += ["", *_fill(block.text, width)]
        elif isinstance(block, Bullets):
            out.append("")
            for item in block.items:
                out += _fill(item, width, first="- ", rest="  ")
        else:
            out += ["", *table_lines(block.headers, block.rows, block.numeric, width)]
    return "\n".join(out).lstrip("\n") + "\n"


def rich_available() -> bool:
    """Whether the optional rich package is installed."""
    return importlib.util.find_spec("rich") is not None


def to_rich_text(blocks: Sequence[Block], *, width: int = DEFAULT_WIDTH) -> str:
    """Text with rich's box-drawn tables (rich must be installed), without colour codes, at most *width* wide.

    Long cells and headers wrap onto several lines (folded inside a word only when the
    word alone is too wide); nothing is cut with an ellipsis.

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
    width = max(width, MIN_WIDTH)
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False, highlight=False)
    for block in blocks:
        if isinstance(block, Heading):
            console.print()
            console.print(Text(block.text.upper() if block.level == 1 else block.text, style="bold"))
        elif isinstance(block, Paragraph):
            console.print(Text(block.text))
        elif isinstance(block, Bullets):
            for item in block.items:
                console.print(Text(f"- {item}"))  # rich wraps it to the width
        else:
            table = RichTable(show_lines=False)
            # The same widths as plain text; each column adds two spaces of padding and a rule.
            columns = len(block.headers)
            widths = _column_widths([block.headers, *block.rows], block.numeric, width - 3 * columns - 1)
            for index, header in enumerate(block.headers):
                table.add_column(
                    header,
                    justify="right" if index in block.numeric else "left",
                    overflow="fold",
                    min_width=widths[index],
                    max_width=widths[index],
                )
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
