"""Hypothesis strategies for bid grids, bids and AHP hierarchies.

Public through :mod:`crokit.testing`; see there. Every strategy takes no required argument.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Final

from hypothesis import strategies as st

from crokit.bids.grid import BASIS_PREFERENCE, Bid, BidGrid, GridLine, GridPassThrough, GridRole
from crokit.registry import Registry
from crokit.selection.ahp import AhpHierarchy, ahp_hierarchy, reciprocal_matrix
from crokit.testing._bids import bid_assumptions
from crokit.testing._core import studies
from crokit.testing._pricing import assumptions, proposals
from crokit.vocabulary.lifecycle import Stage
from crokit.vocabulary.terms import UnitBasis

__all__ = ["ahp_hierarchies", "bid_grids", "bids", "grid_lines", "grid_pass_throughs", "grid_roles"]

_SLUG: Final = st.from_regex(r"\A[a-z][a-z0-9-]{0,11}\Z")
_QUANTITIES: Final = st.decimals(min_value=0, max_value=10**6, places=2)
_TEXT: Final = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=20)
"""Text without control characters or lone surrogates: what any file, Excel included, can hold."""
_SAATY: Final = tuple(Fraction(1, k) for k in range(9, 1, -1)) + tuple(Fraction(k) for k in range(1, 10))


def _registry(registry: Registry | None) -> Registry:
    return registry if registry is not None else Registry.builtin()


def grid_lines(*, registry: Registry | None = None) -> st.SearchStrategy[GridLine]:
    """:class:`~crokit.bids.GridLine` values: a service by one of its units the study counts, any quantity."""
    reg = _registry(registry)
    pairs = [
        (service.id, basis) for service in reg.services for basis in BASIS_PREFERENCE if basis in service.unit_bases
    ]
    return st.sampled_from(pairs).flatmap(
        lambda pair: st.builds(
            GridLine,
            service=st.just(pair[0]),
            stage=st.sampled_from(Stage),
            basis=st.just(pair[1]),
            quantity=_QUANTITIES,
            how=st.just("") | _TEXT,
            description=st.just("") | _TEXT,
        )
    )


def grid_roles(*, registry: Registry | None = None) -> st.SearchStrategy[GridRole]:
    """:class:`~crokit.bids.GridRole` values: a role on a service priced per FTE month."""
    reg = _registry(registry)
    services = [service.id for service in reg.services if UnitBasis.PER_FTE_MONTH in service.unit_bases]
    return st.builds(
        GridRole,
        service=st.sampled_from(services),
        stage=st.sampled_from(Stage),
        role=_SLUG,
        region=_SLUG,
        fte=st.decimals(min_value=Decimal("0.05"), max_value=3, places=2),
        start_month=st.integers(0, 59),
        duration_months=st.integers(1, 60),
    )


def grid_pass_throughs(*, registry: Registry | None = None) -> st.SearchStrategy[GridPassThrough]:
    """:class:`~crokit.bids.GridPassThrough` values: a service priced as a pass-through."""
    reg = _registry(registry)
    services = [service.id for service in reg.services if UnitBasis.PASS_THROUGH in service.unit_bases]
    return st.builds(
        GridPassThrough,
        service=st.sampled_from(services),
        stage=st.sampled_from(Stage),
        description=st.just("") | _TEXT,
    )


def bid_grids(*, registry: Registry | None = None, max_rows: int = 4) -> st.SearchStrategy[BidGrid]:
    """:class:`~crokit.bids.BidGrid` values with at least one row, each row once."""
    reg = _registry(registry)

    @st.composite
    def build(draw: st.DrawFn) -> BidGrid:
        lines = draw(
            st.lists(
                grid_lines(registry=reg), max_size=max_rows, unique_by=lambda x: (x.service, x.basis, x.description)
            )
        )
        roles = draw(
            st.lists(grid_roles(registry=reg), max_size=max_rows, unique_by=lambda x: (x.service, x.role, x.region))
        )
        costs = draw(
            st.lists(
                grid_pass_throughs(registry=reg),
                min_size=0 if lines or roles else 1,
                max_size=max_rows,
                unique_by=lambda x: (x.service, x.description),
            )
        )
        return BidGrid(
            sponsor=draw(_TEXT.filter(str.strip)),
            study=draw(studies(registry=reg, max_patients=500, max_visits=4)),
            assumptions=draw(assumptions()),
            lines=lines,
            roles=roles,
            pass_through=costs,
        )

    return build()


def bids(*, registry: Registry | None = None) -> st.SearchStrategy[Bid]:
    """:class:`~crokit.bids.Bid` values: any proposal with any bid assumptions."""
    return st.builds(Bid, proposal=proposals(registry=_registry(registry)), assumptions=bid_assumptions())


def _judgements(n: int) -> st.SearchStrategy[list[Fraction]]:
    return st.lists(st.sampled_from(_SAATY), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2)


def ahp_hierarchies(*, max_criteria: int = 5, max_alternatives: int = 5) -> st.SearchStrategy[AhpHierarchy]:
    """:class:`~crokit.selection.AhpHierarchy` values from random judgements on Saaty's scale."""

    @st.composite
    def build(draw: st.DrawFn) -> AhpHierarchy:
        n = draw(st.integers(1, max_criteria))
        m = draw(st.integers(1, max_alternatives))
        top = reciprocal_matrix(draw(_judgements(n)))
        local = [reciprocal_matrix(draw(_judgements(m))) for _ in range(n)]
        return ahp_hierarchy(top, local)

    return build()
