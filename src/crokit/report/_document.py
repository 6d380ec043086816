"""The report as a small document model: headings, paragraphs, bullet lists and tables.

:func:`build` turns an :class:`~crokit.scenario.Evaluation` into blocks once; the
renderers in :mod:`crokit.report._render` write the same blocks as plain text, rich
text, Markdown or HTML, so every format says the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from crokit.money import Money
from crokit.presentation import _format as fmt
from crokit.registry import Registry, default_registry

if TYPE_CHECKING:
    from crokit.scenario import CandidateResult, Evaluation

__all__ = ["Block", "Bullets", "Heading", "Paragraph", "Table", "build", "format_money"]


@attrs.frozen(kw_only=True)
class Heading:
    """A section heading (level 1 is the title); ``highlight`` marks the section to stand out (the winner)."""

    text: str
    level: int = 2
    highlight: bool = False


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
    """A table; ``numeric`` marks the columns to right-align, ``highlight`` the rows to stand out (the winner's)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    caption: str = ""
    highlight: frozenset[int] = frozenset()


Block = Heading | Paragraph | Bullets | Table
"""One block of a report."""


def format_money(money: Money | None) -> str:
    """``1,298,263.32 USD``: ``crokit.presentation._format.money`` (kept for the report blocks that call it)."""
    return fmt.money(money)


@attrs.frozen(kw_only=True)
class _Names:
    """How the report names things: registry names for ids, candidates by name."""

    registry: Registry
    candidates: Mapping[str, str]

    def candidate(self, id_: str | None) -> str:
        return fmt.MISSING if id_ is None else self.candidates.get(id_, id_)

    def criterion(self, id_: str) -> str:
        return fmt.name(self.registry, id_, "criterion")

    def service(self, id_: str) -> str:
        return fmt.name(self.registry, id_, "service")


def _names(evaluation: Evaluation, registry: Registry) -> _Names:
    named = {result.id: result.name for result in evaluation.candidates}
    named.update({card.candidate: card.name for card in evaluation.ranking.scorecards if card.candidate not in named})
    return _Names(registry=registry, candidates=fmt.distinct_names(named))


def _summary(evaluation: Evaluation, names: _Names) -> list[Block]:
    study = evaluation.study
    area = fmt.name(names.registry, study.therapeutic_area, "area")
    facts = [
        f"Sponsor: {evaluation.sponsor}",
        f"Study: {study.name} ({study.phase.label}, {area}, {study.indication})",
        (
            f"{fmt.plural(study.planned_patients, 'patient')} at {fmt.plural(study.sites, 'site')} in "
            f"{', '.join(study.countries)}; "
            f"start {fmt.date(study.start_date)}; budget currency {evaluation.currency}"
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
        blocks += [
            Heading(text=f"Recommended: {names.candidate(winner)}", highlight=True),
            Paragraph(text=evaluation.ranking.explanation),
        ]
    return blocks


def _ranking(evaluation: Evaluation, names: _Names) -> list[Block]:
    rows = []
    for result in evaluation.candidates:
        benchmark = result.benchmark.ratio if result.benchmark else None
        rows.append(
            (
                str(result.rank) if result.rank is not None else "excluded",
                names.candidate(result.id),
                fmt.score(result.score),
                fmt.money(result.budget.total if result.budget else None),
                fmt.money(result.cost_per_patient),
                fmt.ratio(benchmark),
            )
        )
    ranking = evaluation.ranking
    blocks: list[Block] = [
        Heading(text="Ranking"),
        Paragraph(text=f"Method: {fmt.method(ranking.method)}. {fmt.sentence(ranking.weights_note)}."),
        Paragraph(text=f"Normalisation: {_normalisation(evaluation)}."),
        Table(
            headers=("rank", "candidate", "score", "total", "per patient", "vs benchmark"),
            rows=tuple(rows),
            numeric=frozenset({2, 3, 4, 5}),
            highlight=frozenset(i for i, r in enumerate(evaluation.candidates) if r.id == evaluation.winner),
        ),
    ]
    excluded = [r for r in evaluation.candidates if not r.eligible]
    if excluded:
        blocks += [
            Heading(text="Excluded", level=3),
            Bullets(items=tuple(f"{names.candidate(r.id)}: {'; '.join(r.reasons)}" for r in excluded)),
        ]
    return blocks


def _normalisation(evaluation: Evaluation) -> str:
    ranking = evaluation.ranking
    if ranking.normalisation_note:
        return ranking.normalisation_note
    return ranking.normalisation


def _criterion_scores(evaluation: Evaluation, names: _Names) -> list[Block]:
    ranking = evaluation.ranking
    rows = []
    for card in ranking.scorecards:
        contributions = dict(card.contributions)
        rows += [
            (
                names.candidate(card.candidate),
                names.criterion(score.criterion),
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


def _contributions(evaluation: Evaluation, names: _Names) -> list[Block]:
    ranking = evaluation.ranking
    if not ranking.scorecards:
        return []
    weights = dict(zip(ranking.criteria, ranking.weights, strict=True))
    headers = ("candidate", *(f"{names.criterion(c)} ({weights[c]:.2f})" for c in ranking.criteria))
    rows = tuple(
        (names.candidate(card.candidate), *(f"{dict(card.contributions).get(c, 0.0):.3f}" for c in ranking.criteria))
        for card in ranking.scorecards
    )
    return [
        Heading(text="Criterion contributions"),
        Paragraph(text="Each cell is the candidate's weighted contribution to its score (weights in brackets)."),
        Table(headers=headers, rows=rows, numeric=frozenset(range(1, len(headers)))),
        *_criterion_scores(evaluation, names),
    ]


def _robustness(evaluation: Evaluation, names: _Names) -> list[Block]:
    ranking = evaluation.ranking
    blocks: list[Block] = []
    if ranking.intervals:
        blocks += [
            Heading(text="How robust is the choice?"),
            Paragraph(
                text="How far each weight can move, the others rescaled in proportion, before "
                f"{names.candidate(ranking.winner)} "
                "stops winning, and who wins beyond each end."
            ),
            Table(
                headers=("criterion", "weight now", "winner from", "winner to", "below that", "above that"),
                rows=tuple(
                    (
                        names.criterion(i.criterion),
                        f"{i.current:.3f}",
                        f"{i.low:.3f}",
                        f"{i.high:.3f}",
                        names.candidate(i.below),
                        names.candidate(i.above),
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
                    (names.candidate(row.candidate), *(fmt.percent(p) for p in row.by_rank))
                    for row in sorted(ranking.acceptability, key=lambda row: ranked.get(row.candidate, len(ranked)))
                ),
                numeric=frozenset(range(1, ranks + 1)),
            ),
        ]
    return blocks


def _money_section(result: CandidateResult, names: _Names) -> list[Block]:
    budget = result.budget
    if budget is None:
        return []
    who = names.candidate(result.id)
    blocks: list[Block] = [
        Heading(text=f"Budget: {who}"),
        Table(
            headers=("service", "amount"),
            rows=(
                *((names.service(service), fmt.money(amount)) for service, amount in budget.by_service().items()),
                ("total", fmt.money(budget.total)),
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
            key = fmt.quarter(payment.due)
            by_quarter[key] = by_quarter.get(key, Money.zero(payment.amount.currency)) + payment.amount
        blocks += [
            Heading(text=f"Payments: {who}", level=3),
            Paragraph(
                text=f"{fmt.plural(len(schedule.payments), 'payment')} from {fmt.date(schedule.payments[0].due)} to "
                f"{fmt.date(schedule.payments[-1].due)}, by quarter due:"
            ),
            Table(
                headers=("quarter", "paid"),
                rows=tuple((quarter, fmt.money(amount)) for quarter, amount in by_quarter.items()),
                numeric=frozenset({1}),
            ),
        ]
    return blocks


def build(evaluation: Evaluation, registry: Registry | None = None) -> list[Block]:
    """The report of *evaluation*, as blocks in reading order.

    Ids are shown by their names in *registry* (default:
    :func:`~crokit.registry.default_registry`, the one ``evaluate`` uses by default).
    """
    # These modules build on this one's blocks, so they are imported here.
    from crokit.report._bids import bid_blocks
    from crokit.report._conversions import conversion_blocks
    from crokit.report._forecast import forecast_blocks
    from crokit.report._sensitivity import sensitivity_blocks

    names = _names(evaluation, default_registry() if registry is None else registry)
    blocks = (
        _summary(evaluation, names)
        + _ranking(evaluation, names)
        + _contributions(evaluation, names)
        + _robustness(evaluation, names)
    )
    blocks += forecast_blocks(evaluation)
    blocks += sensitivity_blocks(evaluation)
    blocks += bid_blocks(evaluation, names.service)
    winner = evaluation.winner
    shown = [r for r in evaluation.candidates if r.id == winner] or [r for r in evaluation.candidates if r.budget]
    for result in shown[:1]:
        blocks += _money_section(result, names)
    blocks += conversion_blocks(evaluation)
    if evaluation.warnings:
        blocks += [Heading(text="Warnings"), Bullets(items=evaluation.warnings)]
    blocks.append(
        Paragraph(
            text="Scores and prices are computed by crokit from the scenario as given; published benchmarks are "
            "shown with their sources."
        )
    )
    return blocks
