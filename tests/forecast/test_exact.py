"""Exact evaluation under staggered activation, against closed forms and independent convolutions."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crokit import Milestone
from crokit.errors import ValidationError
from crokit.forecast import (
    ActivateAt,
    ActivationList,
    ActivationWindow,
    EnrolmentModel,
    PooledRateTime,
    SiteGroup,
    _exact,
    forecast_enrolment,
    probability_enrolled,
)
from crokit.forecast._exact import Component, count_pmf, milestone_times
from crokit.testing import enrolment_models

START = dt.date(2027, 1, 1)


def nb_pmf(n: int, shape: float, rate: float, exposure: float) -> np.ndarray:
    """NB(shape, rate / (rate + exposure)) probabilities of 0..n-1, term by term with lgamma."""
    if exposure <= 0:
        point = np.zeros(n)
        point[0] = 1.0
        return point
    log_p, log_q = math.log(rate / (rate + exposure)), math.log(exposure / (rate + exposure))
    return np.array(
        [
            math.exp(math.lgamma(k + shape) - math.lgamma(shape) - math.lgamma(k + 1) + shape * log_p + k * log_q)
            for k in range(n)
        ]
    )


def test_exact_evaluation_reproduces_the_closed_form():
    pooled = PooledRateTime(patients=300, shape=100.0, rate=4.0)
    parts = [Component(shape=100.0, rate=4.0, first=0.0, last=0.0)]
    found = milestone_times(parts, [(300, 0.1), (300, 0.5), (300, 0.9), (150, 0.5)], low=0.0, high=12.0)
    expected = [pooled.quantile(0.1), pooled.quantile(0.5), pooled.quantile(0.9)]
    expected.append(PooledRateTime(patients=150, shape=100.0, rate=4.0).quantile(0.5))
    assert found == pytest.approx(expected, abs=2e-6)


def test_sites_split_into_many_components_give_the_pooled_law():
    parts = [Component(shape=2.0, rate=4.0, first=0.0, last=0.0) for _ in range(50)]
    pmf = count_pmf(parts, np.array([6.0, 12.0]), 300)
    assert 1 - pmf[:, 1].sum() == pytest.approx(
        PooledRateTime(patients=300, shape=100.0, rate=4.0).cdf(12.0), abs=1e-10
    )


def test_staggered_groups_match_a_direct_convolution():
    parts = [
        Component(shape=12.0, rate=3.0, first=0.0, last=0.0),
        Component(shape=5.0, rate=1.5, first=2.5, last=2.5),
        Component(shape=8.0, rate=6.0, first=4.0, last=4.0),
    ]
    n, t = 120, 9.0
    direct = np.eye(1, n)[0]
    for part in parts:
        direct = np.convolve(direct, nb_pmf(n, part.shape, part.rate, t - part.first))[:n]
    assert count_pmf(parts, np.array([t]), n)[:, 0] == pytest.approx(direct, abs=1e-13)


def test_the_recursion_does_not_overflow_for_large_counts():
    parts = [
        Component(shape=400.0, rate=2.0, first=0.0, last=0.0),
        Component(shape=50.0, rate=1.0, first=3.0, last=3.0),
    ]
    pmf = _exact._fixed_pmf(parts, np.array([1.0, 10.0, 40.0]), 3000)
    assert np.isfinite(pmf).all()
    direct = np.convolve(nb_pmf(3000, 400.0, 2.0, 10.0), nb_pmf(3000, 50.0, 1.0, 7.0))[:3000]
    assert pmf[:, 1] == pytest.approx(direct, abs=1e-12)


@given(
    st.lists(st.tuples(st.floats(0.2, 30.0), st.floats(0.2, 8.0), st.floats(0.0, 12.0)), min_size=1, max_size=6),
    st.floats(0.0, 30.0),
    st.integers(1, 300),
)
def test_the_recursion_and_the_fft_convolution_agree(laws, t, n):
    parts = [Component(shape=a, rate=b, first=u, last=u) for a, b, u in laws]
    times = np.array([t])
    size = 1 << (2 * n - 1).bit_length()
    by_fft = _exact._nb_pmf(parts[0].shape, parts[0].rate, np.maximum(times - parts[0].first, 0.0), n)
    for part in parts[1:]:
        pmf = _exact._nb_pmf(part.shape, part.rate, np.maximum(times - part.first, 0.0), n)
        by_fft = _exact._convolve(by_fft, pmf, n, size)
    assert _exact._fixed_pmf(parts, times, n) == pytest.approx(by_fft, abs=1e-12)


def test_window_quadrature_agrees_with_a_much_finer_rule(monkeypatch):
    parts = [
        Component(shape=1.5, rate=3.0, first=0.0, last=6.0, sites=40),
        Component(shape=20.0, rate=4.0, first=1.0, last=1.0),
    ]
    times = np.array([0.5, 3.0, 6.0, 9.0])
    coarse = count_pmf(parts, times, 200)
    monkeypatch.setattr(_exact, "QUADRATURE_NODES", 400)
    fine = count_pmf(parts, times, 200)
    assert 1 - coarse.sum(axis=0) == pytest.approx(1 - fine.sum(axis=0), abs=1e-10)


def test_a_window_of_one_site_matches_direct_integration():
    part = Component(shape=2.0, rate=1.0, first=1.0, last=5.0)
    t, n = 4.0, 12
    grid = np.linspace(1.0, 4.0, 30001)
    values = np.array([nb_pmf(n, 2.0, 1.0, t - u) for u in grid])
    integral = np.sum((values[1:] + values[:-1]) * np.diff(grid)[:, None], axis=0) / 2 / 4.0
    integral[0] += 1.0 / 4.0  # the quarter of the window after t: not yet open
    assert count_pmf([part], np.array([t]), n)[:, 0] == pytest.approx(integral, abs=1e-7)


def test_the_same_sites_as_a_list_or_at_one_month_forecast_the_same():
    at_once = EnrolmentModel(
        start=START, target=60, groups=(SiteGroup(id="a", sites=3, shape=2, rate=1, activation=ActivateAt(month=2)),)
    )
    listed = attrs.evolve(
        at_once, groups=(attrs.evolve(at_once.groups[0], activation=ActivationList(months=(2, 2, 2))),)
    )
    assert forecast_enrolment(at_once) == forecast_enrolment(listed)


def test_issue_example_450_patients_at_90_sites_activating_over_six_months():
    model = EnrolmentModel(
        start=START,
        target=450,
        groups=(SiteGroup(id="all", sites=90, shape="1.5", rate=3, activation=ActivationWindow(first=0, last=6)),),
    )
    forecast = forecast_enrolment(model)
    assert forecast.method == "exact"
    last = forecast.last_patient_in
    assert [q.level for q in last.quantiles] == [0.1, 0.5, 0.9]
    assert 0 < last.at(0.1).month < last.at(0.5).month < last.at(0.9).month
    for quantile in last.quantiles:
        assert probability_enrolled(model, quantile.month) == pytest.approx(quantile.level, abs=1e-5)
    # expected count at month 6: 90 sites x 0.5 a month x 3 months open on average
    assert forecast.curve[5].expected == pytest.approx(135.0, abs=1e-6)


def test_forecast_fields():
    model = EnrolmentModel(
        start=START,
        target=300,
        groups=(SiteGroup(id="us", sites=50, shape=2, rate=4),),
        screen_failure="0.25",
        dropout="0.1",
    )
    forecast = forecast_enrolment(model, levels=(0.25, 0.75))
    assert forecast.expected_screened == pytest.approx(400)
    assert forecast.expected_completed == pytest.approx(270)
    assert forecast.half_enrolled.patients == 150
    assert forecast.first_patient_in.patients == 1
    # thinning: randomised rate Gamma(2, 4 / 0.75) per site
    assert forecast.last_patient_in.mean == pytest.approx(300 * (4 / 0.75) / 99)
    assert [q.level for q in forecast.last_patient_in.quantiles] == [0.25, 0.75]
    assert forecast.curve[-1].high == 300
    assert forecast.curve[-1].month >= forecast.last_patient_in.at(0.75).month


@settings(max_examples=8, deadline=None)
@given(
    enrolment_models(max_groups=2, max_sites=6, max_target=40), st.lists(st.floats(0.0, 150.0), min_size=2, max_size=6)
)
def test_probability_of_reaching_the_target_is_monotone_in_time(model, times):
    values = [probability_enrolled(model, t) for t in sorted(times)]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert all(b >= a - 1e-12 for a, b in itertools.pairwise(values))


@settings(max_examples=8, deadline=None)
@given(
    enrolment_models(max_groups=2, max_sites=6, max_target=40, min_shape=2.0), st.floats(0.0, 24.0), st.floats(0.3, 5.0)
)
def test_more_sites_never_delay_the_expected_finish_under_staggered_activation(model, month, shape):
    extra = SiteGroup(id="extra", sites=1, shape=shape, rate=2, activation=ActivateAt(month=month))
    bigger = attrs.evolve(model, groups=(*model.groups, extra))
    before = forecast_enrolment(model).last_patient_in
    after = forecast_enrolment(bigger).last_patient_in
    for old, new in zip(before.quantiles, after.quantiles, strict=True):
        assert new.month <= old.month + 2e-6


@settings(max_examples=10, deadline=None)
@given(enrolment_models(max_groups=2, max_sites=5, max_target=30, min_shape=2.0))
def test_no_nan_or_infinity_reaches_a_forecast(model):
    forecast = forecast_enrolment(model)
    numbers = [q.month for m in forecast.milestones for q in m.quantiles]
    numbers += [p.expected for p in forecast.curve] + [forecast.probability_by_horizon]
    assert all(math.isfinite(x) for x in numbers)
    for milestone in forecast.milestones:
        months = [q.month for q in milestone.quantiles]
        assert months == sorted(months)
    fpi, half, last = (m.at(0.5).month for m in forecast.milestones)
    assert fpi <= half + 2e-6
    assert half <= last + 2e-6
    assert forecast.first_patient_in.milestone is Milestone.FIRST_PATIENT_IN


def test_bad_levels_and_bands_are_refused():
    model = EnrolmentModel(start=START, target=10, groups=(SiteGroup(id="us", sites=5, shape=2, rate=4),))
    with pytest.raises(ValidationError, match=r"levels\[1\]"):
        forecast_enrolment(model, levels=(0.5, 0.4))
    with pytest.raises(ValidationError, match="band"):
        forecast_enrolment(model, band=(0.1, 0.5, 0.9))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="patients"):
        probability_enrolled(model, 3.0, patients=0)


def test_probability_by_a_date():
    model = EnrolmentModel(start=START, target=300, groups=(SiteGroup(id="us", sites=50, shape=2, rate=4),))
    assert probability_enrolled(model, dt.date(2028, 1, 1)) == pytest.approx(
        PooledRateTime(patients=300, shape=100, rate=4).cdf(12.0)
    )


@pytest.mark.parametrize("staggered", [False, True])
def test_a_quantile_beyond_a_thousand_years_is_refused_not_reported(staggered):
    groups = [SiteGroup(id="a", sites=1, shape="0.1", rate=1)]
    if staggered:
        groups.append(SiteGroup(id="b", sites=1, shape="0.1", rate=1, activation=ActivateAt(month=1)))
    model = EnrolmentModel(start=START, target=2, groups=tuple(groups), horizon_months=40)
    with pytest.raises(ValidationError) as error:
        forecast_enrolment(model)
    assert error.value.problems[0].path == "levels"
    assert "1,000 years" in str(error.value)
    assert forecast_enrolment(model, levels=(0.1, 0.3), band=(0.1, 0.3)).last_patient_in.at(0.3).month < 12_000
