"""Tests of crokit's built-in vocabulary data and the phase-code bridges."""

from __future__ import annotations

import csv
import enum
import importlib.resources
import itertools
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crokit.vocabulary
from crokit import Registry
from crokit.errors import CrokitError, FormatError, InputFileError, UnknownIdError, ValidationError
from crokit.testing import (
    cro_categories,
    engagement_models,
    questions,
    regulators,
    selection_criteria,
    services,
    submissions,
    therapeutic_areas,
)
from crokit.vocabulary.builtin import (
    BUILTIN_AREAS,
    BUILTIN_CATEGORIES,
    BUILTIN_ENGAGEMENT_MODELS,
    BUILTIN_REGULATORS,
    BUILTIN_SERVICES,
    BUILTIN_SUBMISSIONS,
)
from crokit.vocabulary.codes import (
    CTGOV_PHASES,
    NCI_PHASE_CODES,
    NCI_PHASE_LABELS,
    nci_code_for,
    stage_from_ctgov,
    stage_from_nci,
)
from crokit.vocabulary.ids import ID_PATTERN
from crokit.vocabulary.lifecycle import Stage
from crokit.vocabulary.loader import (
    _READERS,
    VOCABULARY_CLASSES,
    read_vocabulary,
    read_vocabulary_text,
    vocabulary_table,
)
from crokit.vocabulary.terms import (
    CroCategory,
    EngagementModel,
    Regulator,
    Service,
    Submission,
    TherapeuticArea,
    UnitBasis,
)

Entry = TherapeuticArea | CroCategory | EngagementModel | Regulator | Service | Submission

ALL_KINDS: dict[str, tuple[Entry, ...]] = {
    "area": BUILTIN_AREAS,
    "category": BUILTIN_CATEGORIES,
    "engagement-model": BUILTIN_ENGAGEMENT_MODELS,
    "regulator": BUILTIN_REGULATORS,
    "service": BUILTIN_SERVICES,
    "submission": BUILTIN_SUBMISSIONS,
}

SERVICES: dict[str, Service] = {service.id: service for service in BUILTIN_SERVICES}
CATEGORIES: dict[str, CroCategory] = {category.id: category for category in BUILTIN_CATEGORIES}
AREAS: dict[str, TherapeuticArea] = {area.id: area for area in BUILTIN_AREAS}
REGULATORS: dict[str, Regulator] = {regulator.id: regulator for regulator in BUILTIN_REGULATORS}
SUBMISSIONS: dict[str, Submission] = {submission.id: submission for submission in BUILTIN_SUBMISSIONS}
MODELS: dict[str, EngagementModel] = {model.id: model for model in BUILTIN_ENGAGEMENT_MODELS}

# The first-column names of the reference CSVs under /work/shared/data/reference/
# (bio-2016-phase-transition-rates.csv, bio-2021-phase-transition-rates.csv,
# sertkaya-2024-table1.csv), copied here because CI does not have that directory.
# "all" and "non-oncology" are aggregate groups, not areas, and are left out.
BIO_2016_AREAS = ("oncology", "solid-tumors", "hematologic-cancers")
BIO_2021_AREAS = (
    "hematology",
    "metabolic",
    "infectious-disease",
    "ophthalmology",
    "autoimmune-immunology",
    "gastroenterology",
    "respiratory",
    "psychiatry",
    "endocrine",
    "neurology",
    "oncology",
    "cardiovascular",
    "rare-disease",
)
SERTKAYA_2024_AREAS = (
    "anti-infective",
    "cardiovascular",
    "central-nervous-system",
    "dermatology",
    "endocrine",
    "gastrointestinal",
    "genitourinary",
    "hematology",
    "oncology",
    "respiratory",
    "ophthalmology",
    "pain-and-anesthesia",
    "immunomodulation",
)
SOURCE_AREA_NAMES = sorted({*BIO_2016_AREAS, *BIO_2021_AREAS, *SERTKAYA_2024_AREAS})
AGGREGATE_GROUPS = {"all", "non-oncology"}
REFERENCE_DIR = Path("/work/shared/data/reference")

