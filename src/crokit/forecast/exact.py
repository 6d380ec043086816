"""Forecasts by exact evaluation: milestone quantiles, the enrolment curve and the chance of finishing by a date.

:func:`forecast_enrolment` evaluates the model's law of the time to each milestone
without simulation: with every site open from one month and one Gamma rate across
groups it uses the closed form (:class:`~crokit.forecast.PooledRateTime`); otherwise
the exact evaluation of :mod:`crokit.forecast._exact` (staggered activation, mixed
rates, uniform windows). :func:`probability_enrolled` is ``P(count by a date >=
patients)``.

>>> import datetime as dt
>>> from crokit.forecast import EnrolmentModel, SiteGroup
>>> model = EnrolmentModel(start=dt.date(2027, 1, 1), target=300,
...                        groups=(SiteGroup(id="us", sites=50, shape=2, rate=4),))
>>> forecast = forecast_enrolment(model)
>>> forecast.method, round(forecast.last_patient_in.mean, 4)
('closed form', 12.1212)
>>> forecast.last_patient_in.at(0.5).date
datetime.date(2028, 1, 2)
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence

import numpy as np

from crokit.errors import ValidationError
from crokit.forecast._exact import QUADRATURE_NODES, Component, count_pmf, milestone_times, summarise_counts
from crokit.forecast._numbers import MAX_MONTHS, as_float, check_number, check_whole, date_at
from crokit.forecast.closed_form import PooledRateTime
from crokit.forecast.model import ActivateAt, ActivationList, EnrolmentModel
from crokit.forecast.results import (
    DEFAULT_BAND,
    DEFAULT_LEVELS,
    CurvePoint,
    EnrolmentForecast,
    MilestoneForecast,
    Quantile,
    check_levels,
)
from crokit.vocabulary.lifecycle import Milestone

__all__ = ["components", "forecast_enrolment", "milestone_patients", "probability_enrolled"]

_LATEST = 12_000.0
"""The latest month a forecast reports: 1,000 years."""
_CURVE_CELLS = 4_000_000
"""Probabilities (patients x quadrature nodes x months) evaluated at once for the curve: about 32 MB."""


def components(model: EnrolmentModel) -> tuple[Component, ...]:
    """The model's sites as independent components of the exact evaluation (randomised patients)."""
    result: list[Component] = []
    for group in model.groups:
        rate = model.randomisation_rate(group)
        activation = group.activation
        if isinstance(activation, ActivateAt):
            result.append(
                Component(shape=group.sites * group.shape, rate=rate, first=activation.month, last=activation.month)
            )
        elif isinstance(activation, ActivationList):
            for month in sorted(set(activation.months)):
                count = activation.months.count(month)
                result.append(Component(shape=count * group.shape, rate=rate, first=month, last=month))
        elif activation.first == activation.last:
            result.append(
                Component(shape=group.sites * group.shape, rate=rate, first=activation.first, last=activation.first)
            )
        else:
            result.append(
                Component(shape=group.shape, rate=rate, first=activation.first, last=activation.last, sites=group.sites)
            )
    return tuple(result)


def _pooled(parts: Sequence[Component], patients: int) -> PooledRateTime | None:
    """The closed form, if every site opens at the same month with the same Gamma rate."""
    if len({(part.first, part.last, part.rate) for part in parts}) != 1 or parts[0].first != parts[0].last:
        return None
    return PooledRateTime(patients=patients, shape=sum(part.shape for part in parts), rate=parts[0].rate)


def milestone_patients(target: int) -> dict[Milestone, int]:
    """The patient each enrolment milestone waits for: 1, ``ceil(target / 2)`` and *target*."""
    return {
        Milestone.FIRST_PATIENT_IN: 1,
        Milestone.HALF_ENROLLED: math.ceil(target / 2),
        Milestone.LAST_PATIENT_IN: target,
    }


def milestone_forecasts(
    start: dt.date,
    parts: Sequence[Component],
    wanted: dict[Milestone, int],
    levels: tuple[float, ...],
    *,
    low: float,
    high: float,
) -> tuple[tuple[MilestoneForecast, ...], str]:
    """The milestones' quantiles (months from *start*), by the closed form where it applies, and the method used."""
    targets = [(patients, level) for patients in wanted.values() for level in levels]
    pooled = [_pooled(parts, patients) for patients in wanted.values()]
    if all(item is not None for item in pooled):
        times: list[float] = []
        means: list[float | None] = []
        for item in pooled:
            assert item is not None  # noqa: S101 - checked above
            times.extend(parts[0].first + item.quantile(level) for level in levels)
            mean = item.mean
            means.append(None if mean is None else parts[0].first + mean)
        method = "closed form"
    else:
        times = milestone_times(parts, targets, low=low, high=high)
        means = [None] * len(wanted)
        method = "exact"
    forecasts = []
    for index, (milestone, patients) in enumerate(wanted.items()):
        months = times[index * len(levels) : (index + 1) * len(levels)]
        months = list(itertools.accumulate(months, max))  # each level's search stops within 1e-6 months
        if months[-1] > _LATEST:
            raise ValidationError.at(
                "levels",
                f"the {levels[-1]:g} quantile of the time to patient {patients} is month {months[-1]:.0f}, "
                f"beyond {_LATEST:g} months (1,000 years): the sites' rates are too uncertain to forecast it; "
                "expected more sites, a larger Gamma shape or a lower level",
            )
        quantiles = tuple(
            Quantile(level=level, month=month, date=date_at(start, month))
            for level, month in zip(levels, months, strict=True)
        )
        forecasts.append(
            MilestoneForecast(milestone=milestone, patients=patients, quantiles=quantiles, mean=means[index])
        )
    return tuple(forecasts), method


