"""One-way sensitivity (tornado) of a scenario to its planning assumptions: crokit.sensitivity."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from crokit.demo import demo_scenario
from crokit.errors import CrokitError, ValidationError
from crokit.money import FxRate, FxTable
from crokit.pricing import Proposal, SiteActivation
from crokit.registry import Registry
from crokit.scenario import Evaluation, Scenario, evaluate
from crokit.sensitivity import (
    AssumptionRange,
    AssumptionSensitivity,
    PlanningAssumption,
    SensitivitySettings,
    Tornado,
    assumption_sensitivity,
    default_range,
)
from crokit.serialization import dumps, loads
from crokit.testing import scenarios

#: Each example evaluates the demo two or three times (about 30 ms each).
FEW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def plain() -> Scenario:
    return attrs.evolve(demo_scenario(), sensitivity=None)


@pytest.fixture(scope="module")
def base(plain: Scenario, registry: Registry) -> Evaluation:
    return evaluate(plain, registry=registry)


@pytest.fixture(scope="module")
def tornado(registry: Registry) -> Tornado:
    return assumption_sensitivity(demo_scenario(), registry=registry)


def _one(scenario: Scenario, registry: Registry, assumption: str, low: object, high: object) -> AssumptionSensitivity:
    item = AssumptionRange(assumption=assumption, low=low, high=high)
    settings_ = SensitivitySettings(ranges=(item,))
    (row,) = assumption_sensitivity(scenario, registry=registry, settings=settings_).assumptions
    return row


def _totals(evaluation: Evaluation) -> dict[str, Decimal]:
    """Each priced candidate's total as the ranking reads it (its total cost of outsourcing)."""
    return {
        c.id: (c.ranked_total if c.ranked_total is not None else c.budget.total).amount
        for c in evaluation.candidates
        if c.budget is not None
    }


def _winner(scenario: Scenario, registry: Registry, assumption: PlanningAssumption, value: Decimal) -> str | None:
    row = _one(scenario, registry, assumption.value, value, value)
    return row.winner_low


# -- the demo's tornado ------------------------------------------------------------------


def test_the_demo_evaluation_carries_its_tornado(tornado: Tornado, registry: Registry) -> None:
    evaluation = evaluate(demo_scenario(), registry=registry)
    assert evaluation.sensitivity == tornado
    assert [row.assumption.value for row in tornado.assumptions] == [
        "sites",
        "monitoring-interval-weeks",
        "enrolment-months",
        "startup-months",
        "screen-failure-rate",
        "dropout-rate",
    ]
    assert tornado.winner == evaluation.winner == "helix-cro"


def test_tornado_rows_are_in_order_of_swing(tornado: Tornado) -> None:
    swings = [row.swing.amount for row in tornado.assumptions if row.swing is not None]
    assert swings == sorted(swings, reverse=True)
    assert len(swings) == len(tornado.assumptions)


def test_candidate_totals_at_the_base_value_are_evaluates(tornado: Tornado, base: Evaluation) -> None:
    expected = _totals(base)
    for row in tornado.assumptions:
        assert {swing.candidate: swing.base.amount for swing in row.candidates} == expected
        assert row.winner == base.winner


def test_the_demo_sites_have_a_break_even_where_the_ceiling_leaves_only_the_fsp(tornado: Tornado) -> None:
    sites = next(row for row in tornado.assumptions if row.assumption is PlanningAssumption.SITES)
    assert (sites.low, sites.base, sites.high) == (Decimal(8), Decimal(12), Decimal(18))
    assert sites.winner_changes
    # Helix CRO holds down to 8 sites (Orphan Trials' line in EUR keeps it behind)
    assert sites.break_even_low is None
    assert sites.winner_low == "helix-cro"
    high = sites.break_even_high
    assert high is not None
    # beyond 17 sites every full-service bid passes the budget ceiling; the FSP, whose
    # total cost of outsourcing moves least with sites, is then the only one eligible
    assert (high.before, high.after, high.winner_before, high.winner_after, high.exact) == (
        Decimal(17),
        Decimal(18),
        "helix-cro",
        "clinpath-fsp",
        True,
    )


