"""Large results print as one-line summaries; their full content is one call away."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crokit
from crokit import _text
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.demo_engagement import demo_engagement
from crokit.engagement.document import status
from crokit.forecast import ActivationWindow, EnrolmentModel, SiteGroup, SiteObservation, forecast_enrolment, reproject
from crokit.portfolio import evaluate_portfolio
from crokit.pricing.budget import Budget
from crokit.scenario import Evaluation, evaluate
from crokit.schedule.payments import PaymentSchedule
from crokit.selection.models import Ranking

LIMIT = 200
"""Characters a summary may take: it fits a couple of terminal lines whatever the result's size."""


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return evaluate(demo_scenario(), seed=DEMO_SEED, registry=crokit.Registry.builtin())


def _short(value: object) -> str:
    text = repr(value)
    assert "\n" not in text
    assert len(text) <= LIMIT, text
    assert text.startswith(f"{type(value).__name__}(")
    return text


def test_the_evaluation_summarises_itself(evaluation: Evaluation) -> None:
    text = _short(evaluation)
    assert text == (
        f"Evaluation(study={evaluation.study.name!r}, currency='USD', 5 candidates, 4 eligible, "
        f"winner='helix-cro', seed={DEMO_SEED})"
    )
    # the full repr was over 150 KB; the summary is what a REPL shows
    assert len(repr(attrs.asdict(evaluation))) > 100_000


def test_the_parts_summarise_themselves(evaluation: Evaluation) -> None:
    winner = evaluation.candidate("helix-cro")
    assert winner.budget is not None
    assert winner.schedule is not None
    assert _short(winner.budget) == "Budget(currency='USD', 21 lines, total=1298263.32 USD)"
    assert _short(winner.schedule) == (
        f"PaymentSchedule(currency='USD', contract_start=2027-01-04, {len(winner.schedule.payments)} payments, "
        "total=1298263.32 USD)"
    )
    assert _short(evaluation.ranking) == (
        f"Ranking(method='weighted-sum', 5 criteria, 4 ranked, 1 excluded, winner='helix-cro', seed={DEMO_SEED})"
    )
    assert (
        _short(winner) == "CandidateResult(id='helix-cro', eligible=True, rank=1, score=0.8648, total=1298263.32 USD)"
    )
    excluded = evaluation.candidate("sitelink")
    assert _short(excluded) == f"CandidateResult(id='sitelink', eligible=False, {len(excluded.reasons)} reasons)"


def test_the_full_content_is_one_call_away(evaluation: Evaluation) -> None:
    for value in (evaluation, evaluation.ranking, evaluation.candidates[0].budget, evaluation.candidates[0].schedule):
        assert crokit.loads(crokit.dumps(value), type(value)) == value
    assert attrs.asdict(evaluation)["candidates"][0]["budget"]["lines"][0]["description"]


def test_engagement_forecast_and_portfolio_results_summarise_themselves() -> None:
    report = status(demo_engagement(), registry=crokit.Registry.builtin())
    assert _short(report).endswith("1 contract, 0 scope findings, 4 KPIs)")
    assert _short(report.contracts[0]) == "ContractStatus(provider='helix-cro', 2 versions, as_of=2027-12-31)"
    assert report.contracts[0].status is not None
    assert _short(report.contracts[0].status).startswith("EngagementStatus(as_of=2027-12-31, contract_value=")
    model = EnrolmentModel(
        start=dt.date(2027, 1, 1),
        target=450,
        groups=(SiteGroup(id="all", sites=90, shape="1.5", rate=3, activation=ActivationWindow(first=0, last=6)),),
    )
    assert _short(forecast_enrolment(model)).startswith("EnrolmentForecast(method='exact', target=450, 3 milestones")
    seen = [SiteObservation(site=f"all/{i}", opened=0, randomised=3) for i in range(1, 91)]
    assert "90 site posteriors" in _short(reproject(model, seen, census=6))
    portfolio = evaluate_portfolio({"demo": demo_scenario()}, seed=1)
    assert _short(portfolio) == "Portfolio(1 row, 0 failed, seed=1)"


@given(st.from_type(Budget))
def test_a_budget_summary_stays_short_whatever_its_size(budget: Budget) -> None:
    text = _short(budget)
    assert _text.count(len(budget.lines), "line") in text
    assert f"total={_text.money(budget.total)})" in text


@given(st.from_type(PaymentSchedule))
def test_a_schedule_summary_stays_short_whatever_its_size(schedule: PaymentSchedule) -> None:
    assert _text.count(len(schedule.payments), "payment") in _short(schedule)


@given(st.from_type(Ranking))
def test_a_ranking_summary_names_the_winner(ranking: Ranking) -> None:
    assert f"winner={ranking.winner!r}" in _short(ranking)


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["line", "KPI", "reason"]))
def test_count_pluralises(number: int, noun: str) -> None:
    text = _text.count(number, noun)
    assert text == (f"1 {noun}" if number == 1 else f"{number} {noun}s")
    assert _text.count(number, "criterion", "criteria").endswith("criterion" if number == 1 else "criteria")


def test_summary_money() -> None:
    assert _text.money(None) == "None"
    assert _text.money(crokit.Money(Decimal("1.50"), "EUR")) == "1.50 EUR"
