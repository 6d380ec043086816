"""Tests written for the mutants of the functions changed for speed in session 5 (issue #13)."""

from __future__ import annotations

import enum
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest

from crokit._decimal import to_decimal
from crokit._typed import MAX_WHOLE, build_checked, build_steps, typed_fields
from crokit.errors import CrokitError, InvalidAmountError, ValidationError
from crokit.pricing import CostBucket, Driver, PricingKind
from crokit.scenario import Scenario
from crokit.serialization import loads, make_converter


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "value: expected a number >= 0, got -1"),
        (10**31, f"invalid amount {10**31}: the value is too large (at most 31 digits)"),
    ],
)
def test_a_trusted_driver_out_of_range_is_refused_for_its_value_alone(value: int, message: str) -> None:
    # Driver._trusted sends a count a checked study cannot give to the public constructor:
    # the refusal names the value, not a field the trusted path passed on wrongly.
    with pytest.raises(CrokitError) as caught:
        Driver._trusted(
            name="sites", value=value, unit="site", formula="study.sites", inputs=(("sites", "3"),), rounding="none"
        )
    assert str(caught.value) == message


# -- schedule builder: invoices and holdbacks in minor units (schedule/build.py) ------------


def test_a_fixed_line_paid_without_a_holdback_keeps_its_amount_as_written() -> None:
    # A fixed pass-through line (never held back) and a fee under terms with no holdback
    # are paid as the line's own Money: "40" stays "40", not re-scaled to "40.00".
    from tests.test_schedule_build_mutants import DBL, FPI, fee_line, line, rows, schedule

    travel = line(
        "40", (0,), description=f"Travel: {DBL.label}", kind=PricingKind.FIXED_FEE, bucket=CostBucket.PASS_THROUGH
    )
    assert rows(schedule(travel, holdback_share="0.10")) == [
        ("2027-06-10", "2027-07-10", "Travel: Database lock", "40", None, "database-lock")
    ]
    assert rows(schedule(fee_line("30", FPI))) == [
        ("2027-02-10", "2027-03-12", "Report: First patient in", "30", None, "first-patient-in")
    ]
    held = rows(schedule(fee_line("30", FPI), holdback_share="0.10"))
    assert held[0] == ("2027-02-10", "2027-03-12", "Report: First patient in", "27.00", "3.00", "first-patient-in")


# -- typed fields and the readers' fast path (_typed.py, serialization/_hooks.py) ----------
# Each class is defined inside its test, so that typed_fields, the field's type check and
# the readers' hooks are made while the test runs (mutmut switches a mutant on per call).


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@attrs.frozen
class Part:
    name: str


def _any(value: object) -> Any:
    """*value*, typed as anything: these tests pass wrong types on purpose."""
    return value


def _strip(value: str) -> str:
    return value.strip()


def _keep(value: object, _self: object) -> object:
    return value


def _message(action: Callable[[], object]) -> str:
    with pytest.raises(ValidationError) as caught:
        action()
    return str(caught.value)


