"""The readers lose nothing and change nothing (issue 9, findings 1, 2, 7 and 12).

Duplicate keys are refused in every format with their path; YAML reads numbers as YAML
1.2's core schema does and keeps every character of text; one byte-order mark rule holds
for every format; non-finite numbers are refused with their path. Every YAML test runs
with both loaders: LibYAML's parser (when PyYAML has it) and PyYAML's pure-Python one.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from crokit import CrokitError, FormatError, Study, ValidationError
from crokit.errors import DuplicateKeyError
from crokit.scenario import Scenario
from crokit.serialization import FORMATS, _text, dumps, loads, make_converter, parse, structure

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
LOADERS = [
    pytest.param(True, id="libyaml", marks=pytest.mark.skipif(not yaml.__with_libyaml__, reason="no LibYAML")),
    pytest.param(False, id="pure-python"),
]


@pytest.fixture(params=LOADERS)
def libyaml(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Run the test with one YAML loader and dumper: LibYAML's or PyYAML's pure-Python one."""
    monkeypatch.setattr(_text, "_prefer_libyaml", lambda: request.param)
    return bool(request.param)


def table(data: object) -> dict[str, object]:
    assert isinstance(data, dict)
    return data


def example(fmt: str) -> str:
    return (EXAMPLES / f"rare_disease_phase2.{fmt}").read_text(encoding="utf-8")


# Which loader ---------------------------------------------------------------------------


def test_libyaml_is_preferred_when_pyyaml_has_it():
    loader = _text._yaml_loader(_text._prefer_libyaml())
    assert issubclass(loader, yaml.constructor.SafeConstructor)
    assert not issubclass(loader, yaml.constructor.FullConstructor)
    if yaml.__with_libyaml__:
        from yaml._yaml import CParser

        assert issubclass(loader, CParser)
        assert issubclass(_text._yaml_dumper(True), yaml.CSafeDumper)
    assert issubclass(_text._yaml_dumper(False), yaml.SafeDumper)


@pytest.mark.usefixtures("libyaml")
def test_only_safe_tags_are_constructed():
    with pytest.raises(FormatError, match="python/object"):
        parse("a: !!python/object/apply:os.system ['true']", "yaml")


