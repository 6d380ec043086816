"""The workbook people forward: an executive summary and one live budget sheet per candidate.

:func:`report_workbook` turns an :class:`~crokit.scenario.Evaluation` into the bytes
of an ``.xlsx`` file (``crokit evaluate FILE --format xlsx --output out.xlsx``):

- ``Summary``: the study, the recommendation and the candidates by rank (names, score,
  total budget, cost per patient, the benchmark), the winner's row highlighted; each
  name links to its budget sheet.
- One sheet per priced candidate, named after it: every budget line (service and stage
  names, quantity, unit price, amount), the total, and the budget by service.

Line amounts are the numbers crokit computed; every total, subtotal and cost per
patient is a live formula over them (``=SUM(H6:H40)``), so an analyst who edits a line
sees the totals follow. openpyxl writes a formula without its result, and a reader
that does not recalculate (a file previewer, a mail client, pandas) would see empty
cells; :func:`add_cached_values` therefore writes each formula's result, computed here
exactly as the spreadsheet computes it, into the saved file, and the workbook asks
Excel and LibreOffice to recalculate on opening.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Final

import attrs

from crokit.errors import CrokitError
from crokit.excel._book import cell_at, require_openpyxl
from crokit.excel._evaluation_bids import BIDS_SHEET, bids_sheet
from crokit.excel._evaluation_blocks import FORECAST_SHEET, SENSITIVITY_SHEET, blocks_sheet
from crokit.excel._numbers import column_letter, display_decimals, fits_excel, money_format, plain, sheet_ref
from crokit.money import minor_units
from crokit.registry import Registry

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable, Mapping

    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

    from crokit.pricing.budget import Budget
    from crokit.scenario import CandidateResult, Evaluation

__all__ = ["SUMMARY_SHEET", "add_cached_values", "candidate_sheet_name", "export_report_workbook", "report_workbook"]

SUMMARY_SHEET: Final = "Summary"
"""The first sheet of :func:`report_workbook`."""

_MAX_SHEET_NAME: Final = 31
"""Excel refuses longer sheet names."""
_FORBIDDEN: Final = re.compile(r"[\[\]:*?/\\]")
_WINNER_FILL: Final = "E3F2E1"
_HEADER_FILL: Final = "EDEFF2"
_SCORE_FORMAT: Final = "0.000"
_LINE_HEIGHT: Final = 15
"""Points per line of wrapped text (Calibri 11, the default font)."""
_LINE_HEADER: Final = (
    "Service",
    "Stage",
    "Description",
    "Basis",
    "Months",
    "Quantity",
    "Unit price",
    "Amount",
    "How it was priced",
)
_AMOUNT: Final = 8
"""The column of the line amounts (H)."""
_FIRST_LINE: Final = 6
"""The row of the first budget line on a candidate sheet (title, facts, blank, header come first)."""

Cached = dict[str, Decimal]
"""A sheet's formula results by cell address (``"H41"``)."""


def candidate_sheet_name(name: str, taken: Iterable[str] = ()) -> str:
    r"""A sheet name Excel accepts for candidate *name*, unlike any of *taken* (compared ignoring case).

    Characters Excel forbids (``[]:*?/\\``) become ``-`` and leading and trailing
    apostrophes go. A name longer than Excel's 31 characters loses its bracketed
    remark (``Helix CRO (mid-size)`` -> ``Helix CRO``), or else is cut with ``…``; a
    repeat gets `` (2)``, `` (3)``, ... within the same limit.

    >>> candidate_sheet_name("Orchid: Phase II/III [EU]")
    'Orchid- Phase II-III -EU-'
    >>> candidate_sheet_name("Helix CRO (mid-size, illustrative)")
    'Helix CRO'
    >>> candidate_sheet_name("Summary", taken=["Summary"])
    'Summary (2)'
    """
    base = _FORBIDDEN.sub("-", name).strip().strip("'").strip() or "Candidate"
    if len(base) > _MAX_SHEET_NAME:
        short = base.split(" (", 1)[0].strip()
        base = short if short and len(short) <= _MAX_SHEET_NAME else base
    used = {title.casefold() for title in taken}
    number = 1
    while True:
        suffix = "" if number == 1 else f" ({number})"
        room = _MAX_SHEET_NAME - len(suffix)
        title = (base if len(base) <= room else base[: room - 1].rstrip() + "…") + suffix
        if title.casefold() not in used and title.casefold() != "history":  # Excel reserves "History"
            return title
        number += 1


def _service_name(registry: Registry, service: str) -> str:
    try:
        return registry.service(service).name
    except CrokitError:
        return service


