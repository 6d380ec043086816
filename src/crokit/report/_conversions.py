"""The report's currency conversions: every conversion used, and each bid's cash flow at due-date rates.

:func:`conversion_blocks` is one call in :func:`crokit.report._document.build`; it adds
nothing when no candidate's money was converted. :func:`conversions_json` gives the
JSON report's additive ``conversions`` and ``cash_flow`` keys of a candidate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crokit.money import Money
from crokit.report._document import Block, Heading, Paragraph, Table, format_money

if TYPE_CHECKING:
    from crokit.pricing.currency import Conversion
    from crokit.scenario import CandidateResult, Evaluation

__all__ = ["conversion_blocks", "conversions_json"]

_RULES = (
    "Amounts in another currency are converted with the scenario's exchange-rate table. Budgets and bid totals "
    "are compared at the contract date (the planned contract signature, or the study's start date when no "
    "milestone plan gives one), one date for every bid; the cash flow converts each payment at the rate of its "
    "due date. The rate used is the latest the table has on or before the date asked for; 'rate of' says "
    "which day it is from. Each group of amounts is converted as a whole and rounded once, half-even."
)


def _row(record: Conversion) -> tuple[str, ...]:
    return (
        record.pair,
        record.purpose.value,
        record.on.isoformat(),
        str(record.rate),
        record.rate_date.isoformat(),
        format_money(record.amount),
        format_money(record.converted),
    )


def _cash_flow_note(result: CandidateResult) -> str | None:
    flow, budget = result.cash_flow, result.budget
    if flow is None or budget is None:
        return None
    difference = flow.total - budget.total
    return (
        f"{result.name}: paid at each due date's rate, its payments total {format_money(flow.total)}, against "
        f"{format_money(budget.total)} at the contract date's rate (difference {format_money(difference)})."
    )


def conversion_blocks(evaluation: Evaluation) -> list[Block]:
    """A "Currency conversions" section listing every conversion used, or nothing if none was."""
    used = [result for result in evaluation.candidates if result.conversions]
    if not used:
        return []
    blocks: list[Block] = [Heading(text="Currency conversions"), Paragraph(text=_RULES)]
    for result in used:
        sources = sorted({f"{record.pair}: {record.source}" for record in result.conversions})
        blocks.append(
            Table(
                headers=("Pair", "Purpose", "Date", "Rate", "Rate of", "Amount", "Converted"),
                rows=tuple(_row(record) for record in result.conversions),
                numeric=frozenset({3, 5, 6}),
                caption=f"{result.name}: every conversion used. Rates from {'; '.join(sources)}",
            )
        )
        note = _cash_flow_note(result)
        if note is not None:
            blocks.append(Paragraph(text=note))
    return blocks


def _money(money: Money) -> dict[str, str]:
    return {"amount": str(money.amount), "currency": money.currency}


def conversions_json(result: CandidateResult) -> dict[str, Any]:
    """The candidate's ``conversions`` (every one used) and ``cash_flow`` (payments at due-date rates, or null)."""
    flow = result.cash_flow
    return {
        "conversions": [
            {
                "pair": record.pair,
                "base": record.base,
                "quote": record.quote,
                "purpose": record.purpose.value,
                "date": record.on.isoformat(),
                "rate": str(record.rate),
                "rate_date": record.rate_date.isoformat(),
                "source": record.source,
                "amount": _money(record.amount),
                "converted": _money(record.converted),
            }
            for record in result.conversions
        ],
        "cash_flow": None
        if flow is None
        else [
            {
                "due": payment.due.isoformat(),
                "invoice_date": payment.invoice_date.isoformat(),
                "kind": payment.kind.value,
                "description": payment.description,
                "amount": _money(payment.amount),
            }
            for payment in flow.payments
        ],
    }
