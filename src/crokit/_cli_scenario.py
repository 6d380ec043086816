"""The scenario commands of the command line: demo, evaluate, validate, template, import.

Every file is read through :mod:`crokit.serialization`, so each problem comes back as a
:class:`~crokit.errors.CrokitError` with its location; outputs go through
:func:`crokit._cli_io.emit`, which never writes over an input and writes through a
temporary file and a rename, so a failure never leaves a partial file.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from crokit._cli_io import emit
from crokit.errors import ValidationError
from crokit.registry import default_registry
from crokit.serialization import dumps, load

if TYPE_CHECKING:
    from crokit.scenario import Evaluation, Scenario

__all__ = ["add_commands"]

_REPORT_FORMATS = ("text", "markdown", "html", "json")


def _load_scenario(path: str) -> Scenario:
    from crokit.scenario import Scenario

    return load(path, Scenario, registry=default_registry())


def _emit(text: str, output: str | None, out: TextIO) -> None:
    emit(text, output, out)


def _evaluate(scenario: Scenario, seed: int | None) -> Evaluation:
    from crokit.scenario import evaluate

    return evaluate(scenario, registry=default_registry(), seed=seed)


def _report(evaluation: Evaluation, fmt: str) -> str:
    from crokit.report import render

    return render(evaluation, fmt)  # type: ignore[arg-type]


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    from crokit.demo import DEMO_SEED, demo_scenario

    seed = DEMO_SEED if args.seed is None else args.seed
    _emit(_report(_evaluate(demo_scenario(), seed), args.format), args.output, out)
    return 0


def _evaluate_command(args: argparse.Namespace, out: TextIO) -> int:
    scenario = _load_scenario(args.file)
    _emit(_report(_evaluate(scenario, args.seed), args.format), args.output, out)
    return 0


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    scenario = _load_scenario(args.file)
    evaluation = _evaluate(scenario, None)  # prices every proposal: their problems are input problems too
    eligible = sum(1 for result in evaluation.candidates if result.eligible)
    out.write(
        f"{args.file}: valid scenario: {len(scenario.candidates)} candidates ({eligible} eligible), "
        f"study {scenario.study.name!r}\n"
    )
    return 0


def _template(args: argparse.Namespace, out: TextIO) -> int:
    from crokit.template import scenario_template

    _emit(scenario_template(), args.output, out)
    return 0


def _import(args: argparse.Namespace, out: TextIO) -> int:
    from crokit.interop import load_ctgov, load_usdm
    from crokit.study import Study

    report = load_usdm(args.file) if args.kind == "usdm" else load_ctgov(args.file)
    if not isinstance(report.study, Study):  # pragma: no cover - the readers always return a Study
        raise ValidationError.at("study", "the reader returned no study")
    lines = [f"# Imported from {args.file} ({args.kind}) by crokit."]
    if report.filled:
        lines.append("# Filled in by crokit (check these):")
        lines += [f"#   {a.field} = {a.value}: {a.reason}" for a in report.filled]
    if report.unread:
        lines.append("# Not read from the file:")
        lines += [f"#   {item}" for item in report.unread]
    if report.notes:
        lines.append("# Notes:")
        lines += [f"#   {note}" for note in report.notes]
    text = "\n".join(lines) + "\n" + dumps(report.study, "toml", registry=default_registry())
    _emit(text, args.output, out)
    return 0


def _checked_output(value: str) -> str:
    if Path(value).is_dir():
        raise argparse.ArgumentTypeError(f"{value} is a directory; give a file name")
    return value


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add demo, evaluate, validate, template and import to *commands*."""
    demo = commands.add_parser("demo", help="evaluate the built-in rare-disease Phase II scenario (illustrative)")
    demo.add_argument("--format", choices=_REPORT_FORMATS, default="text")
    demo.add_argument("--output", type=_checked_output, help="write to this file instead of standard output")
    demo.add_argument("--seed", type=int, help="seed of the rank-acceptability sampling (default: the demo's)")
    demo.set_defaults(handler=_demo)

    evaluate = commands.add_parser("evaluate", help="evaluate a scenario file (TOML, JSON or YAML)")
    evaluate.add_argument("file")
    evaluate.add_argument("--format", choices=_REPORT_FORMATS, default="text")
    evaluate.add_argument("--output", type=_checked_output, help="write to this file instead of standard output")
    evaluate.add_argument("--seed", type=int, help="seed for rank acceptabilities (none computed without one)")
    evaluate.set_defaults(handler=_evaluate_command)

    validate = commands.add_parser("validate", help="check a scenario file and list every problem")
    validate.add_argument("file")
    validate.set_defaults(handler=_validate)

    template = commands.add_parser("template", help="write a commented starting file")
    template.add_argument("what", choices=("scenario",))
    template.add_argument("--output", type=_checked_output, help="write to this file instead of standard output")
    template.set_defaults(handler=_template)

    importer = commands.add_parser("import", help="turn a study definition into a crokit study (TOML)")
    importer.add_argument("kind", choices=("usdm", "ctgov"), help="CDISC USDM JSON or ClinicalTrials.gov API v2 JSON")
    importer.add_argument("file")
    importer.add_argument("--output", type=_checked_output, help="write to this file instead of standard output")
    importer.set_defaults(handler=_import)
