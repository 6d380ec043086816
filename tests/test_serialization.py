"""Serialization: lossless round trips through JSON, TOML and YAML, and precise errors."""

from __future__ import annotations

import contextlib
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crokit
from crokit import (
    CrokitError,
    CroProfile,
    FormatError,
    FxTable,
    InputFileError,
    Money,
    SchemaVersionError,
    Stage,
    Study,
    ValidationError,
    Visit,
)
from crokit.serialization import (
    DOCUMENTS,
    FORMATS,
    DocumentSpec,
    dump,
    dumps,
    load,
    loads,
    parse,
    structure,
    unstructure,
)
from crokit.testing import (
    cro_categories,
    cro_profiles,
    engagement_models,
    fx_rates,
    fx_tables,
    money,
    regulators,
    services,
    studies,
    submissions,
    therapeutic_areas,
    visits,
)

MODELS = [
    (Money, money()),
    (crokit.FxRate, fx_rates()),
    (FxTable, fx_tables()),
    (Visit, visits()),
    (Study, studies()),
    (CroProfile, cro_profiles()),
    (crokit.Service, services()),
    (crokit.CroCategory, cro_categories()),
    (crokit.TherapeuticArea, therapeutic_areas()),
    (crokit.Regulator, regulators()),
    (crokit.Submission, submissions()),
    (crokit.EngagementModel, engagement_models()),
]


def example_study(**changes: object) -> Study:
    fields: dict[str, object] = {
        "name": "RD-201",
        "phase": Stage.PHASE_2,
        "therapeutic_area": "crokit:rare-disease",
        "indication": "Fabry disease",
        "planned_patients": 60,
        "sites": 12,
        "countries": ("US", "DEU", "GB"),
        "start_date": date(2027, 1, 4),
        "currency": "USD",
        "screen_failure_rate": "0.25",
        "dropout_rate": "0.10",
        "visits": (
            Visit(id="screening", name="Screening", day=-14, kind=crokit.VisitKind.SCREENING, crf_pages=12),
            Visit(id="week-4", name="Week 4", day=28, window_days=3, crf_pages=8, procedures=("ECG", "labs")),
        ),
        "required_services": ("crokit:biostatistics", "crokit:patient-recruitment"),
    }
    fields.update(changes)
    return Study(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", FORMATS)
def test_example_study_round_trips(fmt, registry):
    study = example_study()
    assert loads(dumps(study, fmt, registry=registry), Study, fmt, registry=registry) == study


@pytest.mark.parametrize(("cls", "strategy"), MODELS, ids=[cls.__name__ for cls, _ in MODELS])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_model_round_trips(cls, strategy, fmt, registry):
    @given(strategy)
    def check(value):
        text = dumps(value, fmt, registry=registry) if fmt != "toml" or isinstance(value, object) else ""
        back = loads(text, cls, fmt, registry=registry)
        assert back == value
        assert dumps(back, fmt, registry=registry) == text

    check()


def test_decimals_are_strings_in_json(registry):
    data = json.loads(dumps(Money("0.10", "USD"), registry=registry))
    assert data == {"amount": "0.10", "currency": "USD"}


def test_documents_carry_their_schema_version(registry):
    data = json.loads(dumps(example_study(), registry=registry))
    assert data["schema_version"] == DOCUMENTS[Study].version
    assert next(iter(data)) == "schema_version"


def test_toml_study_with_every_problem_listed_by_path(registry):
    text = dumps(example_study(), "toml", registry=registry)
    text = text.replace('screen_failure_rate = "0.25"', "screen_failure_rate = 0.25")
    text = text.replace("sites = 12", "sites = -3")
    text = text.replace("indication =", "indicaton =")
    with pytest.raises(ValidationError) as info:
        loads(text, Study, "toml", registry=registry)
    paths = {p.path: p.message for p in info.value.problems}
    assert "study.screen_failure_rate" in paths
    assert "float" in paths["study.screen_failure_rate"]
    assert paths["study.sites"] == "expected a whole number from 1 to 100000, got -3"
    assert "did you mean 'indication'" in paths["study.indicaton"]
    assert paths["study.indication"] == "missing required key"
    assert "study.sites: expected a whole number from 1 to 100000, got -3" in str(info.value)


def test_unknown_ids_suggest_close_matches(registry):
    data = json.loads(dumps(example_study(), registry=registry))
    data["required_services"] = ["crokit:biostatistic"]
    data["countries"] = ["us"]
    with pytest.raises(ValidationError) as info:
        structure(data, Study, registry=registry)
    text = str(info.value)
    assert (
        "study.required_services[0]: unknown service 'crokit:biostatistic'; did you mean 'crokit:biostatistics'" in text
    )
    assert "study.countries[0]: unknown country 'us'; did you mean 'US'?" in text


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("planned_patients", "60", "expected a whole number"),
        ("planned_patients", True, "expected a whole number"),
        ("name", 3, "expected text"),
        ("start_date", "2027-13-01", "expected a date"),
        ("start_date", "2027-01-04T10:00:00", "expected a date"),
        ("phase", "phase-9", "expected one of"),
        ("countries", "US", "expected a list"),
        ("visits", [{"id": "a"}], "missing required key"),
        ("dropout_rate", "1.5", "is not a fraction between 0 and 1; did you mean 0.015"),
        ("dropout_rate", "NaN", "finite"),
        ("dropout_rate", [], "expected a decimal"),
        ("currency", "usd", "did you mean 'USD'"),
        ("planned_patients", 10**40, "at most 15 digits"),
        ("complexity", None, "expected one of"),
    ],
)
def test_wrong_values_are_located(key, value, expected, registry):
    data = json.loads(dumps(example_study(), registry=registry))
    data[key] = value
    with pytest.raises(ValidationError, match=expected) as info:
        structure(data, Study, registry=registry)
    assert any(p.path.startswith(f"study.{key}") for p in info.value.problems)


