"""Actuals from CSV, every problem with its row and column."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crokit import Money, ValidationError
from crokit.engagement.tables import read_actuals_csv

GOOD = """record,month,basis,quantity,service,milestone,date,invoice,currency,unit_price,amount,paid_on,description
work,2027-02,per-site,5,,,,,,,,,
work,2027-06,per-page,300,crokit:data-management,,,,,,,,
milestone,,,,,first-patient-in,2027-05-10,,,,,,
invoice,,per-monitoring-visit,8,crokit:on-site-monitoring,,2027-06-01,HX-1,USD,1900.00,15200.00,2027-07-01,June visits
invoice,,,1,crokit:regulatory-submissions,,2027-06-01,HX-1,USD,54000.00,54000.00,2027-07-01,
"""


def test_a_good_file_reads_exactly() -> None:
    actuals = read_actuals_csv(GOOD, as_of=dt.date(2027, 7, 31))
    assert [(w.month, w.basis.value, w.quantity, w.service) for w in actuals.work] == [
        (dt.date(2027, 2, 1), "per-site", Decimal(5), None),
        (dt.date(2027, 6, 1), "per-page", Decimal(300), "crokit:data-management"),
    ]
    assert actuals.milestones[0].on == dt.date(2027, 5, 10)
    (invoice,) = actuals.invoices
    assert invoice.number == "HX-1"
    assert invoice.total == Money("69200.00", "USD")
    assert invoice.lines[0].description == "June visits"
    assert invoice.paid_on == dt.date(2027, 7, 1)


def test_every_problem_is_reported_with_its_row_and_column() -> None:
    bad = """record,month,basis,quantity,service,milestone,date,invoice,currency,unit_price,amount,paid_on
work,2027-02,per-site,-3,,,,,,,,
work,2027-02,per-visit,1,,,,,,,,
work,,per-site,1,,,,,,,,
visit,,,,,,,,,,,
milestone,,,,,fpi,2027-05-10,,,,,
invoice,,,1,crokit:regulatory-submissions,,2027-06-01,HX-1,USD,TBD,54000.00,
invoice,,,1,crokit:regulatory-submissions,,2027-06-02,HX-2,USD,1.00,1.00,
invoice,,,1,crokit:regulatory-submissions,,2027-06-03,HX-2,USD,1.00,1.00,
work,2027-02,per-site,1.5,,,,,,,,,extra
"""
    with pytest.raises(ValidationError) as caught:
        read_actuals_csv(bad, as_of=dt.date(2027, 7, 31))
    assert [p.path for p in caught.value.problems] == [
        "row 2, quantity",
        "row 3, basis",
        "row 4, month",
        "row 5, record",
        "row 6, milestone",
        "row 7, unit_price",
        "row 9, date",
        "row 10",
    ]


def test_nothing_may_be_dated_after_the_as_of_date() -> None:
    with pytest.raises(ValidationError) as caught:
        read_actuals_csv(GOOD, as_of=dt.date(2027, 5, 31))
    assert {p.path for p in caught.value.problems} == {"work[1].month", "invoices[0].issued", "invoices[0].paid_on"}


def test_a_file_without_a_record_column_is_refused() -> None:
    with pytest.raises(ValidationError, match="'record' column"):
        read_actuals_csv("month,basis\n2027-01,per-site\n", as_of=dt.date(2027, 1, 31))
    assert read_actuals_csv(
        "\ufeffrecord,month,basis,quantity\nwork,2027-01,per-site,1\n", as_of=dt.date(2027, 1, 31)
    ).work
