"""One unit convention: every rate and share is a fraction, and a percentage by mistake gets a hint."""

from __future__ import annotations

import enum
import importlib
import pkgutil
import typing
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crokit
from crokit import Stage, Study, TeamExperience, ValidationError
from crokit.pricing import (
    Contingency,
    DiscountTier,
    Escalation,
    FixedFee,
    InvestigatorGrants,
    ManagementFee,
    MilestonePayment,
    PassThrough,
    PercentDiscount,
    PricingKind,
    TotalTier,
)
from crokit.schedule import BillingTerms
from crokit.selection import CustomConstraint, DueDiligence, SponsorPreferences, check_due_diligence
from crokit.selection.due_diligence import Answer
from crokit.units import check_fraction, from_percent, percent_text

USD = crokit.Money("100.00", "USD")
START = date(2027, 1, 1)


def _message(build: typing.Callable[[], object]) -> str:
    with pytest.raises(ValidationError) as info:
        build()
    return str(info.value)


def test_a_management_fee_of_5_suggests_the_fraction() -> None:
    message = _message(
        lambda: PassThrough(
            service="crokit:pass-through-expenses", stage=Stage.PHASE_2, estimate=USD, management_fee="5"
        )
    )
    assert message == "management_fee: 5 is not a fraction between 0 and 1; did you mean 0.05 (5%)?"


@pytest.mark.parametrize(
    ("build", "path", "meant"),
    [
        (lambda: PercentDiscount(rate=10), "rate", "0.10"),
        (lambda: Contingency(rate="7.5"), "rate", "0.075"),
        (lambda: ManagementFee(rate=8), "rate", "0.08"),
        (lambda: TotalTier(min_total=USD, rate=3), "rate", "0.03"),
        (lambda: DiscountTier(min_fte_months=1, rate=3), "rate", "0.03"),
        (lambda: Escalation(annual_rate=3, base_date=START, start_date=START), "annual_rate", "0.03"),
        (lambda: BillingTerms(holdback_share=5), "holdback_share", "0.05"),
        (
            lambda: InvestigatorGrants(
                stage=Stage.PHASE_2,
                fee_per_visit=USD,
                screen_failure_fee=USD,
                early_termination_fee=USD,
                startup_fee_per_site=USD,
                holdback_share=10,
            ),
            "holdback_share",
            "0.10",
        ),
        (lambda: MilestonePayment(milestone="database-lock", share=30), "share", "0.30"),
        (lambda: TeamExperience(average_years=5, turnover_rate=24), "turnover_rate", "0.24"),
        (
            lambda: CustomConstraint(id="t", description="turnover", kind="max-turnover", value="20"),
            "value",
            "0.20",
        ),
    ],
)
def test_every_rate_field_refuses_a_percentage_with_a_hint(
    build: typing.Callable[[], object], path: str, meant: str
) -> None:
    message = _message(build)
    assert message.startswith(f"{path}: ")
    assert f"did you mean {meant} (" in message


def test_study_rates_hint_too() -> None:
    study = crokit.demo.demo_scenario().study
    message = _message(lambda: attrs.evolve(study, dropout_rate="10"))
    assert message == "dropout_rate: 10 is not a fraction between 0 and 1; did you mean 0.10 (10%)?"


def test_out_of_range_without_a_plausible_percentage_says_the_range() -> None:
    message = _message(lambda: Escalation(annual_rate="0.6", base_date=START, start_date=START))
    assert message == "annual_rate: expected a fraction from 0 to 0.5 (50%), where 0.05 means 5%, got 0.6"
    assert "did you mean" not in _message(lambda: PercentDiscount(rate=150))
    assert "did you mean" not in _message(lambda: PercentDiscount(rate="-0.1"))


def test_due_diligence_percentage_answers_hint() -> None:
    registry = crokit.Registry.builtin()
    answers = DueDiligence(candidate="helix", answers=(Answer(question="crokit:dd-team-turnover", number="25"),))
    with pytest.raises(ValidationError) as info:
        check_due_diligence(answers, registry)
    assert str(info.value) == ("answers[0].number: 25 is not a fraction between 0 and 1; did you mean 0.25 (25%)?")
    check_due_diligence(
        DueDiligence(candidate="helix", answers=(Answer(question="crokit:dd-team-turnover", number="0.25"),)),
        registry,
    )


def test_labels_still_show_percentages() -> None:
    assert percent_text(Decimal("0.10")) == "10"
    assert percent_text(Decimal("0.0250")) == "2.5"
    assert percent_text(Decimal(0)) == "0"
    assert percent_text(Decimal(1)) == "100"


