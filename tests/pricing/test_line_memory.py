"""Budget lines keep no per-month objects (issue #13): the split is computed on demand, identically."""

from __future__ import annotations

import sys
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from crokit import Money, Stage, UnitBasis
from crokit._decimal import exact_add
from crokit.money import minor_units
from crokit.pricing import Budget, CostBucket, LineItem, PricingKind


def _line(
    cents: int, months: tuple[int, ...], currency: str = "USD", description: str = "Monitoring visits"
) -> LineItem:
    price = Money(Decimal(cents).scaleb(-(minor_units(currency) or 0)), currency)
    return LineItem(
        service="crokit:on-site-monitoring",
        stage=Stage.PHASE_2,
        kind=PricingKind.ADJUSTMENT if cents < 0 else PricingKind.UNIT,
        bucket=CostBucket.CRO_DIRECT_FEES,
        description=description,
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


def _digits(money: Money) -> tuple[object, ...]:
    return money.amount.as_tuple()


@given(
    st.lists(
        st.tuples(
            st.integers(-(10**9), 10**9),
            st.lists(st.integers(0, 60), min_size=1, max_size=30, unique=True).map(lambda m: tuple(sorted(m))),
        ),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["USD", "JPY", "KWD"]),
)
def test_by_month_has_the_digits_of_adding_the_allocated_parts(lines, currency):
    items = [_line(units, months, currency, f"Line {number}") for number, (units, months) in enumerate(lines)]
    budget = Budget(currency=currency, lines=items)
    expected: dict[int, Decimal] = {}
    for item in budget.lines:
        for month, part in zip(item.months, item.amount.allocate([1] * len(item.months)), strict=True):
            assert _digits(item.monthly()[month]) == _digits(part)
            expected[month] = exact_add(expected.get(month, Decimal(0)), part.amount)
    found = budget.by_month()
    assert list(found) == sorted(expected)
    assert [value.amount.as_tuple() for value in found.values()] == [expected[m].as_tuple() for m in sorted(expected)]
