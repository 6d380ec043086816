r"""``crokit import usdm|ctgov FILE``: a study (or a whole scenario) from a CDISC USDM or ClinicalTrials.gov file.

The options fill only what the file lacks (:class:`~crokit.interop.ImportDefaults`):
``--area`` the therapeutic area, ``--country`` the countries (repeatable), ``--currency``
the budget currency. ``--scenario`` writes a complete scenario around the imported study,
from the built-in template (adapted to the study, see :mod:`crokit.template`) or from a
given scenario file whose study is replaced, ready for ``crokit evaluate``.

Everything the output holds is written by the TOML writer: the import report goes into
the scenario's ``notes`` field, and the comment lines at the top of a study document are
built from escaped text (every line break or control character in a file's text is
written as ``\\n``, ``\\u0085``, ...), so no text read from a file can become a TOML key.
The output is parsed back before it is written, to check exactly that.
"""

from __future__ import annotations

import argparse
import functools
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final, TextIO

from crokit.errors import CrokitError, InputFileError, Problem, ValidationError
from crokit.registry import default_registry
from crokit.serialization import dumps, format_for, loads, read_text

if TYPE_CHECKING:
    from crokit.interop import ImportDefaults, ImportReport
    from crokit.scenario import Scenario

__all__ = ["add_import_command", "comment_lines", "import_text", "run_import"]

Emit = Callable[[str, "str | None", TextIO], None]

_OPTIONS: Final = {"therapeutic_area": "--area", "countries": "--country", "currency": "--currency"}
_CLI_ONLY: Final = "(built-in)"


def _escape(text: str) -> str:
    """*text* on one line: backslashes, line breaks and every other non-printable character escaped."""
    parts: list[str] = []
    for char in text:
        if char == "\\":
            parts.append("\\\\")
        elif char == "\n":
            parts.append("\\n")
        elif char == "\t":
            parts.append("\\t")
        elif char == "\r":
            parts.append("\\r")
        elif char.isprintable() or char == " ":
            parts.append(char)
        else:
            code = ord(char)
            parts.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")  # noqa: PLR2004 - the BMP
    return "".join(parts)


def comment_lines(lines: Sequence[str]) -> str:
    r"""TOML comment lines (``# ...``), one per item of *lines*, each escaped onto one line.

    >>> print(comment_lines(["id X\\nend_date = 2031-12-31"]), end="")
    # id X\\nend_date = 2031-12-31
    """
    text = "".join(f"# {_escape(line)}".rstrip() + "\n" for line in lines)
    if tomllib.loads(text):  # pragma: no cover - _escape leaves no line break to escape from
        raise ValidationError.at("", "internal error: a comment line would be read as TOML")
    return text


def _defaults(args: argparse.Namespace, template: Scenario | None) -> ImportDefaults:
    from crokit.interop import ImportDefaults

    registry = default_registry()
    fields: dict[str, object] = {}
    if args.area is not None:
        fields["therapeutic_area"] = registry.area(args.area, path="--area").id
    if args.country:
        fields["countries"] = tuple(args.country)
    if args.currency is not None:
        fields["currency"] = args.currency
    elif template is not None:
        fields["currency"] = template.study.currency
    try:
        return ImportDefaults(**fields)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for problem in exc.problems:
            head = problem.path.split("[")[0]
            problems.append(Problem(path=_OPTIONS.get(head, problem.path), message=problem.message))
        raise ValidationError(problems) from None
    except CrokitError as exc:  # an unknown country code: its message starts with the code's path
        message = str(exc)
        path = str(getattr(exc, "path", ""))
        raise ValidationError.at("--country", message.removeprefix(f"{path}: ") if path else message) from None


def _template(path: str) -> Scenario:
    from crokit.scenario import Scenario

    return loads(read_text(path), Scenario, format_for(path), registry=default_registry(), source=path)


def _report(kind: str, file: str, defaults: ImportDefaults) -> ImportReport:
    from crokit.interop import load_ctgov, load_usdm

    loader = load_usdm if kind == "usdm" else load_ctgov
    return loader(file, registry=default_registry(), defaults=defaults)


