"""Reports of an :class:`~crokit.scenario.Evaluation`: terminal text, Markdown, HTML and JSON.

:func:`render` writes one evaluation in any of the formats; every format is built from
the same document blocks, so they say the same thing. The JSON report
(:func:`json_report`) is a public, versioned contract (see docs/json-report.md).

>>> from crokit.demo import DEMO_SEED, demo_scenario
>>> from crokit.scenario import evaluate
>>> from crokit import Registry
>>> evaluation = evaluate(demo_scenario(), seed=DEMO_SEED, registry=Registry.builtin())
>>> render(evaluation, "markdown").splitlines()[0]
'# Choosing a CRO for RD-201 (illustrative demo: invented companies and prices)'
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Literal

from crokit._decimal import in_crokit_context
from crokit.errors import ValidationError
from crokit.presentation._format import terminal_width
from crokit.report._document import build, format_money
from crokit.report._json import REPORT_SCHEMA_VERSION, json_report, money_json
from crokit.report._render import rich_available, to_html, to_markdown, to_rich_text, to_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from crokit.engagement.document import EngagementReport
    from crokit.engagement.ledger import TransferTable
    from crokit.registry import Registry
    from crokit.report._document import Block
    from crokit.scenario import Evaluation

__all__ = [
    "FORMATS",
    "REPORT_SCHEMA_VERSION",
    "ReportFormat",
    "format_money",
    "json_report",
    "money_json",
    "render",
    "render_engagement",
    "render_obligations",
]

ReportFormat = Literal["text", "markdown", "html", "json"]
"""The formats :func:`render` writes."""
FORMATS: tuple[ReportFormat, ...] = ("text", "markdown", "html", "json")


@in_crokit_context
def render(
    evaluation: Evaluation,
    format: ReportFormat = "text",  # noqa: A002 - "format" reads best here
    *,
    rich: bool | None = None,
    standalone: bool = True,
    charts: bool | None = None,
    registry: Registry | None = None,
    width: int | None = None,
) -> str:
    """*evaluation* as a report in *format*.

    Args:
        evaluation: The evaluation to report.
        format: ``"text"``, ``"markdown"``, ``"html"`` or ``"json"``.
        rich: For text, draw tables with rich (default: when rich is installed).
        standalone: For HTML, a complete page (default) or a fragment for notebooks.
        charts: For HTML, inline SVG charts after the ranking (default: on a
            complete page, not in a fragment); without matplotlib, a note says they
            are left out.
        registry: Where the names shown for ids come from (default:
            :func:`~crokit.default_registry`); JSON keeps the ids.
        width: For text, the most columns a line may take (default:
            ``COLUMNS``, else the width of the terminal standard output writes to,
            else 120; at least 60).
    """
    if format == "html" and (standalone if charts is None else charts):
        from crokit.report._html_charts import evaluation_charts

        return to_html(
            build(evaluation), standalone=standalone, charts=evaluation_charts(evaluation, registry=registry)
        )
    return _render_blocks(
        lambda: build(evaluation, registry),
        lambda: json_report(evaluation),
        format,
        rich=rich,
        standalone=standalone,
        width=width,
    )


def _render_blocks(
    blocks: Callable[[], list[Block]],
    data: Callable[[], object],
    format: ReportFormat,  # noqa: A002
    *,
    rich: bool | None,
    standalone: bool = True,
    width: int | None = None,
) -> str:
    """One report in *format*: *data* for JSON, *blocks* for the rest (each built only when needed)."""
    if format == "json":
        return json.dumps(data(), indent=2, ensure_ascii=False) + "\n"
    if format == "text":
        use_rich = rich_available() if rich is None else rich
        columns = terminal_width(sys.stdout) if width is None else width
        return to_rich_text(blocks(), width=columns) if use_rich else to_text(blocks(), width=columns)
    if format == "markdown":
        return to_markdown(blocks())
    if format == "html":
        return to_html(blocks(), standalone=standalone)
    raise ValidationError.at("format", f"expected one of {', '.join(FORMATS)}, got {format!r}")


@in_crokit_context
def render_engagement(
    report: EngagementReport,
    format: ReportFormat = "text",  # noqa: A002 - "format" reads best here
    *,
    rich: bool | None = None,
    registry: Registry | None = None,
    width: int | None = None,
) -> str:
    """An engagement's status (versions, accruals, variance, estimates, KPIs) in *format*.

    *registry*, *rich* and *width* as for :func:`render`.
    """
    from crokit.report._engagement import engagement_blocks, engagement_json

    return _render_blocks(
        lambda: engagement_blocks(report, registry),
        lambda: engagement_json(report),
        format,
        rich=rich,
        width=width,
    )


@in_crokit_context
def render_obligations(
    table: TransferTable,
    format: ReportFormat = "text",  # noqa: A002 - "format" reads best here
    *,
    rich: bool | None = None,
    width: int | None = None,
) -> str:
    """A transfer-of-obligations table (Form FDA 1571; eCTD Module 1.3.1.4) in *format*.

    *rich* and *width* as for :func:`render`.
    """
    from crokit.report._engagement import obligations_blocks, obligations_json

    return _render_blocks(
        lambda: obligations_blocks(table), lambda: obligations_json(table), format, rich=rich, width=width
    )
