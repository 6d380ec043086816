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
``python -X importtime -c "import crokit"``.

Run with ``python benchmarks/bench_import.py [--repeat N] [--profile]``. Not collected
by pytest.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

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


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), environment.get("PYTHONPATH", "")]).rstrip(
        os.pathsep
    )
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment.pop("PYTHONPROFILEIMPORTTIME", None)
    return environment


def _run(code: str) -> tuple[float, ...]:
    """Run *code* in a fresh interpreter and return the numbers it prints, in seconds."""
    result = subprocess.run(  # noqa: S603 - runs this interpreter on the fixed programs above
        [sys.executable, "-c", code], capture_output=True, text=True, env=_environment(), check=True
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11, help="paired runs per program (default 11)")
    parser.add_argument("--profile", action="store_true", help="also print where import time goes")
    options = parser.parse_args()

    for code in PROGRAMS.values():  # warm the bytecode caches
        _run(code)
    reference_name, *names = PROGRAMS
    times: dict[str, list[float]] = {name: [] for name in PROGRAMS}
    calls: dict[str, list[float]] = {name: [] for name in names}
    ratios: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(options.repeat):
        for name in names:
            (reference,) = _run(PROGRAMS[reference_name])
            measured = _run(PROGRAMS[name])
            times[reference_name].append(reference)
            times[name].append(measured[0])
            if len(measured) > 1:
                calls[name].append(measured[1])
            ratios[name].append(measured[0] / reference)

    print(f"Python {sys.version.split()[0]}, {options.repeat} paired runs, fresh interpreter each")
    for name in PROGRAMS:
        values = times[name]
        line = f"  {name:<42} min {_ms(min(values))}, median {_ms(statistics.median(values))}, max {_ms(max(values))}"
        if name in ratios:
            line += f"; median ratio {statistics.median(ratios[name]):.2f}x"
        if calls.get(name):
            line += f" (the call alone: median {_ms(statistics.median(calls[name]))})"
        print(line)
    import_ratio = statistics.median(ratios["import crokit"])
    print(f"import crokit / reference: {import_ratio:.2f}x (target <= {TARGET}x)")
    if options.profile:
        _profile()
    return 0 if import_ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
