"""Scenario schema migrations, tested on the example files as they shipped.

1 -> 2: rates and shares become fractions exactly, the budget ceiling is stated once.
2 -> 3: a file keeps the pricing fit it was written for (ceiling band, ratio to the lowest).

tests/data/schema_v1/ and schema_v2/ hold the example files as they were before each
change (unedited copies of examples/rare_disease_phase2.* at the commit before it).
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crokit
from crokit._migrations import scenario_v1_to_v2, scenario_v2_to_v3
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.errors import ValidationError
from crokit.money import FxTable
from crokit.scenario import Scenario, evaluate
from crokit.selection import SponsorPreferences
from crokit.serialization import structure

V1 = Path(__file__).resolve().parent / "data" / "schema_v1"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _without_issue_10(scenario: Scenario) -> Scenario:
    """The example as it was before the bids of issue 10 (no FSP, no bid assumptions, price against the lowest bid)."""
    candidates = [
        attrs.evolve(candidate, bid_assumptions=None)
        for candidate in scenario.candidates
        if candidate.id != "clinpath-fsp"
    ]
    selection = attrs.evolve(scenario.selection, preferences=_v2_pricing_fit(scenario.selection.preferences))
    return attrs.evolve(scenario, candidates=candidates, selection=selection)


def _v2_pricing_fit(preferences: SponsorPreferences, *, against_lowest: bool = True) -> SponsorPreferences:
    """*preferences* with pricing fit as schema version 2 scored it (a ceiling band of 80% to 120%)."""
    return attrs.evolve(
        preferences,
        price_full_at=Decimal("0.8"),
        price_zero_at=Decimal("1.2"),
        price_against_lowest=against_lowest,
    )


def _v1() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((V1 / "rare_disease_phase2.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == 1
    return data


def _as_in_version_1(scenario: Scenario) -> Scenario:
    """*scenario* without what the demo gained after schema 1.

    That is Orphan Trials' line in EUR, its exchange rate, the sensitivity and forecast sections and
    the bids of issue 10 (the FSP, bid assumptions, pricing fit against the lowest bid).
    """
    scenario = _without_issue_10(scenario)
    candidates = tuple(
        attrs.evolve(
            candidate,
            proposal=attrs.evolve(
                candidate.proposal,
                items=tuple(item for item in candidate.proposal.items if item.currency == candidate.proposal.currency),
                other_currencies=(),
            ),
        )
        if candidate.proposal is not None
        else candidate
        for candidate in scenario.candidates
    )
    return attrs.evolve(scenario, candidates=candidates, fx=FxTable(), sensitivity=None, forecast=None)


@pytest.mark.parametrize("suffix", [".toml", ".json", ".yaml"])
def test_old_examples_migrate_to_the_new_example(suffix: str, registry: crokit.Registry) -> None:
    old = crokit.load(V1 / f"rare_disease_phase2{suffix}", Scenario, registry=registry)
    new = crokit.load(EXAMPLES / f"rare_disease_phase2{suffix}", Scenario, registry=registry)
    assert new == demo_scenario()
    assert old == _as_in_version_1(new)


def test_old_and_new_examples_evaluate_identically_to_the_cent(registry: crokit.Registry) -> None:
    old = evaluate(crokit.load(V1 / "rare_disease_phase2.toml", Scenario, registry=registry), seed=DEMO_SEED)
    example = crokit.load(EXAMPLES / "rare_disease_phase2.toml", Scenario, registry=registry)
    new = evaluate(_as_in_version_1(example), seed=DEMO_SEED)
    assert old == new
    budgets = {c.id: str(c.budget.total) for c in new.candidates if c.budget is not None}
    assert budgets == {c.id: str(c.budget.total) for c in old.candidates if c.budget is not None}
    assert [c.id for c in new.candidates] == [c.id for c in old.candidates]
    assert new.winner == old.winner == "helix-cro"


def test_the_migration_renames_and_converts_every_percentage() -> None:
    migrated = scenario_v1_to_v2(_v1())
    candidate = migrated["candidates"][0]
    items = {item["kind"]: item for item in candidate["proposal"]["items"]}
    payment = items["fixed-fee"]["milestones"][0]
    assert (payment["milestone"], payment["share"], "percent" in payment) == ("contract-signed", "0.30", False)
    assert items["fte"]["volume_discount"]["tiers"] == [{"min_fte_months": "6", "rate": "0.03"}]
    assert items["investigator-grants"]["holdback_share"] == "0.10"
    assert "holdback_percent" not in items["investigator-grants"]
    assert items["pass-through"]["management_fee"] == "0.08"  # already a fraction in version 1
    assert candidate["proposal"]["adjustments"][0]["annual_rate"] == "0.03"
    answers = {answer["question"]: answer.get("number") for answer in candidate["answers"]}
    assert answers["crokit:dd-team-turnover"] == "0.25"
    assert answers["crokit:dd-recruitment-track-record"] == "0.70"
    assert answers["crokit:dd-indication-phase-studies"] == "3"  # a count, not a rate
    assert candidate["profile"]["team"]["turnover_rate"] == "0.25"
    assert migrated["billing"]["holdback_share"] == "0.05"
    selection = migrated["selection"]
    assert "budget_ceiling" not in selection["constraints"]
    assert selection["constraints"]["within_budget_ceiling"] is True
    assert selection["preferences"]["budget_ceiling"] == {"amount": "1500000.00", "currency": "USD"}


def test_the_migration_leaves_its_input_alone() -> None:
    data = _v1()
    before = copy.deepcopy(data)
    scenario_v1_to_v2(data)
    assert data == before


def test_adjustments_of_every_kind_migrate() -> None:
    data = _v1()
    data["candidates"][0]["proposal"]["adjustments"] = [
        {"kind": "percent-discount", "percent": "2.5"},
        {"kind": "contingency", "percent": 10},
        {"kind": "management-fee", "percent": "7"},
        {"kind": "tiered-discount", "tiers": [{"min_total": {"amount": "1", "currency": "USD"}, "percent": "1"}]},
    ]
    data["candidates"][1]["billing"] = {"holdback_percent": "7.5"}
    migrated = scenario_v1_to_v2(data)
    adjustments = migrated["candidates"][0]["proposal"]["adjustments"]
    assert [a.get("rate") for a in adjustments[:3]] == ["0.025", "0.10", "0.07"]
    assert adjustments[3]["tiers"][0]["rate"] == "0.01"
    assert migrated["candidates"][1]["billing"] == {"holdback_share": "0.075"}
    scenario = structure({**migrated, "schema_version": 2}, Scenario)
    assert scenario.candidates[1].billing is not None
    assert scenario.candidates[1].billing.holdback_share == Decimal("0.075")


def test_two_different_ceilings_are_refused_naming_both() -> None:
    data = _v1()
    data["selection"]["preferences"]["budget_ceiling"]["amount"] = "1400000.00"
    with pytest.raises(ValidationError) as info:
        structure(data, Scenario)
    (problem,) = info.value.problems
    assert problem.path == "scenario.selection.constraints.budget_ceiling"
    assert "1500000.00 USD here and 1400000.00 USD in selection.preferences.budget_ceiling" in problem.message


def test_the_same_ceiling_written_differently_is_one_ceiling() -> None:
    data = _v1()
    data["selection"]["preferences"]["budget_ceiling"]["amount"] = "1500000"
    assert structure(data, Scenario).selection.preferences.budget_ceiling == crokit.Money("1500000", "USD")


def test_a_hard_ceiling_alone_moves_to_the_preferences() -> None:
    data = _v1()
    del data["selection"]["preferences"]["budget_ceiling"]
    scenario = structure(data, Scenario)
    assert scenario.selection.preferences.budget_ceiling == crokit.Money("1500000.00", "USD")
    assert scenario.selection.constraints.within_budget_ceiling


def test_a_float_is_left_for_the_loader_to_refuse_with_its_path() -> None:
    data = _v1()
    data["billing"]["holdback_percent"] = 5.0
    with pytest.raises(ValidationError) as info:
        structure(data, Scenario)
    assert info.value.problems[0].path == "scenario.billing.holdback_share"


def test_version_3_is_current_and_4_is_refused() -> None:
    text = (EXAMPLES / "rare_disease_phase2.json").read_text(encoding="utf-8")
    assert json.loads(text)["schema_version"] == 3
    with pytest.raises(crokit.SchemaVersionError, match="reads versions up to 3"):
        structure({**json.loads(text), "schema_version": 4}, Scenario)


PERCENTS = st.integers(0, 4).flatmap(lambda places: st.decimals(0, "99.99", places=places))


@given(
    escalation=PERCENTS.filter(lambda p: p <= 50), holdback=PERCENTS, tiers=st.lists(PERCENTS, min_size=3, max_size=3)
)
def test_random_percentages_become_exact_fractions(
    escalation: Decimal, holdback: Decimal, tiers: list[Decimal]
) -> None:
    data = _v1()
    proposal = data["candidates"][2]["proposal"]
    proposal["adjustments"][0]["annual_percent"] = str(escalation)
    data["billing"]["holdback_percent"] = str(holdback)
    proposal["adjustments"].append({"kind": "contingency", "percent": str(tiers[0])})
    proposal["adjustments"].append({"kind": "percent-discount", "percent": str(tiers[1])})
    fte = next(item for item in proposal["items"] if item["kind"] == "fte")
    fte["volume_discount"]["tiers"][0]["percent"] = str(tiers[2])
    scenario = structure(data, Scenario)
    assert scenario.billing.holdback_share * 100 == holdback
    migrated = scenario.candidates[2].proposal
    assert migrated is not None
    escalation_item, contingency, discount = migrated.adjustments
    assert escalation_item.annual_rate * 100 == escalation  # type: ignore[union-attr]
    assert contingency.rate * 100 == tiers[0]  # type: ignore[union-attr]
    assert discount.rate * 100 == tiers[1]  # type: ignore[union-attr]
    (fte_item,) = [item for item in migrated.items if getattr(item, "kind", "") == "fte"]
    assert fte_item.volume_discount.tiers[0].rate * 100 == tiers[2]  # type: ignore[union-attr]
    # written again, it is a version-2 file that reads back the same
    assert crokit.loads(crokit.dumps(scenario, "toml"), Scenario, "toml") == scenario


V2 = Path(__file__).resolve().parent / "data" / "schema_v2"


def test_a_version_2_file_keeps_its_pricing_fit(registry: crokit.Registry) -> None:
    old = crokit.load(V2 / "rare_disease_phase2.toml", Scenario, registry=registry)
    demo = demo_scenario()
    as_before = attrs.evolve(
        demo,
        selection=attrs.evolve(
            demo.selection, preferences=_v2_pricing_fit(demo.selection.preferences, against_lowest=False)
        ),
    )
    assert old == as_before
    before, now = evaluate(old, seed=DEMO_SEED), evaluate(as_before, seed=DEMO_SEED)
    assert before == now
    assert before.winner == "helix-cro"


def test_version_2_pricing_fit_is_written_in_only_where_the_file_is_silent() -> None:
    silent = scenario_v2_to_v3({"sponsor": "S"})
    assert silent["selection"]["preferences"] == {
        "price_full_at": "0.8",
        "price_zero_at": "1.2",
        "price_against_lowest": True,
    }
    stated = {"selection": {"preferences": {"price_against_lowest": False, "min_team_years": "4"}}}
    upgraded = scenario_v2_to_v3(stated)
    assert upgraded["selection"]["preferences"] == {
        "price_against_lowest": False,
        "min_team_years": "4",
        "price_full_at": "0.8",
        "price_zero_at": "1.2",
    }
    assert stated == {"selection": {"preferences": {"price_against_lowest": False, "min_team_years": "4"}}}


@pytest.mark.parametrize("bad", [{"selection": "fast"}, {"selection": {"preferences": ["cheap"]}}])
def test_a_selection_that_is_not_a_table_is_left_for_the_loader_to_refuse(bad: dict[str, Any]) -> None:
    assert scenario_v2_to_v3(bad) == bad
    with pytest.raises(crokit.CrokitError, match="selection"):
        structure({**bad, "schema_version": 2}, Scenario)