def _excel_number(value: Decimal) -> str:
    """*value* as a spreadsheet stores a formula result: at most 15 significant digits, no exponent."""
    if value.is_zero():
        return "0"
    shown = +value if fits_excel(value) else Decimal(format(value, ".15g"))
    return format(plain(shown.normalize()), "f")


@attrs.frozen(kw_only=True)
class _Sheet:
    """What the summary needs from a candidate's budget sheet: its name and the cell of its total."""

    title: str
    total_cell: str
    live: bool
    patients: int


def _money_cell(cell: Cell, amount: Decimal, currency: str, *, decimals: int | None = None) -> None:
    cell.value = plain(amount) if fits_excel(amount) else f"{amount}"
    places = decimals if decimals is not None else display_decimals(amount, currency)
    cell.number_format = money_format(currency, places)


def _formula(cell: Cell, formula: str, value: Decimal, currency: str | None, cached: Cached) -> None:
    """Put *formula* in *cell*, remembering *value* as its cached result."""
    cell.value = f"={formula}"
    if currency is not None:
        cell.number_format = money_format(currency, display_decimals(value, currency))
    cached[cell.coordinate] = value


def _bold(cell: Cell, *, size: int | None = None) -> None:
    from openpyxl.styles import Font

    cell.font = Font(bold=True, size=size)


def _header(sheet: Worksheet, row: int, names: Iterable[str]) -> None:
    from openpyxl.styles import Alignment, PatternFill

    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for column, name in enumerate(names, start=1):
        cell = cell_at(sheet, row, column)
        cell.value = name
        _bold(cell)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _widths(sheet: Worksheet, widths: Mapping[int, float]) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[column_letter(column)].width = width


def _fit_rows(sheet: Worksheet, wrapped: Mapping[int, float], *, first: int = 1) -> None:
    """Give each row from *first* the height its wrapped text needs (*wrapped*: column -> width in characters).

    Spreadsheets do not all size rows to wrapped text on opening (LibreOffice keeps the
    default height, and the lines overlap), so the height is set from the text's length.
    """
    for row in range(first, sheet.max_row + 1):
        lines = 1
        for column, width in wrapped.items():
            text = cell_at(sheet, row, column).value
            if isinstance(text, str) and text:
                lines = max(lines, sum(math.ceil(max(len(part), 1) / (width * 0.95)) for part in text.splitlines()))
        if lines > 1:
            sheet.row_dimensions[row].height = _LINE_HEIGHT * lines + 2


