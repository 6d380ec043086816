"""Write the common bid grid as a workbook a CRO fills in (see :mod:`crokit.bids._grid_layout`).

:func:`write_bid_grid_workbook` writes a :class:`~crokit.bids.BidGrid` as a protected
workbook: locked quantities, rate cells with data validation, live total formulas, the
sponsor's assumptions and a sheet for the CRO's own deviations.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from crokit.bids._grid_layout import (
    _AMOUNT_FORMAT,
    _FTE_HEADER,
    _PASS_HEADER,
    _PLANNING_FIELDS,
    _RATES_HEADER,
    _STUDY_FIELDS,
    _TOTAL,
    ASSUMPTIONS,
    BID,
    DEVIATIONS,
    DEVIATIONS_SHEET,
    FTE,
    NOT_BID,
    PASS,
    RATES,
)
from crokit.bids.grid import BidGrid
from crokit.errors import Problem, ValidationError
from crokit.excel._book import cell_at, require_openpyxl, save_atomic, write_header
from crokit.excel._numbers import column_letter, fits_excel, plain
from crokit.pricing.assumptions import Assumptions
from crokit.pricing.derive import derive_drivers
from crokit.registry import Registry
from crokit.vocabulary.terms import UnitBasis

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["write_bid_grid_workbook"]


def _text(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write *value* into a cell; text is kept as text even where it starts with ``=`` (never a formula)."""
    cell = cast("Cell", sheet.cell(row=row, column=column))
    cell.value = value  # type: ignore[assignment]  # text, numbers, dates or None, as each sheet writes
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


# --- writing ----------------------------------------------------------------------------


def _unlock(cell: Any) -> None:
    from openpyxl.styles import PatternFill, Protection

    cell.protection = Protection(locked=False)
    cell.fill = PatternFill("solid", fgColor="FFF2CC")


def _grey(sheet: Worksheet, first: int, last: int, rows: int) -> None:
    from openpyxl.styles import Font

    grey = Font(color="808080")
    for row in range(1, rows + 1):
        for column in range(first, last + 1):
            cell_at(sheet, row, column).font = grey


def _amount(cell: Any, value: Decimal) -> None:
    cell.value = plain(value) if fits_excel(value) else str(value)
    cell.number_format = "General"


def _rate_validation(sheet: Worksheet, ranges: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    check = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Rate",
        error=f"Enter an amount of 0 or more (no currency symbol), or {NOT_BID!r} for a service you do not offer.",
        errorStyle="warning",
    )
    sheet.add_data_validation(check)
    check.add(ranges)


def _protect(sheet: Worksheet) -> None:
    sheet.protection.sheet = True
    sheet.protection.formatCells = False
    sheet.protection.formatColumns = False


def _finish(sheet: Worksheet, widths: Sequence[int]) -> None:
    sheet.freeze_panes = "A2"
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[column_letter(column)].width = width


def _rates_sheet(book: Workbook, grid: BidGrid, registry: Registry) -> str:
    sheet = book.create_sheet(RATES)
    write_header(sheet, _RATES_HEADER)
    last = len(grid.lines) + 1
    for row, line in enumerate(grid.lines, start=2):
        _text(sheet, row, 1, registry.service(line.service).name)
        _text(sheet, row, 2, line.basis.value.replace("-", " "))
        _amount(sheet.cell(row=row, column=3), line.quantity)
        _unlock(sheet.cell(row=row, column=4))
        sheet.cell(row=row, column=4).number_format = _AMOUNT_FORMAT
        sheet.cell(row=row, column=5, value=f"=C{row}*D{row}").number_format = _AMOUNT_FORMAT
        _text(sheet, row, 6, line.how or "stated by the sponsor")
        _text(sheet, row, 7, line.service)
        _text(sheet, row, 8, line.stage.value)
        _text(sheet, row, 9, line.basis.value)
        _text(sheet, row, 10, line.description or None)
    total = last + 1
    _text(sheet, total, 1, _TOTAL)
    sheet.cell(row=total, column=5, value=f"=SUM(E2:E{last})" if grid.lines else 0).number_format = _AMOUNT_FORMAT
    if grid.lines:
        _rate_validation(sheet, f"D2:D{last}")
    _grey(sheet, 7, 10, total)
    _finish(sheet, (32, 24, 12, 14, 16, 60, 32, 10, 24, 20))
    _protect(sheet)
    return f"{RATES}!E{total}"


