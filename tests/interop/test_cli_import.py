"""``crokit import`` options and output, and ``crokit validate`` on every document type."""

from __future__ import annotations

import io
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crokit._cli_import import comment_lines, import_text
from crokit._cli_validate import detect_kind
from crokit.cli import main
from crokit.demo import demo_scenario
from crokit.interop import read_usdm
from crokit.pricing.proposal import Proposal
from crokit.provider import CroProfile
from crokit.scenario import Scenario, evaluate
from crokit.serialization import Format, dumps, loads, parse
from crokit.study import Study
from crokit.template import scenario_for_study, scenario_template
from tests.interop._mutate import JsonPath, changed

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
PILOT = DATA / "usdm" / "CDISC_Pilot_Study.json"
CTGOV = DATA / "ctgov_fictional_sample.json"
PILOT_DATA: dict[str, Any] = json.loads(PILOT.read_text(encoding="utf-8"))
VERSION: JsonPath = ("study", "versions", 0)
DESIGN: JsonPath = (*VERSION, "studyDesigns", 0)
INJECTION = 'NCT12345678\nend_date = "2031-12-31"\n[injected]\nkey = 1'


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, data: object, name: str = "study.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def pilot_with(*changes: tuple[JsonPath, Any]) -> dict[str, Any]:
    data: dict[str, Any] = PILOT_DATA
    for path, value in changes:
        data = changed(data, path, value)
    return data


# ---------------------------------------------------------------- output safety


def test_a_newline_in_a_study_identifier_cannot_inject_toml(tmp_path: Path) -> None:
    source = write(tmp_path, pilot_with(((*VERSION, "studyIdentifiers", 1, "text"), INJECTION)))
    code, out, err = run("import", "usdm", str(source))
    assert code == 0, err
    parsed = tomllib.loads(out)
    assert "end_date" not in parsed  # the header says end_date is left empty, and so it is
    assert "injected" not in parsed
    report = read_usdm(source.read_text(encoding="utf-8"))
    assert parsed == tomllib.loads(dumps(report.study, "toml"))
    assert 'NCT12345678\\nend_date = "2031-12-31"\\n[injected]' in out  # kept, escaped, in a comment


def test_the_injection_stays_in_the_notes_of_a_scenario(tmp_path: Path) -> None:
    source = write(tmp_path, pilot_with(((*VERSION, "studyIdentifiers", 1, "text"), INJECTION)))
    target = tmp_path / "scenario.toml"
    code, _, err = run("import", "usdm", str(source), "--scenario", "--output", str(target))
    assert code == 0, err
    parsed = tomllib.loads(target.read_text(encoding="utf-8"))
    assert "end_date" not in parsed["study"]
    assert "injected" not in parsed
    assert 'end_date = "2031-12-31"' in parsed["notes"]


@given(st.lists(st.text(), max_size=5))
def test_comment_lines_are_never_read_as_toml(lines: list[str]) -> None:
    text = comment_lines(lines)
    assert tomllib.loads(text) == {}
    assert text.count("\n") == len(lines)
    assert tomllib.loads(text + 'x = "1"\n') == {"x": "1"}


@pytest.mark.parametrize("text", ["a\nb", "a\rb", "a\x85b", "a\u2028b", "a\x7fb", "a\x00b", "tab\there", "\\n"])
def test_line_breaks_and_control_characters_are_escaped(text: str) -> None:
    rendered = comment_lines([text])
    assert rendered.count("\n") == 1
    assert rendered.startswith("# ")


def test_output_equal_to_the_input_is_refused(tmp_path: Path) -> None:
    source = write(tmp_path, PILOT_DATA)
    before = source.read_bytes()
    code, out, err = run("import", "usdm", str(source), "--output", str(source))
    assert code == 1
    assert "is the input file" in err or "is the file being imported" in err
    assert out == ""
    assert source.read_bytes() == before


# ---------------------------------------------------------------- options fill what the file lacks


def _without_area() -> dict[str, Any]:
    return pilot_with(
        ((*DESIGN, "therapeuticAreas"), []),
        ((*DESIGN, "indications"), [{"id": "I1", "label": "Condition X", "codes": []}]),
    )


def test_without_an_area_the_error_names_the_area_option(tmp_path: Path) -> None:
    code, _, err = run("import", "usdm", str(write(tmp_path, _without_area())))
    assert code == 1
    assert "--area" in err


def test_area_option_fills_a_missing_area(tmp_path: Path) -> None:
    source = write(tmp_path, _without_area())
    code, out, err = run("import", "usdm", str(source), "--area", "oncology")
    assert code == 0, err
    assert tomllib.loads(out)["therapeutic_area"] == "crokit:oncology"
    assert "therapeutic_area = crokit:oncology: the file names no area" in out


def test_area_option_never_overrides_the_file() -> None:
    code, out, err = run("import", "usdm", str(PILOT), "--area", "oncology")
    assert code == 0, err
    assert tomllib.loads(out)["therapeutic_area"] == "crokit:neurology"


