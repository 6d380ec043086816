"""The command ``python -m fuzz``: options, the run over the readers, the table and RESULTS.md."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from fuzz._readers import READERS, reader_names
from fuzz._run import WALL_FACTOR, Settings, Tally, make_pool, minimize, replay, run_reader, save_escape

__all__ = ["main", "table"]

HERE: Final = Path(__file__).resolve().parent
_SAVE_LIMIT: Final = 8_000
"""Inputs of hangs, silent changes and round-trip failures are saved only up to this many bytes."""
_HANGS: Final = "than {cpu:g} s of CPU time, or {wall:g} s of wall-clock time), silent changes (an accepted"
_COLUMNS: Final = (
    "reader",
    "inputs",
    "accepted",
    "escapes",
    "hangs (> {hang} s)",
    "silent changes",
    "round-trip failures",
    "inputs/s",
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m fuzz",
        description="Fuzz every crokit reader; exit 1 if any escape, hang, silent change or round-trip failure.",
    )
    parser.add_argument("--inputs", type=int, default=10_000, help="inputs per reader (default 10000)")
    parser.add_argument("--budget", type=float, help="seconds per reader; a reader stops early when they are spent")
    parser.add_argument(
        "--seed", type=int, default=0, help="the run's seed (default 0): the same seed, the same inputs"
    )
    parser.add_argument(
        "--readers", default="", help=f"comma-separated readers or prefixes (default all: {', '.join(reader_names())})"
    )
    parser.add_argument("--jobs", type=int, default=2, help="worker processes, at most 2 (default 2)")
    parser.add_argument("--hang-seconds", type=float, default=2.0, help="per-input time limit (default 2)")
    parser.add_argument("--chunk", type=int, default=200, help="inputs per task handed to a worker (default 200)")
    parser.add_argument(
        "--subprocess-every", type=int, default=200, help="run every Nth CLI input also as a subprocess (default 200)"
    )
    parser.add_argument("--record", action="store_true", help="write the result table to fuzz/RESULTS.md")
    parser.add_argument(
        "--save-escapes",
        type=Path,
        default=None,
        metavar="FOLDER",
        help="save each escape's minimized input there, and other findings' inputs up to 8 kB "
        "(fuzz/corpus/escapes keeps them as seeds)",
    )
    parser.add_argument("--minimize-seconds", type=float, default=10.0, help="time to shrink each escape (default 10)")
    parser.add_argument("--repro", type=Path, metavar="FILE", help="replay one saved input and print what happens")
    parser.add_argument("--list", action="store_true", help="list the readers and exit")
    return parser


def _selected(spec: str) -> list[str]:
    """The readers *spec* names, in the order it names them (all readers, in run order, if empty)."""
    if not spec:
        return reader_names()
    wanted = [w.strip() for w in spec.split(",") if w.strip()]
    chosen = list(dict.fromkeys(n for w in wanted for n in reader_names() if n == w or n.startswith(w + ".")))
    unknown = [w for w in wanted if not any(n == w or n.startswith(w + ".") for n in reader_names())]
    if unknown:
        raise SystemExit(f"unknown readers: {', '.join(unknown)} (known: {', '.join(reader_names())})")
    return chosen


def table(tallies: Sequence[Tally], hang_seconds: float) -> str:
    """The result table in Markdown."""
    header = [c.format(hang=f"{hang_seconds:g}") for c in _COLUMNS]
    rows = [
        [
            f"`{t.reader}`",
            f"{t.inputs:,}",
            f"{t.accepted:,}",
            str(t.escapes),
            str(t.hangs),
            str(t.silent),
            str(t.round_trip),
            f"{t.inputs / t.seconds:.0f}" if t.seconds else "-",
        ]
        for t in tallies
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    return "\n".join(lines)


def _findings(tallies: Sequence[Tally], saved: dict[tuple[str, str, str], str]) -> str:
    lines: list[str] = []
    for tally in tallies:
        for (kind, signature), finding in sorted(tally.findings.items()):
            where = saved.get((tally.reader, kind, signature))
            repro = READERS[tally.reader].repro(finding.case)
            if where:
                repro = repro.replace("<file>", where)
            first = finding.detail.strip().splitlines()[-1] if finding.detail.strip() else ""
            lines.append(f"- `{tally.reader}` {kind} x{finding.count}: {signature}")
            lines.append(f"  - made by `{finding.case.recipe[:120]}`; {first[:300]}")
            lines.append(
                f"  - repro: `{repro}`" + ("" if where else f" (input {len(finding.case.data)} bytes, not saved)")
            )
    return "\n".join(lines) if lines else "None."


def _git_commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH, fixed arguments
            capture_output=True,
            text=True,
            check=False,
            cwd=HERE,
        )
    except OSError:
        return "unknown"
    return done.stdout.strip() or "unknown"


def _record(text: str, argv: Sequence[str], settings: Settings, elapsed: float, waiting: Sequence[str] = ()) -> None:
    import crokit

    system = f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    machine = f"{platform.node() or 'unknown'} ({system})"
    header = [
        "# Fuzz results",
        "",
        "Written by `python -m fuzz --record`; rerun it to refresh. Columns: inputs read, inputs",
        "accepted, escapes (exceptions that are not a `CrokitError`), hangs (an input taking longer",
        _HANGS.format(cpu=settings.hang_seconds, wall=settings.hang_seconds * WALL_FACTOR),
        "input whose model does not hold what the file wrote: numbers, duplicate keys, an input file",
        "overwritten), round-trip failures (an accepted model that does not dump and load back equal",
        "in JSON, TOML and YAML).",
        "",
        f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {machine}",
        f"- crokit {crokit.__version__} at commit {_git_commit()}",
        f"- command: `python -m fuzz {' '.join(argv)}` (seed {settings.seed}, {settings.jobs} workers)",
        f"- wall time: {elapsed / 60:.1f} min",
        "",
        "",
    ]
    if waiting:
        header[-1:-1] = [
            f"**Run in progress (or stopped): not reached yet: {', '.join(f'`{n}`' for n in waiting)}.**",
            "",
        ]
    (HERE / "RESULTS.md").write_text("\n".join(header) + text + "\n", encoding="utf-8")


def _repro(path: Path, hang_seconds: float) -> int:
    verdict, detail = replay(path, hang_seconds)
    sys.stdout.write(f"{path}: {verdict}\n{detail}\n")
    return 0 if verdict in {"accepted", "refused"} and "accepted" not in detail else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the fuzz suite with *argv*; 1 if anything was found, else 0."""
    args = _parser().parse_args(argv)
    if args.list:
        sys.stdout.write("\n".join(f"{n}  (default {READERS[n].default_inputs} inputs)" for n in reader_names()) + "\n")
        return 0
    if args.repro:
        return _repro(args.repro, args.hang_seconds)
    settings = Settings(
        seed=args.seed,
        inputs=args.inputs,
        budget=args.budget,
        hang_seconds=args.hang_seconds,
        chunk=max(1, args.chunk),
        jobs=max(1, min(2, args.jobs)),
        subprocess_every=args.subprocess_every,
    )
    started = time.monotonic()
    tallies: list[Tally] = []
    pool = make_pool(settings.jobs)
    names = _selected(args.readers)
    argv_words = list(argv if argv is not None else sys.argv[1:])
    try:
        for index, name in enumerate(names):
            tally = run_reader(name, settings, pool)
            tallies.append(tally)
            sys.stderr.write(
                f"{name}: {tally.inputs} inputs in {tally.seconds:.0f} s, {tally.escapes} escapes, "
                f"{tally.hangs} hangs, "
                f"{tally.silent} silent changes, {tally.round_trip} round-trip failures\n"
            )
            if args.record and index + 1 < len(names):  # a long run keeps what it has done so far
                partial = _report(tallies, settings, {})
                _record(partial, argv_words, settings, time.monotonic() - started, names[index + 1 :])
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    saved: dict[tuple[str, str, str], str] = {}
    if args.save_escapes is not None:
        for tally in tallies:
            for (kind, signature), finding in tally.findings.items():
                if kind != "escape" and len(finding.case.data) > _SAVE_LIMIT:
                    continue
                case = (
                    minimize(finding, settings.hang_seconds, args.minimize_seconds)
                    if kind == "escape"
                    else finding.case
                )
                path = save_escape(case, signature, args.save_escapes)
                saved[(tally.reader, kind, signature)] = str(path)
    elapsed = time.monotonic() - started
    text = _report(tallies, settings, saved)
    sys.stdout.write(text)
    if args.record:
        _record(text, argv_words, settings, elapsed)
    found = sum(t.escapes + t.hangs + t.silent + t.round_trip for t in tallies)
    return 1 if found else 0


def _report(tallies: Sequence[Tally], settings: Settings, saved: dict[tuple[str, str, str], str]) -> str:
    """The table, the notes and the findings of *tallies*, in Markdown."""
    notes = "".join(
        f"\n`{t.reader}`: {t.subprocesses} of its inputs also ran as `python -m crokit` subprocesses, "
        f"{t.slow_subprocesses} of them over {READERS[t.reader].subprocess_timeout:g} s.\n"  # type: ignore[attr-defined]
        for t in tallies
        if t.subprocesses
    )
    full = sum(settings.inputs * t.seconds / t.inputs for t in tallies if t.inputs)
    notes += (
        f"\nAt these rates, {settings.inputs:,} inputs for each of these readers take about {full / 60:.0f} min "
        f"with {settings.jobs} workers.\n"
    )
    return f"{table(tallies, settings.hang_seconds)}\n{notes}\n## Findings\n\n{_findings(tallies, saved)}\n"