def _fte_sheet(book: Workbook, grid: BidGrid, registry: Registry) -> str:
    sheet = book.create_sheet(FTE)
    write_header(sheet, _FTE_HEADER)
    last = len(grid.roles) + 1
    for row, role in enumerate(grid.roles, start=2):
        _text(sheet, row, 1, registry.service(role.service).name)
        _text(sheet, row, 2, role.role)
        _text(sheet, row, 3, role.region)
        _amount(sheet.cell(row=row, column=4), role.fte)
        _text(sheet, row, 5, role.start_month)
        _text(sheet, row, 6, role.duration_months)
        _amount(sheet.cell(row=row, column=7), role.fte_months)
        _unlock(sheet.cell(row=row, column=8))
        sheet.cell(row=row, column=8).number_format = _AMOUNT_FORMAT
        sheet.cell(row=row, column=9, value=f"=G{row}*H{row}").number_format = _AMOUNT_FORMAT
        _text(sheet, row, 10, role.service)
        _text(sheet, row, 11, role.stage.value)
    total = last + 1
    _text(sheet, total, 1, _TOTAL)
    sheet.cell(row=total, column=9, value=f"=SUM(I2:I{last})" if grid.roles else 0).number_format = _AMOUNT_FORMAT
    if grid.roles:
        _rate_validation(sheet, f"H2:H{last}")
    _grey(sheet, 10, 11, total)
    _finish(sheet, (32, 28, 18, 8, 12, 8, 12, 20, 16, 32, 10))
    _protect(sheet)
    return f"FTE!I{total}"


def _pass_sheet(book: Workbook, grid: BidGrid, registry: Registry) -> str:
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet(PASS)
    write_header(sheet, _PASS_HEADER)
    last = len(grid.pass_through) + 1
    for row, cost in enumerate(grid.pass_through, start=2):
        name = registry.service(cost.service).name
        _text(sheet, row, 1, name)
        _text(sheet, row, 2, cost.description or name)
        for column in (3, 4):
            _unlock(sheet.cell(row=row, column=column))
        sheet.cell(row=row, column=3).number_format = _AMOUNT_FORMAT
        sheet.cell(row=row, column=5, value=f"=C{row}*(1+D{row})").number_format = _AMOUNT_FORMAT
        _text(sheet, row, 6, cost.service)
        _text(sheet, row, 7, cost.stage.value)
    total = last + 1
    _text(sheet, total, 1, _TOTAL)
    sheet.cell(row=total, column=5, value=f"=SUM(E2:E{last})" if grid.pass_through else 0)
    if grid.pass_through:
        _rate_validation(sheet, f"C2:C{last}")
        fee = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2="0.9999",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Management fee",
            error="Enter the fee as a fraction from 0 up to 1 (0.05 for 5%).",
        )
        sheet.add_data_validation(fee)
        fee.add(f"D2:D{last}")
    _grey(sheet, 6, 7, total)
    _finish(sheet, (32, 32, 16, 26, 16, 32, 10))
    _protect(sheet)
    return f"'{PASS}'!E{total}"


def _activation_text(assumptions: Assumptions) -> str:
    if assumptions.activation.is_even:
        return "even"
    return ", ".join(f"{month}:{sites}" for month, sites in assumptions.activation.plan)


def _assumptions_sheet(book: Workbook, grid: BidGrid) -> None:
    sheet = book.create_sheet(ASSUMPTIONS)
    write_header(sheet, ("Assumption", "Value", "How it is counted"))
    study, planning = grid.study, grid.assumptions
    rows: list[tuple[str, object, str]] = [
        ("Sponsor", grid.sponsor, ""),
        ("Study", study.name, ""),
        ("Phase", study.phase.label, ""),
        ("Start date", study.start_date.isoformat(), ""),
        ("Countries", ", ".join(study.countries), ""),
        ("Currency asked for", study.currency, ""),
    ]
    rows += [(_label(name), str(getattr(study, name)), "") for name in _STUDY_FIELDS]
    rows += [
        (_label(name), "" if getattr(planning, name) is None else str(getattr(planning, name)), "")
        for name in _PLANNING_FIELDS
    ]
    rows.append(("Site activation", _activation_text(planning), "even: over the start-up months; else month:sites"))
    drivers = derive_drivers(study, planning)
    for basis in UnitBasis:
        try:
            driver = drivers.get(basis)
        except ValidationError:
            continue
        rows.append((f"Units {basis.value}", str(driver.value), f"{driver.name}: {driver.formula}"))
    for row, (name, value, how) in enumerate(rows, start=2):
        _text(sheet, row, 1, name)
        _text(sheet, row, 2, value)
        _text(sheet, row, 3, how or None)
    _finish(sheet, (34, 40, 90))
    _protect(sheet)


