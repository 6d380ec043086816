"""Matplotlib charts of budgets, cash flow, milestone plans, rankings, tornadoes, forecasts and a one-page dashboard.

Every function returns a :class:`~matplotlib.figure.Figure`, so a chart put last in a
notebook cell is displayed. Given ``ax=``, a function draws on that Axes and returns its
figure; without it, it makes a new constrained-layout figure sized for the data (not a
pyplot figure, so nothing is left open in pyplot's state). Nothing here calls
``plt.show()``, changes the style or touches ``rcParams``. Exact amounts are converted
to floats only to be drawn; money axes read ``1.25M USD``, titles print totals with
thousands separators, names are wrapped, and colours come from the Okabe-Ito palette.

matplotlib is imported only when a chart is drawn; install it with
``pip install 'crokit[plot]'``.
"""

from __future__ import annotations

from crokit.plot._charts import plot_acceptability, plot_budget, plot_cash_flow, plot_contributions, plot_timeline
from crokit.plot._dashboard import dashboard, plot_scores
from crokit.plot._forecast import plot_cost_distribution, plot_enrolment_fan
from crokit.plot._tornado import plot_tornado

__all__ = [
    "dashboard",
    "plot_acceptability",
    "plot_budget",
    "plot_cash_flow",
    "plot_contributions",
    "plot_cost_distribution",
    "plot_enrolment_fan",
    "plot_scores",
    "plot_timeline",
    "plot_tornado",
]
