"""Money never depends on the caller's decimal context, and is exact across its whole range.

Issue 9, finding 4 (money under other decimal contexts, allocation at large magnitudes,
sums that dropped digits, four-decimal currencies near the top of the range) and
finding 11 (the FxRate and FxTable constructors given the wrong types).
"""

from __future__ import annotations

import decimal
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from crokit import CrokitError, FxRate, FxTable, Money, Stage, UnitBasis
from crokit._decimal import EXACT_DIGITS, MAX_EXPONENT, exact_sum
from crokit.errors import InvalidAmountError, ValidationError
from crokit.money import RoundingPolicy, total
from crokit.pricing import Budget, CostBucket, LineItem, PricingKind

PLACES = {"JPY": 0, "USD": 2, "KWD": 3, "CLF": 4}
LIMIT = 10 ** (MAX_EXPONENT + 1)
"""Amounts are below this in magnitude (the documented range)."""
SIGNALS = [
    decimal.Clamped,
    decimal.DivisionByZero,
    decimal.FloatOperation,
    decimal.Inexact,
    decimal.InvalidOperation,
    decimal.Overflow,
    decimal.Rounded,
    decimal.Subnormal,
    decimal.Underflow,
]
ROUNDINGS = [
    decimal.ROUND_05UP,
    decimal.ROUND_CEILING,
    decimal.ROUND_DOWN,
    decimal.ROUND_FLOOR,
    decimal.ROUND_HALF_DOWN,
    decimal.ROUND_HALF_EVEN,
    decimal.ROUND_HALF_UP,
    decimal.ROUND_UP,
]


@st.composite
def caller_contexts(draw: st.DrawFn) -> decimal.Context:
    """Whatever decimal context a caller might have set: any precision, rounding and traps."""
    return decimal.Context(
        prec=draw(st.integers(1, 50)),
        rounding=draw(st.sampled_from(ROUNDINGS)),
        traps=draw(st.lists(st.sampled_from(SIGNALS), unique=True)),
        Emax=draw(st.sampled_from([999_999, 99, 40])),
        Emin=draw(st.sampled_from([-999_999, -99, -40])),
    )


def from_units(units: int, places: int) -> Decimal:
    """*units* minor units as an exact Decimal (built from text: no context involved)."""
    return Decimal(f"{units}E-{places}")


@st.composite
def rounded_money(draw: st.DrawFn, currency: str | None = None) -> Money:
    """A whole number of minor units anywhere in the range, in a 0-, 2-, 3- or 4-decimal currency."""
    code = currency or draw(st.sampled_from(sorted(PLACES)))
    places = PLACES[code]
    top = LIMIT * 10**places - 1
    units = draw(
        st.one_of(
            st.integers(-top, top),
            st.integers(-(10**12), 10**12),
            st.sampled_from([top, -top, top - 1, 1, -1, 0]),
        )
    )
    return Money(from_units(units, places), code)


def exact(money: Money) -> Fraction:
    return Fraction(money.amount)


# The cases ---------------------------------------------------------------------------


def test_allocate_ignores_a_six_digit_caller_context():
    with decimal.localcontext(prec=6):
        parts = Money("1000000.01", "USD").allocate([1, 1, 1])
    assert [str(p) for p in parts] == ["333333.34 USD", "333333.34 USD", "333333.33 USD"]


def test_allocate_sums_to_the_whole_at_large_magnitudes():
    whole = Money("133333333333333333333333329.9", "USD")
    parts = whole.allocate([1, 5])
    assert sum(exact(p) for p in parts) == exact(whole)
    assert [str(p) for p in parts] == ["22222222222222222222222221.65 USD", "111111111111111111111111108.25 USD"]


def test_adding_a_small_amount_to_a_large_one_keeps_every_digit():
    result = Money("1E+30", "JPY") + Money("0.0001", "JPY")
    assert result.amount == Decimal("1000000000000000000000000000000.0001")
    assert result - Money("1E+30", "JPY") == Money("0.0001", "JPY")