REQUIRED_SERVICE_IDS = (
    "crokit:biostatistics",
    "crokit:patient-recruitment",
    "crokit:regulatory-submissions",
    "crokit:on-site-monitoring",
    "crokit:remote-monitoring",
    "crokit:risk-based-monitoring",
    "crokit:project-management",
    "crokit:data-management",
    "crokit:edc",
    "crokit:ecoa",
    "crokit:irt",
    "crokit:dct-tools",
    "crokit:central-lab",
    "crokit:medical-imaging",
    "crokit:medical-writing",
    "crokit:protocol-design",
    "crokit:site-feasibility",
    "crokit:site-selection",
    "crokit:site-start-up",
    "crokit:medical-monitoring",
    "crokit:statistical-programming",
    "crokit:clinical-study-report",
    "crokit:pharmacovigilance",
    "crokit:real-world-evidence",
    "crokit:toxicology",
    "crokit:animal-studies",
    "crokit:assay-development",
    "crokit:bioanalysis",
    "crokit:investigator-grants",
    "crokit:pass-through-expenses",
    "crokit:patient-retention",
    "crokit:regulatory-strategy",
)
REQUIRED_CATEGORY_IDS = (
    "crokit:full-service",
    "crokit:specialty",
    "crokit:preclinical",
    "crokit:clinical-operations",
    "crokit:post-market",
)
REQUIRED_AREA_IDS = (
    "crokit:oncology",
    "crokit:solid-tumors",
    "crokit:hematologic-cancers",
    "crokit:hematology",
    "crokit:infectious-disease",
    "crokit:gastroenterology",
    "crokit:immunology",
    "crokit:central-nervous-system",
    "crokit:neurology",
    "crokit:psychiatry",
    "crokit:rare-disease",
    "crokit:vaccines",
    "crokit:cell-and-gene-therapy",
    "crokit:medical-devices",
    "crokit:metabolic",
    "crokit:nephrology",
    "crokit:womens-health",
    "crokit:musculoskeletal",
    "crokit:pain-and-anesthesia",
    "crokit:dermatology",
    "crokit:genitourinary",
    "crokit:ophthalmology",
    "crokit:respiratory",
    "crokit:cardiovascular",
    "crokit:endocrine",
)
REQUIRED_REGULATOR_IDS = (
    "crokit:fda",
    "crokit:ema",
    "crokit:mhra",
    "crokit:pmda",
    "crokit:health-canada",
    "crokit:nmpa",
    "crokit:tga",
    "crokit:swissmedic",
    "crokit:anvisa",
    "crokit:cdsco",
)
EU_27 = {
    *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
    *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
}


def _names(area: TherapeuticArea) -> set[str]:
    """The lower-cased names an area answers to: its id's local part and its aliases."""
    return {area.id.rpartition(":")[2].lower(), *(alias.lower() for alias in area.aliases)}


def _resolve(name: str) -> list[str]:
    return [area.id for area in BUILTIN_AREAS if name.lower() in _names(area)]


# --- ids --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(ALL_KINDS))
def test_ids_are_unique_and_well_formed(kind: str) -> None:
    entries = ALL_KINDS[kind]
    ids = [entry.id for entry in entries]
    assert len(ids) == len(set(ids)), f"duplicate {kind} ids"
    for entry_id in ids:
        assert ID_PATTERN.match(entry_id), entry_id
        assert entry_id.startswith("crokit:"), entry_id


@pytest.mark.parametrize("kind", sorted(ALL_KINDS))
def test_constants_are_tuples_of_their_entry_class(kind: str) -> None:
    entries = ALL_KINDS[kind]
    assert isinstance(entries, tuple)
    assert entries
    assert all(entry.registry_kind == kind for entry in entries)


@pytest.mark.parametrize(
    ("required", "present"),
    [
        (REQUIRED_SERVICE_IDS, SERVICES),
        (REQUIRED_CATEGORY_IDS, CATEGORIES),
        (REQUIRED_AREA_IDS, AREAS),
        (REQUIRED_REGULATOR_IDS, REGULATORS),
    ],
    ids=["services", "categories", "areas", "regulators"],
)
def test_required_ids_exist(required: tuple[str, ...], present: dict[str, object]) -> None:
    missing = [item for item in required if item not in present]
    assert not missing


def test_categories_are_exactly_the_five() -> None:
    assert set(CATEGORIES) == set(REQUIRED_CATEGORY_IDS)


# --- services and categories ------------------------------------------------------------


def test_at_least_35_services() -> None:
    assert len(BUILTIN_SERVICES) >= 35


@pytest.mark.parametrize("service", BUILTIN_SERVICES, ids=lambda s: s.id)
def test_service_is_complete(service: Service) -> None:
    assert service.stages
    assert service.categories
    assert service.unit_bases
    assert all(category in CATEGORIES for category in service.categories)
    assert service.description.strip().endswith(".")


def test_services_and_categories_agree_both_ways() -> None:
    for service in BUILTIN_SERVICES:
        for category_id in service.categories:
            assert service.id in CATEGORIES[category_id].typical_services, (service.id, category_id)
    for category in BUILTIN_CATEGORIES:
        assert category.typical_services
        for service_id in category.typical_services:
            assert service_id in SERVICES, (category.id, service_id)
            assert category.id in SERVICES[service_id].categories, (category.id, service_id)


