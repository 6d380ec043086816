"""ImportDefaults validates like every model; the shipped area code table is well formed and used."""

from __future__ import annotations

import itertools
import json
import math
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import Complexity, CrokitError, Stage, ValidationError
from crokit.interop import ImportDefaults, read_ctgov, read_usdm
from crokit.interop._area_codes import AreaTable, area_table, parse_table
from crokit.registry import default_registry
from tests.interop._mutate import JsonPath, changed

DATA = Path(__file__).resolve().parents[1] / "data"
PILOT_DATA: dict[str, Any] = json.loads((DATA / "usdm" / "CDISC_Pilot_Study.json").read_text(encoding="utf-8"))
CTGOV_DATA: dict[str, Any] = json.loads((DATA / "ctgov_fictional_sample.json").read_text(encoding="utf-8"))
DESIGN: JsonPath = ("study", "versions", 0, "studyDesigns", 0)

# ---------------------------------------------------------------- ImportDefaults


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("planned_patients", 12.0),
        ("planned_patients", math.nan),
        ("planned_patients", "120"),
        ("planned_patients", True),
        ("planned_patients", 0),
        ("planned_patients", Decimal(120)),
        ("sites", 1.5),
        ("sites", False),
        ("patients_per_site", math.inf),
        ("patients_per_site", 0),
        ("patients_per_site", None),
        ("countries", "US"),
        ("countries", None),
        ("countries", []),
        ("countries", [1]),
        ("countries", ["XX"]),
        ("currency", "usd"),
        ("currency", 840),
        ("phase", "phase-9"),
        ("phase", Stage.DISCOVERY),  # not a study phase
        ("phase", "submission"),
        ("phase", 2),
        ("complexity", "extreme"),
        ("start_date", "2027-01-01"),
        ("start_date", datetime(2027, 1, 1)),  # noqa: DTZ001 - a naive datetime is what is refused
        ("therapeutic_area", ""),
        ("therapeutic_area", 7),
        ("indication", "   "),
    ],
)
def test_wrong_types_are_validation_errors_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(CrokitError) as caught:
        ImportDefaults(**{field: value})  # type: ignore[arg-type]
    assert field in str(caught.value)
    assert not isinstance(caught.value, TypeError)


def test_text_values_of_enums_and_alpha3_countries_are_read() -> None:
    defaults = ImportDefaults(phase="phase-3", complexity="high", countries=["DEU", "FR"])
    assert defaults.phase is Stage.PHASE_3
    assert defaults.complexity is Complexity.HIGH
    assert defaults.countries == ("DE", "FR")


@given(
    planned=st.one_of(st.none(), st.integers(1, 10_000_000)),
    sites=st.one_of(st.none(), st.integers(1, 100_000)),
    per_site=st.integers(1, 1000),
    start=st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2100, 1, 1))),
)
def test_valid_defaults_are_kept_as_given(planned: int | None, sites: int | None, per_site: int, start: date) -> None:
    defaults = ImportDefaults(planned_patients=planned, sites=sites, patients_per_site=per_site, start_date=start)
    assert (defaults.planned_patients, defaults.sites, defaults.patients_per_site, defaults.start_date) == (
        planned,
        sites,
        per_site,
        start,
    )