def test_four_decimal_currencies_at_the_top_of_the_range():
    top = Money("9999999999999999999999999999999.9999", "CLF")
    assert top.is_rounded()
    assert top.rounded() == top
    assert Money("9999999999999999999999999999999.99994", "CLF").rounded() == top
    parts = top.allocate([1, 2])
    assert sum(exact(p) for p in parts) == exact(top)
    assert str(parts[0]) == "3333333333333333333333333333333.3333 CLF"


def test_a_budget_by_month_sums_to_its_total_under_a_six_digit_context():
    line = LineItem(
        service="crokit:on-site-monitoring",
        stage=Stage.PHASE_2,
        kind=PricingKind.UNIT,
        bucket=CostBucket.CRO_DIRECT_FEES,
        description="Monitoring visits",
        basis=UnitBasis.PER_MONITORING_VISIT,
        quantity=Decimal(3),
        unit_price=Money("333333.67", "USD"),
        amount=Money("1000001.01", "USD"),
        months=(0, 1, 2),
        derivation="3 visits x 333333.67 USD",
    )
    budget = Budget(currency="USD", lines=(line,))
    with decimal.localcontext(prec=6):
        months = budget.by_month()
    assert [str(m) for m in months.values()] == ["333333.67 USD", "333333.67 USD", "333333.67 USD"]
    assert sum(exact(m) for m in months.values()) == exact(budget.total)


def _clf_line(description: str, amount: str) -> LineItem:
    return LineItem(
        service="crokit:on-site-monitoring",
        stage=Stage.PHASE_2,
        kind=PricingKind.UNIT,
        bucket=CostBucket.CRO_DIRECT_FEES,
        description=description,
        basis=UnitBasis.PER_MONITORING_VISIT,
        quantity=Decimal(1),
        unit_price=Money(amount, "CLF"),
        amount=Money(amount, "CLF"),
        months=(0,),
        derivation=f"1 visit x {amount} CLF",
    )


def test_budget_roll_ups_are_exact_for_four_decimal_currencies_at_the_top_of_the_range():
    budget = Budget(
        currency="CLF",
        lines=(_clf_line("Large", "1000000000000000000000000000000.0000"), _clf_line("Small", "0.0001")),
    )
    assert budget.total == Money("1000000000000000000000000000000.0001", "CLF")
    assert budget.by_month() == {0: budget.total}
    assert budget.by_service() == {"crokit:on-site-monitoring": budget.total}
    assert budget.by_stage() == {Stage.PHASE_2: budget.total}


# Refused rather than rounded -------------------------------------------------------------------


def test_results_beyond_the_range_are_refused():
    top = Money("9999999999999999999999999999999.9999", "CLF")
    with pytest.raises(InvalidAmountError, match="out of range"):
        _ = top + Money("0.0001", "CLF")
    with pytest.raises(InvalidAmountError, match="out of range"):
        Money("9999999999999999999999999999999.99995", "CLF").rounded()
    with pytest.raises(InvalidAmountError, match="out of range"):
        _ = top * 2
    with pytest.raises(InvalidAmountError, match="out of range"):
        total([top, top], currency="CLF")
    with pytest.raises(InvalidAmountError, match="out of range"):
        Money("1E+31", "USD")


def test_a_sum_that_cannot_be_exact_is_refused_not_rounded():
    tiny = Money(Decimal("1." + "1" * 80 + "E-30"), "USD")
    with pytest.raises(InvalidAmountError, match=f"more than {EXACT_DIGITS} significant digits"):
        _ = Money("1E+30", "USD") + tiny
    with pytest.raises(InvalidAmountError, match="significant digits"):
        exact_sum([Decimal("1E+30"), tiny.amount])


# Properties under any caller context -----------------------------------------------------------


