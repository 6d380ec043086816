from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal

import pytest

from crokit import Registry
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.display import (
    budget_html,
    budget_markdown,
    ranking_html,
    ranking_markdown,
    schedule_html,
    schedule_markdown,
)
from crokit.errors import ValidationError
from crokit.money import Money
from crokit.pricing.budget import Budget, CostBucket, LineItem, PricingKind
from crokit.scenario import Evaluation, evaluate
from crokit.schedule.payments import PaymentSchedule
from crokit.selection.models import Exclusion, Ranking
from crokit.vocabulary.lifecycle import Stage

NASTY = "Site <b>fees</b> & \"grants\" | 'extra'\nsecond line"


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return evaluate(demo_scenario(), seed=DEMO_SEED, registry=Registry.builtin())


@pytest.fixture(scope="module")
def schedule(evaluation: Evaluation) -> PaymentSchedule:
    result = evaluation.candidates[0]
    assert result.schedule is not None
    return result.schedule


def _line(description: str, amount: str = "10.00") -> LineItem:
    return LineItem(
        service="crokit:on-site-monitoring",
        stage=Stage.PHASE_2,
        kind=PricingKind.PASS_THROUGH,
        bucket=CostBucket.PASS_THROUGH,
        description=description,
        basis=None,
        quantity=Decimal(1),
        unit_price=Money(amount, "USD"),
        amount=Money(amount, "USD"),
        months=(0,),
        derivation="at cost",
    )


def _budget(count: int, first: str = "Line 0") -> Budget:
    return Budget(currency="USD", lines=[_line(first), *(_line(f"Line {i}") for i in range(1, count))])


def test_budget_html_escapes_user_text() -> None:
    text = budget_html(_budget(2, NASTY))
    assert "<b>fees</b>" not in text
    assert "Site &lt;b&gt;fees&lt;/b&gt; &amp; &quot;grants&quot;" in text
    assert "<script" not in text
    assert "http" not in text  # no external assets
    assert text.count("<tr>") == 3  # header + 2 rows
    assert "Total: 20.00 USD" in text


def test_budget_markdown_escapes_pipes() -> None:
    text = budget_markdown(_budget(2, NASTY))
    row = next(line for line in text.splitlines() if line.startswith("| crokit:on-site-monitoring") and "Site" in line)
    assert "\\| 'extra' second line" in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 8  # 7 columns
    assert "Total: 20.00 USD" in text


def test_long_tables_are_truncated() -> None:
    budget = _budget(53)
    html_text = budget_html(budget)
    assert html_text.count("<tr>") == 51
    assert "… 3 more rows" in html_text
    assert "Total: 530.00 USD" in html_text
    markdown = budget_markdown(budget)
    assert markdown.count("| crokit:on-site-monitoring") == 50
    assert "… 3 more rows" in markdown
    assert "more row" not in budget_html(_budget(50))
    assert "… 1 more row" in budget_html(_budget(5), max_rows=4)


def test_max_rows_is_checked() -> None:
    with pytest.raises(ValidationError, match="max_rows"):
        budget_html(_budget(1), max_rows=0)


def test_schedule_tables(schedule: PaymentSchedule) -> None:
    text = schedule_html(schedule)
    assert schedule.payments[0].due.isoformat() in text
    assert f"… {len(schedule.payments) - 50} more rows" in text
    assert "Held back" in text
    markdown = schedule_markdown(schedule, max_rows=100)
    assert markdown.count("\n| 20") == len(schedule.payments)
    assert "more row" not in markdown


def test_empty_schedule() -> None:
    empty = PaymentSchedule(currency="EUR", contract_start=date(2027, 1, 1))
    assert "Total: 0.00 EUR" in schedule_html(empty)
    assert "0 payments" in schedule_markdown(empty)


def test_ranking_tables(evaluation: Evaluation) -> None:
    ranking = evaluation.ranking
    text = ranking_html(ranking)
    for card in ranking.scorecards:
        assert html.escape(card.name) in text
    assert "Rank 1 acceptability" in text
    assert "Excluded by the constraints: 1" in text
    markdown = ranking_markdown(ranking)
    assert "| 1 | helix-cro |" in markdown
    assert "sitelink" in markdown


def test_ranking_without_candidates_escapes_names() -> None:
    ranking = Ranking(
        method="weighted-sum",
        criteria=("crokit:technology",),
        weights=(1.0,),
        weights_note="equal",
        scorecards=(),
        excluded=(Exclusion(candidate="x", name="<X | Y>", reasons=("too <small>",)),),
        samples=10,
        explanation="No candidate is eligible.",
    )
    text = ranking_html(ranking)
    assert "&lt;X | Y&gt;" in text
    assert "too &lt;small&gt;" in text
    assert "winner none" in text
    assert "Rank 1 acceptability" not in text
    assert "<X \\| Y>" in ranking_markdown(ranking)


def test_reprs_delegate(evaluation: Evaluation, schedule: PaymentSchedule) -> None:
    budget = _budget(2)
    assert budget._repr_html_() == budget_html(budget)
    assert budget._repr_markdown_() == budget_markdown(budget)
    assert schedule._repr_html_() == schedule_html(schedule)
    assert schedule._repr_markdown_() == schedule_markdown(schedule)
    assert evaluation.ranking._repr_html_() == ranking_html(evaluation.ranking)
    assert evaluation.ranking._repr_markdown_() == ranking_markdown(evaluation.ranking)


def test_evaluation_reprs_use_the_report(evaluation: Evaluation) -> None:
    from crokit.report import render

    assert evaluation._repr_html_() == render(evaluation, "html", standalone=False)
    assert evaluation._repr_markdown_() == render(evaluation, "markdown")