@given(st.one_of(st.floats(), st.text(max_size=5), st.booleans(), st.decimals(allow_nan=True)))
def test_no_float_text_bool_or_decimal_count_is_accepted(value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        ImportDefaults(planned_patients=value)  # type: ignore[arg-type]
    assert caught.value.problems[0].path == "planned_patients"


# ---------------------------------------------------------------- the area code table

_FORMATS = {
    "SNOMED CT": re.compile(r"^\d{6,18}$"),
    "MeSH": re.compile(r"^D\d{6}(\d{3})?$"),
    "MedDRA": re.compile(r"^100\d{5}$"),
    "ICD-10": re.compile(r"^[A-Z]\d\d-[A-Z]\d\d$"),
}


def test_every_row_is_complete_cited_and_names_a_known_area() -> None:
    registry = default_registry()
    rows = area_table().rows
    assert len(rows) >= 50
    for row in rows:
        assert _FORMATS[row.system].match(row.code), row
        assert row.display
        assert row.source
        assert registry.area(row.area).id == row.area


def test_icd10_ranges_do_not_overlap_and_are_ordered() -> None:
    ranges = area_table().ranges
    for (_, last, _), (first, _, _) in itertools.pairwise(ranges):
        assert last < first


@pytest.mark.parametrize(
    ("system", "code", "area"),
    [
        ("SNOMED", "26929004", "crokit:neurology"),  # the USDM pilot's coded area, as spelled there
        ("SNOMED", "73211009", "crokit:metabolic"),  # the USDM observational example's
        ("ICD-10-CM", "G30.9", "crokit:neurology"),  # the USDM pilot's indication code
        ("http://snomed.info/sct", "26929004", "crokit:neurology"),
        ("MSH", "D001172", "crokit:immunology"),  # the ClinicalTrials.gov sample's condition MeSH term
        ("ICD-10", "c50.9", "crokit:oncology"),
        ("ICD-10", "D49", None),  # beyond chapter II in the WHO classification
        ("MedDRA", "10029205", "crokit:neurology"),
        ("SNOMED", "12345", None),  # the examples' placeholder indications
        ("NCI", "C15601", None),
        (None, "26929004", None),
    ],
)
def test_codes_real_files_carry_are_matched(system: str | None, code: str, area: str | None) -> None:
    row = area_table().match(system, code)
    assert (row.area if row else None) == area


def test_a_broken_table_is_refused() -> None:
    with pytest.raises(ValueError, match="repeats"):
        parse_table({"codes": [{"system": "MeSH", "code": "D1", "display": "x", "area": "a", "source": "s"}] * 2})
    with pytest.raises(ValueError, match="source"):
        parse_table({"codes": [{"system": "MeSH", "code": "D1", "display": "x", "area": "a"}]})
    assert isinstance(parse_table({}), AreaTable)


def test_usdm_area_from_an_icd10_indication_code_when_nothing_else_names_one() -> None:
    data = changed(PILOT_DATA, (*DESIGN, "therapeuticAreas"), [])
    data = changed(
        data,
        (*DESIGN, "indications"),
        [{"id": "I1", "label": "Condition X", "codes": [{"code": "I50.9", "codeSystem": "ICD-10-CM", "decode": "?"}]}],
    )
    report = read_usdm(data)
    assert report.study.therapeutic_area == "crokit:cardiovascular"
    assert any("ICD-10 I00-I99" in note for note in report.notes)


def test_usdm_rare_disease_flag_wins_over_the_codes() -> None:
    data = changed(PILOT_DATA, (*DESIGN, "indications", 0, "isRareDisease"), value=True)
    report = read_usdm(data)
    assert report.study.therapeutic_area == "crokit:rare-disease"
    assert any("isRareDisease is true" in note and "crokit:neurology" in note for note in report.notes)


_CONDITIONS: JsonPath = ("protocolSection", "conditionsModule")
_BROWSE: JsonPath = ("derivedSection", "conditionBrowseModule")


def _ctgov_without_words(browse: dict[str, Any]) -> dict[str, Any]:
    data = changed(CTGOV_DATA, _CONDITIONS, {"conditions": ["Condition X"], "keywords": []})
    result: dict[str, Any] = changed(data, _BROWSE, browse)
    return result


def test_ctgov_area_from_the_condition_mesh_term() -> None:
    report = read_ctgov(_ctgov_without_words({"meshes": [{"id": "D001172", "term": "Arthritis, Rheumatoid"}]}))
    assert report.study.therapeutic_area == "crokit:immunology"
    assert any("MeSH D001172" in note for note in report.notes)


def test_ctgov_area_from_the_most_specific_ancestor() -> None:
    ancestors = [
        {"id": "D009140", "term": "Musculoskeletal Diseases"},
        {"id": "D001327", "term": "Autoimmune Diseases"},
        {"id": "D007154", "term": "Immune System Diseases"},
    ]
    report = read_ctgov(_ctgov_without_words({"meshes": [{"id": "D999999", "term": "?"}], "ancestors": ancestors}))
    assert report.study.therapeutic_area == "crokit:immunology"  # Autoimmune Diseases is listed before the trees


def test_ctgov_rare_diseases_branch_is_honoured() -> None:
    browse = {
        "meshes": [{"id": "D001172", "term": "Arthritis, Rheumatoid"}],
        "browseBranches": [{"abbrev": "BC05", "name": "Musculoskeletal Diseases"}, {"name": "Rare Diseases"}],
    }
    report = read_ctgov(_ctgov_without_words(browse))
    assert report.study.therapeutic_area == "crokit:rare-disease"
    assert any("'Rare Diseases' category" in note and "crokit:immunology" in note for note in report.notes)


def test_ctgov_huge_exponent_and_bom() -> None:
    text = json.dumps(CTGOV_DATA)
    with pytest.raises(CrokitError, match="too large"):
        read_ctgov(text.replace('"count": 120', '"count": 1e9999999999999999999', 1))
    assert read_ctgov("\ufeff" + text).study == read_ctgov(text).study


def test_arms_of_the_wrong_shape_are_not_read_rather_than_fatal() -> None:
    usdm = read_usdm(changed(PILOT_DATA, (*DESIGN, "arms", 0, "label"), 7))
    assert any("arms[0].label: the design's arms" in item and "not read" in item for item in usdm.unread)
    groups: JsonPath = ("protocolSection", "armsInterventionsModule", "armGroups")
    ctgov = read_ctgov(changed(CTGOV_DATA, groups, "three arms"))
    assert any(item.startswith("protocolSection.armsInterventionsModule.armGroups") for item in ctgov.unread)


@given(
    system=st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["SNOMED", "ICD-10-CM", "MeSH", "MedDRA"])),
    code=st.one_of(st.none(), st.text(max_size=12), st.from_regex(r"[A-Z]\d\d(\.\d)?", fullmatch=True)),
)
def test_matching_any_text_never_fails_and_finds_only_rows_of_that_system(system: str | None, code: str | None) -> None:
    table = area_table()
    row = table.match(system, code)
    if row is not None:
        assert row.system == table.system(system)
