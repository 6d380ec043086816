"""Tests written to kill the mutants of crokit.money that survived tests/test_money.py.

Each pins behaviour the earlier tests left open: the exact path and text of every
refusal (messages are part of the contract: they name the field and what was expected),
comparisons other than ``<``, allocation of amounts below one unit and by Decimal
weights, and arithmetic that must run in crokit's own decimal context. See
mutation/RESULTS.md for the mutants each test kills.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from decimal import Decimal

import pytest

from crokit.errors import CurrencyMismatchError, InvalidAmountError, MissingRateError, ValidationError
from crokit.money import FxRate, FxTable, Money, total

USD = "USD"
DAY = dt.date(2027, 1, 1)


def _problem(error: ValidationError) -> tuple[str, str]:
    assert len(error.problems) == 1
    return error.problems[0].path, error.problems[0].message


@pytest.mark.parametrize(
    ("build", "word"),
    [
        (lambda: Money(1.5, USD), "amount"),  # type: ignore[arg-type]
        (lambda: Money("1.00", USD) * 1.5, "factor"),
        (lambda: FxRate(base=USD, quote="EUR", rate=1.5, as_of=DAY, source="ECB"), "rate"),  # type: ignore[arg-type]
        (lambda: Money("1.00", USD).allocate([1.5, 1]), "weight"),  # type: ignore[list-item]
    ],
)
def test_a_refused_float_names_the_field_it_was_given_for(build: Callable[[], object], word: str):
    with pytest.raises(InvalidAmountError) as caught:
        build()
    assert caught.value.value == 1.5
    assert caught.value.reason == (
        f"a float is inexact (0.1 is stored as 0.1000000000000000055...); give the {word} as text like '1.5' "
        "or as a Decimal"
    )


def test_money_times_money_is_refused_with_the_other_amount():
    other = Money("2.00", USD)
    with pytest.raises(InvalidAmountError) as caught:
        Money("1.00", USD) * other
    assert caught.value.value is other
    assert caught.value.reason == "money can only be multiplied or divided by a number"


@pytest.mark.parametrize(
    ("operation", "apply"),
    [
        ("add", operator.add),
        ("subtract", operator.sub),
        ("divide", lambda a, b: a.ratio(b)),
        ("compare", operator.lt),
        ("compare", operator.ge),
    ],
)
def test_a_currency_mismatch_names_the_operation(operation: str, apply: Callable[[Money, Money], object]):
    with pytest.raises(CurrencyMismatchError) as caught:
        apply(Money("1.00", USD), Money("1.00", "EUR"))
    assert str(caught.value) == f"cannot {operation} USD and EUR: convert one currency with an FxTable first"
    assert (caught.value.left, caught.value.right) == (USD, "EUR")


def test_total_names_the_bad_item_and_the_currencies():
    with pytest.raises(ValidationError) as caught:
        total([Money("1.00", USD), 1], currency=USD)  # type: ignore[list-item]
    assert _problem(caught.value) == ("items", "expected Money, got 1")
    with pytest.raises(CurrencyMismatchError) as mismatch:
        total([Money("1.00", USD), Money("1.00", "EUR")], currency=USD)
    assert str(mismatch.value) == "cannot add USD and EUR: convert one currency with an FxTable first"
    assert (mismatch.value.left, mismatch.value.right) == (USD, "EUR")


@pytest.mark.parametrize(
    ("apply", "expected"),
    [
        (lambda: Money("1.00", USD) / 0, ("divisor", "cannot divide money by zero")),
        (lambda: Money("1.00", USD).ratio(Money("0.00", USD)), ("divisor", "cannot divide by a zero amount")),
        (
            lambda: Money("1", "XAU").rounded(),
            ("currency", "XAU has no minor unit in ISO 4217, so it cannot be rounded or allocated"),
        ),
        (
            lambda: Money("1.005", USD).allocate([1, 1]),
            ("amount", "1.005 USD has digits below the USD minor unit; call .rounded() before allocating"),
        ),
        (lambda: Money("1.00", USD).allocate([]), ("weights", "expected at least one weight")),
        (
            lambda: Money("1.00", USD).allocate([0, 0]),
            ("weights", "expected at least one weight above zero, all are zero"),
        ),
        (lambda: Money("1.00", USD).allocate([1, -1]), ("weights[1]", "expected a weight >= 0, got -1")),
        (
            lambda: FxRate(base=USD, quote="EUR", rate="0", as_of=DAY, source="ECB"),
            ("rate", "expected an exchange rate > 0, got 0"),
        ),
        (
            lambda: FxRate(base=USD, quote="EUR", rate="0.9", as_of=DAY, source=" "),
            ("source", "expected the rate's source (a publisher or contract), got an empty text"),
        ),
        (
            lambda: FxRate(base=USD, quote=USD, rate="1", as_of=DAY, source="ECB"),
            ("quote", "a rate needs two different currencies, got USD twice"),
        ),
        (
            lambda: FxTable(rates=[FxRate(base=USD, quote="EUR", rate=r, as_of=DAY, source="ECB") for r in ("1", "2")]),
            ("rates[1]", "a USD->EUR rate for 2027-01-01 is already given at rates[0]"),
        ),
        # Added in the second money run (after the decimal-context rewrite):
        (lambda: Money("1.00", USD).ratio(5), ("other", "expected Money in USD, got 5")),  # type: ignore[arg-type]
        (
            lambda: Money("1.00", USD).rounded("half-up"),  # type: ignore[arg-type]
            ("policy", "expected a RoundingPolicy ('half-even', 'half-up'), got 'half-up'"),
        ),
        (lambda: Money("1.00", USD).allocate("12"), ("weights", "expected a list of weights, got '12'")),
        (lambda: total(5, currency=USD), ("items", "expected an iterable of Money, got 5")),  # type: ignore[arg-type]
        (lambda: total("ab", currency=USD), ("items", "expected an iterable of Money, got 'ab'")),  # type: ignore[arg-type]
        (lambda: FxTable().convert(5, "EUR", DAY), ("money", "expected Money, got 5")),  # type: ignore[arg-type]
        (
            lambda: FxTable().rate(USD, "EUR", "2027-01-01"),  # type: ignore[arg-type]
            ("on", "expected a date like 2027-01-04, got '2027-01-01'"),
        ),
        (
            lambda: FxTable().rate(USD, "EUR", dt.datetime(2027, 1, 1, 12)),  # noqa: DTZ001 - a naive datetime on purpose
            ("on", "expected a date like 2027-01-04, got datetime.datetime(2027, 1, 1, 12, 0)"),
        ),
        (lambda: FxTable(rates=None), ("rates", "expected a list of FxRate, got None")),
        (lambda: FxTable(rates="ab"), ("rates", "expected a list of FxRate, got 'ab'")),
        (lambda: FxTable(rates=5), ("rates", "expected a list of FxRate, got 5")),
        (lambda: FxTable(rates=[5]), ("rates[0]", "expected an FxRate, got 5")),
        (
            lambda: FxRate(base=USD, quote="EUR", rate="0.9", as_of=5, source="ECB"),
            ("as_of", "expected a date like 2027-01-04, got 5"),
        ),
        (
            lambda: FxRate(base=USD, quote="EUR", rate="0.9", as_of="2027-13-01", source="ECB"),
            ("as_of", "expected a date like 2027-01-04, got '2027-13-01'"),
        ),
        (
            lambda: FxRate(base=USD, quote="EUR", rate="0.9", as_of=DAY, source=5),  # type: ignore[arg-type]
            ("source", "expected the rate's source as text, got 5"),
        ),
        (
            lambda: FxRate(base=USD, quote="EUR", rate="0.9", as_of=dt.datetime(2027, 1, 1, 12), source="ECB"),  # noqa: DTZ001
            (
                "as_of",
                (
                    "expected a date like 2027-01-04, got the datetime 2027-01-01T12:00:00 "
                    "(a rate is in force from a calendar day: pass its .date())"
                ),
            ),
        ),
        (
            lambda: Money("1.00", USD).allocate([Decimal("0.5"), Decimal("-0.5")]),
            ("weights[1]", "expected a weight >= 0, got Decimal('-0.5')"),
        ),
    ],
)
def test_each_refusal_has_its_path_and_message(apply: Callable[[], object], expected: tuple[str, str]):
    with pytest.raises(ValidationError) as caught:
        apply()
    assert _problem(caught.value) == expected


def test_a_missing_rate_keeps_the_pair_and_the_date():
    table = FxTable(rates=(FxRate(base=USD, quote="EUR", rate="0.9", as_of=DAY, source="ECB"),))
    asked = dt.date(2026, 6, 30)
    with pytest.raises(MissingRateError) as caught:
        table.rate(USD, "EUR", asked)
    assert (caught.value.base, caught.value.quote, caught.value.on) == (USD, "EUR", asked)


def test_an_empty_table_says_it_has_no_rate_for_the_pair():
    with pytest.raises(MissingRateError) as caught:
        FxTable().rate(USD, "EUR", DAY)
    assert str(caught.value) == "no USD->EUR exchange rate in force on 2027-01-01 (the table has no rate for this pair)"


def test_each_comparison_method_answers_itself():
    # Called directly: an operator would hide a method returning NotImplemented behind the reflected one.
    low, high = Money("1.00", USD), Money("2.00", USD)
    answers = (low.__lt__(high), low.__le__(high), low.__gt__(high), low.__ge__(high))
    assert answers == (True, True, False, False)


class _Anything:
    """Compares with anything, when asked second."""

    def __le__(self, other: object) -> bool:
        return True

    def __ge__(self, other: object) -> bool:
        return True

    def __lt__(self, other: object) -> bool:
        return True

    def __gt__(self, other: object) -> bool:
        return True


@pytest.mark.parametrize("compare", [operator.lt, operator.le, operator.gt, operator.ge])
def test_comparing_with_another_type_lets_that_type_answer(compare: Callable[[object, object], bool]):
    assert compare(Money("1.00", USD), _Anything()) is True


def test_every_comparison_between_amounts():
    low, high = Money("1.00", USD), Money("2.00", USD)
    assert (low < high, low <= high, low > high, low >= high) == (True, True, False, False)
    assert (high < low, high <= low, high > low, high >= low) == (False, False, True, True)
    assert (low < low, low <= low, low > low, low >= low) == (False, True, False, True)  # noqa: PLR0124 - on purpose


@pytest.mark.parametrize("compare", [operator.lt, operator.le, operator.gt, operator.ge])
def test_comparing_with_a_number_is_a_type_error(compare: Callable[[object, object], bool]):
    with pytest.raises(TypeError):
        compare(Money("1.00", USD), 1)


def test_is_zero():
    assert Money("0.00", USD).is_zero()
    assert Money("-0", USD).is_zero()
    assert not Money("0.01", USD).is_zero()


def test_a_sum_beyond_the_range_is_refused_as_too_large():
    near = Money("9E+30", USD)
    with pytest.raises(InvalidAmountError) as caught:
        near + near
    assert caught.value.value == Decimal("1.8E+31")
    assert caught.value.reason == "the amount is out of range (magnitudes from 1e-30 to below 1e31)"


def test_rounding_and_the_rounded_check_keep_30_digit_amounts_exact():
    # 30 significant digits: more than the 28 of Python's default decimal context.
    amount = Money("123456789012345678901234567.125", USD)
    assert amount.rounded() == Money("123456789012345678901234567.12", USD)
    assert not amount.is_rounded()


def test_allocating_less_than_one_unit_keeps_the_sign():
    assert Money("0.50", USD).allocate([1, 1]) == (Money("0.25", USD), Money("0.25", USD))
    assert Money("-0.50", USD).allocate([1, 1]) == (Money("-0.25", USD), Money("-0.25", USD))


def test_decimal_weights_are_scaled_to_whole_numbers_in_proportion():
    assert Money("3.00", USD).allocate([Decimal("0.5"), Decimal("0.25")]) == (Money("2.00", USD), Money("1.00", USD))
    assert Money("3.00", USD).allocate(["0.5", "0.25"]) == (Money("2.00", USD), Money("1.00", USD))
    assert Money("1.00", USD).allocate([Decimal("2.5")]) == (Money("1.00", USD),)


def test_decimal_weights_with_30_digits_are_compared_exactly():
    # Rounded to 28 digits the two weights would be equal and the cent would go to the first part.
    parts = Money("0.01", USD).allocate([Decimal(1), Decimal("1.00000000000000000000000000001")])
    assert parts == (Money("0.00", USD), Money("0.01", USD))


def test_whole_number_weights_of_any_size_are_exact():
    assert Money("1.00", USD).allocate([10**40, 10**40]) == (Money("0.50", USD), Money("0.50", USD))


def test_a_31_digit_amount_in_a_four_decimal_currency_is_rounded():
    # Written to the minor unit, or with no decimals: no quantize (which would need 35 digits) is needed.
    assert Money("1000000000000000000000000000000.0000", "CLF").is_rounded()
    assert Money("1E+30", "CLF").is_rounded()


def test_a_difference_too_long_to_be_exact_is_refused_as_a_difference():
    """``1E+30 - 0.1...1`` (71 decimals) needs 101 digits: refused, and named a difference, not a sum."""
    small = Money("0.1" + "0" * 69 + "1", USD)
    with pytest.raises(InvalidAmountError, match="the difference needs more than 100 significant digits"):
        Money("1E+30", USD) - small


def test_a_zero_decimal_currency_amount_with_a_fraction_is_not_rounded():
    assert not Money("0.5", "JPY").is_rounded()
    assert Money("12", "JPY").is_rounded()
    assert Money("12.00", "JPY").is_rounded()


def test_allocating_zero_gives_unsigned_zeros():
    parts = Money("0.00", USD).allocate([1, 2])
    assert [str(p) for p in parts] == ["0.00 USD", "0.00 USD"]
    assert [str(p) for p in Money("-0.02", USD).allocate([1, 1])] == ["-0.01 USD", "-0.01 USD"]


def test_an_amount_with_trailing_zeros_below_the_minor_unit_allocates_exactly():
    """The amount's digits are scaled down by integer division, never through a float."""
    parts = Money("12345678901234567890.1200", USD).allocate([1, 0])
    assert parts == (Money("12345678901234567890.12", USD), Money("0.00", USD))
    assert str(parts[0]) == "12345678901234567890.12 USD"
    assert Money("1.230", USD).is_rounded()
    assert [str(p) for p in Money("1.230", USD).allocate([1, 1])] == ["0.62 USD", "0.61 USD"]


def test_a_rate_date_may_be_given_as_iso_text():
    fx = FxRate(base=USD, quote="EUR", rate="0.9", as_of="2027-01-04", source="ECB")
    assert fx.as_of == dt.date(2027, 1, 4)


# Money's "," format (changed after the money round; mutated again 2026-11-30 evening)


def test_a_30_digit_amount_is_shown_with_separators_whatever_the_callers_precision() -> None:
    amount = Money("123456789012345678901234567890.12", "USD")
    assert f"{amount:,}" == "123,456,789,012,345,678,901,234,567,890.12 USD"


def test_an_unknown_money_format_is_refused_at_format() -> None:
    with pytest.raises(ValidationError) as info:
        format(Money("1.00", "USD"), "x")
    assert (info.value.problems[0].path, info.value.problems[0].message) == (
        "format",
        "expected '' or ',' as the format of Money, got 'x'",
    )