def test_collections_of_models_enum_members_and_whole_numbers_are_checked_item_by_item() -> None:
    @attrs.frozen(kw_only=True, field_transformer=typed_fields)
    class Holder:
        colours: tuple[Colour, ...] = ()
        parts: tuple[Part, ...] = ()
        counts: tuple[int, ...] = ()
        pair: tuple[int, str] = (0, "")
        one: tuple[int] = (0,)
        duo: tuple[Part, int] = (Part("x"), 0)
        names: frozenset[str] = frozenset()

    built = Holder(
        colours=(Colour.RED, Colour.BLUE),
        parts=(Part("a"),),
        counts=(0, -MAX_WHOLE, MAX_WHOLE),
        pair=(1, "x"),
        names=frozenset({"a"}),
    )
    assert built.colours == (Colour.RED, Colour.BLUE)
    assert built.counts == (0, -MAX_WHOLE, MAX_WHOLE)
    assert Holder().colours == ()
    assert _message(lambda: Holder(colours=_any([Colour.RED]))) == (
        "colours: expected a tuple of Colour, got [<Colour.RED: 'red'>]"
    )
    assert _message(lambda: Holder(colours=_any((Colour.RED, "blue")))).startswith("colours[1]: expected a Colour")
    assert _message(lambda: Holder(parts=_any((Part("a"), Part("b"), "c")))) == "parts[2]: expected Part, got 'c'"
    assert _message(lambda: Holder(counts=(1, True))) == "counts[1]: expected a whole number, got True"
    assert _message(lambda: Holder(counts=_any((1, "2")))) == "counts[1]: expected a whole number, got '2'"
    assert _message(lambda: Holder(counts=(1, MAX_WHOLE + 1))).startswith("counts[1]: ")
    assert _message(lambda: Holder(counts=(-MAX_WHOLE - 1,))).startswith("counts[0]: ")
    assert _message(lambda: Holder(pair=_any((1, 2)))) == "pair[1]: expected text, got 2"
    assert (
        _message(lambda: Holder(pair=_any((1,))))
        == "pair: expected a tuple of (a whole number, text), got (1,) (1 items instead of 2)"
    )
    assert Holder(one=(5,)).one == (5,)
    assert Holder(duo=(Part("a"), 1)).duo == (Part("a"), 1)
    assert (
        _message(lambda: Holder(duo=_any((Part("a"), Part("b")))))
        == "duo[1]: expected a whole number, got Part(name='b')"
    )
    assert _message(lambda: Holder(duo=_any((Part("a"),)))).startswith(
        "duo: expected a tuple of (Part, a whole number)"
    )
    assert (
        _message(lambda: Holder(one=_any((5, 6))))
        == "one: expected a tuple of (a whole number), got (5, 6) (2 items instead of 1)"
    )
    assert _message(lambda: Holder(names=_any(frozenset({1})))) == "names[0]: expected text, got 1"


