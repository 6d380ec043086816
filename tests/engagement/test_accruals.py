"""Accruals, variance and the estimate at completion, on the demo's Helix CRO budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import Money, ValidationError, evaluate
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.engagement.accruals import FixedFeeRule, engagement_status
from crokit.engagement.actuals import Actuals, Invoice, InvoiceLine, MilestoneReached, WorkDone
from crokit.errors import CrokitError, UnknownCurrencyError
from crokit.serialization import dumps, loads
from crokit.testing._engagement import actuals, invoices, milestones_reached, work_done

SCENARIO = demo_scenario()
START = SCENARIO.study.start_date
_PRICED = evaluate(SCENARIO, seed=DEMO_SEED).candidate("helix-cro").budget
assert _PRICED is not None
BUDGET = _PRICED


def usd(text: str) -> Money:
    return Money(text, "USD")


def work(month: str, basis: str, quantity: str, service: str | None = None) -> WorkDone:
    return WorkDone(month=month, basis=basis, quantity=quantity, service=service)


ACTUALS = Actuals(
    as_of=dt.date(2027, 6, 30),
    work=[
        work("2027-02", "per-site", "5"),
        work("2027-03", "per-site", "6"),
        *(work(f"2027-0{m}", "per-monitoring-visit", "8") for m in range(1, 7)),
        work("2027-05", "per-patient-visit", "10"),
        work("2027-06", "per-patient-visit", "14"),
        work("2027-06", "per-page", "300", "crokit:data-management"),
    ],
    milestones=[
        MilestoneReached(milestone="contract-signed", on=dt.date(2027, 1, 4)),
        MilestoneReached(milestone="first-patient-in", on=dt.date(2027, 5, 10)),
    ],
    invoices=[
        Invoice(
            number="HX-0001",
            issued=dt.date(2027, 2, 1),
            currency="USD",
            lines=[
                InvoiceLine(
                    service="crokit:on-site-monitoring",
                    basis="per-monitoring-visit",
                    quantity="8",
                    unit_price=usd("1950.00"),
                    amount=usd("15600.00"),
                ),
                InvoiceLine(
                    service="crokit:regulatory-submissions",
                    quantity="1",
                    unit_price=usd("54000.00"),
                    amount=usd("54000.00"),
                ),
            ],
            paid_on=dt.date(2027, 3, 15),
        ),
        Invoice(
            number="HX-0002",
            issued=dt.date(2027, 6, 1),
            currency="USD",
            lines=[
                InvoiceLine(
                    service="crokit:pass-through-expenses",
                    basis="pass-through",
                    quantity="1",
                    unit_price=usd("4321.10"),
                    amount=usd("4321.01"),
                ),
                InvoiceLine(
                    service="crokit:medical-writing", quantity="1", unit_price=usd("100.00"), amount=usd("100.00")
                ),
            ],
        ),
    ],
)


def line(status, description):
    (found,) = [item for item in status.lines if item.description == description]
    return found


def test_lines_are_earned_by_their_rules() -> None:
    status = engagement_status(BUDGET, ACTUALS, start=START)
    assert line(status, "On-site monitoring visits").earned_to_date == usd("91200.00")  # 48 x 1900
    assert line(status, "On-site monitoring visits").units_to_date == 48
    assert line(status, "Investigator grants: site start-up").earned_to_date == usd("55000.00")  # 11 x 5000
    assert line(status, "Investigator grants: patient visits (10% held back to close-out)").earned_to_date == usd(
        "30000.00"
    )
    assert line(status, "Data management per CRF page").earned_to_date == usd("1500.00")
    signed = "Study start-up and regulatory submissions (fixed fee): Contract signed"
    lock = "Study start-up and regulatory submissions (fixed fee): Database lock"
    assert line(status, signed).earned_to_date == usd("54000.00")
    assert line(status, lock).earned_to_date == usd("0.00")
    assert line(status, lock).rule == "Database lock not reached"
    travel = line(status, "Travel, lab kits and couriers")
    assert travel.earned_to_date == usd("4321.01")
    assert travel.rule == "pass-through: as invoiced, at cost"
    fee = line(status, "Management fee on Travel, lab kits and couriers")
    assert fee.rule.startswith("follows the work")


def test_accrued_this_month_is_the_change_in_earned_to_date() -> None:
    status = engagement_status(BUDGET, ACTUALS, start=START)
    may = Actuals(
        as_of=dt.date(2027, 5, 31),
        work=[w for w in ACTUALS.work if w.month.month <= 5],
        milestones=ACTUALS.milestones,
        invoices=ACTUALS.invoices[:1],
    )
    assert (
        status.accrued_this_month == status.earned_to_date - engagement_status(BUDGET, may, start=START).earned_to_date
    )
    assert line(status, "On-site monitoring visits").earned_this_month == usd("15200.00")  # 8 visits in June
    assert line(status, "Travel, lab kits and couriers").earned_this_month == usd("4321.01")  # invoiced in June


def test_variance_adds_up_and_rate_variance_comes_from_invoices() -> None:
    status = engagement_status(BUDGET, ACTUALS, start=START)
    for variance in status.services:
        assert variance.planned + variance.volume + variance.timing_and_other == variance.earned
    (monitoring,) = [v for v in status.services if v.service == "crokit:on-site-monitoring"]
    assert monitoring.rate == usd("400.00")  # 8 visits invoiced at 50 above the contract
    assert monitoring.invoiced == usd("15600.00")


def test_invoices_are_checked_line_by_line() -> None:
    status = engagement_status(BUDGET, ACTUALS, start=START)
    messages = [(f.invoice, f.line, f.message) for f in status.invoice_findings]
    assert messages == [
        (
            "HX-0001",
            0,
            (
                "crokit:on-site-monitoring charged at 1,950.00 USD per-monitoring-visit; "
                "the contract says 1,900.00 USD, 1,957.00 USD"
            ),
        ),
        ("HX-0002", 0, "amount 4,321.01 USD is not 1 x 4,321.10 USD = 4,321.10 USD"),
        ("HX-0002", 1, "crokit:medical-writing is not in the contract"),
    ]
    assert status.invoiced_to_date == usd("74021.01")
    assert status.paid_to_date == usd("69600.00")


def test_estimates_at_completion() -> None:
    status = engagement_status(BUDGET, ACTUALS, start=START)
    remaining = sum(
        (part.amount for item in BUDGET.lines for month, part in item.monthly().items() if month > 5), Decimal(0)
    )
    assert status.eac_plan == status.earned_to_date + usd(str(remaining))
    # Monitoring's remaining 139 visits at the observed 1950.00 instead of 1900.00.
    assert line(status, "On-site monitoring visits").remaining_at_observed == usd("271050.00")
    assert status.eac_observed != status.eac_plan


def test_percent_complete_rule_for_fixed_fees() -> None:
    status = engagement_status(BUDGET, ACTUALS, start=START, fixed_fees=FixedFeeRule.PERCENT_COMPLETE)
    assert line(
        status, "Study start-up and regulatory submissions (fixed fee): First patient in"
    ).earned_to_date == usd("72000.00")
    assert line(status, "Study start-up and regulatory submissions (fixed fee): Database lock").earned_to_date == usd(
        "0.00"
    )


@given(st.integers(min_value=0, max_value=27))
def test_monthly_accruals_add_up_to_the_cumulative_one(months: int) -> None:
    total = Money.zero("USD")
    last = None
    for month in range(months + 1):
        as_of = (dt.date(2027, 1, 1) + dt.timedelta(days=31 * month)).replace(day=28)
        actuals = Actuals(
            as_of=as_of,
            work=[w for w in ACTUALS.work if w.month <= as_of],
            milestones=[m for m in ACTUALS.milestones if m.on <= as_of],
        )
        last = engagement_status(BUDGET, actuals, start=START)
        total = total + last.accrued_this_month
    assert last is not None
    assert total == last.earned_to_date


@pytest.mark.parametrize(
    ("build", "path"),
    [
        (lambda: Actuals(as_of=dt.date(2027, 6, 30), work=[work("2027-07", "per-site", "1")]), "work[0].month"),
        (
            lambda: Actuals(
                as_of=dt.date(2027, 6, 30),
                milestones=[MilestoneReached(milestone="first-patient-in", on=dt.date(2027, 7, 1))],
            ),
            "milestones[0].on",
        ),
        (
            lambda: Actuals(as_of=dt.date(2027, 6, 30), invoices=[ACTUALS.invoices[0], ACTUALS.invoices[0]]),
            "invoices[1].number",
        ),
        (lambda: work("2027-13", "per-site", "1"), "month"),
        (lambda: work("2027-01", "per-visit", "1"), "basis"),
        (lambda: work("2027-01", "per-site", "-1"), "quantity"),
        (lambda: MilestoneReached(milestone="fpi", on=dt.date(2027, 1, 1)), "milestone"),
    ],
)
def test_refusals_name_their_path(build, path) -> None:
    with pytest.raises(ValidationError) as caught:
        build()
    assert caught.value.problems[0].path == path


def test_unknown_currency_and_floats_are_refused() -> None:
    with pytest.raises(UnknownCurrencyError):
        Invoice(number="1", issued=dt.date(2027, 1, 1), currency="XYZ", lines=[])
    with pytest.raises(CrokitError):
        work("2027-01", "per-site", 1.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="invoice's currency"):
        Invoice(number="1", issued=dt.date(2027, 1, 1), currency="EUR", lines=[ACTUALS.invoices[0].lines[0]])


@pytest.mark.parametrize("fmt", ["json", "toml", "yaml"])
def test_actuals_round_trip(fmt) -> None:
    assert loads(dumps(ACTUALS, fmt), Actuals, fmt) == ACTUALS


@pytest.mark.parametrize("fmt", ["json", "toml", "yaml"])
@given(value=actuals() | invoices() | work_done() | milestones_reached())
def test_drawn_actuals_round_trip(fmt, value) -> None:
    assert loads(dumps(value, fmt), type(value), fmt) == value
