"""The report workbook's "Bids" sheet: totals compared over the same scope, and who covers what.

Two tables, from the evaluation's scope coverage and normalisation of each priced bid:

- each candidate's quoted total (under its own assumptions), its normalised total (at its
  rates under the sponsor's), the gap, what the sponsor and other vendors cost for the
  required services it leaves out, and its total cost of outsourcing as a live formula
  (normalised + sponsor + other vendors) with its value stored;
- the scope matrix: each required service (by name) against each candidate: ``priced``,
  ``sponsor``, ``other vendor`` or ``MISSING``.

openpyxl is imported only by the callers (this module takes their sheet).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from crokit.bids.coverage import Coverage
from crokit.excel._book import cell_at
from crokit.excel._numbers import column_letter, display_decimals, fits_excel, money_format, plain

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from crokit.registry import Registry
    from crokit.scenario import CandidateResult, Evaluation

__all__ = ["BIDS_SHEET", "bids_sheet"]

BIDS_SHEET: Final = "Bids"
"""The title of the sheet comparing the bids over the same scope."""

_COVERAGE: Final = {
    Coverage.PRICED: "priced",
    Coverage.SPONSOR: "sponsor",
    Coverage.OTHER_VENDOR: "other vendor",
    Coverage.MISSING: "MISSING",
}
_TOTALS_HEADERS: Final = (
    "candidate",
    "quoted",
    "normalised",
    "gap",
    "sponsor (internal)",
    "other vendors",
    "total cost of outsourcing",
    "like for like",
)


def _money(sheet: Worksheet, row: int, column: int, amount: Decimal, currency: str) -> None:
    cell = cell_at(sheet, row, column)
    cell.value = plain(amount) if fits_excel(amount) else f"{amount}"
    cell.number_format = money_format(currency, display_decimals(amount, currency))


def _compared(evaluation: Evaluation) -> list[CandidateResult]:
    return [r for r in evaluation.candidates if r.coverage is not None and r.normalisation is not None]


def bids_sheet(
    sheet: Worksheet,
    evaluation: Evaluation,
    registry: Registry,
    header: Callable[[Worksheet, int, Iterable[str]], None],
) -> dict[str, Decimal]:
    """Fill *sheet* with the bid comparison; the stored values of its formulas, by cell.

    *header* writes a header row: ``header(sheet, row, names)``, the workbook's style.
    """
    results = _compared(evaluation)
    currency = evaluation.currency
    sheet["A1"] = "Bids compared over the same scope"
    sheet["A2"] = (
        f"Totals in {currency}. The ranking reads the {evaluation.ranking_price} total plus the cost of the "
        "required services a bid leaves to the sponsor or other vendors."
    )
    header(sheet, 4, _TOTALS_HEADERS)
    cached: dict[str, Decimal] = {}
    for row, result in enumerate(results, start=5):
        coverage, normalisation = result.coverage, result.normalisation
        assert coverage is not None  # noqa: S101 - filtered above
        assert normalisation is not None  # noqa: S101
        cell_at(sheet, row, 1).value = result.name
        quoted, normalised = normalisation.quoted.total.amount, normalisation.normalised.total.amount
        for column, amount in (
            (2, quoted),
            (3, normalised),
            (5, coverage.sponsor_internal.amount),
            (6, coverage.other_vendors.amount),
        ):
            _money(sheet, row, column, amount, currency)
        gap = cell_at(sheet, row, 4)
        gap.value = f"=C{row}-B{row}"
        gap.number_format = money_format(currency, display_decimals(normalised - quoted, currency))
        cached[gap.coordinate] = normalised - quoted
        total = normalised + coverage.sponsor_internal.amount + coverage.other_vendors.amount
        tco = cell_at(sheet, row, 7)
        tco.value = f"=C{row}+E{row}+F{row}"
        tco.number_format = money_format(currency, display_decimals(total, currency))
        cached[tco.coordinate] = total
        missing = ", ".join(registry.name_of(s, "service") for s in coverage.missing)
        cell_at(sheet, row, 8).value = "yes" if coverage.like_for_like else f"no: {missing} uncovered"
    _scope_matrix(sheet, results, registry, header, first=len(results) + 7)
    for letter, width in zip("ABCDEFGH", (44, 18, 18, 16, 18, 18, 22, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    return cached


def _scope_matrix(
    sheet: Worksheet,
    results: list[CandidateResult],
    registry: Registry,
    header: Callable[[Worksheet, int, Iterable[str]], None],
    *,
    first: int,
) -> None:
    if not results or results[0].coverage is None:
        return
    services = [row.service for row in results[0].coverage.rows]
    cell_at(sheet, first, 1).value = "Who covers each required service"
    header(sheet, first + 1, ("candidate", *(registry.name_of(s, "service") for s in services)))
    for row, result in enumerate(results, start=first + 2):
        cell_at(sheet, row, 1).value = result.name
        by_service: Mapping[str, Coverage] = (
            {r.service: r.coverage for r in result.coverage.rows} if result.coverage is not None else {}
        )
        for column, service in enumerate(services, start=2):
            coverage = by_service.get(service)
            cell_at(sheet, row, column).value = _COVERAGE[coverage] if coverage is not None else ""
    for column in range(2, len(services) + 2):
        sheet.column_dimensions[column_letter(column)].width = max(
            sheet.column_dimensions[column_letter(column)].width or 0, 16
        )
