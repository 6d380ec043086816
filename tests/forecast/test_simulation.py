"""Monte Carlo: agreement with the closed forms and the exact evaluation, seeds, refusals.

Statistical tolerances: a simulated mean is within 4 standard errors of the exact mean;
at an exact quantile q_p the empirical CDF is within 4 sqrt(p (1 - p) / trials) of p.
Seeds are fixed, so every test is deterministic.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crokit.errors import ValidationError
from crokit.forecast import (
    ActivationList,
    ActivationWindow,
    EnrolmentModel,
    PooledRateTime,
    SiteGroup,
    forecast_enrolment,
    simulate_enrolment,
)
from crokit.forecast.simulation import SimulatedEnrolment
from crokit.testing import enrolment_models

START = dt.date(2027, 1, 1)
ISSUE = EnrolmentModel(start=START, target=300, groups=(SiteGroup(id="us", sites=50, shape=2, rate=4),))
TRIALS = 40_000


def within_4_se(draws: np.ndarray, mean: float) -> bool:
    return abs(float(draws.mean()) - mean) <= 4 * float(draws.std()) / math.sqrt(draws.size)


def cdf_within_4_se(draws: np.ndarray, quantile: float, level: float) -> bool:
    return abs(float((draws <= quantile).mean()) - level) <= 4 * math.sqrt(level * (1 - level) / draws.size)


def test_issue_check_value_simulated_mean_agrees_with_the_closed_form():
    result = simulate_enrolment(ISSUE, trials=TRIALS, seed=14)
    assert within_4_se(result.last_patient_in, 300 * 4 / 99)
    assert within_4_se(result.half_enrolled, 150 * 4 / 99)
    assert within_4_se(result.first_patient_in, 4 / 99)
    # every site is open from month 0, so the active site-months are 50 x the last patient's month
    assert np.allclose(result.site_months, 50 * result.last_patient_in)
    time = PooledRateTime.for_sites(patients=300, sites=50, shape=2, rate=4)
    for level in (0.1, 0.5, 0.9):
        assert cdf_within_4_se(result.last_patient_in, time.quantile(level), level)


def test_simulated_quantiles_agree_with_the_exact_staggered_evaluation():
    model = EnrolmentModel(
        start=START,
        target=200,
        groups=(
            SiteGroup(id="us", sites=30, shape="1.5", rate=3, activation=ActivationWindow(first=0, last=6)),
            SiteGroup(id="de", sites=4, shape=3, rate=2, activation=ActivationList(months=(1, 2, 2, 8))),
        ),
        screen_failure="0.3",
    )
    exact = forecast_enrolment(model)
    result = simulate_enrolment(model, trials=TRIALS, seed=7)
    for draws, milestone in zip(
        (result.first_patient_in, result.half_enrolled, result.last_patient_in), exact.milestones, strict=True
    ):
        for quantile in milestone.quantiles:
            assert cdf_within_4_se(draws, quantile.month, quantile.level)


def test_simulated_counts_agree_with_the_exact_curve():
    model = EnrolmentModel(
        start=START,
        target=120,
        groups=(SiteGroup(id="us", sites=20, shape=2, rate=3, activation=ActivationWindow(first=1, last=5)),),
    )
    exact = forecast_enrolment(model)
    months = len(exact.curve)
    result = simulate_enrolment(model, trials=20_000, seed=3, months=months)
    assert result.counts.shape == (20_000, months)
    for point in exact.curve:
        column = result.counts[:, point.month - 1].astype(np.float64)
        assert within_4_se(column, point.expected) or column.std() == 0
    # counts and milestone times come from one path: the target is reached by month m iff LPI <= m
    reached = result.counts[:, -1] >= model.target
    assert np.array_equal(reached, result.last_patient_in <= months)
    first = result.counts[:, 0] >= 1
    assert np.array_equal(first, result.first_patient_in <= 1)


def test_screen_failures_and_dropouts_thin_binomially():
    model = EnrolmentModel(
        start=START,
        target=100,
        groups=(SiteGroup(id="us", sites=20, shape=2, rate=4),),
        screen_failure="0.4",
        dropout="0.2",
    )
    result = simulate_enrolment(model, trials=20_000, seed=11)
    assert within_4_se(result.screened.astype(np.float64), 100 / 0.6)
    assert within_4_se(result.completed.astype(np.float64), 80)
    assert (result.screened >= 100).all()
    assert (result.completed <= 100).all()
    summary = result.summary()
    assert summary.method == "simulation"
    assert summary.trials == 20_000
    assert summary.seed == 11


@settings(max_examples=10, deadline=None)
@given(enrolment_models(max_groups=2, max_sites=6, max_target=40), st.integers(1, 2**40), st.booleans())
def test_the_same_seed_gives_the_same_answer(model, seed, with_counts):
    months = 12 if with_counts else None
    first = simulate_enrolment(model, trials=50, seed=seed, months=months)
    second = simulate_enrolment(model, trials=50, seed=seed, months=months)
    names = ("first_patient_in", "half_enrolled", "last_patient_in", "screened", "completed", "counts", "site_months")
    for name in names:
        assert np.array_equal(getattr(first, name), getattr(second, name))
    assert first.summary() == second.summary()
    assert np.isfinite(first.last_patient_in).all()
    assert (first.first_patient_in <= first.half_enrolled).all()
    assert (first.half_enrolled <= first.last_patient_in).all()
    assert (first.site_months >= 0).all()
    assert (first.site_months <= model.sites * first.last_patient_in + 1e-9).all()


def test_different_seeds_differ():
    assert not np.array_equal(
        simulate_enrolment(ISSUE, trials=10, seed=1).last_patient_in,
        simulate_enrolment(ISSUE, trials=10, seed=2).last_patient_in,
    )


def test_chunking_keeps_every_trial(monkeypatch):
    from crokit.forecast import simulation

    monkeypatch.setattr(simulation, "CHUNK_CELLS", 50 * 7)
    result = simulate_enrolment(ISSUE, trials=100, seed=5)
    assert result.last_patient_in.shape == (100,)
    assert len(set(result.last_patient_in.tolist())) == 100


@pytest.mark.parametrize("seed", [0, -3, True, 1.5, "7", None, 2**128 + 1])
def test_a_non_positive_or_non_integer_seed_is_refused(seed):
    with pytest.raises(ValidationError) as error:
        simulate_enrolment(ISSUE, trials=10, seed=seed)
    assert error.value.problems[0].path == "seed"


@pytest.mark.parametrize(("field", "value"), [("trials", 0), ("months", 0), ("months", 5000)])
def test_bad_sizes_are_refused(field, value):
    arguments = {"trials": 10, "seed": 1, field: value}
    with pytest.raises(ValidationError, match=field):
        simulate_enrolment(ISSUE, **arguments)


def test_results_are_read_only():
    result = simulate_enrolment(ISSUE, trials=10, seed=1)
    assert isinstance(result, SimulatedEnrolment)
    with pytest.raises(ValueError, match="read-only"):
        result.last_patient_in[0] = 0.0
