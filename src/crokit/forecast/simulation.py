"""Vectorised Monte Carlo simulation of the Poisson-gamma enrolment model, from an explicit seed.

Each simulated trial draws, with a :class:`numpy.random.Generator` (PCG64) built from
the given seed:

1. every site's screening rate ``lambda_j ~ Gamma(a, b)`` of its group, thinned to the
   randomisation rate ``(1 - screen_failure) lambda_j``;
2. every site's opening month (fixed, or uniform in its group's window); when every site
   has the same laws the sites are exchangeable, so the openings are simply sorted and
   the rates are not reordered with them (the same law, less work);
3. the milestones' arrivals on the unit-rate time scale: the study's randomisations are
   a Poisson process with cumulative intensity ``Lambda(t) = sum_j rate_j max(0, t -
   open_j)`` (piecewise linear, increasing), so by the time-change theorem the k-th
   randomisation happens at ``Lambda^{-1}(E_k)``, where ``E_k`` is the k-th arrival of a
   unit-rate Poisson process: ``E_1 ~ Exp(1)`` and the gaps between the milestones'
   ``E`` are independent Gamma(gap, 1) draws. ``Lambda^{-1}`` is found by sorting the
   opening months and locating ``E_k`` between the breakpoints;
4. active site-months up to the last patient in, ``sum_j max(0, LPI - open_j)``;
   patients screened to randomise the target, ``target + NB(target, 1 - screen_failure)``
   failures, and patients completing, ``Binomial(target, 1 - dropout)``;
5. with ``months``: the count randomised by the end of each month, ``min(target,
   Poisson path)``, from the same unit-rate process (all ``target`` arrivals are drawn,
   so the counts and the milestone times come from one path).

Trials are simulated in chunks (:data:`CHUNK_CELLS` site-trials at a time), so memory
stays bounded whatever the number of trials. The same seed and arguments always give
the same arrays (the chunk size is part of the algorithm and fixed).

>>> import datetime as dt
>>> from crokit.forecast import EnrolmentModel, SiteGroup
>>> model = EnrolmentModel(start=dt.date(2027, 1, 1), target=300,
...                        groups=(SiteGroup(id="us", sites=50, shape=2, rate=4),))
>>> result = simulate_enrolment(model, trials=20_000, seed=2027)
>>> bool(abs(result.last_patient_in.mean() - 12.1212) < 4 * result.last_patient_in.std() / 20_000 ** 0.5)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from crokit._typed import typed_fields
from crokit.errors import ValidationError
from crokit.forecast._numbers import MAX_MONTHS, check_whole, date_at
from crokit.forecast.exact import milestone_patients
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

__all__ = ["CHUNK_CELLS", "MAX_SEED", "MAX_TRIALS", "SimulatedEnrolment", "check_seed", "simulate_enrolment"]

CHUNK_CELLS: Final = 2_000_000
"""Site-trials simulated per chunk (about 16 MB per float64 array)."""
MAX_TRIALS: Final = 10_000_000
"""The most trials one call simulates."""
MAX_SEED: Final = 2**128
"""The largest seed accepted (PCG64 seeds are 128-bit)."""

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


def check_seed(seed: object, *, path: str = "seed") -> int:
    """*seed* as a positive whole number, or a ValidationError at *path*."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 1 <= seed <= MAX_SEED:
        raise ValidationError.at(path, f"expected a whole number from 1 to 2**128 as the seed, got {seed!r}")
    return seed


