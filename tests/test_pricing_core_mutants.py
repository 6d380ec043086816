"""Budgets, lines, adjustments, conversion and the pricing models, pinned where mutants survived (issue #9).

mutmut's run of the pricing core (``python -m mutation.run pricing-core``: line items,
budgets, adjustments, currency conversion and the unit-price, fixed-fee and
pass-through models) left survivors that change refusal paths and words, a boundary,
the order of a roll-up, or a number written into a derivation; each test here pins
what a user relies on in one of those places. The tests at the end pin the decorated
functions (every model's ``price``, the adjustments' ``apply``, ``convert_amounts``,
``convert_budget``), which ``mutation/run.py --decorated`` mutates undecorated.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest

import crokit.dataframe
import crokit.display
from crokit import FxRate, FxTable, Milestone, Money, Registry, Stage, UnitBasis
from crokit.errors import CurrencyMismatchError, InvalidAmountError, UnknownIdError, ValidationError
from crokit.pricing import (
    Budget,
    ChangeKind,
    Contingency,
    Conversion,
    CostBucket,
    CurrencyConversion,
    Escalation,
    FixedFee,
    FxPurpose,
    LineItem,
    ManagementFee,
    MilestonePayment,
    PassThrough,
    PercentDiscount,
    PricingKind,
    TieredDiscount,
    TotalTier,
    UnitPrice,
    convert_amounts,
    convert_budget,
    derive_drivers,
    rate_in_force,
)
from crokit.pricing.fixed_fee import milestone_of_line
from crokit.pricing.line_item import _as_pricing_kinds

from tests.pricing.test_models import ASSUMPTIONS, DRIVERS, REGISTRY, STUDY, make_study  # isort: skip

START = date(2027, 1, 4)


def _line(**changes: Any) -> LineItem:
    fields: dict[str, Any] = {
        "service": "crokit:on-site-monitoring",
        "stage": Stage.PHASE_2,
        "kind": PricingKind.UNIT,
        "bucket": CostBucket.CRO_DIRECT_FEES,
        "description": "Monitoring visits",
        "basis": UnitBasis.PER_MONITORING_VISIT,
        "quantity": Decimal(3),
        "unit_price": Money("1000.00", "USD"),
        "months": (0, 1, 2),
        "derivation": "3 visits x 1000.00 USD",
    }
    fields.update(changes)
    if "amount" not in fields:
        fields["amount"] = (fields["unit_price"] * fields["quantity"]).rounded()
    return LineItem(**fields)


def _refused(error: type[Exception], text: str, function: Any, *args: Any, **kwargs: Any) -> None:
    """*function* raises *error* whose whole text is *text* (path and message)."""
    with pytest.raises(error) as caught:
        function(*args, **kwargs)
    assert str(caught.value) == text


# --- budget.py ---------------------------------------------------------------------------


def test_categories_are_sorted_by_id_whatever_the_order_of_the_lines() -> None:
    budget = Budget(
        currency="USD",
        lines=(
            _line(service="crokit:toxicology", description="Toxicology"),
            _line(service="crokit:on-site-monitoring"),
        ),
    )
    assert list(budget.by_category(Registry.builtin())) == ["crokit:full-service", "crokit:preclinical"]


def test_cost_per_patient_takes_one_patient_and_refuses_what_is_not_a_whole_number() -> None:
    budget = Budget(currency="USD", lines=(_line(),))
    assert budget.cost_per_patient(1) == Money("3000.00", "USD")
    assert budget.cost_per_patient(7) == Money("428.57", "USD")
    for bad in ("3", Decimal(2), 2.0, True, 0):
        _refused(
            ValidationError,
            f"patients: expected a whole number of patients >= 1, got {bad!r}",
            budget.cost_per_patient,
            bad,
        )


def test_comparing_budgets_in_two_currencies_names_both() -> None:
    usd = Budget(currency="USD", lines=(_line(),))
    _refused(
        CurrencyMismatchError,
        "cannot compare budgets in USD and EUR: convert one currency with an FxTable first",
        usd.diff,
        Budget(currency="EUR"),
    )


def test_an_added_line_had_quantity_zero_and_a_removed_line_has_quantity_zero() -> None:
    old = Budget(currency="USD", lines=(_line(),))
    new = Budget(currency="USD", lines=(_line(description="Extra visits"),))
    changes = {change.key[1]: change for change in old.diff(new).lines}
    added, removed = changes["Extra visits"], changes["Monitoring visits"]
    assert (added.change, added.old_quantity, added.new_quantity) == (ChangeKind.ADDED, Decimal(0), Decimal(3))
    assert (removed.change, removed.old_quantity, removed.new_quantity) == (ChangeKind.REMOVED, Decimal(3), Decimal(0))


# --- _model_helpers.py and unit_price.py ---------------------------------------------------


def test_a_service_with_no_usual_basis_says_so_when_a_basis_does_not_fit() -> None:
    plain = attrs.evolve(REGISTRY.service("crokit:site-start-up"), id="acme:odd-service", unit_bases=())
    registry = REGISTRY.with_entries(plain)
    item = UnitPrice(
        service="acme:odd-service", stage=Stage.PHASE_2, basis=UnitBasis.PER_SITE, rate=Money("10.00", "USD")
    )
    _refused(
        ValidationError,
        "basis: unit basis per-site does not fit service acme:odd-service "
        "(the registry lists no usual unit basis for it)",
        item.price,
        STUDY,
        DRIVERS,
        registry=registry,
    )


def test_a_basis_the_drivers_cannot_count_is_refused_at_the_items_path() -> None:
    study = make_study(visits=())
    drivers = derive_drivers(study, ASSUMPTIONS)
    item = UnitPrice(
        service="crokit:data-management",
        stage=Stage.PHASE_2,
        basis=UnitBasis.PER_PAGE,
        rate=Money("10.00", "USD"),
    )
    message = "unit basis per-page needs the study's visit schedule, and the study lists no visits"
    _refused(
        ValidationError, f"items[2].basis: {message}", item.price, study, drivers, registry=REGISTRY, path="items[2]"
    )
    _refused(ValidationError, f"basis: {message}", item.price, study, drivers, registry=REGISTRY)


# --- adjustments.py: Escalation ------------------------------------------------------------


def test_escalation_of_a_yen_budget_prices_whole_yen_and_dates_its_work() -> None:
    line = _line(
        quantity=Decimal(24),
        unit_price=Money("1000", "JPY"),
        months=tuple(range(24)),
        derivation="24 months x 1000 JPY",
    )
    budget = Budget(currency="JPY", lines=(line,))
    escalation = Escalation(annual_rate="0.10", base_date=START, start_date=START)
    added = escalation.apply(budget).lines[1:]
    assert [(extra.description, extra.unit_price, extra.amount) for extra in added] == [
        ("Escalation 10% a year, contract year 2", Money("12000", "JPY"), Money("1200", "JPY"))
    ]
    assert added[0].derivation == (
        "((1 + 10/100)^1 - 1) = 0.10 x 12000 JPY (work in study months 12-23, from 2028-01-04; "
        "prices of 2027-01-04) = 1200.00 JPY, rounded half-even to 1200 JPY"
    )


# --- currency.py ---------------------------------------------------------------------------


def _conversion(**changes: Any) -> Conversion:
    fields: dict[str, Any] = {
        "base": "JPY",
        "quote": "EUR",
        "on": START,
        "rate": Decimal("0.0061"),
        "rate_date": START,
        "source": "illustrative",
        "purpose": FxPurpose.COMPARISON,
        "amount": Money("2002", "JPY"),
        "converted": Money("12.21", "EUR"),
    }
    fields.update(changes)
    return Conversion(**fields)


def test_a_conversion_purpose_may_be_given_as_text() -> None:
    assert _conversion(purpose="cash-flow").purpose is FxPurpose.CASH_FLOW


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        (
            {"quote": "JPY", "converted": Money("12", "JPY")},
            "quote: a conversion needs two different currencies, got JPY twice",
        ),
        ({"rate": Decimal(0)}, "rate: expected an exchange rate > 0, got 0"),
        ({"rate": Decimal("-0.0061")}, "rate: expected an exchange rate > 0, got -0.0061"),
        (
            {"rate_date": date(2027, 1, 5)},
            "rate_date: a rate in force on 2027-01-04 starts on or before it, got 2027-01-05",
        ),
        ({"amount": Money("2002", "USD")}, "amount: expected an amount in JPY, got 2002 USD"),
        ({"converted": Money("12.21", "USD")}, "converted: expected an amount in EUR, got 12.21 USD"),
        (
            {"converted": Money("12.22", "EUR")},
            "converted: expected 2002 JPY x 0.0061 rounded half-even, 12.21 EUR, got 12.22 EUR",
        ),
    ],
)
def test_each_conversion_refusal_has_its_path_and_message(changes: dict[str, Any], text: str) -> None:
    _refused(ValidationError, text, _conversion, **changes)


def _rate(base: str, quote: str, rate: str, on: date, source: str) -> FxRate:
    return FxRate(base=base, quote=quote, rate=rate, as_of=on, source=source)


def test_the_rate_in_force_is_the_latest_on_or_before_the_date_whatever_the_order() -> None:
    fx = FxTable(
        rates=(
            _rate("JPY", "EUR", "0.0060", date(2026, 12, 1), "december"),
            _rate("JPY", "EUR", "0.0061", date(2027, 1, 4), "january"),
            _rate("JPY", "EUR", "0.0062", date(2027, 2, 1), "february"),
            _rate("USD", "GBP", "0.80", date(2027, 1, 4), "other pair"),
        )
    )
    assert rate_in_force(fx, "JPY", "EUR", START).source == "january"
    assert rate_in_force(fx, "JPY", "EUR", date(2027, 1, 3)).source == "december"


def test_the_inverse_rate_in_force_is_the_latest_opposite_one_on_or_before_the_date() -> None:
    fx = FxTable(
        rates=(
            _rate("EUR", "JPY", "160", date(2026, 12, 1), "december"),
            _rate("EUR", "JPY", "164", date(2027, 1, 4), "january"),
            _rate("EUR", "JPY", "170", date(2027, 2, 1), "february"),
            _rate("USD", "GBP", "0.80", date(2027, 1, 4), "other pair"),
            _rate("GBP", "USD", "1.25", date(2027, 1, 4), "another pair"),
        )
    )
    used = rate_in_force(fx, "JPY", "EUR", START)
    assert (used.source, used.as_of) == ("inverse of january", START)
    assert used.rate == Decimal("0.006097560975609756097560975609756098")  # 1/164 to 34 digits
    assert rate_in_force(fx, "JPY", "EUR", date(2027, 1, 3)).source == "inverse of december"


FX = FxTable(
    rates=(
        _rate("JPY", "EUR", "0.0061", date(2027, 1, 1), "illustrative"),
        _rate("EUR", "JPY", "163.7", date(2027, 1, 1), "illustrative"),
    )
)


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"fx": {"JPY": 1}}, "fx: expected an FxTable, got {'JPY': 1}"),
        ({"on": "2027-01-04"}, "on: expected a date like 2027-01-04, got '2027-01-04'"),
        ({"to": "XAU"}, "to: XAU has no minor unit in ISO 4217, so amounts cannot be converted into it"),
    ],
)
def test_each_conversion_argument_refusal_has_its_path_and_message(kwargs: dict[str, Any], text: str) -> None:
    arguments: dict[str, Any] = {"to": "EUR", "fx": FX, "on": START, **kwargs}
    to = arguments.pop("to")
    budget = Budget(currency="JPY")
    _refused(ValidationError, text, convert_budget, budget, to, **arguments)
    _refused(ValidationError, text, convert_amounts, [Money("1", "JPY")], to, purpose=FxPurpose.COMPARISON, **arguments)


def _grant(what: str, quantity: str, price: str, currency: str) -> LineItem:
    unit_price = Money(price, currency)
    return _line(
        service="crokit:investigator-grants",
        kind=PricingKind.GRANTS,
        bucket=CostBucket.INVESTIGATOR_GRANTS,
        description=what,
        basis=UnitBasis.PER_PATIENT_VISIT,
        quantity=Decimal(quantity),
        unit_price=unit_price,
        months=(0,),
        derivation=f"{quantity} visits",
    )


def test_converted_unit_prices_are_rounded_to_the_minor_unit_where_that_prices_the_line() -> None:
    yen = Budget(
        currency="JPY",
        lines=(
            _grant("visit 1", "1", "1001", "JPY"),
            _grant("visit 2", "3", "1001", "JPY"),
            _grant("visit 3", "2", "1000", "JPY"),
        ),
    )
    euros, _ = convert_budget(yen, "EUR", fx=FX, on=START)
    assert [(str(line.unit_price), str(line.amount)) for line in euros.lines] == [
        ("6.10 EUR", "6.10 EUR"),
        ("6.1061 EUR", "18.32 EUR"),
        ("6.10 EUR", "12.20 EUR"),
    ]
    assert [line.unit_price.amount.as_tuple().exponent for line in euros.lines] == [-2, -4, -2]


def test_a_converted_unit_price_is_rounded_to_the_cent_when_the_rounded_price_prices_the_line() -> None:
    yen = Budget(currency="JPY", lines=(_grant("visit 1", "1", "1001", "JPY"),))
    euros, _ = convert_budget(yen, "EUR", fx=FX, on=START)
    assert (str(euros.lines[0].unit_price), str(euros.lines[0].amount)) == ("6.11 EUR", "6.11 EUR")


def test_converted_unit_prices_into_yen_are_whole_yen_where_that_prices_the_line() -> None:
    euros = Budget(
        currency="EUR",
        lines=(
            _grant("visit 1", "1", "6.11", "EUR"),
            _grant("visit 2", "3", "6.11", "EUR"),
            _grant("visit 3", "2", "10.00", "EUR"),
        ),
    )
    yen, _ = convert_budget(euros, "JPY", fx=FX, on=START)
    assert [(str(line.unit_price), str(line.amount)) for line in yen.lines] == [
        ("1000 JPY", "1000 JPY"),
        ("1000.207 JPY", "3001 JPY"),
        ("1637 JPY", "3274 JPY"),
    ]


def test_a_converted_unit_price_keeps_every_digit_it_needs() -> None:
    # Rounded to the cent, 3 x the unit price would miss the converted amount by a cent, so
    # the exact converted unit price (42 significant digits, more than crokit's 34) is kept.
    fx = FxTable(rates=(_rate("USD", "EUR", "0.91234567", date(2027, 1, 1), "illustrative"),))
    line = _line(quantity=Decimal(3), unit_price=Money("1234567.143456789012345678901234567", "USD"))
    converted, _ = convert_budget(Budget(currency="USD", lines=(line,)), "EUR", fx=fx, on=START)
    assert converted.lines[0].amount == Money("3379055.96", "EUR")
    assert converted.lines[0].unit_price.amount == Decimal("1126351.98765707028751715668875171485677489")


def test_a_converted_unit_price_of_more_than_34_digits_at_the_minor_unit_is_converted() -> None:
    # 31 whole digits and the four places of CLF: 35 digits, beyond crokit's 34-digit context.
    fx = FxTable(rates=(_rate("USD", "CLF", "5", date(2027, 1, 1), "illustrative"),))
    line = _line(quantity=Decimal("0.0001"), unit_price=Money("1000000000000000000000000000000.00", "USD"))
    converted, _ = convert_budget(Budget(currency="USD", lines=(line,)), "CLF", fx=fx, on=START)
    assert converted.lines[0].amount == Money("500000000000000000000000000.0000", "CLF")
    assert str(converted.lines[0].unit_price) == "5000000000000000000000000000000.0000 CLF"


# --- fixed_fee.py --------------------------------------------------------------------------


def _usd(amount: str) -> Money:
    return Money(amount, "USD")


def _paid(milestone: Milestone | str, **share_or_amount: Any) -> MilestonePayment:
    return MilestonePayment(milestone=milestone, **share_or_amount)


def _fixed_fee(**changes: Any) -> FixedFee:
    fields: dict[str, Any] = {
        "service": "crokit:clinical-study-report",
        "stage": Stage.PHASE_2,
        "fee": _usd("100.00"),
        "milestones": (_paid(Milestone.DATABASE_LOCK, share="1"),),
    }
    fields.update(changes)
    return FixedFee(**fields)


LOCK, REPORT = Milestone.DATABASE_LOCK, Milestone.CLINICAL_STUDY_REPORT


@pytest.mark.parametrize(
    ("build", "text"),
    [
        (
            lambda: _paid(LOCK, share="0.5", amount=_usd("10.00")),
            "share: give exactly one of share and amount, got both",
        ),
        (lambda: _paid(LOCK), "share: give exactly one of share and amount, got neither"),
        (lambda: _paid(LOCK, amount=_usd("0.00")), "amount: expected an amount above 0, got 0.00 USD"),
        (lambda: _paid(LOCK, amount=_usd("-1.00")), "amount: expected an amount above 0, got -1.00 USD"),
        (lambda: _paid(LOCK, amount=_usd("1.001")), "amount: expected whole USD minor units, got 1.001 USD"),
        (lambda: _fixed_fee(fee=_usd("0.00")), "fee: expected a fee above 0, got 0.00 USD"),
        (lambda: _fixed_fee(fee=_usd("-1.00")), "fee: expected a fee above 0, got -1.00 USD"),
        (lambda: _fixed_fee(milestones=()), "milestones: expected at least one milestone payment"),
        (
            lambda: _fixed_fee(milestones=(_paid(LOCK, share="0.5"), _paid(LOCK, share="0.5"))),
            "milestones[1].milestone: database-lock is already paid at milestones[0]",
        ),
        (
            lambda: _fixed_fee(milestones=(_paid(LOCK, share="0.5"), _paid(REPORT, amount=_usd("50.00")))),
            "milestones[1]: give every payment as a share or every payment as an amount, not a mix of both",
        ),
        (
            lambda: _fixed_fee(milestones=(_paid(LOCK, amount=_usd("50.00")), _paid(REPORT, share="0.5"))),
            "milestones[1]: give every payment as a share or every payment as an amount, not a mix of both",
        ),
        (
            lambda: _fixed_fee(milestones=(_paid(LOCK, share="0.5"), _paid(REPORT, share="0.4"))),
            "milestones: milestone shares sum to 0.9, expected exactly 1",
        ),
        (
            lambda: _fixed_fee(
                milestones=(_paid(LOCK, amount=Money("50.00", "EUR")), _paid(REPORT, amount=_usd("50.00")))
            ),
            "milestones[0].amount: expected an amount in USD, the fee's currency, got 50.00 EUR",
        ),
        (
            lambda: _fixed_fee(milestones=(_paid(LOCK, amount=_usd("50.00")), _paid(REPORT, amount=_usd("49.99")))),
            "milestones: milestone amounts sum to 99.99 USD, expected exactly the fee 100.00 USD",
        ),
    ],
)
def test_each_fixed_fee_refusal_has_its_path_and_message(build: Any, text: str) -> None:
    _refused(ValidationError, text, build)


def test_a_milestone_may_be_given_as_text() -> None:
    assert _paid("database-lock", share="0.5").milestone is LOCK


def test_shares_of_a_fee_split_the_fee_rounded_once() -> None:
    fixed = _fixed_fee(fee=_usd("100.005"), milestones=(_paid(LOCK, share="0.3"), _paid(REPORT, share="0.7")))
    assert fixed.payments() == (_usd("30.00"), _usd("70.00"))
    budget = fixed.price(STUDY, DRIVERS, registry=REGISTRY)
    assert [(line.description, line.amount, line.months) for line in budget.lines] == [
        ("Clinical study report: Database lock", _usd("30.00"), (22,)),
        ("Clinical study report: Clinical study report", _usd("70.00"), (24,)),
    ]
    assert budget.lines[0].derivation == (
        "30.00 USD paid on Database lock (study month 22): 30% of the fee 100.00 USD, "
        "split by largest remainder so payments sum to the fee"
    )


def test_stated_amounts_of_a_fee_are_its_payments_and_lines() -> None:
    fixed = _fixed_fee(
        milestones=(_paid(LOCK, amount=_usd("30.00")), _paid(REPORT, amount=_usd("70.00"))),
        description="Report",
    )
    assert fixed.payments() == (_usd("30.00"), _usd("70.00"))
    lines = fixed.price(STUDY, DRIVERS, registry=REGISTRY).lines
    assert [(line.description, line.kind, line.bucket, line.basis, line.quantity) for line in lines] == [
        ("Report: Database lock", PricingKind.FIXED_FEE, CostBucket.CRO_DIRECT_FEES, None, Decimal(1)),
        ("Report: Clinical study report", PricingKind.FIXED_FEE, CostBucket.CRO_DIRECT_FEES, None, Decimal(1)),
    ]
    assert (
        lines[1].derivation
        == "70.00 USD paid on Clinical study report (study month 24): stated amount of the fee 100.00 USD"
    )
    assert [milestone_of_line(line) for line in lines] == [LOCK, REPORT]
    assert milestone_of_line(_line()) is None


# --- line_item.py --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ({"quantity": Decimal(-1), "amount": _usd("-3000.00")}, "quantity: expected a quantity >= 0, got -1"),
        ({"months": ()}, "months: expected at least one month index"),
        ({"months": (-1, 2)}, "months[0]: expected a month index >= 0, got -1"),
        ({"months": (0, 4, -1)}, "months[2]: expected a month index >= 0, got -1"),
        ({"months": (2, 1)}, "months[1]: months must be increasing and listed once, 1 follows 2"),
        ({"months": (0, 1, 1)}, "months[2]: months must be increasing and listed once, 1 follows 1"),
        ({"months": (0,) * 2}, "months[1]: months must be increasing and listed once, 0 follows 0"),
        (
            {"unit_price": _usd("-1.00")},
            "unit_price: expected a unit price >= 0 (only adjustments may be negative), got -1.00 USD",
        ),
        (
            {"amount": _usd("3000.01")},
            (
                "amount: expected quantity x unit price rounded half-even to the minor unit, "
                "3 x 1000.00 USD = 3000.00 USD, got 3000.01 USD"
            ),
        ),
        (
            {"service": "not an id"},
            (
                "service: expected a namespaced id like 'crokit:patient-recruitment' (lower case, hyphens), "
                "got 'not an id'"
            ),
        ),
    ],
)
def test_each_line_refusal_has_its_path_and_message(changes: dict[str, Any], text: str) -> None:
    _refused(ValidationError, text, _line, **changes)


def test_a_line_in_two_currencies_is_refused_naming_both() -> None:
    _refused(
        CurrencyMismatchError,
        "cannot price a line in USD and EUR: convert one currency with an FxTable first",
        _line,
        amount=Money("3000.00", "EUR"),
    )


def test_a_quantity_that_is_not_a_number_is_refused_as_a_quantity() -> None:
    with pytest.raises(InvalidAmountError, match=r"for the quantity$"):
        _line(quantity="abc", amount=_usd("0.00"))


def test_months_may_start_later_and_a_line_may_fall_in_month_zero_alone() -> None:
    assert _line(months=(0,)).months == (0,)
    assert _line(months=[5, 6, 9]).months == (5, 6, 9)


def test_kinds_and_buckets_may_be_given_as_text_or_as_a_models_tag() -> None:
    assert _line(kind="unit-price").kind is PricingKind.UNIT
    assert _line(kind="investigator-grants").kind is PricingKind.GRANTS
    assert _line(kind="fixed-fee").kind is PricingKind.FIXED_FEE
    assert _line(bucket="pass-through").bucket is CostBucket.PASS_THROUGH
    assert PricingKind("unit-price") is PricingKind.UNIT
    assert _as_pricing_kinds(["unit-price", "fte", PricingKind.GRANTS]) == (
        PricingKind.UNIT,
        PricingKind.FTE,
        PricingKind.GRANTS,
    )
    with pytest.raises(ValueError, match="5 is not a valid PricingKind"):
        PricingKind(5)
    with pytest.raises(ValueError, match=r"\['unit'\] is not a valid PricingKind"):
        PricingKind(["unit"])  # not text: no tag is looked up (a list cannot be)


def _split(price: str, currency: str, months: tuple[int, ...], kind: str = "unit") -> dict[int, str]:
    line = _line(kind=kind, unit_price=Money(price, currency), quantity=Decimal(1), months=months)
    return {month: str(part) for month, part in line.monthly().items()}


def test_a_line_splits_evenly_over_its_months_earliest_months_first() -> None:
    assert _split("1.00", "USD", (3, 5, 7)) == {3: "0.34 USD", 5: "0.33 USD", 7: "0.33 USD"}
    assert _split("1.01", "USD", (3, 5, 7)) == {3: "0.34 USD", 5: "0.34 USD", 7: "0.33 USD"}
    assert _split("0.99", "USD", (3, 5, 7)) == {3: "0.33 USD", 5: "0.33 USD", 7: "0.33 USD"}
    assert _split("1000", "JPY", (0, 1, 2)) == {0: "334 JPY", 1: "333 JPY", 2: "333 JPY"}
    assert _split("7.00", "USD", (4,)) == {4: "7.00 USD"}


def test_a_negative_line_splits_into_negative_parts_like_allocate() -> None:
    assert _split("-1.00", "USD", (0, 1, 2), "adjustment") == {0: "-0.34 USD", 1: "-0.33 USD", 2: "-0.33 USD"}
    assert _split("-0.01", "USD", (0, 1, 2), "adjustment") == {0: "-0.01 USD", 1: "-0.00 USD", 2: "-0.00 USD"}
    assert _split("-0.99", "USD", (0, 1, 2), "adjustment") == {0: "-0.33 USD", 1: "-0.33 USD", 2: "-0.33 USD"}
    for price in ("-1.00", "-0.01", "-0.99", "-5.02"):
        line = _line(kind="adjustment", unit_price=_usd(price), quantity=Decimal(1), months=(0, 1, 2))
        assert [str(part) for part in line.monthly().values()] == [
            str(part) for part in line.amount.allocate([1, 1, 1])
        ]


def test_by_month_adds_negative_and_positive_parts_exactly() -> None:
    budget = Budget(
        currency="USD",
        lines=(
            _line(kind="adjustment", unit_price=_usd("-1.00"), quantity=Decimal(1), months=(0, 1, 2)),
            _line(description="More", unit_price=_usd("0.50"), quantity=Decimal(1), months=(2, 3)),
        ),
    )
    assert {month: str(part) for month, part in budget.by_month().items()} == {
        0: "-0.34 USD",
        1: "-0.33 USD",
        2: "-0.08 USD",
        3: "0.25 USD",
    }
    yen = Budget(currency="JPY", lines=(_line(unit_price=Money("1000", "JPY"), quantity=Decimal(1), months=(0, 1, 2)),))
    assert {month: str(part) for month, part in yen.by_month().items()} == {0: "334 JPY", 1: "333 JPY", 2: "333 JPY"}


# --- budget.py: lines and roll-up orders ---------------------------------------------------


def test_a_repeated_line_is_refused_where_it_repeats() -> None:
    _refused(
        ValidationError,
        "lines[2].description: line ('crokit:on-site-monitoring', 'Monitoring visits') is already lines[0]; "
        "give each line of a service its own description",
        Budget,
        currency="USD",
        lines=(_line(), _line(description="Other"), _line(months=(4,))),
    )


def test_a_line_in_another_currency_than_the_budget_is_refused_with_its_index() -> None:
    _refused(
        CurrencyMismatchError,
        "cannot add lines[1] to the budget, mixing USD and EUR: convert one currency with an FxTable first",
        Budget,
        currency="USD",
        lines=(_line(), _line(description="Other", unit_price=Money("1.00", "EUR"))),
    )


def test_roll_ups_come_in_lifecycle_enum_and_id_order() -> None:
    budget = Budget(
        currency="USD",
        lines=(
            _line(
                service="crokit:toxicology",
                stage=Stage.PHASE_3,
                kind="adjustment",
                bucket="pass-through",
                description="a",
            ),
            _line(stage=Stage.PHASE_1, kind="fte", bucket="investigator-grants", description="b"),
            _line(stage=Stage.PHASE_2, kind="unit", bucket="cro-direct-fees", description="c"),
        ),
    )
    assert list(budget.by_stage()) == [Stage.PHASE_1, Stage.PHASE_2, Stage.PHASE_3]
    assert list(budget.by_bucket()) == [
        CostBucket.CRO_DIRECT_FEES,
        CostBucket.PASS_THROUGH,
        CostBucket.INVESTIGATOR_GRANTS,
    ]
    assert list(budget.by_kind()) == [PricingKind.UNIT, PricingKind.FTE, PricingKind.ADJUSTMENT]
    assert list(budget.by_service()) == ["crokit:on-site-monitoring", "crokit:toxicology"]
    assert budget.by_service()["crokit:on-site-monitoring"] == _usd("6000.00")


# --- unit_price.py and _model_helpers.py ---------------------------------------------------


def _unit_price(**changes: Any) -> UnitPrice:
    fields: dict[str, Any] = {
        "service": "crokit:site-start-up",
        "stage": Stage.PHASE_2,
        "basis": UnitBasis.PER_SITE,
        "rate": _usd("4500.00"),
    }
    fields.update(changes)
    return UnitPrice(**fields)


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ({"basis": "pass-through"}, "basis: a pass-through cost is priced with PassThrough, not with a unit price"),
        ({"basis": "per-hour"}, "quantity: unit basis per-hour is not derived from the study: state the quantity"),
        (
            {"basis": "per-fte-month"},
            "quantity: unit basis per-fte-month is not derived from the study: state the quantity",
        ),
        ({"basis": "per-sample"}, "quantity: unit basis per-sample is not derived from the study: state the quantity"),
        ({"quantity": "-1"}, "quantity: expected a number >= 0, got -1"),
    ],
)
def test_each_unit_price_refusal_has_its_path_and_message(changes: dict[str, Any], text: str) -> None:
    _refused(ValidationError, text, _unit_price, **changes)


def test_a_stated_quantity_that_is_not_a_number_is_refused_as_a_number() -> None:
    with pytest.raises(InvalidAmountError, match=r"for the number$"):
        _unit_price(quantity="abc")
    assert _unit_price(quantity=3).quantity == Decimal(3)


def test_a_unit_price_line_says_how_its_quantity_was_reached() -> None:
    (derived,) = _unit_price().price(STUDY, DRIVERS, registry=REGISTRY).lines
    assert (derived.kind, derived.bucket, derived.quantity, derived.amount, derived.months) == (
        PricingKind.UNIT,
        CostBucket.CRO_DIRECT_FEES,
        Decimal(12),
        _usd("54000.00"),
        (0, 1, 2, 3),
    )
    assert derived.description == "Site start-up and contracting (per-site)"
    assert derived.derivation == (
        "12 x 4500.00 USD = 54000.00 USD, rounded half-even to 54000.00 USD; "
        "sites: study.sites (rounding: none: exact whole number)"
    )
    stated = _unit_price(basis="per-hour", quantity="10.5", rate=_usd("100.00"))
    (hours,) = stated.price(STUDY, DRIVERS, registry=REGISTRY).lines
    assert (hours.kind, hours.bucket, hours.amount) == (PricingKind.FTE, CostBucket.CRO_DIRECT_FEES, _usd("1050.00"))
    assert hours.derivation == (
        "10.5 x 100.00 USD = 1050.000 USD, rounded half-even to 1050.00 USD; quantity 10.5 stated in the proposal"
    )
    grants = _unit_price(service="crokit:investigator-grants", basis="per-patient-visit")
    (visits,) = grants.price(STUDY, DRIVERS, registry=REGISTRY).lines
    assert (visits.kind, visits.bucket) == (PricingKind.GRANTS, CostBucket.INVESTIGATOR_GRANTS)


def test_a_basis_that_does_not_fit_lists_the_services_usual_bases() -> None:
    _refused(
        ValidationError,
        "items[0].basis: unit basis per-patient-enrolled does not fit service crokit:site-start-up "
        "(usually priced per-country, per-site, per-hour, per-fte-month)",
        _unit_price(basis="per-patient-enrolled").price,
        STUDY,
        DRIVERS,
        registry=REGISTRY,
        path="items[0]",
    )


def test_an_unknown_service_is_refused_at_the_items_path() -> None:
    with pytest.raises(UnknownIdError) as caught:
        _unit_price(service="crokit:site-start-upp").price(STUDY, DRIVERS, registry=REGISTRY, path="items[0]")
    assert str(caught.value).startswith("items[0].service: unknown service 'crokit:site-start-upp'")


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ({"sites": 13}, "they count 12 sites, the study 13"),
        ({"planned_patients": 61}, "they count 60 planned_patients, the study 61"),
        ({"countries": ("US", "DE")}, "they count 3 countries, the study 2"),
    ],
)
def test_drivers_of_another_study_are_refused_naming_the_fact(changes: dict[str, Any], text: str) -> None:
    study = make_study(**changes)
    _refused(
        ValidationError,
        f"drivers: the drivers were derived from another study: {text}",
        _unit_price().price,
        study,
        DRIVERS,
        registry=REGISTRY,
    )


# --- pass_through.py -----------------------------------------------------------------------


def test_a_pass_through_and_its_fee_are_two_lines_over_the_same_months() -> None:
    item = PassThrough(
        service="crokit:investigator-grants", stage=Stage.PHASE_2, estimate=_usd("300000.005"), management_fee="0.05"
    )
    cost, fee = item.price(STUDY, DRIVERS, registry=REGISTRY).lines
    assert (cost.kind, cost.bucket, cost.basis, cost.quantity, cost.unit_price, cost.amount) == (
        PricingKind.GRANTS,
        CostBucket.INVESTIGATOR_GRANTS,
        UnitBasis.PASS_THROUGH,
        Decimal(1),
        _usd("300000.005"),
        _usd("300000.00"),
    )
    assert cost.derivation == "estimate 300000.005 USD passed through at cost, rounded half-even to 300000.00 USD"
    assert (fee.kind, fee.bucket, fee.basis, fee.quantity, fee.unit_price, fee.amount) == (
        PricingKind.PASS_THROUGH,
        CostBucket.CRO_DIRECT_FEES,
        None,
        Decimal("0.05"),
        _usd("300000.00"),
        _usd("15000.00"),
    )
    assert fee.description == "Management fee on Investigator grants"
    assert fee.months == cost.months
    assert fee.derivation == "management fee 0.05 x 300000.00 USD, rounded half-even to 15000.00 USD"


def test_a_pass_through_with_no_fee_is_one_line_in_the_pass_through_bucket() -> None:
    item = PassThrough(
        service="crokit:central-lab", stage=Stage.PHASE_2, estimate=_usd("1000.00"), description="Lab kits"
    )
    (cost,) = item.price(STUDY, DRIVERS, registry=REGISTRY).lines
    assert (cost.kind, cost.bucket, cost.description) == (PricingKind.PASS_THROUGH, CostBucket.PASS_THROUGH, "Lab kits")


def test_a_service_not_priced_as_a_pass_through_is_refused_with_its_usual_bases() -> None:
    item = PassThrough(service="crokit:site-start-up", stage=Stage.PHASE_2, estimate=_usd("1000.00"))
    _refused(
        ValidationError,
        "items[1].service: service crokit:site-start-up is not priced as a pass-through "
        "(usually priced per-country, per-site, per-hour, per-fte-month); use UnitPrice",
        item.price,
        STUDY,
        DRIVERS,
        registry=REGISTRY,
        path="items[1]",
    )


# --- adjustments.py ------------------------------------------------------------------------


def _tier(minimum: Money, rate: str) -> TotalTier:
    return TotalTier(min_total=minimum, rate=rate)


@pytest.mark.parametrize(
    ("build", "text"),
    [
        (lambda: TieredDiscount(tiers=()), "tiers: expected at least one tier"),
        (
            lambda: TieredDiscount(tiers=(_tier(_usd("0.00"), "0.01"), _tier(Money("10.00", "EUR"), "0.02"))),
            "tiers[1].min_total: expected an amount in USD, like tiers[0]",
        ),
        (
            lambda: TieredDiscount(tiers=(_tier(_usd("10.00"), "0.01"), _tier(_usd("10.00"), "0.02"))),
            "tiers[1].min_total: tiers must be in strictly ascending order: 10.00 USD follows 10.00 USD",
        ),
        (
            lambda: TieredDiscount(
                tiers=(_tier(_usd("1.00"), "0.01"), _tier(_usd("10.00"), "0.02"), _tier(_usd("5.00"), "0.03"))
            ),
            "tiers[2].min_total: tiers must be in strictly ascending order: 5.00 USD follows 10.00 USD",
        ),
        (
            lambda: CurrencyConversion(to="XAU", fx=FxTable(rates=()), on=START),
            "to: XAU has no minor unit, so budget lines cannot be rounded in it",
        ),
        (
            lambda: Escalation(annual_rate="0.6", base_date=START, start_date=START),
            "annual_rate: expected a fraction from 0 to 0.5 (50%), where 0.05 means 5%, got 0.6",
        ),
    ],
)
def test_each_adjustment_refusal_has_its_path_and_message(build: Any, text: str) -> None:
    _refused(ValidationError, text, build)


def _two_buckets() -> Budget:
    return Budget(
        currency="USD",
        lines=(
            _line(),
            _line(
                description="Grants",
                bucket="pass-through",
                unit_price=_usd("100.00"),
                quantity=Decimal(1),
                months=(5, 6),
            ),
        ),
    )


def test_a_tier_applies_from_exactly_its_minimum_total() -> None:
    tiered = TieredDiscount(
        tiers=(_tier(_usd("0.00"), "0.01"), _tier(_usd("3100.00"), "0.02"), _tier(_usd("3100.01"), "0.03"))
    )
    added = tiered.apply(_two_buckets()).lines[2:]
    assert [(line.description, line.amount, line.months, line.bucket) for line in added] == [
        (
            "Tiered discount 2% (total reaches 3100.00 USD): Monitoring visits",
            _usd("-60.00"),
            (0, 1, 2),
            CostBucket.CRO_DIRECT_FEES,
        ),
        ("Tiered discount 2% (total reaches 3100.00 USD): Grants", _usd("-2.00"), (5, 6), CostBucket.PASS_THROUGH),
    ]
    assert (added[0].kind, added[0].quantity, added[0].unit_price, added[0].basis) == (
        PricingKind.ADJUSTMENT,
        Decimal("0.02"),
        _usd("-3000.00"),
        None,
    )
    assert added[0].derivation == "-2% x 3000.00 USD = -60.0000 USD, rounded half-even to -60.00 USD"


def test_a_tiered_discount_no_tier_of_which_is_reached_changes_nothing() -> None:
    budget = _two_buckets()
    tiered = TieredDiscount(tiers=(_tier(_usd("5000.00"), "0.01"),), applies_to="pass-through")
    assert tiered.applies_to is CostBucket.PASS_THROUGH
    assert tiered.apply(budget) is budget
    _refused(
        CurrencyMismatchError,
        "cannot apply a tiered discount in USD and EUR: convert one currency with an FxTable first",
        tiered.apply,
        Budget(currency="EUR"),
    )


def test_rate_adjustments_name_their_bucket_and_keep_the_adjusted_lines_service_and_stage() -> None:
    budget = _two_buckets()
    (discount,) = PercentDiscount(rate="0.05", applies_to="pass-through").apply(budget).lines[2:]
    assert (discount.description, discount.amount, discount.bucket) == (
        "Discount 5% on pass-through: Grants",
        _usd("-5.00"),
        CostBucket.PASS_THROUGH,
    )
    (reserve,) = Contingency(rate="0.10").apply(budget).lines[2:]
    assert (reserve.description, reserve.amount, reserve.bucket) == (
        "Contingency 10%: Monitoring visits",
        _usd("300.00"),
        CostBucket.CRO_DIRECT_FEES,
    )
    assert reserve.derivation == "+10% x 3000.00 USD = 300.0000 USD, rounded half-even to 300.00 USD"
    (fee,) = ManagementFee(rate="0.05").apply(budget).lines[2:]
    assert (fee.description, fee.amount, fee.bucket, fee.service, fee.stage, fee.months) == (
        "Management fee 5% on pass-through: Grants",
        _usd("5.00"),
        CostBucket.CRO_DIRECT_FEES,
        "crokit:on-site-monitoring",
        Stage.PHASE_2,
        (5, 6),
    )


def test_an_adjustment_that_rounds_to_zero_adds_no_line() -> None:
    budget = Budget(currency="USD", lines=(_line(unit_price=_usd("1.00"), quantity=Decimal(1)),))
    assert PercentDiscount(rate="0.004").apply(budget).lines == budget.lines
    assert len(PercentDiscount(rate="0.005").apply(budget).lines) == 1  # -0.005 rounds half-even to -0.00
    assert len(PercentDiscount(rate="0.006").apply(budget).lines) == 2


def test_a_currency_conversion_converts_each_unit_price_and_says_how() -> None:
    fx = FxTable(rates=(_rate("USD", "EUR", "0.9137", date(2027, 1, 1), "illustrative"),))
    conversion = CurrencyConversion(to="EUR", fx=fx, on=START)
    lines = conversion.apply(_two_buckets()).lines
    assert [(line.unit_price, line.amount) for line in lines] == [
        (Money("913.70", "EUR"), Money("2741.10", "EUR")),
        (Money("91.37", "EUR"), Money("91.37", "EUR")),
    ]
    assert lines[0].derivation == (
        "3 visits x 1000.00 USD; converted at 0.9137 USD->EUR on 2027-01-04: unit price 1000.00 USD -> "
        "913.70 EUR (rounded half-even), amount 3 x 913.70 EUR rounded to 2741.10 EUR"
    )
    budget = _two_buckets()
    assert CurrencyConversion(to="USD", fx=fx, on=START).apply(budget) is budget


# --- budget.py: views ----------------------------------------------------------------------


def test_a_budgets_repr_counts_its_lines_and_shows_its_total() -> None:
    assert repr(Budget(currency="USD", lines=(_line(),))) == "Budget(currency='USD', 1 line, total=3000.00 USD)"
    assert repr(Budget(currency="EUR")) == "Budget(currency='EUR', 0 lines, total=0.00 EUR)"


def test_a_budgets_views_are_the_public_views_of_it() -> None:
    budget = _two_buckets()
    assert budget.to_records() == crokit.dataframe.to_records(budget)
    assert budget.to_records()[1]["amount"] == "100.00"
    assert budget._repr_html_() == crokit.display.budget_html(budget)
    assert budget._repr_markdown_() == crokit.display.budget_markdown(budget)
    exact = budget.to_dataframe()
    assert list(exact["amount"]) == [Decimal("3000.00"), Decimal("100.00")]
    assert all(type(value) is Decimal for value in exact["amount"])
    floats = budget.to_dataframe(numeric="float")
    assert list(floats["amount"]) == [3000.0, 100.0]
    assert all(type(value) is float for value in floats["amount"])


def test_a_line_near_the_top_of_the_range_converts_into_a_four_place_currency() -> None:
    # Regression (found through the survivor _converted_line__mutmut_25): 13 x 5.1e28 USD into
    # CLF (four places) is a 35-digit amount, and no 34-digit unit price priced it, so the
    # converted line was refused by LineItem's own check. The amount over the quantity to
    # 62 digits always prices it.
    fx = FxTable(rates=(_rate("USD", "CLF", "1.0001", date(2027, 1, 1), "illustrative"),))
    line = _line(quantity=Decimal(13), unit_price=Money("51072278438157323722758854908.385", "USD"))
    converted, record = convert_budget(Budget(currency="USD", lines=(line,)), "CLF", fx=fx, on=START)
    (only,) = converted.lines
    assert record is not None
    assert only.amount == Money("664006013658014812916704700320.3809", "CLF") == record.converted
    assert (only.unit_price * 13).rounded() == only.amount
    assert only.unit_price == Money("51077385666001139455131130793.875453846153846153846153846153846", "CLF")


def test_a_diff_goes_on_past_an_unchanged_line_and_totals_each_changed_service() -> None:
    old = Budget(currency="USD", lines=(_line(description="Same"), _line()))
    new = Budget(currency="USD", lines=(_line(description="Same"), _line(quantity=Decimal(4))))
    diff = old.diff(new)
    assert [(change.key[1], change.change) for change in diff.lines] == [("Monitoring visits", ChangeKind.CHANGED)]
    (service,) = diff.services
    assert (service.service, service.change, service.old_amount, service.new_amount) == (
        "crokit:on-site-monitoring",
        ChangeKind.CHANGED,
        _usd("6000.00"),
        _usd("7000.00"),
    )


@pytest.mark.parametrize(
    "build",
    [
        lambda: _unit_price(service="not an id"),
        lambda: PassThrough(service="not an id", stage=Stage.PHASE_2, estimate=_usd("1.00")),
        lambda: _fixed_fee(service="not an id"),
    ],
)
def test_a_models_service_that_is_not_an_id_is_refused_at_its_field(build: Any) -> None:
    _refused(
        ValidationError,
        "service: expected a namespaced id like 'crokit:patient-recruitment' (lower case, hyphens), got 'not an id'",
        build,
    )


def test_a_line_whose_adjustment_rounds_to_zero_does_not_stop_the_lines_after_it() -> None:
    small = _line(description="Small", unit_price=_usd("1.00"), quantity=Decimal(1))
    budget = Budget(currency="USD", lines=(small, _line()))
    added = PercentDiscount(rate="0.004").apply(budget).lines[2:]
    assert [(line.description, line.amount) for line in added] == [("Discount 0.4%: Monitoring visits", _usd("-12.00"))]


# --- decorated functions (mutation/run.py --decorated) -----------------------------------------

USD_EUR = FxTable(rates=(_rate("USD", "EUR", "1.00000001", date(2027, 1, 1), "illustrative"),))


def test_amounts_in_two_currencies_or_not_money_are_refused_at_their_index() -> None:
    convert = convert_amounts
    _refused(
        ValidationError,
        "amounts[1]: expected Money in USD, like amounts[0], got Money(amount=Decimal('1.00'), currency='EUR')",
        convert,
        [_usd("1.00"), Money("1.00", "EUR")],
        "EUR",
        fx=USD_EUR,
        on=START,
        purpose=FxPurpose.COMPARISON,
    )
    _refused(
        ValidationError,
        "amounts[1]: expected Money, got 5",
        convert,
        [_usd("1.00"), 5],
        "EUR",
        fx=USD_EUR,
        on=START,
        purpose=FxPurpose.COMPARISON,
    )


def test_amounts_that_are_not_a_sequence_of_money_are_refused_with_a_path() -> None:
    # Regression (found judging the survivors of convert_amounts' refusal): a first amount that
    # was not Money was refused as "expected Money in EUR, like amounts[0]" (the target
    # currency, and itself), and amounts that were not a sequence raised a bare TypeError.
    arguments: dict[str, Any] = {"fx": USD_EUR, "on": START, "purpose": FxPurpose.COMPARISON}
    _refused(ValidationError, "amounts[0]: expected Money, got 5", convert_amounts, [5], "EUR", **arguments)
    _refused(ValidationError, "amounts: expected a sequence of Money, got 5", convert_amounts, 5, "EUR", **arguments)
    generator: Any = (amount for amount in [_usd("1.00")])
    with pytest.raises(ValidationError, match=r"^amounts: expected a sequence of Money, got <generator object"):
        convert_amounts(generator, "EUR", **arguments)


def test_the_converted_total_is_rounded_from_every_digit_of_the_product() -> None:
    # 1000000000000000000000500010.00 USD x 1.00000001 = 100000001000000000000050001000.50001 cents:
    # above the half, so it rounds up; rounded to 34 digits first it would be a tie, rounded to even.
    amount = _usd("1000000000000000000000500010.00")
    parts, record = convert_amounts([amount], "EUR", fx=USD_EUR, on=START, purpose=FxPurpose.CASH_FLOW)
    assert record is not None
    assert parts == (Money("1000000010000000000000500010.01", "EUR"),)
    assert record.converted == parts[0]
    assert (record.amount, record.rate, record.purpose) == (amount, Decimal("1.00000001"), FxPurpose.CASH_FLOW)
    budget = Budget(currency="USD", lines=(_line(quantity=Decimal(1), unit_price=amount),))
    converted, _ = convert_budget(budget, "EUR", fx=USD_EUR, on=START)
    assert converted.total == Money("1000000010000000000000500010.01", "EUR")


def test_converting_something_that_is_not_a_budget_is_refused() -> None:
    _refused(ValidationError, "budget: expected a Budget, got 5", convert_budget, 5, "EUR", fx=USD_EUR, on=START)


def test_a_tiered_discount_on_one_bucket_says_so_and_discounts_only_that_bucket() -> None:
    tiered = TieredDiscount(tiers=(_tier(_usd("3000.00"), "0.10"),), applies_to="pass-through")
    added = tiered.apply(_two_buckets()).lines[2:]
    assert [(line.description, line.amount, line.bucket) for line in added] == [
        (
            "Tiered discount 10% on pass-through (total reaches 3000.00 USD): Grants",
            _usd("-10.00"),
            CostBucket.PASS_THROUGH,
        )
    ]


def test_escalation_escalates_only_its_bucket_and_names_the_group_of_a_service_priced_in_two_stages() -> None:
    def monthly(description: str, **changes: Any) -> LineItem:
        fields: dict[str, Any] = {"quantity": Decimal(24), "unit_price": _usd("100.00"), "months": tuple(range(24))}
        return _line(description=description, **{**fields, **changes})

    budget = Budget(
        currency="USD",
        lines=(
            monthly("Lab kits", service="crokit:central-lab", bucket=CostBucket.PASS_THROUGH),
            monthly("Phase 2 visits"),
            monthly("Phase 3 visits", stage=Stage.PHASE_3),
            monthly("Report", service="crokit:clinical-study-report"),
        ),
    )
    added = Escalation(annual_rate="0.10", base_date=START, start_date=START).apply(budget).lines[4:]
    assert [(line.service, line.stage, line.description, line.amount) for line in added] == [
        (
            "crokit:on-site-monitoring",
            Stage.PHASE_2,
            "Escalation 10% a year, contract year 2 (phase-2, cro-direct-fees)",
            _usd("120.00"),
        ),
        (
            "crokit:on-site-monitoring",
            Stage.PHASE_3,
            "Escalation 10% a year, contract year 2 (phase-3, cro-direct-fees)",
            _usd("120.00"),
        ),
        ("crokit:clinical-study-report", Stage.PHASE_2, "Escalation 10% a year, contract year 2", _usd("120.00")),
    ]


@pytest.mark.parametrize(
    "item",
    [
        _fixed_fee(service="crokit:clinical-study-reportt"),
        PassThrough(service="crokit:clinical-study-reportt", stage=Stage.PHASE_2, estimate=_usd("1.00")),
    ],
)
def test_a_fixed_fee_or_pass_through_of_an_unknown_service_is_refused_at_the_items_path(item: Any) -> None:
    with pytest.raises(UnknownIdError) as caught:
        item.price(STUDY, DRIVERS, registry=REGISTRY, path="items[3]")
    assert str(caught.value).startswith("items[3].service: unknown service 'crokit:clinical-study-reportt'")
    with pytest.raises(UnknownIdError) as caught:
        item.price(STUDY, DRIVERS, registry=REGISTRY)
    assert str(caught.value).startswith("service: unknown service 'crokit:clinical-study-reportt'")


def test_a_unit_price_line_keeps_the_basis_it_was_priced_on() -> None:
    (line,) = _unit_price().price(STUDY, DRIVERS, registry=REGISTRY).lines
    assert line.basis is UnitBasis.PER_SITE
    (hours,) = _unit_price(basis="per-hour", quantity="10").price(STUDY, DRIVERS, registry=REGISTRY).lines
    assert hours.basis is UnitBasis.PER_HOUR


# --- lines built through LineItem._trusted (mutation/results-perf-changes.md) ---------------


def _fields(line: LineItem) -> dict[str, Any]:
    return {field.name: getattr(line, field.name) for field in attrs.fields(LineItem)}


def _passes_the_public_constructor(line: LineItem) -> None:
    """*line*, built without re-validation, is exactly what the public constructor builds from its fields."""
    assert LineItem(**_fields(line)) == line


def test_escalation_lines_hold_every_field_a_public_line_would() -> None:
    line = _line(
        bucket=CostBucket.CRO_DIRECT_FEES,
        quantity=Decimal(30),
        unit_price=_usd("1000.00"),
        months=tuple(range(30)),
        derivation="30 visits x 1000.00 USD",
    )
    added = Escalation(annual_rate="0.035", base_date=START, start_date=START).apply(
        Budget(currency="USD", lines=(line,))
    )
    common = {
        "service": "crokit:on-site-monitoring",
        "stage": Stage.PHASE_2,
        "kind": PricingKind.ADJUSTMENT,
        "bucket": CostBucket.CRO_DIRECT_FEES,
        "basis": None,
    }
    # Year 2 (months 12-23): 12 x 1000.00 at 1.035 - 1; year 3 (months 24-29): 6 x 1000.00 at 1.035**2 - 1.
    assert [_fields(extra) for extra in added.lines[1:]] == [
        {
            **common,
            "description": "Escalation 3.5% a year, contract year 2",
            "quantity": Decimal("0.035"),
            "unit_price": _usd("12000.00"),
            "amount": _usd("420.00"),
            "months": tuple(range(12, 24)),
            "derivation": "((1 + 3.5/100)^1 - 1) = 0.035 x 12000.00 USD (work in study months 12-23, from "
            "2028-01-04; prices of 2027-01-04) = 420.00000 USD, rounded half-even to 420.00 USD",
        },
        {
            **common,
            "description": "Escalation 3.5% a year, contract year 3",
            "quantity": Decimal("0.071225"),
            "unit_price": _usd("6000.00"),
            "amount": _usd("427.35"),
            "months": tuple(range(24, 30)),
            "derivation": "((1 + 3.5/100)^2 - 1) = 0.071225 x 6000.00 USD (work in study months 24-29, from "
            "2029-01-04; prices of 2027-01-04) = 427.35000000 USD, rounded half-even to 427.35 USD",
        },
    ]
    for extra in added.lines[1:]:
        _passes_the_public_constructor(extra)


def test_an_escalation_that_rounds_to_zero_adds_no_line() -> None:
    def escalated(amount: str) -> tuple[Money, ...]:
        # Half the line in month 0 (contract year 1), half in month 12 (contract year 2, +10%).
        line = _line(unit_price=_usd(amount), quantity=Decimal(1), months=(0, 12), derivation="by hand")
        budget = Escalation(annual_rate="0.10", base_date=START, start_date=START).apply(
            Budget(currency="USD", lines=(line,))
        )
        return tuple(extra.amount for extra in budget.lines[1:])

    assert escalated("0.10") == ()  # 10% of 0.05 = 0.005, half-even to 0.00
    assert escalated("0.12") == (_usd("0.01"),)  # 10% of 0.06 = 0.006


def test_model_lines_hold_every_field_a_public_line_would() -> None:
    both = (_paid(Milestone.DATABASE_LOCK, share="0.3"), _paid(Milestone.CLINICAL_STUDY_REPORT, share="0.7"))
    lab = PassThrough(
        service="crokit:central-lab", stage=Stage.PHASE_2, estimate=_usd("1000.005"), management_fee="0.05"
    )
    lines = [
        line
        for item in (_unit_price(), _fixed_fee(milestones=both), lab)
        for line in item.price(STUDY, DRIVERS, registry=REGISTRY).lines
    ]
    fee = {
        "service": "crokit:clinical-study-report",
        "kind": PricingKind.FIXED_FEE,
        "bucket": CostBucket.CRO_DIRECT_FEES,
        "basis": None,
        "quantity": Decimal(1),
    }
    lab_months = tuple(range(4, 22))  # first patient in to last patient out
    expected: list[dict[str, Any]] = [
        {
            "service": "crokit:site-start-up",
            "kind": PricingKind.UNIT,
            "bucket": CostBucket.CRO_DIRECT_FEES,
            "description": "Site start-up and contracting (per-site)",
            "basis": UnitBasis.PER_SITE,
            "quantity": Decimal(12),
            "unit_price": _usd("4500.00"),
            "amount": _usd("54000.00"),
            "months": (0, 1, 2, 3),
            "derivation": "12 x 4500.00 USD = 54000.00 USD, rounded half-even to 54000.00 USD; "
            "sites: study.sites (rounding: none: exact whole number)",
        },
        {
            **fee,
            "description": "Clinical study report: Database lock",
            "unit_price": _usd("30.00"),
            "amount": _usd("30.00"),
            "months": (22,),
            "derivation": "30.00 USD paid on Database lock (study month 22): 30% of the fee 100.00 USD, "
            "split by largest remainder so payments sum to the fee",
        },
        {
            **fee,
            "description": "Clinical study report: Clinical study report",
            "unit_price": _usd("70.00"),
            "amount": _usd("70.00"),
            "months": (24,),
            "derivation": "70.00 USD paid on Clinical study report (study month 24): 70% of the fee 100.00 USD, "
            "split by largest remainder so payments sum to the fee",
        },
        {
            "service": "crokit:central-lab",
            "kind": PricingKind.PASS_THROUGH,
            "bucket": CostBucket.PASS_THROUGH,
            "description": "Central laboratory",
            "basis": UnitBasis.PASS_THROUGH,
            "quantity": Decimal(1),
            "unit_price": _usd("1000.005"),
            "amount": _usd("1000.00"),
            "months": lab_months,
            "derivation": "estimate 1000.005 USD passed through at cost, rounded half-even to 1000.00 USD",
        },
        {
            "service": "crokit:central-lab",
            "kind": PricingKind.PASS_THROUGH,
            "bucket": CostBucket.CRO_DIRECT_FEES,
            "description": "Management fee on Central laboratory",
            "basis": None,
            "quantity": Decimal("0.05"),
            "unit_price": _usd("1000.00"),
            "amount": _usd("50.00"),
            "months": lab_months,
            "derivation": "management fee 0.05 x 1000.00 USD, rounded half-even to 50.00 USD",
        },
    ]
    assert [_fields(line) for line in lines] == [{"stage": Stage.PHASE_2, **fields} for fields in expected]
    for line in lines:
        _passes_the_public_constructor(line)
