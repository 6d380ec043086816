"""``build_checked`` (the readers' fast path) builds exactly what each model's ``__init__`` builds (issue #13).

Reading a document skips the layers of ``__init__`` that word errors, and keeps every
converter, type check, validator and cross-field check. For every public model these
properties build drawn values, and the same values with one field wrong, both ways:
the two must agree on what they accept and on what they build.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crokit._typed import build_checked, build_steps
from crokit.money import Money
from crokit.pricing import Budget, LineItem
from tests.test_public_models import FEW, MODELS, NOT_DOCUMENTS, WRONG_VALUES, _id

# The documents (what readers read), each built both ways.
BUILT = [cls for cls in MODELS if build_steps(cls) is not None and cls not in NOT_DOCUMENTS]


def test_most_models_take_the_fast_path():
    assert len(BUILT) >= 0.8 * len(MODELS)  # a broken build_steps that refuses every class fails here
    assert LineItem in BUILT
    assert Budget in BUILT
    assert Money not in BUILT  # its own __init__ (a converter that takes the instance) or hook


def _both_ways(cls: type, by_name: dict[str, object]) -> tuple[object, object]:
    steps = build_steps(cls)
    assert steps is not None
    aliases = {field.name: field.alias for field in attrs.fields(cls)}
    try:
        expected: object = cls(**{aliases[name]: value for name, value in by_name.items()})
    except Exception as exc:  # noqa: BLE001 - compared with what the fast path does
        expected = type(exc)
    try:
        found: object = build_checked(cls, steps, by_name)
    except Exception as exc:  # noqa: BLE001
        found = type(exc)
    return expected, found


def _same(expected: Any, found: Any) -> None:
    if isinstance(expected, type):  # __init__ refused: so must the fast path (with any exception)
        assert isinstance(found, type), f"__init__ raised {expected.__name__}, the fast path built {found!r}"
        return
    assert found == expected
    for field in attrs.fields(type(expected)):
        assert type(getattr(found, field.name)) is type(getattr(expected, field.name)), field.name


@pytest.mark.parametrize("cls", BUILT, ids=_id)
def test_the_fast_path_builds_and_refuses_what_init_does(cls):
    @settings(FEW, max_examples=3)
    @given(st.from_type(cls))
    def check(value: Any) -> None:
        by_name = {field.name: getattr(value, field.name) for field in attrs.fields(cls)}
        _same(*_both_ways(cls, by_name))
        for name in by_name:
            for wrong in WRONG_VALUES:
                _same(*_both_ways(cls, {**by_name, name: wrong}))

    check()


def test_a_cross_field_check_still_runs():
    line = LineItem(
        service="crokit:data-management",
        stage="phase-3",
        kind="unit",
        bucket="cro-direct-fees",
        description="Pages",
        basis="per-page",
        quantity="10",
        unit_price=Money("5.75", "USD"),
        amount=Money("57.50", "USD"),
        months=(0, 1),
        derivation="10 pages x 5.75 USD",
    )
    by_name = {field.name: getattr(line, field.name) for field in attrs.fields(LineItem)}
    expected, found = _both_ways(LineItem, {**by_name, "amount": Money("57.51", "USD")})
    assert isinstance(expected, type)
    assert isinstance(found, type)
