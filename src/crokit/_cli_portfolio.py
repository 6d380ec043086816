"""The ``crokit portfolio`` command: evaluate a folder of scenarios, here or on a Dask cluster.

``--workers N`` starts a Dask ``LocalCluster`` of *N* worker processes (one thread
each) for the run and shuts it down at the end; ``--scheduler ADDRESS`` connects to a
running cluster and leaves it running. A progress bar (rich's when it is installed, a
counter otherwise) goes to stderr, and only when stderr is a terminal. Dask is imported
only when one of the two options is given, so the other commands never pay for it.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Final, TextIO

from crokit._cli_io import emit
from crokit.errors import MissingDependencyError, ValidationError

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["add_command"]

_FORMATS: Final = ("text", "markdown", "json", "csv")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 3600:  # noqa: PLR2004 - an hour is long enough to wait for any scheduler
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0 and up to 3600, got {text!r}")
    return value


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise MissingDependencyError("dask.distributed", "dask") from None
    return distributed


@contextlib.contextmanager
def _client(args: argparse.Namespace) -> Iterator[Client | None]:
    if args.workers is None and args.scheduler is None:
        yield None
        return
    distributed = _distributed()
    if args.workers is not None:
        with (
            distributed.LocalCluster(
                n_workers=args.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.ERROR,
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = distributed.Client(args.scheduler, timeout=args.connect_timeout)
    except (OSError, ValueError, TypeError) as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise ValidationError.at(
            "--scheduler", f"cannot connect to a Dask scheduler at {args.scheduler!r}: {detail}"
        ) from None
    with client:
        yield client


class _Progress:
    """Scenarios done out of the total, on stderr: rich's bar when installed, else a counter."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._bar: Any = None
        self._task: Any = None
        try:
            from rich.console import Console
            from rich.progress import Progress
        except ImportError:
            return
        self._bar = Progress(console=Console(file=stream), transient=True)

    def __call__(self, done: int, total: int) -> None:
        if self._bar is not None:
            if self._task is None:
                self._bar.start()
                self._task = self._bar.add_task("scenarios", total=total)
            self._bar.update(self._task, completed=done)
            return
        self._stream.write(f"\rcrokit portfolio: {done}/{total} scenarios")
        self._stream.flush()

    def close(self) -> None:
        if self._bar is not None:
            if self._task is not None:
                self._bar.stop()
        else:
            self._stream.write("\n")
            self._stream.flush()


def _portfolio(args: argparse.Namespace, out: TextIO) -> int:
    from crokit.portfolio import evaluate_portfolio, render_portfolio

    err = sys.stderr
    progress = _Progress(err) if err is not None and err.isatty() else None
    try:
        with _client(args) as client:
            portfolio = evaluate_portfolio(args.folder, client=client, seed=args.seed, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    emit(render_portfolio(portfolio, args.format), args.output, out)
    if args.strict and portfolio.failed:
        names = ", ".join(row.name for row in portfolio.failed)
        raise ValidationError.at(args.folder, f"{len(portfolio.failed)} scenario(s) failed: {names}")
    return 0


def _checked_output(value: str) -> str:
    from pathlib import Path

    if Path(value).is_dir():
        raise argparse.ArgumentTypeError(f"{value} is a directory; give a file name")
    return value


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``portfolio`` to *commands*."""
    parser = commands.add_parser(
        "portfolio", help="evaluate a folder of scenario files into one table, here or on a Dask cluster"
    )
    parser.add_argument("folder", metavar="DIR", help="folder of scenario files (*.toml, *.json, *.yaml, *.yml)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=_positive, metavar="N", help="start a local Dask cluster of N worker processes for the run"
    )
    where.add_argument("--scheduler", metavar="ADDRESS", help="run on the Dask cluster at ADDRESS (tcp://host:8786)")
    parser.add_argument(
        "--connect-timeout",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help="how long to try to reach the scheduler (default: 10)",
    )
    parser.add_argument("--format", choices=_FORMATS, default="text")
    parser.add_argument(
        "--output", type=_checked_output, metavar="FILE", help="write to this file instead of standard output"
    )
    parser.add_argument(
        "--seed", type=int, metavar="N", help="base seed of the rank acceptabilities (none computed without one)"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 if any scenario fails (the table is written first)"
    )
    parser.set_defaults(handler=_portfolio)
