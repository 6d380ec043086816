"""Export an :class:`~crokit.scenario.Evaluation` to an Excel workbook."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from dateutil.relativedelta import relativedelta

from crokit.excel._book import DATE_FORMAT, cell_at, finish_sheet, require_openpyxl, save_atomic, write_header
from crokit.excel._numbers import display_decimals, fits_excel, money_format, plain
from crokit.money import Money
from crokit.presentation import _format as fmt
from crokit.registry import Registry, default_registry
from crokit.scenario import CandidateResult, Evaluation
from crokit.schedule.payments import month_start

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["SHEETS", "export_workbook", "months_text"]

SHEETS: Final = ("Summary", "Ranking", "Budget by service", "Budget by month", "Payments", "Budget lines")
"""The sheets :func:`export_workbook` writes, in order."""

_SCORE_FORMAT: Final = "0.0000"
_MONTH_FORMAT: Final = "yyyy-mm"
_ILLUSTRATIVE: Final = (
    "Illustrative: this evaluation is marked illustrative in its title or names; "
    "do not read its companies, prices or answers as real or as market data."
)


def put_money(cell: Cell, money: Money | None) -> None:
    """Write *money* as an exact number with a currency format (exact text if Excel cannot hold it)."""
    if money is None:
        return
    if fits_excel(money.amount):
        cell.value = plain(money.amount)
        cell.number_format = money_format(money.currency, display_decimals(money.amount, money.currency))
    else:  # more than 15 significant digits: a number cell would round it, the text keeps it
        cell.value = f"{money.amount}"


def _put_number(cell: Cell, value: Decimal) -> None:
    cell.value = plain(value) if fits_excel(value) else f"{value}"


def _put_date(cell: Cell, value: date | None, number_format: str = DATE_FORMAT) -> None:
    if value is not None:
        cell.value = value
        cell.number_format = number_format


def months_text(months: Sequence[int]) -> str:
    """Study months as compact ranges: ``(0, 1, 2, 5)`` -> ``"0-2, 5"``."""
    parts: list[str] = []
    start = previous = None
    for month in [*months, None]:
        if start is not None and previous is not None and (month is None or month != previous + 1):
            parts.append(str(start) if start == previous else f"{start}-{previous}")
            start = None
        if month is not None and start is None:
            start = month
        previous = month
    return ", ".join(parts)


def _illustrative(evaluation: Evaluation) -> bool:
    texts: Iterable[str | None] = (
        evaluation.title,
        evaluation.sponsor,
        evaluation.study.sponsor,
        evaluation.study.name,
        *(result.name for result in evaluation.candidates),
    )
    return any("illustrative" in text.lower() for text in texts if text)


class _Names:
    """Registry names for ids and display names for candidates, for headers and labels."""

    def __init__(self, registry: Registry, candidates: dict[str, str]) -> None:
        self.registry = registry
        self.candidates = candidates

    @classmethod
    def of(cls, evaluation: Evaluation, registry: Registry) -> _Names:
        return cls(registry, fmt.distinct_names({result.id: result.name for result in evaluation.candidates}))

    def candidate(self, id_: str) -> str:
        return self.candidates.get(id_, id_)


def _summary(sheet: Worksheet, evaluation: Evaluation, notes: str | None, names: _Names) -> None:
    study = evaluation.study
    ranking = evaluation.ranking
    winner = next((r for r in evaluation.candidates if r.id == evaluation.winner), None)
    rows: list[tuple[str, str | int | date | None]] = [
        ("Title", evaluation.title),
        ("Sponsor", evaluation.sponsor),
        ("Study", study.name),
        ("Protocol", study.protocol_id),
        ("Phase", study.phase.label),
        ("Therapeutic area", fmt.name(names.registry, study.therapeutic_area, "area")),
        ("Indication", study.indication),
        ("Planned patients", study.planned_patients),
        ("Sites", study.sites),
        ("Countries", ", ".join(study.countries)),
        ("Start date", study.start_date),
        ("End date", study.end_date),
        ("Currency", evaluation.currency),
        ("Winner", names.candidate(winner.id) if winner else "none: no candidate is eligible"),
        ("Method", fmt.method(ranking.method)),
        (
            "Weights",
            ", ".join(
                f"{fmt.name(names.registry, c, 'criterion')} {w:.4g}"
                for c, w in zip(ranking.criteria, ranking.weights, strict=False)
            ),
        ),
        ("Explanation", ranking.explanation),
        ("Seed", evaluation.seed),
    ]
    # An evaluation may carry notes of its own in a later crokit; the caller's come first.
    texts = (notes, getattr(evaluation, "notes", None))
    rows.extend(("Notes", text) for text in texts if isinstance(text, str) and text.strip())
    if _illustrative(evaluation):
        rows.append(("Notes", _ILLUSTRATIVE))
    rows.extend(("Warning", warning) for warning in evaluation.warnings)
    write_header(sheet, ["Item", "Value"])
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    row = 2
    for label, value in rows:
        if value is None:
            continue
        sheet.cell(row=row, column=1, value=label)
        cell = cell_at(sheet, row, 2)
        if isinstance(value, date):
            _put_date(cell, value)
        else:
            cell.value = value
            if isinstance(value, str) and len(value) > 100:  # noqa: PLR2004 - long texts wrap
                cell.alignment = wrap
        row += 1
    finish_sheet(sheet, widths={2: 100})


def _ranking(sheet: Worksheet, evaluation: Evaluation, names: _Names) -> None:
    criteria = evaluation.ranking.criteria
    currency = evaluation.currency
    header = [
        "Rank",
        "Candidate",
        "Name",
        "Score",
        *(fmt.name(names.registry, criterion, "criterion") for criterion in criteria),
        "Eligible",
        "Reasons",
        f"Total budget ({currency})",
        f"Cost per patient ({currency})",
        "Benchmark",
    ]
    write_header(sheet, header)
    for row, result in enumerate(evaluation.candidates, start=2):
        contributions = dict(result.contributions)
        values: list[str | int | float | bool | None] = [result.rank, result.id, result.name, result.score]
        values += [contributions.get(criterion) for criterion in criteria]
        values += [result.eligible, "; ".join(result.reasons) or None]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            if isinstance(value, float):
                cell.number_format = _SCORE_FORMAT
        column = len(values) + 1
        put_money(cell_at(sheet, row, column), result.budget.total if result.budget else None)
        put_money(cell_at(sheet, row, column + 1), result.cost_per_patient)
        if result.benchmark is not None:
            sheet.cell(row=row, column=column + 2, value=result.benchmark.message)
    finish_sheet(sheet)


def _priced(evaluation: Evaluation) -> list[CandidateResult]:
    return [result for result in evaluation.candidates if result.budget is not None]


def _bold_row(sheet: Worksheet, row: int) -> None:
    from openpyxl.styles import Font

    for cell in sheet[row]:
        cell.font = Font(bold=True)


def _by_service(sheet: Worksheet, evaluation: Evaluation, names: _Names) -> None:
    priced = _priced(evaluation)
    write_header(sheet, ["Service", *(f"{names.candidate(result.id)} ({evaluation.currency})" for result in priced)])
    sums = [result.budget.by_service() if result.budget else {} for result in priced]
    services = sorted({service for totals in sums for service in totals})
    for row, service in enumerate(services, start=2):
        sheet.cell(row=row, column=1, value=fmt.name(names.registry, service, "service"))
        for column, totals in enumerate(sums, start=2):
            put_money(cell_at(sheet, row, column), totals.get(service))
    total_row = len(services) + 2
    sheet.cell(row=total_row, column=1, value="Total")
    for column, result in enumerate(priced, start=2):
        put_money(cell_at(sheet, total_row, column), result.budget.total if result.budget else None)
    _bold_row(sheet, total_row)
    finish_sheet(sheet)


def calendar_month(start: date, index: int) -> date:
    """The first day of the calendar month of study month *index* (the start date plus *index* months)."""
    return month_start(start + relativedelta(months=index))


def _by_month(sheet: Worksheet, evaluation: Evaluation, names: _Names) -> None:
    priced = _priced(evaluation)
    write_header(
        sheet,
        ["Study month", "Month", *(f"{names.candidate(result.id)} ({evaluation.currency})" for result in priced)],
    )
    sums = [result.budget.by_month() if result.budget else {} for result in priced]
    last = max((month for totals in sums for month in totals), default=-1)
    zero = Money.zero(evaluation.currency)
    for index in range(last + 1):
        row = index + 2
        sheet.cell(row=row, column=1, value=index)
        _put_date(cell_at(sheet, row, 2), calendar_month(evaluation.study.start_date, index), _MONTH_FORMAT)
        for column, totals in enumerate(sums, start=3):
            put_money(cell_at(sheet, row, column), totals.get(index, zero))
    total_row = last + 3
    sheet.cell(row=total_row, column=1, value="Total")
    for column, result in enumerate(priced, start=3):
        put_money(cell_at(sheet, total_row, column), result.budget.total if result.budget else None)
    _bold_row(sheet, total_row)
    finish_sheet(sheet)


def _payments(sheet: Worksheet, evaluation: Evaluation) -> None:
    write_header(sheet, ["Candidate", "Due date", "Invoice date", "Kind", "Description", "Amount", "Currency"])
    row = 2
    for result in evaluation.candidates:
        for payment in result.schedule.payments if result.schedule else ():
            sheet.cell(row=row, column=1, value=result.id)
            _put_date(cell_at(sheet, row, 2), payment.due)
            _put_date(cell_at(sheet, row, 3), payment.invoice_date)
            sheet.cell(row=row, column=4, value=payment.kind.value)
            sheet.cell(row=row, column=5, value=payment.description)
            put_money(cell_at(sheet, row, 6), payment.amount)
            sheet.cell(row=row, column=7, value=payment.amount.currency)
            row += 1
    finish_sheet(sheet)


_LINE_HEADER: Final = (
    "Candidate",
    "Service",
    "Stage",
    "Kind",
    "Bucket",
    "Description",
    "Basis",
    "Quantity",
    "Unit price",
    "Amount",
    "Currency",
    "Months",
    "Derivation",
)


def _lines(sheet: Worksheet, evaluation: Evaluation) -> None:
    write_header(sheet, _LINE_HEADER)
    row = 2
    for result in evaluation.candidates:
        for line in result.budget.lines if result.budget else ():
            texts = [result.id, line.service, line.stage.value, line.kind.value, line.bucket.value, line.description]
            for column, text in enumerate(texts, start=1):
                sheet.cell(row=row, column=column, value=text)
            sheet.cell(row=row, column=7, value=line.basis.value if line.basis else None)
            _put_number(cell_at(sheet, row, 8), line.quantity)
            put_money(cell_at(sheet, row, 9), line.unit_price)
            put_money(cell_at(sheet, row, 10), line.amount)
            sheet.cell(row=row, column=11, value=line.amount.currency)
            sheet.cell(row=row, column=12, value=months_text(line.months))
            sheet.cell(row=row, column=13, value=line.derivation)
            row += 1
    finish_sheet(sheet)


def export_workbook(
    evaluation: Evaluation,
    path: str | os.PathLike[str],
    *,
    notes: str | None = None,
    registry: Registry | None = None,
) -> None:
    """Write *evaluation* to an Excel workbook at *path*, atomically.

    Sheets: ``Summary``, ``Ranking``, ``Budget by service``, ``Budget by month``,
    ``Payments`` and ``Budget lines`` (see ``docs/excel.md``). Amounts are exact
    numbers with a currency format; totals are crokit's own, not Excel formulas.

    Args:
        evaluation: What :func:`crokit.scenario.evaluate` returned.
        path: The ``.xlsx`` file to write (replaced if it exists).
        notes: Free text shown as a ``Notes`` line of the summary, such as the scenario's notes.
        registry: Where the names in headers and labels come from (default:
            :func:`~crokit.default_registry`); the data columns keep the ids.

    Raises:
        MissingDependencyError: If openpyxl is not installed.
        InputFileError: If *path* is a folder or its folder does not exist.
    """
    require_openpyxl()
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.worksheets[0])
    names = _Names.of(evaluation, default_registry() if registry is None else registry)
    _summary(book.create_sheet(SHEETS[0]), evaluation, notes, names)
    _ranking(book.create_sheet(SHEETS[1]), evaluation, names)
    _by_service(book.create_sheet(SHEETS[2]), evaluation, names)
    _by_month(book.create_sheet(SHEETS[3]), evaluation, names)
    _payments(book.create_sheet(SHEETS[4]), evaluation)
    _lines(book.create_sheet(SHEETS[5]), evaluation)
    save_atomic(book, path)
