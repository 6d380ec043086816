"""The schedule builder's arithmetic in whole minor units gives what Money.allocate gives (issue #13).

The builder sums invoices and splits holdbacks on integers instead of Money values; these
tests pin that the parts are the same amounts, with the same signs and digits.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from crokit.money import Money, allocate_units
from crokit.schedule import BillingTerms
from crokit.schedule.build import _Holdback

from crokit.testing import money  # isort: skip


@given(
    st.integers(min_value=0, max_value=10**20),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8).filter(any),
)
def test_allocate_units_adds_up_and_is_money_allocate(units, weights):
    parts = allocate_units(units, weights)
    assert sum(parts) == units
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part * whole - units * weight) < whole  # within one unit of the exact share
    amounts = Money(Decimal(units).scaleb(-2), "USD").allocate(weights)
    assert [m.amount for m in amounts] == [Decimal(p).scaleb(-2) for p in parts]


@given(
    money(),
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal("0.999"), places=3),
)
def test_holdback_split_is_the_allocation_of_the_share(gross, share):
    gross = gross.rounded()
    holdback = _Holdback(BillingTerms(holdback_share=share), gross.currency)
    percent = share.scaleb(2)
    expected = gross.allocate([percent, Decimal(100) - percent])
    got = holdback._split(gross)
    assert got == expected
    assert [str(m.amount) for m in got] == [str(m.amount) for m in expected]
