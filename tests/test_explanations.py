"""Explanations write money at the currency's places and numbers without exponent spellings."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from crokit import _text
from crokit.money import Money
from crokit.pricing.diff import ChangeKind, LineChange

EXPONENT = re.compile(r"\d[eE][+-]?\d")


def _zero_volume_change() -> LineChange:
    # The quantity does not change, so the volume effect is the old unit price (11 places) times 0: 0E-11.
    return LineChange(
        key=("crokit:biostatistics", "Statistician"),
        change=ChangeKind.CHANGED,
        old_quantity=Decimal(2),
        new_quantity=Decimal(2),
        old_unit_price=Money(Decimal("1.00000000000"), "USD"),
        new_unit_price=Money("2.00", "USD"),
        old_amount=Money("2.00", "USD"),
        new_amount=Money("4.00", "USD"),
    )


def test_a_zero_volume_effect_reads_0_00_usd() -> None:
    change = _zero_volume_change()
    assert str(change.volume_effect.amount) == "0E-11"  # the value the sentence used to print
    text = change.explain()
    assert "volume 0.00 USD" in text
    assert "0E-11" not in text
    assert not EXPONENT.search(text)
    assert text == (
        "crokit:biostatistics / Statistician: changed 2.00 USD -> 4.00 USD (2.00 USD); quantity 2 -> 2, "
        "unit price 1.00 USD -> 2.00 USD: volume 0.00 USD, rate 2.00 USD, rounding 0.00 USD"
    )


def test_numbers_in_exponent_spelling_read_plain() -> None:
    assert _text.number(Decimal("0E-11")) == "0"
    assert _text.number(Decimal("1E+3")) == "1000"
    assert _text.number(Decimal("3.0")) == "3.0"  # plain spellings stay as written
    assert _text.money(Money(Decimal("0E-11"), "JPY")) == "0 JPY"
    assert _text.money(Money(Decimal("186.3333"), "USD")) == "186.3333 USD"
    assert _text.money(Money(Decimal("1E+3"), "USD")) == "1000.00 USD"


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_number_is_plain_and_exact(value: Decimal) -> None:
    text = _text.number(value)
    assert "E" not in text
    assert Decimal(text) == value


@given(st.from_type(Money))
def test_money_is_plain_exact_and_at_least_at_the_minor_units(money: Money) -> None:
    text = _text.money(money)
    amount, currency = text.split(" ")
    assert currency == money.currency
    assert "E" not in amount
    assert Decimal(amount) == money.amount
    assert len(amount.partition(".")[2]) >= (money.minor_unit or 0)


def test_a_bid_gap_explanation_writes_zero_at_the_currency_places() -> None:
    import attrs

    from crokit import Registry
    from crokit.bids import BidAssumptions, normalise
    from crokit.demo import demo_scenario

    scenario = demo_scenario()
    (helix,) = [candidate.proposal for candidate in scenario.candidates if candidate.id == "helix-cro"]
    assert helix is not None
    own = BidAssumptions(
        screen_failure_rate="0.18",
        dropout_rate="0.05",
        planning=attrs.evolve(scenario.assumptions, enrolment_months=scenario.assumptions.enrolment_months + 4),
    )
    result = normalise(
        helix, quoted=own, study=scenario.study, planning=scenario.assumptions, registry=Registry.builtin()
    )
    assert str(result.rate) == "0.0000 USD"  # the sum of exact rate effects: what the sentence used to print
    text = result.explain()
    assert "rate 0.00 USD" in text.splitlines()[0]
    assert "0.0000 USD" not in text
    assert not EXPONENT.search(text)