def _print_setup(sheet: Worksheet, *, header_row: int | None = None) -> None:
    """Landscape, one page wide, the header repeated on every printed page."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if header_row is not None:
        sheet.print_title_rows = f"{header_row}:{header_row}"


def _line_rows(sheet: Worksheet, budget: Budget, registry: Registry) -> None:
    """One row per budget line from row :data:`_FIRST_LINE`, the amounts in column H."""
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for row, line in enumerate(budget.lines, start=_FIRST_LINE):
        texts = (
            _service_name(registry, line.service),
            line.stage.label,
            line.description,
            line.basis.value.replace("-", " ") if line.basis else "",
            _months(line.months),
        )
        for column, text in enumerate(texts, start=1):
            cell_at(sheet, row, column).value = text
        quantity = cell_at(sheet, row, 6)
        quantity.value = plain(line.quantity) if fits_excel(line.quantity) else f"{line.quantity}"
        _money_cell(cell_at(sheet, row, 7), line.unit_price.amount, budget.currency)
        _money_cell(cell_at(sheet, row, _AMOUNT), line.amount.amount, budget.currency)
        for column in range(1, 9):
            cell_at(sheet, row, column).alignment = top
        derivation = cell_at(sheet, row, 9)
        derivation.value = line.derivation
        derivation.alignment = wrap


def _by_service_rows(sheet: Worksheet, budget: Budget, registry: Registry, total_row: int, cached: Cached) -> None:
    """The budget by service under the total: each a SUMPRODUCT over the lines of that service, and its share."""
    start = total_row + 2
    _header(sheet, start, ("Service", "", "", "", "", "", "Share", "Amount"))
    letter = column_letter(_AMOUNT)
    last = total_row - 1
    amounts = f"${letter}${_FIRST_LINE}:${letter}${last}"
    for row, (service, amount) in enumerate(budget.by_service().items(), start=start + 1):
        cell_at(sheet, row, 1).value = _service_name(registry, service)
        subtotal = cell_at(sheet, row, _AMOUNT)
        if not cached:  # the total is crokit's text: no formulas over the lines
            _money_cell(subtotal, amount.amount, budget.currency)
            continue
        lines_of = f"($A${_FIRST_LINE}:$A${last}=A{row})"
        _formula(subtotal, f"SUMPRODUCT({lines_of}*{amounts})", amount.amount, budget.currency, cached)
        share = cell_at(sheet, row, 7)
        share.value = f"=IF(${letter}${total_row}=0,0,{letter}{row}/${letter}${total_row})"
        share.number_format = "0.0%"
        cached[share.coordinate] = amount.amount / budget.total.amount if budget.total.amount else Decimal(0)


def _budget_sheet(sheet: Worksheet, result: CandidateResult, evaluation: Evaluation, registry: Registry) -> Cached:
    """Write *result*'s budget lines, total and budget by service; return the formula results."""
    budget = result.budget
    assert budget is not None  # noqa: S101 - only priced candidates get a sheet
    cached: Cached = {}
    sheet["A1"] = f"Budget: {result.name}"
    _bold(cell_at(sheet, 1, 1), size=14)
    standing = f"rank {result.rank}" if result.rank is not None else "excluded: " + "; ".join(result.reasons)
    sheet["A2"] = (
        f"{evaluation.study.name}, {evaluation.study.phase.label}; {standing}; amounts in {budget.currency}. "
        "Totals are formulas over the Amount column: edit a line and they follow."
    )
    _header(sheet, _FIRST_LINE - 1, _LINE_HEADER)
    _line_rows(sheet, budget, registry)
    total_row = _FIRST_LINE + len(budget.lines)
    sheet.cell(row=total_row, column=1, value="Total")
    _bold(cell_at(sheet, total_row, 1))
    total = cell_at(sheet, total_row, _AMOUNT)
    live = bool(budget.lines) and all(fits_excel(line.amount.amount) for line in budget.lines)
    if live and fits_excel(budget.total.amount):
        letter = column_letter(_AMOUNT)
        _formula(
            total, f"SUM({letter}{_FIRST_LINE}:{letter}{total_row - 1})", budget.total.amount, budget.currency, cached
        )
    else:  # no lines, or an amount Excel would round (written as text, which SUM skips): crokit's exact total
        _money_cell(total, budget.total.amount, budget.currency)
        if budget.lines:
            cell_at(sheet, total_row, 9).value = "crokit's exact total: an amount has more digits than Excel keeps"
    _bold(total)
    _by_service_rows(sheet, budget, registry, total_row, cached)
    sheet.freeze_panes = f"A{_FIRST_LINE}"
    widths = {1: 30, 2: 12, 3: 44, 4: 18, 5: 10, 6: 10, 7: 16, 8: 18, 9: 60}
    _widths(sheet, widths)
    _fit_rows(sheet, {9: widths[9]}, first=_FIRST_LINE)
    _print_setup(sheet, header_row=_FIRST_LINE - 1)
    return cached


def _months(months: tuple[int, ...]) -> str:
    from crokit.excel._export import months_text

    return months_text(months)


def _ordered(evaluation: Evaluation) -> list[CandidateResult]:
    """The candidates by rank, the excluded after them in their scenario order."""
    ranked = sorted((r for r in evaluation.candidates if r.rank is not None), key=lambda r: r.rank or 0)
    return ranked + [r for r in evaluation.candidates if r.rank is None]


def _area_name(registry: Registry, area: str) -> str:
    try:
        return registry.area(area).name
    except CrokitError:
        return area


def _study_lines(evaluation: Evaluation, registry: Registry) -> list[str]:
    study = evaluation.study
    patients = "1 patient" if study.planned_patients == 1 else f"{study.planned_patients:,} patients"
    sites = "1 site" if study.sites == 1 else f"{study.sites:,} sites"
    area = _area_name(registry, study.therapeutic_area)
    lines = [
        f"Sponsor: {evaluation.sponsor}",
        f"Study: {study.name} ({study.phase.label}, {area}, {study.indication})",
        f"{patients} at {sites} in {', '.join(study.countries)}; starting {study.start_date.isoformat()}",
    ]
    if evaluation.winner is None:
        lines.append("Recommendation: none, no candidate is eligible")
    else:
        lines.append(f"Recommended: {evaluation.candidate(evaluation.winner).name}")
    lines.append(f"Method: {evaluation.ranking.method}; amounts in {evaluation.currency}")
    return lines


