"""Run every ``bench_*.py`` module of this folder and print one table of ratios with their targets.

Usage::

    python -m benchmarks [--quick] [--only KEY ...] [--list]
    python benchmarks/run.py [--quick] [--only KEY ...]

A module with a ``rows(quick, select)`` function returns :class:`~benchmarks._common.Row`
values; any other ``bench_*.py`` is run as a script (``--quick`` is not passed) and its
exit status shown. The crokit measured is the one in this tree's ``src`` folder.
``--only`` keeps the rows (or modules) whose key or module name
contains one of the words given. Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(ROOT))
# Measure this tree's crokit, not whichever one is installed.
sys.path.insert(0, str(ROOT / "src"))
os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)

from benchmarks._common import Row  # noqa: E402 - after the path fix above


def _modules() -> list[str]:
    return sorted(path.stem for path in HERE.glob("bench_*.py"))


def _script(name: str) -> Row:
    start = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - this interpreter on a file of this folder
        [sys.executable, str(HERE / f"{name}.py")], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    for line in result.stdout.splitlines():
        print(f"    | {line}")
    return Row(
        key=name.removeprefix("bench_"),
        measure=f"{name}.py (script; its own targets)",
        reference="see its output",
        ratios=[elapsed],
        target=0,
        note=f"exit {result.returncode} after {elapsed:.1f} s",
        met=result.returncode == 0,
    )


def _table(rows: list[Row]) -> str:
    header = ("row", "measure", "reference", "min", "median", "max", "target", "ok")
    body = [
        (
            row.key,
            row.measure,
            row.reference,
            f"{min(row.ratios):.2f}x",
            f"{row.median:.2f}x",
            f"{max(row.ratios):.2f}x",
            row.target_text,
            "yes" if row.ok else "NO",
        )
        if not row.measure.endswith("(script; its own targets)")
        else (row.key, row.measure, row.reference, "", "", "", "own", "yes" if row.ok else "NO")
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = [
        " | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)) for line in [header, *body]
    ]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    notes = [f"  {row.key}: {row.note}" for row in rows if row.note]
    return "\n".join([*lines, "", *notes])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; 0 if every target is met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats")
    parser.add_argument("--only", nargs="+", default=[], metavar="KEY", help="rows or modules to run")
    parser.add_argument("--list", action="store_true", help="list the modules and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(_modules()))
        return 0

    def select(key: str) -> bool:
        return not args.only or any(word in key for word in args.only)

    print(
        f"crokit benchmarks, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}{', quick' if args.quick else ''}"
    )
    rows: list[Row] = []
    for name in _modules():
        module = importlib.import_module(f"benchmarks.{name}")
        found = getattr(module, "rows", None)
        if found is None:
            if select(name) or select(name.removeprefix("bench_")):
                print(f"  {name} (script) ...", flush=True)
                rows.append(_script(name))
            continue
        print(f"  {name} ...", flush=True)
        for row in found(args.quick, select):
            print(f"    {row.key}: median {row.median:.2f}x (target {row.target_text}) {row.note}", flush=True)
            rows.append(row)
    print()
    print(_table(rows))
    return 0 if all(row.ok for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
