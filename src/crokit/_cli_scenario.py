"""The scenario commands of the command line: demo, evaluate, validate, template, import.

Every file is read through :mod:`crokit.serialization`, so each problem comes back as a
:class:`~crokit.errors.CrokitError` with its location; outputs go through
:func:`crokit._cli_io.emit`, which never writes over an input and writes through a
temporary file and a rename, so a failure never leaves a partial file.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from crokit._cli_engagement import add_engagement_command
from crokit._cli_import import add_import_command
from crokit._cli_io import emit, write_output
from crokit._cli_validate import add_validate_command
from crokit.errors import ValidationError
from crokit.registry import default_registry
from crokit.serialization import load

if TYPE_CHECKING:
    from crokit.scenario import Evaluation, Scenario

__all__ = ["add_commands"]

_REPORT_FORMATS = ("text", "markdown", "html", "json", "xlsx")
_FORMAT_HELP = "report format (default: text); xlsx, an Excel workbook, needs --output"


def _load_scenario(path: str) -> Scenario:
    from crokit.scenario import Scenario

    return load(path, Scenario, registry=default_registry())


def _emit(text: str, output: str | None, out: TextIO) -> None:
    emit(text, output, out)


def _evaluate(scenario: Scenario, seed: int | None) -> Evaluation:
    from crokit.scenario import evaluate

    return evaluate(scenario, registry=default_registry(), seed=seed)


def text_options(out: TextIO, output: str | None) -> dict[str, Any]:
    """How text reports are drawn: rich's tables on a terminal, plain text elsewhere, as wide as allowed.

    Written to a file (*output*) or a pipe, text is plain and ``COLUMNS`` (else 120)
    wide; on a terminal it is the terminal's width, with rich's tables when rich is
    installed (see docs/cli.md).
    """
    from crokit.presentation._format import is_terminal, terminal_width

    terminal = not output and is_terminal(out)
    return {"rich": None if terminal else False, "width": terminal_width(out if terminal else None)}


def _report(evaluation: Evaluation, fmt: str, out: TextIO, output: str | None) -> str:
    from crokit.report import render

    return render(evaluation, fmt, registry=default_registry(), **text_options(out, output))  # type: ignore[arg-type]


def _workbook_output(args: argparse.Namespace) -> str | None:
    """The file an xlsx report goes to, or ``None`` for the other formats.

    Raises:
        ValidationError: For ``--format xlsx`` without ``--output``: a workbook is not terminal text.
    """
    if args.format != "xlsx":
        return None
    if not args.output:
        raise ValidationError.at(
            "--output", "--format xlsx writes a workbook, not text: give the file, such as --output report.xlsx"
        )
    return str(args.output)


def _write(evaluation: Evaluation, args: argparse.Namespace, workbook: str | None, out: TextIO) -> None:
    if workbook is None:
        _emit(_report(evaluation, args.format, out, args.output), args.output, out)
        return
    from crokit.excel._evaluation import report_workbook

    write_output(workbook, report_workbook(evaluation, registry=default_registry()))


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    from crokit.demo import DEMO_SEED, demo_scenario

    workbook = _workbook_output(args)  # refused before any work
    seed = DEMO_SEED if args.seed is None else args.seed
    _write(_evaluate(demo_scenario(), seed), args, workbook, out)
    return 0


def _evaluate_command(args: argparse.Namespace, out: TextIO) -> int:
    workbook = _workbook_output(args)
    scenario = _load_scenario(args.file)
    _write(_evaluate(scenario, args.seed), args, workbook, out)
    return 0


def _template(args: argparse.Namespace, out: TextIO) -> int:
    from crokit.template import engagement_template, scenario_template

    _emit(engagement_template() if args.what == "engagement" else scenario_template(), args.output, out)
    return 0


def _checked_output(value: str) -> str:
    if Path(value).is_dir():
        raise argparse.ArgumentTypeError(f"{value} is a directory; give a file name")
    return value


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add demo, evaluate, validate, template and import to *commands*."""
    demo = commands.add_parser("demo", help="evaluate the built-in rare-disease Phase II scenario (illustrative)")
    demo.add_argument("--format", choices=_REPORT_FORMATS, default="text", help=_FORMAT_HELP)
    demo.add_argument("--output", type=_checked_output, help="write to this file instead of standard output")
    demo.add_argument("--seed", type=int, help="seed of the rank-acceptability sampling (default: the demo's)")
    demo.set_defaults(handler=_demo)

    evaluate = commands.add_parser("evaluate", help="evaluate a scenario file (TOML, JSON or YAML)")
    evaluate.add_argument("file")
    evaluate.add_argument("--format", choices=_REPORT_FORMATS, default="text", help=_FORMAT_HELP)
    evaluate.add_argument("--output", type=_checked_output, help="write to this file instead of standard output")
    evaluate.add_argument("--seed", type=int, help="seed for rank acceptabilities (none computed without one)")
    evaluate.set_defaults(handler=_evaluate_command)

    add_validate_command(commands)

    template = commands.add_parser("template", help="write a commented starting file")
    template.add_argument("what", choices=("scenario", "engagement"))
    template.add_argument("--output", type=_checked_output, help="write to this file instead of standard output")
    template.set_defaults(handler=_template)

    add_import_command(commands, emit=_emit, output_type=_checked_output)
    add_engagement_command(commands, output_type=_checked_output)
