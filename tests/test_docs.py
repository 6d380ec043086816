"""The documentation runs: every Python block and every ``crokit`` command it shows.

- Every fenced ``python`` block of a page runs with the repository root as working
  directory; the blocks of one page run in order and share one namespace, as a reader
  typing them into one session would. A ``text`` block right after a Python block is
  its output, and must be what it prints (unless cut with a ``...`` line).
- Every ``crokit ...`` command in a ``console`` block (lines starting with ``$ ``) or a
  ``sh``/``shell`` block (every line but comments) runs in-process through
  :func:`crokit.cli.main` and must exit 0 with nothing on stderr. In a ``console``
  block, the lines after a command are its output and must be what it prints; a line
  ``...`` stands for any number of lines (none included), as in a doctest. The commands of one
  page run in order in one temporary folder, so ``--output`` files land there and later
  commands can read them; an argument naming a file or folder of the repository
  (``examples/...``, ``tests/data/...``) is turned into its absolute path.
- Every ``toml`` block of the scenario reference is valid TOML.

Blocks that cannot run as written (placeholders such as ``FILE``, pipes, commands that
fail on purpose, output) use a language this test ignores: ``text``.
"""

from __future__ import annotations

import io
import re
import shlex
import tomllib
from pathlib import Path

import pytest

from crokit.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PYTHON_PAGES = ("tutorial.md", "scenario.md", "import.md", "notebooks.md")
COMMAND_PAGES = ("tutorial.md", "cli.md", "import.md")
_FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_SHELL_SYNTAX = frozenset({"|", ">", ">>", "<", "&&", "||", ";", "&"})


def fences(page: str) -> list[tuple[str, int, str, str]]:
    """``(language, line number, code, text before the next fence)`` of every fenced block of *page*."""
    text = (DOCS / page).read_text(encoding="utf-8")
    matches = list(_FENCE.finditer(text))
    found = []
    for index, match in enumerate(matches):
        following = text[match.end() : matches[index + 1].start()] if index + 1 < len(matches) else text[match.end() :]
        found.append((match.group(1), text.count("\n", 0, match.start(2)) + 1, match.group(2), following))
    return found


def blocks(page: str, languages: frozenset[str]) -> list[tuple[int, str]]:
    """``(line number, code)`` of every fenced block of *page* in one of *languages*, in order."""
    return [(line, code) for language, line, code, _ in fences(page) if language in languages]


def python_blocks(page: str) -> list[tuple[int, str, str | None]]:
    """``(line number, code, expected output)`` of every ``python`` block of *page*.

    The expected output is the ``text`` block right after the Python block (nothing but
    blank lines between them), unless it is cut (a line ``...``).
    """
    found: list[tuple[int, str, str | None]] = []
    listed = fences(page)
    for index, (language, line, code, following) in enumerate(listed):
        if language != "python":
            continue
        expected = None
        if index + 1 < len(listed) and listed[index + 1][0] == "text" and not following.strip():
            expected = listed[index + 1][2]
        found.append((line, code, expected))
    return found


def commands(page: str) -> list[tuple[int, list[str], list[str]]]:
    """``(line number, argv, output shown)`` of every ``crokit`` command in *page*, ``crokit`` itself left out.

    The output shown is the lines after a ``$ `` command of a ``console`` block, up to the
    next command or the end of the block (empty where none is shown).
    """
    found: list[tuple[int, list[str], list[str]]] = []
    for start, code in blocks(page, frozenset({"console", "sh", "shell"})):
        console = any(line.startswith("$ ") for line in code.splitlines())
        for offset, raw in enumerate(code.splitlines()):
            line = raw.strip()
            if console:
                if not raw.startswith("$ "):
                    if found and found[-1][0] >= start:
                        found[-1][2].append(raw)
                    continue  # output
                line = raw[2:].strip()
            if not line or line.startswith("#"):
                continue
            argv = shlex.split(line)
            if argv[:3] == ["python", "-m", "crokit"]:
                argv = ["crokit", *argv[3:]]
            if argv[0] != "crokit":
                continue
            shell = _SHELL_SYNTAX.intersection(argv)
            assert not shell, f"{page}:{start + offset}: {line!r} uses {sorted(shell)}; show it in a ```text block"
            found.append((start + offset, argv[1:], []))
    return found


