"""Pricing units the market uses: labour-type services priced by FTE and by the hour."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crokit import Money, Registry, ValidationError
from crokit.demo import demo_scenario
from crokit.pricing import (
    FteAllocation,
    FteTimeAndMaterials,
    RateCard,
    RateCardEntry,
    RatePer,
    UnitPrice,
    derive_drivers,
)
from crokit.vocabulary import Stage, UnitBasis

REGISTRY = Registry.builtin()
SCENARIO = demo_scenario()
STUDY = SCENARIO.study
DRIVERS = derive_drivers(STUDY, SCENARIO.assumptions)

LABOUR = (
    "crokit:on-site-monitoring",
    "crokit:remote-monitoring",
    "crokit:risk-based-monitoring",
    "crokit:project-management",
    "crokit:data-management",
    "crokit:biostatistics",
    "crokit:statistical-programming",
    "crokit:medical-writing",
    "crokit:protocol-writing",
    "crokit:clinical-study-report",
    "crokit:pharmacovigilance",
    "crokit:post-marketing-pharmacovigilance",
    "crokit:regulatory-strategy",
    "crokit:regulatory-submissions",
    "crokit:site-selection",
    "crokit:site-start-up",
    "crokit:medical-monitoring",
)
"""The built-in services whose work is people's time, which CROs and FSPs also bid by FTE or by the hour."""


@pytest.mark.parametrize("service", LABOUR)
def test_every_labour_service_accepts_fte_and_hourly_pricing_next_to_its_units(service: str) -> None:
    bases = REGISTRY.service(service).unit_bases
    assert {UnitBasis.PER_FTE_MONTH, UnitBasis.PER_HOUR} <= bases
    if service not in {"crokit:regulatory-strategy", "crokit:medical-writing"}:  # advice and documents: time only
        assert bases - {UnitBasis.PER_FTE_MONTH, UnitBasis.PER_HOUR}, f"{service} lost its unit bases"


def _cra(per: RatePer, rate: str) -> FteTimeAndMaterials:
    return FteTimeAndMaterials(
        service="crokit:on-site-monitoring",
        stage=Stage.PHASE_2,
        rate_card=RateCard(
            entries=(
                RateCardEntry(
                    role="clinical-research-associate", region="us", rate=Money(rate, "USD"), per=per, year=2027
                ),
            )
        ),
        year=2027,
        allocations=(
            FteAllocation(role="clinical-research-associate", region="us", fte="2", start_month=3, duration_months=20),
        ),
    )


def test_on_site_monitoring_priced_by_fte_as_an_fsp_bids_it() -> None:
    budget = _cra(RatePer.FTE_MONTH, "14250.00").price(STUDY, DRIVERS, registry=REGISTRY)
    (line,) = budget.lines
    assert line.basis is UnitBasis.PER_FTE_MONTH
    assert line.quantity == Decimal(40)
    assert budget.total == Money("570000.00", "USD")


def test_on_site_monitoring_priced_by_the_hour() -> None:
    budget = _cra(RatePer.HOUR, "102.50").price(STUDY, DRIVERS, registry=REGISTRY)
    assert budget.total == Money(Decimal(40) * 140 * Decimal("102.50"), "USD")


def test_a_unit_price_per_fte_month_on_project_management_needs_its_quantity() -> None:
    item = UnitPrice(
        service="crokit:project-management",
        stage=Stage.PHASE_2,
        basis=UnitBasis.PER_HOUR,
        rate=Money("180.00", "USD"),
        quantity=1200,
    )
    assert item.price(STUDY, DRIVERS, registry=REGISTRY).total == Money("216000.00", "USD")
    with pytest.raises(ValidationError, match="state the quantity"):
        UnitPrice(
            service="crokit:project-management",
            stage=Stage.PHASE_2,
            basis=UnitBasis.PER_FTE_MONTH,
            rate=Money("15000.00", "USD"),
        )


def test_a_service_that_is_not_labour_is_still_refused_by_fte() -> None:
    model = FteTimeAndMaterials(
        service="crokit:toxicology",
        stage=Stage.PRECLINICAL,
        rate_card=RateCard(
            entries=(RateCardEntry(role="tox", region="us", rate=Money("1.00", "USD"), per=RatePer.HOUR, year=2027),)
        ),
        year=2027,
        allocations=(FteAllocation(role="tox", region="us", fte="1", start_month=0, duration_months=1),),
    )
    with pytest.raises(ValidationError, match="not priced by"):
        model.price(STUDY, DRIVERS, registry=REGISTRY)
