"""Run mutmut on one crokit module with only that module's tests.

Usage (from the repository root)::

    python -m mutation.run money            # mutate src/crokit/money.py, judge with tests/test_money.py
    python -m mutation.run pricing --max-children 2
    python -m mutation.run money --results   # list the surviving mutants of the last run
    python -m mutation.run money --show NAME # the diff of one mutant

The targets are in ``mutation/modules.toml``. Each run works in its own scratch copy,
``mutation/work/NAME`` (git-ignored): ``src/``, ``tests/`` and ``pyproject.toml`` are
copied there, a ``[tool.mutmut]`` section naming the files to mutate and the tests to
run is appended to the copy, and ``mutmut run`` is started in that folder. The
repository itself is never modified. Hypothesis runs with the derandomized ``ci``
profile (the copy's conftest also silences the differing-executors health check,
since mutmut runs pytest repeatedly in one process), so a verdict does not depend on luck.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Final

__all__ = ["main", "prepare", "targets"]

ROOT: Final = Path(__file__).resolve().parent.parent
HERE: Final = Path(__file__).resolve().parent


_PROFILE: Final = """

# Added by mutation/run.py to its scratch copy: mutmut runs pytest several times in one
# process, which Hypothesis' differing-executors check would refuse.
settings.register_profile(
    "mutation",
    parent=settings.get_profile("ci"),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)
settings.load_profile("mutation")
"""


def targets() -> dict[str, dict[str, list[str]]]:
    """The targets of ``modules.toml``: ``{name: {"mutate": [...], "tests": [...]}}``."""
    with (HERE / "modules.toml").open("rb") as stream:
        data = tomllib.load(stream)
    return {name: {"mutate": list(spec["mutate"]), "tests": list(spec["tests"])} for name, spec in data.items()}


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join('"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"' for item in items) + "]"


def prepare(name: str, *, fresh: bool = False) -> Path:
    """Lay out the scratch folder of target *name* and return it."""
    spec = targets()[name]
    work = HERE / "work" / name
    if fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    for folder in ("src", "tests"):
        if (work / folder).exists():
            shutil.rmtree(work / folder)
        shutil.copytree(
            ROOT / folder, work / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
        )
    conftest = work / "tests" / "conftest.py"
    conftest.write_text(conftest.read_text(encoding="utf-8") + _PROFILE, encoding="utf-8")
    tests = [test for test in spec["tests"] if (ROOT / test.split("::")[0]).exists()]
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    config += (
        "\n[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        f"only_mutate = {_toml_list(spec['mutate'])}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(tests)}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "no:randomly", "-q"]\n'
        "use_git_change_detection = false\n"
    )
    (work / "pyproject.toml").write_text(config, encoding="utf-8")
    return work


def _mutmut(work: Path, *args: str) -> int:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["HYPOTHESIS_PROFILE"] = "ci"
    return subprocess.call([sys.executable, "-m", "mutmut", *args], cwd=work, env=env)  # noqa: S603


def main(argv: list[str] | None = None) -> int:
    """Run, list or show the mutants of one target; returns mutmut's exit code."""
    parser = argparse.ArgumentParser(prog="python -m mutation.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=sorted(targets()))
    parser.add_argument("--max-children", type=int, default=2, help="parallel mutant runs (default 2)")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results of this target")
    parser.add_argument("--results", action="store_true", help="list the mutants that were not killed")
    parser.add_argument("--show", metavar="MUTANT", help="print the diff of one mutant")
    parser.add_argument("mutants", nargs="*", help="run only these mutant names (globs allowed)")
    args = parser.parse_args(argv)
    work = HERE / "work" / args.target
    if args.results:
        return _mutmut(work, "results")
    if args.show:
        return _mutmut(work, "show", args.show)
    prepare(args.target, fresh=args.fresh)
    return _mutmut(work, "run", "--max-children", str(args.max_children), *args.mutants)


if __name__ == "__main__":
    sys.exit(main())
