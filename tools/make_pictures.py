"""Draw the README's pictures from the demo: the dashboard, and the HTML report as a browser shows it.

Run from the repository root (matplotlib and Debian's ``chromium`` needed)::

    PYTHONPATH=src python -m tools.make_pictures

It writes ``docs/images/dashboard.png`` (:func:`crokit.plot.dashboard`) and
``docs/images/html-report.png`` (the top of ``crokit demo --format html`` in headless
chromium, offline, with a fresh profile). Look at both before committing them.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
_BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)


def _smaller(png: bytes) -> bytes:
    """*png* in at most 256 colours (a third of the size for charts and text), when Pillow is there."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with matplotlib
        return png
    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, format="PNG", optimize=True)
    return out.getvalue()


def dashboard(path: Path) -> None:
    """Save the demo's one-page dashboard."""
    import crokit
    from crokit.demo import DEMO_SEED, demo_scenario
    from crokit.plot import dashboard as draw

    evaluation = crokit.evaluate(demo_scenario(), seed=DEMO_SEED, registry=crokit.Registry.builtin())
    buffer = io.BytesIO()
    draw(evaluation).savefig(buffer, format="png", dpi=80, metadata={"Software": None})
    path.write_bytes(_smaller(buffer.getvalue()))


def html_report(path: Path, *, width: int = 1200, height: int = 1500) -> None:
    """Save the top of the demo's HTML report as headless chromium draws it.

    Raises:
        SystemExit: If chromium is not installed.
    """
    from crokit.cli import main

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("chromium is not installed (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "demo.html"
        if main(["demo", "--format", "html", "--output", str(page)]) != 0:
            raise SystemExit("crokit demo --format html failed")
        shot = Path(folder) / "shot.png"
        subprocess.run(  # noqa: S603 - the browser found on PATH, our own flags and file
            [
                browser,
                *_BROWSER_FLAGS,
                f"--user-data-dir={Path(folder) / 'profile'}",
                f"--window-size={width},{height}",
                f"--screenshot={shot}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        path.write_bytes(_smaller(shot.read_bytes()))


def main() -> None:
    """Write both pictures into ``docs/images``."""
    IMAGES.mkdir(parents=True, exist_ok=True)
    dashboard(IMAGES / "dashboard.png")
    html_report(IMAGES / "html-report.png")
    for name in ("dashboard.png", "html-report.png"):
        sys.stdout.write(f"wrote {IMAGES / name} ({(IMAGES / name).stat().st_size:,} bytes)\n")


if __name__ == "__main__":
    main()