def test_an_unknown_area_option_is_an_error_naming_the_option() -> None:
    code, _, err = run("import", "usdm", str(PILOT), "--area", "astrology")
    assert code == 1
    assert "--area" in err


def _without_countries() -> dict[str, Any]:
    return pilot_with(
        ((*VERSION, "organizations", 2, "managedSites"), []),
        ((*VERSION, "organizations", 0, "legalAddress"), None),
        ((*VERSION, "amendments"), []),
        ((*VERSION, "dateValues", 0, "geographicScopes"), []),
    )


def test_country_option_fills_missing_countries(tmp_path: Path) -> None:
    source = write(tmp_path, _without_countries())
    code, out, err = run("import", "usdm", str(source), "--country", "DE", "--country", "FRA")
    assert code == 0, err
    assert tomllib.loads(out)["countries"] == ["DE", "FR"]
    assert "countries = DE, FR: the source names no country; taken from the defaults" in out


def test_the_sponsors_address_comes_before_the_country_option(tmp_path: Path) -> None:
    source = write(tmp_path, pilot_with(((*VERSION, "organizations", 2, "managedSites"), [])))
    code, out, err = run("import", "usdm", str(source), "--country", "DE")
    assert code == 0, err
    assert tomllib.loads(out)["countries"] == ["US"]
    assert "the sponsor's address" in out


@pytest.mark.parametrize(
    ("option", "value", "named"),
    [("--country", "XX", "--country"), ("--country", "us", "--country"), ("--currency", "usd", "--currency")],
)
def test_bad_option_values_name_the_option(option: str, value: str, named: str) -> None:
    code, out, err = run("import", "usdm", str(PILOT), option, value)
    assert code == 1
    assert out == ""
    assert named in err


def test_currency_option_sets_the_study_currency() -> None:
    code, out, err = run("import", "ctgov", str(CTGOV), "--currency", "EUR")
    assert code == 0, err
    assert tomllib.loads(out)["currency"] == "EUR"


def test_the_builtin_template_refuses_a_currency_it_has_no_rates_for() -> None:
    code, _, err = run("import", "usdm", str(PILOT), "--scenario", "--currency", "EUR")
    assert code == 1
    assert "no exchange rates for EUR" in err


# ---------------------------------------------------------------- --scenario


def test_scenario_from_a_given_template_replaces_only_the_study(tmp_path: Path) -> None:
    template = tmp_path / "template.toml"
    template.write_text(scenario_template(), encoding="utf-8")
    target = tmp_path / "scenario.toml"
    code, _, err = run("import", "usdm", str(PILOT), "--scenario", str(template), "--output", str(target))
    assert code == 0, err
    imported = loads(target.read_text(encoding="utf-8"), Scenario, "toml")
    original = loads(template.read_text(encoding="utf-8"), Scenario, "toml")
    assert imported.study.name == "CDISC PILOT - LZZT"
    assert imported.candidates == original.candidates
    assert imported.selection == original.selection
    assert "kept as written" in (imported.notes or "")
    # Kept as written, the template's one exchange rate (in force from 2027) cannot price the
    # 2006 pilot's line in EUR: evaluating says which rate is missing, for which date.
    code, _, err = run("evaluate", str(target))
    assert code == 1
    assert "no EUR->USD exchange rate in force on 2006-" in err


def test_scenario_from_the_ctgov_sample_evaluates(tmp_path: Path) -> None:
    target = tmp_path / "ct.toml"
    code, _, err = run("import", "ctgov", str(CTGOV), "--scenario", "--output", str(target))
    assert code == 0, err
    scenario = loads(target.read_text(encoding="utf-8"), Scenario, "toml")
    assert scenario.study.visits  # the template's illustrative schedule, said in the notes
    assert "ILLUSTRATIVE schedule" in (scenario.notes or "")
    assert evaluate(scenario).winner is not None


def test_the_adapted_template_fits_the_study() -> None:
    study = read_usdm(PILOT.read_text(encoding="utf-8")).study
    scenario, adaptations = scenario_for_study(study)
    assert scenario.study.required_services == demo_scenario().study.required_services
    proposals = [candidate.proposal for candidate in scenario.candidates if candidate.proposal is not None]
    stages = {item.stage for proposal in proposals for item in proposal.items}
    assert stages == {study.phase}
    for candidate in scenario.candidates:
        assert set(study.countries) <= candidate.profile.country_codes
        assert any(e.area == study.therapeutic_area for e in candidate.profile.experience)
    evaluation = evaluate(scenario)
    ceiling = scenario.selection.preferences.budget_ceiling
    assert ceiling is not None
    dearest = max(result.budget.total.amount for result in evaluation.candidates if result.budget)
    assert dearest <= ceiling.amount < dearest * 2
    assert all(result.eligible for result in evaluation.candidates)
    assert len(adaptations) >= 3


