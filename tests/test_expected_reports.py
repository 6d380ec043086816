"""The JSON reports of the examples, byte for byte against stored expected files.

Performance work must not change any result: these files were written by the code
before the optimisations of issue #13, and every later change that is *meant* to change
a report (new units, a new scenario field) regenerates them on purpose. To regenerate,
from the repository root::

    PYTHONPATH=src python -m tests.test_expected_reports

then review ``git diff tests/data/expected`` before committing.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from crokit.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "data" / "expected"

#: Expected file name -> command-line arguments (run from the repository root).
REPORTS: dict[str, tuple[str, ...]] = {
    "rare_disease_phase2.json": (
        "evaluate",
        str(ROOT / "examples" / "rare_disease_phase2.toml"),
        "--format",
        "json",
        "--seed",
        "2027",
    ),
    "demo.json": ("demo", "--format", "json"),
}


def render(argv: tuple[str, ...]) -> str:
    """Run the command line in-process and return what it printed."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    assert code == 0, err.getvalue()
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_report_is_byte_identical(name: str) -> None:
    expected = (EXPECTED / name).read_bytes()
    assert render(REPORTS[name]).encode("utf-8") == expected


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_other_formats_of_the_example_give_the_same_report(fmt: str) -> None:
    argv = list(REPORTS["rare_disease_phase2.json"])
    argv[1] = str(ROOT / "examples" / f"rare_disease_phase2.{fmt}")
    expected = (EXPECTED / "rare_disease_phase2.json").read_bytes()
    assert render(tuple(argv)).encode("utf-8") == expected


def regenerate() -> None:
    """Write every expected report from the current code."""
    EXPECTED.mkdir(parents=True, exist_ok=True)
    for name, argv in sorted(REPORTS.items()):
        (EXPECTED / name).write_bytes(render(argv).encode("utf-8"))
        sys.stdout.write(f"wrote {EXPECTED / name}\n")


if __name__ == "__main__":
    regenerate()
