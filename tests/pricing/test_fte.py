"""FTE time and materials: rate cards, allocations, volume discounts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given

from crokit import CrokitError, Money, Stage, UnitBasis, UnknownIdError, ValidationError
from crokit.pricing import (
    CostBucket,
    DiscountTier,
    FteAllocation,
    FteTimeAndMaterials,
    PricingKind,
    RateCard,
    RateCardEntry,
    RatePer,
    VolumeDiscount,
)
from crokit.testing._pricing import fte_models
from tests.pricing.test_models import DRIVERS, REGISTRY, STUDY


def usd(amount: str) -> Money:
    return Money(amount, "USD")


CARD = RateCard(
    entries=(
        RateCardEntry(role="biostatistician", region="us", rate=usd("100.00"), per=RatePer.HOUR, year=2026),
        RateCardEntry(role="biostatistician", region="us", rate=usd("110.00"), per=RatePer.HOUR, year=2028),
        RateCardEntry(role="programmer", region="in", rate=usd("6000.00"), per=RatePer.FTE_MONTH, year=2026),
    )
)
DISCOUNT = VolumeDiscount(
    tiers=(DiscountTier(min_fte_months=0, rate="0.00"), DiscountTier(min_fte_months=5, rate="0.025"))
)


def model(
    *allocations: FteAllocation, discount: VolumeDiscount | None = DISCOUNT, year: int = 2027
) -> FteTimeAndMaterials:
    return FteTimeAndMaterials(
        service="crokit:biostatistics",
        stage=Stage.PHASE_2,
        rate_card=CARD,
        year=year,
        allocations=allocations
        or (FteAllocation(role="biostatistician", region="us", fte="0.5", start_month=2, duration_months=20),),
        volume_discount=discount,
    )


def test_hourly_rate_with_volume_discount():
    budget = model().price(STUDY, DRIVERS, registry=REGISTRY)
    role, discount = budget.lines
    # 0.5 FTE x 20 months x 140 hours = 1400 hours at the 2026 rate of 100.00
    assert (role.quantity, role.unit_price, role.amount) == (Decimal(1400), usd("100.00"), usd("140000.00"))
    assert (role.kind, role.bucket, role.basis) == (PricingKind.FTE, CostBucket.CRO_DIRECT_FEES, UnitBasis.PER_HOUR)
    assert role.months == tuple(range(2, 22))
    # 10 FTE months reach the 5-month tier: 2.5% off the whole FTE amount
    assert discount.kind is PricingKind.ADJUSTMENT
    assert discount.amount == usd("-3500.00")
    assert budget.total == usd("136500.00")


def test_one_line_per_role_and_region_summing_allocations():
    allocations = (
        FteAllocation(role="programmer", region="in", fte="1", start_month=0, duration_months=3),
        FteAllocation(role="programmer", region="in", fte="0.5", start_month=10, duration_months=2),
        FteAllocation(
            role="biostatistician", region="us", fte="0.1", start_month=0, duration_months=1, hours_per_fte_month=150
        ),
    )
    budget = model(*allocations, discount=None, year=2028).price(STUDY, DRIVERS, registry=REGISTRY)
    programmer, statistician = budget.lines
    assert (programmer.quantity, programmer.basis, programmer.amount) == (
        Decimal(4),
        UnitBasis.PER_FTE_MONTH,
        usd("24000.00"),
    )
    assert programmer.months == (0, 1, 2, 10, 11)
    # the 2028 rate is in force in 2028: 0.1 x 1 x 150 hours x 110.00
    assert statistician.amount == usd("1650.00")


def test_below_first_tier_no_discount_line():
    tiers = VolumeDiscount(tiers=(DiscountTier(min_fte_months=100, rate="0.05"),))
    assert len(model(discount=tiers).price(STUDY, DRIVERS, registry=REGISTRY).lines) == 1
    assert tiers.rate_for(Decimal(100)) == Decimal("0.05")
    assert tiers.rate_for(Decimal("99.9")) == Decimal(0)


def test_unknown_role_has_a_path_and_suggestions():
    bad = model(FteAllocation(role="biostatistican", region="us", fte=1, start_month=0, duration_months=1))
    with pytest.raises(UnknownIdError) as info:
        bad.price(STUDY, DRIVERS, registry=REGISTRY)
    assert info.value.path == "allocations[0].role"
    assert info.value.suggestions == ("biostatistician",)
    with pytest.raises(UnknownIdError) as region:
        CARD.rate("programmer", "us", 2027, path="items[0]")
    assert region.value.path == "items[0].region"


def test_rate_before_the_card_starts():
    with pytest.raises(ValidationError) as info:
        CARD.rate("biostatistician", "us", 2025)
    assert info.value.problems[0].path == "year"


def test_basis_must_fit_the_service():
    bad = FteTimeAndMaterials(
        service="crokit:real-world-evidence",  # priced per FTE month, not per hour
        stage=Stage.PHASE_2,
        rate_card=CARD,
        year=2027,
        allocations=(FteAllocation(role="biostatistician", region="us", fte=1, start_month=0, duration_months=1),),
    )
    with pytest.raises(ValidationError) as info:
        bad.price(STUDY, DRIVERS, registry=REGISTRY)
    assert info.value.problems[0].path == "allocations[0].role"


@pytest.mark.parametrize(
    ("build", "path"),
    [
        (lambda: RateCardEntry(role="a", region="us", rate=usd("-1.00"), per=RatePer.HOUR, year=2026), "rate"),
        (lambda: RateCardEntry(role="Senior Stat", region="us", rate=usd("1.00"), per=RatePer.HOUR, year=2026), "role"),
        (lambda: RateCard(entries=()), "entries"),
        (lambda: RateCard(entries=(CARD.entries[0], CARD.entries[0])), "entries[1]"),
        (
            lambda: RateCard(
                entries=(
                    CARD.entries[0],
                    RateCardEntry(role="x", region="us", rate=Money("1", "EUR"), per=RatePer.HOUR, year=2026),
                )
            ),
            "entries[1].rate",
        ),
        (lambda: DiscountTier(min_fte_months=1, rate="1.00"), "rate"),
        (lambda: DiscountTier(min_fte_months=1, rate=3), "rate"),
        (lambda: DiscountTier(min_fte_months=-1, rate="0.01"), "min_fte_months"),
        (
            lambda: VolumeDiscount(
                tiers=(DiscountTier(min_fte_months=5, rate="0.01"), DiscountTier(min_fte_months=5, rate="0.02"))
            ),
            "tiers[1].min_fte_months",
        ),
        (lambda: VolumeDiscount(tiers=()), "tiers"),
        (lambda: FteAllocation(role="a", region="us", fte=0, start_month=0, duration_months=1), "fte"),
        (lambda: FteAllocation(role="a", region="us", fte=1, start_month=0, duration_months=0), "duration_months"),
        (lambda: model(year=1900), "year"),
    ],
)
def test_bad_input_is_refused_with_a_path(build, path):
    with pytest.raises(CrokitError) as info:
        build()
    assert isinstance(info.value, ValidationError)
    assert info.value.problems[0].path == path


@given(fte_models(currency="USD"))
def test_generated_models_price_and_sum(item):
    budget = item.price(STUDY, DRIVERS, registry=REGISTRY)
    assert budget.total >= Money.zero("USD")
    fte_lines = [line for line in budget.lines if line.kind is PricingKind.FTE]
    assert len(fte_lines) == len({(a.role, a.region) for a in item.allocations})
    assert sum(budget.by_month().values(), Money.zero("USD")) == budget.total