def test_category_focus_areas_exist() -> None:
    for category in BUILTIN_CATEGORIES:
        for area_id in category.focus_areas:
            assert area_id in AREAS, (category.id, area_id)


def test_specialty_focus() -> None:
    specialty = CATEGORIES["crokit:specialty"]
    assert {"crokit:oncology", "crokit:rare-disease", "crokit:cell-and-gene-therapy"} <= set(specialty.focus_areas)
    # Medical imaging is a service a specialty CRO sells, not a therapeutic area.
    assert "crokit:medical-imaging" in specialty.typical_services
    assert "crokit:medical-imaging" not in AREAS


def test_category_stages() -> None:
    assert CATEGORIES["crokit:preclinical"].stages == {Stage.DISCOVERY, Stage.PRECLINICAL}
    assert {Stage.PHASE_1, Stage.PHASE_2, Stage.PHASE_3, Stage.PHASE_4} <= CATEGORIES["crokit:full-service"].stages
    assert Stage.PHASE_4 in CATEGORIES["crokit:post-market"].stages
    assert Stage.PRECLINICAL not in CATEGORIES["crokit:clinical-operations"].stages


@pytest.mark.parametrize(
    ("service_id", "expected"),
    [
        ("crokit:on-site-monitoring", {UnitBasis.PER_MONITORING_VISIT, UnitBasis.PER_ACTIVE_SITE_MONTH}),
        ("crokit:data-management", {UnitBasis.PER_PAGE, UnitBasis.PER_MONTH, UnitBasis.PER_FTE_MONTH}),
        ("crokit:biostatistics", {UnitBasis.PER_TABLE, UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH}),
        ("crokit:investigator-grants", {UnitBasis.PASS_THROUGH, UnitBasis.PER_PATIENT_VISIT}),
        ("crokit:project-management", {UnitBasis.PER_MONTH, UnitBasis.PER_FTE_MONTH}),
        ("crokit:regulatory-submissions", {UnitBasis.PER_COUNTRY, UnitBasis.PER_STUDY}),
        ("crokit:central-lab", {UnitBasis.PER_SAMPLE, UnitBasis.PASS_THROUGH}),
        ("crokit:pass-through-expenses", {UnitBasis.PASS_THROUGH}),
    ],
)
def test_usual_unit_bases(service_id: str, expected: set[UnitBasis]) -> None:
    assert expected <= SERVICES[service_id].unit_bases


def test_service_stages() -> None:
    assert SERVICES["crokit:toxicology"].stages == {Stage.PRECLINICAL}
    clinical = {stage for stage in Stage if stage.is_clinical}
    for service_id in ("crokit:on-site-monitoring", "crokit:remote-monitoring", "crokit:risk-based-monitoring"):
        assert SERVICES[service_id].stages == clinical
    assert Stage.PHASE_4 in SERVICES["crokit:real-world-evidence"].stages
    assert not SERVICES["crokit:animal-studies"].stages & clinical


# --- therapeutic areas ------------------------------------------------------------------


@pytest.mark.parametrize("name", SOURCE_AREA_NAMES)
def test_every_source_area_resolves_to_one_area(name: str) -> None:
    assert len(_resolve(name)) == 1, (name, _resolve(name))


@pytest.mark.parametrize(
    ("name", "area_id"),
    [
        ("anti-infective", "crokit:infectious-disease"),
        ("infectious-disease", "crokit:infectious-disease"),
        ("Infectious Disease", "crokit:infectious-disease"),
        ("gastrointestinal", "crokit:gastroenterology"),
        ("autoimmune-immunology", "crokit:immunology"),
        ("immunomodulation", "crokit:immunology"),
        ("CNS", "crokit:central-nervous-system"),
        ("Oncology", "crokit:oncology"),
        ("hematology", "crokit:hematology"),
        ("solid-tumors", "crokit:solid-tumors"),
        ("hematologic-cancers", "crokit:hematologic-cancers"),
    ],
)
def test_source_names_map_to_canonical_area(name: str, area_id: str) -> None:
    assert _resolve(name) == [area_id]


def test_csv_spellings_are_listed_as_aliases() -> None:
    for name in SOURCE_AREA_NAMES:
        (area_id,) = _resolve(name)
        assert name in AREAS[area_id].aliases, name


def test_aggregate_groups_are_not_areas() -> None:
    for group in AGGREGATE_GROUPS:
        assert _resolve(group) == []


