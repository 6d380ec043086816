"""Result values refuse NaN, infinity and disorder."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given

from crokit import Milestone
from crokit.errors import ValidationError
from crokit.forecast import CurvePoint, EnrolmentForecast, MilestoneForecast, Quantile
from crokit.testing import curve_points, enrolment_forecasts, milestone_forecasts, quantiles, reprojections

DAY = dt.date(2027, 1, 1)


@pytest.mark.parametrize("month", [float("nan"), float("inf"), -1.0])
def test_a_quantile_refuses_nan_infinity_and_negative_months(month):
    with pytest.raises(ValidationError, match="month"):
        Quantile(level=0.5, month=month, date=DAY)


@pytest.mark.parametrize("level", [0.0, 1.0, float("nan")])
def test_a_quantile_refuses_levels_outside_0_1(level):
    with pytest.raises(ValidationError, match="level"):
        Quantile(level=level, month=1.0, date=DAY)


def test_quantiles_must_be_in_order():
    q1 = Quantile(level=0.1, month=5.0, date=DAY)
    q9 = Quantile(level=0.9, month=4.0, date=DAY)
    with pytest.raises(ValidationError, match="quantiles"):
        MilestoneForecast(milestone=Milestone.LAST_PATIENT_IN, patients=3, quantiles=(q1, q9))
    with pytest.raises(ValidationError, match="quantiles"):
        MilestoneForecast(milestone=Milestone.LAST_PATIENT_IN, patients=3, quantiles=(q9, q1))


def test_missing_level_and_milestone_are_named():
    forecast = MilestoneForecast(
        milestone=Milestone.LAST_PATIENT_IN, patients=3, quantiles=(Quantile(level=0.5, month=1.0, date=DAY),)
    )
    with pytest.raises(ValidationError, match=r"computed: 0\.5"):
        forecast.at(0.9)
    whole = EnrolmentForecast(
        method="exact",
        target=3,
        milestones=(forecast,),
        curve=(),
        horizon_month=12.0,
        probability_by_horizon=1.0,
        expected_screened=3.0,
        expected_completed=3.0,
    )
    with pytest.raises(ValidationError, match="First patient in"):
        _ = whole.first_patient_in


def test_curve_band_in_order_and_probability_at_most_one():
    with pytest.raises(ValidationError, match="low"):
        CurvePoint(month=1, date=DAY, expected=3.0, low=5, high=4)
    with pytest.raises(ValidationError, match="probability_by_horizon"):
        EnrolmentForecast(
            method="exact",
            target=3,
            milestones=(),
            curve=(),
            horizon_month=12.0,
            probability_by_horizon=1.5,
            expected_screened=3.0,
            expected_completed=3.0,
        )
    with pytest.raises(ValidationError, match="method"):
        EnrolmentForecast(
            method="guess",
            target=3,
            milestones=(),
            curve=(),
            horizon_month=12.0,
            probability_by_horizon=0.5,
            expected_screened=3.0,
            expected_completed=float("nan"),
        )


@given(quantiles(), milestone_forecasts(), curve_points())
def test_drawn_values_are_valid(quantile, milestone, point):
    assert math.isfinite(quantile.month)
    assert milestone.quantiles == tuple(sorted(milestone.quantiles, key=lambda q: q.level))
    assert point.low <= point.high


@given(enrolment_forecasts())
def test_drawn_forecasts_have_no_nan(forecast):
    assert all(math.isfinite(q.month) for m in forecast.milestones for q in m.quantiles)


@given(reprojections())
def test_drawn_reprojections_start_at_the_census(reprojection):
    assert reprojection.last_patient_in.quantiles[0].month >= reprojection.census_month - 1e-9
    assert reprojection.remaining >= 1


def test_posteriors_and_simulation_fields_are_checked():
    from crokit.forecast import SitePosterior

    with pytest.raises(ValidationError, match="rate"):
        SitePosterior(site="us/1", observed=0, months_open=0.0, shape=2.0, rate=0.0)
    with pytest.raises(ValidationError, match="seed"):
        EnrolmentForecast(
            method="simulation",
            target=3,
            milestones=(),
            curve=(),
            horizon_month=12.0,
            probability_by_horizon=0.5,
            expected_screened=3.0,
            expected_completed=3.0,
            trials=10,
            seed=0,
        )
