"""The main job: a scenario in, one evaluation out, in every format."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

import crokit
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.errors import CrokitError, ValidationError
from crokit.interop import load_usdm
from crokit.money import FxRate, FxTable, Money
from crokit.pricing import Proposal, UnitPrice
from crokit.report import REPORT_SCHEMA_VERSION, json_report, render
from crokit.scenario import Evaluation, Scenario, evaluate, planned_milestones
from crokit.serialization import FORMATS, dumps, loads

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PILOT = Path(__file__).resolve().parent / "data" / "usdm" / "CDISC_Pilot_Study.json"


@pytest.fixture(scope="module")
def evaluation(registry: crokit.Registry) -> Evaluation:
    return evaluate(demo_scenario(), registry=registry, seed=DEMO_SEED)


def test_the_demo_story(evaluation: Evaluation) -> None:
    assert evaluation.winner == "helix-cro"
    eligible = [c.id for c in evaluation.candidates if c.eligible]
    assert eligible == ["helix-cro", "orphan-trials", "clinpath-fsp", "globalcro"]
    sitelink = evaluation.candidate("sitelink")
    assert not sitelink.eligible
    assert any("does not offer required services" in reason for reason in sitelink.reasons)
    assert sitelink.rank is None


def test_every_priced_candidate_has_a_budget_a_schedule_and_a_benchmark(evaluation: Evaluation) -> None:
    for result in evaluation.candidates:
        if result.budget is None:
            continue
        assert result.schedule is not None
        assert result.schedule.total == result.budget.total
        assert result.cost_per_patient == result.budget.cost_per_patient(evaluation.study.planned_patients)
        assert result.benchmark is not None
        assert result.benchmark.ratio is not None
        assert "Sertkaya" in (result.benchmark.source or "")
        assert "all therapeutic areas" in result.benchmark.message


def test_same_seed_same_answer(registry: crokit.Registry, evaluation: Evaluation) -> None:
    assert evaluate(demo_scenario(), registry=registry, seed=DEMO_SEED) == evaluation


def test_without_a_seed_no_acceptabilities(registry: crokit.Registry) -> None:
    result = evaluate(demo_scenario(), registry=registry)
    assert result.ranking.acceptability == ()
    assert result.seed is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_scenario_and_evaluation_round_trip(fmt: str, registry: crokit.Registry, evaluation: Evaluation) -> None:
    scenario = demo_scenario()
    assert loads(dumps(scenario, fmt, registry=registry), Scenario, fmt, registry=registry) == scenario  # type: ignore[arg-type]
    assert loads(dumps(evaluation, fmt, registry=registry), Evaluation, fmt, registry=registry) == evaluation  # type: ignore[arg-type]


@pytest.mark.parametrize("suffix", [".toml", ".json", ".yaml"])
def test_shipped_examples_are_the_demo(suffix: str, registry: crokit.Registry) -> None:
    assert crokit.load(EXAMPLES / f"rare_disease_phase2{suffix}", Scenario, registry=registry) == demo_scenario()


def test_json_report_contract(evaluation: Evaluation) -> None:
    report = json.loads(render(evaluation, "json"))
    assert report["schema_version"] == REPORT_SCHEMA_VERSION
    assert set(report["study"]) >= {"name", "phase", "area", "patients", "sites", "countries"}
    assert report["currency"] == "USD"
    assert report["winner"] == "helix-cro"
    for candidate in report["candidates"]:
        assert set(candidate) >= {"id", "name", "eligible", "reasons", "rank", "score", "contributions", "budget"}
        assert set(candidate) >= {"benchmark", "schedule"}
        if candidate["budget"] is not None:
            total = candidate["budget"]["total"]
            assert set(total) == {"amount", "currency"}
            assert isinstance(total["amount"], str)
            assert set(candidate["budget"]) >= {"total", "cost_per_patient", "by_service"}
            assert candidate["benchmark"]["source"]
            assert candidate["schedule"][0]["due"]
    assert set(report["sensitivity"]) >= {"intervals", "acceptability"}
    assert isinstance(report["warnings"], list)


def _floats_outside_scores(value: object, path: str = "") -> list[str]:
    """Paths of JSON floats that are not decision scores, weights, ratios or forecast statistics."""
    allowed: tuple[str, ...] = ("score", "contributions", "weights", "intervals", "acceptability", "ratio")
    allowed += ("level", "month", "expected", "share", "band")  # the forecast's levels, months and shares
    if isinstance(value, float):
        return [] if any(part in path for part in allowed) else [path]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _floats_outside_scores(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _floats_outside_scores(item, f"{path}[{index}]")]
    return []


def test_money_is_never_a_json_float(evaluation: Evaluation) -> None:
    assert _floats_outside_scores(json_report(evaluation)) == []


def test_no_winner_is_a_result_with_reasons(registry: crokit.Registry) -> None:
    scenario = demo_scenario()
    only_smo = attrs.evolve(scenario, candidates=[c for c in scenario.candidates if c.id == "sitelink"])
    result = evaluate(only_smo, registry=registry)
    assert result.winner is None
    report = json_report(result)
    assert report["winner"] is None
    assert report["winner_reasons"]


def test_reports_in_every_format(evaluation: Evaluation) -> None:
    text = render(evaluation, "text", rich=False)
    assert "Recommended: Helix CRO" in text
    assert "Sertkaya et al. 2024" in text
    assert render(evaluation, "text", rich=True).count("┃") > 10
    markdown = render(evaluation, "markdown")
    assert markdown.startswith("# ")
    assert "| rank | candidate |" in markdown
    page = render(evaluation, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert "://" not in page.split("<body>")[0]  # no link out ("http-equiv" is the page's own policy)
    with pytest.raises(ValidationError, match="format"):
        render(evaluation, "pdf")  # type: ignore[arg-type]


def test_html_escapes_user_text(registry: crokit.Registry) -> None:
    scenario = attrs.evolve(demo_scenario(), title="<script>alert(1)</script>", sponsor="A & B <Pharma>")
    page = render(evaluate(scenario, registry=registry), "html")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "A &amp; B &lt;Pharma&gt;" in page


def _monitoring(rate: Money, basis: crokit.UnitBasis = crokit.UnitBasis.PER_MONITORING_VISIT) -> UnitPrice:
    return UnitPrice(service="crokit:on-site-monitoring", stage=crokit.Stage.PHASE_2, basis=basis, rate=rate)


def test_a_proposal_in_another_currency_is_converted_with_the_fx_table(registry: crokit.Registry) -> None:
    scenario = demo_scenario()
    helix = scenario.candidates[1]
    proposal = Proposal(cro_id="helix-cro", currency="EUR", items=(_monitoring(Money("1700.00", "EUR")),))
    no_rates = attrs.evolve(scenario, candidates=(attrs.evolve(helix, proposal=proposal),), fx=FxTable())
    with pytest.raises(ValidationError, match=r"candidates\[0\]\.proposal\.currency"):
        evaluate(no_rates, registry=registry)
    rate = FxRate(base="EUR", quote="USD", rate="1.08", as_of=scenario.study.start_date, source="test rate")
    result = evaluate(attrs.evolve(no_rates, fx=FxTable(rates=(rate,))), registry=registry)
    budget = result.candidates[0].budget
    assert budget is not None
    assert budget.currency == "USD"
    assert budget.lines[0].unit_price == Money("1836.00", "USD")


def test_pricing_problems_are_reported_with_their_path(registry: crokit.Registry) -> None:
    scenario = demo_scenario()
    helix = scenario.candidates[1]
    proposal = Proposal(
        cro_id="helix-cro",
        currency="USD",
        items=(_monitoring(Money("1.00", "USD")), _monitoring(Money("1.00", "USD"), crokit.UnitBasis.PER_PAGE)),
    )
    broken = attrs.evolve(scenario, candidates=(attrs.evolve(helix, proposal=proposal),))
    with pytest.raises(ValidationError, match=r"candidates\[0\]\.proposal\.items\[1\]\.basis"):
        evaluate(broken, registry=registry)


def test_duplicate_candidates_are_refused() -> None:
    scenario = demo_scenario()
    with pytest.raises(ValidationError, match=r"candidates\[1\]\.profile\.id"):
        attrs.evolve(scenario, candidates=(scenario.candidates[0], scenario.candidates[0]))


def test_a_proposal_from_someone_else_is_refused() -> None:
    scenario = demo_scenario()
    first, second = scenario.candidates[0], scenario.candidates[1]
    with pytest.raises(ValidationError, match=r"proposal\.cro_id"):
        attrs.evolve(first, proposal=second.proposal)


def test_the_cdisc_pilot_study_is_priced_and_evaluated(registry: crokit.Registry) -> None:
    study = load_usdm(PILOT).study
    assert study.phase is crokit.Stage.PHASE_2
    assert study.planned_patients == 300
    scenario = demo_scenario()
    pilot = attrs.evolve(
        study,
        countries=("US", "DE", "FR"),
        required_services=scenario.study.required_services,
        visits=tuple(attrs.evolve(visit, crf_pages=10) for visit in study.visits),
    )
    # The demo's one EUR line needs a rate in force when the pilot starts (2006).
    rate = FxRate(base="EUR", quote="USD", rate="1.08", as_of=pilot.start_date, source="test rate")
    result = evaluate(attrs.evolve(scenario, study=pilot, fx=FxTable(rates=(rate,))), registry=registry)
    assert result.study.name == "CDISC PILOT - LZZT"
    priced = [c for c in result.candidates if c.budget is not None]
    assert priced
    assert all(c.cost_per_patient is not None for c in priced)


def test_milestones_are_planned_in_order(evaluation: Evaluation) -> None:
    plan = planned_milestones(evaluation.study, evaluation.drivers)
    dates = [planned.date for planned in sorted(plan.dates, key=lambda p: p.milestone.order)]
    assert dates == sorted(dates)
    assert dates[0] >= evaluation.study.start_date


def test_evaluation_lookup(evaluation: Evaluation) -> None:
    with pytest.raises(CrokitError, match="no candidate 'nobody'"):
        evaluation.candidate("nobody")


def test_results_do_not_depend_on_the_callers_decimal_context(registry: crokit.Registry) -> None:
    """Regression: FTE hours and invoice totals were summed in the caller's decimal context."""
    import decimal

    scenario = demo_scenario()
    expected = evaluate(scenario, registry=registry)
    with decimal.localcontext() as context:
        context.prec = 3
        assert evaluate(scenario, registry=registry) == expected
        assert render(evaluate(scenario, registry=registry), "json") == render(expected, "json")


