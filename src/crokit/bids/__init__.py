"""Comparable bids: scope coverage, normalisation under common assumptions, rate comparison.

- :mod:`crokit.bids.coverage`: who covers each required service for a candidate (its
  bid, the sponsor, another vendor, or nobody) and the total cost of outsourcing.
- :mod:`crokit.bids.assumptions`: what a bid assumed where it differs from the sponsor.
- :mod:`crokit.bids.normalise`: a bid re-priced at its own rates under the sponsor's
  assumptions, the gap explained as volume, rate, scope and rounding.
- :mod:`crokit.bids.rates`: unit prices compared across bids, outliers flagged.
- :mod:`crokit.bids.grid`: the sponsor's common bid grid, the proposal a CRO makes by
  filling it in, and the bid document; :func:`write_bid_grid` and :func:`read_bid` for
  the workbook a CRO fills in (openpyxl needed).
"""

from __future__ import annotations

from crokit import _hypothesis_plugin
from crokit.bids.assumptions import AssumptionDifference, BidAssumptions
from crokit.bids.coverage import Coverage, CoverageRow, OutsideScope, ScopeCoverage, scope_coverage
from crokit.bids.grid import (
    BASIS_PREFERENCE,
    Bid,
    BidGrid,
    GridLine,
    GridPassThrough,
    GridRole,
    bid_grid,
    grid_proposal,
    read_bid,
    write_bid_grid,
)
from crokit.bids.normalise import Normalisation, normalise
from crokit.bids.rates import DEFAULT_FACTOR, RateFlag, compare_rates

__all__ = [
    "BASIS_PREFERENCE",
    "DEFAULT_FACTOR",
    "AssumptionDifference",
    "Bid",
    "BidAssumptions",
    "BidGrid",
    "Coverage",
    "CoverageRow",
    "GridLine",
    "GridPassThrough",
    "GridRole",
    "Normalisation",
    "OutsideScope",
    "RateFlag",
    "ScopeCoverage",
    "bid_grid",
    "compare_rates",
    "grid_proposal",
    "normalise",
    "read_bid",
    "scope_coverage",
    "write_bid_grid",
]


# Registers this module's models with Hypothesis' st.from_type if Hypothesis is in use.
_hypothesis_plugin.imported(__name__)