@pytest.mark.skipif(not REFERENCE_DIR.is_dir(), reason="shared reference data not available")
def test_copied_area_names_match_the_reference_files() -> None:
    files = {
        "bio-2016-phase-transition-rates.csv": BIO_2016_AREAS,
        "bio-2021-phase-transition-rates.csv": BIO_2021_AREAS,
        "sertkaya-2024-table1.csv": SERTKAYA_2024_AREAS,
    }
    for file_name, copied in files.items():
        with (REFERENCE_DIR / file_name).open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))[1:]
        names = {row[0] for row in rows if row} - AGGREGATE_GROUPS
        assert names == set(copied), file_name


def test_aliases_do_not_collide_across_areas() -> None:
    for first, second in itertools.combinations(BUILTIN_AREAS, 2):
        shared = _names(first) & _names(second)
        assert not shared, (first.id, second.id, shared)


def test_aliases_are_not_repeated_within_an_area() -> None:
    for area in BUILTIN_AREAS:
        lowered = [alias.lower() for alias in area.aliases]
        assert len(lowered) == len(set(lowered)), area.id
        assert all(alias.strip() == alias and alias for alias in area.aliases), area.id


def test_area_parents() -> None:
    for area in BUILTIN_AREAS:
        if area.parent is not None:
            assert area.parent in AREAS, area.id
            assert AREAS[area.parent].parent is None, "areas nest one level deep"
    assert AREAS["crokit:neurology"].parent == "crokit:central-nervous-system"
    assert AREAS["crokit:psychiatry"].parent == "crokit:central-nervous-system"
    assert AREAS["crokit:solid-tumors"].parent == "crokit:oncology"
    assert AREAS["crokit:hematologic-cancers"].parent == "crokit:oncology"
    assert AREAS["crokit:hematology"].parent is None


# --- regulators, submissions, engagement models ------------------------------------------


def test_regulator_jurisdictions() -> None:
    for regulator in BUILTIN_REGULATORS:
        assert regulator.jurisdiction, regulator.id
        assert len(set(regulator.jurisdiction)) == len(regulator.jurisdiction), regulator.id
        assert all(len(code) == 2 and code.isascii() and code.isupper() for code in regulator.jurisdiction)
    assert set(REGULATORS["crokit:ema"].jurisdiction) == EU_27 | {"IS", "LI", "NO"}
    assert len(REGULATORS["crokit:ema"].jurisdiction) == 30
    expected = {
        "crokit:fda": "US",
        "crokit:mhra": "GB",
        "crokit:pmda": "JP",
        "crokit:health-canada": "CA",
        "crokit:nmpa": "CN",
        "crokit:tga": "AU",
        "crokit:swissmedic": "CH",
        "crokit:anvisa": "BR",
        "crokit:cdsco": "IN",
    }
    for regulator_id, country in expected.items():
        assert REGULATORS[regulator_id].jurisdiction == (country,)
    assert REGULATORS["crokit:pmda"].name == "Pharmaceuticals and Medical Devices Agency"


def test_submission_regulators_exist() -> None:
    for submission in BUILTIN_SUBMISSIONS:
        assert submission.regulators, submission.id
        for regulator_id in submission.regulators:
            assert regulator_id in REGULATORS, (submission.id, regulator_id)


@pytest.mark.parametrize(
    ("submission_id", "regulators", "gates"),
    [
        ("crokit:ind", {"crokit:fda"}, Stage.PHASE_1),
        ("crokit:cta", {"crokit:ema", "crokit:mhra", "crokit:health-canada"}, Stage.PHASE_1),
        ("crokit:ctn", {"crokit:tga"}, Stage.PHASE_1),
        ("crokit:nda", {"crokit:fda"}, Stage.APPROVAL),
        ("crokit:bla", {"crokit:fda"}, Stage.APPROVAL),
        ("crokit:maa", {"crokit:ema", "crokit:mhra"}, Stage.APPROVAL),
        ("crokit:j-nda", {"crokit:pmda"}, Stage.APPROVAL),
        ("crokit:nds", {"crokit:health-canada"}, Stage.APPROVAL),
    ],
)
def test_submissions(submission_id: str, regulators: set[str], gates: Stage) -> None:
    submission = SUBMISSIONS[submission_id]
    assert set(submission.regulators) == regulators
    assert submission.gates is gates


def test_engagement_models() -> None:
    assert set(MODELS) == {
        "crokit:fso",
        "crokit:fsp",
        "crokit:fsp-functional",
        "crokit:fsp-staff-augmentation",
        "crokit:hybrid",
    }
    assert MODELS["crokit:fso"].parent is None
    assert MODELS["crokit:fsp"].parent is None
    assert MODELS["crokit:hybrid"].parent is None
    assert MODELS["crokit:fsp-functional"].parent == "crokit:fsp"
    assert MODELS["crokit:fsp-staff-augmentation"].parent == "crokit:fsp"
    for model in BUILTIN_ENGAGEMENT_MODELS:
        assert "risk" in model.description, model.id


