"""Tests written to kill the mutants of crokit.schedule.currency (and the decorated functions of schedule).

They pin what a converted schedule holds, worked by hand: the rate of each due date, one
rounding per due date, the holdback retained shown at the rate of its release and split
by the largest remainders, the order of payments that tie, the labels, the refusals and
the words of the fallback warning. See mutation/results-schedule-rest.md for the mutants
each test kills.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from crokit import FxRate, FxTable, Milestone, Money, Stage, ValidationError
from crokit.pricing import (
    Budget,
    Conversion,
    CostBucket,
    FixedFee,
    FxPurpose,
    LineItem,
    MilestonePayment,
    PricingKind,
)
from crokit.schedule import (
    BillingTerms,
    MilestonePlan,
    Payment,
    PaymentKind,
    PaymentSchedule,
    build_schedule,
    convert_schedule,
    fallback_warnings,
    schedule_in_currencies,
)

START = date(2027, 1, 4)
CSR = Milestone.CLINICAL_STUDY_REPORT


def _any(value: object) -> Any:
    """*value*, typed as anything: these tests pass wrong types on purpose."""
    return value


def _pay(
    due: date, amount: str, description: str, *, currency: str = "EUR", retained: str | None = None, **extra: Any
) -> Payment:
    fields: dict[str, Any] = {
        "due": due,
        "invoice_date": START,
        "amount": Money(amount, currency),
        "kind": PaymentKind.SERVICE_PERIOD,
        "description": description,
        "retained": None if retained is None else Money(retained, currency),
    }
    return Payment(**{**fields, **extra})


def _rate(quote: str, rate: str, as_of: date, base: str = "EUR") -> FxRate:
    return FxRate(base=base, quote=quote, rate=rate, as_of=as_of, source="test")


def _euro_schedule() -> PaymentSchedule:
    """Two payments due on one day, one due later, and the release of what both service invoices kept."""
    return PaymentSchedule(
        currency="EUR",
        contract_start=START,
        payments=[
            _pay(date(2027, 2, 3), "33.33", "Pass-through 2027-01", kind=PaymentKind.PASS_THROUGH),
            _pay(date(2027, 2, 3), "90.00", "Services 2027-01", retained="10.00", lines=[("crokit:cra", "Visits")]),
            _pay(date(2027, 3, 3), "45.00", "Services 2027-02", retained="5.00"),
            _pay(date(2027, 6, 1), "15.00", "Holdback released", kind=PaymentKind.HOLDBACK_RELEASE, milestone=CSR),
        ],
    )


FX = FxTable(
    rates=(
        _rate("USD", "1.1000", date(2027, 2, 3)),
        _rate("USD", "1.2000", date(2027, 3, 1)),
        _rate("USD", "1.3333", date(2027, 6, 1)),
        _rate("JPY", "160", date(2027, 1, 1)),
        _rate("JPY", "160.0667", date(2027, 6, 1)),
    )
)


def test_each_payment_is_converted_at_the_rate_of_its_due_date_and_labelled() -> None:
    converted, records = convert_schedule(_euro_schedule(), "USD", fx=FX)
    assert (converted.currency, converted.contract_start) == ("USD", START)
    assert [(p.due, p.description, p.amount, p.retained) for p in converted.payments] == [
        (date(2027, 2, 3), "Pass-through 2027-01 (paid in EUR)", Money("36.66", "USD"), None),
        # 10.00 and 5.00 EUR kept are shown at the release's rate: 20.00 USD split 13.33 / 6.67
        # (2000 cents x 10/15 = 1333.3, x 5/15 = 666.7: the cent left goes to the larger remainder).
        (date(2027, 2, 3), "Services 2027-01 (paid in EUR)", Money("99.00", "USD"), Money("13.33", "USD")),
        (date(2027, 3, 3), "Services 2027-02 (paid in EUR)", Money("54.00", "USD"), Money("6.67", "USD")),
        (date(2027, 6, 1), "Holdback released (paid in EUR)", Money("20.00", "USD"), None),
    ]
    # Everything but the amounts, the retained amounts and the descriptions is kept.
    original = _euro_schedule().payments
    for before, after in zip(original, converted.payments, strict=True):
        assert (after.invoice_date, after.kind, after.lines, after.milestone) == (
            before.invoice_date,
            before.kind,
            before.lines,
            before.milestone,
        )
    assert converted.holdback_retained == Money("20.00", "USD")
    assert [(r.pair, r.on, r.rate, r.rate_date, r.purpose, r.amount, r.converted) for r in records] == [
        (
            "EUR->USD",
            date(2027, 2, 3),
            Decimal("1.1000"),
            date(2027, 2, 3),
            FxPurpose.CASH_FLOW,
            Money("123.33", "EUR"),
            Money("135.66", "USD"),
        ),
        (
            "EUR->USD",
            date(2027, 3, 3),
            Decimal("1.2000"),
            date(2027, 3, 1),
            FxPurpose.CASH_FLOW,
            Money("45.00", "EUR"),
            Money("54.00", "USD"),
        ),
        (
            "EUR->USD",
            date(2027, 6, 1),
            Decimal("1.3333"),
            date(2027, 6, 1),
            FxPurpose.CASH_FLOW,
            Money("15.00", "EUR"),
            Money("20.00", "USD"),
        ),
    ]


def test_without_labels_the_descriptions_are_kept() -> None:
    converted, _ = convert_schedule(_euro_schedule(), "USD", fx=FX, label=False)
    assert [p.description for p in converted.payments] == [p.description for p in _euro_schedule().payments]


def test_a_holdback_converted_into_a_currency_without_decimals_is_split_in_whole_units() -> None:
    converted, records = convert_schedule(_euro_schedule(), "JPY", fx=FX)
    assert [(p.amount, p.retained) for p in converted.payments] == [
        (Money("5333", "JPY"), None),  # 33.33 x 160 = 5332.8, the yen left by 14400 + 5332.8 goes to it
        # 15.00 x 160.0667 = 2401.0005 -> 2401 yen released, split 1600.67 / 800.33 in whole yen.
        (Money("14400", "JPY"), Money("1601", "JPY")),
        (Money("7200", "JPY"), Money("800", "JPY")),
        (Money("2401", "JPY"), None),
    ]
    assert [r.converted for r in records] == [Money("19733", "JPY"), Money("7200", "JPY"), Money("2401", "JPY")]


def test_the_units_left_over_by_the_split_go_to_the_largest_remainders_then_in_order() -> None:
    # 0.03 EUR released at 2.3333 is 0.069999 -> 0.07 USD: 7 cents over three equal shares,
    # 2 each and the cent left to the first.
    payments = [
        _pay(date(2027, 2, 1), "1.00", "Services a", retained="0.01"),
        _pay(date(2027, 2, 1), "1.00", "Services b", retained="0.01"),
        _pay(date(2027, 2, 1), "1.00", "Services c", retained="0.01"),
        _pay(date(2027, 6, 1), "0.03", "Holdback released", kind=PaymentKind.HOLDBACK_RELEASE, milestone=CSR),
    ]
    schedule = PaymentSchedule(currency="EUR", contract_start=START, payments=payments)
    fx = FxTable(rates=(_rate("USD", "1", date(2027, 1, 1)), _rate("USD", "2.3333", date(2027, 6, 1))))
    converted, _ = convert_schedule(schedule, "USD", fx=fx)
    assert [p.retained for p in converted.payments[:3]] == [
        Money("0.03", "USD"),
        Money("0.02", "USD"),
        Money("0.02", "USD"),
    ]
    # 0.03 EUR released at 1.6667 is 0.050001 -> 0.05 USD over kept 0.01 and 0.02:
    # 5 cents x 1/3 = 1.67 and x 2/3 = 3.33, so the cent left goes to the first.
    payments = [
        _pay(date(2027, 2, 1), "1.00", "Services a", retained="0.01"),
        _pay(date(2027, 2, 1), "1.00", "Services b", retained="0.02"),
        _pay(date(2027, 6, 1), "0.03", "Holdback released", kind=PaymentKind.HOLDBACK_RELEASE, milestone=CSR),
    ]
    schedule = PaymentSchedule(currency="EUR", contract_start=START, payments=payments)
    fx = FxTable(rates=(_rate("USD", "1", date(2027, 1, 1)), _rate("USD", "1.6667", date(2027, 6, 1))))
    converted, _ = convert_schedule(schedule, "USD", fx=fx)
    assert [p.retained for p in converted.payments[:2]] == [Money("0.02", "USD"), Money("0.03", "USD")]
    assert converted.payments[2].amount == Money("0.05", "USD")


def test_a_holdback_at_the_top_of_the_money_range_in_a_four_decimal_currency_is_converted_exactly() -> None:
    # 10**30 + 1 EUR at 1.0001 is 1000100000000000000000000000001.0001 CLF: 35 digits in
    # minor units, one more than crokit's 34-digit context holds.
    huge = "1000000000000000000000000000001.00"
    schedule = PaymentSchedule(
        currency="EUR",
        contract_start=START,
        payments=[
            _pay(date(2027, 2, 1), "1.00", "Services", retained=huge),
            _pay(date(2027, 6, 1), huge, "Holdback released", kind=PaymentKind.HOLDBACK_RELEASE, milestone=CSR),
        ],
    )
    converted, _ = convert_schedule(schedule, "CLF", fx=FxTable(rates=(_rate("CLF", "1.0001", date(2027, 1, 1)),)))
    exact = Money("1000100000000000000000000000001.0001", "CLF")
    assert [(p.amount, p.retained) for p in converted.payments] == [(Money("1.0001", "CLF"), exact), (exact, None)]


def test_a_credit_retained_with_its_sign_is_split_in_proportion() -> None:
    payments = [
        _pay(date(2027, 2, 1), "90.00", "Services a", retained="10.00"),
        _pay(date(2027, 2, 1), "-36.00", "Services b (credit)", retained="-4.00"),
        _pay(date(2027, 6, 1), "6.00", "Holdback released", kind=PaymentKind.HOLDBACK_RELEASE, milestone=CSR),
    ]
    schedule = PaymentSchedule(currency="EUR", contract_start=START, payments=payments)
    fx = FxTable(rates=(_rate("USD", "1", date(2027, 1, 1)), _rate("USD", "1.5", date(2027, 6, 1))))
    converted, _ = convert_schedule(schedule, "USD", fx=fx)
    # 9.00 USD released over 10 and -4: 900 x 10/6 = 1500, 900 x -4/6 = -600.
    assert [p.retained for p in converted.payments[:2]] == [Money("15.00", "USD"), Money("-6.00", "USD")]
    assert converted.holdback_retained == Money("9.00", "USD")


def test_payments_that_tie_on_due_date_and_description_are_ordered_by_invoice_date_kind_and_lines() -> None:
    due = date(2027, 3, 1)
    later = _pay(due, "1.00", "Fees", invoice_date=date(2027, 2, 1))
    earlier = _pay(due, "2.00", "Fees", invoice_date=date(2027, 1, 10))
    milestone = _pay(due, "3.00", "Fees", invoice_date=date(2027, 1, 10), kind=PaymentKind.MILESTONE, milestone=CSR)
    second_line = _pay(due, "4.00", "Fees", invoice_date=date(2027, 1, 10), lines=[("b", "x")])
    first_line = _pay(due, "5.00", "Fees", invoice_date=date(2027, 1, 10), lines=[("a", "x")])
    schedule = PaymentSchedule(
        currency="EUR", contract_start=START, payments=[later, second_line, milestone, first_line, earlier]
    )
    converted, _ = convert_schedule(schedule, "USD", fx=FxTable(rates=(_rate("USD", "1", START),)))
    # "milestone" < "service-period"; () < (("a", "x"),) < (("b", "x"),); 2027-01-10 < 2027-02-01.
    assert [p.amount.amount for p in converted.payments] == [
        Decimal("3.00"),
        Decimal("2.00"),
        Decimal("5.00"),
        Decimal("4.00"),
        Decimal("1.00"),
    ]


def test_conversion_refusals_have_their_path_and_message() -> None:
    with pytest.raises(ValidationError) as caught:
        convert_schedule(_any(5), "USD", fx=FX)
    assert [(p.path, p.message) for p in caught.value.problems] == [("schedule", "expected a PaymentSchedule, got 5")]
    # A schedule already in the target currency is unchanged, but the table is still checked.
    with pytest.raises(ValidationError) as caught:
        convert_schedule(_euro_schedule(), "EUR", fx=_any({"EUR": 1}))
    assert [(p.path, p.message) for p in caught.value.problems] == [("fx", "expected an FxTable, got {'EUR': 1}")]


def _record(
    on: date,
    rate_date: date,
    rate: str,
    *,
    purpose: FxPurpose = FxPurpose.CASH_FLOW,
    pair: tuple[str, str] = ("EUR", "USD"),
) -> Conversion:
    base, quote = pair
    return Conversion(
        base=base,
        quote=quote,
        on=on,
        rate=Decimal(rate),
        rate_date=rate_date,
        source="test",
        purpose=purpose,
        amount=Money("10.00", base),
        converted=Money(Decimal("10.00") * Decimal(rate), quote).rounded(),
    )


def test_the_fallback_warning_names_the_pair_the_dates_and_the_latest_rate_used() -> None:
    records = [
        _record(date(2027, 5, 3), date(2027, 4, 1), "1.2"),
        _record(date(2027, 2, 3), date(2027, 2, 3), "1.1"),  # a rate on the day: no fallback
        _record(date(2027, 3, 3), date(2027, 3, 1), "1.15"),
        _record(date(2027, 6, 3), date(2027, 1, 1), "1.3"),
        _record(date(2027, 1, 4), date(2027, 1, 1), "1.0", purpose=FxPurpose.COMPARISON),  # not a cash flow
        _record(date(2027, 4, 5), date(2027, 4, 1), "0.8", pair=("USD", "EUR")),
    ]
    assert fallback_warnings(records, who="Orphan Trials") == (
        (
            "Orphan Trials: the fx table has no EUR->USD rate on 3 payment dates from 2027-03-03 to 2027-06-03; each "
            "payment is converted at the latest rate known on or before its due date (the latest used: 1.2 of "
            "2027-04-01). Add rates to the fx table for a truer cash flow"
        ),
        (
            "Orphan Trials: the fx table has no USD->EUR rate on 1 payment date from 2027-04-05 to 2027-04-05; each "
            "payment is converted at the latest rate known on or before its due date (the latest used: 0.8 of "
            "2027-04-01). Add rates to the fx table for a truer cash flow"
        ),
    )
    assert fallback_warnings(records[:3], who="x") == (
        (
            "x: the fx table has no EUR->USD rate on 2 payment dates from 2027-03-03 to 2027-05-03; each payment is "
            "converted at the latest rate known on or before its due date (the latest used: 1.2 of 2027-04-01). Add "
            "rates to the fx table for a truer cash flow"
        ),
    )
    assert fallback_warnings(records[1:2], who="x") == ()
    assert fallback_warnings(records[4:5], who="x") == ()


# -- schedule_in_currencies ------------------------------------------------------------------

FPI = Milestone.FIRST_PATIENT_IN
PLAN = MilestonePlan(dates={FPI: date(2027, 2, 10), CSR: date(2027, 8, 20)})
TERMS = BillingTerms(holdback_share="0.10", payment_days=15)
REPORT = "crokit:clinical-study-report"


def _line(
    amount: Money, months: tuple[int, ...], description: str, *, fee: bool = False, kind: PricingKind = PricingKind.UNIT
) -> LineItem:
    return LineItem(
        service=REPORT if fee else "crokit:on-site-monitoring",
        stage=Stage.PHASE_2,
        kind=PricingKind.FIXED_FEE if fee else kind,
        bucket=CostBucket.CRO_DIRECT_FEES,
        description=description,
        basis=None,
        quantity=Decimal(1),
        unit_price=amount,
        amount=amount,
        months=months,
        derivation="written by hand",
    )


def test_a_bid_paid_in_two_currencies_is_scheduled_part_by_part_and_merged_in_date_order() -> None:
    dollars = Budget(currency="USD", lines=[_line(Money("200.00", "USD"), (0, 1), "Monitoring")])
    report = FixedFee(
        service=REPORT,
        stage=Stage.PHASE_2,
        fee=Money("100.00", "EUR"),
        description="Report",
        milestones=(MilestonePayment(milestone=FPI, share="1"),),
    )
    euros = Budget(
        currency="EUR",
        lines=[
            _line(Money("50.00", "EUR"), (1,), "Data management"),
            _line(Money("100.00", "EUR"), (0,), f"Report: {FPI.label}", fee=True),
        ],
    )
    fx = FxTable(rates=(_rate("USD", "1.1000", date(2027, 1, 1)), _rate("USD", "1.2000", date(2027, 8, 1))))
    start = date(2027, 1, 15)
    merged, records = schedule_in_currencies(
        [(dollars, (), ()), (euros, (report,), ())],
        "USD",
        fx=fx,
        contract_start=start,
        milestones=PLAN,
        terms=TERMS,
    )
    assert (merged.currency, merged.contract_start) == ("USD", start)
    # Monthly in arrears, net 15, 10% held back from CRO fees; the report paid on first patient in;
    # what the euro invoices kept is shown at the release's rate (1.2).
    assert [(str(p.due), p.description, p.amount, p.retained) for p in merged.payments] == [
        ("2027-02-15", "Services 2027-01", Money("90.00", "USD"), Money("10.00", "USD")),
        ("2027-02-25", f"Report: {FPI.label} (paid in EUR)", Money("99.00", "USD"), Money("12.00", "USD")),
        ("2027-03-15", "Services 2027-02", Money("90.00", "USD"), Money("10.00", "USD")),
        ("2027-03-15", "Services 2027-02 (paid in EUR)", Money("49.50", "USD"), Money("6.00", "USD")),
        ("2027-09-04", f"Holdback release on {CSR.label}", Money("20.00", "USD"), None),
        ("2027-09-04", f"Holdback release on {CSR.label} (paid in EUR)", Money("18.00", "USD"), None),
    ]
    assert [(r.on, r.rate) for r in records] == [
        (date(2027, 2, 25), Decimal("1.1000")),
        (date(2027, 3, 15), Decimal("1.1000")),
        (date(2027, 9, 4), Decimal("1.2000")),
    ]
    euro_only, _ = convert_schedule(
        build_schedule(euros, contract_start=start, milestones=PLAN, terms=TERMS, fixed_fees=(report,)), "USD", fx=fx
    )
    assert [p for p in merged.payments if p.description.endswith("(paid in EUR)")] == list(euro_only.payments)


def test_a_fixed_fee_of_a_part_not_priced_into_its_budget_is_refused() -> None:
    report = FixedFee(
        service=REPORT,
        stage=Stage.PHASE_2,
        fee=Money("100.00", "EUR"),
        description="Report",
        milestones=(MilestonePayment(milestone=FPI, share="1"),),
    )
    euros = Budget(currency="EUR", lines=[_line(Money("50.00", "EUR"), (1,), "Data management")])
    fx = FxTable(rates=(_rate("USD", "1.1000", date(2027, 1, 1)),))
    with pytest.raises(ValidationError) as caught:
        schedule_in_currencies(
            [(euros, (report,), ())], "USD", fx=fx, contract_start=date(2027, 1, 15), milestones=PLAN, terms=TERMS
        )
    assert [(p.path, p.message) for p in caught.value.problems] == [
        (
            "fixed_fees[0].milestones[0]",
            (
                f"the budget has no fixed-fee line of {REPORT} paying 100.00 EUR on {FPI.label}: "
                "price the fee into the budget first"
            ),
        )
    ]


def test_holdbacks_that_cancel_out_are_converted_at_the_rate_of_the_last_that_retained() -> None:
    """Regression: the builder releases nothing for holdbacks that cancel out, and converting such a schedule failed.

    10.00 USD kept from January's fees and -10.00 from February's credit: no release
    payment. convert_schedule refused the schedule ("a schedule that retains money
    releases it"); they are now shown at the rate of the last due date that retained.
    """
    credit = _line(Money("-100.00", "USD"), (1,), "Credit", kind=PricingKind.ADJUSTMENT)
    budget = Budget(currency="USD", lines=[_line(Money("100.00", "USD"), (0,), "Monitoring"), credit])
    start = date(2027, 1, 15)
    terms = BillingTerms(holdback_share="0.10")
    built = build_schedule(budget, contract_start=start, milestones=PLAN, terms=terms)
    fx = FxTable(
        rates=(
            _rate("EUR", "0.9", date(2027, 1, 1), base="USD"),
            _rate("EUR", "0.95", date(2027, 3, 15), base="USD"),
        )
    )
    converted, records = convert_schedule(built, "EUR", fx=fx)
    # Due 2027-03-02 at 0.9 and 2027-03-30 at 0.95.
    assert [(str(p.due), p.amount, p.retained) for p in converted.payments] == [
        ("2027-03-02", Money("81.00", "EUR"), Money("9.50", "EUR")),
        ("2027-03-30", Money("-85.50", "EUR"), Money("-9.50", "EUR")),
    ]
    assert converted.holdback_retained == Money("0.00", "EUR")
    assert [r.on for r in records] == [date(2027, 3, 2), date(2027, 3, 30)]
    merged, _ = schedule_in_currencies(
        [(budget, (), ())], "EUR", fx=fx, contract_start=start, milestones=PLAN, terms=terms
    )
    assert merged == converted


def test_a_schedule_summarises_itself_in_one_line() -> None:
    assert repr(_euro_schedule()) == (
        "PaymentSchedule(currency='EUR', contract_start=2027-01-04, 4 payments, total=183.33 EUR)"
    )
    one = PaymentSchedule(currency="JPY", contract_start=START, payments=[_pay(START, "5", "Fees", currency="JPY")])
    assert repr(one) == "PaymentSchedule(currency='JPY', contract_start=2027-01-04, 1 payment, total=5 JPY)"
    assert repr(PaymentSchedule(currency="USD", contract_start=START)) == (
        "PaymentSchedule(currency='USD', contract_start=2027-01-04, 0 payments, total=0.00 USD)"
    )
