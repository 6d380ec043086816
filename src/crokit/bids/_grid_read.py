"""Read a filled bid-grid workbook back into a bid (see :mod:`crokit.bids._grid_layout`).

:func:`read_bid_workbook` reads the rates, FTE rates, pass-through estimates and the
CRO's stated deviations into a :class:`~crokit.bids.Bid`, every problem at once at its
sheet and cell.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from crokit._validators import SLUG_PATTERN
from crokit.bids._grid_layout import (
    _DECIMAL_FIELDS,
    _FTE_HEADER,
    _NUMBER,
    _PASS_HEADER,
    _PLANNING_FIELDS,
    _RATES_HEADER,
    _STUDY_FIELDS,
    BID,
    DEVIATIONS,
    DEVIATIONS_SHEET,
    FTE,
    NOT_BID,
    PASS,
    RATES,
)
from crokit.bids.assumptions import BidAssumptions
from crokit.bids.grid import Bid, GridLine, GridPassThrough, GridRole, proposal_of_rows
from crokit.errors import CrokitError, InputFileError, Problem, UnknownIdError, ValidationError
from crokit.excel._book import require_openpyxl
from crokit.excel._numbers import cell_ref, decimal_from_cell, describe
from crokit.excel._rates import _PARSE_ERRORS, MAX_ROWS, _find_sheet, _open, _unreadable
from crokit.money import CURRENCIES
from crokit.pricing.assumptions import Assumptions, SiteActivation
from crokit.registry import Registry
from crokit.vocabulary.ids import check_id
from crokit.vocabulary.lifecycle import Stage
from crokit.vocabulary.terms import UnitBasis

__all__ = ["read_bid_workbook"]


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
