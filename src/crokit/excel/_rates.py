"""Rate cards in Excel: read a ``Rates`` sheet into a :class:`~crokit.pricing.RateCard`, and write its template."""

from __future__ import annotations

import io
import os
import warnings
import zipfile
import zlib
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Final

import attrs

from crokit._decimal import MAX_EXPONENT
from crokit._validators import SLUG_PATTERN
from crokit.errors import CrokitError, InputFileError, Problem, ValidationError, close_matches
from crokit.excel._book import finish_sheet, require_openpyxl, save_atomic, write_header
from crokit.excel._numbers import (
    cell_ref,
    column_letter,
    decimal_from_cell,
    describe,
    display_decimals,
    fits_excel,
    money_format,
    plain,
    sheet_ref,
)
from crokit.money import CURRENCIES, Money
from crokit.pricing.fte import RateCard, RateCardEntry, RatePer
from crokit.serialization._files import MAX_INPUT_ENV, max_input_bytes, read_bytes

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

__all__ = ["COLUMNS", "read_rate_card", "write_rate_card_template"]

COLUMNS: Final = ("role", "region", "rate", "per", "year", "currency")
"""The header of a rate sheet; every column but ``currency`` is required. Other columns are ignored."""
_REQUIRED: Final = COLUMNS[:5]
_YEARS: Final = (1990, 2100)
_PER_CHOICES: Final = ", ".join(f'"{per.value}"' for per in RatePer)
_TEMPLATE_ROWS: Final = 500
"""Rows of a template the ``per`` drop-down list covers."""
MAX_ROWS: Final = 20_000
"""The most rows :func:`read_rate_card` reads from a sheet (header included); a longer sheet is refused.

20,000 rows is far more than a rate card has (roles x regions x years) and is read in a
fraction of a second; at 100,000 a 1 MB workbook of 200,000 one-cell rows took 2 s of
CPU time before it was refused (found by the fuzz suite)."""
MAX_MEMBERS: Final = 10_000
"""The most parts (zip members) a workbook may have before it is opened."""


@attrs.frozen
class _Row:
    """One data row's cells, by column name, as read (``None`` for an empty or absent cell)."""

    number: int
    values: dict[str, object]
    formats: dict[str, str | None]