def test_cross_field_rules_are_reported(registry):
    data = json.loads(dumps(example_study(), registry=registry))
    data["end_date"] = "2026-01-01"
    with pytest.raises(ValidationError, match=r"study\.end_date: expected a date after start_date"):
        structure(data, Study, registry=registry)


def test_yaml_keeps_norway_a_string_and_floats_exact(registry):
    text = dumps(example_study(countries=("NO", "SE")), "yaml", registry=registry)
    assert loads(text, Study, "yaml", registry=registry).countries == ("NO", "SE")
    handwritten = text.replace("'NO'", "NO")
    assert "- NO\n" in handwritten
    assert loads(handwritten, Study, "yaml", registry=registry).countries == ("NO", "SE")
    with pytest.raises(ValidationError, match="unknown country 'ON'"):
        loads(handwritten.replace("- NO\n", "- ON\n"), Study, "yaml", registry=registry)
    assert parse("a: 0.10\nb: NO\nc: yes\nd: true", "yaml") == {"a": "0.10", "b": "NO", "c": "yes", "d": True}


def test_float_literals_are_kept_as_text_not_binary_floats():
    parsed = parse('{"a": 0.1}', "json")
    assert isinstance(parsed, dict)
    assert parsed["a"] == "0.1"
    assert not isinstance(parsed["a"], float)


@pytest.mark.parametrize("fmt", FORMATS)
def test_floats_in_any_format_are_refused_for_money(fmt, registry):
    text = {
        "json": '{"amount": 0.1, "currency": "USD"}',
        "toml": 'amount = 0.1\ncurrency = "USD"',
        "yaml": "amount: 0.1\ncurrency: USD",
    }[fmt]
    with pytest.raises(ValidationError, match=r"amount: expected a decimal written as a string, like \"0.1\""):
        loads(text, Money, fmt, registry=registry)


class TestSchemaVersions:
    def test_newer_version_refused(self, registry):
        data = json.loads(dumps(example_study(), registry=registry))
        data["schema_version"] = 99
        with pytest.raises(SchemaVersionError, match="upgrade crokit") as info:
            structure(data, Study, registry=registry)
        assert info.value.found == 99

    @pytest.mark.parametrize("version", [None, "1", 0, True, 1.0])
    def test_malformed_version_refused(self, version, registry):
        data = json.loads(dumps(example_study(), registry=registry))
        data["schema_version"] = version
        with pytest.raises(SchemaVersionError, match="schema_version"):
            structure(data, Study, registry=registry)

    def test_migrations_run_in_order(self):
        spec = DocumentSpec(
            name="thing",
            version=3,
            migrations={1: lambda d: {"b": d["a"]}, 2: lambda d: {**d, "c": d["b"] * 2}},
        )
        assert spec.upgrade({"schema_version": 1, "a": 2}) == {"b": 2, "c": 4}
        assert spec.upgrade({"schema_version": 3, "c": 1}) == {"c": 1}

    def test_missing_migration_refused(self):
        spec = DocumentSpec(name="thing", version=2)
        with pytest.raises(SchemaVersionError):
            spec.upgrade({"schema_version": 1})


