"""Every optional package, when missing, gives the install hint with its extra, never a bare ImportError."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import crokit
from crokit.cli import main
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.errors import MissingDependencyError
from crokit.registry import default_registry
from crokit.scenario import Evaluation, Scenario, evaluate

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return evaluate(demo_scenario(), registry=default_registry(), seed=DEMO_SEED)


@pytest.fixture
def missing(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Make an import of a package (and its submodules) fail as on an install without it."""

    def hide(package: str) -> None:
        for name in [name for name in sys.modules if name == package or name.startswith(f"{package}.")]:
            monkeypatch.delitem(sys.modules, name)
        monkeypatch.setitem(sys.modules, package, None)

    return hide


def _yaml_file(tmp_path: Path) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text("schema_version: 1\n", encoding="utf-8")
    return path


def test_a_yaml_file_on_the_command_line_says_install_crokit_yaml(missing, tmp_path: Path) -> None:
    missing("yaml")
    out, err = io.StringIO(), io.StringIO()
    code = main(["validate", str(_yaml_file(tmp_path))], out=out, err=err)
    assert code == 1
    assert "pip install 'crokit[yaml]'" in err.getvalue()
    assert "No module named" not in err.getvalue()
    assert err.getvalue().count("\n") == 1


def test_crokit_load_of_yaml_says_install_crokit_yaml(missing, tmp_path: Path) -> None:
    missing("yaml")
    with pytest.raises(MissingDependencyError, match=r"crokit\[yaml\]") as caught:
        crokit.load(_yaml_file(tmp_path), Scenario)
    assert caught.value.extra == "yaml"


def _excel(evaluation: Evaluation, tmp_path: Path) -> Callable[[], object]:
    from crokit.excel import export_workbook

    return lambda: export_workbook(evaluation, tmp_path / "e.xlsx")


def _rates(_evaluation: Evaluation, tmp_path: Path) -> Callable[[], object]:
    from crokit.excel import read_rate_card

    return lambda: read_rate_card(tmp_path / "r.xlsx")


def _frame(evaluation: Evaluation, _tmp_path: Path) -> Callable[[], object]:
    from crokit.dataframe import to_dataframe

    return lambda: to_dataframe(evaluation)


def _plot(evaluation: Evaluation, _tmp_path: Path) -> Callable[[], object]:
    from crokit.plot import plot_budget

    budget = next(result.budget for result in evaluation.candidates if result.budget is not None)
    return lambda: plot_budget(budget)


def _rich(evaluation: Evaluation, _tmp_path: Path) -> Callable[[], object]:
    from crokit.report import render

    return lambda: render(evaluation, "text", rich=True)


CASES: dict[str, tuple[str, str, Callable[[Evaluation, Path], Callable[[], object]]]] = {
    "yaml-dump": ("yaml", "yaml", lambda _e, _p: lambda: crokit.dumps(demo_scenario(), "yaml")),
    "toml-dump": ("tomli_w", "toml", lambda _e, _p: lambda: crokit.dumps(demo_scenario(), "toml")),
    "excel-export": ("openpyxl", "excel", _excel),
    "excel-rates": ("openpyxl", "excel", _rates),
    "pandas": ("pandas", "pandas", _frame),
    "matplotlib": ("matplotlib", "plot", _plot),
    "rich": ("rich", "rich", _rich),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_optional_import_gives_the_hint(case: str, missing, evaluation: Evaluation, tmp_path: Path) -> None:
    package, extra, build = CASES[case]
    call = build(evaluation, tmp_path)  # imports crokit's module first, as a user would
    missing(package)
    with pytest.raises(MissingDependencyError, match=rf"pip install 'crokit\[{extra}\]'") as caught:
        call()
    assert caught.value.extra == extra


def test_without_rich_the_text_report_is_plain(missing, evaluation: Evaluation) -> None:
    from crokit.report import render

    missing("rich")
    assert "Recommended:" in render(evaluation, "text")