def _report_lines(report: ImportReport) -> list[str]:
    lines: list[str] = []
    if report.filled:
        lines.append("Filled in by crokit (check these):")
        lines += [f"  {a.field} = {a.value}: {a.reason}" for a in report.filled]
    if report.unread:
        lines.append("Not read from the file:")
        lines += [f"  {item}" for item in report.unread]
    if report.notes:
        lines.append("Notes:")
        lines += [f"  {note}" for note in report.notes]
    return lines


def import_text(report: ImportReport, *, kind: str, scenario: bool = False, template: Scenario | None = None) -> str:
    """The TOML text ``crokit import`` writes for *report*: a study document, or a whole scenario.

    Args:
        report: What the importer read.
        kind: ``"usdm"`` or ``"ctgov"``, for the header.
        scenario: Write a whole scenario around the study instead of the study alone.
        template: The scenario whose study is replaced (``None``: the built-in template).
    """
    from crokit.template import render_scenario, scenario_for_study

    registry = default_registry()
    header = [f"Imported from {report.source or 'data'} ({kind}, {report.format}) by crokit import."]
    if scenario:
        intro = f"Study imported from {report.source or 'data'} ({report.format}) by crokit import."
        notes = [intro, report.summary()]
        built, _ = scenario_for_study(report.study, template=template, registry=registry, notes=notes)
        header += [
            "The import report (every assumption, what was not read, notes) and the changes made to the",
            "template for this study are in the `notes` field below. Check them before relying on a result.",
        ]
        body = render_scenario(built, registry)
    else:
        header += _report_lines(report)
        body = dumps(report.study, "toml", registry=registry)
    text = comment_lines(header) + "\n" + body
    if tomllib.loads(text) != tomllib.loads(body):  # pragma: no cover - comment_lines guarantees it
        raise ValidationError.at("", "internal error: the import header changed the document")
    return text


def _same_file(first: str, second: str) -> bool:
    one, two = Path(first), Path(second)
    try:
        return one.resolve() == two.resolve() or (two.exists() and one.exists() and one.samefile(two))
    except OSError:
        return False


def run_import(args: argparse.Namespace, out: TextIO, *, emit: Emit) -> int:
    """Run ``crokit import`` with parsed *args*, writing through *emit*."""
    if args.output and _same_file(args.file, args.output):
        raise InputFileError(args.output, "is the file being imported; give another --output")
    template_path = args.scenario if args.scenario not in (None, _CLI_ONLY) else None
    if template_path is not None and args.output and _same_file(template_path, args.output):
        raise InputFileError(args.output, "is the template scenario; give another --output")
    template = _template(template_path) if template_path is not None else None
    report = _report(args.kind, args.file, _defaults(args, template))
    emit(import_text(report, kind=args.kind, scenario=args.scenario is not None, template=template), args.output, out)
    return 0


def add_import_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    *,
    emit: Emit,
    output_type: Callable[[str], str],
) -> None:
    """Add ``import`` to *commands*; outputs go through *emit*, ``--output`` is checked by *output_type*."""
    importer = commands.add_parser(
        "import",
        help="turn a study definition into a crokit study or scenario (TOML)",
        description="Read a CDISC USDM or ClinicalTrials.gov API v2 JSON file into a crokit study. "
        "The options fill only what the file does not say; every value crokit had to assume is listed.",
    )
    importer.add_argument("kind", choices=("usdm", "ctgov"), help="CDISC USDM JSON or ClinicalTrials.gov API v2 JSON")
    importer.add_argument("file")
    importer.add_argument(
        "--area", metavar="ID", help="therapeutic area if the file names none (`crokit catalogue areas`)"
    )
    importer.add_argument(
        "--country",
        metavar="CC",
        action="append",
        help="ISO 3166 country if the file names none (repeat for several; default US)",
    )
    importer.add_argument("--currency", metavar="CUR", help="ISO 4217 budget currency (default USD)")
    importer.add_argument(
        "--scenario",
        nargs="?",
        const=_CLI_ONLY,
        metavar="TEMPLATE",
        help="write a whole scenario around the study: from the built-in template, or from TEMPLATE "
        "(a scenario file whose study is replaced)",
    )
    importer.add_argument(
        "--output", metavar="PATH", type=output_type, help="write to this file instead of standard output"
    )
    importer.set_defaults(handler=functools.partial(run_import, emit=emit))
