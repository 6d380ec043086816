"""Budget lines keep no per-month objects (issue #13): the split is computed on demand, identically."""

from __future__ import annotations

import sys
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from crokit import Money, Stage, UnitBasis
from crokit.pricing import CostBucket, LineItem, PricingKind


def _line(cents: int, months: tuple[int, ...]) -> LineItem:
    price = Money(Decimal(cents).scaleb(-2), "USD")
    return LineItem(
        service="crokit:on-site-monitoring",
        stage=Stage.PHASE_2,
        kind=PricingKind.ADJUSTMENT if cents < 0 else PricingKind.UNIT,
        bucket=CostBucket.CRO_DIRECT_FEES,
        description="Monitoring visits",
        basis=UnitBasis.PER_MONITORING_VISIT,
        quantity=Decimal(1),
        unit_price=price,
        amount=price,
        months=months,
        derivation="1 visit",
    )


def test_a_line_is_slotted_and_caches_no_split():
    line = _line(100_000, tuple(range(48)))
    assert not hasattr(line, "__dict__")
    line.monthly()
    assert not hasattr(line, "__dict__")
    assert sys.getsizeof(line) < 200


@given(
    st.integers(-(10**9), 10**9),
    st.lists(st.integers(0, 120), min_size=1, max_size=60, unique=True).map(lambda m: tuple(sorted(m))),
)
def test_the_split_is_the_allocation_of_the_amount_and_the_same_every_time(cents, months):
    line = _line(cents, months)
    expected = dict(zip(months, line.amount.allocate([1] * len(months)), strict=True))
    assert line.monthly() == expected
    assert line.monthly() == expected
    assert sum(part.amount for part in line.monthly().values()) == line.amount.amount