def test_every_reported_break_even_flips_the_winner_on_one_side_only(
    tornado: Tornado, plain: Scenario, registry: Registry
) -> None:
    found = 0
    for row in tornado.assumptions:
        for point in (row.break_even_low, row.break_even_high):
            if point is None:
                continue
            found += 1
            assert _winner(plain, registry, row.assumption, point.before) == point.winner_before == row.winner
            assert _winner(plain, registry, row.assumption, point.after) == point.winner_after != row.winner
            assert abs(point.after - point.before) == 1
    assert found >= 1


def test_each_candidate_swing_is_high_minus_low(tornado: Tornado) -> None:
    for row in tornado.assumptions:
        for swing in row.candidates:
            assert swing.swing == abs(swing.high - swing.low)
            assert swing.swing.currency == tornado.currency == "USD"


def test_the_tornado_is_a_document_that_round_trips(tornado: Tornado) -> None:
    for fmt in ("json", "toml", "yaml"):
        assert loads(dumps(tornado, fmt), Tornado, fmt) == tornado


# -- properties ---------------------------------------------------------------------------


@FEW
@given(value=st.decimals("0", "0.9", places=2))
def test_a_range_of_one_value_gives_zero_swing(value: Decimal) -> None:
    registry = Registry.builtin()
    row = _one(attrs.evolve(demo_scenario(), sensitivity=None), registry, "screen-failure-rate", value, value)
    assert all(swing.swing.is_zero() for swing in row.candidates)
    assert row.swing is not None
    assert row.swing.is_zero()
    assert row.winner_low == row.winner_high


@FEW
@given(sites=st.integers(1, 30))
def test_a_range_of_one_whole_value_gives_zero_swing_and_its_totals(sites: int) -> None:
    registry = Registry.builtin()
    plain = attrs.evolve(demo_scenario(), sensitivity=None)
    row = _one(plain, registry, "sites", sites, sites)
    at = evaluate(attrs.evolve(plain, study=attrs.evolve(plain.study, sites=sites)), registry=registry)
    assert {swing.candidate: swing.low.amount for swing in row.candidates} == _totals(at)
    assert all(swing.swing.is_zero() for swing in row.candidates)
    assert row.winner_low == row.winner_high == at.winner


@FEW
@given(rates=st.lists(st.decimals("0", "0.9", places=3), min_size=2, max_size=2))
def test_more_screen_failures_never_cost_less(rates: list[Decimal]) -> None:
    low, high = sorted(rates)
    row = _one(attrs.evolve(demo_scenario(), sensitivity=None), Registry.builtin(), "screen-failure-rate", low, high)
    assert all(swing.low <= swing.high for swing in row.candidates)


@FEW
@given(counts=st.lists(st.integers(1, 40), min_size=2, max_size=2))
def test_more_sites_never_cost_less(counts: list[int]) -> None:
    low, high = sorted(counts)
    row = _one(attrs.evolve(demo_scenario(), sensitivity=None), Registry.builtin(), "sites", low, high)
    assert all(swing.low <= swing.high for swing in row.candidates)


@FEW
@given(ends=st.lists(st.integers(2, 30), min_size=2, max_size=2))
def test_a_whole_number_break_even_is_exact_and_flips_the_winner(ends: list[int]) -> None:
    registry = Registry.builtin()
    plain = attrs.evolve(demo_scenario(), sensitivity=None)
    low, high = sorted(ends)
    row = _one(plain, registry, "sites", low, high)
    for point in (row.break_even_low, row.break_even_high):
        if point is not None:
            assert point.exact
            assert abs(point.after - point.before) == 1
            assert _winner(plain, registry, PlanningAssumption.SITES, point.before) == point.winner_before
            assert _winner(plain, registry, PlanningAssumption.SITES, point.after) == point.winner_after
            assert point.winner_before != point.winner_after


def test_the_tornado_is_a_pure_function(registry: Registry) -> None:
    scenario = demo_scenario()
    assert assumption_sensitivity(scenario, registry=registry) == assumption_sensitivity(scenario, registry=registry)
    assert scenario == demo_scenario()


# -- exchange rates: a continuous break-even ----------------------------------------------


