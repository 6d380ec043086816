"""The bid-grid commands of the command line: ``template bid-grid`` and ``import bid``.

``crokit template bid-grid SCENARIO --output grid.xlsx`` writes the workbook a CRO
fills in, from the scenario's study, planning assumptions and required services.
``crokit import bid grid.xlsx [--output bid.toml] [--cro ID] [--currency CUR]`` reads a
filled workbook into a bid document (TOML, JSON or YAML by the output's extension;
TOML on standard output). Both run inside :func:`crokit._cli_io.run`: every problem is
reported at once with its cell, the exit code is 1, and no output file is written.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from crokit._cli_io import emit, refuse_output_over
from crokit.errors import ValidationError
from crokit.registry import default_registry
from crokit.serialization import dumps, load
from crokit.serialization._files import format_for, session_inputs

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["add_bid_commands"]


def _template_bid_grid(args: argparse.Namespace, _out: TextIO) -> int:
    from crokit.bids.grid import bid_grid, write_bid_grid
    from crokit.scenario import Scenario

    if not args.file:
        raise ValidationError.at(
            "SCENARIO", "name the scenario file: crokit template bid-grid SCENARIO --output grid.xlsx"
        )
    if not args.output:
        raise ValidationError.at("--output", "a workbook cannot go to standard output: give --output grid.xlsx")
    registry = default_registry()
    scenario = load(args.file, Scenario, registry=registry)
    grid = bid_grid(scenario.study, scenario.assumptions, registry=registry, sponsor=scenario.sponsor)
    refuse_output_over(args.output, *(path for path, _, _ in session_inputs()))
    write_bid_grid(args.output, grid, registry=registry)
    return 0


def _import_bid(args: argparse.Namespace, out: TextIO) -> int:
    from crokit.bids.grid import read_bid

    registry = default_registry()
    fmt = format_for(args.output) if args.output else "toml"
    bid = read_bid(args.file, registry=registry, cro=args.cro, currency=args.currency)
    header = f"# A bid read from {args.file} by crokit.\n" if fmt != "json" else ""
    emit(header + dumps(bid, fmt, registry=registry), args.output, out)
    return 0


def _dispatch(
    key: str, value: str, mine: Callable[[argparse.Namespace, TextIO], int], theirs: object
) -> Callable[[argparse.Namespace, TextIO], int]:
    def handler(args: argparse.Namespace, out: TextIO) -> int:
        if getattr(args, key) == value:
            return mine(args, out)
        if key == "what" and getattr(args, "file", None):
            raise ValidationError.at("SCENARIO", f"template {args.what} takes no file")
        if key == "kind" and args.cro:
            raise ValidationError.at("--cro", "--cro is for import bid")
        result: int = theirs(args, out)  # type: ignore[operator]
        return result

    return handler


def _add_choice(parser: argparse.ArgumentParser, dest: str, choice: str) -> None:
    for action in parser._actions:  # noqa: SLF001 - argparse keeps a positional's choices on its action
        if action.dest == dest and action.choices is not None:
            action.choices = (*action.choices, choice)


def add_bid_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``template bid-grid SCENARIO`` and ``import bid WORKBOOK`` to the template and import commands."""
    template = commands.choices["template"]
    _add_choice(template, "what", "bid-grid")
    template.add_argument(
        "file", nargs="?", metavar="SCENARIO", help="bid-grid only: the scenario whose study the grid prices"
    )
    template.set_defaults(handler=_dispatch("what", "bid-grid", _template_bid_grid, template.get_default("handler")))

    importer = commands.choices["import"]
    _add_choice(importer, "kind", "bid")
    importer.add_argument("--cro", metavar="ID", help="bid only: the CRO's id, if the workbook does not give it")
    if "--currency" not in importer._option_string_actions:  # noqa: SLF001 - the study importers may define it
        importer.add_argument(
            "--currency", metavar="CUR", help="the bid's ISO 4217 currency, if the workbook does not give it"
        )
    importer.set_defaults(handler=_dispatch("kind", "bid", _import_bid, importer.get_default("handler")))
