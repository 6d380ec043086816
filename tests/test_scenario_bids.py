"""The bids part of a scenario: scope, total cost of outsourcing, normalisation, rates, ``requires``."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from crokit._requires import check_requires
from crokit.bids import BidAssumptions, Coverage, OutsideScope
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.errors import CrokitError, ValidationError
from crokit.money import Money
from crokit.pricing import PricingKind
from crokit.registry import ExtensionInfo, Registry
from crokit.report import json_report, render
from crokit.report._bids import _gap_parts
from crokit.scenario import Evaluation, Scenario, evaluate
from crokit.selection import SelectionSettings
from crokit.serialization import dumps, loads, structure
from crokit.testing import evaluations, scenarios

ROOT = Path(__file__).resolve().parents[1]
FEW = settings(max_examples=15, deadline=None)


@pytest.fixture(scope="module")
def evaluation(registry: Registry) -> Evaluation:
    return evaluate(demo_scenario(), registry=registry, seed=DEMO_SEED)


def _gap_parts_sum(evaluation: Evaluation) -> None:
    for result in evaluation.candidates:
        found = result.normalisation
        if found is None:
            assert result.budget is None
            continue
        assert found.normalised == result.budget
        assert found.volume + found.rate + found.scope + found.rounding == found.gap
        assert found.gap == found.normalised.total - found.quoted.total


def _tco(evaluation: Evaluation) -> None:
    for result in evaluation.candidates:
        coverage = result.coverage
        if coverage is None:
            continue
        assert result.budget is not None
        assert coverage.cro_price == result.budget.total
        sponsor = [row.amount for row in coverage.rows if row.coverage is Coverage.SPONSOR]
        vendors = [row.amount for row in coverage.rows if row.coverage is Coverage.OTHER_VENDOR]
        zero = Money.zero(evaluation.currency)
        assert coverage.total_cost_of_outsourcing == result.budget.total + sum(sponsor, zero) + sum(vendors, zero)


def _missing_warned(evaluation: Evaluation, registry: Registry) -> None:
    for result in evaluation.candidates:
        for service in () if result.coverage is None else result.coverage.missing:
            name = registry.service(service).name
            assert any(
                w.startswith(f"{result.name}: nobody covers {name} ") and "not like for like" in w
                for w in evaluation.warnings
            ), (result.name, name, evaluation.warnings)


@st.composite
def demo_variants(draw: st.DrawFn) -> Scenario:
    """The demo with drawn scope assignments, bid assumptions, candidates and ranking price."""
    scenario = demo_scenario()
    required = list(scenario.study.required_services)
    candidates = []
    for candidate in scenario.candidates:
        services = draw(st.lists(st.sampled_from(required), unique=True, max_size=3))
        outside = []
        for service in services:
            by = draw(st.sampled_from([Coverage.SPONSOR, Coverage.OTHER_VENDOR]))
            cost = Money(draw(st.decimals(min_value=0, max_value=500_000, places=2)), "USD")
            vendor = "Another vendor" if by is Coverage.OTHER_VENDOR else None
            outside.append(OutsideScope(service=service, by=by, cost=cost, vendor=vendor))
        own = draw(
            st.none()
            | st.builds(
                BidAssumptions,
                planned_patients=st.none() | st.integers(30, 120),
                screen_failure_rate=st.none() | st.decimals(min_value=0, max_value=Decimal("0.6"), places=2),
                dropout_rate=st.none() | st.decimals(min_value=0, max_value=Decimal("0.4"), places=2),
            )
        )
        candidates.append(attrs.evolve(candidate, outside_scope=outside, bid_assumptions=own))
    kept = draw(st.lists(st.sampled_from(candidates), min_size=1, unique_by=lambda c: c.id))
    return attrs.evolve(scenario, candidates=kept, ranking_price=draw(st.sampled_from(["normalised", "quoted"])))


@FEW
@given(evaluations())
def test_every_drawn_evaluation_explains_its_totals(evaluation: Evaluation) -> None:
    registry = Registry.builtin()
    _gap_parts_sum(evaluation)
    _tco(evaluation)
    _missing_warned(evaluation, registry)


@FEW
@given(demo_variants())
def test_every_demo_variant_explains_its_totals(scenario: Scenario) -> None:
    registry = Registry.builtin()
    evaluation = evaluate(scenario, registry=registry)
    _gap_parts_sum(evaluation)
    _tco(evaluation)
    _missing_warned(evaluation, registry)
    _ranked(scenario, evaluation)
    for candidate in scenario.candidates:
        result = evaluation.candidate(candidate.id)
        if result.normalisation is not None and candidate.bid_assumptions is None:
            assert result.normalisation.gap.is_zero()


def _ranked(scenario: Scenario, evaluation: Evaluation) -> None:
    for result in evaluation.candidates:
        if result.coverage is None or result.normalisation is None:
            assert result.ranked_total is None
            continue
        chosen = (
            result.normalisation.normalised if scenario.ranking_price == "normalised" else result.normalisation.quoted
        )
        outside = result.coverage.sponsor_internal + result.coverage.other_vendors
        assert result.ranked_total == chosen.total + outside


def _absolute(scenario: Scenario) -> Scenario:
    selection = scenario.selection
    preferences = attrs.evolve(selection.preferences, price_against_lowest=False)
    return attrs.evolve(
        scenario,
        selection=attrs.evolve(selection, method="weighted-sum", normalisation="absolute", preferences=preferences),
    )


@FEW
@given(st.one_of(scenarios(max_candidates=3), demo_variants()), st.data())
def test_removing_a_candidate_leaves_the_others_scores_unchanged(scenario: Scenario, data: st.DataObject) -> None:
    scenario = _absolute(scenario)
    registry = Registry.builtin()
    try:
        whole = evaluate(scenario, registry=registry)
    except CrokitError:
        reject()
    gone = data.draw(st.sampled_from(scenario.candidates)).id
    rest = evaluate(
        attrs.evolve(scenario, candidates=[c for c in scenario.candidates if c.id != gone]), registry=registry
    )
    for result in rest.candidates:
        assert result.score == whole.candidate(result.id).score


# The demo: the done-when of issue 10.


def test_demo_no_eligible_candidate_scores_zero_unless_its_absolute_scores_are(
    evaluation: Evaluation,
) -> None:
    cards = {card.candidate: card for card in evaluation.ranking.scorecards}
    for result in evaluation.candidates:
        if result.eligible:
            assert result.score is not None
            absolute = [score.value for score in cards[result.id].criterion_scores]
            assert result.score > 0 or not any(absolute)


@pytest.mark.parametrize("gone", [c.id for c in demo_scenario().candidates])
def test_demo_removing_any_candidate_leaves_the_others_scores_unchanged(
    gone: str, evaluation: Evaluation, registry: Registry
) -> None:
    scenario = demo_scenario()
    rest = evaluate(
        attrs.evolve(scenario, candidates=[c for c in scenario.candidates if c.id != gone]),
        registry=registry,
        seed=DEMO_SEED,
    )
    assert rest.candidates
    for result in rest.candidates:
        assert result.score == evaluation.candidate(result.id).score


def test_demo_fsp_is_compared_over_the_same_scope(evaluation: Evaluation) -> None:
    fsp = evaluation.candidate("clinpath-fsp")
    assert fsp.eligible
    assert fsp.coverage is not None
    rows = {row.service: row.coverage for row in fsp.coverage.rows}
    assert rows["crokit:on-site-monitoring"] is Coverage.PRICED
    assert rows["crokit:data-management"] is Coverage.SPONSOR
    assert rows["crokit:biostatistics"] is Coverage.OTHER_VENDOR
    assert fsp.budget is not None
    assert PricingKind.FTE in fsp.budget.by_kind()
    outside = fsp.coverage.sponsor_internal + fsp.coverage.other_vendors
    assert outside.amount > 0
    assert fsp.ranked_total == fsp.budget.total + outside
    assert fsp.coverage.total_cost_of_outsourcing == fsp.ranked_total


def test_demo_bid_quoted_under_its_own_assumptions_moves_when_normalised(evaluation: Evaluation) -> None:
    moved = [r for r in evaluation.candidates if r.normalisation is not None and r.normalisation.differences]
    assert [r.id for r in moved] == ["orphan-trials"]
    found = moved[0].normalisation
    assert found is not None
    assert [d.name for d in found.differences] == ["screen_failure_rate"]
    assert found.gap.amount > 0  # quoted at a lower screen-failure rate: fewer screened, cheaper
    assert found.volume + found.rate + found.scope + found.rounding == found.gap
    assert found.rate.amount == 0


# Outside scope and bid assumptions in the scenario.


def test_a_service_assigned_twice_is_refused_with_its_path() -> None:
    candidate = demo_scenario().candidates[0]
    item = OutsideScope(service="crokit:data-management", by="sponsor", cost=Money("1.00", "USD"))
    with pytest.raises(ValidationError, match=r"outside_scope\[1\]\.service: crokit:data-management is already"):
        attrs.evolve(candidate, outside_scope=[item, item])


def test_an_outside_cost_in_another_currency_is_refused_with_its_path(registry: Registry) -> None:
    scenario = demo_scenario()
    item = OutsideScope(service="crokit:patient-recruitment", by="sponsor", cost=Money("1.00", "EUR"))
    first = attrs.evolve(scenario.candidates[0], outside_scope=[item])
    with pytest.raises(ValidationError) as caught:
        evaluate(attrs.evolve(scenario, candidates=[first, *scenario.candidates[1:]]), registry=registry)
    assert [p.path for p in caught.value.problems] == ["scenario.candidates[0].outside_scope[0].cost"]
    assert "expected a cost in USD" in str(caught.value)


def test_a_bid_assumption_making_an_impossible_study_is_refused_with_its_path(registry: Registry) -> None:
    scenario = demo_scenario()
    first = attrs.evolve(scenario.candidates[0], bid_assumptions=BidAssumptions(planned_patients=2))
    with pytest.raises(ValidationError) as caught:
        evaluate(attrs.evolve(scenario, candidates=[first, *scenario.candidates[1:]]), registry=registry)
    assert all(p.path.startswith("scenario.candidates[0].bid_assumptions") for p in caught.value.problems)


def test_an_outside_service_that_is_not_required_is_warned_and_not_counted(registry: Registry) -> None:
    scenario = demo_scenario()
    item = OutsideScope(service="crokit:medical-writing", by="sponsor", cost=Money("1000.00", "USD"))
    first = attrs.evolve(scenario.candidates[0], outside_scope=[item])
    found = evaluate(attrs.evolve(scenario, candidates=[first, *scenario.candidates[1:]]), registry=registry)
    result = found.candidate(first.id)
    assert result.coverage is not None
    assert result.coverage.total_cost_of_outsourcing == result.coverage.cro_price
    assert any("Medical writing is assigned outside its bid but is not a required service" in w for w in found.warnings)


def test_ranking_on_quoted_totals_reads_the_quoted_total(registry: Registry) -> None:
    found = evaluate(attrs.evolve(demo_scenario(), ranking_price="quoted"), registry=registry)
    orphan = found.candidate("orphan-trials")
    assert orphan.normalisation is not None
    assert orphan.coverage is not None
    assert orphan.ranked_total == orphan.normalisation.quoted.total + (
        orphan.coverage.sponsor_internal + orphan.coverage.other_vendors
    )
    assert orphan.ranked_total != orphan.coverage.total_cost_of_outsourcing


def test_an_unknown_ranking_price_is_refused() -> None:
    with pytest.raises(ValidationError, match="ranking_price: expected one of 'normalised', 'quoted', got 'cheapest'"):
        attrs.evolve(demo_scenario(), ranking_price="cheapest")


@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
def test_candidate_scope_and_assumptions_round_trip(fmt: str, registry: Registry) -> None:
    scenario = demo_scenario()
    assert any(c.outside_scope for c in scenario.candidates)
    assert any(c.bid_assumptions is not None for c in scenario.candidates)
    assert loads(dumps(scenario, fmt, registry=registry), Scenario, fmt, registry=registry) == scenario  # type: ignore[arg-type]


# requires


_NEEDS_ACME = """\
schema_version = 2
requires = ["acme-crokit"]
sponsor = "Lumen Bio"

