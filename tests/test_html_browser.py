"""The demo's HTML report in a real headless browser: Debian's chromium, offline.

The browser loads the page from a file with every background connection turned off,
prints the DOM it built (``--dump-dom``) and takes a screenshot. The test checks that
the console stayed silent (no script error, no blocked fetch: the page's policy
forbids any, and the browser reports each attempt on the console), that the main
sections are in the DOM, and that the screenshot is not a blank page. Two control pages
show that the checks can fail.

Without chromium the tests are skipped, unless ``CROKIT_REQUIRE_CHROMIUM=1`` (set by
``.ci/run``, which installs chromium) makes them required.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

import crokit
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.report import render
from crokit.scenario import evaluate

REQUIRE: bool = os.environ.get("CROKIT_REQUIRE_CHROMIUM", "") == "1"
"""Set by ``.ci/run``: a missing browser fails the tests instead of skipping them."""

_FLAGS = (
    "--headless",
    "--no-sandbox",  # CI runs as root, where chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    message = "chromium is not installed (Debian: apt-get install chromium); .ci/run installs it"
    if REQUIRE:
        pytest.fail(f"CROKIT_REQUIRE_CHROMIUM=1 but {message}")
    pytest.skip(message)


def _run(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Open *page* in headless chromium with a fresh profile; return what it printed."""
    return subprocess.run(
        [_chromium(), *_FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _console(stderr: str) -> list[str]:
    """Console messages and uncaught errors the browser logged (chromium logs every console message)."""
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


def _pixels(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and the raw (filtered) scan lines of a PNG file."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    position, data, size = 8, b"", (0, 0)
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        chunk = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            size = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            data += chunk
        position += 12 + length
    return size[0], size[1], zlib.decompress(data)


def _blank(png: bytes) -> bool:
    """Whether a screenshot shows one flat colour: its scan lines then hold only a handful of byte values."""
    _, _, raw = _pixels(png)
    return len(set(raw)) < 16


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    evaluation = evaluate(demo_scenario(), seed=DEMO_SEED, registry=crokit.Registry.builtin())
    path = tmp_path_factory.mktemp("browser") / "demo.html"
    path.write_text(render(evaluation, "html"), encoding="utf-8")
    return path


def test_the_demo_report_in_chromium(demo_page: Path, tmp_path: Path) -> None:
    dom = _run(demo_page, tmp_path / "profile-dom", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert _console(dom.stderr) == []
    sections = re.findall(r'<section id="([^"]+)"', dom.stdout)
    for name in ("charts", "ranking", "criterion-contributions", "how-robust-is-the-choice", "warnings"):
        assert name in sections
    assert re.search(r'<section id="recommended-[^"]+" class="winner">', dom.stdout)
    assert dom.stdout.count('<tr class="winner">') == 1
    assert dom.stdout.count("<svg") >= 4

    shot = tmp_path / "demo.png"
    taken = _run(demo_page, tmp_path / "profile-shot", f"--screenshot={shot}", "--window-size=1280,2400")
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert _console(taken.stderr) == []
    width, height, _ = _pixels(shot.read_bytes())
    assert (width, height) == (1280, 2400)
    assert not _blank(shot.read_bytes())


def test_the_demo_report_prints(demo_page: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "demo.pdf"
    printed = _run(demo_page, tmp_path / "profile-pdf", "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert printed.returncode == 0, printed.stderr[-2000:]
    assert _console(printed.stderr) == []
    document = pdf.read_bytes()
    assert document.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", document))
    assert 2 <= pages <= 12  # A4 pages: the report, its tables and charts, none lost or blown up


def test_the_checks_catch_a_script_error_a_fetch_and_a_blank_page(tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html><body><p>x</p><script>missingFunction();</script></body></html>")
    assert any("Uncaught" in line for line in _console(_run(broken, tmp_path / "p1", "--dump-dom").stderr))

    fetching = tmp_path / "fetching.html"
    policy = "default-src 'none'; style-src 'unsafe-inline'"
    fetching.write_text(
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="{policy}"></head>'
        '<body><img src="https://example.invalid/logo.png" alt=""></body></html>'
    )
    assert _console(_run(fetching, tmp_path / "p2", "--dump-dom").stderr) != []

    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>")
    shot = tmp_path / "blank.png"
    assert _run(blank, tmp_path / "p3", f"--screenshot={shot}", "--window-size=800,600").returncode == 0
    assert _blank(shot.read_bytes())
