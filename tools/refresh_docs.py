"""Rewrite the outputs shown in the docs with what the code prints now.

``python -m tools.refresh_docs docs/tutorial.md [docs/notebooks.md ...]`` runs a page the
way ``tests/test_docs.py`` does (its Python blocks in order in one namespace from the
repository root, its ``crokit`` commands in one temporary folder) and replaces each
shown output with the printed one. An output cut with one ``...`` line keeps its cut:
as many first lines, ``...``, as many last lines, refreshed; a command that fails is
named and its output left as it is. Run it after a change
that is meant to move the demo's numbers, then read the diff: the test only checks the
pages agree with the code, the reader checks the numbers make sense.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path

from tests.test_docs import _FENCE, DOCS, ROOT, in_repo

from crokit.cli import main as crokit_main


def _cut(shown: list[str], printed: list[str]) -> list[str]:
    """*printed* cut as *shown* is: as many first lines, ``...``, as many last lines.

    Only one ``...`` line is refreshed this way; with none, *printed* itself.
    """
    marks = [index for index, line in enumerate(shown) if line.strip() == "..."]
    if not marks:
        return printed
    if len(marks) > 1:
        return shown
    head, tail = marks[0], len(shown) - marks[0] - 1
    return [*printed[:head], shown[head], *(printed[-tail:] if tail else [])]


def _python_outputs(text: str, page: str) -> dict[int, str]:
    """Offset of each ``text`` block following a Python block -> what that Python block printed."""
    matches = list(_FENCE.finditer(text))
    namespace: dict[str, object] = {"__name__": f"docs.{page}"}
    found: dict[int, str] = {}
    for index, match in enumerate(matches):
        if match.group(1) != "python":
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(match.group(2), f"{page}:{index}", "exec"), namespace)  # noqa: S102 - running the docs
        after = matches[index + 1] if index + 1 < len(matches) else None
        between = text[match.end() : after.start()] if after is not None else ""
        if after is not None and after.group(1) == "text" and not between.strip():
            found[after.start(2)] = out.getvalue()
    return found


def _replace(text: str, outputs: dict[int, str]) -> str:
    """*text* with each block at a given offset replaced by its output, cut as it was cut."""
    for start in sorted(outputs, reverse=True):
        end = text.index("```", start)
        old = text[start:end].rstrip("\n").splitlines()
        new = "\n".join(_cut(old, outputs[start].rstrip("\n").splitlines())) + "\n"
        text = text[:start] + new + text[end:]
    return text


def _console(text: str, page: str) -> str:
    """*text* with the output after each ``$ crokit`` command of a console block rewritten."""
    lines = text.splitlines(keepends=True)
    result: list[str] = []
    folder = tempfile.mkdtemp(prefix="crokit-docs-")
    here = Path.cwd()
    os.chdir(folder)
    try:
        in_console = False
        index = 0
        while index < len(lines):
            line = lines[index]
            result.append(line)
            index += 1
            if line.startswith("```"):
                in_console = line.strip() == "```console" if not in_console else False
                continue
            if not (in_console and line.startswith("$ crokit ")):
                continue
            shown: list[str] = []
            while index < len(lines) and not lines[index].startswith(("$ ", "```")):
                shown.append(lines[index])
                index += 1
            argv = [in_repo(argument) for argument in line[len("$ crokit ") :].split()]
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out):
                code = crokit_main(argv, out=out, err=err)
            if code != 0 or not shown:
                if code != 0:
                    sys.stderr.write(f"{page}: {line.strip()} exited {code}: {err.getvalue().strip()}\n")
                result.extend(shown)
                continue
            printed = out.getvalue().replace(f"{ROOT}/", "").rstrip("\n").splitlines()
            kept = [item.rstrip("\n") for item in shown]
            result.extend(f"{item}\n" for item in _cut(kept, printed))
    finally:
        os.chdir(here)
    return "".join(result)


def main(pages: list[str]) -> int:
    """Refresh each page in place; the exit code is 0."""
    os.chdir(ROOT)
    for given in pages:
        path = Path(given) if Path(given).exists() else DOCS / given
        page = path.name
        text = path.read_text(encoding="utf-8")
        text = _replace(text, _python_outputs(text, page))
        text = _console(text, page)
        path.write_text(text, encoding="utf-8")
        sys.stdout.write(f"{path}: refreshed\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
