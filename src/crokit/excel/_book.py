"""openpyxl at arm's length: the lazy import, the atomic save and the shared styling."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final, cast

from crokit.errors import MissingDependencyError
from crokit.serialization._files import write_atomic_with

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["DATE_FORMAT", "cell_at", "finish_sheet", "require_openpyxl", "save_atomic", "write_header"]

DATE_FORMAT: Final = "yyyy-mm-dd"
"""How dates are shown: ISO 8601, the same in every locale."""

_MIN_WIDTH: Final = 8
_MAX_WIDTH: Final = 80


def require_openpyxl() -> None:
    """Import openpyxl, or say how to install it.

    Raises:
        MissingDependencyError: If openpyxl is not installed (``pip install 'crokit[excel]'``).
    """
    try:
        import openpyxl  # noqa: F401 - imported to find out whether it is there
    except ImportError:
        raise MissingDependencyError("openpyxl", "excel") from None


def save_atomic(workbook: Workbook, path: str | os.PathLike[str]) -> Path:
    """Save *workbook* to *path* through a temporary file in the same folder and a rename.

    If saving fails, the temporary file is removed and whatever was at *path* before is
    left untouched, so no partial workbook is ever left behind. The file keeps the mode
    of the file it replaces, or gets ``0o666 & ~umask`` (``0644`` by default); a
    symbolic link is written through to its target (see
    :func:`crokit.serialization._files.write_atomic_with`).

    Raises:
        InputFileError: If *path* is a folder or not a regular file, its folder does not
            exist, or it cannot be written.
    """
    write_atomic_with(path, workbook.save)
    return Path(path)


def cell_at(sheet: Worksheet, row: int, column: int) -> Cell:
    """The cell at *row*, *column* of a sheet crokit wrote (which never merges cells)."""
    return cast("Cell", sheet.cell(row=row, column=column))


def write_header(sheet: Worksheet, names: Sequence[str], *, row: int = 1) -> None:
    """Write bold column names in *row*."""
    from openpyxl.styles import Font

    bold = Font(bold=True)
    for column, name in enumerate(names, start=1):
        cell = sheet.cell(row=row, column=column, value=name)
        cell.font = bold


def finish_sheet(sheet: Worksheet, *, widths: dict[int, int] | None = None) -> None:
    """Freeze the header row and size each column to its longest value (within limits)."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    longest: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = cell.value if isinstance(cell.value, str) else str(cell.value)
            size = max(len(line) for line in text.splitlines()) if text else 0
            if not isinstance(cell.value, str):
                size += 6  # thousands separators and a currency code
            column = int(cell.column)
            longest[column] = max(longest.get(column, 0), size)
    for column, size in longest.items():
        width = (widths or {}).get(column, min(max(size + 2, _MIN_WIDTH), _MAX_WIDTH))
        sheet.column_dimensions[get_column_letter(column)].width = width
