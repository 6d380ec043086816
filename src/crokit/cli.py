"""The ``crokit`` command line.

Exit codes (see ``docs/cli.md``): 0 success; 1 invalid input, a refused output or an
operating-system error (one message on stderr, no traceback); 2 usage error (from
argparse); 130 interrupted (Ctrl-C); 141 standard output closed by its reader.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, Final, TextIO

from crokit._cli_bids import add_bid_commands
from crokit._cli_io import EXIT_INTERRUPTED, EXIT_USAGE, ClosedOutput, add_input_limit, closed_output, run
from crokit._cli_portfolio import add_command as add_portfolio_command
from crokit._cli_scenario import add_commands
from crokit._version import __version__
from crokit.registry import Registry, default_registry
from crokit.vocabulary.lifecycle import Milestone, Stage
from crokit.vocabulary.terms import ProviderKind

__all__ = ["main"]

Row = dict[str, Any]


def _services(registry: Registry) -> list[Row]:
    return [
        {
            "id": s.id,
            "name": s.name,
            "stages": [stage.value for stage in Stage if stage in s.stages],
            "categories": list(s.categories),
            "unit_bases": sorted(b.value for b in s.unit_bases),
            "description": s.description,
        }
        for s in registry.services
    ]


def _categories(registry: Registry) -> list[Row]:
    return [
        {
            "id": c.id,
            "name": c.name,
            "stages": [stage.value for stage in Stage if stage in c.stages],
            "typical_services": list(c.typical_services),
            "focus_areas": list(c.focus_areas),
            "description": c.description,
        }
        for c in registry.categories
    ]


def _stages(_registry: Registry) -> list[Row]:
    return [
        {"id": s.value, "name": s.label, "next": [n.value for n in s.next_stages()], "clinical": s.is_clinical}
        for s in Stage
    ]


def _milestones(_registry: Registry) -> list[Row]:
    return [{"id": m.value, "name": m.label} for m in Milestone]


def _areas(registry: Registry) -> list[Row]:
    return [{"id": a.id, "name": a.name, "parent": a.parent, "aliases": list(a.aliases)} for a in registry.areas]


def _regulators(registry: Registry) -> list[Row]:
    return [
        {"id": r.id, "name": r.short_name, "full_name": r.name, "jurisdiction": list(r.jurisdiction)}
        for r in registry.regulators
    ]


def _submissions(registry: Registry) -> list[Row]:
    return [
        {
            "id": s.id,
            "name": s.short_name,
            "full_name": s.name,
            "regulators": list(s.regulators),
            "gates": s.gates.value,
        }
        for s in registry.submissions
    ]


def _kinds(_registry: Registry) -> list[Row]:
    return [{"id": k.value, "name": k.label, "conducts_research": k.conducts_research} for k in ProviderKind]


def _engagement_models(registry: Registry) -> list[Row]:
    return [
        {"id": m.id, "name": m.name, "parent": m.parent, "description": m.description}
        for m in registry.engagement_models
    ]


def _criteria(registry: Registry) -> list[Row]:
    return [
        {"id": c.id, "name": c.name, "direction": c.direction.value, "why": c.why, "rule": c.rule}
        for c in registry.criteria
    ]


def _questions(registry: Registry) -> list[Row]:
    return [
        {"id": q.id, "criterion": q.criterion, "answer_type": q.answer_type.value, "text": q.text}
        for q in registry.questions
    ]


SECTIONS: Final[dict[str, tuple[str, Callable[[Registry], list[Row]], tuple[str, ...]]]] = {
    "services": ("Services", _services, ("id", "name", "stages")),
    "categories": ("CRO categories", _categories, ("id", "name", "stages")),
    "stages": ("Lifecycle stages", _stages, ("id", "name", "next")),
    "milestones": ("Contract milestones", _milestones, ("id", "name")),
    "areas": ("Therapeutic areas", _areas, ("id", "name", "aliases")),
    "regulators": ("Regulators", _regulators, ("id", "name", "full_name")),
    "submissions": ("Submissions", _submissions, ("id", "name", "regulators", "gates")),
    "kinds": ("Provider kinds", _kinds, ("id", "name")),
    "engagement-models": ("Engagement models", _engagement_models, ("id", "name", "parent")),
    "criteria": ("Selection criteria", _criteria, ("id", "name", "direction")),
    "questions": ("Due-diligence questions", _questions, ("id", "criterion", "answer_type", "text")),
}
_DEFAULT_SECTIONS: Final = ("services", "categories", "stages")
_READERS: Final = ("evaluate", "validate", "import", "template", "portfolio")
"""The commands that read files, and so take ``--max-input-size``."""


def _cell(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _table(title: str, rows: list[Row], columns: tuple[str, ...], out: TextIO) -> None:
    """A titled table as wide as the terminal allows (see docs/cli.md), long cells wrapped."""
    from crokit.presentation._format import terminal_width
    from crokit.report._render import table_lines

    cells = [tuple(_cell(row[c]) for c in columns) for row in rows]
    out.write(f"{title} ({len(rows)})\n")
    out.writelines(line + "\n" for line in table_lines(columns, cells, frozenset(), terminal_width(out)))


def _catalogue(args: argparse.Namespace, out: TextIO) -> int:
    registry = default_registry()
    names = (args.section,) if args.section else _DEFAULT_SECTIONS
    if args.format == "json":
        payload = {name: SECTIONS[name][1](registry) for name in names}
        out.write(json.dumps(payload if len(names) > 1 else payload[names[0]], indent=2, ensure_ascii=False) + "\n")
        return 0
    for index, name in enumerate(names):
        title, rows, columns = SECTIONS[name]
        if index:
            out.write("\n")
        _table(title, rows(registry), columns, out)
    return 0


def _plugins(args: argparse.Namespace, out: TextIO) -> int:
    registry = default_registry()
    rows = [
        {"name": e.name, "distribution": e.distribution, "version": e.version, "value": e.value}
        for e in registry.extensions
    ]
    if args.format == "json":
        out.write(json.dumps(rows, indent=2) + "\n")
    elif not rows:
        out.write("No crokit extensions installed (entry-point group 'crokit.extensions').\n")
    else:
        _table("Installed extensions", rows, ("name", "distribution", "version", "value"), out)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crokit", description="Model, price and compare outsourced research with contract research organizations."
    )
    parser.add_argument("--version", action="version", version=f"crokit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    catalogue = commands.add_parser("catalogue", help="list the vocabulary: services, categories, stages, ...")
    catalogue.add_argument(
        "section", nargs="?", choices=sorted(SECTIONS), help="one section (default: services, categories and stages)"
    )
    catalogue.add_argument("--format", choices=("text", "json"), default="text")
    catalogue.set_defaults(handler=_catalogue)

    plugins = commands.add_parser("plugins", help="list installed crokit extensions")
    plugins.add_argument("--format", choices=("text", "json"), default="text")
    plugins.set_defaults(handler=_plugins)
    add_commands(commands)
    add_bid_commands(commands)
    add_portfolio_command(commands)
    for name in _READERS:
        add_input_limit(commands.choices[name])
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line with *argv* and return the exit code."""
    out = out if out is not None else (sys.stdout or ClosedOutput())  # None when started with stdout closed
    err = err if err is not None else (sys.stderr or io.StringIO())
    try:
        parser = _parser()
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version or a usage error
        try:
            if sys.stdout is not None:
                sys.stdout.flush()  # argparse ignores a failed write; the flush says whether the reader went away
        except BrokenPipeError:
            return closed_output(sys.stdout, err)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        err.write("crokit: interrupted\n")
        return EXIT_INTERRUPTED
    handler: Callable[[argparse.Namespace, TextIO], int] = args.handler
    return run(handler, args, out, err)
