"""Interim re-projection: posteriors, the predictive finish, refusals."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from crokit.errors import UnknownIdError, ValidationError
from crokit.forecast import (
    ActivateAt,
    ActivationWindow,
    EnrolmentModel,
    PooledRateTime,
    SiteGroup,
    SiteObservation,
    reproject,
)

START = dt.date(2027, 1, 1)
MODEL = EnrolmentModel(
    start=START,
    target=200,
    groups=(
        SiteGroup(id="us", sites=10, shape=2, rate=4),
        SiteGroup(id="de", sites=5, shape=1, rate=2, activation=ActivationWindow(first=2, last=8)),
    ),
    screen_failure="0.2",
)


def test_posteriors_are_the_conjugate_gamma():
    observations = [
        SiteObservation(site="us/1", opened=0, randomised=7),
        SiteObservation(site="de/2", opened=2.5, randomised=1),
    ]
    result = reproject(MODEL, observations, census=4)
    by_site = {p.site: p for p in result.posteriors}
    assert by_site["us/1"].shape == 9.0
    assert by_site["us/1"].rate == pytest.approx(5.0 + 4)
    assert by_site["de/2"].shape == 2.0
    assert by_site["de/2"].rate == pytest.approx(2.5 + 1.5)
    assert (by_site["us/2"].shape, by_site["us/2"].rate, by_site["us/2"].observed) == (2.0, 5.0, 0)
    assert result.randomised == 8
    assert result.remaining == 192
    assert len(result.posteriors) == 15
    assert result.census_date == dt.date(2027, 5, 1)
    assert by_site["us/1"].mean_rate == pytest.approx(1.0)


def test_equal_observations_reduce_to_the_pooled_closed_form():
    model = EnrolmentModel(start=START, target=100, groups=(SiteGroup(id="us", sites=8, shape=2, rate=4),))
    observations = [SiteObservation(site=f"us/{i}", opened=1, randomised=3) for i in range(1, 9)]
    result = reproject(model, observations, census=5)
    # every site: Gamma(2 + 3, 4 + 4); 76 patients to go from month 5
    pooled = PooledRateTime(patients=76, shape=8 * 5.0, rate=8.0)
    for quantile in result.last_patient_in.quantiles:
        assert quantile.month == pytest.approx(5 + pooled.quantile(quantile.level), abs=2e-6)
    assert result.last_patient_in.patients == 100


def test_predictive_finish_agrees_with_a_direct_simulation_of_the_posterior():
    model = EnrolmentModel(start=START, target=60, groups=(SiteGroup(id="us", sites=4, shape=2, rate=4),))
    counts = (0, 2, 5, 9)
    opened = (0.0, 1.0, 2.0, 0.5)
    observations = [SiteObservation(site=f"us/{i + 1}", opened=opened[i], randomised=counts[i]) for i in range(4)]
    result = reproject(model, observations, census=6)
    rng = np.random.default_rng(1)
    trials = 40_000
    shapes = np.array([2 + k for k in counts], dtype=float)
    rates = np.array([4 + 6 - o for o in opened])
    total = rng.gamma(shapes, 1 / rates, size=(trials, 4)).sum(axis=1)
    finish = 6 + rng.gamma(60 - sum(counts), size=trials) / total
    for quantile in result.last_patient_in.quantiles:
        level = quantile.level
        assert abs((finish <= quantile.month).mean() - level) <= 4 * math.sqrt(level * (1 - level) / trials)


def test_unopened_sites_open_as_planned_but_not_before_the_census():
    model = EnrolmentModel(
        start=START,
        target=30,
        groups=(
            SiteGroup(id="a", sites=1, shape=2, rate=4),
            SiteGroup(id="b", sites=2, shape=2, rate=4, activation=ActivateAt(month=10)),
        ),
    )
    seen = [SiteObservation(site="a/1", opened=0, randomised=2)]
    later = reproject(model, seen, census=3)
    assert later.remaining == 28
    assert later.last_patient_in.at(0.5).month > 10  # one site alone would not have finished by then
    assert 0.0 <= later.probability_by_horizon <= 1.0


def test_a_census_before_the_first_site_opens_is_refused():
    model = EnrolmentModel(
        start=START, target=10, groups=(SiteGroup(id="a", sites=3, shape=2, rate=1, activation=ActivateAt(month=2)),)
    )
    with pytest.raises(ValidationError) as error:
        reproject(model, [], census=1)
    assert error.value.problems[0].path == "census"
    with pytest.raises(ValidationError, match="census"):
        reproject(model, [], census=dt.date(2027, 2, 1))


def test_observed_counts_for_unknown_sites_are_refused():
    with pytest.raises(UnknownIdError) as error:
        reproject(MODEL, [SiteObservation(site="fr/1", opened=0, randomised=1)], census=3)
    assert error.value.path == "observations[0].site"


def test_other_bad_observations_are_refused():
    with pytest.raises(ValidationError, match=r"randomised"):
        SiteObservation(site="us/1", opened=0, randomised=-1)
    with pytest.raises(ValidationError, match=r"observations\[1\]\.site"):
        reproject(MODEL, [SiteObservation(site="us/1", opened=0, randomised=1)] * 2, census=3)
    with pytest.raises(ValidationError, match=r"observations\[0\]\.opened"):
        reproject(MODEL, [SiteObservation(site="us/1", opened=5, randomised=1)], census=3)
    with pytest.raises(ValidationError, match="already"):
        reproject(MODEL, [SiteObservation(site="us/1", opened=0, randomised=200)], census=3)