MALFORMED = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.floats(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=20,
)


@pytest.mark.parametrize("cls", [Study, CroProfile, Money, FxTable, Visit])
def test_malformed_data_raises_only_crokit_errors(cls, registry):
    @given(MALFORMED)
    def check(data):
        with contextlib.suppress(CrokitError):
            structure(data, cls, registry=registry)

    check()


@given(st.dictionaries(st.sampled_from(["schema_version", "name", "phase", "sites", "countries", "visits"]), MALFORMED))
def test_malformed_study_shapes_raise_only_crokit_errors(data):
    with contextlib.suppress(CrokitError):
        structure({"schema_version": 1, **data}, Study, registry=crokit.Registry.builtin())


@pytest.mark.parametrize("fmt", FORMATS)
@given(text=st.text(max_size=200) | st.binary(max_size=200))
def test_malformed_text_raises_only_crokit_errors(fmt, text):
    with contextlib.suppress(CrokitError):
        loads(text, Study, fmt, registry=crokit.Registry.builtin())


@pytest.mark.parametrize("fmt", FORMATS)
def test_invalid_utf8_and_deep_nesting(fmt):
    with pytest.raises(FormatError, match="not UTF-8"):
        parse(b"\xff\xfe\x00", fmt)
    deep = {"json": "[" * 100_000, "yaml": "[" * 100_000, "toml": "a = " + "[" * 100_000}[fmt]
    with pytest.raises(FormatError):
        parse(deep, fmt)


def test_huge_json_numbers_are_refused():
    with pytest.raises(CrokitError):
        loads('{"amount": ' + "9" * 5000 + ', "currency": "USD"}', Money)


def test_unknown_format():
    with pytest.raises(ValidationError, match="format"):
        parse("{}", "xml")  # type: ignore[arg-type]


class TestFiles:
    @pytest.mark.parametrize("suffix", [".json", ".toml", ".yaml", ".yml"])
    def test_dump_and_load_by_extension(self, tmp_path, suffix, registry):
        path = tmp_path / f"study{suffix}"
        dump(example_study(), path, registry=registry)
        assert load(path, Study, registry=registry) == example_study()
        assert [p.name for p in tmp_path.iterdir()] == [path.name]

    def test_unknown_extension(self, tmp_path):
        with pytest.raises(InputFileError, match="extension"):
            load(tmp_path / "study.txt", Study)

    def test_missing_empty_and_directory(self, tmp_path):
        with pytest.raises(InputFileError, match="no such file"):
            load(tmp_path / "missing.toml", Study)
        (tmp_path / "empty.toml").write_text("  \n")
        with pytest.raises(InputFileError, match="is empty"):
            load(tmp_path / "empty.toml", Study)
        (tmp_path / "dir.toml").mkdir()
        with pytest.raises(InputFileError, match="directory"):
            load(tmp_path / "dir.toml", Study)

    def test_invalid_toml_names_the_file(self, tmp_path):
        path = tmp_path / "bad.toml"
        path.write_text("name = \n")
        with pytest.raises(FormatError, match=str(path)):
            load(path, Study)

    def test_failed_write_leaves_no_file(self, tmp_path, registry):
        with pytest.raises(InputFileError):
            dump(example_study(), tmp_path / "missing-folder" / "study.json", registry=registry)
        with pytest.raises(InputFileError):
            dump(example_study(), tmp_path, format="json", registry=registry)
        assert list(tmp_path.iterdir()) == []

    def test_error_during_write_cleans_up(self, tmp_path, monkeypatch):
        def boom(_self: Path, _target: Path) -> Path:
            raise OSError("disk full")

        monkeypatch.setattr(Path, "replace", boom)
        with pytest.raises(OSError, match="disk full"):
            crokit.serialization.write_atomic(tmp_path / "out.json", "{}")
        assert list(tmp_path.iterdir()) == []