class _Reader:
    """Reads rows into entries, collecting every problem with its cell address."""

    def __init__(self, sheet: str, columns: dict[str, int], currency: str | None) -> None:
        self.sheet = sheet
        self.columns = columns
        self.currency = currency
        self.problems: list[Problem] = []
        self.first_currency: tuple[str, str] | None = None  # (code, where it was first seen)
        self.seen: dict[tuple[str, str, int], int] = {}

    def ref(self, name: str, row: int) -> str:
        return cell_ref(self.sheet, self.columns[name], row)

    def fail(self, name: str, row: int, message: str) -> None:
        self.problems.append(Problem(path=self.ref(name, row), message=message))

    def slug(self, row: _Row, name: str) -> str | None:
        value = row.values[name]
        text = value.strip() if isinstance(value, str) else None
        if text is None or not SLUG_PATTERN.match(text):
            message = f"expected an id of lower-case letters, digits, '.', '_' or '-', got {describe(value)}"
            fixed = "-".join(text.lower().split()) if text else ""
            if fixed and SLUG_PATTERN.match(fixed):
                message += f"; did you mean {fixed!r}?"
            self.fail(name, row.number, message)
            return None
        return text

    def rate(self, row: _Row) -> Decimal | None:
        value = row.values["rate"]
        amount: Decimal | None = None
        if isinstance(value, str):
            try:
                amount = Decimal(value.strip())
            except ArithmeticError:
                amount = None
        elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            try:
                amount = decimal_from_cell(value, row.formats["rate"])
            except ValueError:
                amount = None
        if amount is None or not amount.is_finite():
            self.fail("rate", row.number, f"expected an amount, got {describe(value)}")
            return None
        if amount and not -MAX_EXPONENT <= amount.adjusted() <= MAX_EXPONENT:
            self.fail("rate", row.number, f"expected an amount from 1e-30 to 1e30, got {describe(value)}")
            return None
        if amount < 0:
            self.fail("rate", row.number, f"expected an amount >= 0, got {describe(value)}")
            return None
        return amount

    def per(self, row: _Row) -> RatePer | None:
        value = row.values["per"]
        if isinstance(value, str):
            for per in RatePer:
                if value.strip().lower() == per.value:
                    return per
        self.fail("per", row.number, f"expected one of {_PER_CHOICES}, got {describe(value)}")
        return None

    def year(self, row: _Row) -> int | None:
        value = row.values["year"]
        low, high = _YEARS
        expected = f"expected a whole-number year from {low} to {high}"
        if isinstance(value, str):
            self.fail("year", row.number, f"{expected} entered as a number, got text {describe(value)}")
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail("year", row.number, f"{expected}, got {describe(value)}")
            return None
        return value

    def row_currency(self, row: _Row) -> str | None:
        value = row.values.get("currency")
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.currency is not None:
                return self.currency
            self.fail("currency", row.number, 'expected a currency code such as "USD" (or pass currency=...)')
            return None
        code = value.strip() if isinstance(value, str) else None
        if code is None or code not in CURRENCIES:
            hint = close_matches(code, CURRENCIES) if code else ()
            extra = f"; did you mean {hint[0]!r}?" if hint else ""
            self.fail("currency", row.number, f'expected an ISO 4217 code such as "USD", got {describe(value)}{extra}')
            return None
        if self.currency is not None and code != self.currency:
            self.fail("currency", row.number, f"expected {self.currency} (the currency asked for), got {code}")
            return None
        return code

    def same_currency(self, row: _Row, currency: str) -> str | None:
        where = self.ref("currency" if "currency" in self.columns else "rate", row.number)
        if self.first_currency is None:
            self.first_currency = (currency, where)
            return currency
        code, first = self.first_currency
        if currency == code:
            return currency
        message = f"expected {code} like {first} (a rate card has one currency), got {currency}"
        self.problems.append(Problem(path=where, message=message))
        return None

    def entry(self, row: _Row) -> RateCardEntry | None:
        role, region = self.slug(row, "role"), self.slug(row, "region")
        rate, per, year = self.rate(row), self.per(row), self.year(row)
        currency = self.row_currency(row)
        if currency is not None:
            currency = self.same_currency(row, currency)
        if role is None or region is None or rate is None or per is None or year is None or currency is None:
            return None
        key = (role, region, year)
        if key in self.seen:
            self.fail("role", row.number, f"{role} in {region} for {year} is already given in row {self.seen[key]}")
            return None
        self.seen[key] = row.number
        try:
            return RateCardEntry(role=role, region=region, rate=Money(rate, currency), per=per, year=year)
        except CrokitError as exc:  # pragma: no cover - every rule is checked above
            self.problems.append(Problem(path=self.ref("role", row.number), message=str(exc)))
            return None


def _header(sheet: str, cells: Sequence[object]) -> dict[str, int]:
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    found: list[str] = []
    for index, value in enumerate(cells, start=1):
        name = value.strip().lower() if isinstance(value, str) else ""
        if not name:
            continue
        found.append(name)
        if name in columns:
            problems.append(Problem(path=cell_ref(sheet, index, 1), message=f"column {name!r} appears twice"))
        elif name in COLUMNS:
            columns[name] = index
    for name in _REQUIRED:
        if name not in columns:
            hint = close_matches(name, found)
            extra = f"; did you mean {hint[0]!r}?" if hint else ""
            listed = ", ".join(repr(f) for f in found) or "none"
            problems.append(
                Problem(path=f"{sheet_ref(sheet)}!1:1", message=f"missing column {name!r} (found {listed}){extra}")
            )
    if problems:
        raise ValidationError(problems)
    return columns