@pytest.mark.usefixtures("libyaml")
def test_deep_nesting_fails_cleanly_with_either_loader():
    # LibYAML's own composer recurses in C and crashes the interpreter here.
    for deep in ("[" * 100_000, "- " * 50_000 + "x", "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 3000))):
        with pytest.raises(FormatError):
            parse(deep, "yaml")


# Finding 1: duplicate keys ----------------------------------------------------------------


def test_issue_example_duplicate_amount_is_refused_in_json(registry):
    """The issue's scenario: a second ``"amount"`` silently cut a candidate's budget."""
    text = example("json")
    assert text.count('"amount": "2300.00",') == 1
    doubled = text.replace('"amount": "2300.00",', '"amount": "2300.00", "amount": "23.00",')
    assert isinstance(loads(text, Scenario, "json", registry=registry), Scenario)  # the example itself is fine
    with pytest.raises(DuplicateKeyError) as caught:
        loads(doubled, Scenario, "json", registry=registry)
    (path,) = caught.value.paths
    assert re.fullmatch(r"candidates\[\d+\]\.\w+(\[\d+\]|\.\w+)*\.amount", path), path
    assert f"{path} appears twice" in str(caught.value)
    assert isinstance(caught.value, FormatError)


@pytest.mark.usefixtures("libyaml")
def test_issue_example_duplicate_amount_is_refused_in_yaml(registry):
    text = example("yaml")
    line = next(line for line in text.splitlines() if line.strip() == "amount: '2300.00'")
    number = text.splitlines().index(line) + 1
    doubled = text.replace(line + "\n", f"{line}\n{line.replace('2300.00', '23.00')}\n", 1)
    with pytest.raises(DuplicateKeyError) as caught:
        loads(doubled, Scenario, "yaml", registry=registry)
    assert caught.value.paths[0].startswith("candidates[")
    assert caught.value.paths[0].endswith(".amount")
    assert f"appears twice (lines {number} and {number + 1})" in str(caught.value)


def test_toml_refuses_duplicates_too():
    with pytest.raises(FormatError):
        parse('amount = "1900.00"\namount = "19.00"\n', "toml")


DUPLICATED = {
    "json": [
        ('{"a": 1, "a": 2}', "a"),
        ('{"x": {"y": [{"amount": "1900.00", "amount": "19.00"}]}}', "x.y[0].amount"),
        ('[[{"ok": 1}], [{"k": 1, "z": 0, "k": 2}]]', "[1][0].k"),
        ('{"odd key": {"1": 1, "1": 2}}', "['odd key']['1']"),
    ],
    "yaml": [
        ("a: 1\na: 2\n", "a"),
        ("x:\n  y:\n    - amount: '1900.00'\n      amount: '19.00'\n", "x.y[0].amount"),
        ("- [{ok: 1}]\n- [{k: 1, z: 0, k: 2}]\n", "[1][0].k"),
        ("1: a\n+1: b\n", "[1]"),  # two spellings of one key
        ("x: {true: 1, True: 2}\n", "x[True]"),
        ("&k a: 1\n*k : 2\n", "a"),  # an alias of a key
    ],
}


@pytest.mark.parametrize(("text", "path"), DUPLICATED["json"])
def test_json_duplicates_at_any_depth_name_their_path(text, path):
    with pytest.raises(DuplicateKeyError) as caught:
        parse(text, "json")
    assert caught.value.paths == (path,)
    assert "appears twice" in str(caught.value)


@pytest.mark.usefixtures("libyaml")
@pytest.mark.parametrize(("text", "path"), DUPLICATED["yaml"])
def test_yaml_duplicates_at_any_depth_name_their_path(text, path):
    with pytest.raises(DuplicateKeyError) as caught:
        parse(text, "yaml")
    assert caught.value.paths == (path,)
    assert "appears twice" in str(caught.value)


def test_every_repeated_key_is_listed_with_its_count():
    with pytest.raises(DuplicateKeyError) as caught:
        parse('{"a": {"b": 1, "b": 2, "b": 3}, "c": [{"d": 0, "d": 0}]}', "json")
    assert caught.value.paths == ("a.b", "c[0].d")
    assert "a.b appears 3 times; c[0].d appears twice" in str(caught.value)


@pytest.mark.usefixtures("libyaml")
def test_yaml_duplicates_on_one_line_give_columns():
    with pytest.raises(DuplicateKeyError, match=r"x\.q appears twice \(at line 1 column 5 and line 1 column 11\)"):
        parse("x: {q: 1, q: 2}", "yaml")


@pytest.mark.usefixtures("libyaml")
def test_yaml_merge_keys_are_plain_keys():
    # YAML 1.2 has no merge keys: `<<` is an ordinary key, which a model then refuses.
    assert parse("b: &x {a: 1}\nc:\n  <<: *x\n  a: 2\n", "yaml") == {"b": {"a": 1}, "c": {"<<": {"a": 1}, "a": 2}}
    with pytest.raises(FormatError, match="merge keys"):
        parse("b: &x {a: 1}\nc:\n  !!merge <<: *x\n  a: 2\n", "yaml")


KEYS = st.text(st.characters(categories=["L", "N", "P", "Zs"], exclude_characters="\\"), max_size=3)


@given(st.dictionaries(KEYS, st.integers(), min_size=1, max_size=4), st.data())
def test_a_repeated_key_is_always_refused(table, data):
    key = data.draw(st.sampled_from(sorted(table)))
    body = ", ".join(f"{_json_text(k)}: {v}" for k, v in [*table.items(), (key, 0)])
    with pytest.raises(DuplicateKeyError):
        parse("{" + body + "}", "json")
    lines = "".join(f"{_json_text(k)}: {v}\n" for k, v in [*table.items(), (key, 0)])
    with pytest.raises(DuplicateKeyError):
        parse(lines, "yaml")


def _json_text(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


# Finding 2: YAML 1.1 number spellings -------------------------------------------------------


@pytest.mark.usefixtures("libyaml")
@pytest.mark.parametrize(
    ("field", "spelling", "yaml11"),
    [
        ("sites", "012", 10),
        ("planned_patients", "060", 48),
        ("planned_patients", "1:00", 60),
        ("planned_patients", "0x3C", 60),
        ("planned_patients", "0b111100", 60),
        ("planned_patients", "0o74", None),
        ("sites", "1_2", 12),
        ("sites", "+012", 10),
    ],
)
def test_yaml_never_rebases_a_count(field, spelling, yaml11, registry):
    text = dumps(_study(), "yaml", registry=registry)
    assert f"\n  {field}: " not in text  # a study document is flat
    changed = re.sub(rf"(?m)^{field}: \d+$", f"{field}: {spelling}", text)
    assert changed != text
    if yaml11 is not None:  # what PyYAML's own safe loader makes of it
        assert yaml.safe_load(changed)[field] == yaml11
    assert table(parse(changed, "yaml"))[field] == spelling  # kept as the text it is
    with pytest.raises(ValidationError) as caught:
        loads(changed, Study, "yaml", registry=registry)
    assert [p.path for p in caught.value.problems] == [f"study.{field}"]
    assert f"expected a whole number, got {spelling!r}" in str(caught.value)


@pytest.mark.usefixtures("libyaml")
@pytest.mark.parametrize(
    ("text", "value"),
    [("12", 12), ("-7", -7), ("+7", 7), ("0", 0), ("-0", 0), ("true", True), ("FALSE", False), ("~", None)],
)
def test_yaml_decimal_integers_and_core_booleans(text, value):
    found = table(parse(f"a: {text}", "yaml"))["a"]
    assert found == value
    assert type(found) is type(value)


@pytest.mark.usefixtures("libyaml")
@pytest.mark.parametrize(
    "text",
    ["012", "0x3C", "0b111100", "0o17", "1:00", "1_000", "1:30.5", "1_000.5", "yes", "NO", "on", "=", "<<", ".5.5"],
)
def test_yaml_11_spellings_stay_text(text):
    found = table(parse(f"a: {text}", "yaml"))["a"]
    assert found == text
    assert type(found) is str


@pytest.mark.usefixtures("libyaml")
@pytest.mark.parametrize("text", ["1.5", "-1.", ".5", "1e3", "+1.5E-3", "1e+3", ".inf", "-.Inf", ".NaN"])
def test_yaml_12_floats_are_kept_as_their_text(text):
    found = table(parse(f"a: {text}", "yaml"))["a"]
    assert isinstance(found, _text._FloatText)
    assert found == text


@pytest.mark.usefixtures("libyaml")
@pytest.mark.parametrize(("tag", "text"), [("int", "0x3C"), ("int", "012"), ("int", "1_0"), ("float", "abc")])
def test_explicit_tags_follow_the_same_rules(tag, text):
    with pytest.raises(FormatError, match=re.escape(repr(text))):
        parse(f"a: !!{tag} {text}", "yaml")


@pytest.mark.usefixtures("libyaml")
def test_yaml_output_quotes_what_either_yaml_version_would_misread():
    tricky = {k: k for k in ["012", "0x3C", "1:00", "1_000", "1e3", "yes", "NO", "on", "true", "null", "2027-01-04"]}
    text = _text._render(tricky, "yaml")
    assert parse(text, "yaml") == tricky
    assert yaml.safe_load(text) == tricky  # a YAML 1.1 reader gets the same strings


# Finding 7: every character of text is kept ------------------------------------------------

BREAKS = ["\x85", "\u2028", "\u2029"]


@pytest.mark.usefixtures("libyaml")
@pytest.mark.parametrize("char", BREAKS)
@pytest.mark.parametrize(
    "template", ["a: x{c}y\n", "a: 'x{c}y'\n", 'a: "x{c}y"\n', "a: |\n  x{c}y\n", "a: >\n  x{c}y\n", "{c}a{c}: x{c}\n"]
)
def test_yaml_keeps_nel_and_unicode_separators(char, template):
    data = parse(template.format(c=char), "yaml")
    expected_key = f"{char}a{char}" if template.startswith("{c}") else "a"
    expected = {"a": f"x{char}y\n"} if "|" in template or ">" in template else {"a": f"x{char}y"}
    if template.startswith("{c}"):
        expected = {expected_key: f"x{char}"}
    assert data == expected


@pytest.mark.usefixtures("libyaml")
def test_yaml_escapes_still_mean_what_they_say():
    # A private-use character stands in for the breaks while parsing; an escape that
    # spells that character must not be taken for one.
    text = 'a: "\\uE000\\N\\L\\P"\nb: x\x85\ue001y\n'
    assert parse(text, "yaml") == {"a": "\ue000\x85\u2028\u2029", "b": "x\x85\ue001y"}


@pytest.mark.parametrize("fmt", FORMATS)
@given(text=st.text(alphabet=st.sampled_from(["a", " ", "\n", "\x85", "\u2028", "\u2029", "\ue000", "#", "'"])))
def test_text_with_separators_round_trips_in_every_format(fmt, text):
    assert parse(_text._render({"t": text}, fmt), fmt) == {"t": text}


@given(text=st.text())
def test_any_text_round_trips_through_both_yaml_loaders(text):
    for libyaml in (False, True) if yaml.__with_libyaml__ else (False,):
        dumped = yaml.dump({"t": text}, Dumper=_text._yaml_dumper(libyaml), allow_unicode=True)
        assert _text._parse_yaml(dumped, "", libyaml=libyaml) == {"t": text}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("char", BREAKS)
def test_a_study_name_with_separators_round_trips(fmt, char, registry):
    study = _study(name=f"RD{char}201", indication=f"Fabry{char}disease")
    assert loads(dumps(study, fmt, registry=registry), Study, fmt, registry=registry) == study


# Finding 12: one byte-order mark rule, and clean non-finite refusals ------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_leading_bom_is_accepted_in_every_format(fmt, registry):
    text = example(fmt)
    plain = loads(text, Scenario, fmt, registry=registry)
    assert loads("\ufeff" + text, Scenario, fmt, registry=registry) == plain
    assert loads(b"\xef\xbb\xbf" + text.encode(), Scenario, fmt, registry=registry) == plain


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_second_bom_is_refused_in_every_format(fmt):
    body = {"json": "{}", "toml": "a = 1\n", "yaml": "a: 1\n"}[fmt]
    with pytest.raises(FormatError, match="two byte-order marks"):
        parse("\ufeff\ufeff" + body, fmt)


@attrs.frozen(kw_only=True)
class Scored:
    """A model with a float field (like a decision score) and a Decimal one."""

    score: float
    rate: Decimal


NON_FINITE = [
    ("json", '{"score": NaN, "rate": "1"}', "NaN"),
    ("json", '{"score": -Infinity, "rate": "1"}', "-Infinity"),
    ("toml", 'score = inf\nrate = "1"\n', "inf"),
    ("toml", 'score = nan\nrate = "1"\n', "nan"),
    ("yaml", "score: .inf\nrate: '1'\n", ".inf"),
    ("yaml", "score: -.Inf\nrate: '1'\n", "-.Inf"),
    ("yaml", "score: .nan\nrate: '1'\n", ".nan"),
]


@pytest.mark.parametrize(("fmt", "text", "spelling"), NON_FINITE)
def test_non_finite_numbers_are_refused_with_their_path(fmt, text, spelling, registry):
    converter = make_converter(registry)
    with pytest.raises(ValidationError) as caught:
        converter.structure(parse(text, fmt), Scored)
    assert [p.path for p in caught.value.problems] == ["score"]
    assert f"expected a finite number, got {spelling}, which is not a finite number" in str(caught.value)
    assert "ValueError" not in str(caught.value)
    swapped = text.replace("score", "tmp").replace("rate", "score").replace("tmp", "rate")
    with pytest.raises(ValidationError) as caught:
        structure(parse(swapped.replace("'1'", "1.5").replace('"1"', "1.5"), fmt), Scored, root="s")
    assert {p.path for p in caught.value.problems} == {"s.rate"}
    assert f"got {spelling}, which is not a finite number" in str(caught.value)


@pytest.mark.usefixtures("libyaml")
def test_a_non_finite_decimal_in_a_study_names_its_path(registry):
    text = dumps(_study(), "yaml", registry=registry).replace(
        "screen_failure_rate: '0.25'", "screen_failure_rate: .inf"
    )
    with pytest.raises(ValidationError, match=r"study\.screen_failure_rate: expected a decimal .*got \.inf, which"):
        loads(text, Study, "yaml", registry=registry)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_reader_failure_is_a_crokit_error(fmt):
    for text in ("\ufeff\ufeff", "{", "[", "\x00"):
        with pytest.raises(CrokitError):
            parse(text, fmt)


def _study(**changes: object) -> Study:
    from tests.test_serialization import example_study

    return example_study(**changes)
