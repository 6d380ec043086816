"""The bid-grid workbook's layout, shared by its writer and its reader: sheets, columns, labels.

See :mod:`crokit.bids._grid_write` (the template a CRO fills in) and
:mod:`crokit.bids._grid_read` (reading it back).
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["ASSUMPTIONS", "BID", "DEVIATIONS", "DEVIATIONS_SHEET", "FTE", "NOT_BID", "PASS", "RATES"]

NOT_BID: Final = "not bid"
"""What a CRO types instead of a rate (any case) for a row it does not offer: the row is left out of its proposal."""

BID, RATES, FTE, PASS, ASSUMPTIONS, DEVIATIONS_SHEET = (
    "Bid",
    "Rates",
    "FTE",
    "Pass-through",
    "Assumptions",
    "Deviations",
)

_RATES_HEADER: Final = (
    "Service",
    "Unit",
    "Quantity",
    "Rate",
    "Amount",
    "How the quantity is counted",
    "service id",
    "stage",
    "unit id",
    "description",
)
_FTE_HEADER: Final = (
    "Service",
    "Role",
    "Region",
    "FTE",
    "First month",
    "Months",
    "FTE months",
    "Rate per FTE month",
    "Amount",
    "service id",
    "stage",
)
_PASS_HEADER: Final = (
    "Service",
    "Description",
    "Estimate",
    "Management fee (0.05 = 5%)",
    "Amount",
    "service id",
    "stage",
)
_STUDY_FIELDS: Final = ("planned_patients", "sites", "screen_failure_rate", "dropout_rate")
_PLANNING_FIELDS: Final = (
    "startup_months",
    "enrolment_months",
    "treatment_months",
    "closeout_months",
    "tables_listings_figures",
    "crf_pages_per_visit_default",
    "monitoring_interval_weeks",
    "monitoring_visits_per_site_month",
)
DEVIATIONS: Final = (*_STUDY_FIELDS, *_PLANNING_FIELDS)
"""The assumptions a CRO may state on the ``Deviations`` sheet, in row order (from row 2)."""
_DECIMAL_FIELDS: Final = frozenset({"screen_failure_rate", "dropout_rate", "monitoring_visits_per_site_month"})
_TOTAL: Final = "Total"
_AMOUNT_FORMAT: Final = "#,##0.00##########"
_NUMBER: Final = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