def _candidate_row(sheet: Worksheet, row: int, result: CandidateResult, target: _Sheet | None, cached: Cached) -> None:
    """One row of the summary: rank, the name linked to its sheet, score, total, cost per patient, notes."""
    from openpyxl.styles import Alignment, Font

    cell_at(sheet, row, 1).value = result.rank if result.rank is not None else "excluded"
    name = cell_at(sheet, row, 2)
    name.value = result.name
    if target is not None:
        name.hyperlink = f"#{sheet_ref(target.title)}!A1"
        name.font = Font(color="0563C1", underline="single")
    if result.score is not None:
        score = cell_at(sheet, row, 3)
        score.value = result.score
        score.number_format = _SCORE_FORMAT
    if result.budget is not None and target is not None:
        currency = result.budget.currency
        total = result.budget.total.amount
        if target.live:
            patients = target.patients
            places = minor_units(currency) or 0
            _formula(cell_at(sheet, row, 4), f"{sheet_ref(target.title)}!{target.total_cell}", total, currency, cached)
            per = (total / patients).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
            _formula(cell_at(sheet, row, 5), f"ROUND(D{row}/{patients},{places})", per, currency, cached)
        else:
            _money_cell(cell_at(sheet, row, 4), total, currency)
            if result.cost_per_patient is not None:
                _money_cell(cell_at(sheet, row, 5), result.cost_per_patient.amount, currency)
    ratio = result.benchmark.ratio if result.benchmark is not None else None
    if ratio is not None:  # a reporting ratio: four places are plenty, and Excel holds them exactly
        cell_at(sheet, row, 6).value = plain(ratio.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
        cell_at(sheet, row, 6).number_format = '0.00"x"'
    for column in range(1, 7):
        cell_at(sheet, row, column).alignment = Alignment(vertical="top")
    notes = cell_at(sheet, row, 7)
    notes.value = "; ".join(result.reasons) or (result.benchmark.message if result.benchmark else None)
    notes.alignment = Alignment(wrap_text=True, vertical="top")


def _highlight(sheet: Worksheet, row: int, columns: int) -> None:
    """Fill *row* and make it bold: the winner's."""
    from openpyxl.styles import Font, PatternFill

    fill = PatternFill("solid", fgColor=_WINNER_FILL)
    for column in range(1, columns + 1):
        cell = cell_at(sheet, row, column)
        cell.fill = fill
        cell.font = Font(bold=True, color=cell.font.color, underline=cell.font.underline)


def _summary(sheet: Worksheet, evaluation: Evaluation, sheets: Mapping[str, _Sheet], registry: Registry) -> Cached:
    """Write the executive summary; return its formula results."""
    cached: Cached = {}
    currency = evaluation.currency
    sheet["A1"] = evaluation.title or f"CRO evaluation: {evaluation.study.name}"
    _bold(cell_at(sheet, 1, 1), size=16)
    facts = _study_lines(evaluation, registry)
    for row, text in enumerate(facts, start=2):
        cell_at(sheet, row, 1).value = text
        if text.startswith("Recommended"):
            _bold(cell_at(sheet, row, 1), size=13)
    header_row = len(facts) + 3
    header = ("Rank", "Candidate", "Score", f"Total budget ({currency})", f"Cost per patient ({currency})")
    _header(sheet, header_row, (*header, "vs benchmark", "Notes"))
    for row, result in enumerate(_ordered(evaluation), start=header_row + 1):
        _candidate_row(sheet, row, result, sheets.get(result.id), cached)
        if result.id == evaluation.winner:
            _highlight(sheet, row, len(header) + 2)
    if evaluation.warnings:
        from openpyxl.styles import Alignment

        row = header_row + len(evaluation.candidates) + 2
        sheet.cell(row=row, column=1, value="Warnings")
        _bold(cell_at(sheet, row, 1))
        for offset, warning in enumerate(evaluation.warnings, start=1):
            cell = cell_at(sheet, row + offset, 2)  # across Candidate to Notes, wrapped: printed within the page
            cell.value = warning
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.merge_cells(start_row=row + offset, start_column=2, end_row=row + offset, end_column=7)
    widths = {1: 10, 2: 36, 3: 9, 4: 20, 5: 20, 6: 13, 7: 70}
    _widths(sheet, widths)
    _fit_rows(sheet, {7: widths[7]}, first=header_row + 1)
    if evaluation.warnings:
        _fit_rows(sheet, {2: sum(widths[c] for c in range(2, 8))}, first=header_row + len(evaluation.candidates) + 3)
    sheet.freeze_panes = f"A{header_row + 1}"
    _print_setup(sheet)
    return cached


def _book(evaluation: Evaluation, registry: Registry) -> tuple[Workbook, dict[str, Cached]]:
    from openpyxl import Workbook
    from openpyxl.workbook.properties import CalcProperties

    book = Workbook()
    summary = book.worksheets[0]
    summary.title = SUMMARY_SHEET
    cached: dict[str, Cached] = {}
    sheets: dict[str, _Sheet] = {}
    for result in _ordered(evaluation):
        if result.budget is None:
            continue
        title = candidate_sheet_name(result.name, taken=book.sheetnames)
        sheet = book.create_sheet(title)
        cached[title] = _budget_sheet(sheet, result, evaluation, registry)
        total_row = _FIRST_LINE + len(result.budget.lines)
        live = f"{column_letter(_AMOUNT)}{total_row}" in cached[title]
        sheets[result.id] = _Sheet(
            title=title,
            total_cell=f"${column_letter(_AMOUNT)}${total_row}",
            live=live,
            patients=evaluation.study.planned_patients,
        )
    cached[SUMMARY_SHEET] = _summary(summary, evaluation, sheets, registry)
    if any(r.coverage is not None and r.normalisation is not None for r in evaluation.candidates):
        bids = book.create_sheet(BIDS_SHEET)  # after the candidates' budget sheets
        cached[BIDS_SHEET] = bids_sheet(bids, evaluation, registry, _header)
        _print_setup(bids, header_row=4)
    _section_sheets(book, evaluation)
    book.calculation = CalcProperties(fullCalcOnLoad=True)
    return book, cached


def _section_sheets(book: Workbook, evaluation: Evaluation) -> None:
    """The forecast and the sensitivity sections, as the other reports word them, one sheet each."""
    from crokit.report._forecast import forecast_blocks
    from crokit.report._sensitivity import sensitivity_blocks

    for title, blocks in (
        (FORECAST_SHEET, forecast_blocks(evaluation)),
        (SENSITIVITY_SHEET, sensitivity_blocks(evaluation)),
    ):
        if blocks:
            sheet = book.create_sheet(title)
            blocks_sheet(sheet, blocks, _header)
            _print_setup(sheet)


_CELL: Final = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)>(<f>[^<]*</f>)(?:<v\s*/>|<v></v>)</c>')
"""A formula cell as openpyxl writes it: the formula, then an empty result."""