def test_import_text_of_a_scenario_round_trips() -> None:
    report = read_usdm(PILOT.read_text(encoding="utf-8"))
    text = import_text(report, kind="usdm", scenario=True)
    scenario = loads(text, Scenario, "toml")
    assert scenario.study.name == report.study.name
    assert scenario.notes is not None
    assert report.summary() in scenario.notes


# ---------------------------------------------------------------- validate


def test_validate_recognises_a_study_document(tmp_path: Path) -> None:
    target = tmp_path / "study.toml"
    assert run("import", "usdm", str(PILOT), "--output", str(target))[0] == 0
    code, out, err = run("validate", str(target))
    assert code == 0, err
    assert "valid study document: 'CDISC PILOT - LZZT', phase-2, 300 patients at 1 site in GB" in out


def test_validate_a_broken_study_reports_its_fields_not_unknown_keys(tmp_path: Path) -> None:
    target = tmp_path / "study.toml"
    assert run("import", "usdm", str(PILOT), "--output", str(target))[0] == 0
    target.write_text(target.read_text(encoding="utf-8").replace("sites = 1\n", "sites = 0\n"), encoding="utf-8")
    code, _, err = run("validate", str(target))
    assert code == 1
    assert "study.sites" in err
    assert "unknown key" not in err


@pytest.mark.parametrize(
    ("kind", "document", "expected"),
    [
        ("scenario", lambda s: s, "valid scenario document: 5 candidates"),
        ("proposal", lambda s: s.candidates[0].proposal, "valid proposal document: from 'globalcro'"),
        ("cro-profile", lambda s: s.candidates[0].profile, "valid CRO profile document: 'GlobalCRO"),
    ],
)
@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_validate_recognises_every_document_type(
    kind: str, document: Any, expected: str, fmt: str, tmp_path: Path
) -> None:
    target = tmp_path / f"{kind}.{fmt}"
    target.write_text(dumps(document(demo_scenario()), fmt), encoding="utf-8")  # type: ignore[arg-type]
    code, out, err = run("validate", str(target))
    assert code == 0, err
    assert expected in out
    assert run("validate", str(target), "--as", kind)[0] == 0


def test_validate_recognises_an_evaluation(tmp_path: Path) -> None:
    target = tmp_path / "evaluation.json"
    target.write_text(dumps(evaluate(demo_scenario()), "json"), encoding="utf-8")
    code, out, err = run("validate", str(target))
    assert code == 0, err
    assert "valid evaluation document: 5 candidates, winner helix-cro" in out


def test_validate_refuses_a_file_of_no_known_type(tmp_path: Path) -> None:
    target = tmp_path / "other.toml"
    target.write_text('colour = "blue"\n', encoding="utf-8")
    code, _, err = run("validate", str(target))
    assert code == 1
    assert "not a crokit document" in err
    assert "colour" in err


@pytest.mark.parametrize("start", ["0001-01-02", "1900-01-01", "2999-01-01", "9949-12-31"])
def test_the_builtin_template_refuses_a_start_its_rate_cards_cannot_follow(start: str, tmp_path: Path) -> None:
    source = write(tmp_path, pilot_with(((*VERSION, "dateValues", 0, "dateValue"), start)))
    code, out, err = run("import", "usdm", str(source), "--scenario")
    assert code == 1
    assert out == ""
    assert "study.start_date" in err
    assert "--scenario TEMPLATE" in err
    assert run("import", "usdm", str(source))[0] == 0  # the study alone imports


@pytest.mark.parametrize("start", ["1990-01-01", "2095-12-31"])
def test_the_builtin_template_follows_a_start_within_its_range(start: str, tmp_path: Path) -> None:
    source = write(tmp_path, pilot_with(((*VERSION, "dateValues", 0, "dateValue"), start)))
    code, out, err = run("import", "usdm", str(source), "--scenario")
    assert code == 0, err
    assert evaluate(loads(out, Scenario, "toml")).winner is not None


def test_validate_says_a_json_report_is_an_output(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    assert (
        run(
            "evaluate", str(ROOT / "examples" / "rare_disease_phase2.toml"), "--format", "json", "--output", str(report)
        )[0]
        == 0
    )
    code, _, err = run("validate", str(report))
    assert code == 1
    assert "JSON report written by `crokit evaluate --format json`" in err
    assert "unknown key" not in err


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.tuples(st.just("study"), st.from_type(Study)),
        st.tuples(st.just("cro-profile"), st.from_type(CroProfile)),
        st.tuples(st.just("proposal"), st.from_type(Proposal)),
    ),
    st.sampled_from(["toml", "json"]),
)
def test_every_written_document_is_recognised_as_its_kind(drawn: tuple[str, object], fmt: Format) -> None:
    kind, document = drawn
    assert detect_kind(parse(dumps(document, fmt), fmt)) == kind