# --- NCI codes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "stage"),
    [
        ("C54721", Stage.PHASE_1),
        ("C15600", Stage.PHASE_1),
        ("C15693", Stage.PHASE_1_2),
        ("C15601", Stage.PHASE_2),
        ("C49686", Stage.PHASE_2),
        ("C49688", Stage.PHASE_2),
        ("C15694", Stage.PHASE_2_3),
        ("C15602", Stage.PHASE_3),
        ("C49687", Stage.PHASE_3),
        ("C49689", Stage.PHASE_3),
        ("C15603", Stage.PHASE_4),
    ],
)
def test_stage_from_nci(code: str, stage: Stage) -> None:
    assert NCI_PHASE_CODES[code] is stage
    assert stage_from_nci(code) is stage


def test_nci_labels_cover_the_codes() -> None:
    assert set(NCI_PHASE_LABELS) == set(NCI_PHASE_CODES)
    assert NCI_PHASE_LABELS["C54721"] == "Early Phase 1"
    assert NCI_PHASE_LABELS["C49686"] == "Phase 2a"
    assert len(NCI_PHASE_CODES) == 11


def test_nci_mappings_are_read_only() -> None:
    with pytest.raises(TypeError):
        NCI_PHASE_CODES["C00000"] = Stage.PHASE_1  # type: ignore[index]
    with pytest.raises(TypeError):
        CTGOV_PHASES["PHASE5"] = None  # type: ignore[index]


def test_stage_from_nci_unknown_code() -> None:
    with pytest.raises(UnknownIdError) as caught:
        stage_from_nci("C15604", path="trial.phase")
    error = caught.value
    assert isinstance(error, KeyError)
    assert isinstance(error, CrokitError)
    assert error.id == "C15604"
    assert "trial.phase" in str(error)
    assert "NCI phase code" in str(error)
    assert "C15603" in error.suggestions or "C15600" in error.suggestions


def test_stage_from_nci_default_path() -> None:
    with pytest.raises(UnknownIdError, match="phase"):
        stage_from_nci("phase 2")


@pytest.mark.parametrize("stage", [stage for stage in Stage if stage.is_clinical])
def test_nci_code_for_round_trips(stage: Stage) -> None:
    code = nci_code_for(stage)
    assert stage_from_nci(code) is stage


def test_nci_code_for_main_codes() -> None:
    assert nci_code_for(Stage.PHASE_1) == "C15600"
    assert nci_code_for(Stage.PHASE_2) == "C15601"
    assert nci_code_for(Stage.PHASE_3) == "C15602"
    assert nci_code_for(Stage.PHASE_4) == "C15603"


@pytest.mark.parametrize("stage", [stage for stage in Stage if not stage.is_clinical])
def test_nci_code_for_non_clinical_stage(stage: Stage) -> None:
    with pytest.raises(ValidationError) as caught:
        nci_code_for(stage)
    assert isinstance(caught.value, CrokitError)
    assert isinstance(caught.value, ValueError)
    assert caught.value.problems[0].path == "stage"


# --- ClinicalTrials.gov phases ----------------------------------------------------------


def test_ctgov_phase_values() -> None:
    assert set(CTGOV_PHASES) == {"EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4", "NA"}
    assert CTGOV_PHASES["NA"] is None


@pytest.mark.parametrize(
    ("phases", "stage"),
    [
        (["EARLY_PHASE1"], Stage.PHASE_1),
        (["PHASE1"], Stage.PHASE_1),
        (["PHASE2"], Stage.PHASE_2),
        (["PHASE3"], Stage.PHASE_3),
        (["PHASE4"], Stage.PHASE_4),
        (["PHASE1", "PHASE2"], Stage.PHASE_1_2),
        (["PHASE2", "PHASE1"], Stage.PHASE_1_2),
        (["PHASE2", "PHASE3"], Stage.PHASE_2_3),
        (("PHASE3", "PHASE2"), Stage.PHASE_2_3),
        (["PHASE2", "PHASE2"], Stage.PHASE_2),
        (["phase1", "Phase2"], Stage.PHASE_1_2),
        (["NA"], None),
        ([], None),
    ],
)
def test_stage_from_ctgov(phases: list[str], stage: Stage | None) -> None:
    assert stage_from_ctgov(phases) is stage