PRICING_FIT = "crokit:pricing-fit"


def test_demo_scores_are_absolute(evaluation: Evaluation) -> None:
    # Regression: under min-max normalisation GlobalCRO scored 0.000 on every criterion.
    ranking = evaluation.ranking
    assert ranking.normalisation == "absolute"
    for card in ranking.scorecards:
        absolute = [score.value for score in card.criterion_scores]
        assert (card.score == 0.0) == all(value == 0.0 for value in absolute)
        weights = dict(zip(ranking.criteria, ranking.weights, strict=True))
        for score in card.criterion_scores:
            assert dict(card.contributions)[score.criterion] == pytest.approx(weights[score.criterion] * score.value)
    globalcro = next(card for card in ranking.scorecards if card.candidate == "globalcro")
    assert globalcro.score > 0.5


@pytest.mark.parametrize("removed", range(4))
def test_removing_a_demo_candidate_changes_only_pricing_fit(registry: crokit.Registry, removed: int) -> None:
    scenario = demo_scenario()
    full = {card.candidate: card for card in evaluate(scenario, registry=registry).ranking.scorecards}
    fewer = attrs.evolve(scenario, candidates=scenario.candidates[:removed] + scenario.candidates[removed + 1 :])
    for card in evaluate(fewer, registry=registry).ranking.scorecards:
        before = full[card.candidate]
        others = [s for s in card.criterion_scores if s.criterion != PRICING_FIT]
        assert others == [s for s in before.criterion_scores if s.criterion != PRICING_FIT]
        without_price = {k: v for k, v in card.contributions if k != PRICING_FIT}
        assert without_price == {k: v for k, v in before.contributions if k != PRICING_FIT}


