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
repository itself is never modified. mutmut 3 leaves decorated functions alone (a
decorator runs when the function is defined, and ``@property`` breaks its trampoline),
which would leave ``@in_crokit_context`` entry points such as ``build_schedule``,
``select`` and every pricing model's ``price``, and every ``@property``, with no mutant
at all; so in the scratch copy each decorated function of the mutated files is
undecorated and decorated again by an assignment after its body (``f = deco(f)``,
exactly what the ``@`` syntax does; memoising decorators are dropped and a
``cached_property`` read as a ``property``, since mutmut forks every mutant's run from a
process whose caches hold the original code's answers), and mutmut mutates it like any other function
(:func:`undecorate`; ``--decorated`` runs only those functions' mutants). A function
whose only decorator is ``staticmethod`` or ``classmethod`` (mutmut handles those) or
that is an ``@overload`` stub is left as it is. Hypothesis runs with the derandomized ``ci``
profile (the copy's conftest also silences the differing-executors health check,
since mutmut runs pytest repeatedly in one process), so a verdict does not depend on luck.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Final

__all__ = ["main", "prepare", "targets", "undecorate"]

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
    _undecorate_files(work, spec["mutate"])
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


_KEPT: Final = frozenset({"staticmethod", "classmethod"})
"""Single decorators mutmut handles itself."""

_CACHES: Final = frozenset({"functools.cache", "functools.lru_cache", "cache", "lru_cache"})
"""Memoising decorators, dropped in the scratch copy: mutmut forks each mutant's run from
a process whose caches the clean run filled, so a cached function would answer from the
original code. crokit caches only pure functions, so dropping the cache changes speed,
never a result."""

_CACHED_PROPERTIES: Final = frozenset({"functools.cached_property", "cached_property"})
"""Per-instance caches, read as plain properties in the scratch copy (the same value, computed each time)."""


def _name(node: ast.expr) -> str:
    """The dotted name a decorator is written with (``functools.lru_cache`` for ``functools.lru_cache(maxsize=9)``)."""
    if isinstance(node, ast.Call):
        return _name(node.func)
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def _decorated(tree: ast.Module) -> list[tuple[str | None, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """The functions to undecorate, module-level or in a top-level class, with their class."""
    found: list[tuple[str | None, ast.FunctionDef | ast.AsyncFunctionDef]] = []
    for node in tree.body:
        members = [(None, node)] if not isinstance(node, ast.ClassDef) else [(node.name, item) for item in node.body]
        for owner, item in members:
            if not isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) or not item.decorator_list:
                continue
            names = [_name(d) for d in item.decorator_list]
            if (len(names) == 1 and names[0] in _KEPT) or any(n.split(".")[-1] == "overload" for n in names):
                continue
            found.append((owner, item))
    return found


def undecorate(source: str, module: str) -> tuple[str, list[str]]:
    """*source* with every decorated function (but those mutmut handles) decorated by assignment instead.

    ``@a`` / ``@b(1)`` / ``def f(...): ...`` becomes ``def f(...): ...`` followed by
    ``f = a(b(1)(f))`` at the function's indentation: the same object under the same
    name, built in the same order, but a plain ``def`` that mutmut mutates. Returns the
    new source and the mutmut name globs of those functions (``crokit.x.x_f__mutmut_*``,
    ``crokit.x.xǁCǁf__mutmut_*``).
    """
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    globs: list[str] = []
    # Edit from the bottom up so earlier line numbers stay valid.
    for owner, function in sorted(_decorated(tree), key=lambda pair: -pair[1].lineno):
        decorators = [
            "property" if _name(d) in _CACHED_PROPERTIES else ast.get_source_segment(source, d) or ""
            for d in function.decorator_list
            if _name(d) not in _CACHES
        ]
        first = min(d.lineno for d in function.decorator_list) - 1
        end = function.end_lineno or function.lineno
        indent = " " * function.col_offset
        wrapped = function.name
        for text in reversed(decorators):
            wrapped = f"{text}({wrapped})"
        if decorators:
            lines.insert(end, f"{indent}{function.name} = {wrapped}\n")
        del lines[first : function.lineno - 1]
        where = f"xǁ{owner}ǁ" if owner else "x_"
        globs.append(f"{module}.{where}{function.name}__mutmut_*")
    return "".join(lines), sorted(globs)


def _mutated_files(root: Path, patterns: list[str]) -> list[tuple[Path, str]]:
    """The Python files under *root* that *patterns* mutate, each with its module name."""
    found: list[tuple[Path, str]] = []
    for path in sorted((root / "src").rglob("*.py")):
        if not any(fnmatch.fnmatch(path.relative_to(root).as_posix(), pattern) for pattern in patterns):
            continue
        parts = path.relative_to(root / "src").with_suffix("").parts
        found.append((path, ".".join(parts[:-1] if parts[-1] == "__init__" else parts)))
    return found


def _undecorate_files(work: Path, patterns: list[str]) -> None:
    """Undecorate every mutated file of the scratch copy *work* in place."""
    for path, module in _mutated_files(work, patterns):
        path.write_text(undecorate(path.read_text(encoding="utf-8"), module)[0], encoding="utf-8")


def decorated_globs(name: str) -> list[str]:
    """The mutmut name globs of target *name*'s decorated functions (as :func:`undecorate` finds them)."""
    return [
        glob
        for path, module in _mutated_files(ROOT, targets()[name]["mutate"])
        for glob in undecorate(path.read_text(encoding="utf-8"), module)[1]
    ]


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
    parser.add_argument(
        "--decorated", action="store_true", help="run only the mutants of the target's decorated functions"
    )
    parser.add_argument("mutants", nargs="*", help="run only these mutant names (globs allowed)")
    args = parser.parse_args(argv)
    work = HERE / "work" / args.target
    if args.results:
        return _mutmut(work, "results")
    if args.show:
        return _mutmut(work, "show", args.show)
    prepare(args.target, fresh=args.fresh)
    names = [*args.mutants, *(decorated_globs(args.target) if args.decorated else [])]
    return _mutmut(work, "run", "--max-children", str(args.max_children), *names)


if __name__ == "__main__":
    sys.exit(main())
