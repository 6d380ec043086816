"""``crokit engagement status|obligations FILE``: an engagement's status and its transfer table.

Both read an engagement document (TOML, JSON or YAML) through
:func:`crokit.serialization.load`, so every problem comes back with its path, and write
through :func:`crokit._cli_io.emit` (never over the input, atomically).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

import attrs

from crokit._cli_io import add_input_limit, emit, refuse_output_over
from crokit.errors import ValidationError
from crokit.registry import default_registry
from crokit.serialization import load

if TYPE_CHECKING:
    from crokit.engagement.document import Engagement

__all__ = ["add_engagement_command"]

_FORMATS = ("text", "markdown", "html", "json")
_STATUS_FORMATS = (*_FORMATS, "xlsx")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2027-06-30, got {text!r}") from None


def _load(path: str) -> Engagement:
    from crokit.engagement.document import Engagement

    return load(path, Engagement, registry=default_registry())


def _as_of(engagement: Engagement, day: dt.date | None) -> Engagement:
    if day is None:
        return engagement
    contracts = []
    for index, item in enumerate(engagement.contracts):
        if item.actuals is None:
            contracts.append(item)
            continue
        try:
            contracts.append(attrs.evolve(item, actuals=item.actuals.up_to(day)))
        except ValidationError as error:
            raise error.with_prefix(f"contracts[{index}].actuals") from None
    return attrs.evolve(engagement, contracts=contracts)


def _status(args: argparse.Namespace, out: TextIO) -> int:
    from crokit.engagement.document import status
    from crokit.report import render_engagement

    engagement = _as_of(_load(args.file), args.as_of)
    report = status(engagement, registry=default_registry())
    if args.format == "xlsx":
        from crokit.excel import export_engagement

        if not args.output:
            raise ValidationError.at("--output", "an xlsx workbook is written to a file: give --output FILE.xlsx")
        refuse_output_over(args.output, args.file)
        export_engagement(report, args.output)
        return 0
    from crokit._cli_scenario import text_options

    options = text_options(out, args.output)
    emit(render_engagement(report, args.format, registry=default_registry(), **options), args.output, out)
    return 0


def _obligations(args: argparse.Namespace, out: TextIO) -> int:
    from crokit._cli_scenario import text_options
    from crokit.engagement.document import obligations
    from crokit.report import render_obligations

    emit(
        render_obligations(obligations(_load(args.file)), args.format, **text_options(out, args.output)),
        args.output,
        out,
    )
    return 0


def add_engagement_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    *,
    output_type: Callable[[str], str],
) -> argparse.ArgumentParser:
    """Add ``engagement status`` and ``engagement obligations`` to *commands*; return the parser."""
    engagement = commands.add_parser("engagement", help="an engagement after signature: status and obligations")
    actions = engagement.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser(
        "status", help="plan against actuals: versions, accruals, variance, estimate at completion, KPIs"
    )
    status.add_argument("file")
    status.add_argument("--as-of", type=_date, help="the date to report as of (default: the actuals' own date)")
    status.add_argument("--format", choices=_STATUS_FORMATS, default="text")
    status.add_argument("--output", type=output_type, help="write to this file instead of standard output")
    status.set_defaults(handler=_status)
    add_input_limit(status)
    obligations = actions.add_parser(
        "obligations", help="the transfer-of-obligations table (21 CFR 312.52; Form FDA 1571; eCTD 1.3.1.4)"
    )
    obligations.add_argument("file")
    obligations.add_argument("--format", choices=_FORMATS, default="text")
    obligations.add_argument("--output", type=output_type, help="write to this file instead of standard output")
    obligations.set_defaults(handler=_obligations)
    add_input_limit(obligations)
    return engagement