@given(caller_contexts(), st.data())
def test_sums_are_exact_in_any_caller_context(context, data):
    code = data.draw(st.sampled_from(sorted(PLACES)))
    items = data.draw(st.lists(rounded_money(code), min_size=1, max_size=6))
    expected = sum((exact(m) for m in items), Fraction(0))
    assume(abs(expected) < LIMIT)
    first, second = items[0], items[-1]
    assume(abs(exact(first) - exact(second)) < LIMIT and abs(exact(first) + exact(second)) < LIMIT)
    with decimal.localcontext(context):
        summed = total(items, currency=code)
        plus = first + second
        minus = first - second
        negated = -first
        absolute = abs(first)
    assert exact(summed) == expected
    assert exact(plus) == exact(first) + exact(second)
    assert exact(minus) == exact(first) - exact(second)
    assert exact(negated) == -exact(first)
    assert exact(absolute) == abs(exact(first))


@given(caller_contexts(), rounded_money(), st.lists(st.integers(0, 10**6), min_size=1, max_size=8))
def test_allocation_is_exact_in_any_caller_context(context, whole, weights):
    assume(any(weights))
    places = PLACES[whole.currency]
    with decimal.localcontext(context):
        parts = whole.allocate(weights)
        again = whole.allocate(weights)
    assert parts == again == whole.allocate(weights)  # the same as in the default context
    assert sum(exact(p) for p in parts) == exact(whole)
    unit = Fraction(1, 10**places)
    for part, weight in zip(parts, weights, strict=True):
        assert part.currency == whole.currency
        assert part.is_rounded()
        share = exact(whole) * weight / sum(weights)
        assert abs(exact(part) - share) < unit


@given(caller_contexts(), st.data())
def test_rounding_is_right_in_any_caller_context(context, data):
    code = data.draw(st.sampled_from(sorted(PLACES)))
    places = PLACES[code]
    extra = data.draw(st.integers(1, 6))
    top = LIMIT * 10 ** (places + extra) - 1
    units = data.draw(st.integers(-top, top) | st.integers(-(10**9), 10**9))
    money = Money(from_units(units, places + extra), code)
    policy = data.draw(st.sampled_from(RoundingPolicy))
    scale = 10**extra
    floor, remainder = divmod(units, scale)
    nearest = floor + (remainder * 2 > scale)
    if remainder * 2 == scale:
        nearest = floor + (floor % 2 if policy is RoundingPolicy.HALF_EVEN else (1 if units > 0 else 0))
    assume(abs(nearest) < LIMIT * 10**places)
    with decimal.localcontext(context):
        result = money.rounded(policy)
        rounded = result.is_rounded()
    assert exact(result) == Fraction(nearest, 10**places)
    assert rounded


@given(caller_contexts(), rounded_money(), st.integers(-1000, 1000))
def test_products_and_quotients_ignore_the_caller_context(context, money, factor):
    assume(factor != 0 and abs(exact(money) * factor) < LIMIT)
    with decimal.localcontext(context):
        product = money * factor
        quotient = money / factor
        rounded = quotient.rounded()
    assert exact(product) == exact(money) * factor  # exact: at most 39 digits
    assert product == money * factor
    assert quotient == money / factor
    places = PLACES[money.currency]
    assert abs(exact(rounded) - exact(money) / factor) <= Fraction(1, 2 * 10**places)


@given(caller_contexts())
def test_fx_conversion_ignores_the_caller_context(context):
    table = FxTable(rates=[FxRate(base="USD", quote="CLF", rate="0.0258", as_of=date(2027, 1, 1), source="test")])
    money = Money("123456789012345678901234567.89", "USD")
    expected = table.convert(money, "CLF", date(2027, 6, 1))
    with decimal.localcontext(context):
        converted = table.convert(money, "CLF", date(2027, 6, 1))
    assert converted == expected
    assert converted.is_rounded()
    assert abs(exact(converted) - Fraction(12345678901234567890123456789 * 258, 10**6)) <= Fraction(1, 2 * 10**4)


