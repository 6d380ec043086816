"""The command line, in-process and as a subprocess."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

import crokit
from crokit.cli import SECTIONS, main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_catalogue_lists_services_categories_and_stages():
    code, out, _ = run("catalogue")
    assert code == 0
    assert "Services (" in out
    assert "CRO categories (5)" in out
    assert "Lifecycle stages (10)" in out
    assert "crokit:biostatistics" in out


@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_every_section_in_text_and_json(section):
    code, out, _ = run("catalogue", section)
    assert code == 0
    assert out.strip()
    code, out, _ = run("catalogue", section, "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert isinstance(rows, list)
    assert rows
    assert all("id" in row for row in rows)


def test_json_of_the_default_sections():
    code, out, _ = run("catalogue", "--format", "json")
    assert code == 0
    assert set(json.loads(out)) == {"services", "categories", "stages"}


def test_plugins_without_extensions(monkeypatch):
    monkeypatch.setattr(crokit.cli, "default_registry", crokit.Registry.builtin)
    code, out, _ = run("plugins")
    assert code == 0
    assert "No crokit extensions installed" in out
    code, out, _ = run("plugins", "--format", "json")
    assert json.loads(out) == []


def test_usage_errors_exit_2(capsys):
    assert run("catalogue", "nonsense")[0] == 2
    assert run()[0] == 2
    assert run("frobnicate")[0] == 2
    assert "usage" in capsys.readouterr().err


def test_crokit_errors_exit_1_without_traceback(monkeypatch):
    def broken() -> crokit.Registry:
        raise crokit.ExtensionError("acme", "acme-crokit 1.0", "raised RuntimeError('x')")

    monkeypatch.setattr(crokit.cli, "default_registry", broken)
    code, out, err = run("catalogue")
    assert code == 1
    assert out == ""
    assert err.startswith("crokit: error: crokit extension 'acme'")
    assert "Traceback" not in err


def test_version(capsys):
    assert run("--version")[0] == 0
    assert capsys.readouterr().out.strip() == f"crokit {crokit.__version__}"


@pytest.mark.slow
def test_subprocess():
    # The interpreter running the tests, never a `crokit` found on PATH: the suite passes
    # when run as venv/bin/pytest without activating the environment.
    command = [sys.executable, "-m", "crokit"]
    result = subprocess.run([*command, "catalogue", "stages"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "phase-2-3" in result.stdout
    bad = subprocess.run([*command, "catalogue", "nope"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert "invalid choice" in bad.stderr