[study]
name = "A study"
phase = "phase-2"
therapeutic_area = "acme:retinal-disease"
planned_patients = 10
sites = 2
start_date = 2027-01-04
currency = "USD"
required_services = ["acme:vector-shedding", "acme:retinal-imaging-reading", "crokit:data-management"]

[assumptions]

[[candidates]]
[candidates.profile]
id = "acme-cro"
name = "Acme CRO"
kind = "cro"
services = ["acme:vector-shedding"]
"""


def test_a_missing_required_extension_is_one_error_naming_the_package(registry: Registry) -> None:
    with pytest.raises(ValidationError) as caught:
        loads(_NEEDS_ACME, Scenario, "toml", registry=registry)
    problems = caught.value.problems
    assert len(problems) == 1
    assert problems[0].path == "scenario.requires[0]"
    assert "needs the crokit extension package 'acme-crokit', which is not installed" in problems[0].message


def test_a_loaded_extension_satisfies_requires_by_distribution_or_entry_point_name(registry: Registry) -> None:
    info = ExtensionInfo(name="acme", value="acme_crokit:extend", distribution="acme-crokit", version="1.0.0")
    grown = registry.with_extension(info)
    for name in ["acme-crokit", "Acme_Crokit", "acme"]:
        check_requires([name], grown)
    with pytest.raises(ValidationError, match=r"loaded: acme-crokit 1\.0\.0"):
        check_requires(["biomarker-cro-ext"], grown)


def test_evaluate_checks_requires_too(registry: Registry) -> None:
    with pytest.raises(ValidationError, match=r"scenario\.requires\[0\]: this scenario needs .*'biomarker-cro-ext'"):
        evaluate(attrs.evolve(demo_scenario(), requires=["biomarker-cro-ext"]), registry=registry)


@pytest.mark.parametrize("bad", ["acme-crokit", [""], ["-acme"], [7]])
def test_a_malformed_requires_is_refused(bad: object) -> None:
    with pytest.raises(ValidationError, match="requires"):
        attrs.evolve(demo_scenario(), requires=bad)


def test_cli_names_the_missing_package_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "needs-acme.toml"
    path.write_text(_NEEDS_ACME, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "crokit", "evaluate", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CROKIT_NO_EXTENSIONS": "1"},
    )
    assert result.returncode == 1
    assert "acme-crokit" in result.stderr
    assert "unknown" not in result.stderr
    assert "Traceback" not in result.stderr


def test_selection_settings_default_scores_price_on_an_absolute_scale() -> None:
    preferences = SelectionSettings().preferences
    assert preferences.price_against_lowest is False
    assert (preferences.price_full_at, preferences.price_zero_at) == (Decimal("0.5"), Decimal("1.5"))


# Reports


def test_every_report_shows_the_scope_matrix_and_both_totals(evaluation: Evaluation) -> None:
    pages = {"text": render(evaluation, "text", rich=False), **{f: render(evaluation, f) for f in ("markdown", "html")}}
    for fmt, page in pages.items():
        for heading in ("Total cost of outsourcing", "Scope", "Quoted against normalised", "Rates"):
            assert heading in page, (fmt, heading)
        assert "other vendor" in page
        assert "MISSING" in page
        assert "1,443,514.01 USD" in page  # Orphan Trials as quoted, under its own assumptions
        assert "1,447,883.14 USD" in page  # and normalised (both with its line in EUR converted)
        assert "4,369.13 USD" in page  # the gap
        assert "1,380,800.00 USD" in page  # the FSP's total cost of outsourcing
        assert "screen_failure_rate 0.15 (scenario: 0.25)" in " ".join(page.split())  # text wraps to its width


def test_the_gap_shown_in_cents_adds_up_exactly() -> None:
    usd = Money.zero("USD")
    volume, rate, scope, gap = (usd + Money(a, "USD") for a in ("4369.1304", "0.0000", "0", "4369.13"))
    parts = _gap_parts(volume, rate, scope, gap)
    assert [str(p.amount) for p in parts] == ["4369.13", "0.00", "0.00", "0.00"]
    assert parts[0] + parts[1] + parts[2] + parts[3] == gap


@FEW
@given(evaluations())
def test_gap_parts_in_cents_add_up_to_the_gap(evaluation: Evaluation) -> None:
    for result in evaluation.candidates:
        found = result.normalisation
        if found is not None:
            parts = _gap_parts(found.volume, found.rate, found.scope, found.gap)
            assert parts[0] + parts[1] + parts[2] + parts[3] == found.gap


def test_json_report_has_the_bid_keys(evaluation: Evaluation) -> None:
    report = json_report(evaluation)
    assert report["ranking_price"] == "normalised"
    by_id = {c["id"]: c for c in report["candidates"]}
    fsp = by_id["clinpath-fsp"]
    assert fsp["scope"]["crokit:data-management"] == {
        "coverage": "sponsor",
        "amount": {"amount": "95000.00", "currency": "USD"},
        "vendor": None,
    }
    assert fsp["scope"]["crokit:biostatistics"]["vendor"] == "Numerus Statistics (illustrative)"
    assert fsp["cost_of_outsourcing"]["total"] == {"amount": "1380800.00", "currency": "USD"}
    assert fsp["ranked_total"] == fsp["cost_of_outsourcing"]["total"]
    assert fsp["like_for_like"] is False
    orphan = by_id["orphan-trials"]["normalisation"]
    assert (orphan["quoted"]["amount"], orphan["normalised"]["amount"], orphan["gap"]["amount"]) == (
        "1443514.01",
        "1447883.14",
        "4369.13",
    )
    assert orphan["assumptions"] == [{"name": "screen_failure_rate", "scenario": "0.25", "bid": "0.15"}]
    sitelink = by_id["sitelink"]
    assert (sitelink["scope"], sitelink["normalisation"], sitelink["rate_flags"]) == (None, None, [])


def test_the_scenario_example_in_the_bids_page_reads() -> None:
    page = (ROOT / "docs" / "bids.md").read_text(encoding="utf-8")
    section = page.split("## In a scenario", 1)[1]
    block = section.split("```toml\n", 1)[1].split("```", 1)[0]
    data = tomllib.loads(block)["candidates"][0]
    assumptions = structure(data["bid_assumptions"], BidAssumptions, registry=Registry.builtin())
    assert assumptions.screen_failure_rate == Decimal("0.15")
    outside = [structure(item, OutsideScope, registry=Registry.builtin()) for item in data["outside_scope"]]
    assert [(o.service, o.by, o.vendor) for o in outside] == [
        ("crokit:data-management", Coverage.SPONSOR, None),
        ("crokit:biostatistics", Coverage.OTHER_VENDOR, "Numerus Statistics"),
    ]


def test_a_lower_rate_factor_flags_rates_in_warnings_reports_and_json(registry: Registry) -> None:
    found = evaluate(attrs.evolve(demo_scenario(), rate_factor="1.1"), registry=registry)
    assert found.rate_factor == Decimal("1.1")
    globalcro = found.candidate("globalcro")
    flagged = {(flag.service, flag.direction) for flag in globalcro.rate_flags}
    assert ("crokit:on-site-monitoring", "above") in flagged  # 2300 against the median of 1900 and 2200
    assert any(
        w.startswith("GlobalCRO (large full-service, illustrative): its rate for On-site monitoring (2300.00 USD")
        and "the band of 1/1.1 to 1.1 times" in w
        for w in found.warnings
    )
    page = render(found, "markdown")
    assert "Unit rates more than 1.1 times above or below" in page
    assert "| GlobalCRO (large full-service, illustrative) | On-site monitoring | per-monitoring-visit |" in page
    report = json_report(found)
    assert report["rate_factor"] == "1.1"
    flags = next(c for c in report["candidates"] if c["id"] == "globalcro")["rate_flags"]
    assert {"service": "crokit:on-site-monitoring", "direction": "above"}.items() <= flags[0].items()


def test_the_default_rate_factor_flags_nothing_in_the_demo(evaluation: Evaluation) -> None:
    assert evaluation.rate_factor == Decimal("1.5")
    assert all(result.rate_flags == () for result in evaluation.candidates)


@pytest.mark.parametrize("bad", ["1", "0.5", "fast", 1.5])
def test_a_rate_factor_not_above_one_is_refused(bad: object) -> None:
    with pytest.raises(ValidationError, match="rate_factor"):
        attrs.evolve(demo_scenario(), rate_factor=bad)


def test_a_service_priced_and_assigned_outside_is_warned_as_counted_twice(registry: Registry) -> None:
    scenario = demo_scenario()
    helix = next(c for c in scenario.candidates if c.id == "helix-cro")
    item = OutsideScope(service="crokit:data-management", by="sponsor", cost=Money("1000.00", "USD"))
    changed = attrs.evolve(helix, outside_scope=[item])
    found = evaluate(
        attrs.evolve(scenario, candidates=[changed if c.id == "helix-cro" else c for c in scenario.candidates]),
        registry=registry,
    )
    assert (
        "Helix CRO (mid-size, illustrative): Data management is priced by its bid and also assigned to the sponsor; "
        "it is counted twice" in found.warnings
    )
    result = found.candidate("helix-cro")
    assert result.coverage is not None
    assert result.coverage.total_cost_of_outsourcing == result.coverage.cro_price + Money("1000.00", "USD")


def test_a_scenario_file_requiring_a_loaded_extension_loads(registry: Registry) -> None:
    info = ExtensionInfo(name="acme", value="acme_crokit:extend", distribution="acme-crokit", version="1.0.0")
    grown = registry.with_extension(info)
    text = dumps(attrs.evolve(demo_scenario(), requires=["acme-crokit"]), "toml", registry=registry)
    assert text.index("requires = [") < text.index("[study]")
    assert loads(text, Scenario, "toml", registry=grown).requires == ("acme-crokit",)
    with pytest.raises(ValidationError, match=r"scenario\.requires\[0\]"):
        loads(text, Scenario, "toml", registry=registry)


def test_a_service_assigned_outside_twice_is_refused_at_its_service() -> None:
    scenario = demo_scenario()
    fsp = next(c for c in scenario.candidates if c.outside_scope)
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(fsp, outside_scope=(*fsp.outside_scope, fsp.outside_scope[0]))
    (problem,) = caught.value.problems
    index = len(fsp.outside_scope)
    assert problem.path == f"outside_scope[{index}].service"
    assert problem.message == f"{fsp.outside_scope[0].service} is already assigned at outside_scope[0]"