def test_every_report_labels_the_normalisation_and_shows_criterion_scores(evaluation: Evaluation) -> None:
    for fmt in ("text", "markdown", "html"):
        page = render(evaluation, fmt)
        assert "Normalisation: absolute" in page
        assert "Criterion scores" in page
        assert "of the ceiling" in page
    report = json_report(evaluation)
    assert report["sensitivity"]["normalisation"] == "absolute"
    assert "absolute" in report["sensitivity"]["normalisation_note"]
    helix = next(c for c in report["candidates"] if c["id"] == "helix-cro")
    assert set(helix["criterion_scores"]) == set(evaluation.ranking.criteria)
    assert "of the ceiling" in helix["criterion_scores"][PRICING_FIT]["reason"]
    assert 0 <= helix["criterion_scores"][PRICING_FIT]["score"] <= 1
    sitelink = next(c for c in report["candidates"] if c["id"] == "sitelink")
    assert sitelink["criterion_scores"] == {}


def test_a_scenario_file_sets_the_normalisation(registry: crokit.Registry) -> None:
    scenario = demo_scenario()
    scenario = attrs.evolve(scenario, candidates=[c for c in scenario.candidates if c.id != "clinpath-fsp"])
    dumped = dumps(scenario, "toml")
    assert dumped.count('normalisation = "absolute"') == 1  # the default is written out
    text = dumped.replace('normalisation = "absolute"', 'normalisation = "min-max"')
    loaded = loads(text, Scenario, "toml", registry=registry)
    assert loaded.selection.normalisation == "min-max"
    ranking = evaluate(loaded, registry=registry).ranking
    assert ranking.normalisation == "min-max"
    assert "Normalisation: min-max" in render(evaluate(loaded, registry=registry), "markdown")
    last = ranking.scorecards[-1]
    assert last.candidate == "globalcro"
    assert last.score == 0.0  # min-max: last on every criterion among these three
    bad = text.replace('normalisation = "min-max"', 'normalisation = "zscore"')
    with pytest.raises(CrokitError, match="'absolute', 'min-max'"):
        loads(bad, Scenario, "toml", registry=registry)


