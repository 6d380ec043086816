"""Excel workbooks: export an evaluation, and read or write a rate card.

Everything here needs the ``excel`` extra (``pip install 'crokit[excel]'``); openpyxl
is imported only when a function is called, so ``import crokit.excel`` stays light,
and a :class:`~crokit.errors.MissingDependencyError` says how to install it.

- :func:`export_report_workbook` (and :func:`report_workbook`, its bytes) writes the
  workbook people forward: an executive summary, the winner highlighted, and one sheet
  per candidate whose totals are live formulas over the budget lines, stored with
  their results (``crokit evaluate FILE --format xlsx --output out.xlsx``).
- :func:`export_workbook` writes an :class:`~crokit.scenario.Evaluation` to a
  workbook (summary, ranking, budget by service and by month, payments and every
  budget line), amounts as exact numbers with currency formats, atomically.
- :func:`export_engagement` writes an engagement's status (versions, accruals,
  variance, invoice findings, KPIs).
- :func:`read_rate_card` reads a ``Rates`` sheet into a
  :class:`~crokit.pricing.RateCard`, reporting every bad cell by its address
  (``Rates!C7``) in one :class:`~crokit.errors.ValidationError`.
- :func:`write_rate_card_template` writes that sheet, empty or filled from a card.
- :func:`decimal_from_cell` is the one rule that turns a number read from Excel
  into an exact decimal (see ``docs/excel.md``).
"""

from __future__ import annotations

from crokit.excel._engagement import ENGAGEMENT_SHEETS, export_engagement
from crokit.excel._evaluation import export_report_workbook, report_workbook
from crokit.excel._export import SHEETS, export_workbook
from crokit.excel._numbers import decimal_from_cell, fixed_decimals
from crokit.excel._rates import COLUMNS, read_rate_card, write_rate_card_template

__all__ = [
    "COLUMNS",
    "ENGAGEMENT_SHEETS",
    "SHEETS",
    "decimal_from_cell",
    "export_engagement",
    "export_report_workbook",
    "export_workbook",
    "fixed_decimals",
    "read_rate_card",
    "report_workbook",
    "write_rate_card_template",
]
