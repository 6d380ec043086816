"""Reports of an engagement: its status (plan, actuals, accruals, estimates, KPIs) and its transfer table.

Both are built as the same document blocks the evaluation report uses, so they render
as text, Markdown and HTML alike; :func:`engagement_json` and :func:`obligations_json`
give plain JSON data with money as ``{"amount": "12.50", "currency": "USD"}``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crokit.presentation import _format as fmt
from crokit.registry import default_registry
from crokit.report._document import Block, Bullets, Heading, Paragraph, Table
from crokit.report._json import money_json

if TYPE_CHECKING:
    from crokit.engagement.document import ContractStatus, EngagementReport
    from crokit.engagement.ledger import TransferTable
    from crokit.registry import Registry

__all__ = ["engagement_blocks", "engagement_json", "obligations_blocks", "obligations_json"]


def _kpi_value(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "ratio":
        return f"{(value * 100).quantize(Decimal('0.1'))}%"
    return fmt.number(value)


def _threshold(value: Decimal, unit: str, direction: str) -> str:
    sign = ">=" if direction == "at-least" else "<="
    return f"{sign} {_kpi_value(value, unit)}"


def _contract_blocks(contract: ContractStatus, registry: Registry) -> list[Block]:
    blocks: list[Block] = [Heading(text=f"Contract: {contract.provider.name}")]
    rows = []
    for version in contract.versions:
        name = "original" if version.change_order is None else version.change_order.id
        rows.append(
            (
                name,
                str(version.effective_month),
                fmt.money(version.value),
                fmt.money(version.delta) if version.change_order is not None else "-",
                version.change_order.description if version.change_order is not None else "as signed",
            )
        )
    blocks.append(
        Table(
            headers=("version", "from month", "value", "change", "what"),
            rows=tuple(rows),
            numeric=frozenset({1, 2, 3}),
        )
    )
    for version in contract.versions[1:]:
        lines = [line.explain(registry) for line in version.lines if not line.delta.is_zero()]
        if lines:
            blocks += [Heading(text=f"What {version.change_order.id} changed", level=3), Bullets(items=tuple(lines))]  # type: ignore[union-attr]
    status = contract.status
    if status is None:
        blocks.append(Paragraph(text="No actuals recorded yet."))
        return blocks
    blocks += [
        Heading(text=f"As of {fmt.date(status.as_of)}", level=3),
        Table(
            headers=("measure", "amount"),
            rows=(
                ("contract value", fmt.money(status.contract_value)),
                ("planned to date", fmt.money(status.planned_to_date)),
                ("earned (accrued) to date", fmt.money(status.earned_to_date)),
                ("accrued this month", fmt.money(status.accrued_this_month)),
                ("invoiced to date", fmt.money(status.invoiced_to_date)),
                ("paid to date", fmt.money(status.paid_to_date)),
                ("accrued, not invoiced", fmt.money(status.accrued_not_invoiced)),
                ("estimate at completion (plan)", fmt.money(status.eac_plan)),
                ("estimate at completion (observed rates)", fmt.money(status.eac_observed)),
            ),
            numeric=frozenset({1}),
        ),
        Heading(text="Variance to plan by service", level=3),
        Table(
            headers=("service", "planned", "earned", "volume", "timing and other", "rate (invoiced)"),
            rows=tuple(
                (
                    fmt.name(registry, v.service, "service"),
                    fmt.money(v.planned),
                    fmt.money(v.earned),
                    fmt.money(v.volume),
                    fmt.money(v.timing_and_other),
                    fmt.money(v.rate),
                )
                for v in status.services
            ),
            numeric=frozenset({1, 2, 3, 4, 5}),
        ),
    ]
    if status.invoice_findings:
        blocks += [
            Heading(text="Invoice lines that do not match the contract", level=3),
            Bullets(
                items=tuple(
                    f"{f.invoice}" + (f" line {f.line + 1}" if f.line >= 0 else "") + f": {f.message}"
                    for f in status.invoice_findings
                )
            ),
        ]
    return blocks


def engagement_blocks(report: EngagementReport, registry: Registry | None = None) -> list[Block]:
    """The engagement status as report blocks, in reading order; ids named from *registry* (default: the default)."""
    registry = default_registry() if registry is None else registry
    blocks: list[Block] = [Heading(text=report.title, level=1)]
    for contract in report.contracts:
        blocks += _contract_blocks(contract, registry)
    if report.kpis:
        blocks += [
            Heading(text="Governance KPIs"),
            Table(
                headers=("KPI", "value", "threshold", "status", "basis"),
                rows=tuple(
                    (
                        k.kpi.name,
                        _kpi_value(k.value, k.kpi.unit),
                        _threshold(k.threshold.threshold, k.kpi.unit, k.threshold.direction.value),
                        "no data" if k.on_track is None else ("on track" if k.on_track else "OUT OF THRESHOLD"),
                        k.basis,
                    )
                    for k in report.kpis
                ),
                numeric=frozenset({1}),
            ),
        ]
    if report.scope_findings:
        blocks += [
            Heading(text="Scope gaps and overlaps"),
            Bullets(items=tuple(f.message for f in report.scope_findings)),
        ]
    return blocks


def obligations_blocks(table: TransferTable) -> list[Block]:
    """The transfer table as report blocks: who holds each obligation, and the findings."""
    names = {party.id: party.name for party in (table.sponsor, *table.providers)}
    blocks: list[Block] = [
        Heading(text=f"Transfer of obligations: {table.study}", level=1),
        Paragraph(
            text="Sponsor obligations under 21 CFR 312.50-312.59. An obligation is transferred only where a written "
            "agreement describes it (21 CFR 312.52(a)); every other obligation stays with the sponsor "
            f"({table.sponsor.name})."
        ),
        Bullets(
            items=(
                "Is any part of the study conducted by a contract research organization? "
                + ("Yes" if table.cro_involved else "No"),
                "Obligations transferred: "
                + (str(sum(entry.transferred for entry in table.entries)) if table.cro_involved else "none"),
            )
        ),
        Table(
            headers=("regulation", "obligation", "held by", "where written", "sponsor oversight"),
            rows=tuple(
                (
                    entry.obligation.citation,
                    entry.obligation.name,
                    ", ".join(names.get(holder, holder) for holder in entry.holders)
                    + ("" if entry.transferred else " (retained)"),
                    "; ".join(entry.written_in) or "-",
                    "; ".join(entry.oversight) or "-",
                )
                for entry in table.entries
            ),
        ),
    ]
    for provider in table.providers:
        agreement = provider.agreement
        written = f"{agreement.title}, signed {agreement.signed.isoformat()}" if agreement is not None else "-"
        blocks.append(
            Paragraph(text=f"{provider.name}{', ' + provider.address if provider.address else ''}: {written}.")
        )
    findings = table.findings()
    if findings:
        blocks += [Heading(text="Findings"), Bullets(items=findings)]
    return blocks


def _version_json(contract: ContractStatus) -> list[dict[str, Any]]:
    return [
        {
            "version": version.number,
            "change_order": version.change_order.id if version.change_order is not None else None,
            "effective_month": version.effective_month,
            "value": money_json(version.value),
            "delta": money_json(version.delta),
        }
        for version in contract.versions
    ]


def engagement_json(report: EngagementReport) -> dict[str, Any]:
    """The engagement status as plain JSON data."""
    contracts = []
    for contract in report.contracts:
        status = contract.status
        entry: dict[str, Any] = {"provider": contract.provider.id, "versions": _version_json(contract)}
        if status is not None:
            entry["as_of"] = status.as_of.isoformat()
            for name in (
                "contract_value",
                "planned_to_date",
                "earned_to_date",
                "accrued_this_month",
                "invoiced_to_date",
                "paid_to_date",
                "eac_plan",
                "eac_observed",
            ):
                entry[name] = money_json(getattr(status, name))
            entry["services"] = [
                {
                    "service": v.service,
                    "planned": money_json(v.planned),
                    "earned": money_json(v.earned),
                    "volume": money_json(v.volume),
                    "timing_and_other": money_json(v.timing_and_other),
                    "rate": money_json(v.rate),
                }
                for v in status.services
            ]
            entry["invoice_findings"] = [
                {"invoice": f.invoice, "line": f.line, "message": f.message} for f in status.invoice_findings
            ]
        contracts.append(entry)
    return {
        "title": report.title,
        "contracts": contracts,
        "kpis": [
            {
                "kpi": k.kpi.id,
                "value": None if k.value is None else str(k.value),
                "threshold": str(k.threshold.threshold),
                "direction": k.threshold.direction.value,
                "on_track": k.on_track,
            }
            for k in report.kpis
        ],
        "scope_findings": [
            {"kind": f.kind, "service": f.service, "stage": f.stage.value, "message": f.message}
            for f in report.scope_findings
        ],
    }


def obligations_json(table: TransferTable) -> dict[str, Any]:
    """The transfer table as plain JSON data."""
    return {
        "study": table.study,
        "sponsor": table.sponsor.id,
        "cro_involved": table.cro_involved,
        "obligations": [
            {
                "id": entry.obligation.id,
                "citation": entry.obligation.citation,
                "holders": list(entry.holders),
                "transferred": entry.transferred,
                "written_in": list(entry.written_in),
                "oversight": list(entry.oversight),
                "findings": list(entry.findings),
            }
            for entry in table.entries
        ],
    }
