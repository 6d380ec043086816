"""Benchmark: ``import crokit`` and loading the vocabulary, against importing crokit's own dependencies.

Each measurement runs in a fresh interpreter (``python -c ...``) and times, inside that
interpreter, only the statements of interest with ``time.perf_counter``: interpreter
start-up and ``site`` are left out on both sides. The bytecode caches are warmed first,
so both sides import compiled modules.

Four programs, run in adjacent pairs with the reference, 11 times each by default:

- reference: ``import attrs, cattrs, dateutil`` (crokit's core dependencies; the bar of
  issue #13: ``import crokit`` at most 1.5x this);
- ``import crokit``;
- ``import crokit`` then ``crokit.Registry.builtin()`` (the built-in vocabulary, read
  from the TOML files shipped in ``crokit/vocabulary/data``), timed as a whole and the
  call alone;
- ``import crokit`` then ``crokit.default_registry()`` (built-ins plus installed
  extensions, with the entry-point lookup).

The script prints min/median/max of each program's time and the median of the paired
ratios program / reference, and exits 1 if ``import crokit`` is above 1.5x.
``--profile`` adds the modules with the largest self time under
``python -X importtime -c "import crokit"``. ``--against SRC`` also runs every program
on another crokit source tree (an older checkout's ``src``) in the same pairs, so a
before/after comparison sees the same machine load.

Run with ``python benchmarks/bench_import.py [--repeat N] [--profile] [--against SRC]``.
Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

if __package__ in {None, ""}:  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import Row, spread

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.5

_TIMER = "import time; t0 = time.perf_counter(); {body}; t1 = time.perf_counter(); {after}print(t1 - t0{extra})"

PROGRAMS: dict[str, str] = {
    "reference: import attrs, cattrs, dateutil": _TIMER.format(
        body="import attrs, cattrs, dateutil", after="", extra=""
    ),
    "import crokit": _TIMER.format(body="import crokit", after="", extra=""),
    "import crokit + Registry.builtin()": _TIMER.format(
        body="import crokit",
        after="t2 = time.perf_counter(); crokit.Registry.builtin(); t3 = time.perf_counter(); ",
        extra=" + t3 - t2, t3 - t2",
    ),
    "import crokit + default_registry()": _TIMER.format(
        body="import crokit",
        after="t2 = time.perf_counter(); crokit.default_registry(); t3 = time.perf_counter(); ",
        extra=" + t3 - t2, t3 - t2",
    ),
}


def _environment(src: Path = ROOT / "src") -> dict[str, str]:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join([str(src), environment.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment.pop("PYTHONPROFILEIMPORTTIME", None)
    return environment


def _run(code: str, src: Path = ROOT / "src") -> tuple[float, ...]:
    """Run *code* in a fresh interpreter on the crokit tree *src*; return the numbers it prints, in seconds."""
    result = subprocess.run(  # noqa: S603 - runs this interpreter on the fixed programs above
        [sys.executable, "-c", code], capture_output=True, text=True, env=_environment(src), check=True
    )
    return tuple(float(item) for item in result.stdout.split())


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _profile(top: int = 15) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import crokit"],
        capture_output=True,
        text=True,
        env=_environment(),
        check=True,
    )
    rows: list[tuple[int, int, str]] = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_text, cumulative_text, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        rows.append((int(self_text), int(cumulative_text), name))
    print(f"\nlargest self times under python -X importtime -c 'import crokit' (one run, top {top}):")
    for self_us, cumulative_us, name in sorted(rows, reverse=True)[:top]:
        print(f"  {self_us / 1000:6.1f} ms self {cumulative_us / 1000:7.1f} ms cumulative  {name}")


def _line(name: str, values: list[float], ratios: list[float], calls: list[float]) -> str:
    line = f"  {name:<48} min {_ms(min(values))}, median {_ms(statistics.median(values))}, max {_ms(max(values))}"
    if ratios:
        line += f"; median ratio {statistics.median(ratios):.2f}x"
    if calls:
        line += f" (the call alone: median {_ms(statistics.median(calls))})"
    return line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11, help="paired runs per program (default 11)")
    parser.add_argument("--profile", action="store_true", help="also print where import time goes")
    parser.add_argument("--against", type=Path, help="another crokit source tree to time in the same pairs")
    options = parser.parse_args()

    trees = {"": ROOT / "src"}
    if options.against:
        trees["[against] "] = options.against.resolve()
    reference_name, *names = PROGRAMS
    for code in PROGRAMS.values():  # warm the bytecode caches
        for src in trees.values():
            _run(code, src)
    times: dict[str, list[float]] = {reference_name: []}
    calls: dict[str, list[float]] = {}
    ratios: dict[str, list[float]] = {}
    for _ in range(options.repeat):
        for name in names:
            (reference,) = _run(PROGRAMS[reference_name])
            times[reference_name].append(reference)
            for tag, src in trees.items():
                measured = _run(PROGRAMS[name], src)
                times.setdefault(tag + name, []).append(measured[0])
                calls.setdefault(tag + name, []).extend(measured[1:])
                ratios.setdefault(tag + name, []).append(measured[0] / reference)

    print(f"Python {sys.version.split()[0]}, {options.repeat} paired runs, fresh interpreter each")
    if options.against:
        print(f"  [against] = {trees['[against] ']}")
    for name, values in times.items():
        print(_line(name, values, ratios.get(name, []), calls.get(name, [])))
    import_ratio = statistics.median(ratios["import crokit"])
    print(f"import crokit / reference: {import_ratio:.2f}x (target <= {TARGET}x)")
    if options.profile:
        _profile()
    return 0 if import_ratio <= TARGET else 1


def rows(quick: bool, select: Callable[[str], bool]) -> list[Row]:  # noqa: FBT001 - the runner's interface
    """The ``import`` row of the table: ``import crokit`` against ``import attrs, cattrs, dateutil``."""
    if not select("import"):
        return []
    reference_name, name = next(iter(PROGRAMS)), "import crokit"
    _run(PROGRAMS[reference_name]), _run(PROGRAMS[name])  # warm the bytecode caches
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(5 if quick else 11):
        (reference,) = _run(PROGRAMS[reference_name])
        (measured,) = _run(PROGRAMS[name])
        ours.append(measured)
        theirs.append(reference)
    return [
        Row(
            "import",
            "import crokit (fresh interpreter, compiled)",
            "import attrs, cattrs, dateutil",
            [a / b for a, b in zip(ours, theirs, strict=True)],
            TARGET,
            f"crokit {spread(ours)}, reference {spread(theirs)}",
        )
    ]


if __name__ == "__main__":
    sys.exit(main())