def test_decimal_scale_survives(registry):
    value = Money("12345.670", "USD")
    for fmt in FORMATS:
        back = loads(dumps(value, fmt, registry=registry), Money, fmt, registry=registry)
        assert str(back.amount) == "12345.670"


def test_ints_are_accepted_for_decimals(registry):
    assert loads('{"amount": 5, "currency": "JPY"}', Money, registry=registry) == Money(5, "JPY")
    assert loads('{"amount": "5", "currency": "JPY"}', Money, registry=registry).amount == Decimal(5)


@attrs.frozen(kw_only=True)
class _Circle:
    kind: ClassVar[str] = "circle"
    radius: int


@attrs.frozen(kw_only=True)
class _Square:
    kind: ClassVar[str] = "square"
    side: int


@attrs.frozen(kw_only=True)
class _Drawing:
    shapes: tuple[_Circle | _Square, ...]
    highlight: _Circle | _Square | None = None


class TestTaggedUnions:
    def test_round_trip_writes_the_kind_first(self, registry):
        drawing = _Drawing(shapes=(_Circle(radius=1), _Square(side=2)), highlight=_Square(side=3))
        data = unstructure(drawing, registry=registry)
        assert data["shapes"][0] == {"kind": "circle", "radius": 1}
        for fmt in FORMATS:
            assert loads(dumps(drawing, fmt, registry=registry), _Drawing, fmt, registry=registry) == drawing

    def test_unknown_or_missing_kind_is_refused(self, registry):
        with pytest.raises(
            ValidationError, match=r"shapes\[0\]\.kind: expected one of 'circle', 'square', got 'hexagon'"
        ):
            structure({"shapes": [{"kind": "hexagon"}]}, _Drawing, registry=registry, root="")
        with pytest.raises(ValidationError, match=r"shapes\[0\]: expected a table with a 'kind' key"):
            structure({"shapes": [3]}, _Drawing, registry=registry, root="")
        with pytest.raises(ValidationError, match=r"shapes\[0\]\.radius: missing required key"):
            structure({"shapes": [{"kind": "circle"}]}, _Drawing, registry=registry, root="")


@attrs.frozen(kw_only=True)
class _Score:
    value: float


@pytest.mark.parametrize("fmt", FORMATS)
def test_decision_floats_round_trip_exactly(fmt, registry):
    score = _Score(value=0.1 + 0.2)
    assert loads(dumps(score, fmt, registry=registry), _Score, fmt, registry=registry) == score


@pytest.mark.parametrize("bad", ['"0.5"', "true", "NaN"])
def test_decision_floats_refuse_text_bools_and_nan(bad, registry):
    with pytest.raises(CrokitError):
        loads(f'{{"value": {bad}}}', _Score, registry=registry)


@attrs.frozen(kw_only=True)
class _Pairs:
    weights: tuple[tuple[str, Decimal], ...]
    note: str | None  # optional but without a default: TOML drops it, it must read back as None


class TestShapes:
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_fixed_length_tuples_and_required_optionals(self, fmt, registry):
        value = _Pairs(weights=(("crokit:technology", Decimal("0.25")), ("crokit:pricing-fit", Decimal(1))), note=None)
        assert loads(dumps(value, fmt, registry=registry), _Pairs, fmt, registry=registry) == value

    def test_fixed_length_tuples_check_their_length_and_item_types(self, registry):
        with pytest.raises(ValidationError, match=r"weights\[0\]: expected a list of 2 items, got 3"):
            structure({"weights": [["a", "1", "2"]], "note": None}, _Pairs, registry=registry, root="")
        with pytest.raises(ValidationError, match=r"weights\[0\]\[1\]: expected a decimal"):
            structure({"weights": [["a", 0.5]], "note": None}, _Pairs, registry=registry, root="")


def test_a_tagged_model_reads_back_on_its_own(registry):
    circle = _Circle(radius=2)
    for fmt in FORMATS:
        assert loads(dumps(circle, fmt, registry=registry), _Circle, fmt, registry=registry) == circle
    with pytest.raises(ValidationError, match="kind: expected 'circle', got 'square'"):
        structure({"kind": "square", "radius": 1}, _Circle, registry=registry, root="")
