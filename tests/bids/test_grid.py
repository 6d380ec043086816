"""The common bid grid model: building it from a scenario, the proposal it gives, serialisation."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crokit import Money, Registry, ValidationError
from crokit.bids import Bid, BidAssumptions, BidGrid, GridLine, GridPassThrough, GridRole, bid_grid, grid_proposal
from crokit.demo import demo_scenario
from crokit.pricing import derive_drivers
from crokit.serialization import Format, dumps, loads
from crokit.testing import bid_grids, bids, grid_lines, grid_pass_throughs, grid_roles
from crokit.vocabulary import Stage, UnitBasis

REGISTRY = Registry.builtin()
SCENARIO = demo_scenario()
STUDY = SCENARIO.study
PLANNING = SCENARIO.assumptions
DRIVERS = derive_drivers(STUDY, PLANNING)
CENT = Decimal("0.01")


def _grid() -> BidGrid:
    return bid_grid(
        STUDY,
        PLANNING,
        registry=REGISTRY,
        sponsor=SCENARIO.sponsor,
        roles=[
            GridRole(
                service="crokit:biostatistics",
                stage=Stage.PHASE_2,
                role="biostatistician",
                region="us",
                fte="0.5",
                start_month=4,
                duration_months=22,
            )
        ],
        pass_through=["crokit:patient-recruitment"],
    )


def test_the_grid_prices_each_required_service_by_a_unit_the_study_counts() -> None:
    grid = _grid()
    by_service = {line.service: line for line in grid.lines}
    assert set(by_service) == {"crokit:regulatory-submissions", "crokit:on-site-monitoring", "crokit:data-management"}
    monitoring = by_service["crokit:on-site-monitoring"]
    assert monitoring.basis is UnitBasis.PER_MONITORING_VISIT
    assert monitoring.quantity == DRIVERS.monitoring_visits.value
    assert by_service["crokit:data-management"].quantity == DRIVERS.crf_pages.value
    assert by_service["crokit:regulatory-submissions"].quantity == len(STUDY.countries)
    assert [cost.service for cost in grid.pass_through] == ["crokit:patient-recruitment"]
    assert [role.service for role in grid.roles] == ["crokit:biostatistics"]  # not also a per-table line
    assert grid.currency == STUDY.currency
    assert grid.rate_year == STUDY.start_date.year


def test_a_stated_unit_is_used_and_one_the_study_cannot_count_is_refused() -> None:
    grid = bid_grid(
        STUDY,
        PLANNING,
        registry=REGISTRY,
        services=["crokit:on-site-monitoring"],
        bases={"crokit:on-site-monitoring": UnitBasis.PER_ACTIVE_SITE_MONTH},
    )
    assert grid.lines[0].quantity == DRIVERS.active_site_months.value
    with pytest.raises(ValidationError) as caught:
        bid_grid(
            STUDY,
            PLANNING,
            registry=REGISTRY,
            services=["crokit:on-site-monitoring"],
            bases={"crokit:on-site-monitoring": UnitBasis.PER_FTE_MONTH},
        )
    assert caught.value.problems[0].path == "bases['crokit:on-site-monitoring']"


def test_a_service_priced_only_by_time_must_be_given_as_a_role() -> None:
    with pytest.raises(ValidationError) as caught:
        bid_grid(STUDY, PLANNING, registry=REGISTRY, services=["crokit:medical-writing", "crokit:regulatory-strategy"])
    assert [problem.path for problem in caught.value.problems] == ["services[0]", "services[1]"]
    assert "give it as a role" in str(caught.value)


def test_a_grid_refuses_a_row_given_twice_and_an_empty_grid() -> None:
    line = GridLine(service="crokit:site-start-up", stage=Stage.PHASE_2, basis=UnitBasis.PER_SITE, quantity=12)
    with pytest.raises(ValidationError) as caught:
        BidGrid(sponsor="S", study=STUDY, assumptions=PLANNING, lines=[line, line])
    assert caught.value.problems[0].path == "lines[1]"
    with pytest.raises(ValidationError, match="at least one"):
        BidGrid(sponsor="S", study=STUDY, assumptions=PLANNING)


def test_grid_rows_refuse_bad_values_with_their_path() -> None:
    with pytest.raises(ValidationError, match="quantity"):
        GridLine(service="crokit:site-start-up", stage=Stage.PHASE_2, basis=UnitBasis.PER_SITE, quantity=-1)
    with pytest.raises(ValidationError, match="GridPassThrough"):
        GridLine(service="crokit:site-start-up", stage=Stage.PHASE_2, basis=UnitBasis.PASS_THROUGH, quantity=1)
    with pytest.raises(ValidationError, match="fte"):
        GridRole(service="crokit:biostatistics", stage=Stage.PHASE_2, role="stats", region="us", fte=0)


def _rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


def test_the_proposal_of_a_filled_grid_prices_quantity_times_rate_line_by_line() -> None:
    grid = _grid()
    line_rates = [Decimal("1250.00"), Decimal("1830.55"), Decimal("3.35")]
    proposal = grid_proposal(
        grid,
        cro_id="helix-cro",
        currency="USD",
        line_rates=line_rates,
        role_rates=[Decimal("14999.99")],
        pass_through=[(Decimal("42000.004"), Decimal("0.08"))],
    )
    budget = proposal.price(STUDY, DRIVERS, registry=REGISTRY)
    estimate = _rounded(Decimal("42000.004"))
    expected = (
        sum((_rounded(line.quantity * rate) for line, rate in zip(grid.lines, line_rates, strict=True)), Decimal(0))
        + _rounded(Decimal("0.5") * 22 * Decimal("14999.99"))
        + estimate
        + _rounded(estimate * Decimal("0.08"))
    )
    assert budget.total == Money(expected, "USD")


def test_the_proposal_refuses_rates_that_do_not_match_the_grid() -> None:
    with pytest.raises(ValidationError) as caught:
        grid_proposal(
            _grid(),
            cro_id="helix-cro",
            currency="USD",
            line_rates=[Decimal(1), Decimal(-2)],
            role_rates=[],
            pass_through=[(Decimal(1), Decimal(0))],
        )
    paths = [problem.path for problem in caught.value.problems]
    assert paths == ["line_rates", "line_rates[1]", "role_rates"]


@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
def test_a_grid_and_a_bid_round_trip_through_every_format(fmt: Format) -> None:
    grid = _grid()
    assert loads(dumps(grid, fmt, registry=REGISTRY), BidGrid, fmt, registry=REGISTRY) == grid
    proposal = grid_proposal(
        grid,
        cro_id="helix-cro",
        currency="EUR",
        line_rates=[Decimal(1), Decimal(2), Decimal(3)],
        role_rates=[Decimal(4)],
        pass_through=[(Decimal(5), Decimal("0.1"))],
    )
    bid = Bid(proposal=proposal, assumptions=BidAssumptions(screen_failure_rate="0.18"))
    text = dumps(bid, fmt, registry=REGISTRY)
    assert "schema_version" in text
    assert loads(text, Bid, fmt, registry=REGISTRY) == bid


@settings(max_examples=25, deadline=None)
@given(grid=bid_grids(), fmt=st.sampled_from(["toml", "json", "yaml"]))
def test_any_grid_round_trips(grid: BidGrid, fmt: Format) -> None:
    assert loads(dumps(grid, fmt, registry=REGISTRY), BidGrid, fmt, registry=REGISTRY) == grid


@settings(max_examples=25, deadline=None)
@given(bid=bids(), fmt=st.sampled_from(["toml", "json", "yaml"]))
def test_any_bid_round_trips(bid: Bid, fmt: Format) -> None:
    assert loads(dumps(bid, fmt, registry=REGISTRY), Bid, fmt, registry=REGISTRY) == bid


@settings(max_examples=30, deadline=None)
@given(line=grid_lines(), role=grid_roles(), cost=grid_pass_throughs())
def test_strategies_make_valid_rows(line: GridLine, role: GridRole, cost: GridPassThrough) -> None:
    assert line.basis in REGISTRY.service(line.service).unit_bases
    assert UnitBasis.PER_FTE_MONTH in REGISTRY.service(role.service).unit_bases
    assert role.fte_months == role.fte * role.duration_months
    assert UnitBasis.PASS_THROUGH in REGISTRY.service(cost.service).unit_bases


@settings(max_examples=30, deadline=None)
@given(
    rates=st.lists(st.decimals(min_value=0, max_value=10**5, places=2), min_size=3, max_size=3),
    role_rate=st.decimals(min_value=0, max_value=10**5, places=2),
    estimate=st.decimals(min_value=0, max_value=10**6, places=3),
    fee=st.decimals(min_value=0, max_value=Decimal("0.5"), places=3),
)
def test_the_total_of_a_filled_grid_is_the_sum_of_its_rounded_rows(
    rates: list[Decimal], role_rate: Decimal, estimate: Decimal, fee: Decimal
) -> None:
    grid = _grid()
    proposal = grid_proposal(
        grid, cro_id="c", currency="USD", line_rates=rates, role_rates=[role_rate], pass_through=[(estimate, fee)]
    )
    budget = proposal.price(STUDY, DRIVERS, registry=REGISTRY)
    rounded = _rounded(estimate)
    expected = (
        sum((_rounded(line.quantity * rate) for line, rate in zip(grid.lines, rates, strict=True)), Decimal(0))
        + _rounded(grid.roles[0].fte_months * role_rate)
        + rounded
        + (_rounded(rounded * fee) if fee else 0)
    )
    assert budget.total.amount == expected
