"""Scenario files that are easy to write: weights as a table, one budget ceiling, area aliases."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import crokit
from crokit.demo import demo_scenario
from crokit.errors import UnknownIdError, ValidationError
from crokit.scenario import Candidate, Scenario
from crokit.selection import SelectionSettings

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "rare_disease_phase2.toml"
TEXT = EXAMPLE.read_text(encoding="utf-8")
WEIGHTS_TABLE = """[selection.weights]
"crokit:therapeutic-expertise" = "2"
"crokit:geographic-reach" = "2"
"crokit:technology" = "1"
"crokit:team-experience" = "2"
"crokit:pricing-fit" = "3"
"""
WEIGHTS_LIST = """[selection]
weights = [
    ["crokit:therapeutic-expertise", "2"],
    ["crokit:geographic-reach", "2"],
    ["crokit:technology", "1"],
    ["crokit:team-experience", "2"],
    ["crokit:pricing-fit", "3"],
]
"""


def test_the_example_writes_weights_as_a_table() -> None:
    assert WEIGHTS_TABLE in TEXT


def test_weights_as_a_table_or_a_list_read_the_same() -> None:
    as_table = crokit.loads(WEIGHTS_TABLE.replace("[selection.weights]", "[weights]"), SelectionSettings, "toml")
    as_list = crokit.loads(WEIGHTS_LIST.replace("[selection]\n", ""), SelectionSettings, "toml")
    assert as_table == as_list == SelectionSettings(weights=demo_scenario().selection.weights)
    assert crokit.loads('{"weights": {"crokit:technology": "1"}}', SelectionSettings, "json").weights == (
        ("crokit:technology", Decimal(1)),
    )


def test_weights_and_manual_scores_as_a_mapping_in_python() -> None:
    weights: dict[str, str | int] = {"crokit:technology": "1", "crokit:pricing-fit": 3}
    settings = SelectionSettings(weights=weights)
    assert settings.weights == (("crokit:technology", Decimal(1)), ("crokit:pricing-fit", Decimal(3)))
    candidate = Candidate(profile=demo_scenario().candidates[0].profile, manual_scores={"acme:rapport": "0.8"})
    ((criterion, score),) = candidate.manual_scores
    assert (criterion, str(score)) == ("acme:rapport", "0.8")


def test_a_bad_weight_in_a_table_is_located() -> None:
    with pytest.raises(ValidationError) as info:
        crokit.loads('[weights]\n"crokit:technology" = 1.5\n', SelectionSettings, "toml")
    assert info.value.problems[0].path.startswith("weights[0]")


def test_the_ceiling_is_written_once_in_the_example() -> None:
    assert TEXT.count("budget_ceiling]") == 1
    assert "within_budget_ceiling = true" in TEXT
    scenario = crokit.loads(TEXT, Scenario, "toml")
    assert scenario.selection.preferences.budget_ceiling == crokit.Money("1500000.00", "USD")


def test_a_file_cannot_ask_for_the_ceiling_constraint_without_a_ceiling() -> None:
    text = TEXT.replace('[selection.preferences.budget_ceiling]\namount = "1500000.00"\ncurrency = "USD"\n', "")
    with pytest.raises(ValidationError) as info:
        crokit.loads(text, Scenario, "toml")
    assert info.value.problems[0].path == "scenario.selection.constraints.within_budget_ceiling"


# Area aliases, as `crokit catalogue areas` lists them, are read as the area's id wherever
# an area id is written; every other id kind is checked as it is.

AREA_PLACES = [
    ('therapeutic_area = "crokit:rare-disease"', 'therapeutic_area = "{}"', "study.therapeutic_area"),
    (
        '{ area = "crokit:rare-disease", phase = "phase-2", studies = 4',
        '{{ area = "{}", phase = "phase-2", studies = 4',
        "area",
    ),
    ('specialisms = [\n    "crokit:rare-disease",\n]', 'specialisms = [\n    "{}",\n]', "specialisms"),
]


@pytest.mark.parametrize(("original", "template", "where"), AREA_PLACES, ids=[p[2] for p in AREA_PLACES])
@pytest.mark.parametrize("name", ["rare-disease", "Rare Diseases", "orphan"])
def test_area_aliases_are_read_as_the_id(original: str, template: str, where: str, name: str) -> None:
    registry = crokit.Registry.builtin()
    assert original in TEXT, where
    scenario = crokit.loads(TEXT.replace(original, template.format(name)), Scenario, "toml", registry=registry)
    assert scenario == demo_scenario()


def test_an_alias_of_each_area_reads_as_its_id() -> None:
    registry = crokit.Registry.builtin()
    for area in registry.areas:
        for alias in area.aliases:
            text = TEXT.replace('therapeutic_area = "crokit:rare-disease"', f'therapeutic_area = "{alias}"')
            study = crokit.loads(text, Scenario, "toml", registry=registry).study
            assert study.therapeutic_area == registry.area(alias).id


@pytest.mark.parametrize(
    ("original", "replacement", "path"),
    [
        (
            'therapeutic_area = "crokit:rare-disease"',
            'therapeutic_area = "rare diseases of the moon"',
            "scenario.study.therapeutic_area",
        ),
        (
            '    "crokit:biostatistics",\n    "crokit:on-site-monitoring",',
            '    "crokit:biostatistic",\n    "crokit:on-site-monitoring",',
            "scenario.study.required_services[2]",
        ),
        (
            '    "crokit:full-service",\n]',
            '    "crokit:full-servic",\n]',
            "scenario.candidates[0].profile.categories[0]",
        ),
        (
            '"crokit:team-experience",\n    "crokit:pricing-fit",\n]',
            '"crokit:team-experienc",\n    "crokit:pricing-fit",\n]',
            "scenario.selection.criteria[3]",
        ),
        (
            'question = "crokit:dd-named-team"',
            'question = "crokit:dd-named-tem"',
            "scenario.candidates[0].answers[1].question",
        ),
    ],
    ids=["area", "service", "category", "criterion", "question"],
)
def test_an_unknown_id_of_each_kind_is_refused_with_its_path(original: str, replacement: str, path: str) -> None:
    assert original in TEXT
    with pytest.raises((ValidationError, UnknownIdError)) as info:
        crokit.loads(TEXT.replace(original, replacement, 1), Scenario, "toml")
    error = info.value
    paths = [p.path for p in error.problems] if isinstance(error, ValidationError) else [getattr(error, "path", "")]
    assert path in paths
