"""Every real CDISC USDM file imports unedited, and damaged copies of them fail only cleanly.

The files (``shared/data/usdm/``, beside the clone) were written by CDISC, not by the
crokit developers: placeholders, empty strings, zero quantities and codes of several
code systems included. See ``tests/interop/_shared.py`` for where they are looked up.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crokit import CrokitError, FormatError, Study
from crokit.errors import DuplicateKeyError
from crokit.interop import ImportReport, load_usdm, read_ctgov, read_usdm
from tests.interop._mutate import JsonPath, all_paths, apply, mutations
from tests.interop._shared import USDM_DIR, usdm_file, usdm_files

_AMENDMENT_ENROLMENT = "study.versions[0].amendments[0].enrollments[0].quantity.value"


@cache
def _document(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", usdm_files())
def test_every_real_file_imports_unedited(path: Path) -> None:
    report = load_usdm(path)
    assert isinstance(report.study, Study)
    assert report.format.startswith("USDM 4")
    assert report.study.visits
    # The import report says where every value came from or why it was assumed.
    assert any(note.startswith("phase ") for note in report.notes)
    assert any(note.startswith("therapeutic_area ") for note in report.notes)


def test_placeholder_amendment_enrolments_are_listed_as_not_read() -> None:
    report = load_usdm(usdm_file("CDISC_Observational_Example.json"))
    skipped = [item for item in report.unread if item.startswith(_AMENDMENT_ENROLMENT)]
    assert len(skipped) == 1
    assert "not read" in skipped[0]
    assert "got 0.0" in skipped[0]
    assert report.study.planned_patients == 120  # the population's enrolment, which crokit does read


def test_observational_file_honours_the_rare_disease_flag() -> None:
    report = load_usdm(usdm_file("CDISC_Observational_Example.json"))
    assert report.study.therapeutic_area == "crokit:rare-disease"
    note = next(n for n in report.notes if n.startswith("therapeutic_area"))
    assert "indications[0].isRareDisease" in note
    assert "crokit:metabolic" in note  # what the SNOMED CT code alone gives is still said
    assert "73211009" in note


@pytest.mark.parametrize("name", ["CDISC_Pilot_Study.json", "CDISC_Devices_Example.json"])
def test_pilot_and_devices_area_comes_from_the_snomed_code(name: str) -> None:
    report = load_usdm(usdm_file(name))
    assert report.study.therapeutic_area == "crokit:neurology"
    note = next(n for n in report.notes if n.startswith("therapeutic_area"))
    assert "SNOMED CT 26929004" in note
    assert "area code table" in note


def _crokit(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crokit", *argv], capture_output=True, text=True, check=False, timeout=300
    )


@pytest.mark.parametrize("path", usdm_files())
def test_import_scenario_then_evaluate_on_the_command_line(path: Path, tmp_path: Path) -> None:
    target = tmp_path / "x.toml"
    imported = _crokit("import", "usdm", str(path), "--scenario", "--output", str(target))
    assert imported.returncode == 0, imported.stderr
    evaluated = _crokit("evaluate", str(target))
    assert evaluated.returncode == 0, evaluated.stderr
    assert "Recommended:" in evaluated.stdout
    scenario = tomllib.loads(target.read_text(encoding="utf-8"))
    study = load_usdm(path).study
    assert scenario["study"]["name"] == study.name
    assert scenario["study"]["planned_patients"] == study.planned_patients
    assert "Adapted for this study" in scenario["notes"]
    assert "Filled in" not in scenario["notes"]  # the report itself, not the CLI header
    assert "Assumed (check these)" in scenario["notes"]


# ---------------------------------------------------------------- damaged copies

_SKIPPED = {"biomedicalConcepts", "narrativeContentItems", "dictionaries", "bcSurrogates", "extensionAttributes"}


@cache
def _paths(path: Path) -> list[JsonPath]:
    return [p for p in all_paths(_document(path)) if not _SKIPPED.intersection(str(k) for k in p)]


def _real_paths() -> list[Path]:
    return sorted(USDM_DIR.glob("*.json")) if USDM_DIR is not None else []


@pytest.mark.skipif(not _real_paths(), reason="the real CDISC USDM files are not beside the clone")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_real_files_raise_only_crokit_errors(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(_real_paths()))
    changes = data.draw(mutations(_paths(path)))
    try:
        report = read_usdm(apply(_document(path), changes))
    except CrokitError:
        return
    assert isinstance(report, ImportReport)
    assert report.study.planned_patients >= 1


_TEXT_DAMAGE = st.sampled_from(
    [
        ("300.0", "1e9999999999999999999"),
        ("120.0", "1e9999999999999999999"),
        ("300.0", "-1e9999999999999999999"),
        ("300.0", "1E+999999999"),
        ('"4.0.0"', "4e9999999999"),
        ("0.0", "1e-9999999999999999999"),
    ]
)


@pytest.mark.skipif(not _real_paths(), reason="the real CDISC USDM files are not beside the clone")
@settings(max_examples=30, deadline=None)
@given(data=st.data(), damage=_TEXT_DAMAGE, bom=st.booleans(), as_bytes=st.booleans())
def test_numbers_too_large_to_hold_fail_cleanly(
    data: st.DataObject, damage: tuple[str, str], *, bom: bool, as_bytes: bool
) -> None:
    path = data.draw(st.sampled_from(_real_paths()))
    text = path.read_text(encoding="utf-8")
    old, new = damage
    if old not in text:
        return
    text = ("\ufeff" if bom else "") + text.replace(old, new, 1)
    document: str | bytes = text.encode("utf-8") if as_bytes else text
    with contextlib.suppress(CrokitError):  # anything else escaping fails the test
        read_usdm(document)


def test_a_huge_exponent_is_a_format_error_not_invalid_operation() -> None:
    text = usdm_file("CDISC_Observational_Example.json").read_text(encoding="utf-8")
    with pytest.raises(FormatError, match="too large to read"):
        read_usdm(text.replace('"value": 120.0', '"value": 1e9999999999999999999', 1))


@pytest.mark.parametrize("path", usdm_files())
def test_a_leading_byte_order_mark_is_accepted_and_dropped(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    plain = read_usdm(text).study
    assert read_usdm("\ufeff" + text).study == plain
    assert read_usdm(("\ufeff" + text).encode("utf-8")).study == plain


@pytest.mark.parametrize("reader", [read_usdm, read_ctgov])
def test_a_key_given_twice_is_refused_like_in_every_reader(reader) -> None:
    """Regression (found by the fuzz suite): the importers kept the last of two values for one key."""
    with pytest.raises(DuplicateKeyError) as caught:
        reader('{"study": {"id": 1, "id": 2}}')
    assert "study.id appears twice" in str(caught.value)
