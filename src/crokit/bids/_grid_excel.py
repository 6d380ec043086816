"""Bid grids in Excel: the workbook a CRO fills in, and reading a filled one back.

:func:`write_bid_grid` writes a :class:`~crokit.bids.BidGrid` as a protected workbook:

- ``Bid``: the CRO's id and the bid's currency (to fill in), the rate-card year and
  the grand total (a live formula over the three priced sheets);
- ``Rates``: one row per service priced per unit: the service's name, the unit, the
  sponsor's quantity (locked), the rate (to fill in) and ``=quantity*rate``;
- ``FTE``: one row per role: FTE, months and FTE months (locked), the rate per FTE
  month (to fill in) and ``=FTE months*rate``;
- ``Pass-through``: the estimate and management fee of each cost (to fill in);
- ``Assumptions``: the sponsor's study, planning assumptions and every quantity's
  formula (read only);
- ``Deviations``: the sponsor's value of each assumption beside a column where the
  CRO states its own, if it quoted under another.

Every sheet is protected without a password (it guards against slips, not against a
determined editor); only the cells a CRO fills in are unlocked, and rates carry data
validation (a decimal >= 0). Totals are formulas with no cached value: Excel computes
them on opening, and :func:`read_bid` never reads them, it prices the bid again from
the quantities and rates. People read names (``On-site monitoring``); the ids the
importer needs sit in grey columns at the right of each sheet.

:func:`read_bid` reads a filled workbook back into a :class:`~crokit.bids.Bid`, and
reports every problem at once at its cell (``Rates!D14: expected an amount, got "TBD"``).
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from crokit._validators import SLUG_PATTERN
from crokit.bids.assumptions import BidAssumptions
from crokit.bids.grid import Bid, BidGrid, GridLine, GridPassThrough, GridRole, proposal_of_rows
from crokit.errors import CrokitError, InputFileError, Problem, UnknownIdError, ValidationError
from crokit.excel._book import cell_at, require_openpyxl, save_atomic, write_header
from crokit.excel._numbers import cell_ref, column_letter, decimal_from_cell, describe, fits_excel, plain
from crokit.excel._rates import _PARSE_ERRORS, MAX_ROWS, _find_sheet, _open, _unreadable
from crokit.money import CURRENCIES
from crokit.pricing.assumptions import Assumptions, SiteActivation
from crokit.pricing.derive import derive_drivers
from crokit.registry import Registry
from crokit.vocabulary.ids import check_id
from crokit.vocabulary.lifecycle import Stage
from crokit.vocabulary.terms import UnitBasis

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["DEVIATIONS", "NOT_BID", "read_bid_workbook", "write_bid_grid_workbook"]

NOT_BID: Final = "not bid"
"""What a CRO types instead of a rate (any case) for a row it does not offer: the row is left out of its proposal."""

BID, RATES, FTE, PASS, ASSUMPTIONS, DEVIATIONS_SHEET = (
    "Bid",
    "Rates",
    "FTE",
    "Pass-through",
    "Assumptions",
    "Deviations",
)

_RATES_HEADER: Final = (
    "Service",
    "Unit",
    "Quantity",
    "Rate",
    "Amount",
    "How the quantity is counted",
    "service id",
    "stage",
    "unit id",
    "description",
)
_FTE_HEADER: Final = (
    "Service",
    "Role",
    "Region",
    "FTE",
    "First month",
    "Months",
    "FTE months",
    "Rate per FTE month",
    "Amount",
    "service id",
    "stage",
)
_PASS_HEADER: Final = (
    "Service",
    "Description",
    "Estimate",
    "Management fee (0.05 = 5%)",
    "Amount",
    "service id",
    "stage",
)
_STUDY_FIELDS: Final = ("planned_patients", "sites", "screen_failure_rate", "dropout_rate")
_PLANNING_FIELDS: Final = (
    "startup_months",
    "enrolment_months",
    "treatment_months",
    "closeout_months",
    "tables_listings_figures",
    "crf_pages_per_visit_default",
    "monitoring_interval_weeks",
    "monitoring_visits_per_site_month",
)
DEVIATIONS: Final = (*_STUDY_FIELDS, *_PLANNING_FIELDS)
"""The assumptions a CRO may state on the ``Deviations`` sheet, in row order (from row 2)."""
_DECIMAL_FIELDS: Final = frozenset({"screen_failure_rate", "dropout_rate", "monitoring_visits_per_site_month"})
_TOTAL: Final = "Total"
_AMOUNT_FORMAT: Final = "#,##0.00##########"
_NUMBER: Final = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


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


# --- reading ----------------------------------------------------------------------------


@attrs.frozen
class _Cell:
    value: object
    number_format: str | None


class _Sheet:
    """One sheet's rows, as read, and the problems found in them."""

    def __init__(self, name: str, rows: list[tuple[int, list[_Cell]]], problems: list[Problem]) -> None:
        self.name = name
        self.rows = rows
        self.problems = problems

    def ref(self, column: int, row: int) -> str:
        return cell_ref(self.name, column, row)

    def fail(self, column: int, row: int, message: str) -> None:
        self.problems.append(Problem(path=self.ref(column, row), message=message))

    def number(self, cells: list[_Cell], column: int, row: int, what: str, *, blank: bool = False) -> Decimal | None:
        """The decimal in a cell, or ``None`` (with a problem unless *blank* allows an empty cell)."""
        cell = cells[column - 1] if column <= len(cells) else _Cell(None, None)
        value = cell.value
        if isinstance(value, str) and not value.strip():
            value = None
        if value is None:
            if not blank:
                self.fail(column, row, f"expected {what}, got an empty cell")
            return None
        number: Decimal | None = None
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            try:
                number = decimal_from_cell(value, cell.number_format)
            except ValueError:
                number = None
        elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
            try:
                number = Decimal(value.strip())
            except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
                number = None
        if number is None:
            self.fail(column, row, f"expected {what}, got {describe(value)}")
            return None
        if number < 0:
            self.fail(column, row, f"expected {what} >= 0, got {describe(value)}")
            return None
        return number

    def whole(self, cells: list[_Cell], column: int, row: int, what: str) -> int | None:
        number = self.number(cells, column, row, what)
        if number is None:
            return None
        if number != number.to_integral_value():
            self.fail(column, row, f"expected {what} as a whole number, got {number}")
            return None
        return int(number)

    def text(self, cells: list[_Cell], column: int) -> str | None:
        value = cells[column - 1].value if column <= len(cells) else None
        return value.strip() if isinstance(value, str) and value.strip() else None

    def choice(self, cells: list[_Cell], column: int, row: int, convert: Callable[[str], Any], what: str) -> Any | None:
        text = self.text(cells, column)
        try:
            return convert(text or "")
        except (CrokitError, ValueError):
            self.fail(column, row, f"expected {what}, got {describe(text)}")
            return None


