"""Where the real CDISC USDM files are: ``shared/data/usdm/`` beside the clone, not in it.

The files are CDISC's public USDM v4 examples (cdisc-org/DDF-RA, CC-BY-4.0), kept outside
the repository; see ``shared/data/usdm/README.md``. A clone has ``shared/`` beside it
(``../shared``); a git worktree under ``wt/NAME`` has it two levels up. Tests that need
them are skipped, with that reason, when neither folder exists.
"""

from __future__ import annotations

from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parents[2]
_CANDIDATES = (_ROOT / ".." / "shared" / "data" / "usdm", _ROOT / ".." / ".." / "shared" / "data" / "usdm")

USDM_DIR: Path | None = next((path.resolve() for path in _CANDIDATES if path.is_dir()), None)
"""The folder of real USDM files, or ``None`` if it is not beside the clone."""

SKIP_REASON = (
    "the real CDISC USDM files are not here: expected shared/data/usdm/ beside the clone "
    f"(looked in {', '.join(str(path.resolve()) for path in _CANDIDATES)})"
)


def usdm_files() -> list[object]:
    """Every ``*.json`` of the shared USDM folder, as pytest params (one skipped param if absent)."""
    if USDM_DIR is None:
        return [pytest.param(None, marks=pytest.mark.skip(reason=SKIP_REASON), id="no-shared-data")]
    files = sorted(USDM_DIR.glob("*.json"))
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{USDM_DIR} holds no *.json"), id="empty")]
    return [pytest.param(path, id=path.stem) for path in files]


def usdm_file(name: str) -> Path:
    """One named file of the shared folder; skips the test if it is absent."""
    if USDM_DIR is None:
        pytest.skip(SKIP_REASON)
    path = USDM_DIR / name
    if not path.is_file():
        pytest.skip(f"{path} is not there")
    return path
