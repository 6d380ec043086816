"""Export an engagement's status to an Excel workbook: versions, status, lines, services, invoices, KPIs."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Final

from crokit.excel._book import cell_at, finish_sheet, require_openpyxl, save_atomic, write_header
from crokit.excel._export import put_money
from crokit.excel._numbers import fits_excel, plain
from crokit.money import Money

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from crokit.engagement.document import EngagementReport

__all__ = ["ENGAGEMENT_SHEETS", "export_engagement"]

ENGAGEMENT_SHEETS: Final = ("Versions", "Status", "Lines", "Services", "Invoice findings", "KPIs")
"""The sheets :func:`export_engagement` writes, in order."""


def _row(sheet: Worksheet, row: int, values: tuple[object, ...]) -> None:
    for column, value in enumerate(values, start=1):
        cell = cell_at(sheet, row, column)
        if isinstance(value, Money):
            put_money(cell, value)
        elif isinstance(value, Decimal):
            cell.value = plain(value) if fits_excel(value) else f"{value}"
        else:
            cell.value = value  # type: ignore[assignment]  # text, whole numbers, booleans and None


def _table(sheet: Worksheet, header: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    write_header(sheet, header)
    for index, values in enumerate(rows, start=2):
        _row(sheet, index, values)
    finish_sheet(sheet)


def export_engagement(report: EngagementReport, path: str | os.PathLike[str]) -> Path:
    """Write *report* (see :func:`crokit.engagement.document.status`) to a workbook at *path*, atomically.

    Amounts are exact numbers with currency formats (text where Excel's 15 digits would
    round them); one row per contract version, status measure, budget line, service,
    invoice finding and KPI.

    Raises:
        MissingDependencyError: If openpyxl is not installed.
        InputFileError: If *path* cannot be written.
    """
    require_openpyxl()
    from openpyxl import Workbook

    book = Workbook()
    sheets = [book.active, *(book.create_sheet() for _ in ENGAGEMENT_SHEETS[1:])]
    for sheet, title in zip(sheets, ENGAGEMENT_SHEETS, strict=True):
        if sheet is not None:
            sheet.title = title
    versions, status, lines, services, findings, kpis = (book[title] for title in ENGAGEMENT_SHEETS)
    _table(
        versions,
        ("provider", "version", "change order", "from study month", "value", "change", "what"),
        [
            (
                contract.provider.name,
                version.number,
                version.change_order.id if version.change_order else "original",
                version.effective_month,
                version.value,
                version.delta,
                version.change_order.description if version.change_order else "as signed",
            )
            for contract in report.contracts
            for version in contract.versions
        ],
    )
    measures = (
        "contract_value",
        "planned_to_date",
        "earned_to_date",
        "accrued_this_month",
        "invoiced_to_date",
        "paid_to_date",
        "accrued_not_invoiced",
        "eac_plan",
        "eac_observed",
    )
    with_status = [contract for contract in report.contracts if contract.status is not None]
    _table(
        status,
        ("provider", "as of", "measure", "amount"),
        [
            (contract.provider.name, contract.status.as_of, name.replace("_", " "), getattr(contract.status, name))
            for contract in with_status
            if contract.status is not None
            for name in measures
        ],
    )
    _table(
        lines,
        (
            "provider",
            "service",
            "line",
            "pricing",
            "contracted",
            "planned to date",
            "earned to date",
            "earned this month",
            "units to date",
            "remaining at observed rates",
            "how earned",
        ),
        [
            (
                contract.provider.name,
                line.service,
                line.description,
                line.kind.value,
                line.contracted,
                line.planned_to_date,
                line.earned_to_date,
                line.earned_this_month,
                line.units_to_date,
                line.remaining_at_observed,
                line.rule,
            )
            for contract in with_status
            if contract.status is not None
            for line in contract.status.lines
        ],
    )
    _table(
        services,
        ("provider", "service", "planned", "earned", "volume", "timing and other", "rate (invoiced)", "invoiced"),
        [
            (contract.provider.name, v.service, v.planned, v.earned, v.volume, v.timing_and_other, v.rate, v.invoiced)
            for contract in with_status
            if contract.status is not None
            for v in contract.status.services
        ],
    )
    _table(
        findings,
        ("provider", "invoice", "line", "finding"),
        [
            (contract.provider.name, f.invoice, f.line + 1 if f.line >= 0 else None, f.message)
            for contract in with_status
            if contract.status is not None
            for f in contract.status.invoice_findings
        ],
    )
    _table(
        kpis,
        ("KPI", "value", "threshold", "direction", "on track", "basis"),
        [
            (k.kpi.name, k.value, k.threshold.threshold, k.threshold.direction.value, k.on_track, k.basis)
            for k in report.kpis
        ],
    )
    return save_atomic(book, path)
