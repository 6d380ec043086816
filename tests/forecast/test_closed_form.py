"""Closed forms and special functions, checked against independent computations."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crokit.errors import CrokitError, ValidationError
from crokit.forecast import KnownRateTime, PooledRateTime
from crokit.forecast._special import incomplete_beta, incomplete_gamma, solve_increasing
from crokit.testing import known_rate_times, pooled_rate_times


def nb_tail(n: int, shape: float, rate: float, t: float) -> float:
    """P(count by t >= n), count ~ NB(shape, rate / (rate + t)): one minus a sum of pmf terms in log space."""
    log_p = math.log(rate / (rate + t))
    log_q = math.log(t / (rate + t))
    below = sum(
        math.exp(math.lgamma(k + shape) - math.lgamma(shape) - math.lgamma(k + 1) + shape * log_p + k * log_q)
        for k in range(n)
    )
    return 1.0 - below


def poisson_tail(n: int, mean: float) -> float:
    """P(Poisson(mean) >= n), by summing the pmf below n."""
    return 1.0 - sum(math.exp(-mean + k * math.log(mean) - math.lgamma(k + 1)) for k in range(n))


def mixture_cdf(n: int, shape: float, rate: float, t: float) -> float:
    """P(T_n <= t) by integrating P(Gamma(n, lam) <= t) over lam ~ Gamma(shape, rate) (fine trapezoid)."""
    mean = shape / rate
    upper = mean + 20 * math.sqrt(shape) / rate
    lam = np.linspace(1e-12, upper, 20001)
    log_density = shape * math.log(rate) - math.lgamma(shape) + (shape - 1) * np.log(lam) - rate * lam
    inner = np.array([poisson_tail(n, x * t) for x in lam])
    values = inner * np.exp(log_density)
    return float(np.sum((values[1:] + values[:-1]) * np.diff(lam)) / 2)


def test_issue_check_value_mean_time_to_300th_patient():
    time = PooledRateTime.for_sites(patients=300, sites=50, shape=2, rate=4)
    assert time.shape == 100
    assert time.mean == pytest.approx(300 * 4 / 99, rel=1e-15)
    assert time.mean is not None
    assert round(time.mean, 4) == 12.1212


@pytest.mark.parametrize("t", [8.0, 11.0, 12.1212, 14.0, 18.0])
def test_cdf_matches_the_negative_binomial_sum(t):
    time = PooledRateTime.for_sites(patients=300, sites=50, shape=2, rate=4)
    assert time.cdf(t) == pytest.approx(nb_tail(300, 100.0, 4.0, t), abs=1e-12)


@pytest.mark.parametrize(("n", "shape", "rate", "t"), [(5, 3.0, 2.0, 2.5), (20, 12.0, 4.0, 6.0), (1, 2.5, 1.0, 0.3)])
def test_cdf_matches_numerical_integration_of_the_gamma_mixture(n, shape, rate, t):
    time = PooledRateTime(patients=n, shape=shape, rate=rate)
    assert time.cdf(t) == pytest.approx(mixture_cdf(n, shape, rate, t), abs=1e-6)


def test_mean_and_variance_match_integrals_of_the_survival_function():
    time = PooledRateTime(patients=30, shape=25.0, rate=3.0)
    grid = np.linspace(0.0, 60.0, 60001)
    survival = np.array([1.0 - nb_tail(30, 25.0, 3.0, t) if t > 0 else 1.0 for t in grid])
    mean = float(np.sum((survival[1:] + survival[:-1]) * np.diff(grid)) / 2)
    second = float(np.sum(((grid * survival)[1:] + (grid * survival)[:-1]) * np.diff(grid)))
    assert time.mean == pytest.approx(mean, rel=1e-6)
    assert time.variance == pytest.approx(second - mean**2, rel=1e-5)


def test_infinite_moments_are_none():
    assert PooledRateTime(patients=3, shape=1.0, rate=1.0).mean is None
    assert PooledRateTime(patients=3, shape=2.0, rate=1.0).variance is None
    assert PooledRateTime(patients=3, shape=2.5, rate=1.0).variance is not None


@given(pooled_rate_times(), st.floats(0.02, 0.98))
def test_quantile_inverts_the_cdf(time, level):
    quantile = time.quantile(level)
    assert math.isfinite(quantile)
    assert time.cdf(quantile) == pytest.approx(level, abs=1e-9)


@given(pooled_rate_times(), st.lists(st.floats(0.0, 500.0), min_size=2, max_size=10))
def test_cdf_is_monotone_in_time(time, times):
    values = [time.cdf(t) for t in sorted(times)]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert all(b >= a - 1e-14 for a, b in itertools.pairwise(values))


@given(
    st.integers(1, 500),
    st.integers(1, 100),
    st.floats(0.3, 5.0),
    st.floats(0.3, 10.0),
    st.floats(0.05, 0.95),
)
def test_more_sites_never_delay_the_expected_finish(patients, sites, shape, rate, level):
    fewer = PooledRateTime.for_sites(patients=patients, sites=sites, shape=shape, rate=rate)
    more = PooledRateTime.for_sites(patients=patients, sites=sites + 1, shape=shape, rate=rate)
    if fewer.mean is not None:
        assert more.mean is not None
        assert more.mean <= fewer.mean
    assert more.quantile(level) <= fewer.quantile(level) * (1 + 1e-9)


@given(known_rate_times(), st.floats(0.02, 0.98))
def test_known_rate_quantile_inverts_the_gamma_cdf(time, level):
    assert time.cdf(time.quantile(level)) == pytest.approx(level, abs=1e-9)


@pytest.mark.parametrize(("n", "rate", "t"), [(1, 2.0, 0.7), (10, 3.0, 2.9), (300, 25.0, 12.0), (50, 0.5, 130.0)])
def test_known_rate_cdf_is_the_poisson_tail(n, rate, t):
    assert KnownRateTime(patients=n, rate=rate).cdf(t) == pytest.approx(poisson_tail(n, rate * t), abs=1e-11)


def test_known_rate_moments():
    time = KnownRateTime(patients=300, rate=25)
    assert time.mean == 12.0
    assert time.variance == pytest.approx(300 / 625)


@given(st.integers(1, 40), st.integers(1, 40), st.floats(0.0, 1.0))
def test_incomplete_beta_of_integers_is_a_binomial_tail(a, b, x):
    # I_x(a, b) = P(Binomial(a + b - 1, x) >= a) for whole a, b.
    total = a + b - 1
    tail = sum(math.comb(total, k) * x**k * (1 - x) ** (total - k) for k in range(a, total + 1))
    assert incomplete_beta(x, float(a), float(b)) == pytest.approx(tail, abs=1e-12)


@given(st.floats(0.01, 0.99), st.floats(0.1, 300.0), st.floats(0.1, 300.0))
def test_incomplete_beta_symmetry(x, a, b):
    assert incomplete_beta(x, a, b) == pytest.approx(1.0 - incomplete_beta(1.0 - x, b, a), abs=1e-12)


@given(st.integers(1, 60), st.floats(0.0, 120.0))
def test_incomplete_gamma_of_integers_is_a_poisson_tail(n, x):
    assert incomplete_gamma(float(n), x) == pytest.approx(poisson_tail(n, x) if x > 0 else 0.0, abs=1e-12)


def test_solve_increasing_returns_none_past_the_limit_and_low_if_already_reached():
    assert solve_increasing(lambda t: t, 5.0, low=0.0, high=1.0, limit=4.0) is None
    assert solve_increasing(lambda t: t, -1.0, low=0.0, high=1.0, limit=4.0) == 0.0


@settings(max_examples=10)
@given(st.sampled_from([0, -1.0, "nan", "inf", True, "abc", None]))
def test_bad_parameters_are_refused_with_their_path(value):
    with pytest.raises(ValidationError) as error:
        PooledRateTime(patients=10, shape=value, rate=1)
    assert "shape" in str(error.value)


@pytest.mark.parametrize("level", [0, 1, -0.5, 1.5, "nan"])
def test_bad_levels_are_refused(level):
    with pytest.raises(CrokitError, match="level"):
        PooledRateTime(patients=10, shape=5, rate=1).quantile(level)


def test_a_quantile_beyond_any_horizon_is_refused_not_returned_as_infinity():
    with pytest.raises(ValidationError, match="beyond"):
        PooledRateTime(patients=10, shape=0.01, rate=1).quantile(0.99)


def test_quantile_is_fast_enough_for_interactive_use():
    # Not a timing test (see benchmarks/bench_forecast.py); only that it needs few evaluations.
    calls = 0
    time = PooledRateTime.for_sites(patients=1000, sites=200, shape=1.2, rate=3)
    original = time.cdf

    def counting(t: float) -> float:
        nonlocal calls
        calls += 1
        return original(t)

    solve_increasing(counting, 0.9, low=0.0, high=10.0, limit=1e12, tolerance=1e-12)
    assert calls < 80
