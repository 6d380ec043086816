"""The schedule builder's arithmetic in whole minor units gives what Money.allocate gives (issue #13).

The builder sums invoices and splits holdbacks on integers instead of Money values; these
tests pin that the parts are the same amounts, with the same signs and digits.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from crokit.money import Money, allocate_units
from crokit.schedule import BillingTerms, PaymentKind
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
    kept, paid = gross.allocate([percent, Decimal(100) - percent])
    payment = holdback.invoice(
        gross, dt.date(2027, 1, 31), kind=PaymentKind.SERVICE_PERIOD, description="Services", lines=(), hold=True
    )
    assert str(payment.amount.amount) == str(paid.amount)
    if kept.is_zero():
        assert payment.retained is None
    else:
        assert payment.retained is not None
        assert str(payment.retained.amount) == str(kept.amount)
    release = holdback.release(dt.date(2027, 6, 30))
    if kept.is_zero():
        assert release is None
    else:
        assert release is not None
        assert str(release.amount.amount) == str((Money.zero(gross.currency) + kept).amount)


@given(st.lists(money(currency="USD"), min_size=1, max_size=6), st.data())
def test_held_amounts_add_up_to_the_release_in_money_arithmetic(grosses, data):
    """The release is the Money sum of every part retained, and each payment plus its part is the invoice."""
    holdback = _Holdback(BillingTerms(holdback_share=Decimal("0.05")), "USD")
    retained = Money.zero("USD")
    for gross in (g.rounded() for g in grosses):
        keep = data.draw(st.none() | money(currency="USD").map(Money.rounded))
        units = int(gross.amount.scaleb(2))
        payment = holdback.invoice_units(
            units,
            dt.date(2027, 1, 31),
            kind=PaymentKind.SERVICE_PERIOD,
            description="Services",
            lines=(),
            hold=True,
            keep_units=None if keep is None else int(keep.amount.scaleb(2)),
        )
        part = payment.retained or Money.zero("USD")
        assert payment.amount + part == gross
        if keep is not None:  # the given part, and the rest as Money subtraction writes it
            assert str(payment.amount.amount) == str((gross - keep).amount)
            assert part == keep
        retained += part
    release = holdback.release(dt.date(2027, 6, 30))
    if retained.is_zero():
        assert release is None
    else:
        assert release is not None
        assert str(release.amount.amount) == str(retained.amount)


def _largest_remainder(units: int, weights: list[int]) -> list[int]:
    """The rule written out independently: floors, then one unit each by largest remainder, earlier first."""
    whole = sum(weights)
    parts = [units * weight // whole for weight in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(units * weights[i] % whole), i))
    for i in order[: units - sum(parts)]:
        parts[i] += 1
    return parts


@given(
    st.integers(min_value=0, max_value=10**20),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=4).filter(any),
)
def test_allocate_units_is_the_largest_remainder_rule(units, weights):
    assert allocate_units(units, weights) == _largest_remainder(units, weights)


def test_two_parts_with_equal_remainders_give_the_unit_to_the_first():
    assert allocate_units(1, [1, 3]) == [0, 1]  # remainders 1 and 3: the second
    assert allocate_units(1, [2, 2]) == [1, 0]
    assert allocate_units(3, [1, 1, 2]) == [1, 1, 1]
    assert allocate_units(5, [3, 7]) == [2, 3]  # 1.5 and 3.5: equal remainders, the first takes it
