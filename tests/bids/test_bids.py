"""Comparable bids: normalisation under common assumptions, scope coverage, rate outliers."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import Money, Registry, ValidationError
from crokit.bids import BidAssumptions, Coverage, OutsideScope, compare_rates, normalise, scope_coverage
from crokit.demo import demo_scenario
from crokit.pricing import Budget, CostBucket, LineItem, PricingKind
from crokit.pricing.derive import derive_drivers
from crokit.serialization import dumps, loads
from crokit.testing._bids import bid_assumptions, outside_scopes
from crokit.vocabulary import Stage, UnitBasis

REGISTRY = Registry.builtin()
SCENARIO = demo_scenario()
STUDY = SCENARIO.study
PLANNING = SCENARIO.assumptions
(_HELIX,) = [candidate.proposal for candidate in SCENARIO.candidates if candidate.id == "helix-cro"]
assert _HELIX is not None
HELIX = _HELIX


def test_a_bid_quoted_under_the_sponsors_assumptions_has_no_gap() -> None:
    result = normalise(HELIX, quoted=BidAssumptions(), study=STUDY, planning=PLANNING, registry=REGISTRY)
    assert result.gap == Money("0.00", "USD")
    assert result.quoted == result.normalised
    assert result.differences == ()


def test_the_gap_of_a_bid_quoted_under_its_own_assumptions_is_explained_to_the_cent() -> None:
    own = BidAssumptions(
        screen_failure_rate="0.18",
        dropout_rate="0.05",
        planning=attrs.evolve(PLANNING, enrolment_months=PLANNING.enrolment_months + 4),
    )
    result = normalise(HELIX, quoted=own, study=STUDY, planning=PLANNING, registry=REGISTRY)
    assert result.quoted.total == HELIX.price(*_priced_under(own), registry=REGISTRY).total
    assert result.normalised.total == HELIX.price(STUDY, derive_drivers(STUDY, PLANNING), registry=REGISTRY).total
    assert result.gap == result.volume + result.rate + result.scope + result.rounding
    assert result.gap.amount < 0  # the bid assumed more screening, dropout and months than the sponsor
    names = [difference.name for difference in result.differences]
    assert names == ["screen_failure_rate", "dropout_rate", "enrolment_months"]
    assert result.explain().startswith("helix-cro: quoted ")


def _priced_under(own: BidAssumptions):
    study, planning = own.apply(STUDY, PLANNING)
    return study, derive_drivers(study, planning)


@given(
    patients=st.none() | st.integers(min_value=STUDY.sites, max_value=400),
    screen=st.none() | st.decimals(min_value=0, max_value="0.6", places=2),
    dropout=st.none() | st.decimals(min_value=0, max_value="0.4", places=2),
    extra_months=st.integers(min_value=0, max_value=12),
)
def test_volume_rate_scope_and_rounding_add_up_to_the_gap(patients, screen, dropout, extra_months) -> None:
    own = BidAssumptions(
        planned_patients=patients,
        screen_failure_rate=screen,
        dropout_rate=dropout,
        planning=attrs.evolve(PLANNING, treatment_months=PLANNING.treatment_months + extra_months),
    )
    result = normalise(HELIX, quoted=own, study=STUDY, planning=PLANNING, registry=REGISTRY)
    assert result.gap == result.volume + result.rate + result.scope + result.rounding
    assert result.gap == result.normalised.total - result.quoted.total


def test_bid_assumptions_refuse_bad_values_with_their_path() -> None:
    with pytest.raises(ValidationError) as caught:
        BidAssumptions(screen_failure_rate="1.2")
    assert caught.value.problems[0].path == "screen_failure_rate"
    with pytest.raises(ValidationError):
        BidAssumptions(planned_patients=0)
    with pytest.raises(ValidationError) as impossible:
        BidAssumptions(planned_patients=STUDY.sites - 1).apply(STUDY, PLANNING)
    assert impossible.value.problems[0].path.startswith("assumptions")


def line(
    service: str, basis: UnitBasis | None, price: str, quantity: str = "10", kind: PricingKind = PricingKind.UNIT
) -> LineItem:
    unit = Money(price, "USD")
    return LineItem(
        service=service,
        stage=Stage.PHASE_2,
        kind=kind,
        bucket=CostBucket.CRO_DIRECT_FEES,
        description=f"{service} {basis}",
        basis=basis,
        quantity=quantity,
        unit_price=unit,
        amount=(unit * Decimal(quantity)).rounded(),
        months=(0, 1),
        derivation="test",
    )


FSP = Budget(
    currency="USD",
    lines=[line("crokit:on-site-monitoring", UnitBasis.PER_FTE_MONTH, "15000.00", "24", PricingKind.FTE)],
)
REQUIRED = ["crokit:on-site-monitoring", "crokit:data-management", "crokit:biostatistics"]


def test_an_fsp_bid_is_compared_over_the_whole_scope() -> None:
    coverage = scope_coverage(
        FSP,
        required_services=REQUIRED,
        outside=[
            OutsideScope(
                service="crokit:data-management", by="sponsor", cost=Money("120000.00", "USD"), note="2 FTE internal"
            ),
            OutsideScope(
                service="crokit:biostatistics", by="other-vendor", vendor="Stats Ltd", cost=Money("90000.00", "USD")
            ),
        ],
        candidate="monitor-fsp",
    )
    assert [row.coverage for row in coverage.rows] == [Coverage.PRICED, Coverage.SPONSOR, Coverage.OTHER_VENDOR]
    assert coverage.cro_price == Money("360000.00", "USD")
    assert coverage.total_cost_of_outsourcing == Money("570000.00", "USD")
    assert coverage.like_for_like
    assert coverage.warnings == ()


def test_uncovered_and_double_counted_services_are_warned_about() -> None:
    coverage = scope_coverage(
        FSP,
        required_services=REQUIRED,
        outside=[OutsideScope(service="crokit:on-site-monitoring", by="sponsor", cost=Money("1.00", "USD"))],
        candidate="monitor-fsp",
    )
    assert coverage.missing == ("crokit:data-management", "crokit:biostatistics")
    assert not coverage.like_for_like
    assert coverage.warnings[0] == (
        "monitor-fsp: crokit:on-site-monitoring is priced by the bid and also assigned to the sponsor; "
        "it is counted twice"
    )


def test_outside_scope_refusals() -> None:
    with pytest.raises(ValidationError, match="name the other vendor"):
        OutsideScope(service="crokit:biostatistics", by="other-vendor", cost=Money("1.00", "USD"))
    with pytest.raises(ValidationError, match="'sponsor' or 'other-vendor'"):
        OutsideScope(service="crokit:biostatistics", by="priced", cost=Money("1.00", "USD"))
    with pytest.raises(ValidationError) as caught:
        scope_coverage(
            FSP,
            required_services=REQUIRED,
            outside=[
                OutsideScope(service="crokit:biostatistics", by="sponsor", cost=Money("1.00", "EUR")),
                OutsideScope(service="crokit:biostatistics", by="sponsor", cost=Money("1.00", "USD")),
            ],
        )
    assert [p.path for p in caught.value.problems] == ["outside[0].cost", "outside[1].service"]


@given(
    st.lists(st.sampled_from(REQUIRED), unique=True),
    st.lists(st.decimals(min_value=0, max_value=10**6, places=2), min_size=3, max_size=3),
)
def test_total_cost_of_outsourcing_is_the_price_plus_the_outside_costs(assigned, costs) -> None:
    outside = [
        OutsideScope(service=s, by="sponsor", cost=Money(c, "USD")) for s, c in zip(assigned, costs, strict=False)
    ]
    coverage = scope_coverage(FSP, required_services=REQUIRED, outside=outside)
    expected = FSP.total
    for item in outside:
        expected = expected + item.cost
    assert coverage.total_cost_of_outsourcing == expected
    for row in coverage.rows:
        assert (row.coverage is Coverage.MISSING) == (
            row.service not in assigned and row.service not in FSP.by_service()
        )


def test_rates_far_from_the_other_bids_median_are_flagged() -> None:
    budgets = {
        name: Budget(currency="USD", lines=[line("crokit:on-site-monitoring", UnitBasis.PER_MONITORING_VISIT, price)])
        for name, price in [("a", "1900.00"), ("b", "2000.00"), ("c", "3400.00"), ("d", "1400.00")]
    }
    flags = compare_rates(budgets)
    assert [(f.candidate, f.direction) for f in flags] == [("c", "above")]
    assert flags[0].median_of_others == Money("1900.00", "USD")
    assert "1.79 times" in flags[0].explain()
    assert [(f.candidate, f.direction) for f in compare_rates(budgets, factor=Decimal("1.2"))] == [
        ("c", "above"),
        ("d", "below"),
    ]
    with pytest.raises(ValidationError):
        compare_rates(budgets, factor=Decimal(1))


@given(
    st.lists(st.decimals(min_value=1, max_value=10**5, places=2), min_size=2, max_size=6),
    st.integers(min_value=2, max_value=9),
)
def test_rate_flags_do_not_depend_on_the_price_level(prices, scale) -> None:
    def bids(factor: int) -> dict[str, Budget]:
        return {
            f"bid-{i}": Budget(
                currency="USD", lines=[line("crokit:data-management", UnitBasis.PER_PAGE, str(p * factor))]
            )
            for i, p in enumerate(prices)
        }

    def flagged(factor: int):
        return [(f.candidate, f.direction) for f in compare_rates(bids(factor))]

    assert flagged(1) == flagged(scale)


@pytest.mark.parametrize("fmt", ["json", "toml", "yaml"])
@given(value=bid_assumptions() | outside_scopes())
def test_bid_models_round_trip(fmt, value) -> None:
    assert loads(dumps(value, fmt), type(value), fmt) == value
