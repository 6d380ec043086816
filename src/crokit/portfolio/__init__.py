"""Portfolios: many scenarios evaluated at once, in this process or on a Dask cluster.

:func:`evaluate_portfolio` takes a folder of scenario files (or a list of scenarios and
files) and returns a :class:`Portfolio`: one compact :class:`PortfolioRow` per scenario
with what a portfolio owner needs (study, winner, the winner's total and cost per
patient, how many candidates are eligible, how many warnings) or, for a scenario that
could not be read or evaluated, its error. Given a ``dask.distributed.Client``, the same
call runs on the cluster's workers and gives the same table. Dask is optional
(``pip install 'crokit[dask]'``) and imported only by the caller who makes a client.

>>> from crokit.demo import demo_scenario
>>> portfolio = evaluate_portfolio({"rd-201": demo_scenario()})
>>> print(render_portfolio(portfolio, "csv").splitlines()[0])
name,title,sponsor,study,currency,winner,winner_name,winner_total,cost_per_patient,...
"""

from crokit import _hypothesis_plugin
from crokit.portfolio._render import PORTFOLIO_FORMATS, PortfolioFormat, render_portfolio, to_dataframe
from crokit.portfolio._run import (
    CHUNKS_PER_WORKER,
    MAX_CHUNK,
    SCENARIO_SUFFIXES,
    ScenarioSource,
    chunk_size_for,
    evaluate_portfolio,
)
from crokit.portfolio.table import COLUMNS, Portfolio, PortfolioRow, scenario_seed

__all__ = [
    "CHUNKS_PER_WORKER",
    "COLUMNS",
    "MAX_CHUNK",
    "PORTFOLIO_FORMATS",
    "Portfolio",
    "PortfolioFormat",
    "PortfolioRow",
    "SCENARIO_SUFFIXES",
    "ScenarioSource",
    "chunk_size_for",
    "evaluate_portfolio",
    "render_portfolio",
    "scenario_seed",
    "to_dataframe",
]


# Registers this module's models with Hypothesis' st.from_type if Hypothesis is in use.
_hypothesis_plugin.imported(__name__)
