"""Serialization without wasted work (issue #13): compact JSON, converters and validators run once."""

from __future__ import annotations

import json
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import Money
from crokit.errors import ValidationError
from crokit.registry import Registry
from crokit.serialization import dumps, loads, make_converter, structure
from crokit.serialization._hooks import _Hooks

REGISTRY = Registry.builtin()
CALLS: list[str] = []


def _counted(value: object) -> Decimal:
    CALLS.append("converter")
    return Decimal(str(value))


def _checked(_instance: object, _attribute: object, value: Decimal) -> None:
    CALLS.append("validator")
    if value < 0:
        raise ValidationError.at("rate", f"expected a rate >= 0, got {value}")


@attrs.frozen(kw_only=True)
class _Rated:
    rate: Decimal = attrs.field(converter=_counted, validator=_checked)
    months: tuple[int, ...] = ()


def test_a_field_is_converted_and_validated_once_per_load():
    CALLS.clear()
    assert structure({"rate": "1.5", "months": [1, 2]}, _Rated, registry=REGISTRY) == _Rated(
        rate=Decimal("1.5"), months=(1, 2)
    )
    # once in the load, once more for the comparison's own instance above
    assert CALLS == ["converter", "validator", "converter", "validator"]


def test_problems_are_still_all_reported_with_their_paths():
    with pytest.raises(ValidationError) as caught:
        structure({"rate": "-1", "months": [1, "x", 2.5], "extra": 1}, _Rated, registry=REGISTRY)
    paths = [problem.path for problem in caught.value.problems]
    assert paths == ["extra", "rate", "months[1]", "months[2]"]


@given(st.lists(st.integers(-(10**16), 10**16), max_size=20))
def test_whole_numbers_beyond_the_limit_are_refused_in_lists(numbers):
    data = {"rate": "1", "months": numbers}
    if all(abs(n) <= 10**15 for n in numbers):
        assert structure(data, _Rated, registry=REGISTRY).months == tuple(numbers)
    else:
        with pytest.raises(ValidationError, match="at most 15 digits"):
            structure(data, _Rated, registry=REGISTRY)


def test_booleans_are_not_whole_numbers_in_lists():
    with pytest.raises(ValidationError, match=r"months\[0\]"):
        structure({"rate": "1", "months": [True]}, _Rated, registry=REGISTRY)


def test_json_is_compact_by_default_and_indented_on_request():
    money = Money("12.50", "EUR")
    assert dumps(money, registry=REGISTRY) == '{"amount":"12.50","currency":"EUR"}\n'
    pretty = dumps(money, registry=REGISTRY, indent=2)
    assert pretty == json.dumps({"amount": "12.50", "currency": "EUR"}, indent=2) + "\n"
    assert loads(pretty, Money, registry=REGISTRY) == loads(dumps(money, registry=REGISTRY), Money) == money


def test_the_converter_hooks_are_built_once_per_class():
    converter = make_converter(REGISTRY)
    first = converter.get_structure_hook(_Rated)
    assert converter.get_structure_hook(_Rated) is first


@pytest.mark.parametrize(
    "data",
    [
        {"amount": "12.50", "currency": "EUR"},
        {"amount": "x", "currency": "USD"},
        {"amount": "1.0", "currency": "XXZ"},
        {"amount": 12, "currency": "USD"},
        {"amount": "1", "currency": "USD", "extra": 1},
        {"amount": "1"},
        {"amount": True, "currency": 3},
        ["12.50", "EUR"],
    ],
)
def test_the_money_fast_path_gives_what_the_general_hook_gives(data):
    converter = make_converter(REGISTRY)
    general = _Hooks(converter, REGISTRY).attrs_hook(Money)

    def outcome(function):
        try:
            return function(data, Money)
        except ValidationError as exc:
            return [(problem.path, problem.message) for problem in exc.problems]

    assert outcome(converter.structure) == outcome(general)
