"""The tutorial notebook's plot cells display their charts: each yields an ``image/png`` output."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOTEBOOK = EXAMPLES / "tutorial.ipynb"
#: A cell that calls a crokit chart function is a plot cell.
PLOT_CALL = re.compile(r"\b(?:plot_\w+|dashboard)\(")


def _plot_cells(notebook: Any) -> list[Any]:
    return [cell for cell in notebook.cells if cell.cell_type == "code" and PLOT_CALL.search(cell.source)]


def _has_png(cell: Any) -> bool:
    return any("image/png" in output.get("data", {}) for output in cell.get("outputs", []))


def test_the_notebook_has_plot_cells() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    cells = _plot_cells(notebook)
    assert len(cells) >= 4
    assert any("dashboard(" in cell.source for cell in cells)


def test_a_cell_showing_only_an_axes_repr_is_caught() -> None:
    cell = nbformat.v4.new_code_cell("plot_budget(budget)")
    cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "<Axes: >"}, execution_count=1)]
    assert not _has_png(cell)


def test_every_plot_cell_displays_an_image(tmp_path: Path) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(EXAMPLES)}}
    )
    client.execute()
    nbformat.write(notebook, tmp_path / "executed.ipynb")
    cells = _plot_cells(notebook)
    missing = [cell.source for cell in cells if not _has_png(cell)]
    assert not missing, f"plot cells without an image/png output: {missing}"