def _in_euros(scenario: Scenario, candidate: str) -> Scenario:
    """*scenario* with *candidate*'s proposal in EUR (the same figures) and a EUR rate of 1."""
    index = next(i for i, c in enumerate(scenario.candidates) if c.id == candidate)
    old = scenario.candidates[index]
    assert old.proposal is not None
    proposal = loads(dumps(old.proposal, "json").replace('"USD"', '"EUR"'), Proposal, "json")
    candidates = list(scenario.candidates)
    candidates[index] = attrs.evolve(old, proposal=proposal)
    rate = FxRate(base="EUR", quote="USD", rate=Decimal(1), as_of=dt.date(2027, 1, 1), source="test")
    return attrs.evolve(scenario, candidates=tuple(candidates), fx=FxTable(rates=(rate,)))


@pytest.fixture(scope="module")
def euro(plain: Scenario) -> Scenario:
    return _in_euros(plain, "helix-cro")


def test_the_fx_rate_is_varied_by_default_when_a_proposal_is_in_another_currency(
    euro: Scenario, registry: Registry
) -> None:
    tornado = assumption_sensitivity(euro, registry=registry, settings=SensitivitySettings())
    row = next(row for row in tornado.assumptions if row.assumption is PlanningAssumption.FX_RATE)
    assert (row.currency, row.base, row.low, row.high) == ("EUR", Decimal(1), Decimal("0.90"), Decimal("1.10"))
    assert row.label == "EUR exchange rate"
    # Helix CRO bids in EUR, and Orphan Trials bills one line in EUR: both move with the rate
    for moved in ("helix-cro", "orphan-trials"):
        swing = next(swing for swing in row.candidates if swing.candidate == moved)
        assert swing.high > swing.base > swing.low
    others = [swing for swing in row.candidates if swing.candidate not in {"helix-cro", "orphan-trials"}]
    assert others
    assert all(swing.swing.is_zero() for swing in others)
    assert tornado.not_varied == ()


def test_a_continuous_break_even_is_bracketed_within_the_tolerance(euro: Scenario, registry: Registry) -> None:
    row = _one(euro, registry, "fx-rate", "0.8", "1.5")
    point = row.break_even_high
    assert point is not None
    assert row.break_even_low is None
    assert not point.exact
    assert point.before < point.after
    assert point.after - point.before <= Decimal("0.001") * (row.high - row.low)
    assert point.winner_before == "helix-cro" != point.winner_after
    for value, winner in ((point.before, point.winner_before), (point.after, point.winner_after)):
        at = _one(euro, registry, "fx-rate", value, value)
        assert at.winner_low == winner


def test_the_base_fx_rate_gives_evaluates_totals(euro: Scenario, registry: Registry) -> None:
    row = _one(euro, registry, "fx-rate", "0.5", "2")
    assert {swing.candidate: swing.base.amount for swing in row.candidates} == _totals(
        evaluate(euro, registry=registry)
    )


# -- defaults -----------------------------------------------------------------------------


def test_default_ranges_are_the_documented_illustrative_ones() -> None:
    assert default_range(PlanningAssumption.SCREEN_FAILURE_RATE, Decimal("0.9")) == (Decimal("0.80"), Decimal("0.95"))
    assert default_range(PlanningAssumption.ENROLMENT_MONTHS, Decimal(2)) == (Decimal(1), Decimal(3))
    assert default_range(PlanningAssumption.TREATMENT_MONTHS, Decimal(0)) == (Decimal(0), Decimal(1))
    assert default_range(PlanningAssumption.SITES, Decimal(12), patients=13) == (Decimal(9), Decimal(13))
    assert default_range(PlanningAssumption.MONITORING_VISITS_PER_SITE_MONTH, Decimal("0.5")) == (
        Decimal("0.375"),
        Decimal("0.625"),
    )


def test_the_default_set_follows_what_the_scenario_states(plain: Scenario, registry: Registry) -> None:
    tornado = assumption_sensitivity(plain, registry=registry)
    assert {row.assumption.value for row in tornado.assumptions} == {
        "screen-failure-rate",
        "dropout-rate",
        "enrolment-months",
        "sites",
        "monitoring-interval-weeks",
        "startup-months",
    }
    assert tornado.not_varied == ("exchange rate: every proposal is in the study's currency (USD)",)


def test_sites_are_not_varied_by_default_with_an_explicit_activation_plan(plain: Scenario, registry: Registry) -> None:
    plan = attrs.evolve(plain.assumptions, activation=SiteActivation.planned((0, 6), (2, 6)))
    tornado = assumption_sensitivity(attrs.evolve(plain, assumptions=plan), registry=registry)
    assert PlanningAssumption.SITES not in {row.assumption for row in tornado.assumptions}
    assert tornado.not_varied[0].startswith("sites: the assumptions give an explicit activation plan")


