"""Budgets, payment schedules and rankings as HTML or Markdown tables, for notebooks and reports.

Jupyter shows :class:`~crokit.pricing.Budget`, :class:`~crokit.schedule.PaymentSchedule`
and :class:`~crokit.selection.Ranking` values with these tables through their
``_repr_html_`` and ``_repr_markdown_`` methods; the functions here can also be called
directly.

The HTML is self-contained: plain ``<table>`` markup with inline alignment, no
JavaScript, no style sheets, no external assets, and every text taken from the data is
escaped with :func:`html.escape`. Markdown cells escape ``|``, backslashes and line
breaks. Tables longer than *max_rows* (50 by default) show their first rows and a
"… N more rows" note; the totals and notes always cover every row.
"""

from crokit.presentation._display import (
    MAX_ROWS,
    budget_html,
    budget_markdown,
    ranking_html,
    ranking_markdown,
    schedule_html,
    schedule_markdown,
)

__all__ = [
    "MAX_ROWS",
    "budget_html",
    "budget_markdown",
    "ranking_html",
    "ranking_markdown",
    "schedule_html",
    "schedule_markdown",
]