# Finding 11: constructors given the wrong type -------------------------------------------------

GOOD: dict[str, Any] = {"base": "EUR", "quote": "USD", "rate": "1.08", "as_of": date(2027, 1, 1), "source": "ECB"}


def test_fx_rate_reads_an_iso_date_text():
    assert FxRate(**{**GOOD, "as_of": "2027-01-01"}) == FxRate(**GOOD)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("as_of", datetime(2027, 1, 1, 12, 0, tzinfo=UTC), "got the datetime 2027-01-01T12:00:00"),
        ("as_of", "2027-13-01", "expected a date like 2027-01-04"),
        ("as_of", "20270101", "expected a date like 2027-01-04"),
        ("as_of", None, "expected a date"),
        ("as_of", 20270101, "expected a date"),
        ("rate", 1.08, "float"),
        ("rate", "0", "exchange rate > 0"),
        ("rate", "-1.08", "exchange rate > 0"),
        ("rate", None, "expected a decimal number"),
        ("rate", True, "bool"),
        ("rate", "NaN", "finite"),
        ("base", None, "currency"),
        ("base", "usd", "currency"),
        ("quote", 840, "currency"),
        ("source", None, "source"),
        ("source", b"ECB", "source"),
        ("source", " ", "source"),
    ],
)
def test_fx_rate_refuses_wrong_values_with_a_crokit_error(field, value, message):
    with pytest.raises(CrokitError, match=message) as caught:
        FxRate(**{**GOOD, field: value})
    assert not isinstance(caught.value, TypeError | AttributeError)


@pytest.mark.parametrize(
    ("rates", "path"),
    [(None, "rates"), (5, "rates"), ("EUR", "rates"), ({}, "rates"), ([{}], r"rates\[0\]"), ([None], r"rates\[0\]")],
)
def test_fx_table_refuses_what_is_not_a_list_of_rates(rates, path):
    with pytest.raises(ValidationError, match=rf"^{path}: expected"):
        FxTable(rates=rates)


def test_fx_table_takes_any_iterable_of_rates_and_checks_lookup_dates():
    table = FxTable(rates=iter([FxRate(**GOOD)]))
    assert table.rate("EUR", "USD", date(2027, 2, 1)) == Decimal("1.08")
    with pytest.raises(ValidationError, match=r"^on: expected a date"):
        table.rate("EUR", "USD", datetime(2027, 2, 1, tzinfo=UTC))
    with pytest.raises(ValidationError, match=r"^on: expected a date"):
        table.convert(Money("1", "EUR"), "USD", "2027-02-01")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^money: expected Money"):
        table.convert("1 EUR", "USD", date(2027, 2, 1))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "amount", [None, [], ["1"], b"1", True, 1.5, float("nan"), float("inf"), "NaN", "-Infinity", "sNaN", {}]
)
def test_money_refuses_wrong_amounts_with_a_crokit_error(amount):
    with pytest.raises(InvalidAmountError):
        Money(amount, "USD")


@pytest.mark.parametrize("currency", [None, 840, b"USD", "usd", ["USD"]])
def test_money_refuses_wrong_currencies_with_a_crokit_error(currency):
    with pytest.raises(CrokitError):
        Money("1", currency)


def test_money_methods_refuse_wrong_arguments_with_a_crokit_error():
    usd = Money("10.00", "USD")
    for call in (
        lambda: usd.ratio(10),  # type: ignore[arg-type]
        lambda: usd.rounded("half-up"),  # type: ignore[arg-type]
        lambda: usd.allocate(3),  # type: ignore[arg-type]
        lambda: usd.allocate(None),  # type: ignore[arg-type]
        lambda: total(None, currency="USD"),  # type: ignore[arg-type]
        lambda: total(usd, currency="USD"),  # type: ignore[arg-type]
    ):
        with pytest.raises(CrokitError):
            call()
