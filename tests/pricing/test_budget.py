"""Budgets: exact roll-ups, monthly spreading, diffs and refusals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import CrokitError, CurrencyMismatchError, InvalidAmountError, Money, Stage, UnitBasis, ValidationError
from crokit.money import total
from crokit.pricing import Budget, ChangeKind, CostBucket, LineItem, PricingKind
from crokit.pricing.budget import UNCATEGORISED
from crokit.registry import Registry

SERVICES = ("crokit:on-site-monitoring", "crokit:data-management", "crokit:biostatistics", "crokit:edc")


def line(**changes: Any) -> LineItem:
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
    fields.setdefault("amount", (fields["unit_price"] * fields["quantity"]).rounded())
    return LineItem(**fields)


@st.composite
def line_items(draw, *, currency: str = "USD", description: str | None = None) -> LineItem:
    kind = draw(st.sampled_from(list(PricingKind)))
    low = "-100000" if kind is PricingKind.ADJUSTMENT else "0"
    price = Money(draw(st.decimals(low, "1000000", places=draw(st.integers(0, 4)))), currency)
    quantity = draw(st.decimals("0", "10000", places=draw(st.integers(0, 3))))
    months = draw(st.lists(st.integers(0, 48), min_size=1, max_size=24, unique=True))
    return LineItem(
        service=draw(st.sampled_from(SERVICES)),
        stage=draw(st.sampled_from([Stage.PHASE_1, Stage.PHASE_2, Stage.PHASE_3])),
        kind=kind,
        bucket=draw(st.sampled_from(list(CostBucket))),
        description=description or draw(st.text("abcdefgh ", min_size=1, max_size=8).filter(str.strip)),
        basis=draw(st.none() | st.sampled_from(list(UnitBasis))),
        quantity=quantity,
        unit_price=price,
        amount=(price * quantity).rounded(),
        months=sorted(months),
        derivation="generated",
    )


@st.composite
def budgets(draw, *, currency: str = "USD") -> Budget:
    count = draw(st.integers(0, 12))
    lines = [draw(line_items(currency=currency, description=f"line {index}")) for index in range(count)]
    return Budget(currency=currency, lines=lines)


class TestWorkedExample:
    @pytest.fixture
    def budget(self) -> Budget:
        return Budget(
            currency="USD",
            lines=(
                line(),
                line(
                    service="crokit:data-management",
                    description="CRF pages",
                    basis=UnitBasis.PER_PAGE,
                    quantity=Decimal(3300),
                    unit_price=Money("12.345", "USD"),
                    months=(1, 2),
                ),
                line(
                    service="crokit:investigator-grants",
                    kind=PricingKind.PASS_THROUGH,
                    bucket=CostBucket.INVESTIGATOR_GRANTS,
                    description="Grants",
                    basis=UnitBasis.PASS_THROUGH,
                    quantity=Decimal(1),
                    unit_price=Money("100.00", "USD"),
                    months=(0, 1, 2),
                    stage=Stage.PHASE_3,
                ),
            ),
        )

    def test_line_amount_is_rounded_half_even_once(self, budget):
        # 3300 x 12.345 = 40738.500, half-even to 40738.50.
        assert budget.lines[1].amount == Money("40738.50", "USD")

    def test_total_and_roll_ups(self, budget):
        assert budget.total == Money("43838.50", "USD")
        assert budget.by_service() == {
            "crokit:data-management": Money("40738.50", "USD"),
            "crokit:investigator-grants": Money("100.00", "USD"),
            "crokit:on-site-monitoring": Money("3000.00", "USD"),
        }
        assert budget.by_stage() == {Stage.PHASE_2: Money("43738.50", "USD"), Stage.PHASE_3: Money("100.00", "USD")}
        assert budget.by_bucket() == {
            CostBucket.CRO_DIRECT_FEES: Money("43738.50", "USD"),
            CostBucket.INVESTIGATOR_GRANTS: Money("100.00", "USD"),
        }
        assert list(budget.by_kind()) == [PricingKind.UNIT, PricingKind.PASS_THROUGH]

    def test_by_month_splits_lines_evenly(self, budget):
        # 100.00 over three months: 33.34, 33.33, 33.33 (the leftover cent goes to the earliest month).
        assert budget.lines[2].monthly() == {
            0: Money("33.34", "USD"),
            1: Money("33.33", "USD"),
            2: Money("33.33", "USD"),
        }
        assert budget.by_month() == {
            0: Money("1033.34", "USD"),
            1: Money("21402.58", "USD"),
            2: Money("21402.58", "USD"),
        }

    def test_cost_per_patient(self, budget):
        assert budget.cost_per_patient(60) == Money("730.64", "USD")
        with pytest.raises(ValidationError, match="patients >= 1") as info:
            budget.cost_per_patient(0)
        assert info.value.problems[0].path == "patients"

    def test_empty_budget(self):
        empty = Budget(currency="EUR")
        assert empty.total == Money("0", "EUR")
        assert empty.by_month() == {}


class TestLineRefusals:
    def test_amount_must_be_quantity_times_price_rounded(self):
        with pytest.raises(ValidationError, match=r"3 x 1000\.00 USD = 3000\.00 USD") as info:
            line(amount=Money("3000.01", "USD"))
        assert info.value.problems[0].path == "amount"

    def test_negative_quantity(self):
        with pytest.raises(ValidationError) as info:
            line(quantity=Decimal(-1))
        assert info.value.problems[0].path == "quantity"

    def test_float_quantity(self):
        with pytest.raises(InvalidAmountError):
            line(quantity=1.5, amount=Money("1500.00", "USD"))

    def test_negative_price_only_for_adjustments(self):
        with pytest.raises(ValidationError) as info:
            line(unit_price=Money("-10", "USD"))
        assert info.value.problems[0].path == "unit_price"
        discount = line(kind=PricingKind.ADJUSTMENT, unit_price=Money("-10", "USD"), description="Discount")
        assert discount.amount == Money("-30.00", "USD")

    @pytest.mark.parametrize(("months", "path"), [((), "months"), ((2, 1), "months[1]"), ((-1,), "months[0]")])
    def test_bad_months(self, months, path):
        with pytest.raises(ValidationError) as info:
            line(months=months)
        assert info.value.problems[0].path == path

    def test_mixed_currencies_in_a_line(self):
        with pytest.raises(CurrencyMismatchError):
            line(amount=Money("3000.00", "EUR"))

    def test_bad_service_id(self):
        with pytest.raises(CrokitError):
            line(service="not an id")


class TestBudgetRefusals:
    def test_lines_share_the_currency(self):
        with pytest.raises(CurrencyMismatchError, match=r"lines\[1\]"):
            Budget(currency="USD", lines=(line(), line(description="Other", unit_price=Money("1", "EUR"))))

    def test_line_keys_are_unique(self):
        with pytest.raises(ValidationError) as info:
            Budget(currency="USD", lines=(line(), line(quantity=Decimal(1))))
        assert info.value.problems[0].path == "lines[1].description"

    def test_not_a_line(self):
        with pytest.raises(ValidationError) as info:
            Budget(currency="USD", lines=("x",))
        assert info.value.problems[0].path == "lines[0]"

    def test_diff_needs_one_currency(self):
        with pytest.raises(CurrencyMismatchError):
            Budget(currency="USD").diff(Budget(currency="EUR"))


class TestDiff:
    def test_changed_added_removed(self):
        old = Budget(
            currency="USD",
            lines=(line(), line(service="crokit:edc", description="EDC licence", quantity=Decimal(1))),
        )
        new = Budget(
            currency="USD",
            lines=(
                line(quantity=Decimal(5), unit_price=Money("1100.00", "USD")),
                line(service="crokit:biostatistics", description="TLFs", quantity=Decimal(2)),
            ),
        )
        diff = old.diff(new)
        assert diff.delta == Money("3500.00", "USD")  # 4000.00 -> 7500.00
        changed, removed, added = diff.lines
        assert changed.change is ChangeKind.CHANGED
        assert (changed.old_amount, changed.new_amount) == (Money("3000.00", "USD"), Money("5500.00", "USD"))
        # 2 more visits at the old 1000.00, then 100.00 more on each of the 5 visits.
        assert changed.volume_effect == Money("2000.00", "USD")
        assert changed.rate_effect == Money("500.00", "USD")
        assert changed.rounding_effect.is_zero()
        assert removed.change is ChangeKind.REMOVED
        assert removed.delta == Money("-1000.00", "USD")
        assert added.change is ChangeKind.ADDED
        assert added.key == ("crokit:biostatistics", "TLFs")
        assert [service.change for service in diff.services] == [
            ChangeKind.ADDED,
            ChangeKind.REMOVED,
            ChangeKind.CHANGED,
        ]
        assert "quantity 3 -> 5" in diff.explain()

    def test_identical_budgets_have_no_changes(self):
        budget = Budget(currency="USD", lines=(line(),))
        diff = budget.diff(budget)
        assert diff.lines == ()
        assert diff.services == ()
        assert diff.delta.is_zero()

    def test_rounding_effect_is_shown(self):
        old = Budget(currency="USD", lines=(line(quantity=Decimal(1), unit_price=Money("0.005", "USD")),))
        new = Budget(currency="USD", lines=(line(quantity=Decimal(3), unit_price=Money("0.005", "USD")),))
        (change,) = old.diff(new).lines
        # 0.005 -> 0.00 and 0.015 -> 0.02 (half-even): delta 0.02, volume 0.010, rounding 0.010.
        assert change.delta == Money("0.02", "USD")
        assert change.volume_effect == Money("0.010", "USD")
        assert change.rounding_effect == Money("0.010", "USD")


class TestProperties:
    @given(budgets())
    def test_every_roll_up_sums_to_the_total(self, budget):
        for roll_up in (budget.by_service, budget.by_stage, budget.by_bucket, budget.by_kind, budget.by_month):
            assert total(roll_up().values(), currency="USD") == budget.total
        by_category = budget.by_category(Registry.builtin())
        assert total(by_category.values(), currency="USD") == budget.total

    def test_by_category_uses_each_services_first_category(self):
        registry = Registry.builtin()
        monitoring = line(service="crokit:on-site-monitoring")
        first = registry.service("crokit:on-site-monitoring").categories[0]
        budget = Budget(currency="USD", lines=(monitoring,))
        assert budget.by_category(registry) == {first: budget.total}
        bare = registry.with_entries(
            attrs.evolve(registry.service("crokit:on-site-monitoring"), categories=()), replace=True
        )
        assert budget.by_category(bare) == {UNCATEGORISED: budget.total}

    @given(budgets(), st.randoms(use_true_random=False))
    def test_line_order_never_changes_a_total(self, budget, random):
        lines = list(budget.lines)
        random.shuffle(lines)
        shuffled = attrs.evolve(budget, lines=lines)
        assert shuffled.total == budget.total
        assert shuffled.by_service() == budget.by_service()
        assert shuffled.by_stage() == budget.by_stage()
        assert shuffled.by_bucket() == budget.by_bucket()
        assert shuffled.by_kind() == budget.by_kind()
        assert shuffled.by_month() == budget.by_month()

    @given(line_items())
    def test_monthly_parts_sum_to_the_line(self, item):
        parts = item.monthly()
        assert list(parts) == list(item.months)
        assert total(parts.values(), currency="USD") == item.amount
        smallest = min(abs(part.amount) for part in parts.values())
        largest = max(abs(part.amount) for part in parts.values())
        assert largest - smallest <= Decimal("0.01")

    @given(budgets(), budgets())
    def test_diff_deltas_sum_to_the_change_in_total(self, old, new):
        diff = old.diff(new)
        assert total((change.delta for change in diff.lines), currency="USD") == diff.delta
        assert total((change.delta for change in diff.services), currency="USD") == diff.delta
        for change in diff.lines:
            assert change.volume_effect + change.rate_effect + change.rounding_effect == change.delta

    @given(budgets(currency="JPY"))
    def test_currency_without_cents(self, budget):
        assert all(item.amount.is_rounded() for item in budget.lines)
        assert total(budget.by_month().values(), currency="JPY") == budget.total
