"""The report's bid comparison: scope matrix, quoted against normalised totals, rate flags.

:func:`bid_blocks` adds to the report (every format):

- **Total cost of outsourcing**: each bid's price, the sponsor-internal and
  other-vendor costs of the scope it leaves out, their sum, and whether it is like for
  like (every required service covered);
- **Scope**: a matrix of candidates by required service: priced by the bid, done by
  the sponsor, by another vendor, or missing;
- **Quoted against normalised**: each bid's quoted total (under its own assumptions),
  its normalised total (under the scenario's) and the gap explained as volume, rate,
  scope and rounding, adding up exactly; then the assumptions each bid differed on;
- **Rates**: unit rates far from the other bids' median.

:func:`bids_json` gives the same data for the JSON report, as additive keys.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crokit.bids.coverage import Coverage
from crokit.money import Money
from crokit.report._document import Block, Bullets, Heading, Paragraph, Table, format_money

if TYPE_CHECKING:
    from crokit.scenario import CandidateResult, Evaluation

__all__ = ["bid_blocks", "bids_json"]

_CELL = {
    Coverage.PRICED: "priced",
    Coverage.SPONSOR: "sponsor",
    Coverage.OTHER_VENDOR: "other vendor",
    Coverage.MISSING: "MISSING",
}


def _local(service: str) -> str:
    """``crokit:data-management`` -> ``data-management``; other namespaces keep theirs."""
    namespace, _, name = service.partition(":")
    return name if namespace == "crokit" else service


def _priced(evaluation: Evaluation) -> list[CandidateResult]:
    return [r for r in evaluation.candidates if r.coverage is not None and r.normalisation is not None]


def _cost_of_outsourcing(results: list[CandidateResult], ranked_on: str, name: Callable[[str], str]) -> list[Block]:
    rows = []
    for result in results:
        coverage = result.coverage
        assert coverage is not None  # noqa: S101 - _priced keeps only those
        rows.append(
            (
                result.name,
                _cents(coverage.cro_price),
                _cents(coverage.sponsor_internal),
                _cents(coverage.other_vendors),
                _cents(coverage.total_cost_of_outsourcing),
                "yes" if coverage.like_for_like else "no: " + ", ".join(name(s) for s in coverage.missing),
            )
        )
    return [
        Heading(text="Total cost of outsourcing"),
        Paragraph(
            text="Each bid's normalised price plus what the sponsor (an internal cost estimate) and other vendors "
            "(their prices) cost for the required services it leaves out, so bids of different scope compare over "
            f"the same work. The ranking (pricing fit, budget ceiling) reads the {ranked_on} total plus that "
            "outside cost. A bid that is not like for like leaves a required service uncovered."
        ),
        Table(
            headers=("candidate", "bid", "sponsor", "other vendors", "total cost of outsourcing", "like for like"),
            rows=tuple(rows),
            numeric=frozenset({1, 2, 3, 4}),
        ),
    ]


def _scope(results: list[CandidateResult], name: Callable[[str], str]) -> list[Block]:
    services = list(dict.fromkeys(row.service for r in results if r.coverage for row in r.coverage.rows))
    if not services:
        return []
    rows = []
    for result in results:
        coverage = result.coverage
        assert coverage is not None  # noqa: S101 - _priced keeps only those
        cells = {row.service: _CELL[row.coverage] for row in coverage.rows}
        rows.append((result.name, *(cells.get(service, "-") for service in services)))
    vendors = sorted(
        {
            f"{result.name}: {name(row.service)} by {row.vendor} ({format_money(row.amount)})"
            for result in results
            if result.coverage
            for row in result.coverage.rows
            if row.coverage is Coverage.OTHER_VENDOR
        }
    )
    blocks: list[Block] = [
        Heading(text="Scope", level=3),
        Paragraph(
            text="Who covers each required service for each candidate: its bid (priced), the sponsor, another "
            "vendor, or nobody (MISSING)."
        ),
        Table(headers=("candidate", *(name(s) for s in services)), rows=tuple(rows)),
    ]
    if vendors:
        blocks.append(Bullets(items=tuple(vendors)))
    return blocks


def _cents(money: Money) -> str:
    return format_money(money.rounded())


def _gap_parts(volume: Money, rate: Money, scope: Money, gap: Money) -> tuple[Money, Money, Money, Money]:
    """Volume, rate and scope rounded to the minor unit, and rounding as the rest, so the four add up to *gap*.

    The exact parts (on :class:`~crokit.bids.Normalisation`) may carry fractions of a
    cent that the rounding of each line takes back; shown in cents, the rounding
    column absorbs them and the row still adds up exactly.
    """
    shown = (volume.rounded(), rate.rounded(), scope.rounded())
    return (*shown, gap - shown[0] - shown[1] - shown[2])


def _normalised(results: list[CandidateResult]) -> list[Block]:
    rows = []
    assumed = []
    for result in results:
        found = result.normalisation
        assert found is not None  # noqa: S101 - _priced keeps only those
        parts = _gap_parts(found.volume, found.rate, found.scope, found.gap)
        rows.append(
            (
                result.name,
                _cents(found.quoted.total),
                _cents(found.normalised.total),
                _cents(found.gap),
                *(_cents(part) for part in parts),
            )
        )
        if found.differences:
            said = ", ".join(f"{d.name} {d.bid} (scenario: {d.sponsor})" for d in found.differences)
            assumed.append(f"{result.name} quoted under its own assumptions: {said}")
    blocks: list[Block] = [
        Heading(text="Quoted against normalised", level=3),
        Paragraph(
            text="Each bid's quoted total (under its own assumptions) and its normalised total (re-priced at its "
            "own rates under the scenario's assumptions). The gap is explained as volume (quantities), rate (unit "
            "prices), scope (lines priced one way only) and rounding (shown in cents, it also takes the fractions of "
            "a cent of the other three); the four add up exactly to the gap."
        ),
        Table(
            headers=("candidate", "quoted", "normalised", "gap", "volume", "rate", "scope", "rounding"),
            rows=tuple(rows),
            numeric=frozenset(range(1, 8)),
        ),
    ]
    if assumed:
        blocks.append(Bullets(items=tuple(assumed)))
    return blocks


def _rates(results: list[CandidateResult], factor: Decimal, name: Callable[[str], str]) -> list[Block]:
    flags = [(result.name, flag) for result in results for flag in result.rate_flags]
    head: list[Block] = [Heading(text="Rates", level=3)]
    if not flags:
        return [
            *head,
            Paragraph(
                text=f"No unit rate is more than {factor} times above or below the median of the other "
                "bids for the same service and unit."
            ),
        ]
    return [
        *head,
        Paragraph(
            text=f"Unit rates more than {factor} times above or below the median of the other bids for the "
            "same service and unit."
        ),
        Table(
            headers=("candidate", "service", "unit", "rate", "median of others", "ratio"),
            rows=tuple(
                (
                    candidate,
                    name(flag.service),
                    flag.basis.value,
                    format_money(flag.unit_price),
                    format_money(flag.median_of_others),
                    f"{flag.ratio:.2f}x",
                )
                for candidate, flag in flags
            ),
            numeric=frozenset({3, 4, 5}),
        ),
    ]


def bid_blocks(evaluation: Evaluation, service_name: Callable[[str], str] = _local) -> list[Block]:
    """The bid comparison of *evaluation*; empty when no candidate is priced.

    Services are shown as *service_name* gives them (the report passes their registry
    names; by default the id without the ``crokit:`` namespace).
    """
    results = _priced(evaluation)
    if not results:
        return []
    return [
        *_cost_of_outsourcing(results, evaluation.ranking_price, service_name),
        *_scope(results, service_name),
        *_normalised(results),
        *_rates(results, evaluation.rate_factor, service_name),
    ]


def _money(money: Money | None) -> dict[str, str] | None:
    return None if money is None else {"amount": str(money.amount), "currency": money.currency}


def bids_json(result: CandidateResult) -> dict[str, Any]:
    """The bid comparison keys of one candidate in the JSON report (documented in docs/json-report.md)."""
    coverage, found = result.coverage, result.normalisation
    return {
        "scope": None
        if coverage is None
        else {
            row.service: {"coverage": row.coverage.value, "amount": _money(row.amount), "vendor": row.vendor}
            for row in coverage.rows
        },
        "like_for_like": None if coverage is None else coverage.like_for_like,
        "cost_of_outsourcing": None
        if coverage is None
        else {
            "bid": _money(coverage.cro_price),
            "sponsor_internal": _money(coverage.sponsor_internal),
            "other_vendors": _money(coverage.other_vendors),
            "total": _money(coverage.total_cost_of_outsourcing),
        },
        "normalisation": None
        if found is None
        else {
            "quoted": _money(found.quoted.total),
            "normalised": _money(found.normalised.total),
            "gap": _money(found.gap),
            "volume": _money(found.volume),
            "rate": _money(found.rate),
            "scope": _money(found.scope),
            "rounding": _money(found.rounding),
            "assumptions": [{"name": d.name, "scenario": d.sponsor, "bid": d.bid} for d in found.differences],
        },
        "ranked_total": _money(result.ranked_total),
        "rate_flags": [
            {
                "service": flag.service,
                "unit": flag.basis.value,
                "rate": _money(flag.unit_price),
                "median_of_others": _money(flag.median_of_others),
                "ratio": float(flag.ratio.quantize(Decimal("0.0001"))),
                "direction": flag.direction,
            }
            for flag in result.rate_flags
        ],
    }