def test_stage_from_ctgov_unknown_value() -> None:
    with pytest.raises(UnknownIdError) as caught:
        stage_from_ctgov(["PHASE2", "PHASE5"])
    error = caught.value
    assert isinstance(error, KeyError)
    assert isinstance(error, CrokitError)
    assert error.path == "phases[1]"
    assert "phases[1]" in str(error)


def test_stage_from_ctgov_unknown_value_custom_path() -> None:
    with pytest.raises(UnknownIdError, match=r"study\.phases\[0\]"):
        stage_from_ctgov(["PHASE 2"], path="study.phases")


@pytest.mark.parametrize(
    "phases",
    [
        ["PHASE1", "PHASE3"],
        ["PHASE3", "PHASE4"],
        ["PHASE1", "PHASE2", "PHASE3"],
        ["NA", "PHASE2"],
        ["EARLY_PHASE1", "PHASE1"],
    ],
)
def test_stage_from_ctgov_combinations_not_understood(phases: list[str]) -> None:
    with pytest.raises(ValidationError) as caught:
        stage_from_ctgov(phases, path="trial.phases")
    error = caught.value
    assert isinstance(error, CrokitError)
    assert error.problems[0].path == "trial.phases"
    assert "PHASE1" in str(error)
    assert "PHASE3" in str(error)


def test_stage_from_ctgov_refuses_a_bare_string() -> None:
    with pytest.raises(ValidationError, match="list of phases"):
        stage_from_ctgov("PHASE2")


# --- the vocabulary as data ----------------------------------------------------------------

SNAPSHOT = Path(__file__).resolve().parent / "data" / "registry_builtin_snapshot.json"
"""``Registry.builtin()`` as it was when the vocabulary was Python literals, dumped with
:func:`_snapshot` before the literals became TOML files. After a deliberate change to
``src/crokit/vocabulary/data/*.toml``, rewrite it from the repository root with
``PYTHONPATH=src python -c "import tests.test_vocabulary_data as t; t.write_snapshot()"``
and review the diff."""
DATA = importlib.resources.files("crokit.vocabulary") / "data"
KIND_FILES = {
    "area": "areas.toml",
    "category": "categories.toml",
    "criterion": "criteria.toml",
    "engagement-model": "engagement-models.toml",
    "obligation": "obligations.toml",
    "question": "questions.toml",
    "regulator": "regulators.toml",
    "service": "services.toml",
    "submission": "submissions.toml",
}


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, Decimal):
        return repr(value)
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, frozenset):
        return {"frozenset": sorted(str(_plain(item)) for item in value)}
    if value is None or isinstance(value, str):
        return value
    raise TypeError(value)


def _fields(entry: Any) -> tuple[attrs.Attribute[Any], ...]:
    return tuple(attrs.fields(type(entry)))


def _snapshot(registry: Registry) -> dict[str, list[dict[str, object]]]:
    """Every entry of every kind, in order, with its class and each field's type visible."""
    return {
        kind: [
            {
                "type": type(entry).__name__,
                **{f.name: _plain(getattr(entry, f.name)) for f in _fields(entry)},
            }
            for entry in registry.all(kind)
        ]
        for kind in registry.kinds()
    }


def write_snapshot() -> None:
    """Rewrite :data:`SNAPSHOT` from the current built-in vocabulary (see its docstring)."""
    text = json.dumps(_snapshot(Registry.builtin()), indent=1, ensure_ascii=False)
    SNAPSHOT.write_text(text + "\n", encoding="utf-8")


def test_builtin_registry_equals_the_python_literals_it_replaces():
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert _snapshot(Registry.builtin()) == expected


def test_the_snapshot_sees_a_changed_value():
    changed = Registry.builtin().with_entries(
        attrs.evolve(Registry.builtin().question("crokit:dd-team-turnover"), zero_at=Decimal("0.40")), replace=True
    )
    assert _snapshot(changed) != json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_builtins_are_read_through_the_extension_path():
    assert Registry.empty().with_vocabulary(DATA) == Registry.builtin()
    folder = Path(str(DATA))
    assert Registry.empty().with_vocabulary(folder) == Registry.builtin()
    assert Registry.empty().with_vocabulary(str(folder)) == Registry.builtin()


def test_one_file_per_kind():
    names = {item.name for item in DATA.iterdir() if item.name.endswith(".toml")}
    assert names == set(KIND_FILES.values())
    for kind, name in KIND_FILES.items():
        entries = read_vocabulary_text((DATA / name).read_text(encoding="utf-8"), source=name)
        assert {entry.registry_kind for entry in entries} == {kind}
        assert entries == Registry.builtin().all(kind)