@given(st.integers(0, 6).flatmap(lambda places: st.decimals(0, 100, places=places)) | st.integers(0, 100))
def test_from_percent_is_exact(percent: Decimal | int) -> None:
    fraction = from_percent(percent)
    assert fraction * 100 == percent
    assert Decimal(str(fraction)) == fraction
    assert Decimal(percent_text(fraction)) == percent


@given(st.decimals(min_value="0.01", max_value="0.99", places=4))
def test_a_fraction_in_range_passes_and_its_percentage_is_refused_with_it(fraction: Decimal) -> None:
    check_fraction(fraction, "x", below_maximum=True)
    percent = fraction.scaleb(2)
    if percent >= 1:
        with pytest.raises(ValidationError, match=f"did you mean {fraction}"):
            check_fraction(percent, "x", below_maximum=True)


# Enum fields take their text in Python as they do in files.


def test_study_takes_the_phase_as_text() -> None:
    study = crokit.demo.demo_scenario().study
    assert attrs.evolve(study, phase="phase-3").phase is Stage.PHASE_3
    assert attrs.evolve(study, phase="PHASE_3").phase is Stage.PHASE_3
    assert SponsorPreferences(preferred_pricing=["unit-price"]).preferred_pricing == (PricingKind.UNIT,)
    assert SponsorPreferences(preferred_pricing=["fixed-fee", "unit"]).preferred_pricing == (
        PricingKind.FIXED_FEE,
        PricingKind.UNIT,
    )
    text = 'preferred_pricing = ["unit-price", "investigator-grants"]'
    loaded = crokit.loads(text, SponsorPreferences, "toml")
    assert loaded.preferred_pricing == (PricingKind.UNIT, PricingKind.GRANTS)


def test_a_refused_enum_value_is_never_listed_as_allowed() -> None:
    """Regression: ``phase = 'phase-3'`` was refused with 'phase-3' among the allowed values."""
    study = crokit.demo.demo_scenario().study
    assert attrs.evolve(study, phase="phase-3").phase is Stage.PHASE_3
    message = _message(lambda: attrs.evolve(study, phase="phase-9"))
    assert message.startswith("phase: expected a Stage, one of ")
    assert "got 'phase-9'" in message
    assert "'phase-9'" not in message.split("got")[0]
    message = _message(lambda: FixedFee(service="x:y", stage="phase2", fee=USD, milestones=()))
    assert message.startswith("stage: expected a Stage, one of ")
    assert "got 'phase2'; did you mean 'phase-2'?" in message


def _public_attrs_classes() -> list[type]:
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(crokit.__path__, "crokit."):
        if info.name.endswith("__main__") or any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if isinstance(obj, type) and attrs.has(obj):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[key] for key in sorted(found)]


def _enum_fields() -> list[tuple[type, str, type[enum.Enum], bool]]:
    fields = []
    for cls in _public_attrs_classes():
        hints = typing.get_type_hints(cls)
        for field in attrs.fields(cls):
            hint: Any = hints[field.name]
            members = [arg for arg in (hint, *typing.get_args(hint)) if isinstance(arg, type)]
            kinds = [arg for arg in members if issubclass(arg, enum.Enum)]
            if field.init and kinds:
                container = typing.get_origin(hint) in {tuple, frozenset}
                fields.append((cls, field.name, kinds[0], container))
    return fields


ENUM_FIELDS = _enum_fields()


def test_the_walk_finds_the_enum_fields() -> None:
    names = {f"{cls.__name__}.{name}" for cls, name, _, _ in ENUM_FIELDS}
    assert {"Study.phase", "SponsorPreferences.preferred_pricing", "BillingTerms.frequency"} <= names
    assert len(ENUM_FIELDS) > 40


@pytest.mark.parametrize(
    ("cls", "name", "kind", "container"), ENUM_FIELDS, ids=lambda v: getattr(v, "__name__", str(v))
)
def test_every_enum_field_converts_its_text(
    cls: type,
    name: str,
    kind: type[enum.Enum],
    container: bool,  # noqa: FBT001 - a parameter
) -> None:
    field = attrs.fields_dict(cls)[name]
    assert field.converter is not None, f"{cls.__name__}.{name} has no converter"
    convert = typing.cast("typing.Callable[[object], Any]", field.converter)
    for member in kind:
        if container:
            assert set(convert([member.value])) == {member}
        else:
            assert convert(member.value) is member


def test_study_phase_as_text_in_python_equals_the_member() -> None:
    study = crokit.demo.demo_scenario().study
    as_text = Study(**{**{f.name: getattr(study, f.name) for f in attrs.fields(Study)}, "phase": "phase-2"})
    assert as_text == study
