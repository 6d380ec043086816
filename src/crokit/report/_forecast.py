"""The forecast part of the report: enrolment and each candidate's cost under uncertainty.

:func:`forecast_blocks` gives the blocks every text format renders (last patient in
and each candidate's total at the forecast's levels, who carries the variance);
:func:`forecast_json` the ``forecast`` key of the JSON report. Both return nothing for
an evaluation without a forecast. Neither imports NumPy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crokit.report._document import Block, Bullets, Heading, Paragraph, Table, format_money

if TYPE_CHECKING:
    from crokit.forecast.cost import CostForecast, CostForecastResult, MoneyQuantile
    from crokit.forecast.results import CurvePoint
    from crokit.scenario import Evaluation

__all__ = ["forecast_blocks", "forecast_json", "level_label"]


def level_label(level: float) -> str:
    """``P10`` for 0.1, ``P2.5`` for 0.025."""
    return f"P{round(level * 100, 4):g}"


def _percent(share: object) -> str:
    return f"{float(str(share)) * 100:.0f}%"


def _names(evaluation: Evaluation) -> dict[str, str]:
    return {result.id: result.name for result in evaluation.candidates}


def forecast_blocks(evaluation: Evaluation) -> list[Block]:
    """The forecast section, or no blocks if the evaluation has no forecast."""
    forecast = evaluation.forecast
    if forecast is None:
        return []
    names = _names(evaluation)
    labels = tuple(level_label(level) for level in forecast.levels)
    source = f" Recruitment rates: {forecast.note}." if forecast.note else ""
    blocks: list[Block] = [
        Heading(text="Forecast under uncertain enrolment"),
        Paragraph(
            text=f"{forecast.simulations:,} simulated trials (seed {forecast.seed}) of a Poisson-gamma enrolment "
            f"model starting {forecast.enrolment_start.isoformat()}, each priced exactly with every "
            f"candidate's own pricing models.{source}"
        ),
    ]
    lpi = forecast.last_patient_in
    months = dict(forecast.enrolment_months)
    blocks.append(
        Table(
            headers=("Milestone", *labels),
            rows=(
                ("Last patient in", *(quantile.date.isoformat() for quantile in lpi.quantiles)),
                (
                    f"Enrolment months (plan {forecast.planned_enrolment_months})",
                    *(str(months[level]) for level in forecast.levels),
                ),
            ),
            numeric=frozenset(range(1, len(labels) + 1)),
        )
    )
    if forecast.costs:
        blocks.append(
            Table(
                headers=("Candidate", "Planned", *labels, "Sponsor carries", "CRO carries"),
                rows=tuple(_cost_row(cost, names) for cost in forecast.costs),
                numeric=frozenset(range(1, len(labels) + 4)),
                caption="Total cost per candidate under uncertain enrolment",
            )
        )
        blocks += [
            Heading(text="Who carries the variance", level=3),
            Bullets(
                items=tuple(
                    f"{names.get(cost.candidate, cost.candidate)}: {cost.explanation}" for cost in forecast.costs
                )
            ),
        ]
    return blocks


def _cost_row(cost: CostForecast, names: dict[str, str]) -> tuple[str, ...]:
    return (
        names.get(cost.candidate, cost.candidate),
        format_money(cost.planned),
        *(format_money(quantile.amount) for quantile in cost.total),
        _percent(cost.sponsor_share),
        _percent(cost.cro_share),
    )


def _money(money: object) -> dict[str, str]:
    from crokit.report._json import money_json

    result = money_json(money)  # type: ignore[arg-type]
    assert result is not None  # noqa: S101 - every forecast amount is set
    return result


def _quantiles(quantiles: tuple[MoneyQuantile, ...]) -> list[dict[str, Any]]:
    return [{"level": quantile.level, "amount": _money(quantile.amount)} for quantile in quantiles]


def _cost_json(cost: CostForecast) -> dict[str, Any]:
    return {
        "candidate": cost.candidate,
        "currency": cost.currency,
        "planned": _money(cost.planned),
        "total": _quantiles(cost.total),
        "mean": _money(cost.mean),
        "quarters": [
            {
                "quarter": quarter.quarter,
                "start": quarter.start.isoformat(),
                "cost": _quantiles(quarter.quantiles),
                "mean": _money(quarter.mean),
            }
            for quarter in cost.quarters
        ],
        "variance": [
            {
                "model": share.model,
                "bearer": share.bearer,
                "planned": _money(share.planned),
                "spread": _money(share.spread),
                "share": float(share.share),
            }
            for share in cost.variance
        ],
        "sponsor_share": float(cost.sponsor_share),
        "cro_share": float(cost.cro_share),
        "explanation": cost.explanation,
    }


def _curve(forecast: CostForecastResult) -> list[CurvePoint]:
    """The enrolment curve up to the first month the band's low count reaches the target."""
    points = []
    for point in forecast.enrolment.curve:
        points.append(point)
        if point.low >= forecast.enrolment.target:
            break
    return points


def forecast_json(forecast: CostForecastResult | None) -> dict[str, Any] | None:
    """The ``forecast`` key of the JSON report (``None`` without a forecast)."""
    if forecast is None:
        return None
    enrolment = forecast.enrolment
    return {
        "simulations": forecast.simulations,
        "seed": forecast.seed,
        "levels": list(forecast.levels),
        "note": forecast.note,
        "enrolment_start": forecast.enrolment_start.isoformat(),
        "milestones": [
            {
                "milestone": milestone.milestone.value,
                "patients": milestone.patients,
                "quantiles": [
                    {"level": q.level, "month": round(q.month, 4), "date": q.date.isoformat()}
                    for q in milestone.quantiles
                ],
                "mean_month": None if milestone.mean is None else round(milestone.mean, 4),
            }
            for milestone in enrolment.milestones
        ],
        "enrolment_months": [{"level": level, "months": months} for level, months in forecast.enrolment_months],
        "planned_enrolment_months": forecast.planned_enrolment_months,
        "curve": [
            {"month": point.month, "expected": round(point.expected, 4), "low": point.low, "high": point.high}
            for point in _curve(forecast)
        ],
        "band": list(enrolment.band),
        "costs": [_cost_json(cost) for cost in forecast.costs],
    }
