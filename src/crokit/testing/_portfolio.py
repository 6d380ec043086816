"""Hypothesis strategies for portfolios: tables of evaluated scenarios.

Public through :mod:`crokit.testing`; see there. Every strategy takes no required argument.
"""

from __future__ import annotations

import functools

import attrs
from hypothesis import strategies as st

from crokit.portfolio import Portfolio, PortfolioRow, evaluate_portfolio
from crokit.scenario import Scenario

__all__ = ["portfolio_rows", "portfolios"]


@functools.cache
def _variants() -> tuple[Scenario, ...]:
    from crokit.demo import demo_scenario

    demo = demo_scenario()
    return (
        demo,
        attrs.evolve(demo, candidates=demo.candidates[1:3]),
        attrs.evolve(demo, candidates=demo.candidates[3:]),
    )


@st.composite
def _portfolio(draw: st.DrawFn) -> Portfolio:
    chosen = draw(st.lists(st.sampled_from(_variants()), min_size=1, max_size=3))
    names = [f"scenario-{index}" for index in range(len(chosen))]
    seed = draw(st.none() | st.integers(min_value=1, max_value=2**31))
    return evaluate_portfolio(dict(zip(names, chosen, strict=True)), seed=seed)


def portfolios() -> st.SearchStrategy[Portfolio]:
    """:class:`~crokit.portfolio.Portfolio` tables of variants of the demo scenario, evaluated in process."""
    return _portfolio()


def portfolio_rows() -> st.SearchStrategy[PortfolioRow]:
    """:class:`~crokit.portfolio.PortfolioRow` values from drawn portfolios."""
    return portfolios().flatmap(lambda portfolio: st.sampled_from(portfolio.rows))