def _cells(row: Sequence[Any]) -> list[_Cell]:
    return [_Cell(getattr(cell, "value", None), getattr(cell, "number_format", None)) for cell in row]


def _read(path: str | os.PathLike[str], book: Any, sheet: str, columns: int, problems: list[Problem]) -> _Sheet:
    """Every row of *sheet* after its header up to the first row whose id column is empty."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    name = _find_sheet(path, book.sheetnames, sheet)
    worksheet = book[name]
    if not isinstance(worksheet, ReadOnlyWorksheet):
        raise InputFileError(path, f"the sheet {name!r} is not a worksheet")
    worksheet.reset_dimensions()  # read-only mode trusts the declared dimension and drops rows past it
    rows: list[tuple[int, list[_Cell]]] = []
    number = 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, row in enumerate(worksheet.iter_rows(min_row=2, max_col=columns), start=2):  # type: ignore[misc]
                if number > MAX_ROWS:
                    raise InputFileError(path, f"the sheet {name!r} has more than {MAX_ROWS} rows")
                cells = _cells(row)
                cells += [_Cell(None, None)] * (columns - len(cells))
                rows.append((number, cells))
    except CrokitError:
        raise
    except _PARSE_ERRORS as exc:
        raise _unreadable(path, name, exc, number) from None
    return _Sheet(name, rows, problems)


def _not_bid(cells: list[_Cell], column: int) -> bool:
    value = cells[column - 1].value if column <= len(cells) else None
    return isinstance(value, str) and " ".join(value.split()).lower() == NOT_BID


def _raw(cells: list[_Cell], column: int) -> str:
    """A text cell as written (descriptions keep their spaces), ``""`` for an empty cell."""
    value = cells[column - 1].value if column <= len(cells) else None
    return value if isinstance(value, str) else ""


def _service(sheet: _Sheet, cells: list[_Cell], column: int, row: int, registry: Registry) -> str | None:
    text = sheet.text(cells, column)
    try:
        return registry.service(check_id(text, path=sheet.ref(column, row))).id
    except (ValidationError, UnknownIdError):
        sheet.fail(column, row, f"expected a service id of the registry, got {describe(text)}")
        return None


def _stage(sheet: _Sheet, cells: list[_Cell], column: int, row: int) -> Stage | None:
    stage: Stage | None = sheet.choice(cells, column, row, Stage, "a lifecycle stage such as 'phase-2'")
    return stage


def _grid_rows(sheet: _Sheet, id_column: int) -> list[tuple[int, list[_Cell]]]:
    found = []
    for number, cells in sheet.rows:
        if sheet.text(cells, id_column) is None:
            break
        found.append((number, cells))
    return found


def _lines(sheet: _Sheet, registry: Registry) -> tuple[list[GridLine], list[Decimal]]:
    lines: list[GridLine] = []
    rates: list[Decimal] = []
    for number, cells in _grid_rows(sheet, 7):
        if _not_bid(cells, 4):
            continue
        quantity = sheet.number(cells, 3, number, "a quantity")
        rate = sheet.number(cells, 4, number, "an amount")
        service = _service(sheet, cells, 7, number, registry)
        stage = _stage(sheet, cells, 8, number)
        basis = sheet.choice(cells, 9, number, UnitBasis, "a unit such as 'per-site'")
        if quantity is None or rate is None or service is None or stage is None or basis is None:
            continue
        try:
            line = GridLine(
                service=service,
                stage=stage,
                basis=basis,
                quantity=quantity,
                description=_raw(cells, 10),
            )
        except ValidationError as error:
            sheet.fail(9, number, str(error))
            continue
        lines.append(line)
        rates.append(rate)
    return lines, rates


def _roles(sheet: _Sheet, registry: Registry) -> tuple[list[GridRole], list[Decimal]]:
    roles: list[GridRole] = []
    rates: list[Decimal] = []
    for number, cells in _grid_rows(sheet, 10):
        if _not_bid(cells, 8):
            continue
        role = sheet.text(cells, 2)
        region = sheet.text(cells, 3)
        for column, value in ((2, role), (3, region)):
            if value is None or not re.fullmatch(SLUG_PATTERN, value):
                sheet.fail(column, number, f"expected a lower-case slug such as 'us', got {describe(value)}")
        fte = sheet.number(cells, 4, number, "an FTE")
        start = sheet.whole(cells, 5, number, "a first month")
        months = sheet.whole(cells, 6, number, "a number of months")
        rate = sheet.number(cells, 8, number, "an amount")
        service = _service(sheet, cells, 10, number, registry)
        stage = _stage(sheet, cells, 11, number)
        if (
            role is None
            or region is None
            or fte is None
            or start is None
            or months is None
            or rate is None
            or service is None
            or stage is None
            or not re.fullmatch(SLUG_PATTERN, role)
            or not re.fullmatch(SLUG_PATTERN, region)
        ):
            continue
        try:
            item = GridRole(
                service=service,
                stage=stage,
                role=role,
                region=region,
                fte=fte,
                start_month=start,
                duration_months=months,
            )
        except ValidationError as error:
            sheet.fail(4, number, str(error))
            continue
        roles.append(item)
        rates.append(rate)
    return roles, rates


def _pass_through(sheet: _Sheet, registry: Registry) -> tuple[list[GridPassThrough], list[tuple[Decimal, Decimal]]]:
    costs: list[GridPassThrough] = []
    prices: list[tuple[Decimal, Decimal]] = []
    for number, cells in _grid_rows(sheet, 6):
        if _not_bid(cells, 3):
            continue
        estimate = sheet.number(cells, 3, number, "an amount")
        fee = sheet.number(cells, 4, number, "a management fee", blank=True)
        if fee is not None and fee >= 1:
            sheet.fail(4, number, f"expected a management fee as a fraction below 1 (0.05 for 5%), got {fee}")
            continue
        service = _service(sheet, cells, 6, number, registry)
        stage = _stage(sheet, cells, 7, number)
        if estimate is None or service is None or stage is None:
            continue
        description = _raw(cells, 2)
        name = registry.service(service).name
        costs.append(
            GridPassThrough(service=service, stage=stage, description="" if description == name else description)
        )
        prices.append((estimate, fee if fee is not None else Decimal(0)))
    return costs, prices


def _bid_fields(sheet: _Sheet) -> dict[str, tuple[int, object]]:
    fields: dict[str, tuple[int, object]] = {}
    for number, cells in sheet.rows:
        key = sheet.text(cells, 3)
        if key is not None:
            value = cells[1].value
            fields[key] = (number, value.strip() if isinstance(value, str) else value)
    return fields


def _identity(sheet: _Sheet, cro: str | None, currency: str | None) -> tuple[str | None, str | None, int | None]:
    fields = _bid_fields(sheet)
    found: dict[str, str | None] = {}
    for key, given, what in (("cro", cro, "a CRO id such as 'helix-cro'"), ("currency", currency, "an ISO 4217 code")):
        row, value = fields.get(key, (2 if key == "cro" else 3, None))
        text = value if isinstance(value, str) and value else None
        if given is not None and text is not None and given != text:
            sheet.fail(2, row, f"expected {given!r} as the command line says, got {describe(value)}")
            found[key] = None
            continue
        chosen = given or text
        valid = chosen is not None and (
            chosen in CURRENCIES if key == "currency" else bool(re.fullmatch(SLUG_PATTERN, chosen))
        )
        if not valid:
            sheet.fail(2, row, f"expected {what}, got {describe(value if given is None else given)}")
            chosen = None
        found[key] = chosen
    row, value = fields.get("year", (4, None))
    year: int | None = None
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        year = int(value)
    if year is None or not 1990 <= year <= 2100:  # noqa: PLR2004 - the rate card's range of years
        sheet.fail(2, row, f"expected a rate-card year from 1990 to 2100, got {describe(value)}")
        year = None
    return found["cro"], found["currency"], year


def _activation(sheet: _Sheet, row: int, value: object) -> SiteActivation | None:
    text = value.strip() if isinstance(value, str) else ""
    if text == "even":
        return SiteActivation.evenly()
    pairs = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*:\s*(\d+)\s*", part)
        if match is None:
            sheet.fail(2, row, f"expected 'even' or month:sites pairs such as '0:3, 1:4', got {describe(value)}")
            return None
        pairs.append((int(match.group(1)), int(match.group(2))))
    try:
        return SiteActivation.planned(*pairs)
    except ValidationError as error:
        sheet.fail(2, row, str(error))
        return None


def _deviations(sheet: _Sheet) -> BidAssumptions | None:
    sponsor: dict[str, object] = {}
    bid: dict[str, object] = {}
    rows: dict[str, int] = {}
    activation: SiteActivation | None = SiteActivation.evenly()
    before = len(sheet.problems)
    for number, cells in sheet.rows:
        name = sheet.text(cells, 4)
        if name == "activation":
            activation = _activation(sheet, number, cells[1].value)
        if name not in DEVIATIONS:
            continue
        rows[name] = number
        read = sheet.number if name in _DECIMAL_FIELDS else sheet.whole
        sponsor[name] = read(cells, 2, number, "the sponsor's value") if cells[1].value not in (None, "") else None
        what = "a fraction such as 0.18" if name in _DECIMAL_FIELDS else "a whole number"
        value = cells[2].value
        if value is not None and not (isinstance(value, str) and not value.strip()):
            bid[name] = (sheet.number if name in _DECIMAL_FIELDS else sheet.whole)(cells, 3, number, what)
    if len(sheet.problems) > before or activation is None:
        return None
    planning: Assumptions | None = None
    if any(name in bid for name in _PLANNING_FIELDS):
        stated = {name: bid.get(name, sponsor.get(name)) for name in _PLANNING_FIELDS}
        if "monitoring_interval_weeks" in bid:
            stated["monitoring_visits_per_site_month"] = None
        elif "monitoring_visits_per_site_month" in bid:
            stated["monitoring_interval_weeks"] = None
        try:
            planning = Assumptions(**stated, activation=activation)  # type: ignore[arg-type]
        except ValidationError as error:
            for problem in error.problems:
                field = problem.path.split(".")[0].split("[")[0]
                row = rows.get(field)
                where = sheet.ref(3 if field in bid else 2, row) if row else f"{sheet.name}!C2"
                sheet.problems.append(Problem(path=where, message=problem.message))
            return None
    try:
        return BidAssumptions(**{name: bid[name] for name in _STUDY_FIELDS if name in bid}, planning=planning)  # type: ignore[arg-type]
    except ValidationError as error:
        for problem in error.problems:
            field = problem.path.split(".")[0]
            sheet.problems.append(Problem(path=sheet.ref(3, rows.get(field, 2)), message=problem.message))
        return None


def read_bid_workbook(
    path: str | os.PathLike[str],
    *,
    registry: Registry,
    cro: str | None = None,
    currency: str | None = None,
) -> Bid:
    """Read a bid grid workbook filled in by a CRO into a :class:`~crokit.bids.Bid`.

    The proposal prices each ``Rates`` row as a unit price of the sheet's quantity, the
    ``FTE`` rows of each service as time and materials at their rates per FTE month,
    and each ``Pass-through`` row at its estimate and management fee; the bid's
    assumptions come from the ``Deviations`` sheet. Totals in the workbook are not read.

    Args:
        path: The workbook.
        registry: Where the service ids are looked up.
        cro: The CRO's id, if the ``Bid`` sheet does not give it (it must agree if it does).
        currency: The bid's currency, likewise.

    Raises:
        MissingDependencyError: If openpyxl is not installed.
        InputFileError: If the file is missing, too large, not an ``.xlsx`` workbook, or
            lacks one of the sheets.
        ValidationError: Every problem found, each at its cell (``Rates!D14``).
    """
    require_openpyxl()
    book = _open(path)
    problems: list[Problem] = []
    try:
        bid = _read(path, book, BID, 3, problems)
        rates = _read(path, book, RATES, len(_RATES_HEADER), problems)
        fte = _read(path, book, FTE, len(_FTE_HEADER), problems)
        passed = _read(path, book, PASS, len(_PASS_HEADER), problems)
        deviations = _read(path, book, DEVIATIONS_SHEET, 4, problems)
    finally:
        book.close()
    cro_id, bid_currency, year = _identity(bid, cro, currency)
    lines, line_rates = _lines(rates, registry)
    roles, role_rates = _roles(fte, registry)
    costs, prices = _pass_through(passed, registry)
    assumptions = _deviations(deviations)
    if not (lines or roles or costs) and not problems:
        problems.append(
            Problem(
                path=rates.ref(4, 2), message=f"expected at least one priced row (a rate, not {NOT_BID!r}), got none"
            )
        )
    if problems or cro_id is None or bid_currency is None or year is None or assumptions is None:
        raise ValidationError(problems or [Problem(path=f"{BID}!B2", message="the bid is incomplete")])
    proposal = proposal_of_rows(
        lines,
        roles,
        costs,
        year=year,
        cro_id=cro_id,
        currency=bid_currency,
        line_rates=line_rates,
        role_rates=role_rates,
        pass_through_prices=prices,
    )
    return Bid(proposal=proposal, assumptions=assumptions)