def add_cached_values(data: bytes, values: Mapping[str, Mapping[str, Decimal]]) -> bytes:
    """Write each formula's result into a saved workbook, so readers that do not recalculate see numbers.

    Args:
        data: An ``.xlsx`` file as openpyxl saved it (formulas with empty results).
        values: Per worksheet part (``"xl/worksheets/sheet2.xml"``), each formula
            cell's result by address.

    Returns:
        The same workbook with ``<v>`` results in those formula cells; every other
        part is copied unchanged.

    Raises:
        ValueError: If a cell given in *values* is not an empty formula cell of its sheet.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            results = values.get(item.filename)
            if results:
                content = _fill(content.decode("utf-8"), results, item.filename).encode("utf-8")
            target.writestr(item, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _fill(xml: str, results: Mapping[str, Decimal], part: str) -> str:
    done: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        ref, attributes, formula = match.groups()
        value = results.get(ref)
        if value is None:
            return match.group(0)
        done.add(ref)
        return f'<c r="{ref}"{attributes}>{formula}<v>{_excel_number(value)}</v></c>'

    filled = _CELL.sub(replace, xml)
    missing = sorted(set(results) - done)
    if missing:
        message = f"{part}: no empty formula cell at {', '.join(missing)}"
        raise ValueError(message)
    return filled


def report_workbook(evaluation: Evaluation, *, registry: Registry | None = None) -> bytes:
    """*evaluation* as an ``.xlsx`` workbook (bytes): a summary and one live budget sheet per priced candidate.

    Services are named from *registry* (crokit's built-in vocabulary when ``None``).
    Totals, subtotals and costs per patient are formulas over the line amounts, stored
    with their results; see the module documentation and ``docs/excel.md``.

    Raises:
        MissingDependencyError: If openpyxl is not installed (``pip install 'crokit[excel]'``).
    """
    require_openpyxl()
    book, cached = _book(evaluation, Registry.builtin() if registry is None else registry)
    buffer = io.BytesIO()
    book.save(buffer)
    by_part = {book[title].path.lstrip("/"): values for title, values in cached.items() if values}
    return add_cached_values(buffer.getvalue(), by_part)


def export_report_workbook(
    evaluation: Evaluation, path: str | os.PathLike[str], *, registry: Registry | None = None
) -> None:
    """Write :func:`report_workbook` of *evaluation* to *path*, atomically (no partial file on failure).

    Raises:
        MissingDependencyError: If openpyxl is not installed.
        InputFileError: If *path* is a folder, its folder does not exist, or it cannot be written.
    """
    from crokit.serialization._files import write_atomic

    write_atomic(path, report_workbook(evaluation, registry=registry))