def _positive(_instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value <= 0:
        raise ValidationError.at(attribute.name, f"expected a positive count, got {value}")


def test_build_steps_keep_each_fields_own_converter_check_and_validator() -> None:
    @attrs.frozen(kw_only=True, field_transformer=typed_fields)
    class Order:
        label: str = attrs.field(converter=_strip, metadata={"doc": "kept"})
        count: int = attrs.field(validator=_positive)
        note: str | None = None

    steps = build_steps(Order)
    assert steps is not None
    assert [step[0].name for step in steps] == ["label", "count", "note"]
    assert [step[1] for step in steps] == [_strip, None, None]
    assert [step[3] for step in steps] == [None, _positive, None]
    assert all(step[2] is not None for step in steps)
    assert attrs.fields(Order).label.metadata["doc"] == "kept"
    assert Order(label=" a ", count=1).label == "a"  # __init__ runs the (guarded) converter
    assert _message(lambda: Order(label=_any(None), count=1)) == "label: expected text, got None"
    built = build_checked(Order, steps, {"label": "  a ", "count": 2, "note": None})
    assert built == Order(label="a", count=2)
    assert _message(lambda: build_checked(Order, steps, {"label": "a", "count": 0, "note": None})) == (
        "count: expected a positive count, got 0"
    )
    assert _message(lambda: build_checked(Order, steps, {"label": "a", "count": "2", "note": None})) == (
        "count: expected a whole number, got '2'"
    )
    assert _message(lambda: build_checked(Order, steps, {"label": "a", "count": 1, "note": 5})) == (
        "note: expected text, got 5"
    )


def test_build_checked_converts_every_field_before_checking_and_runs_post_init_last() -> None:
    seen: list[str] = []

    def convert(value: object) -> object:
        seen.append(f"convert {value}")
        return value

    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        seen.append(f"check {attribute.name} {value} on {type(_instance).__name__}")

    @attrs.frozen(kw_only=True, field_transformer=typed_fields)
    class Both:
        first: int = attrs.field(converter=convert, validator=check)
        second: int = attrs.field(converter=convert, validator=check)

        def __attrs_post_init__(self) -> None:
            seen.append("post")
            if self.first > self.second:
                raise ValidationError.at("first", "expected first <= second")

    steps = build_steps(Both)
    assert steps is not None
    assert build_checked(Both, steps, {"first": 1, "second": 2}) == Both(first=1, second=2)
    assert seen[:5] == ["convert 1", "convert 2", "check first 1 on Both", "check second 2 on Both", "post"]
    assert _message(lambda: build_checked(Both, steps, {"first": 3, "second": 2})) == "first: expected first <= second"


def test_only_classes_built_by_their_attrs_init_from_typed_fields_have_build_steps() -> None:
    @attrs.frozen(kw_only=True, field_transformer=typed_fields)
    class Plain:
        count: int

    @attrs.frozen(kw_only=True, field_transformer=typed_fields)
    class Derived:
        count: int
        double: int = attrs.field(init=False, default=0)

    @attrs.frozen(kw_only=True, field_transformer=typed_fields)
    class Pre:
        count: int

        def __attrs_pre_init__(self) -> None:
            pass

    @attrs.frozen(kw_only=True, field_transformer=typed_fields)
    class Taking:
        count: int = attrs.field(converter=attrs.Converter(_keep, takes_self=True))  # type: ignore[misc]

    @attrs.frozen(kw_only=True)
    class Untyped:
        count: int

    @attrs.frozen(kw_only=True, field_transformer=typed_fields, init=False)
    class OwnInit:
        count: int

        def __init__(self, count: int) -> None:
            self.__attrs_init__(count=count)

    assert build_steps(Plain) is not None
    for cls in (Derived, Pre, Taking, Untyped, OwnInit):
        assert build_steps(cls) is None, cls.__name__
    assert build_steps(int) is None


def test_a_typed_field_checks_its_value_under_its_own_name() -> None:
    @attrs.frozen(kw_only=True, field_transformer=typed_fields)
    class Named:
        amount: Decimal = attrs.field(alias="value")
        anything: Any = None

    assert Named(value=Decimal("1.5")).amount == Decimal("1.5")
    assert Named(value=Decimal(1), anything=object()).amount == 1
    assert _message(lambda: Named(value=_any("1.5"))) == "amount: expected a finite Decimal, got '1.5'"
    own = attrs.fields(Named).amount.metadata["crokit.typed"]
    assert own.check.resolved() is own.check.resolved() is not None
    assert own.check(None, attrs.fields(Named).amount, Decimal(2)) is None
    assert (
        _message(lambda: own.check(None, attrs.fields(Named).anything, "x"))
        == "anything: expected a finite Decimal, got 'x'"
    )
    assert attrs.fields(Named).anything.metadata["crokit.typed"].check.resolved() is None


def test_a_reader_builds_through_its_fast_path_and_words_every_problem_otherwise() -> None:
    @attrs.frozen(kw_only=True, field_transformer=typed_fields)
    class Visit:
        site: str = attrs.field(converter=_strip)
        count: int = attrs.field(validator=_positive)
        note: str | None = None
        extra: int = 0

    converter = make_converter()
    assert converter.structure({"site": " A ", "count": 2}, Visit) == Visit(site="A", count=2)
    assert converter.structure({"site": "A", "count": 2, "note": "n", "extra": 3}, Visit) == Visit(
        site="A", count=2, note="n", extra=3
    )
    assert type(converter.structure({"site": "A", "count": 2, "note": None, "extra": 3}, Visit)) is Visit
    assert _message(lambda: converter.structure({"count": 2}, Visit)) == "site: missing required key"
    assert (
        _message(lambda: converter.structure({"site": "A", "count": 0}, Visit))
        == "count: expected a positive count, got 0"
    )
    assert _message(lambda: converter.structure({"site": "A", "count": 1, "other": 1}, Visit)) == (
        "other: unknown key; did you mean 'note'?"
    )
    # A model without a kind tag has no "kind" key, not even a null one (JSON).
    assert _message(lambda: converter.structure({"site": "A", "count": 2, "kind": None}, Visit)) == (
        "kind: unknown key; expected one of: site, count, note, extra"
    )
    assert _message(lambda: converter.structure([1], Visit)) == (
        "expected a table with keys site, count, note, extra, got a list"
    )


# -- to_decimal: ASCII text without "_" skips the pattern (_decimal.py) ---------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1e5", Decimal("1E+5")), (" 12.50 ", Decimal("12.50")), ("-.5", Decimal("-0.5")), ("7.", Decimal(7))],
)
def test_ascii_decimal_text_is_read_as_decimal_reads_it(text: str, expected: Decimal) -> None:
    found = to_decimal(text)
    assert found == expected
    assert str(found) == str(expected)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("abc", "expected a decimal number such as '12.50' for the amount"),
        ("1_000", "expected a decimal number such as '12.50' for the amount (ASCII digits, no '_' separators)"),
        ("12.5_", "expected a decimal number such as '12.50' for the amount (ASCII digits, no '_' separators)"),
        ("\u0661\u0662", "expected a decimal number such as '12.50' for the amount (ASCII digits, no '_' separators)"),
        ("\uff11\uff12", "expected a decimal number such as '12.50' for the amount (ASCII digits, no '_' separators)"),
        ("Infinity", "the amount must be a finite number"),
    ],
)
def test_text_that_is_not_ascii_decimal_is_refused_as_an_amount_by_default(text: str, why: str) -> None:
    with pytest.raises(InvalidAmountError) as caught:
        to_decimal(text)
    assert str(caught.value) == f"invalid amount {text!r}: {why}"


