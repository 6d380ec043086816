"""The presentation layer sits at the edge: the models never import it, they dispatch to it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import crokit
from crokit import _views
from crokit.errors import ValidationError

SOURCE = Path(crokit.__file__).parent
MODELS = sorted(
    [
        *(
            path
            for package in ("pricing", "schedule", "selection", "reference")
            for path in (SOURCE / package).rglob("*.py")
        ),
        SOURCE / "money.py",
        SOURCE / "study.py",
    ]
)
"""Every module of the model layers: none of them may know the presentation layer."""
FORBIDDEN = ("crokit.presentation", "crokit.display", "crokit.dataframe", "crokit.report")


def _forbidden(name: str) -> bool:
    return any(name == module or name.startswith(f"{module}.") for module in FORBIDDEN)


def _package(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts if path.name == "__init__.py" else parts[:-1]).removesuffix(".__init__")


def imported_modules(path: Path, root: Path = SOURCE.parent) -> list[tuple[int, str]]:
    """Every module *path* imports, wherever the import is: top level, functions, TYPE_CHECKING blocks.

    ``from crokit import display`` counts as importing ``crokit.display``, relative imports
    are resolved against the module's package, and ``importlib.import_module("...")`` and
    ``__import__("...")`` calls with a literal name count too.
    """
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package(path, root).split(".")
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.append((node.lineno, base))
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in {"import_module", "__import__"} and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def test_the_model_layers_are_all_read():
    names = {path.relative_to(SOURCE).as_posix() for path in MODELS}
    assert {"pricing/budget.py", "schedule/payments.py", "selection/models.py", "money.py", "study.py"} <= names
    assert any(name.startswith("reference/") for name in names)


@pytest.mark.parametrize("path", MODELS, ids=lambda path: path.relative_to(SOURCE).as_posix())
def test_no_model_module_imports_the_presentation_layer(path: Path):
    bad = [f"line {line}: {name}" for line, name in imported_modules(path) if _forbidden(name)]
    assert bad == []


def test_the_reader_sees_every_kind_of_import(tmp_path: Path):
    module = tmp_path / "crokit" / "pricing" / "sneaky.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "import importlib\n"
        "if TYPE_CHECKING:\n"
        "    from crokit.dataframe import JsonValue\n"
        "def f():\n"
        "    from crokit import display\n"
        "    from .. import report\n"
        "    import crokit.presentation._display\n"
        "    return importlib.import_module('crokit.presentation')\n",
        encoding="utf-8",
    )
    names = {name for _line, name in imported_modules(module, tmp_path) if _forbidden(name)}
    assert names >= {
        "crokit.dataframe",
        "crokit.display",
        "crokit.report",
        "crokit.presentation._display",
        "crokit.presentation",
    }


def test_importing_the_models_loads_no_presentation():
    code = (
        "import sys, crokit.pricing, crokit.schedule, crokit.selection, crokit.reference, crokit.scenario; "
        f"print(sorted(m for m in sys.modules if m.startswith({FORBIDDEN!r})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_hooks_refuse_a_type_without_a_renderer():
    for hook in (_views.records, _views.html, _views.markdown):
        with pytest.raises(ValidationError, match="Budget, PaymentSchedule, Ranking or Evaluation, got int"):
            hook(3)
    with pytest.raises(ValidationError, match="got str"):
        _views.dataframe("budget")


def test_the_first_call_loads_the_renderers_by_name():
    code = (
        "import sys\n"
        "from crokit.demo import demo_scenario\n"
        "from crokit.scenario import evaluate\n"
        "from crokit import Registry\n"
        "evaluation = evaluate(demo_scenario(), registry=Registry.builtin())\n"
        "budget = evaluation.candidates[0].budget\n"
        "assert 'crokit.presentation' not in sys.modules\n"
        "html = budget._repr_html_()\n"
        "assert html.startswith('<div class=\"crokit\">'), html[:40]\n"
        "assert budget.to_records()[0]['amount'] == '54000.00'\n"
        "assert 'pandas' not in sys.modules\n"
        f"assert {_views.PRESENTATION!r} in sys.modules\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
