"""Choosing a CRO end to end: constraints, criterion scores, weights, ranking and robustness.

:func:`select` takes a study, the candidates (each a :class:`CandidateInput`: profile,
quoted budget, due-diligence answers, manual scores) and :class:`SelectionSettings`,
and returns a :class:`Ranking`:

1. every candidate is checked against the hard constraints; those failing are listed
   in ``excluded`` with every reason;
2. each eligible candidate is scored on each criterion (0..1 on an absolute scale, see
   :mod:`crokit.selection.rules`), giving a decision matrix; pricing fit compares
   each total with the lowest eligible one, so it alone depends on the others;
3. the weights are the given ones, equal ones, or AHP weights from pairwise
   judgements, always normalised to sum to 1 (and the ranking says so);
4. the method (weighted sum, weighted product or TOPSIS from
   :mod:`crokit.selection.methods`) ranks the eligible candidates; the weighted sum
   uses the absolute 0..1 scores as they are unless ``settings.normalisation`` is
   ``"min-max"``;
5. weight intervals show how far each weight can move before the winner changes and,
   given a seed, SMAA-2 rank acceptabilities show how often each candidate takes each
   rank under random weights.

Nothing is random without an explicit seed: with ``seed=None`` no acceptabilities are
computed, and the ranking's warnings say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final

from crokit._decimal import in_crokit_context
from crokit.errors import UnknownIdError, ValidationError
from crokit.money import Money
from crokit.registry import Registry
from crokit.selection._narrative import display_names, explain
from crokit.selection.acceptability import rank_acceptability
from crokit.selection.ahp import ahp_weights
from crokit.selection.constraints import check_constraints
from crokit.selection.due_diligence import check_due_diligence
from crokit.selection.matrix import Criterion, DecisionMatrix, Direction, NormalizedWeights, normalize_weights
from crokit.selection.methods import METHODS, Normalisation, method_name, weighted_sum
from crokit.selection.models import (
    DEFAULT_CRITERIA,
    PRODUCT_FLOOR,
    AcceptabilityRow,
    CandidateInput,
    Consistency,
    Exclusion,
    Interval,
    Ranking,
    Scorecard,
    SelectionSettings,
    normalisation_note,
)
from crokit.selection.rules import CriterionScore, ScoringContext, score_candidate
from crokit.selection.sensitivity import weight_intervals
from crokit.study import Study
from crokit.vocabulary.criteria import CriterionDirection

__all__ = [
    "AcceptabilityRow",
    "CandidateInput",
    "Consistency",
    "DEFAULT_CRITERIA",
    "Exclusion",
    "Interval",
    "Ranking",
    "Scorecard",
    "SelectionSettings",
    "lowest_totals",
    "select",
]


def _prefixed(exc: ValidationError | UnknownIdError, prefix: str) -> ValidationError | UnknownIdError:
    if isinstance(exc, UnknownIdError):
        exc.path = f"{prefix}.{exc.path}" if exc.path else prefix
        return exc
    return exc.with_prefix(prefix)


def _check_candidates(candidates: Sequence[CandidateInput], criteria: Sequence[str], registry: Registry) -> None:
    seen: dict[str, int] = {}
    for index, candidate in enumerate(candidates):
        path = f"candidates[{index}]"
        if not isinstance(candidate, CandidateInput):
            raise ValidationError.at(path, f"expected a CandidateInput, got {candidate!r}")
        if candidate.id in seen:
            raise ValidationError.at(
                path, f"candidate {candidate.id!r} is listed twice: already given at candidates[{seen[candidate.id]}]"
            )
        seen[candidate.id] = index
        dd = candidate.due_diligence
        if dd is not None:
            if dd.candidate != candidate.id:
                raise ValidationError.at(
                    f"{path}.due_diligence.candidate",
                    f"the answers are from {dd.candidate!r}, but the candidate is {candidate.id!r}",
                )
            try:
                check_due_diligence(dd, registry)
            except (ValidationError, UnknownIdError) as exc:
                raise _prefixed(exc, f"{path}.due_diligence") from None
        for j, (key, value) in enumerate(candidate.manual_scores):
            where = f"{path}.manual_scores[{j}]"
            if key not in criteria:
                raise UnknownIdError("criterion", key, choices=criteria, path=where)
            if not Decimal(0) <= value <= Decimal(1):
                raise ValidationError.at(where, f"a score outside its scale: expected 0 to 1 for {key!r}, got {value}")


def _weights(
    settings: SelectionSettings,
) -> tuple[tuple[float, ...], str, Consistency | None, tuple[str, ...]]:
    ids = settings.criteria
    n = len(ids)
    if settings.pairwise is not None:
        if len(settings.pairwise) != n:
            raise ValidationError.at(
                "settings.pairwise",
                f"expected a {n}x{n} matrix (one row per criterion), got {len(settings.pairwise)} rows",
            )
        try:
            result = ahp_weights(settings.pairwise)
        except ValidationError as exc:
            raise exc.with_prefix("settings") from None
        consistency = Consistency(
            lambda_max=result.lambda_max,
            ci=result.consistency_index,
            cr=result.consistency_ratio,
            acceptable=result.acceptable,
        )
        cr = "n/a (2 criteria or fewer)" if result.consistency_ratio is None else f"{result.consistency_ratio:.3f}"
        note = f"weights from AHP pairwise judgements (principal eigenvector, sum 1); consistency ratio {cr}"
        return result.weights, note, consistency, result.warnings
    if not settings.weights:
        equal = tuple(1.0 / n for _ in ids)
        return equal, f"equal weights (none given): 1/{n} each", None, ()
    for index, (key, _) in enumerate(settings.weights):
        if key not in ids:
            raise UnknownIdError("criterion", key, choices=ids, path=f"settings.weights[{index}]")
    try:
        normalised = normalize_weights(dict(settings.weights), [Criterion(id=i) for i in ids])
    except ValidationError as exc:
        raise exc.with_prefix("settings") from None
    if normalised.was_normalized:
        note = f"the given weights sum to {normalised.given_sum:.6g}; each was divided by that sum so they sum to 1"
    else:
        note = "the given weights, which already sum to 1"
    return normalised.values, note, None, ()


def _criteria_checked(settings: SelectionSettings, registry: Registry) -> dict[str, str]:
    names: dict[str, str] = {}
    for index, cid in enumerate(settings.criteria):
        names[cid] = registry.criterion(cid, path=f"settings.criteria[{index}]").name
    return names


def _unanswered_warning(candidate: CandidateInput, unanswered: tuple[str, ...], registry: Registry) -> str | None:
    who = candidate.profile.name
    if candidate.due_diligence is None:
        return f"{who}: no due-diligence answers; scored from its profile alone"
    if len(unanswered) == 1:
        return f"{who}: 1 due-diligence question unanswered: {registry.name_of(unanswered[0], 'question')}"
    if unanswered:
        questions = " / ".join(registry.name_of(q, "question") for q in unanswered)
        return f"{who}: {len(unanswered)} due-diligence questions unanswered: {questions}"
    return None


def lowest_totals(candidates: Sequence[CandidateInput]) -> dict[str, Money]:
    """The lowest budget total per currency among *candidates* (those without a budget are skipped).

    Pricing fit compares each candidate's total with the lowest in its currency; this
    is the only score that depends on the other candidates.
    """
    lowest: dict[str, Money] = {}
    for candidate in candidates:
        if candidate.budget is None:
            continue
        total = candidate.budget.total
        if total.currency not in lowest or total.amount < lowest[total.currency].amount:
            lowest[total.currency] = total
    return lowest


def _score_all(
    study: Study, eligible: Sequence[tuple[int, CandidateInput]], settings: SelectionSettings, registry: Registry
) -> list[tuple[CriterionScore, ...]]:
    rows = []
    lowest = lowest_totals([candidate for _, candidate in eligible])
    for index, candidate in eligible:
        ctx = ScoringContext(
            study=study,
            profile=candidate.profile,
            budget=candidate.budget,
            due_diligence=candidate.due_diligence,
            preferences=settings.preferences,
            registry=registry,
            lowest_total=None if candidate.budget is None else lowest[candidate.budget.currency],
        )
        try:
            rows.append(score_candidate(ctx, settings.criteria, dict(candidate.manual_scores)))
        except (ValidationError, UnknownIdError) as exc:
            raise _prefixed(exc, f"candidates[{index}]") from None
    return rows


@in_crokit_context
def select(
    study: Study,
    candidates: Sequence[CandidateInput],
    settings: SelectionSettings,
    *,
    registry: Registry,
    seed: int | None = None,
) -> Ranking:
    """Rank *candidates* for *study* under *settings*.

    Args:
        study: The study to outsource.
        candidates: The candidates, each once.
        settings: Method, criteria, weights, constraints and preferences.
        registry: Where criteria, their rules and the due-diligence questions are looked up.
        seed: Seed of the rank-acceptability sampling; ``None`` computes none.

    Returns:
        The ranking; with no eligible candidate, a ranking whose winner is ``None``.

    Raises:
        ValidationError: For a candidate listed twice (path ``candidates[2]``), bad
            weights or pairwise judgements (``settings.weights[...]``,
            ``settings.pairwise[1][0]``), a manual score outside 0..1, answers of the
            wrong type or from another candidate.
        UnknownIdError: For an unknown criterion (``settings.criteria[1]``) or question,
            with the closest ids.
    """
    names = _criteria_checked(settings, registry)
    weights, note, consistency, warnings = _weights(settings)
    _check_candidates(candidates, settings.criteria, registry)
    warning_list = list(warnings)
    unjudged = _unjudged_price(settings, weights, candidates)
    if unjudged:
        warning_list.append(unjudged)
    eligible: list[tuple[int, CandidateInput]] = []
    excluded: list[Exclusion] = []
    for index, candidate in enumerate(candidates):
        ctx = ScoringContext(
            study=study,
            profile=candidate.profile,
            budget=candidate.budget,
            preferences=settings.preferences,
            registry=registry,
        )
        try:
            reasons = check_constraints(ctx, settings.constraints)
        except (ValidationError, UnknownIdError) as exc:
            raise _prefixed(exc, f"candidates[{index}]") from None
        if reasons:
            excluded.append(Exclusion(candidate=candidate.id, name=candidate.profile.name, reasons=reasons))
        else:
            eligible.append((index, candidate))
    base: dict[str, Any] = {
        "normalisation": _normalisation(settings),
        "normalisation_note": normalisation_note(settings.method, settings.normalisation),
        "method": settings.method,
        "criteria": settings.criteria,
        "weights": weights,
        "weights_note": note,
        "consistency": consistency,
        "excluded": tuple(excluded),
        "samples": settings.samples,
    }
    if not eligible:
        warning_list.append("empty shortlist: no candidate met the constraints")
        text = explain(
            method=settings.method,
            cards=(),
            names=names,
            intervals=(),
            first_shares=None,
            samples=settings.samples,
            seed=seed,
        )
        return Ranking(scorecards=(), explanation=text, seed=seed, warnings=tuple(warning_list), **base)
    return _rank(
        study=study,
        indexed=eligible,
        settings=settings,
        registry=registry,
        seed=seed,
        names=names,
        base=base,
        warnings=warning_list,
    )


_PRICING_FIT: Final = "crokit:pricing-fit"


def _unjudged_price(
    settings: SelectionSettings, weights: Sequence[float], candidates: Sequence[CandidateInput]
) -> str | None:
    """A warning when pricing fit weighs in but has nothing to judge prices against (issue #10)."""
    preferences = settings.preferences
    if preferences.budget_ceiling is not None or preferences.price_against_lowest:
        return None
    weighted = any(
        criterion == _PRICING_FIT and weight > 0 for criterion, weight in zip(settings.criteria, weights, strict=True)
    )
    if not weighted or not any(candidate.budget is not None for candidate in candidates):
        return None
    return (
        "pricing fit compares no prices: there is no budget ceiling to judge them against, so it reads "
        "only the preferred pricing kinds, if any (set selection.preferences.budget_ceiling, or "
        "price_against_lowest = true to compare each total with the lowest)"
    )


def _normalisation(settings: SelectionSettings) -> str:
    if settings.method == "weighted-product":
        return "ratio"
    if settings.method == "topsis":
        return "vector"
    return settings.normalisation


def _matrix(
    eligible: Sequence[CandidateInput],
    settings: SelectionSettings,
    registry: Registry,
    rows: Sequence[Sequence[CriterionScore]],
    warnings: list[str],
) -> DecisionMatrix:
    values = [[s.value for s in row] for row in rows]
    if settings.method == "weighted-product":
        floored = [
            f"{eligible[i].profile.name} on {registry.name_of(settings.criteria[j], 'criterion')}"
            for i, row in enumerate(values)
            for j, value in enumerate(row)
            if value < PRODUCT_FLOOR
        ]
        if floored:
            values = [[max(value, PRODUCT_FLOOR) for value in row] for row in values]
            warnings.append(
                f"the weighted product needs scores above 0: raised to {PRODUCT_FLOOR} for " + ", ".join(floored)
            )
    directions = [
        Direction.COST if registry.criterion(cid).direction is CriterionDirection.COST else Direction.BENEFIT
        for cid in settings.criteria
    ]
    return DecisionMatrix(
        alternatives=tuple(c.id for c in eligible),
        criteria=tuple(Criterion(id=cid, direction=d) for cid, d in zip(settings.criteria, directions, strict=True)),
        scores=values,
    )


def _rank(
    *,
    study: Study,
    indexed: Sequence[tuple[int, CandidateInput]],
    settings: SelectionSettings,
    registry: Registry,
    seed: int | None,
    names: dict[str, str],
    base: dict[str, Any],
    warnings: list[str],
) -> Ranking:
    rows = _score_all(study, indexed, settings, registry)
    eligible = [candidate for _, candidate in indexed]
    matrix = _matrix(eligible, settings, registry, rows, warnings)
    name = method_name(settings.method)
    normalised = NormalizedWeights(values=tuple(base["weights"]), given_sum=1.0, was_normalized=False)
    how: Normalisation = "min-max" if settings.normalisation == "min-max" else "absolute"
    if name == "weighted-sum":
        result = weighted_sum(matrix, normalised, normalisation=how)
    else:
        result = METHODS[name](matrix, normalised)
    cards: list[Scorecard] = []
    for i, candidate in enumerate(eligible):
        unanswered = tuple(dict.fromkeys(q for s in rows[i] for q in s.unanswered))
        warning = _unanswered_warning(candidate, unanswered, registry)
        if warning:
            warnings.append(warning)
        cards.append(
            Scorecard(
                candidate=candidate.id,
                name=candidate.profile.name,
                rank=result.ranks[i],
                score=result.scores[i],
                contributions=tuple(zip(settings.criteria, result.contributions[i], strict=True)),
                criterion_scores=rows[i],
                unanswered=unanswered,
            )
        )
    order = sorted(range(len(cards)), key=lambda i: (result.ranks[i], i))
    cards = [cards[i] for i in order]
    if result.ties and result.winner in result.ties[0]:
        tied = {candidate.id: candidate.profile.name for candidate in eligible}
        warnings.append(
            f"a tie for first place: {', '.join(tied.get(c, c) for c in result.ties[0])}; "
            "the first listed is named the winner"
        )
    intervals: tuple[Interval, ...] = ()
    acceptability: tuple[AcceptabilityRow, ...] = ()
    first: dict[str, float] | None = None
    if len(eligible) < 2:  # noqa: PLR2004 - a comparison needs two
        warnings.append("fewer than 2 eligible candidates: weight intervals and rank acceptability are skipped")
    else:
        intervals = tuple(
            Interval(
                criterion=w.criterion,
                current=w.current,
                low=w.low,
                high=w.high,
                below=w.below,
                above=w.above,
                explanation=w.explanation,
            )
            for w in weight_intervals(
                matrix,
                normalised,
                name,
                normalisation=how,
                names={**names, **display_names(cards)},
            )
        )
        if seed is None:
            warnings.append("no seed given: rank acceptability not computed (pass seed=... to sample the weights)")
        else:
            smaa = rank_acceptability(matrix, samples=settings.samples, seed=seed, method=name, normalisation=how)
            place = {card.candidate: index for index, card in enumerate(cards)}  # best rank first
            acceptability = tuple(
                sorted(
                    (
                        AcceptabilityRow(candidate=c, by_rank=tuple(float(x) for x in row))
                        for c, row in zip(smaa.alternatives, smaa.acceptability, strict=True)
                    ),
                    key=lambda row: place[row.candidate],
                )
            )
            first = {row.candidate: row.by_rank[0] for row in acceptability}
    text = explain(
        method=name,
        cards=cards,
        names=names,
        intervals=intervals,
        first_shares=first,
        samples=settings.samples,
        seed=seed,
    )
    return Ranking(
        scorecards=tuple(cards),
        winner=result.winner,
        ties=result.ties,
        intervals=intervals,
        acceptability=acceptability,
        seed=seed,
        explanation=text,
        warnings=tuple(warnings),
        **base,
    )