@pytest.mark.parametrize(
    "value",
    [10**31 - 1, -(10**31) + 1, 310, 10**30, "0" * 99 + "5", Decimal("1E-30"), Decimal("9.9E+30"), Decimal("-1E-30")],
)
def test_amounts_at_the_edges_of_the_range_are_read(value: object) -> None:
    assert to_decimal(value) == Decimal(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (True, "a bool is not a number; give the amount as text or an int"),
        (10**31, "the amount is too large (at most 31 digits)"),
        ("1" * 101, "the amount text is too long to be a number"),
        ("1" * 100, "the amount is out of range (magnitudes from 1e-30 to below 1e31)"),
        (1.5j, "expected a decimal number as text, int or Decimal, got complex"),
        (Decimal("1E-31"), "the amount is out of range (magnitudes from 1e-30 to below 1e31)"),
        (Decimal("1E+31"), "the amount is out of range (magnitudes from 1e-30 to below 1e31)"),
    ],
)
def test_each_refusal_of_to_decimal_names_the_value_and_why(value: object, why: str) -> None:
    with pytest.raises(InvalidAmountError) as caught:
        to_decimal(value)
    assert str(caught.value) == f"invalid amount {value!r}: {why}"


def test_a_reader_takes_a_models_own_kind_tag_and_its_aliases_and_refuses_another_kind() -> None:
    @attrs.frozen(kw_only=True, field_transformer=typed_fields)
    class Tagged:
        kind: ClassVar[str] = "tagged"
        amount: Decimal = attrs.field(alias="value")

    converter = make_converter()
    assert converter.structure({"kind": "tagged", "value": "1.50"}, Tagged) == Tagged(value=Decimal("1.50"))
    assert converter.structure({"value": "2"}, Tagged) == Tagged(value=Decimal(2))
    assert (
        _message(lambda: converter.structure({"kind": "other", "value": "2"}, Tagged))
        == "kind: expected 'tagged', got 'other'"
    )
    assert _message(lambda: converter.structure({"amount": "2"}, Tagged)) == (
        "2 problems:\n  - amount: unknown key; expected one of: value\n  - value: missing required key"
    )


# -- a bug found by attrs_hook__mutmut_70 (every document read by the detailed path) --------


def test_a_proposal_with_other_currencies_and_an_error_elsewhere_reports_only_that_error() -> None:
    # The detailed path checks each field with no instance: other_currencies' validator
    # read instance.currency and added "invalid value (AttributeError ...)" to the report.
    data = json.loads((Path(__file__).resolve().parent.parent / "examples" / "rare_disease_phase2.json").read_text())
    proposal = data["candidates"][2]["proposal"]
    assert proposal["other_currencies"] == ["EUR"]
    proposal["currency"] = "XXX1"
    with pytest.raises(ValidationError) as caught:
        loads(json.dumps(data), Scenario, format="json")
    assert [problem.path for problem in caught.value.problems] == ["scenario.candidates[2].proposal.currency"]
    proposal["currency"] = "USD"
    proposal["other_currencies"] = ["USD"]
    with pytest.raises(ValidationError) as caught:
        loads(json.dumps(data), Scenario, format="json")
    assert str(caught.value).endswith("other_currencies[0]: USD is the proposal's own currency; list only other ones")