def _read_only(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.setflags(write=False)
    return array


@attrs.frozen(kw_only=True, eq=False, field_transformer=typed_fields)
class SimulatedEnrolment:
    """Simulated trials of an enrolment model: one entry per trial (arrays are read-only).

    Attributes:
        model: The model simulated.
        trials: The number of trials.
        seed: The seed used.
        first_patient_in: Month of the first randomisation, per trial.
        half_enrolled: Month of randomisation ``ceil(target / 2)``, per trial.
        last_patient_in: Month the target is reached, per trial.
        screened: Patients screened to randomise the target, per trial.
        completed: Randomised patients who complete, per trial.
        site_months: Active site-months during enrolment, ``sum_j max(0, last_patient_in -
            open_j)``, per trial (a driver for pricing per site-month).
        months: The months the counts are for (1, 2, ...), or empty.
        counts: Patients randomised by the end of each month (trials x months, capped
            at the target), or an empty array.
    """

    model: EnrolmentModel
    trials: int
    seed: int
    first_patient_in: Floats
    half_enrolled: Floats
    last_patient_in: Floats
    screened: Ints
    completed: Ints
    site_months: Floats
    months: Ints
    counts: Ints

    def summary(
        self, *, levels: Sequence[float] = DEFAULT_LEVELS, band: tuple[float, float] = DEFAULT_BAND
    ) -> EnrolmentForecast:
        """The simulated forecast: empirical quantiles (``numpy.quantile``, linear), means and the curve."""
        checked = check_levels(levels)
        checked_band = check_levels(band, path="band")
        if len(checked_band) != 2:  # noqa: PLR2004 - a band is a pair
            raise ValidationError.at("band", f"expected two levels (low, high), got {len(checked_band)}")
        start = self.model.start
        forecasts = []
        draws = (self.first_patient_in, self.half_enrolled, self.last_patient_in)
        for (milestone, patients), times in zip(milestone_patients(self.model.target).items(), draws, strict=True):
            values = np.quantile(times, checked)
            quantiles = tuple(
                Quantile(level=level, month=float(value), date=date_at(start, float(value)))
                for level, value in zip(checked, values, strict=True)
            )
            forecasts.append(
                MilestoneForecast(milestone=milestone, patients=patients, quantiles=quantiles, mean=float(times.mean()))
            )
        points: list[CurvePoint] = []
        if self.months.size:
            low, high = np.quantile(self.counts, checked_band, axis=0, method="inverted_cdf")
            expected = self.counts.mean(axis=0)
            points = [
                CurvePoint(
                    month=int(month),
                    date=date_at(start, float(month)),
                    expected=float(expected[index]),
                    low=int(low[index]),
                    high=int(high[index]),
                )
                for index, month in enumerate(self.months)
            ]
        return EnrolmentForecast(
            method="simulation",
            target=self.model.target,
            milestones=tuple(forecasts),
            curve=tuple(points),
            band=(checked_band[0], checked_band[1]),
            horizon_month=self.model.horizon_months,
            probability_by_horizon=float((self.last_patient_in <= self.model.horizon_months).mean()),
            expected_screened=float(self.screened.mean()),
            expected_completed=float(self.completed.mean()),
            trials=self.trials,
            seed=self.seed,
        )


@attrs.frozen
class _Sites:
    """The model's sites as flat arrays: Gamma shapes and rates (randomisation), fixed opening or window."""

    shapes: Floats
    rates: Floats
    first: Floats
    last: Floats

    @property
    def fixed(self) -> bool:
        return bool((self.first == self.last).all())

    @property
    def exchangeable(self) -> bool:
        """Whether every site has the same rate law and opening window (so sites can be relabelled)."""
        return all(bool((values == values[0]).all()) for values in (self.shapes, self.rates, self.first, self.last))


def _sites(model: EnrolmentModel) -> _Sites:
    shapes, rates, first, last = [], [], [], []
    for group in model.groups:
        rate = model.randomisation_rate(group)
        activation = group.activation
        if isinstance(activation, ActivateAt):
            opens: Sequence[tuple[float, float]] = [(activation.month, activation.month)] * group.sites
        elif isinstance(activation, ActivationList):
            opens = [(month, month) for month in activation.months]
        else:
            opens = [(activation.first, activation.last)] * group.sites
        for low, high in opens:
            shapes.append(group.shape)
            rates.append(rate)
            first.append(low)
            last.append(high)
    return _Sites(np.array(shapes), np.array(rates), np.array(first), np.array(last))


def _invert(opens: Floats, slopes: Floats, levels: Floats, arrivals: Floats) -> Floats:
    """``Lambda^{-1}(arrivals)`` per row, for sorted *opens*, the slope after each opening and Lambda there."""
    segment = (levels <= arrivals[:, None]).sum(axis=1) - 1
    rows = np.arange(arrivals.size)
    result: Floats = opens[rows, segment] + (arrivals - levels[rows, segment]) / slopes[rows, segment]
    return result


def _intensity(opens: Floats, slopes: Floats, levels: Floats, months: Floats) -> Floats:
    """``Lambda(month)`` per row (trials x months)."""
    segment = (opens[:, :, None] <= months[None, None, :]).sum(axis=1) - 1
    rows = np.arange(opens.shape[0])[:, None]
    safe = np.maximum(segment, 0)
    value = levels[rows, safe] + slopes[rows, safe] * (months[None, :] - opens[rows, safe])
    return np.where(segment >= 0, value, 0.0)


def _chunk(
    rng: np.random.Generator, sites: _Sites, model: EnrolmentModel, trials: int, months: Floats
) -> tuple[Floats, Floats, Floats, Ints, Floats]:
    count = sites.shapes.size
    same = sites.exchangeable
    if same:  # scalar parameters: the same draws as arrays of equal values, drawn faster
        rates = rng.gamma(float(sites.shapes[0]), 1.0 / float(sites.rates[0]), size=(trials, count))
    else:
        rates = rng.gamma(sites.shapes, 1.0 / sites.rates, size=(trials, count))
    if sites.fixed:
        order = np.argsort(sites.first, kind="stable")
        opens = np.broadcast_to(sites.first[order], (trials, count))
        rates = rates[:, order]
    else:
        if same:
            drawn = rng.uniform(float(sites.first[0]), float(sites.last[0]), size=(trials, count))
        else:
            drawn = rng.uniform(sites.first, sites.last, size=(trials, count))
        if same:
            # every site has the same laws, so the rates need not follow their sites into opening order
            opens = np.sort(drawn, axis=1)
        else:
            order = np.argsort(drawn, axis=1)
            opens = np.take_along_axis(drawn, order, axis=1)
            rates = np.take_along_axis(rates, order, axis=1)
    slopes = np.cumsum(rates, axis=1)
    levels = np.zeros((trials, count))
    np.cumsum(slopes[:, :-1] * np.diff(opens, axis=1), axis=1, out=levels[:, 1:])
    wanted = list(milestone_patients(model.target).values())
    if months.size:
        gaps = rng.standard_exponential(size=(trials, model.target))
        arrivals = np.cumsum(gaps, axis=1)
        marks = [arrivals[:, patients - 1] for patients in wanted]
        intensity = _intensity(opens, slopes, levels, months)
        offsets = np.arange(trials)[:, None] * (max(float(arrivals[:, -1].max()), float(intensity.max())) + 1.0)
        flat = (arrivals + offsets).ravel()
        shifted = intensity + offsets
        found = np.searchsorted(flat, shifted.ravel(), side="right").reshape(trials, months.size)
        counts = np.minimum(found - np.arange(trials)[:, None] * model.target, model.target)
    else:
        first = rng.standard_exponential(size=trials)
        half = first + (rng.gamma(wanted[1] - 1, size=trials) if wanted[1] > 1 else 0.0)
        last = half + (rng.gamma(wanted[2] - wanted[1], size=trials) if wanted[2] > wanted[1] else 0.0)
        marks = [first, half, last]
        counts = np.zeros((trials, 0), dtype=np.int64)
    times = [_invert(opens, slopes, levels, mark) for mark in marks]
    site_months = np.maximum(times[2][:, None] - opens, 0.0).sum(axis=1)
    return times[0], times[1], times[2], counts.astype(np.int64), site_months


def simulate_enrolment(
    model: EnrolmentModel, *, trials: int, seed: int, months: int | None = None
) -> SimulatedEnrolment:
    """Simulate *trials* trials of *model* from *seed* (see the module doc for the algorithm).

    Args:
        model: The enrolment model.
        trials: How many trials (1 to :data:`MAX_TRIALS`).
        seed: A whole number from 1 to 2**128; the same seed gives the same arrays.
        months: If given, also count patients randomised by the end of months 1 to
            *months* (1 to 1,200) in every trial.

    Raises:
        ValidationError: At ``seed`` for a seed that is not a positive whole number, at
            ``trials`` or ``months`` for counts out of range.
    """
    seed = check_seed(seed)
    trials = check_whole("trials", trials, minimum=1, maximum=MAX_TRIALS)
    if months is not None:
        months = check_whole("months", months, minimum=1, maximum=int(MAX_MONTHS))
    rng = np.random.Generator(np.random.PCG64(seed))
    sites = _sites(model)
    grid = np.arange(1, (months or 0) + 1, dtype=np.float64)
    per_trial = sites.shapes.size * max(1, grid.size) + (model.target if grid.size else 0)
    size = max(1, min(trials, CHUNK_CELLS // per_trial))
    parts = [_chunk(rng, sites, model, min(size, trials - begin), grid) for begin in range(0, trials, size)]
    first = np.concatenate([part[0] for part in parts])
    half = np.concatenate([part[1] for part in parts])
    last = np.concatenate([part[2] for part in parts])
    counts = np.concatenate([part[3] for part in parts]) if grid.size else np.zeros((trials, 0), dtype=np.int64)
    site_months = np.concatenate([part[4] for part in parts])
    success = 1.0 - model.screen_failure
    screened = model.target + (rng.negative_binomial(model.target, success, size=trials) if success < 1.0 else 0)
    completed = rng.binomial(model.target, 1.0 - model.dropout, size=trials)
    return SimulatedEnrolment(
        model=model,
        trials=trials,
        seed=seed,
        first_patient_in=_read_only(first),
        half_enrolled=_read_only(half),
        last_patient_in=_read_only(last),
        site_months=_read_only(site_months),
        screened=_read_only(np.asarray(screened, dtype=np.int64) + np.zeros(trials, dtype=np.int64)),
        completed=_read_only(np.asarray(completed, dtype=np.int64)),
        months=_read_only(grid.astype(np.int64)),
        counts=_read_only(counts),
    )