def test_builtin_constants_are_the_registry_kinds():
    registry = Registry.builtin()
    for kind, entries in ALL_KINDS.items():
        assert entries == registry.all(kind)
    assert registry.criteria == crokit.vocabulary.BUILTIN_CRITERIA
    assert registry.questions == crokit.vocabulary.BUILTIN_QUESTIONS
    with pytest.raises(AttributeError):
        _ = crokit.vocabulary.BUILTIN_NOTHING


def test_every_entry_field_has_a_reader():
    for cls in VOCABULARY_CLASSES.values():
        assert set(_READERS[cls]) == {field.name for field in attrs.fields(cls)}


def _round_trip(entry: Any) -> Any:
    tomli_w = pytest.importorskip("tomli_w")
    text = tomli_w.dumps({entry.registry_kind: [vocabulary_table(entry)]})
    (read,) = read_vocabulary_text(text, source="round-trip.toml")
    return read


def test_every_builtin_entry_round_trips_through_its_table():
    for kind in Registry.builtin().kinds():
        for entry in Registry.builtin().all(kind):
            assert _round_trip(entry) == entry


_ANY_ENTRY = st.one_of(
    services(),
    cro_categories(),
    therapeutic_areas(),
    regulators(),
    submissions(),
    engagement_models(),
    selection_criteria(),
    questions(),
)


@given(_ANY_ENTRY)
def test_any_entry_round_trips_through_a_vocabulary_file(entry):
    assert _round_trip(entry) == entry


def test_vocabulary_table_refuses_what_is_not_an_entry():
    with pytest.raises(ValidationError, match="expected an entry of a vocabulary kind"):
        vocabulary_table("crokit:edc")


AREA = '[[area]]\nid = "acme:a"\nname = "A"\n'
SERVICE = '[[service]]\nid = "acme:s"\nname = "S"\ndescription = "D"\nstages = ["phase-1"]\n'
NUMBER_QUESTION = (
    '[[question]]\nid = "acme:q"\ntext = "How many?"\ncriterion = "crokit:technology"\n'
    'answer_type = "number"\nbetter = "higher"\nzero_at = "0"\none_at = "5"\n'
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[servise]]\nid = "acme:a"\n', "example.toml: servise: unknown kind of entry; did you mean 'service'?"),
        ("service = 3\n", "example.toml: service: expected an array of tables written [[service]], got 3"),
        ("area = [1]\n", "example.toml: area[0]: expected a table of fields, got 1"),
        (AREA + 'nmae = "B"\n', "example.toml: area[0] (acme:a).nmae: unknown key for a area; did you mean 'name'?"),
        ('[[area]]\nid = "acme:a"\n', "example.toml: area[0] (acme:a): missing key 'name'"),
        (AREA + 'aliases = "a"\n', "example.toml: area[0] (acme:a).aliases: expected a list, got 'a'"),
        (AREA + "aliases = [1]\n", "example.toml: area[0] (acme:a).aliases[0]: expected text, got 1"),
        ('[[area]]\nid = "Acme A"\nname = "A"\n', "example.toml: area[0] (Acme A).id: expected a namespaced id"),
        (AREA.replace('"A"', '"  "'), "example.toml: area[0] (acme:a).name: expected a non-empty text, got '  '"),
        (
            NUMBER_QUESTION + "weight = 0.5\n",
            "example.toml: question[0] (acme:q).weight: expected a decimal number written as text (like '0.5')",
        ),
        (NUMBER_QUESTION + 'weight = "heavy"\n', "example.toml: question[0] (acme:q).weight: invalid amount 'heavy'"),
        (NUMBER_QUESTION + 'weight = "0"\n', "example.toml: question[0] (acme:q).weight: expected a weight above 0"),
        (
            NUMBER_QUESTION.replace('"higher"', '"yes"'),
            "example.toml: question[0] (acme:q).better: a number question needs better = 'higher' or 'lower'",
        ),
        (
            NUMBER_QUESTION.replace('"number"', '"numeric"'),
            (
                "example.toml: question[0] (acme:q).answer_type: expected one of 'yes-no', 'scale-1-5', 'number', "
                "'text', got 'numeric'; did you mean 'number'?"
            ),
        ),
        (
            '[[submission]]\nid = "acme:s"\nname = "S"\nshort_name = "S"\nregulators = ["crokit:fda"]\ngates = 1\n',
            "example.toml: submission[0] (acme:s).gates: expected one of 'discovery', ",
        ),
        (
            SERVICE.replace('["phase-1"]', '["phase-1", "phase-1"]'),
            "example.toml: service[0] (acme:s).stages[1]: lists 'phase-1' twice",
        ),
        (
            SERVICE + 'unit_bases = ["per-visit"]\n',
            "example.toml: service[0] (acme:s).unit_bases[0]: expected one of 'per-study', ",
        ),
    ],
)
def test_malformed_data_names_the_file_key_path_and_value(text, message):
    with pytest.raises(ValidationError) as info:
        read_vocabulary_text(text, source="example.toml")
    assert message in str(info.value)
    assert isinstance(info.value, CrokitError)


