"""Hypothesis strategies for the bid models: bid assumptions and services outside a bid's scope.

Public through :mod:`crokit.testing`; see there. Every strategy takes no required argument.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from crokit.bids.assumptions import BidAssumptions
from crokit.bids.coverage import Coverage, OutsideScope
from crokit.money import Money
from crokit.registry import Registry
from crokit.testing._core import amounts
from crokit.testing._pricing import assumptions

__all__ = ["bid_assumptions", "outside_scopes"]

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