def _unpacked_size(path: str | os.PathLike[str], data: bytes, limit: int) -> None:
    """Refuse a workbook whose zip members would unpack to more than *limit* bytes, before openpyxl reads it.

    A member never yields more than the size its header declares (``zipfile`` stops
    there and checks the CRC), so the declared sizes bound what can be unpacked.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as exc:  # noqa: BLE001 - a damaged archive may fail in many ways; all mean "not a workbook"
        raise InputFileError(path, f"is not an Excel .xlsx workbook ({_detail(exc)})") from None
    if len(members) > MAX_MEMBERS:
        raise InputFileError(path, f"has {len(members)} parts, more than the {MAX_MEMBERS} an .xlsx workbook may have")
    total = sum(member.file_size for member in members)
    if total > limit:
        raise InputFileError(
            path,
            f"would unpack to {total} bytes, more than the input limit of {limit} bytes "
            f"(raise it with --max-input-size or {MAX_INPUT_ENV})",
        )


def _detail(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _open(path: str | os.PathLike[str]) -> Workbook:
    from openpyxl import load_workbook

    limit = max_input_bytes()
    data = read_bytes(path, limit=limit)
    _unpacked_size(path, data, limit)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl and its XML parser raise many types; all mean "cannot read"
        raise InputFileError(path, f"is not a readable Excel .xlsx workbook ({_detail(exc)})") from None


def _find_sheet(path: str | os.PathLike[str], names: Sequence[str], sheet: str) -> str:
    if sheet in names:
        return sheet
    for name in names:
        if name.lower() == sheet.lower():
            return name
    listed = ", ".join(repr(name) for name in names)
    raise InputFileError(path, f"has no sheet {sheet!r} (its sheets: {listed})")


def _row(number: int, cells: Sequence[object], columns: dict[str, int]) -> _Row | None:
    values: dict[str, object] = {}
    formats: dict[str, str | None] = {}
    for name, column in columns.items():
        cell = cells[column - 1] if column <= len(cells) else None
        value = getattr(cell, "value", None)
        values[name] = None if isinstance(value, str) and not value.strip() else value
        formats[name] = getattr(cell, "number_format", None)
    if any(value is not None for value in values.values()):
        return _Row(number=number, values=values, formats=formats)
    return None


def _failed_at(exc: BaseException) -> str | None:
    """The cell (``C7``) or row (``7:7``) openpyxl's sheet parser was reading when *exc* was raised, if known."""
    where: str | None = None
    trace = exc.__traceback__
    while trace is not None:
        local = trace.tb_frame.f_locals
        parser = local.get("self")
        row = getattr(parser, "row_counter", None)
        if trace.tb_frame.f_code.co_name == "parse_cell":
            coordinate = local.get("coordinate")
            column = getattr(parser, "col_counter", None)
            if isinstance(coordinate, str) and coordinate.isalnum():
                where = coordinate.upper()
            elif isinstance(row, int) and isinstance(column, int):
                where = f"{column_letter(column + 1)}{row}"
        elif isinstance(row, int) and where is None and row > 0:
            where = f"{row}:{row}"
        trace = trace.tb_next
    return where


def _unreadable(path: str | os.PathLike[str], sheet: str, exc: BaseException, last_row: int) -> InputFileError:
    where = _failed_at(exc) or f"{last_row + 1}:{last_row + 1}"
    return InputFileError(path, f"cannot read {sheet_ref(sheet)}!{where} ({_detail(exc)})")


_PARSE_ERRORS: Final = (
    zlib.error,
    zipfile.BadZipFile,
    EOFError,
    NotImplementedError,
    SyntaxError,  # xml.etree.ElementTree.ParseError (and lxml's) derive from it
    ValueError,  # text in a number cell, a bad row number; defusedxml's refusals derive from it
    IndexError,  # a shared-string index past the table
    KeyError,
    TypeError,
    AttributeError,
    ArithmeticError,  # decimal.InvalidOperation, OverflowError
    OSError,
)


def _read_sheet(
    path: str | os.PathLike[str], worksheet: ReadOnlyWorksheet, name: str, currency: str | None
) -> tuple[dict[str, int], list[_Row]]:
    """The header's columns and every non-blank row, whatever dimension the sheet declares."""
    worksheet.reset_dimensions()  # read-only mode trusts the declared dimension and drops rows past it
    number = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. a date cell out of range, which openpyxl reads as an error value
            header = next(worksheet.iter_rows(min_row=1, max_row=1), ())  # type: ignore[misc] # shared with Worksheet
            columns = _header(name, [getattr(cell, "value", None) for cell in header])
            if "currency" not in columns and currency is None:
                raise ValidationError.at(
                    f"{sheet_ref(name)}!1:1", "no 'currency' column: add one, or pass currency= (such as 'USD')"
                )
            number = 1
            rows: list[_Row] = []
            for number, cells in enumerate(
                worksheet.iter_rows(min_row=2, max_col=max(columns.values())),  # type: ignore[misc]
                start=2,
            ):
                if number > MAX_ROWS:
                    raise InputFileError(
                        path, f"the sheet {name!r} has more than {MAX_ROWS} rows, more than a rate card may have"
                    )
                row = _row(number, cells, columns)
                if row is not None:
                    rows.append(row)
    except CrokitError:
        raise
    except _PARSE_ERRORS as exc:
        raise _unreadable(path, name, exc, number) from None
    return columns, rows


