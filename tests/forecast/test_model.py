"""The enrolment model's values: validation, thinning, the calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit.errors import CrokitError, ValidationError
from crokit.forecast import (
    ActivateAt,
    ActivationList,
    ActivationWindow,
    EnrolmentModel,
    SiteGroup,
    date_at,
    months_between,
)
from crokit.testing import enrolment_models, site_groups

START = dt.date(2027, 1, 1)


def group(**changes: object) -> SiteGroup:
    values: dict[str, Any] = {"id": "us", "sites": 10, "shape": 2, "rate": 4}
    values.update(changes)
    return SiteGroup(**values)


@pytest.mark.parametrize(("field", "value"), [("shape", 0), ("shape", -1), ("rate", 0), ("rate", "-0.5")])
def test_shape_or_rate_not_above_zero_is_refused(field, value):
    with pytest.raises(ValidationError) as error:
        group(**{field: value})
    assert error.value.problems[0].path == field
    assert "above 0" in str(error.value)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), True, "two", None, [2]])
def test_non_numbers_are_refused(value):
    with pytest.raises(ValidationError, match="shape"):
        group(shape=value)


def test_numbers_are_accepted_as_int_decimal_fraction_or_text():
    from decimal import Decimal
    from fractions import Fraction

    assert group(shape=Decimal("2.5")).shape == 2.5
    assert group(shape=Fraction(5, 2)).shape == 2.5
    assert group(shape="5/2").shape == 2.5


def test_window_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValidationError) as error:
        ActivationWindow(first=6, last=2)
    assert error.value.problems[0].path == "last"
    assert "ends" in str(error.value)


def test_activation_list_needs_one_month_per_site():
    with pytest.raises(ValidationError, match=r"activation\.months"):
        group(sites=3, activation=ActivationList(months=(0, 1)))


def test_negative_or_huge_activation_months_are_refused():
    with pytest.raises(ValidationError, match=r"months\[1\]"):
        ActivationList(months=(0, -1))
    with pytest.raises(ValidationError, match="month"):
        ActivateAt(month=5000)


def test_duplicate_group_ids_are_refused():
    with pytest.raises(ValidationError, match=r"groups\[1\]\.id"):
        EnrolmentModel(start=START, target=10, groups=(group(), group()))


@pytest.mark.parametrize(("field", "value"), [("screen_failure", 1), ("dropout", -0.1), ("screen_failure", "1.5")])
def test_probabilities_must_be_below_one(field, value):
    with pytest.raises(ValidationError, match=field):
        EnrolmentModel(start=START, target=10, groups=(group(),), **{field: value})


def test_more_patients_than_the_sites_can_plausibly_reach_is_refused():
    # 10 sites x 0.5 patients a month x 24 months = 120 expected by the horizon.
    with pytest.raises(ValidationError) as error:
        EnrolmentModel(start=START, target=121, groups=(group(),), horizon_months=24)
    assert error.value.problems[0].path == "target"
    assert "120.0" in str(error.value)
    assert EnrolmentModel(start=START, target=120, groups=(group(),), horizon_months=24).target == 120


def test_screen_failures_thin_the_rate():
    model = EnrolmentModel(start=START, target=10, groups=(group(),), screen_failure="0.2")
    assert model.randomisation_rate(model.groups[0]) == pytest.approx(5.0)
    assert model.expected_randomised(12) == pytest.approx(10 * 0.5 * 0.8 * 12)


def test_expected_exposure_of_a_window():
    window = ActivationWindow(first=2, last=6)
    assert window.mean_exposure(1) == 0
    assert window.mean_exposure(4) == pytest.approx(0.5)  # (4 - 2)**2 / (2 * 4)
    assert window.mean_exposure(10) == pytest.approx(6)


def test_site_ids():
    model = EnrolmentModel(start=START, target=10, groups=(group(sites=2), group(id="de", sites=1)))
    assert model.site_ids == ("us/1", "us/2", "de/1")
    assert model.sites == 3


@given(enrolment_models())
def test_drawn_models_are_valid_and_reachable(model):
    assert model.expected_randomised(model.horizon_months) >= model.target


@given(site_groups())
def test_drawn_groups_round_trip_through_evolve(site_group):
    import attrs

    assert attrs.evolve(site_group) == site_group


@given(st.dates(dt.date(2000, 1, 1), dt.date(2060, 1, 1)), st.dates(dt.date(2000, 1, 1), dt.date(2080, 1, 1)))
def test_a_date_survives_months_and_back(start, day):
    if day < start:
        start, day = day, start
    assert date_at(start, months_between(start, day)) == day


@given(st.dates(dt.date(2000, 1, 1), dt.date(2060, 1, 1)), st.floats(0.0, 600.0))
def test_months_survive_a_date_and_back_to_the_day(start, months):
    back = months_between(start, date_at(start, months))
    assert abs(back - months) <= 0.5 / 28 + 1e-12


def test_calendar_examples():
    assert date_at(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert date_at(START, 12) == dt.date(2028, 1, 1)
    assert months_between(START, dt.date(2027, 3, 16)) == pytest.approx(2 + 15 / 31)
    with pytest.raises(CrokitError, match="day"):
        months_between(START, dt.date(2026, 12, 31))
    with pytest.raises(CrokitError, match="months"):
        date_at(START, -1)


def test_window_from_dates():
    window = ActivationWindow.from_dates(START, dt.date(2027, 2, 1), dt.date(2027, 7, 1))
    assert (window.first, window.last) == (1.0, 6.0)
    assert ActivationList.from_dates(START, (dt.date(2027, 4, 1),)).months == (3.0,)
