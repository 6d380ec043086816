"""Register the presentation layer's renderers on the hooks the models call (:mod:`crokit._views`)."""

from __future__ import annotations

from crokit import _views
from crokit.presentation import _dataframe, _display
from crokit.pricing.budget import Budget
from crokit.scenario import Evaluation
from crokit.schedule.payments import PaymentSchedule
from crokit.selection.models import Ranking

__all__: list[str] = []


def _evaluation_html(evaluation: Evaluation) -> str:
    """The report as an HTML fragment (:func:`crokit.report.render`)."""
    from crokit.report import render

    return render(evaluation, "html", standalone=False)


def _evaluation_markdown(evaluation: Evaluation) -> str:
    """The report as Markdown (:func:`crokit.report.render`)."""
    from crokit.report import render

    return render(evaluation, "markdown")


for _kind in (Budget, PaymentSchedule, Ranking, Evaluation):
    _views.records.register(_kind, _dataframe.to_records)
    _views.dataframe.register(_kind, _dataframe.to_dataframe)

_views.html.register(Budget, _display.budget_html)
_views.markdown.register(Budget, _display.budget_markdown)
_views.html.register(PaymentSchedule, _display.schedule_html)
_views.markdown.register(PaymentSchedule, _display.schedule_markdown)
_views.html.register(Ranking, _display.ranking_html)
_views.markdown.register(Ranking, _display.ranking_markdown)
_views.html.register(Evaluation, _evaluation_html)
_views.markdown.register(Evaluation, _evaluation_markdown)