def curve(
    start: dt.date, parts: Sequence[Component], target: int, band: tuple[float, float], last_month: int
) -> tuple[CurvePoint, ...]:
    """The capped count by the end of months 1..*last_month*, expected and banded."""
    months = np.arange(1, last_month + 1, dtype=np.float64)
    columns = max(1, _CURVE_CELLS // (target * QUADRATURE_NODES))  # bounds the quadrature's memory
    pieces = [
        summarise_counts(count_pmf(parts, months[i : i + columns], target), target, band)
        for i in range(0, months.size, columns)
    ]
    expected, low, high = (np.concatenate([piece[k] for piece in pieces]) for k in range(3))
    return tuple(
        CurvePoint(
            month=int(month),
            date=date_at(start, float(month)),
            expected=float(expected[index]),
            low=int(low[index]),
            high=int(high[index]),
        )
        for index, month in enumerate(months)
    )


def _probability(parts: Sequence[Component], month: float, patients: int) -> float:
    pmf = count_pmf(parts, np.array([month]), patients)
    return float(np.clip(1.0 - pmf.sum(), 0.0, 1.0))


def forecast_enrolment(
    model: EnrolmentModel,
    *,
    levels: Sequence[float] = DEFAULT_LEVELS,
    band: tuple[float, float] = DEFAULT_BAND,
) -> EnrolmentForecast:
    """The exact forecast of *model*: milestone quantiles at *levels*, the monthly curve with *band*.

    The curve runs from month 1 to the month after the last patient's highest quantile
    (at most 1,200 months).

    Raises:
        ValidationError: At ``levels`` or ``band`` for levels not strictly between 0 and
            1 and increasing, or if a quantile is beyond 12,000 months (1,000 years).
    """
    checked = check_levels(levels)
    checked_band = check_levels(band, path="band")
    if len(checked_band) != 2:  # noqa: PLR2004 - a band is a pair
        raise ValidationError.at("band", f"expected two levels (low, high), got {len(checked_band)}")
    parts = components(model)
    wanted = milestone_patients(model.target)
    milestones, method = milestone_forecasts(
        model.start, parts, wanted, checked, low=model.first_activation, high=model.horizon_months
    )
    top = milestones[-1].quantiles[-1].month
    if checked_band[-1] > checked[-1]:
        top = max(top, _band_month(parts, model, checked_band[-1]))
    last_month = min(int(MAX_MONTHS), max(1, math.ceil(top)))
    return EnrolmentForecast(
        method=method,
        target=model.target,
        milestones=milestones,
        curve=curve(model.start, parts, model.target, (checked_band[0], checked_band[1]), last_month),
        band=(checked_band[0], checked_band[1]),
        horizon_month=model.horizon_months,
        probability_by_horizon=_probability(parts, model.horizon_months, model.target),
        expected_screened=model.target / (1.0 - model.screen_failure),
        expected_completed=model.target * (1.0 - model.dropout),
    )


def _band_month(parts: Sequence[Component], model: EnrolmentModel, level: float) -> float:
    pooled = _pooled(parts, model.target)
    if pooled is not None:
        return parts[0].first + pooled.quantile(level)
    return milestone_times(parts, [(model.target, level)], low=model.first_activation, high=model.horizon_months)[0]


def probability_enrolled(model: EnrolmentModel, by: dt.date | float, *, patients: int | None = None) -> float:
    """The probability that *patients* (the target by default) are randomised by *by* (a date or a month).

    >>> import datetime as dt
    >>> from crokit.forecast import EnrolmentModel, SiteGroup
    >>> model = EnrolmentModel(start=dt.date(2027, 1, 1), target=300,
    ...                        groups=(SiteGroup(id="us", sites=50, shape=2, rate=4),))
    >>> round(probability_enrolled(model, dt.date(2028, 6, 1)), 4)
    0.9982
    """
    month = model.month_of(by) if isinstance(by, dt.date) else check_number("by", as_float(by), minimum=0.0)
    wanted = model.target if patients is None else patients
    wanted = check_whole("patients", wanted, minimum=1, maximum=10_000_000)
    parts = components(model)
    pooled = _pooled(parts, wanted)
    if pooled is not None:
        return pooled.cdf(month - parts[0].first)
    return _probability(parts, month, wanted)
