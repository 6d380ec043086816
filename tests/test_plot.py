from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from crokit import Registry
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.errors import MissingDependencyError, ValidationError
from crokit.plot import plot_acceptability, plot_budget, plot_cash_flow, plot_contributions, plot_timeline
from crokit.pricing.budget import Budget
from crokit.scenario import Evaluation, evaluate, planned_milestones
from crokit.schedule.payments import PaymentSchedule
from crokit.schedule.terms import MilestonePlan
from crokit.selection.models import Ranking
from crokit.vocabulary.lifecycle import Milestone


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return evaluate(demo_scenario(), seed=DEMO_SEED, registry=Registry.builtin())


@pytest.fixture(scope="module")
def budget(evaluation: Evaluation) -> Budget:
    result = evaluation.candidates[0]
    assert result.budget is not None
    return result.budget


@pytest.fixture(scope="module")
def schedule(evaluation: Evaluation) -> PaymentSchedule:
    result = evaluation.candidates[0]
    assert result.schedule is not None
    return result.schedule


@pytest.fixture(scope="module")
def plan(evaluation: Evaluation) -> MilestonePlan:
    return planned_milestones(evaluation.study, evaluation.drivers)


@pytest.fixture(autouse=True)
def _no_global_state() -> Iterator[None]:
    figures = plt.get_fignums()
    params = dict(mpl.rcParams)
    yield
    assert plt.get_fignums() == figures
    assert dict(mpl.rcParams) == params


def _bars(ax: Axes) -> list[Rectangle]:
    return [patch for patch in ax.patches if isinstance(patch, Rectangle)]


def test_budget_by_service(budget: Budget) -> None:
    ax = plot_budget(budget)
    services = budget.by_service()
    bars = _bars(ax)
    assert len(bars) == len(services)
    assert [label.get_text() for label in ax.get_yticklabels()] == list(services)
    assert [bar.get_width() for bar in bars] == [float(amount.amount) for amount in services.values()]
    assert ax.get_xlabel() == "Amount (USD)"
    assert isinstance(ax.figure, Figure)


def test_budget_by_stage_on_given_axes(budget: Budget) -> None:
    ax = Figure().add_subplot()
    assert plot_budget(budget, ax=ax, by="stage") is ax
    assert len(_bars(ax)) == len(budget.by_stage())
    assert [label.get_text() for label in ax.get_yticklabels()] == [stage.label for stage in budget.by_stage()]


def test_budget_refuses_other_groupings(budget: Budget) -> None:
    with pytest.raises(ValidationError, match="'service' or 'stage'"):
        plot_budget(budget, by="bucket")  # type: ignore[arg-type]


def test_cash_flow(schedule: PaymentSchedule, plan: MilestonePlan) -> None:
    ax = Figure().add_subplot()
    assert plot_cash_flow(schedule, ax=ax, milestones=plan) is ax
    step, *verticals = ax.get_lines()
    assert len(verticals) == len(plan.dates)
    y = [float(value) for value in np.asarray(step.get_ydata(), dtype=float)]
    assert y[0] == 0.0
    assert y[-1] == pytest.approx(float(schedule.total.amount))
    assert y == sorted(y)  # no credits in the demo: the cumulative line only rises
    labels = {text.get_text().strip() for text in ax.texts}
    assert labels == {planned.milestone.label for planned in plan.dates}


def test_cash_flow_without_milestones(schedule: PaymentSchedule) -> None:
    ax = plot_cash_flow(schedule)
    assert len(ax.get_lines()) == 1
    assert len(ax.texts) == 0


def test_timeline(plan: MilestonePlan) -> None:
    ax = Figure().add_subplot()
    assert plot_timeline(plan, ax=ax) is ax
    assert len(ax.get_lines()) == 1
    assert np.asarray(ax.get_lines()[0].get_xdata()).shape == (len(plan.dates),)
    texts = [text.get_text() for text in ax.texts]
    assert len(texts) == len(plan.dates)
    assert any(Milestone.FIRST_PATIENT_IN.label in text for text in texts)


def test_timeline_refuses_an_empty_plan() -> None:
    with pytest.raises(ValidationError, match="no dates"):
        plot_timeline(MilestonePlan())


def test_small_timeline() -> None:
    plan = MilestonePlan(dates=[(Milestone.CONTRACT_SIGNED, date(2027, 1, 4))])
    ax = plot_timeline(plan)
    assert [text.get_text() for text in ax.texts] == ["Contract signed\n2027-01-04"]


def test_contributions(evaluation: Evaluation) -> None:
    ranking = evaluation.ranking
    ax = Figure().add_subplot()
    assert plot_contributions(ranking, ax=ax) is ax
    assert len(_bars(ax)) == len(ranking.scorecards) * len(ranking.criteria)
    assert [label.get_text() for label in ax.get_yticklabels()] == [card.name for card in ranking.scorecards]
    legend = ax.get_legend()
    assert legend is not None
    assert [text.get_text() for text in legend.get_texts()] == list(ranking.criteria)
    ends: dict[float, float] = {}
    for bar in _bars(ax):
        ends[bar.get_y()] = max(ends.get(bar.get_y(), 0.0), bar.get_x() + bar.get_width())
    assert sorted(ends.values(), reverse=True) == pytest.approx([card.score for card in ranking.scorecards])


def test_acceptability(evaluation: Evaluation) -> None:
    ranking = evaluation.ranking
    ax = plot_acceptability(ranking)
    rows = len(ranking.acceptability)
    assert len(_bars(ax)) == rows * rows
    legend = ax.get_legend()
    assert legend is not None
    assert [text.get_text() for text in legend.get_texts()] == [f"Rank {r}" for r in range(1, rows + 1)]
    assert ax.get_yticklabels()[-1].get_text() == next(
        card.name for card in ranking.scorecards if card.candidate == "globalcro"
    )


def _unranked(evaluation: Evaluation, **changes: object) -> Ranking:
    import attrs

    return attrs.evolve(evaluation.ranking, **changes)  # type: ignore[arg-type]


def test_acceptability_needs_samples(evaluation: Evaluation) -> None:
    with pytest.raises(ValidationError, match="seed"):
        plot_acceptability(_unranked(evaluation, acceptability=()))


def test_contributions_refusals(evaluation: Evaluation) -> None:
    with pytest.raises(ValidationError, match="no candidate is eligible"):
        plot_contributions(_unranked(evaluation, scorecards=()))
    with pytest.raises(ValidationError, match="factors"):
        plot_contributions(_unranked(evaluation, method="weighted-product"))


def test_missing_matplotlib(monkeypatch: pytest.MonkeyPatch, budget: Budget) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(MissingDependencyError, match=r"crokit\[plot\]") as info:
        plot_budget(budget)
    assert (info.value.package, info.value.extra) == ("matplotlib", "plot")
