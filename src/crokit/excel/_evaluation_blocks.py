"""Report sections as worksheets: the forecast and the sensitivity parts of the report workbook.

The text, Markdown and HTML reports build each section as blocks (headings, paragraphs,
bullets, tables; see :mod:`crokit.report._document`). :func:`blocks_sheet` writes the
same blocks into a worksheet, top to bottom, so the workbook says what the other reports
say, in the same words and with the same numbers: tables keep the report's text of each
cell (money with its currency, dates, percentages), numeric columns aligned right.

openpyxl is imported only by the callers (this module takes their sheet).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Final

from crokit.excel._book import cell_at
from crokit.excel._numbers import column_letter
from crokit.report._document import Block, Bullets, Heading, Paragraph, Table

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["FORECAST_SHEET", "SENSITIVITY_SHEET", "blocks_sheet"]

FORECAST_SHEET: Final = "Forecast"
"""The sheet of the forecast under uncertain enrolment."""
SENSITIVITY_SHEET: Final = "Sensitivity"
"""The sheet of the one-way sensitivity (tornado)."""


def blocks_sheet(
    sheet: Worksheet, blocks: Sequence[Block], header: Callable[[Worksheet, int, Iterable[str]], None]
) -> None:
    """Write *blocks* into *sheet*, one row each (a table: its header row, then a row per row).

    *header* writes a header row in the workbook's style: ``header(sheet, row, names)``.
    """
    from openpyxl.styles import Alignment, Font

    row = 1
    widths: dict[int, int] = {}
    for block in blocks:
        if isinstance(block, Heading):
            cell = cell_at(sheet, row, 1)
            cell.value = block.text
            cell.font = Font(bold=True, size=14 if block.level == 1 else 12)
            row += 1
        elif isinstance(block, Paragraph):
            cell = cell_at(sheet, row, 1)
            cell.value = block.text
            row += 2
        elif isinstance(block, Bullets):
            for item in block.items:
                cell_at(sheet, row, 1).value = f"• {item}"
                row += 1
            row += 1
        elif isinstance(block, Table):
            header(sheet, row, block.headers)
            for column, name in enumerate(block.headers, start=1):
                widths[column] = max(widths.get(column, 0), len(name))
            row += 1
            for cells in block.rows:
                for column, text in enumerate(cells, start=1):
                    cell = cell_at(sheet, row, column)
                    cell.value = text
                    if column - 1 in block.numeric:
                        cell.alignment = Alignment(horizontal="right")
                    widths[column] = max(widths.get(column, 0), len(text))
                row += 1
            row += 1
    for column, width in widths.items():
        sheet.column_dimensions[column_letter(column)].width = min(max(width + 2, 10), 48)
