"""The report as a small document model: headings, paragraphs, bullet lists and tables.

:func:`build` turns an :class:`~crokit.scenario.Evaluation` into blocks once; the
renderers in :mod:`crokit.report._render` write the same blocks as plain text, rich
text, Markdown or HTML, so every format says the same thing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from crokit.money import Money

if TYPE_CHECKING:
    from crokit.scenario import CandidateResult, Evaluation

__all__ = ["Block", "Bullets", "Heading", "Paragraph", "Table", "build", "format_money"]


@attrs.frozen(kw_only=True)
class Heading:
    """A section heading (level 1 is the title)."""

    text: str
    level: int = 2


@attrs.frozen(kw_only=True)
class Paragraph:
    """A paragraph of text."""

    text: str


@attrs.frozen(kw_only=True)
class Bullets:
    """A bullet list."""

    items: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Table:
    """A table; ``numeric`` marks the columns to right-align."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    caption: str = ""


Block = Heading | Paragraph | Bullets | Table
"""One block of a report."""


def format_money(money: Money | None) -> str:
    """``1,298,263.32 USD``: grouped digits, the amount exactly as held, then the currency."""
    if money is None:
        return "-"
    return f"{money.amount:,} {money.currency}"


def _ratio(value: Decimal | None) -> str:
    return "-" if value is None else f"{value.quantize(Decimal('0.01'))}x"


