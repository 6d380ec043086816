"""Reading CDISC USDM: the CDISC Pilot Study (LZZT) without edits, and refusals with JSON paths.

``tests/data/usdm/CDISC_Pilot_Study.json`` is CDISC's own example (cdisc-org/DDF-RA,
Documents/Examples/CDISC_Pilot, CC-BY-4.0: "Content based on DDF-RA (GitHub) used under
the CC-BY-4.0 license"); see the README beside it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import crokit
from crokit import Complexity, CrokitError, FormatError, Stage, Study, UnknownIdError, ValidationError, VisitKind
from crokit.interop import ImportDefaults, ImportReport, UsdmDefaults, load_usdm, read_usdm
from tests.interop._mutate import JsonPath, all_paths, apply, changed, mutations

DATA = Path(__file__).resolve().parents[1] / "data"
PILOT = DATA / "usdm" / "CDISC_Pilot_Study.json"
PILOT_DATA: dict[str, Any] = json.loads(PILOT.read_text(encoding="utf-8"))
DESIGN: JsonPath = ("study", "versions", 0, "studyDesigns", 0)
ENCOUNTER_LABELS = [
    "Screening 1",
    "Screening 2",
    "Baseline",
    "Week 2",
    "Week 4",
    "Week 6",
    "Week 8",
    "Week 12",
    "Week 16",
    "Week 20",
    "Week 24",
    "Week 26",
]


def pilot_with(path: JsonPath, value: Any = None, *, delete: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = changed(PILOT_DATA, path, value, delete=delete)
    return result


def paths_of(error: ValidationError) -> list[str]:
    return [problem.path for problem in error.problems]


@pytest.fixture(scope="module")
def pilot() -> ImportReport:
    return load_usdm(PILOT)


# ---------------------------------------------------------------- the pilot study


def test_pilot_study_facts(pilot: ImportReport) -> None:
    study = pilot.study
    assert pilot.format == "USDM 4.0.0"
    assert pilot.source == str(PILOT)
    assert study.name == "CDISC PILOT - LZZT"
    assert study.phase is Stage.PHASE_2
    assert study.therapeutic_area in {"crokit:neurology", "crokit:central-nervous-system"}
    assert study.indication == "Alzheimer's disease"
    assert study.planned_patients == 300
    assert study.protocol_id == "H2Q-MC-LZZT"
    assert study.sponsor == "Eli Lilly"
    assert study.start_date == date(2006, 6, 1)
    assert study.end_date is None


def test_pilot_visits_follow_the_encounters_in_order(pilot: ImportReport) -> None:
    visits = pilot.study.visits
    assert [v.name for v in visits] == ENCOUNTER_LABELS
    assert [v.id for v in visits][:4] == ["screening-1", "screening-2", "baseline", "week-2"]
    # SDTM study days: dosing (the Fixed Reference timing) is day 1, 2 weeks later is day 15.
    assert [v.day for v in visits] == [-14, -2, 1, 15, 29, 43, 57, 85, 113, 141, 169, 183]
    assert [v.kind for v in visits[:3]] == [VisitKind.SCREENING, VisitKind.SCREENING, VisitKind.BASELINE]
    assert visits[3].kind is VisitKind.TREATMENT
    assert visits[-1].kind is VisitKind.FOLLOW_UP
    assert [v.window_days for v in visits[3:]] == [3, 3, 3, 3, 4, 4, 4, 4, 3]
    assert "Informed consent" in visits[0].procedures
    assert "ADAS-Cog" in visits[2].procedures
    assert not any(v.remote for v in visits)


def test_pilot_sites_and_countries_come_from_the_listed_study_site(pilot: ImportReport) -> None:
    # The file lists one study site (Organization "Big Hospital", StudySite "Site One", GBR).
    assert pilot.study.sites == 1
    assert pilot.study.countries == ("GB",)
    assert any("check that the list is complete" in note for note in pilot.notes)
    assert any("region 'Europe'" in item for item in pilot.unread)


def test_pilot_report_lists_every_assumption(pilot: ImportReport) -> None:
    fields = {a.field for a in pilot.filled}
    assert fields == {
        "therapeutic_area",  # SNOMED CT 26929004 mapped through crokit's area code table
        "visits[*].crf_pages",
        "complexity",
        "currency",
        "screen_failure_rate",
        "dropout_rate",
        "required_services",
    }
    currency = pilot.assumed("currency")
    assert currency is not None
    assert currency.value == "USD"
    assert pilot.study.currency == "USD"
    complexity = pilot.assumed("complexity")
    assert complexity is not None
    assert "adaptive" in complexity.reason
    assert pilot.study.complexity is Complexity.HIGH
    assert pilot.assumed("phase") is None
    assert any("3 arms" in note for note in pilot.notes)
    assert any("area code table" in note and "SNOMED CT 26929004" in note for note in pilot.notes)
    assert "currency = USD" in pilot.summary()


def test_pilot_round_trips_through_toml(pilot: ImportReport) -> None:
    text = crokit.dumps(pilot.study, "toml")
    assert crokit.loads(text, Study, "toml") == pilot.study


def test_text_bytes_and_mapping_inputs_agree(pilot: ImportReport) -> None:
    raw = PILOT.read_bytes()
    assert read_usdm(raw).study == pilot.study
    assert read_usdm(raw.decode("utf-8")).study == pilot.study
    assert read_usdm(PILOT_DATA).study == pilot.study


# ---------------------------------------------------------------- defaults and assumptions


def test_defaults_replace_the_assumed_values() -> None:
    defaults = UsdmDefaults(currency="EUR", complexity=Complexity.MODERATE)
    report = read_usdm(PILOT_DATA, defaults=defaults)
    assert report.study.currency == "EUR"
    assert report.study.complexity is Complexity.MODERATE
    assumed = report.assumed("currency")
    assert assumed is not None
    assert assumed.value == "EUR"


def test_without_sites_or_countries_both_are_assumed() -> None:
    data = pilot_with(("study", "versions", 0, "organizations", 2, "managedSites"), [])
    report = read_usdm(data)
    assert report.study.sites == 30  # 300 patients at 10 per site
    assert report.study.countries == ("US",)
    sites, countries = report.assumed("sites"), report.assumed("countries")
    assert sites is not None
    assert "10 patients per site" in sites.reason
    assert countries is not None
    assert countries.value == "US"
    assert "sponsor's address (study.versions[0].organizations[0].legalAddress.country)" in countries.reason
    custom = read_usdm(data, defaults=ImportDefaults(sites=12, countries=("DE", "FR")))
    assert (custom.study.sites, custom.study.countries) == (12, ("US",))  # the sponsor's address comes first
    no_address = changed(data, ("study", "versions", 0, "organizations", 0, "legalAddress"), None)
    custom = read_usdm(no_address, defaults=ImportDefaults(sites=12, countries=("DE", "FR")))
    assert (custom.study.sites, custom.study.countries) == (12, ("DE", "FR"))
    assumed = custom.assumed("countries")
    assert assumed is not None
    assert "taken from the defaults" in assumed.reason


def test_country_scopes_become_countries() -> None:
    scope = {
        "type": {"code": "C25464", "decode": "Country"},
        "code": {"standardCode": {"code": "DEU", "decode": "Germany"}},
    }
    data = pilot_with(("study", "versions", 0, "dateValues", 0, "geographicScopes"), [scope])
    assert read_usdm(data).study.countries == ("GB", "DE")


def test_without_timings_days_are_numbered_and_assumed() -> None:
    data = pilot_with((*DESIGN, "scheduleTimelines"), [])
    report = read_usdm(data)
    assert [v.day for v in report.study.visits] == list(range(1, 13))
    assert [v.name for v in report.study.visits] == ENCOUNTER_LABELS
    assumed = report.assumed("visits[*].day")
    assert assumed is not None
    assert "schedule order" in assumed.reason


def test_missing_dates_use_the_defaults_as_an_assumption() -> None:
    data = pilot_with(("study", "versions", 0, "dateValues"), [])
    data = changed(data, ("study", "documentedBy"), [])
    report = read_usdm(data, defaults=ImportDefaults(start_date=date(2027, 1, 4)))
    assert report.study.start_date == date(2027, 1, 4)
    assert report.assumed("start_date") is not None


def test_missing_enrolment_falls_back_to_completion_number_as_an_assumption() -> None:
    data = pilot_with((*DESIGN, "population", "plannedEnrollmentNumber"), delete=True)
    report = read_usdm(data)
    assert report.study.planned_patients == 300
    assert report.assumed("planned_patients") is not None


def test_enrolment_given_as_a_range_uses_the_maximum() -> None:
    value = {"minValue": {"value": 250}, "maxValue": {"value": 320}, "instanceType": "Range"}
    report = read_usdm(pilot_with((*DESIGN, "population", "plannedEnrollmentNumber"), value))
    assert report.study.planned_patients == 320
    assert any("the maximum is used" in note for note in report.notes)


def test_area_named_directly_is_used_without_the_keyword_table() -> None:
    data = pilot_with((*DESIGN, "therapeuticAreas", 0, "decode"), "Neurology")
    report = read_usdm(data)
    assert report.study.therapeutic_area == "crokit:neurology"
    assert not any("keyword table" in note for note in report.notes)


def test_missing_phase_is_an_error_unless_defaulted() -> None:
    data = pilot_with((*DESIGN, "studyPhase"), delete=True)
    with pytest.raises(ValidationError) as caught:
        read_usdm(data)
    assert paths_of(caught.value) == ["study.versions[0].studyDesigns[0].studyPhase"]
    report = read_usdm(data, defaults=ImportDefaults(phase=Stage.PHASE_3))
    assert report.study.phase is Stage.PHASE_3
    assert report.assumed("phase") is not None


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"not json", FormatError),
        ("", FormatError),
        (b"\xff\xfe", FormatError),
        ("[1, 2]", ValidationError),
        ([], ValidationError),
        ("{}", ValidationError),
        ({"usdmVersion": "4.0.0"}, ValidationError),
        ('{"study": "x", "usdmVersion": "4.0.0"}', ValidationError),
        pytest.param("[" * 100_000, FormatError, id="nested-too-deeply"),
        pytest.param('{"n": 1' + "0" * 5000 + "}", FormatError, id="a-5000-digit-number"),
    ],
)
def test_malformed_documents_raise_crokit_errors(data: Any, error: type[CrokitError]) -> None:
    with pytest.raises(error):
        read_usdm(data)


@pytest.mark.parametrize("version", ["2.0", "5.0.0", "", 4, None, "v4"])
def test_other_usdm_versions_are_refused(version: object) -> None:
    data = pilot_with(("usdmVersion",), version)
    with pytest.raises(ValidationError) as caught:
        read_usdm(data)
    assert paths_of(caught.value) == ["usdmVersion"]
    assert "USDM v3 and v4" in str(caught.value)


def test_a_missing_study_is_refused_at_study() -> None:
    with pytest.raises(ValidationError) as caught:
        read_usdm({"usdmVersion": "4.0.0", "systemName": "x"})
    assert paths_of(caught.value) == ["study"]
    assert "not a USDM v3/v4" in str(caught.value)


def test_an_encounter_that_is_a_string_is_refused_at_its_path() -> None:
    data = pilot_with((*DESIGN, "encounters", 3), "Week 2")
    with pytest.raises(ValidationError) as caught:
        read_usdm(data)
    assert paths_of(caught.value) == ["study.versions[0].studyDesigns[0].encounters[3]"]


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        ((*DESIGN, "population", "plannedEnrollmentNumber", "value"), 10**30, "plannedEnrollmentNumber.value"),
        ((*DESIGN, "population", "plannedEnrollmentNumber", "value"), 1e300, "plannedEnrollmentNumber.value"),
        pytest.param(
            (*DESIGN, "population", "plannedEnrollmentNumber", "value"),
            10**5000,
            "plannedEnrollmentNumber.value",
            id="a-5000-digit-number",
        ),
        ((*DESIGN, "population", "plannedEnrollmentNumber", "value"), 12.5, "plannedEnrollmentNumber.value"),
        ((*DESIGN, "population", "plannedEnrollmentNumber", "value"), 0, "plannedEnrollmentNumber.value"),
        ((*DESIGN, "population", "plannedEnrollmentNumber", "value"), "300", "plannedEnrollmentNumber.value"),
        ((*DESIGN, "population", "plannedEnrollmentNumber"), True, "plannedEnrollmentNumber"),
        ((*DESIGN, "encounters"), {"a": 1}, "studyDesigns[0].encounters"),
        ((*DESIGN, "encounters", 0, "label"), 7, "encounters[0].label"),
        (("study", "versions"), "v1", "study.versions"),
        (("study", "versions"), [], "study.versions"),
        (("study", "versions", 0, "studyDesigns"), [], "studyDesigns"),
        (("study", "versions", 0, "dateValues", 0, "dateValue"), "June 2006", "dateValues[0].dateValue"),
    ],
)
def test_wrong_shapes_deep_inside_are_refused_with_their_path(path: JsonPath, value: Any, where: str) -> None:
    with pytest.raises(ValidationError) as caught:
        read_usdm(pilot_with(path, value))
    assert any(p.endswith(where) for p in paths_of(caught.value)), caught.value


def test_huge_number_in_text_is_a_validation_error_with_its_path() -> None:
    text = PILOT.read_text(encoding="utf-8").replace('"value": 300.0', '"value": 1e999999', 1)
    with pytest.raises(ValidationError) as caught:
        read_usdm(text)
    assert paths_of(caught.value) == ["study.versions[0].studyDesigns[0].population.plannedEnrollmentNumber.value"]


def test_an_unknown_phase_code_names_its_path() -> None:
    data = pilot_with((*DESIGN, "studyPhase", "standardCode", "code"), "C48660")
    with pytest.raises(UnknownIdError) as caught:
        read_usdm(data)
    assert caught.value.path == "study.versions[0].studyDesigns[0].studyPhase.standardCode.code"


def test_missing_files_are_input_file_errors(tmp_path: Path) -> None:
    with pytest.raises(crokit.InputFileError):
        load_usdm(tmp_path / "missing.json")
    empty = tmp_path / "empty.json"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(crokit.InputFileError):
        load_usdm(empty)


# ---------------------------------------------------------------- fuzzing

_SKIPPED = {
    "biomedicalConcepts",
    "narrativeContentItems",
    "eligibilityCriterionItems",
    "eligibilityCriteria",
    "dictionaries",
    "bcSurrogates",
    "objectives",
    "estimands",
    "documentVersionIds",
    "extensionAttributes",
    "studyInterventions",
    "analysisPopulations",
    "criterionIds",
    "studyCells",
    "elements",
}
# Skip the large parts the reader never looks at, so that most mutations hit what it reads.
PATHS = [p for p in all_paths(PILOT_DATA) if not _SKIPPED.intersection(str(k) for k in p)]


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(mutations(PATHS))
def test_damaged_pilot_files_raise_only_crokit_errors(changes: list[tuple[JsonPath, Any, bool]]) -> None:
    document = apply(PILOT_DATA, changes)
    try:
        report = read_usdm(document)
    except CrokitError:
        return
    assert isinstance(report.study, Study)
    assert report.study.planned_patients >= 1