def read_rate_card(path: str | os.PathLike[str], *, sheet: str = "Rates", currency: str | None = None) -> RateCard:
    """Read a rate card from the worksheet *sheet* of the ``.xlsx`` file at *path*.

    Row 1 names the columns (any order, any case): ``role``, ``region``, ``rate``,
    ``per`` (``hour`` or ``fte-month``), ``year`` and, optionally, ``currency``; other
    columns are ignored. Every later non-blank row is one entry. Numbers are read by
    the rule of :func:`decimal_from_cell`; a rate may also be decimal text (``"1850.10"``),
    a year must be a number.

    Args:
        path: The workbook.
        sheet: The worksheet's name (matched ignoring case if no exact match).
        currency: The currency of rows with no currency cell; if given, every currency
            cell must agree with it. Without it the sheet needs a currency column.

    Raises:
        MissingDependencyError: If openpyxl is not installed.
        InputFileError: If the file is missing, not an ``.xlsx`` workbook, or has no such sheet.
        ValidationError: Every problem found, each at its cell (``Rates!C7``), or at
            the header row (``Rates!1:1``) for a missing column.
    """
    require_openpyxl()
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    if currency is not None and currency not in CURRENCIES:
        raise ValidationError.at("currency", f'expected an ISO 4217 code such as "USD", got {currency!r}')
    book = _open(path)
    try:
        name = _find_sheet(path, book.sheetnames, sheet)
        worksheet = book[name]
        if not isinstance(worksheet, ReadOnlyWorksheet):
            raise InputFileError(path, f"the sheet {name!r} is not a worksheet")
        columns, rows = _read_sheet(path, worksheet, name, currency)
    finally:
        book.close()
    reader = _Reader(name, columns, currency)
    entries = [entry for row in rows if (entry := reader.entry(row)) is not None]
    if not rows:
        reader.problems.append(
            Problem(path=cell_ref(name, 1, 2), message="expected at least one rate row under the header, got none")
        )
    if reader.problems:
        raise ValidationError(reader.problems)
    return RateCard(entries=tuple(entries))


def write_rate_card_template(path: str | os.PathLike[str], rate_card: RateCard | None = None) -> Path:
    """Write a ``Rates`` sheet in exactly the shape :func:`read_rate_card` reads, and return *path*.

    The header is :data:`COLUMNS`; ``per`` has a drop-down list of its two values.
    With *rate_card*, one row per entry follows, rates as exact numbers formatted with
    their currency's minor units, so ``read_rate_card(write_rate_card_template(p, card)) == card``.

    Raises:
        MissingDependencyError: If openpyxl is not installed.
        InputFileError: If *path* is a folder or its folder does not exist.
    """
    require_openpyxl()
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.remove(book.worksheets[0])
    sheet = book.create_sheet("Rates")
    write_header(sheet, COLUMNS)
    per_column = "D"
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(per.value for per in RatePer) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="per",
        error="Choose " + " or ".join(per.value for per in RatePer),
    )
    sheet.add_data_validation(choices)
    choices.add(f"{per_column}2:{per_column}{_TEMPLATE_ROWS + 1}")
    for row, entry in enumerate(rate_card.entries if rate_card else (), start=2):
        amount = entry.rate.amount
        sheet.cell(row=row, column=1, value=entry.role)
        sheet.cell(row=row, column=2, value=entry.region)
        cell = sheet.cell(row=row, column=3)
        if fits_excel(amount):
            cell.value = plain(amount)
            cell.number_format = money_format(entry.rate.currency, display_decimals(amount, entry.rate.currency))
        else:  # more than 15 significant digits: exact text, which read_rate_card also reads
            cell.value = str(amount)
        sheet.cell(row=row, column=4, value=entry.per.value)
        sheet.cell(row=row, column=5, value=entry.year).number_format = "0"
        sheet.cell(row=row, column=6, value=entry.rate.currency)
    finish_sheet(sheet)
    return save_atomic(book, path)
