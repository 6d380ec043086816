"""The JSON report: a public, versioned contract for other tools.

``crokit evaluate FILE --format json`` prints :func:`json_report`. Keys are only ever
added; renaming or removing one needs a new :data:`REPORT_SCHEMA_VERSION`. Money is
always an object ``{"amount": "<decimal string>", "currency": "<ISO code>"}``, never a
JSON number. docs/json-report.md documents every key.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from crokit._decimal import in_crokit_context
from crokit.report._bids import bids_json
from crokit.report._conversions import conversions_json
from crokit.report._forecast import forecast_json
from crokit.report._sensitivity import sensitivity_json

if TYPE_CHECKING:
    from crokit.money import Money
    from crokit.pricing.budget import Budget
    from crokit.scenario import CandidateResult, Evaluation
    from crokit.schedule import PaymentSchedule

__all__ = ["REPORT_SCHEMA_VERSION", "json_report", "money_json"]

REPORT_SCHEMA_VERSION: Final = 2
"""The version of the JSON report's shape."""


def money_json(money: Money | None) -> dict[str, str] | None:
    """Money as ``{"amount": "12.50", "currency": "USD"}``: the amount is exact text."""
    if money is None:
        return None
    return {"amount": str(money.amount), "currency": money.currency}


def _ratio(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(Decimal("0.0001")))


def _budget(budget: Budget | None, patients: int) -> dict[str, Any] | None:
    if budget is None:
        return None
    return {
        "total": money_json(budget.total),
        "cost_per_patient": money_json(budget.cost_per_patient(patients)),
        "by_service": {service: money_json(amount) for service, amount in budget.by_service().items()},
        "by_bucket": {bucket.value: money_json(amount) for bucket, amount in budget.by_bucket().items()},
        "by_month": {str(month): money_json(amount) for month, amount in budget.by_month().items()},
        "lines": len(budget.lines),
    }


def _schedule(schedule: PaymentSchedule | None) -> list[dict[str, Any]] | None:
    if schedule is None:
        return None
    return [
        {
            "due": payment.due.isoformat(),
            "invoice_date": payment.invoice_date.isoformat(),
            "kind": payment.kind.value,
            "description": payment.description,
            "amount": money_json(payment.amount),
        }
        for payment in schedule.payments
    ]


def _candidate(
    result: CandidateResult, patients: int, criterion_scores: dict[str, dict[str, dict[str, Any]]]
) -> dict[str, Any]:
    benchmark = result.benchmark
    return {
        "id": result.id,
        "name": result.name,
        "eligible": result.eligible,
        "reasons": list(result.reasons),
        "rank": result.rank,
        "score": result.score if result.score is not None else 0.0,
        "contributions": dict(result.contributions),
        "criterion_scores": criterion_scores.get(result.id, {}),
        "budget": _budget(result.budget, patients),
        "benchmark": None
        if benchmark is None
        else {
            "ratio": _ratio(benchmark.ratio),
            "published": money_json(benchmark.published),
            "source": benchmark.source,
            "message": benchmark.message,
        },
        "schedule": _schedule(result.schedule),
        **conversions_json(result),
        **bids_json(result),
    }


@in_crokit_context
def json_report(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as the documented JSON report (a dict of JSON-safe values)."""
    study = evaluation.study
    ranking = evaluation.ranking
    scores = {
        card.candidate: {
            score.criterion: {"score": score.value, "reason": score.basis} for score in card.criterion_scores
        }
        for card in ranking.scorecards
    }
    winner_reasons: list[str] = []
    if evaluation.winner is None:
        winner_reasons = [f"{e.candidate}: {'; '.join(e.reasons)}" for e in ranking.excluded] or [
            "no candidates were given"
        ]
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "title": evaluation.title,
        "sponsor": evaluation.sponsor,
        "study": {
            "name": study.name,
            "phase": study.phase.value,
            "area": study.therapeutic_area,
            "indication": study.indication,
            "patients": study.planned_patients,
            "sites": study.sites,
            "countries": list(study.countries),
            "start_date": study.start_date.isoformat(),
        },
        "currency": evaluation.currency,
        "ranking_price": evaluation.ranking_price,
        "rate_factor": str(evaluation.rate_factor),
        "winner": evaluation.winner,
        "winner_reasons": winner_reasons,
        "explanation": ranking.explanation,
        "candidates": [_candidate(result, study.planned_patients, scores) for result in evaluation.candidates],
        "sensitivity": {
            "method": ranking.method,
            "criteria": list(ranking.criteria),
            "weights": dict(zip(ranking.criteria, ranking.weights, strict=True)),
            "weights_note": ranking.weights_note,
            "normalisation": ranking.normalisation,
            "normalisation_note": ranking.normalisation_note,
            "intervals": [
                {
                    "criterion": interval.criterion,
                    "current": interval.current,
                    "low": interval.low,
                    "high": interval.high,
                    "below": interval.below,
                    "above": interval.above,
                    "explanation": interval.explanation,
                }
                for interval in ranking.intervals
            ],
            "acceptability": {row.candidate: list(row.by_rank) for row in ranking.acceptability},
            "seed": ranking.seed,
            "samples": ranking.samples,
            "assumptions": sensitivity_json(evaluation.sensitivity),
        },
        "warnings": list(evaluation.warnings),
        "forecast": forecast_json(evaluation.forecast),
    }