def test_one_end_given_keeps_the_default_other_end(plain: Scenario, registry: Registry) -> None:
    row = _one(plain, registry, "dropout-rate", None, "0.5")
    assert (row.low, row.high) == (Decimal(0), Decimal("0.5"))


# -- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "path", "words"),
    [
        ({"assumption": "sites", "low": 12, "high": 8}, "high", "expected a value >= low (12), got 8"),
        ({"assumption": "dropout-rate", "low": "1.2"}, "low", "0.012"),
        ({"assumption": "screen-failure-rate", "high": 1}, "high", "1 is not a fraction between 0 and 1"),
        ({"assumption": "dropout-rate", "low": "-0.1"}, "low", "-0.1"),
        ({"assumption": "enrolment-months", "low": "6.5"}, "low", "whole number of enrolment months"),
        ({"assumption": "startup-months", "low": 0}, "low", "from 1 to 600"),
        ({"assumption": "fx-rate", "low": 0}, "low", "exchange rate > 0"),
        ({"assumption": "site", "low": 1}, "assumption", "did you mean 'sites'?"),
        ({"assumption": "sites", "currency": "EUR"}, "currency", "only for fx-rate"),
    ],
)
def test_bad_ranges_are_refused_with_their_path(kwargs: dict[str, Any], path: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        AssumptionRange(**kwargs)
    assert [problem.path for problem in caught.value.problems] == [path]
    assert words in str(caught.value)


def test_floats_are_refused() -> None:
    with pytest.raises(CrokitError, match="float"):
        AssumptionRange(assumption="dropout-rate", low=0.1)


def test_settings_refuse_a_repeated_assumption_and_a_bad_tolerance() -> None:
    with pytest.raises(ValidationError) as caught:
        SensitivitySettings(ranges=(AssumptionRange(assumption="sites"), AssumptionRange(assumption="sites")))
    assert caught.value.problems[0].path == "ranges[1].assumption"
    assert caught.value.problems[0].message == "sites is already varied at ranges[0]"
    for bad in (0, "0.6", -1):
        with pytest.raises(ValidationError, match="tolerance"):
            SensitivitySettings(tolerance=bad)


def test_a_bad_range_in_a_file_names_its_path(registry: Registry) -> None:
    data = json.loads(dumps(demo_scenario(), "json", registry=registry))
    data["sensitivity"]["ranges"][3]["assumption"] = "site-count"
    text = json.dumps(data)
    with pytest.raises(ValidationError) as caught:
        loads(text, Scenario, "json", registry=registry)
    assert [problem.path for problem in caught.value.problems] == ["scenario.sensitivity.ranges[3].assumption"]


@pytest.mark.parametrize(
    ("item", "path", "words"),
    [
        (AssumptionRange(assumption="sites", high=61), "scenario.sensitivity.ranges[0].high", "60 patients"),
        (
            AssumptionRange(assumption="monitoring-visits-per-site-month"),
            "scenario.sensitivity.ranges[0].assumption",
            "as monitoring-interval-weeks",
        ),
        (AssumptionRange(assumption="fx-rate"), "scenario.sensitivity.ranges[0].currency", "no other currency"),
        (
            AssumptionRange(assumption="fx-rate", currency="USD"),
            "scenario.sensitivity.ranges[0].assumption",
            "study's own currency",
        ),
        (AssumptionRange(assumption="fx-rate", currency="JPY"), "scenario.sensitivity.ranges[0].currency", "JPY"),
    ],
)
def test_ranges_the_scenario_cannot_take_are_refused_with_their_path(
    item: AssumptionRange, path: str, words: str, plain: Scenario, registry: Registry
) -> None:
    scenario = attrs.evolve(plain, sensitivity=SensitivitySettings(ranges=(item,)))
    with pytest.raises(ValidationError) as caught:
        evaluate(scenario, registry=registry)
    assert [problem.path for problem in caught.value.problems] == [path]
    assert words in str(caught.value)


def test_a_value_the_scenario_refuses_names_the_range(plain: Scenario, registry: Registry) -> None:
    plan = attrs.evolve(plain.assumptions, activation=SiteActivation.planned((0, 6), (10, 6)))
    scenario = attrs.evolve(plain, assumptions=plan)
    settings_ = SensitivitySettings(ranges=(AssumptionRange(assumption="enrolment-months", low=3, high=12),))
    with pytest.raises(ValidationError) as caught:
        assumption_sensitivity(scenario, registry=registry, settings=settings_)
    assert [problem.path for problem in caught.value.problems] == ["scenario.sensitivity.ranges[0]"]
    assert "with enrolment months = 3 the scenario is refused" in str(caught.value)


def test_the_public_names_are_reachable_from_the_module() -> None:
    import crokit.sensitivity

    assert crokit.sensitivity.assumption_sensitivity is assumption_sensitivity
    assert "assumption_sensitivity" in dir(crokit.sensitivity)


# -- reports ------------------------------------------------------------------------------


def test_the_report_shows_the_tornado_with_names_and_break_evens(registry: Registry) -> None:
    from crokit.report import render

    text = render(evaluate(demo_scenario(), registry=registry), "markdown")
    section = text[text.index("## Sensitivity to assumptions") :]
    sites = next(line for line in section.splitlines() if line.startswith("| sites |"))
    assert sites.split(" | ")[1:] == [
        "8",
        "12",
        "18",
        "413,948.00 USD",
        "8 to 17",
        "18: ClinPath FSP (functional service provider, illustrative) |",
    ]
    assert "| screen-failure rate | 15% | 25% | 40% |" in section
    assert "illustrative defaults, not published figures" in section


def test_a_scenario_without_the_section_has_no_tornado_anywhere(plain: Scenario, base: Evaluation) -> None:
    from crokit.report import json_report, render

    assert base.sensitivity is None
    assert "Sensitivity to assumptions" not in render(base, "text")
    assert json_report(base)["sensitivity"]["assumptions"] is None
    assert plain.sensitivity is None


def test_the_json_report_holds_the_tornado_exactly(tornado: Tornado, registry: Registry) -> None:
    from crokit.report import json_report

    found = json_report(evaluate(demo_scenario(), registry=registry))["sensitivity"]["assumptions"]
    assert json.loads(json.dumps(found)) == found
    assert found["winner"] == "helix-cro"
    assert found["tolerance"] == "0.001"
    first = found["rows"][0]
    assert (first["assumption"], first["base"], first["low"], first["high"]) == ("sites", "12", "8", "18")
    assert first["swing"] == {"amount": "413948.00", "currency": "USD"}
    assert first["winner_changes"] is True
    assert first["break_even_low"] is None
    assert first["break_even_high"] == {
        "before": "17",
        "after": "18",
        "winner_before": "helix-cro",
        "winner_after": "clinpath-fsp",
        "exact": True,
    }
    assert [row["assumption"] for row in found["rows"]] == [row.assumption.value for row in tornado.assumptions]
    helix = next(item for item in first["candidates"] if item["id"] == "helix-cro")
    assert helix["base"] == {"amount": "1298263.32", "currency": "USD"}


def test_a_tornado_holds_totals_in_its_own_currency_only(tornado: Tornado) -> None:
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(tornado, currency="EUR")
    assert caught.value.problems[0].path == "assumptions[0].candidates[0].base"


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(scenario=scenarios(max_candidates=2), assumption=st.sampled_from(["dropout-rate", "enrolment-months"]))
def test_on_drawn_scenarios_the_base_is_evaluates_and_a_point_range_does_not_swing(
    scenario: Scenario, assumption: str
) -> None:
    registry = Registry.builtin()
    plain = attrs.evolve(scenario, sensitivity=None)
    try:
        expected = evaluate(plain, registry=registry)
    except CrokitError:
        reject()
    value = plain.study.dropout_rate if assumption == "dropout-rate" else plain.assumptions.enrolment_months
    try:
        row = _one(plain, registry, assumption, value, value)
    except CrokitError:
        reject()  # an explicit activation plan may not fit the drawn enrolment period
    assert {swing.candidate: swing.base.amount for swing in row.candidates} == _totals(expected)
    assert all(swing.swing.is_zero() and swing.low == swing.base for swing in row.candidates)
    assert row.winner == row.winner_low == row.winner_high == expected.winner
    assert row.break_even_low is None
    assert row.break_even_high is None