def _count(number: int, noun: str) -> str:
    """``1 site``, ``12 sites``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _sentence(text: str) -> str:
    """*text* as a sentence: its first letter upper case."""
    return text[:1].upper() + text[1:]


def _local(criterion: str) -> str:
    """``crokit:pricing-fit`` -> ``pricing-fit``; other namespaces keep theirs."""
    namespace, _, name = criterion.partition(":")
    return name if namespace == "crokit" else criterion


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _summary(evaluation: Evaluation) -> list[Block]:
    study = evaluation.study
    facts = [
        f"Sponsor: {evaluation.sponsor}",
        f"Study: {study.name} ({study.phase.label}, {study.therapeutic_area}, {study.indication})",
        (
            f"{_count(study.planned_patients, 'patient')} at {_count(study.sites, 'site')} in "
            f"{', '.join(study.countries)}; "
            f"start {study.start_date.isoformat()}; budget currency {evaluation.currency}"
        ),
    ]
    blocks: list[Block] = [
        Heading(text=evaluation.title or f"CRO evaluation: {study.name}", level=1),
        Bullets(items=tuple(facts)),
    ]
    winner = evaluation.winner
    if winner is None:
        blocks += [Heading(text="No eligible candidate"), Paragraph(text=evaluation.ranking.explanation)]
    else:
        result = evaluation.candidate(winner)
        blocks += [
            Heading(text=f"Recommended: {result.name}"),
            Paragraph(text=evaluation.ranking.explanation),
        ]
    return blocks


def _ranking(evaluation: Evaluation) -> list[Block]:
    rows = []
    for result in evaluation.candidates:
        benchmark = result.benchmark.ratio if result.benchmark else None
        rows.append(
            (
                str(result.rank) if result.rank is not None else "excluded",
                result.name,
                _score(result.score),
                format_money(result.budget.total if result.budget else None),
                format_money(result.cost_per_patient),
                _ratio(benchmark),
            )
        )
    blocks: list[Block] = [
        Heading(text="Ranking"),
        Paragraph(text=f"Method: {evaluation.ranking.method}. {_sentence(evaluation.ranking.weights_note)}"),
        Paragraph(text=f"Normalisation: {_normalisation(evaluation)}."),
        Table(
            headers=("rank", "candidate", "score", "total", "per patient", "vs benchmark"),
            rows=tuple(rows),
            numeric=frozenset({2, 3, 4, 5}),
        ),
    ]
    excluded = [r for r in evaluation.candidates if not r.eligible]
    if excluded:
        blocks += [
            Heading(text="Excluded", level=3),
            Bullets(items=tuple(f"{r.name}: {'; '.join(r.reasons)}" for r in excluded)),
        ]
    return blocks


def _normalisation(evaluation: Evaluation) -> str:
    ranking = evaluation.ranking
    if ranking.normalisation_note:
        return ranking.normalisation_note
    return ranking.normalisation


def _criterion_scores(evaluation: Evaluation) -> list[Block]:
    ranking = evaluation.ranking
    rows = []
    for card in ranking.scorecards:
        contributions = dict(card.contributions)
        rows += [
            (
                card.candidate,
                _local(score.criterion),
                f"{score.value:.3f}",
                f"{contributions.get(score.criterion, 0.0):.3f}",
                score.basis,
            )
            for score in card.criterion_scores
        ]
    if not rows:
        return []
    return [
        Heading(text="Criterion scores", level=3),
        Paragraph(
            text="Each candidate's absolute score on each criterion (0 to 1, 1 best), its weighted "
            "contribution under the normalisation above, and how the score was reached."
        ),
        Table(
            headers=("candidate", "criterion", "score", "contribution", "why"),
            rows=tuple(rows),
            numeric=frozenset({2, 3}),
        ),
    ]


def _contributions(evaluation: Evaluation) -> list[Block]:
    ranking = evaluation.ranking
    if not ranking.scorecards:
        return []
    weights = dict(zip(ranking.criteria, ranking.weights, strict=True))
    headers = ("candidate", *(f"{_local(c)} ({weights[c]:.2f})" for c in ranking.criteria))
    rows = tuple(
        (card.candidate, *(f"{dict(card.contributions).get(c, 0.0):.3f}" for c in ranking.criteria))
        for card in ranking.scorecards
    )
    return [
        Heading(text="Criterion contributions"),
        Paragraph(text="Each cell is the candidate's weighted contribution to its score (weights in brackets)."),
        Table(headers=headers, rows=rows, numeric=frozenset(range(1, len(headers)))),
        *_criterion_scores(evaluation),
    ]


def _robustness(evaluation: Evaluation) -> list[Block]:
    ranking = evaluation.ranking
    blocks: list[Block] = []
    if ranking.intervals:
        blocks += [
            Heading(text="How robust is the choice?"),
            Paragraph(
                text=f"How far each weight can move, the others rescaled in proportion, before {ranking.winner} "
                "stops winning, and who wins beyond each end."
            ),
            Table(
                headers=("criterion", "weight now", "winner from", "winner to", "below that", "above that"),
                rows=tuple(
                    (
                        _local(i.criterion),
                        f"{i.current:.3f}",
                        f"{i.low:.3f}",
                        f"{i.high:.3f}",
                        i.below or "-",
                        i.above or "-",
                    )
                    for i in ranking.intervals
                ),
                numeric=frozenset({1, 2, 3}),
            ),
        ]
    if ranking.acceptability:
        ranks = len(ranking.acceptability[0].by_rank)
        ranked = {card.candidate: place for place, card in enumerate(ranking.scorecards)}  # in rank order
        blocks += [
            Heading(text="Rank acceptability", level=3),
            Paragraph(
                text=f"Share of {ranking.samples} random weightings (seed {ranking.seed}) "
                "giving each candidate each rank."
            ),
            Table(
                headers=("candidate", *(f"rank {r + 1}" for r in range(ranks))),
                rows=tuple(
                    (row.candidate, *(f"{p:.0%}" for p in row.by_rank))
                    for row in sorted(ranking.acceptability, key=lambda row: ranked.get(row.candidate, len(ranked)))
                ),
                numeric=frozenset(range(1, ranks + 1)),
            ),
        ]
    return blocks


def _money_section(result: CandidateResult) -> list[Block]:
    budget = result.budget
    if budget is None:
        return []
    blocks: list[Block] = [
        Heading(text=f"Budget: {result.name}"),
        Table(
            headers=("service", "amount"),
            rows=(
                *((service, format_money(amount)) for service, amount in budget.by_service().items()),
                ("total", format_money(budget.total)),
            ),
            numeric=frozenset({1}),
        ),
    ]
    if result.benchmark is not None:
        blocks.append(Paragraph(text=f"Benchmark: {result.benchmark.message}"))
    schedule = result.schedule
    if schedule is not None and schedule.payments:
        by_quarter: dict[str, Money] = {}
        for payment in schedule.payments:
            key = f"{payment.due.year}-Q{(payment.due.month - 1) // 3 + 1}"
            by_quarter[key] = by_quarter.get(key, Money.zero(payment.amount.currency)) + payment.amount
        blocks += [
            Heading(text=f"Payments: {result.name}", level=3),
            Paragraph(
                text=f"{len(schedule.payments)} payments from {schedule.payments[0].due.isoformat()} to "
                f"{schedule.payments[-1].due.isoformat()}, by quarter due:"
            ),
            Table(
                headers=("quarter", "paid"),
                rows=tuple((quarter, format_money(amount)) for quarter, amount in by_quarter.items()),
                numeric=frozenset({1}),
            ),
        ]
    return blocks


def _forecast_blocks(evaluation: Evaluation) -> list[Block]:
    from crokit.report._forecast import forecast_blocks  # imports this module's block types

    return forecast_blocks(evaluation)


def build(evaluation: Evaluation) -> list[Block]:
    """The report of *evaluation*, as blocks in reading order."""
    blocks = _summary(evaluation) + _ranking(evaluation) + _contributions(evaluation) + _robustness(evaluation)
    winner = evaluation.winner
    shown = [r for r in evaluation.candidates if r.id == winner] or [r for r in evaluation.candidates if r.budget]
    for result in shown[:1]:
        blocks += _money_section(result)
    blocks += _forecast_blocks(evaluation)
    if evaluation.warnings:
        blocks += [Heading(text="Warnings"), Bullets(items=evaluation.warnings)]
    blocks.append(
        Paragraph(
            text="Scores and prices are computed by crokit from the scenario as given; published benchmarks are "
            "shown with their sources."
        )
    )
    return blocks
