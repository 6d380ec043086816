"""``crokit engagement status|obligations`` and ``crokit template engagement``."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crokit.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "rare_disease_engagement.toml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_the_template_is_the_example_and_validates(tmp_path: Path) -> None:
    target = tmp_path / "engagement.toml"
    assert run("template", "engagement", "--output", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == EXAMPLE.read_text(encoding="utf-8")
    code, out, _ = run("validate", str(target))
    assert code == 0
    assert "valid engagement document" in out
    assert "1 provider, 1 contract" in out


def test_status_prints_accruals_variance_and_the_estimate_at_completion() -> None:
    code, out, err = run("engagement", "status", str(EXAMPLE), "--format", "markdown")
    assert (code, err) == (0, "")
    for part in (
        "accrued this month",
        "estimate at completion (plan)",
        "Variance to plan by service",
        "Governance KPIs",
    ):
        assert part in out


def test_status_as_of_an_earlier_date() -> None:
    code, out, _ = run("engagement", "status", str(EXAMPLE), "--as-of", "2027-06-30", "--format", "json")
    assert code == 0
    (contract,) = json.loads(out)["contracts"]
    assert contract["as_of"] == "2027-06-30"
    code, _, err = run("engagement", "status", str(EXAMPLE), "--as-of", "2031-01-01")
    assert code == 1
    assert "contracts[0].actuals.as_of" in err


def test_obligations_show_every_untransferred_obligation_as_retained() -> None:
    code, out, _ = run("engagement", "obligations", str(EXAMPLE))
    assert code == 0
    assert out.count("(retained)") == 5
    assert "21 CFR 312.52(a)" in out


def test_a_bad_engagement_is_refused_with_its_path(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace('party = "helix-cro"', 'party = "ghost-cro"', 1)
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    code, _, err = run("engagement", "status", str(bad), "--output", str(tmp_path / "out.txt"))
    assert code == 1
    assert "ghost-cro" in err
    assert not (tmp_path / "out.txt").exists()


@pytest.mark.slow
def test_as_a_subprocess() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "crokit", "engagement", "obligations", str(EXAMPLE), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["cro_involved"] is True


def test_status_as_an_excel_workbook(tmp_path: Path) -> None:
    import openpyxl

    target = tmp_path / "status.xlsx"
    code, _, err = run("engagement", "status", str(EXAMPLE), "--format", "xlsx", "--output", str(target))
    assert (code, err) == (0, "")
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Versions", "Status", "Lines", "Services", "Invoice findings", "KPIs"]
    versions = [[cell.value for cell in row] for row in book["Versions"].iter_rows(min_row=2)]
    assert [row[2] for row in versions] == ["original", "co-1"]
    measures = {str(row[2]): float(str(row[3])) for row in book["Status"].iter_rows(min_row=2, values_only=True)}
    assert measures["eac plan"] > measures["earned to date"] > 0
    code, _, err = run("engagement", "status", str(EXAMPLE), "--format", "xlsx")
    assert code == 1
    assert "--output" in err