def test_an_earlier_phase_plan_leaves_submission_and_approval_to_the_programme():
    """Issue #12: a Phase II plan put submission and approval on its clinical study report's date."""
    from crokit.pricing import derive_drivers
    from crokit.scenario import planned_milestones
    from crokit.vocabulary.lifecycle import Milestone, Stage

    scenario = demo_scenario()
    drivers = derive_drivers(scenario.study, scenario.assumptions)
    phase_2 = {d.milestone for d in planned_milestones(scenario.study, drivers).dates}
    assert Milestone.CLINICAL_STUDY_REPORT in phase_2
    assert Milestone.SUBMISSION not in phase_2
    assert Milestone.APPROVAL not in phase_2
    pivotal = attrs.evolve(scenario.study, phase=Stage.PHASE_3)
    phase_3 = {d.milestone for d in planned_milestones(pivotal, derive_drivers(pivotal, scenario.assumptions)).dates}
    assert {Milestone.SUBMISSION, Milestone.APPROVAL} <= set(phase_3)


def test_a_candidate_listed_twice_is_refused_at_its_id() -> None:
    scenario = demo_scenario()
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(scenario, candidates=(*scenario.candidates, scenario.candidates[0]))
    (problem,) = caught.value.problems
    index = len(scenario.candidates)
    assert problem.path == f"candidates[{index}].profile.id"
    assert problem.message == f"candidate {scenario.candidates[0].id!r} is already listed at candidates[0]"
