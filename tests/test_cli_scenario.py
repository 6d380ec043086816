"""demo, evaluate, validate, template and import on the command line, including every bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crokit.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "rare_disease_phase2.toml"
PILOT = Path(__file__).resolve().parent / "data" / "usdm" / "CDISC_Pilot_Study.json"
CTGOV = Path(__file__).resolve().parent / "data" / "ctgov_fictional_sample.json"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_demo_prints_the_full_report() -> None:
    code, out, err = run("demo")
    assert code == 0, err
    for part in ("Recommended: Helix CRO", "Ranking", "How robust is the choice?", "Budget:", "Payments:", "Sertkaya"):
        assert part in out


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_evaluate_in_every_format(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"report.{fmt}"
    code, out, err = run("evaluate", str(EXAMPLE), "--format", fmt, "--seed", "2027", "--output", str(target))
    assert code == 0, err
    assert out == ""
    assert target.read_text(encoding="utf-8").strip()


def test_evaluate_json_is_the_contract() -> None:
    code, out, _ = run("evaluate", str(EXAMPLE), "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["winner"] == "helix-cro"
    assert report["candidates"][0]["budget"]["total"]["currency"] == "USD"


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_every_format_gives_the_same_result(suffix: str) -> None:
    _, toml_report, _ = run("evaluate", str(EXAMPLE), "--format", "json", "--seed", "1")
    _, other, _ = run("evaluate", str(EXAMPLE.with_suffix(suffix)), "--format", "json", "--seed", "1")
    assert other == toml_report


def test_validate_ok() -> None:
    code, out, _ = run("validate", str(EXAMPLE))
    assert code == 0
    assert "valid scenario document: 5 candidates (4 eligible)" in out


def test_template_validates_and_evaluates_as_written(tmp_path: Path) -> None:
    target = tmp_path / "scenario.toml"
    assert run("template", "scenario", "--output", str(target))[0] == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# A crokit scenario")
    assert "ILLUSTRATIVE" in text
    assert run("validate", str(target))[0] == 0
    assert run("evaluate", str(target))[0] == 0


def test_import_usdm_gives_the_pilot_study(tmp_path: Path) -> None:
    code, out, err = run("import", "usdm", str(PILOT))
    assert code == 0, err
    assert 'phase = "phase-2"' in out
    assert "planned_patients = 300" in out
    assert "Alzheimer" in out
    assert out.count("[[visits]]") == 12
    assert "# Filled in by crokit" in out
    target = tmp_path / "pilot.toml"
    assert run("import", "usdm", str(PILOT), "--output", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == out


def test_import_ctgov() -> None:
    code, out, _ = run("import", "ctgov", str(CTGOV))
    assert code == 0
    assert 'phase = "phase-1-2"' in out


def _scenario_with(text: str) -> str:
    return EXAMPLE.read_text(encoding="utf-8").replace("sites = 12", text, 1)


BAD_INPUTS = {
    "missing": None,
    "directory": "DIR",
    "empty": "",
    "binary": b"\x00\xff\xfe binary \x89PNG",
    "invalid toml": "name = \n[[",
    "wrong shape": '[study]\nname = "x"\n',
    "float amount": "FLOAT",
    "huge number": "sites = 99999999999999999999999999",
    "negative sites": "sites = -3",
}


def _bad_file(case: str, tmp_path: Path) -> Path:
    """Write the bad input *case* where a scenario file would be, and return its path."""
    content = BAD_INPUTS[case]
    path = tmp_path / "scenario.toml"
    if content == "DIR":
        path.mkdir()
    elif content == "FLOAT":
        path.write_text(EXAMPLE.read_text(encoding="utf-8").replace('dropout_rate = "0.10"', "dropout_rate = 0.10"))
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content if case in {"empty", "invalid toml", "wrong shape"} else _scenario_with(content))
    return path


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
@pytest.mark.parametrize("command", ["validate", "evaluate"])
def test_bad_inputs_exit_1_with_a_located_message(case: str, command: str, tmp_path: Path) -> None:
    path = _bad_file(case, tmp_path)
    output = tmp_path / "out.json"
    code, out, err = run(command, str(path), *(["--output", str(output)] if command == "evaluate" else []))
    assert code == 1
    assert out == ""
    assert err.startswith("crokit: error:")
    assert "Traceback" not in err
    assert str(path) in err or "scenario" in err or "study" in err
    assert not output.exists()


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_invalid_json_and_yaml(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"scenario{suffix}"
    path.write_text("{[" if suffix == ".json" else "a: [b\n")
    code, _, err = run("validate", str(path))
    assert code == 1
    assert f"invalid {suffix[1:].upper()}" in err


def test_every_problem_is_listed(tmp_path: Path) -> None:
    path = tmp_path / "scenario.toml"
    text = (
        EXAMPLE.read_text(encoding="utf-8").replace("sites = 12", "sites = -3").replace("indication =", "indicaton =")
    )
    path.write_text(text)
    code, _, err = run("validate", str(path))
    assert code == 1
    assert "scenario.study.sites: expected a whole number" in err
    assert "scenario.study.indicaton: unknown key; did you mean 'indication'?" in err


def test_usdm_from_another_version(tmp_path: Path) -> None:
    data = json.loads(PILOT.read_text(encoding="utf-8"))
    data["usdmVersion"] = "2.0"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    code, _, err = run("import", "usdm", str(path))
    assert code == 1
    assert "usdmVersion" in err


def test_unknown_extension_and_usage_errors(tmp_path: Path) -> None:
    path = tmp_path / "scenario.txt"
    path.write_text("x")
    assert run("validate", str(path))[0] == 1
    assert run("evaluate")[0] == 2
    assert run("template", "budget")[0] == 2
    assert run("evaluate", str(EXAMPLE), "--output", str(tmp_path))[0] == 2


@pytest.mark.slow
def test_subprocess_demo_and_bad_file(tmp_path: Path) -> None:
    demo = subprocess.run([sys.executable, "-m", "crokit", "demo"], capture_output=True, text=True, check=False)
    assert demo.returncode == 0, demo.stderr
    assert "Recommended:" in demo.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text("name = ")
    result = subprocess.run(
        [sys.executable, "-m", "crokit", "evaluate", str(bad)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "invalid TOML" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_inputs_as_a_subprocess(case: str, tmp_path: Path) -> None:
    path = _bad_file(case, tmp_path)
    output = tmp_path / "report.json"
    command = [sys.executable, "-m", "crokit", "evaluate", str(path), "--format", "json", "--output", str(output)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("crokit: error:")
    assert "Traceback" not in result.stderr
    assert not output.exists()
