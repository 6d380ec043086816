"""Reading ClinicalTrials.gov API v2 study records.

``tests/data/ctgov_fictional_sample.json`` is FICTIONAL: written by the crokit developers
as test data, shaped after the ClinicalTrials.gov API v2 study schema
(``protocolSection`` with its identification, status, sponsor, conditions, design, arms
and locations modules). NCT00000000, "Exampleton Therapeutics" and every facility in it
are made up; it describes no real study.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

import crokit
from crokit import CrokitError, FormatError, Stage, Study, UnknownIdError, ValidationError
from crokit.interop import ImportDefaults, ImportReport, load_ctgov, read_ctgov
from tests.interop._mutate import JsonPath, all_paths, apply, changed, mutations

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE = DATA / "ctgov_fictional_sample.json"
SAMPLE_DATA: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
LOCATIONS: JsonPath = ("protocolSection", "contactsLocationsModule", "locations")
PHASES: JsonPath = ("protocolSection", "designModule", "phases")
START: JsonPath = ("protocolSection", "statusModule", "startDateStruct", "date")


def sample_with(path: JsonPath, value: Any = None, *, delete: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = changed(SAMPLE_DATA, path, value, delete=delete)
    return result


@pytest.fixture(scope="module")
def sample() -> ImportReport:
    return load_ctgov(SAMPLE)


def test_sample_record_facts(sample: ImportReport) -> None:
    study = sample.study
    assert sample.format == "ClinicalTrials.gov API v2"
    assert study.name == "A Study of EXT-0417 in Adults With Moderate to Severe Rheumatoid Arthritis"
    assert study.protocol_id == "EXT-RA-201"
    assert study.sponsor == "Exampleton Therapeutics (fictional)"
    assert study.phase is Stage.PHASE_1_2  # ["PHASE1", "PHASE2"]
    assert study.indication == "Rheumatoid Arthritis"
    assert study.therapeutic_area == "crokit:immunology"
    assert study.planned_patients == 120
    assert study.end_date == date(2023, 12, 15)
    assert study.visits == ()


def test_sites_and_countries_come_from_locations(sample: ImportReport) -> None:
    # Six locations, one facility listed twice: five sites in four countries.
    assert sample.study.sites == 5
    assert sample.study.countries == ("US", "DE", "KR", "GB")
    assert sample.assumed("sites") is None
    assert sample.assumed("countries") is None
    assert sample.unread == ()


def test_month_only_start_date_is_the_first_with_an_assumption(sample: ImportReport) -> None:
    assert sample.study.start_date == date(2021, 3, 1)
    assumed = sample.assumed("start_date")
    assert assumed is not None
    assert assumed.value == "2021-03-01"
    assert "month only" in assumed.reason


def test_full_start_date_needs_no_assumption() -> None:
    report = read_ctgov(sample_with(START, "2021-03-15"))
    assert report.study.start_date == date(2021, 3, 15)
    assert report.assumed("start_date") is None


def test_report_lists_every_assumption(sample: ImportReport) -> None:
    assert {a.field for a in sample.filled} == {
        "start_date",
        "visits",
        "complexity",
        "currency",
        "screen_failure_rate",
        "dropout_rate",
        "required_services",
    }


@pytest.mark.parametrize(
    ("phases", "stage"),
    [
        (["PHASE1", "PHASE2"], Stage.PHASE_1_2),
        (["PHASE2", "PHASE3"], Stage.PHASE_2_3),
        (["PHASE3"], Stage.PHASE_3),
        (["EARLY_PHASE1"], Stage.PHASE_1),
    ],
)
def test_phases(phases: list[str], stage: Stage) -> None:
    assert read_ctgov(sample_with(PHASES, phases)).study.phase is stage


def test_no_phase_is_an_error_unless_defaulted() -> None:
    data = sample_with(PHASES, ["NA"])
    with pytest.raises(ValidationError) as caught:
        read_ctgov(data)
    assert caught.value.problems[0].path == "protocolSection.designModule.phases"
    report = read_ctgov(data, defaults=ImportDefaults(phase=Stage.PHASE_2))
    assert report.study.phase is Stage.PHASE_2
    assert report.assumed("phase") is not None


def test_unknown_phase_names_its_path() -> None:
    with pytest.raises(UnknownIdError) as caught:
        read_ctgov(sample_with(PHASES, ["PHASE2", "PHASE9"]))
    assert caught.value.path == "protocolSection.designModule.phases[1]"


def test_unknown_country_names_are_reported_not_dropped() -> None:
    extra = {"facility": "Fictional Clinic", "city": "Poseidonis", "country": "Atlantis"}
    data = sample_with(LOCATIONS, [*SAMPLE_DATA["protocolSection"]["contactsLocationsModule"]["locations"], extra])
    report = read_ctgov(data)
    assert report.study.sites == 6  # the site still counts
    assert report.study.countries == ("US", "DE", "KR", "GB")
    assert len(report.unread) == 1
    assert "'Atlantis'" in report.unread[0]
    assert report.unread[0].startswith("protocolSection.contactsLocationsModule.locations[6].country")


def test_only_unknown_countries_fall_back_to_the_default_with_both_reported() -> None:
    data = sample_with(LOCATIONS, [{"facility": "A", "city": "B", "country": "Atlantis"}])
    report = read_ctgov(data)
    assert report.study.countries == ("US",)
    assert report.assumed("countries") is not None
    assert any("Atlantis" in item for item in report.unread)


def test_without_locations_sites_and_countries_are_assumed() -> None:
    report = read_ctgov(sample_with(LOCATIONS, delete=True))
    assert report.study.sites == 12  # 120 patients at 10 per site
    assert report.study.countries == ("US",)
    assert report.assumed("sites") is not None
    assert report.assumed("countries") is not None


def test_more_locations_than_patients_is_capped_with_an_assumption() -> None:
    data = sample_with(("protocolSection", "designModule", "enrollmentInfo", "count"), 3)
    report = read_ctgov(data)
    assert report.study.sites == 3
    assert report.assumed("sites") is not None


def test_sample_round_trips_through_toml(sample: ImportReport) -> None:
    assert crokit.loads(crokit.dumps(sample.study, "toml"), Study, "toml") == sample.study


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"not json", FormatError),
        ("", FormatError),
        ("[]", ValidationError),
        ("{}", ValidationError),
        ({"studies": [{}]}, ValidationError),
        ({"protocolSection": "x"}, ValidationError),
    ],
)
def test_malformed_records_raise_crokit_errors(data: Any, error: type[CrokitError]) -> None:
    with pytest.raises(error):
        read_ctgov(data)


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        (LOCATIONS, "Boston", "contactsLocationsModule.locations"),
        ((*LOCATIONS, 0), "Boston", "locations[0]"),
        ((*LOCATIONS, 0, "country"), 1, "locations[0].country"),
        (("protocolSection", "designModule", "enrollmentInfo", "count"), "many", "enrollmentInfo.count"),
        (("protocolSection", "designModule", "enrollmentInfo", "count"), 10**40, "enrollmentInfo.count"),
        (PHASES, "PHASE2", "designModule.phases"),
        (START, "March 2021", "startDateStruct.date"),
        (START, "2021-13", "startDateStruct.date"),
        (("protocolSection", "conditionsModule", "conditions"), [], "conditionsModule.conditions"),
    ],
)
def test_wrong_shapes_are_refused_with_their_path(path: JsonPath, value: Any, where: str) -> None:
    with pytest.raises(ValidationError) as caught:
        read_ctgov(sample_with(path, value))
    assert any(p.path.endswith(where) for p in caught.value.problems), caught.value


PATHS = list(all_paths(SAMPLE_DATA))


@given(mutations(PATHS))
def test_damaged_records_raise_only_crokit_errors(changes: list[tuple[JsonPath, Any, bool]]) -> None:
    try:
        report = read_ctgov(apply(SAMPLE_DATA, changes))
    except CrokitError:
        return
    assert isinstance(report.study, Study)


def test_no_start_date_is_an_error_unless_defaulted() -> None:
    data = sample_with(("protocolSection", "statusModule", "startDateStruct"), delete=True)
    with pytest.raises(ValidationError, match=r"ImportDefaults\(start_date=\.\.\.\)"):
        read_ctgov(data)
    report = read_ctgov(data, defaults=ImportDefaults(start_date=date(2030, 1, 1)))
    assert report.study.start_date == date(2030, 1, 1)
    assert any(a.field == "start_date" for a in report.filled)
