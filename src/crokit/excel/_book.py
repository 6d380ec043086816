"""openpyxl at arm's length: the lazy import, the atomic save and the shared styling."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final, cast

from crokit.errors import InputFileError, MissingDependencyError

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


def _umask() -> int:
    """The process's file-creation mask, read without changing it (Linux); 0o022 where it cannot be read."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def save_atomic(workbook: Workbook, path: str | os.PathLike[str]) -> Path:
    """Save *workbook* to *path* through a temporary file in the same folder and a rename.

    If saving fails, the temporary file is removed and whatever was at *path* before is
    left untouched, so no partial workbook is ever left behind.

    Raises:
        InputFileError: If *path* is a folder or its folder does not exist.
    """
    target = Path(path)
    if target.is_dir():
        raise InputFileError(path, "is a directory, expected a file name")
    directory = target.parent
    if not directory.is_dir():
        raise InputFileError(path, f"the folder {directory} does not exist")
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    try:
        workbook.save(temporary)
        Path(temporary).chmod(mode)  # mkstemp makes the file private; give it the mode a new file gets
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


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