def _deviations_sheet(book: Workbook, grid: BidGrid) -> None:
    sheet = book.create_sheet(DEVIATIONS_SHEET)
    write_header(sheet, ("Assumption", "Sponsor", "Your bid (only where it differs)", "assumption id"))
    for row, name in enumerate(DEVIATIONS, start=2):
        source = grid.study if name in _STUDY_FIELDS else grid.assumptions
        value = getattr(source, name)
        _text(sheet, row, 1, _label(name))
        _text(sheet, row, 2, None if value is None else str(value))
        _unlock(sheet.cell(row=row, column=3))
        _text(sheet, row, 4, name)
    row = len(DEVIATIONS) + 2
    _text(sheet, row, 1, "Site activation")
    _text(sheet, row, 2, _activation_text(grid.assumptions))
    _text(sheet, row, 4, "activation")
    _grey(sheet, 4, 4, row)
    _finish(sheet, (34, 16, 32, 34))
    _protect(sheet)


def _bid_sheet(book: Workbook, grid: BidGrid, totals: Sequence[str]) -> None:
    sheet = book.create_sheet(BID, 0)
    write_header(sheet, ("Bid", "Value", "id"))
    rows: list[tuple[str, object, str]] = [
        ("Your CRO id (lower case, hyphens)", None, "cro"),
        ("Currency of every amount (ISO 4217)", grid.currency, "currency"),
        ("Rate-card year of the FTE rates", grid.rate_year, "year"),
        ("Sponsor", grid.sponsor, "sponsor"),
        ("Study", grid.study.name, "study"),
    ]
    for row, (label, value, key) in enumerate(rows, start=2):
        _text(sheet, row, 1, label)
        _text(sheet, row, 2, value)
        _text(sheet, row, 3, key)
    for row in (2, 3):
        _unlock(cell_at(sheet, row, 2))
    total = len(rows) + 2
    _text(sheet, total, 1, "Total of the bid (computed by Excel; crokit prices it again)")
    sheet.cell(row=total, column=2, value="=" + "+".join(totals)).number_format = _AMOUNT_FORMAT
    _text(sheet, total, 3, "total")
    _grey(sheet, 3, 3, total)
    _finish(sheet, (60, 40, 10))
    _protect(sheet)


def _check_text(grid: BidGrid) -> None:
    """Refuse text Excel cannot hold (control characters), with its path, rather than change it."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    texts = [("sponsor", grid.sponsor), ("study.name", grid.study.name)]
    texts += [(f"lines[{i}].description", line.description) for i, line in enumerate(grid.lines)]
    texts += [(f"lines[{i}].how", line.how) for i, line in enumerate(grid.lines)]
    texts += [(f"pass_through[{i}].description", cost.description) for i, cost in enumerate(grid.pass_through)]
    problems = []
    for path, text in texts:
        found = ILLEGAL_CHARACTERS_RE.search(text)
        if found is not None:
            character = found.group()
            problems.append(
                Problem(
                    path=path,
                    message=f"expected text an Excel cell can hold, got the control character U+{ord(character):04X}",
                )
            )
    if problems:
        raise ValidationError(problems)


def write_bid_grid_workbook(path: str | os.PathLike[str], grid: BidGrid, *, registry: Registry) -> Path:
    """Write *grid* as the workbook a CRO fills in, and return *path*.

    Raises:
        MissingDependencyError: If openpyxl is not installed.
        UnknownIdError: If a service of the grid is not in *registry*.
        InputFileError: If *path* is a folder or its folder does not exist.
    """
    require_openpyxl()
    from openpyxl import Workbook
    from openpyxl.workbook.properties import CalcProperties

    _check_text(grid)
    book = Workbook()
    book.remove(book.worksheets[0])
    totals = [_rates_sheet(book, grid, registry), _fte_sheet(book, grid, registry), _pass_sheet(book, grid, registry)]
    _assumptions_sheet(book, grid)
    _deviations_sheet(book, grid)
    _bid_sheet(book, grid, totals)
    book.calculation = CalcProperties(fullCalcOnLoad=True)
    return save_atomic(book, path)