def shown_matches(shown: list[str], printed: list[str]) -> bool:
    """Whether *printed* lines are the *shown* lines, where a line ``...`` stands for any run of lines."""
    shown = [line.rstrip() for line in shown]
    printed = [line.rstrip() for line in printed]
    # reachable[j]: the shown lines so far can match the first j printed lines.
    reachable = [True] + [False] * len(printed)
    for expected in shown:
        if expected.strip() == "...":
            for j in range(1, len(printed) + 1):
                reachable[j] = reachable[j] or reachable[j - 1]
        else:
            reachable = [False] + [reachable[j - 1] and printed[j - 1] == expected for j in range(1, len(printed) + 1)]
    return reachable[-1]


def test_shown_matches_elides_with_dots() -> None:
    assert shown_matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert shown_matches(["a", "...", "b"], ["a", "b"])
    assert shown_matches(["..."], [])
    assert not shown_matches(["a", "...", "d"], ["a", "b", "c"])
    assert not shown_matches(["a", "b"], ["a", "c"])
    assert not shown_matches(["a"], ["a", "b"])


def in_repo(argument: str) -> str:
    """*argument* as an absolute path if it names a file or folder of the repository, else unchanged."""
    if argument.startswith("-") or "/" not in argument:
        return argument
    path = ROOT / argument
    return str(path) if path.exists() else argument


def test_the_pages_exist() -> None:
    for page in {*PYTHON_PAGES, *COMMAND_PAGES, "json-report.md"}:
        assert (DOCS / page).is_file(), page
    assert blocks("tutorial.md", frozenset({"python"})), "the tutorial shows no Python"
    assert commands("tutorial.md"), "the tutorial shows no crokit command"
    assert commands("cli.md"), "the command-line page shows no crokit command"


@pytest.mark.parametrize("page", PYTHON_PAGES)
def test_python_blocks_run(page: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": f"docs.{page}"}
    capsys.readouterr()
    for line, code, expected in python_blocks(page):
        exec(compile(code, f"{DOCS / page}:{line}", "exec"), namespace)  # noqa: S102 - running the docs is the test
        printed = capsys.readouterr().out
        if expected is not None:
            shown = expected.rstrip("\n").splitlines()
            assert shown_matches(shown, printed.rstrip("\n").splitlines()), (
                f"docs/{page}:{line}: the output shown is not the output; it printed:\n{printed}"
            )


@pytest.mark.parametrize("page", COMMAND_PAGES)
def test_crokit_commands_run(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for line, argv, expected in commands(page):
        out, err = io.StringIO(), io.StringIO()
        code = main([in_repo(argument) for argument in argv], out=out, err=err)
        printed = capsys.readouterr()  # --version and --help print through argparse
        shown = f"{page}:{line}: crokit {shlex.join(argv)}"
        assert code == 0, f"{shown} exited {code}: {err.getvalue()}{printed.err}"
        assert not err.getvalue(), f"{shown} wrote to stderr: {err.getvalue()}"
        assert out.getvalue() or printed.out or "--output" in argv, f"{shown} printed nothing"
        if expected:
            text = (out.getvalue() + printed.out).replace(f"{ROOT}/", "")
            assert shown_matches(expected, text.rstrip("\n").splitlines()), (
                f"docs/{shown}: the output shown is not the output; it printed:\n{text}"
            )


def test_scenario_reference_toml_is_valid() -> None:
    snippets = blocks("scenario.md", frozenset({"toml"}))
    assert snippets
    for line, code in snippets:
        try:
            tomllib.loads(code)
        except tomllib.TOMLDecodeError as exc:
            pytest.fail(f"docs/scenario.md:{line}: {exc}")