def test_a_rejected_value_is_never_listed_as_allowed():
    with pytest.raises(ValidationError) as info:
        read_vocabulary_text(NUMBER_QUESTION.replace('"higher"', '"best"'), source="example.toml")
    allowed = str(info.value).split("expected one of ")[1].split(", got")[0]
    assert "'best'" not in allowed


def test_every_problem_is_reported_at_once():
    text = AREA + 'nmae = "B"\n[[area]]\nid = "acme:b"\n[[area]]\nid = "acme:c"\nname = "C"\nparent = 7\n'
    with pytest.raises(ValidationError) as info:
        read_vocabulary_text(text, source="example.toml")
    assert [p.path for p in info.value.problems] == [
        "example.toml: area[0] (acme:a).nmae",
        "example.toml: area[1] (acme:b)",
        "example.toml: area[2] (acme:c).parent",
    ]


def test_invalid_toml_names_the_file_and_line():
    with pytest.raises(FormatError, match=r"example\.toml: invalid TOML: .*line 2"):
        read_vocabulary_text('[[area]]\nid = "acme:a\n', source="example.toml")


def test_a_folder_is_read_in_name_order_with_file_names_in_errors(tmp_path):
    (tmp_path / "b.toml").write_text(AREA.replace("acme:a", "acme:b"))
    (tmp_path / "a.toml").write_text(AREA)
    (tmp_path / "README.md").write_text("not vocabulary")
    assert [entry.id for entry in read_vocabulary(tmp_path)] == ["acme:a", "acme:b"]
    (tmp_path / "c.toml").write_text(AREA + "parent = 7\n")
    with pytest.raises(ValidationError, match=r"acme-data/c\.toml: area\[0\] \(acme:a\)\.parent: .*got 7"):
        read_vocabulary(tmp_path, label="acme-data")


def test_duplicate_ids_name_both_places(tmp_path):
    (tmp_path / "a.toml").write_text(AREA)
    (tmp_path / "b.toml").write_text(AREA)
    with pytest.raises(
        ValidationError, match=r"b\.toml: area\[0\]\.id: 'acme:a' is already given at .*a\.toml: area\[0\]"
    ):
        Registry.empty().with_vocabulary(tmp_path)
    assert len(Registry.empty().with_vocabulary(tmp_path, replace=True).areas) == 1
    (tmp_path / "b.toml").unlink()
    (tmp_path / "a.toml").write_text(AREA.replace("acme:a", "crokit:oncology"))
    with pytest.raises(ValidationError, match="'crokit:oncology' is already in the registry"):
        Registry.builtin().with_vocabulary(tmp_path)


def test_a_file_that_is_not_utf8_is_a_format_error(tmp_path):
    (tmp_path / "a.toml").write_bytes(b'[[area]]\nid = "acme:a"\nname = "\xff"\n')
    with pytest.raises(FormatError, match=r"acme/a\.toml: invalid TOML: not UTF-8 text"):
        read_vocabulary(tmp_path, label="acme")


def test_a_source_that_is_not_a_folder_is_refused(tmp_path):
    (tmp_path / "a.toml").write_text(AREA)
    with pytest.raises(InputFileError, match=r"expected a folder of vocabulary \.toml files"):
        read_vocabulary(tmp_path / "a.toml")


@pytest.mark.slow
def test_the_wheel_ships_the_data_and_reads_it_from_the_zip(tmp_path):
    import os
    import subprocess
    import sys
    import zipfile

    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            str(root),
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("crokit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"crokit/vocabulary/data/{name}" for name in KIND_FILES.values()} <= names
    # A wheel is a zip that Python can import from: the data must load from inside it.
    code = (
        "import json, sys, crokit; from crokit import Registry; r = Registry.builtin();"
        "print(crokit.__file__.startswith(sys.argv[1]), json.dumps({k: len(r.all(k)) for k in r.kinds()}))"
    )
    environment = {**os.environ, "PYTHONPATH": str(wheel), "CROKIT_NO_EXTENSIONS": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code, str(wheel)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    inside, counts = result.stdout.split(" ", 1)
    assert inside == "True"
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert json.loads(counts) == {kind: len(entries) for kind, entries in expected.items()}
