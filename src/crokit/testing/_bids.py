"""Hypothesis strategies for the bid models: bid assumptions and services outside a bid's scope.

Public through :mod:`crokit.testing`; see there. Every strategy takes no required argument.
"""

from __future__ import annotations

import functools
from decimal import Decimal

from hypothesis import strategies as st

from crokit.bids.assumptions import AssumptionDifference, BidAssumptions
from crokit.bids.coverage import Coverage, CoverageRow, OutsideScope, ScopeCoverage, scope_coverage
from crokit.bids.normalise import Normalisation, normalise
from crokit.bids.rates import RateFlag
from crokit.money import Money
from crokit.pricing.assumptions import Assumptions
from crokit.pricing.proposal import Proposal
from crokit.registry import Registry
from crokit.study import Study
from crokit.testing._core import amounts
from crokit.testing._pricing import assumptions
from crokit.testing._selection import budgets
from crokit.vocabulary.terms import UnitBasis

__all__ = [
    "assumption_differences",
    "bid_assumptions",
    "coverage_rows",
    "normalisations",
    "outside_scopes",
    "rate_flags",
    "scope_coverages",
]

_RATES = st.decimals(min_value=0, max_value=Decimal("0.95"), places=3)


def bid_assumptions() -> st.SearchStrategy[BidAssumptions]:
    """:class:`~crokit.bids.BidAssumptions`: any mix of the bid's own counts, rates and planning."""
    return st.builds(
        BidAssumptions,
        planned_patients=st.none() | st.integers(min_value=1, max_value=5000),
        sites=st.none() | st.integers(min_value=1, max_value=500),
        screen_failure_rate=st.none() | _RATES,
        dropout_rate=st.none() | _RATES,
        planning=st.none() | assumptions(),
    )


@st.composite
def _outside(draw: st.DrawFn, currency: str) -> OutsideScope:
    by = draw(st.sampled_from([Coverage.SPONSOR, Coverage.OTHER_VENDOR]))
    return OutsideScope(
        service=draw(st.sampled_from([service.id for service in Registry.builtin().services])),
        by=by,
        cost=Money(draw(amounts(min_value=Decimal(0), max_value=Decimal(10**8))), currency),
        vendor=draw(st.text(min_size=1, max_size=20).filter(str.strip)) if by is Coverage.OTHER_VENDOR else None,
        note=draw(st.none() | st.text(min_size=1, max_size=20).filter(str.strip)),
    )


def outside_scopes(*, currency: str = "USD") -> st.SearchStrategy[OutsideScope]:
    """:class:`~crokit.bids.OutsideScope` values: a service done by the sponsor or another vendor."""
    return _outside(currency)


def assumption_differences() -> st.SearchStrategy[AssumptionDifference]:
    """:class:`~crokit.bids.AssumptionDifference` values."""
    text = st.text(min_size=1, max_size=20).filter(str.strip)
    return st.builds(AssumptionDifference, name=st.from_regex(r"\A[a-z_]{3,20}\Z"), sponsor=text, bid=text)


@functools.cache
def _demo() -> tuple[Study, Assumptions, tuple[Proposal, ...]]:
    from crokit.demo import demo_scenario

    scenario = demo_scenario()
    # normalise() prices without exchange rates, so the demo's bid with a line in EUR is left out.
    proposals = tuple(
        c.proposal for c in scenario.candidates if c.proposal is not None and not c.proposal.other_currencies
    )
    return scenario.study, scenario.assumptions, proposals


@st.composite
def _normalisation(draw: st.DrawFn) -> Normalisation:
    study, planning, proposals = _demo()
    quoted = BidAssumptions(
        planned_patients=draw(st.none() | st.integers(min_value=study.sites, max_value=200)),
        screen_failure_rate=draw(st.none() | st.decimals(min_value=0, max_value=Decimal("0.6"), places=2)),
        dropout_rate=draw(st.none() | st.decimals(min_value=0, max_value=Decimal("0.4"), places=2)),
    )
    proposal = draw(st.sampled_from(proposals))
    return normalise(proposal, quoted=quoted, study=study, planning=planning, registry=Registry.builtin())


def normalisations() -> st.SearchStrategy[Normalisation]:
    """:class:`~crokit.bids.Normalisation` of the demo's proposals under drawn bid assumptions."""
    return _normalisation()


@st.composite
def _coverage(draw: st.DrawFn) -> ScopeCoverage:
    budget = draw(budgets())
    services = [service.id for service in Registry.builtin().services]
    required = draw(st.lists(st.sampled_from(services), min_size=1, max_size=5, unique=True))
    outside = draw(st.lists(outside_scopes(currency=budget.currency), max_size=3, unique_by=lambda item: item.service))
    return scope_coverage(budget, required_services=[*required, *(item.service for item in outside)], outside=outside)


def scope_coverages() -> st.SearchStrategy[ScopeCoverage]:
    """:class:`~crokit.bids.ScopeCoverage` of drawn budgets, scopes and outside assignments."""
    return _coverage()


def coverage_rows() -> st.SearchStrategy[CoverageRow]:
    """:class:`~crokit.bids.CoverageRow` values from drawn coverages."""
    return scope_coverages().flatmap(lambda coverage: st.sampled_from(coverage.rows))


@st.composite
def _flag(draw: st.DrawFn) -> RateFlag:
    median = draw(amounts(min_value=Decimal(1), max_value=Decimal(100_000)))
    above = draw(st.booleans())
    factor = draw(st.decimals(min_value=Decimal("1.51"), max_value=Decimal(10), places=2))
    price = (median * factor if above else median / factor).quantize(Decimal("0.01"))
    price = max(price, Decimal("0.01"))
    return RateFlag(
        candidate=draw(st.from_regex(r"\A[a-z][a-z0-9-]{0,15}\Z")),
        service=draw(st.sampled_from([service.id for service in Registry.builtin().services])),
        basis=draw(st.sampled_from([basis for basis in UnitBasis if basis is not UnitBasis.PASS_THROUGH])),
        unit_price=Money(price, "USD"),
        median_of_others=Money(median, "USD"),
        ratio=price / median,
        direction="above" if above else "below",
    )


def rate_flags() -> st.SearchStrategy[RateFlag]:
    """:class:`~crokit.bids.RateFlag` values, ratio and direction consistent with the prices."""
    return _flag()
