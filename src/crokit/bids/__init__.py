"""Comparable bids: scope coverage, normalisation under common assumptions, rate comparison.

- :mod:`crokit.bids.coverage`: who covers each required service for a candidate (its
  bid, the sponsor, another vendor, or nobody) and the total cost of outsourcing.
- :mod:`crokit.bids.assumptions`: what a bid assumed where it differs from the sponsor.
- :mod:`crokit.bids.normalise`: a bid re-priced at its own rates under the sponsor's
  assumptions, the gap explained as volume, rate, scope and rounding.
- :mod:`crokit.bids.rates`: unit prices compared across bids, outliers flagged.
"""

from __future__ import annotations

from crokit import _hypothesis_plugin
from crokit.bids.assumptions import AssumptionDifference, BidAssumptions
from crokit.bids.coverage import Coverage, CoverageRow, OutsideScope, ScopeCoverage, scope_coverage
from crokit.bids.normalise import Normalisation, normalise
from crokit.bids.rates import DEFAULT_FACTOR, RateFlag, compare_rates

__all__ = [
    "DEFAULT_FACTOR",
    "AssumptionDifference",
    "BidAssumptions",
    "Coverage",
    "CoverageRow",
    "Normalisation",
    "OutsideScope",
    "RateFlag",
    "ScopeCoverage",
    "compare_rates",
    "normalise",
    "scope_coverage",
]


# Registers this module's models with Hypothesis' st.from_type if Hypothesis is in use.
_hypothesis_plugin.imported(__name__)
