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
from crokit.plot import (
    dashboard,
    plot_acceptability,
    plot_budget,
    plot_cash_flow,
    plot_contributions,
    plot_timeline,
)
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
    figure = plot_budget(budget)
    assert isinstance(figure, Figure)
    (ax,) = figure.axes
    services = budget.by_service()
    bars = _bars(ax)
    assert len(bars) == len(services)
    registry = Registry.builtin()
    assert [label.get_text() for label in ax.get_yticklabels()] == [registry.service(s).name for s in services]
    assert [bar.get_width() for bar in bars] == [float(amount.amount) for amount in services.values()]
    assert ax.get_title() == "Budget by service: total 1,298,263.32 USD"
    assert ax.xaxis.get_major_formatter()(1_250_000.0, 0) == "1.25M USD"
    assert ax.xaxis.get_major_formatter()(450_000.0, 0) == "450k USD"
    assert ax.xaxis.get_major_formatter()(0.0, 0) == "0 USD"
    assert [text.get_text().strip() for text in ax.texts] == [f"{a.amount:,.0f}" for a in services.values()]


def test_budget_names_unknown_services_by_id(budget: Budget) -> None:
    (ax,) = plot_budget(budget, registry=Registry.empty()).axes
    assert [label.get_text().replace("\n", "") for label in ax.get_yticklabels()] == list(budget.by_service())


def test_budget_by_stage_on_given_axes(budget: Budget) -> None:
    figure = Figure()
    ax = figure.add_subplot()
    assert plot_budget(budget, ax=ax, by="stage") is figure
    assert len(_bars(ax)) == len(budget.by_stage())
    assert [label.get_text() for label in ax.get_yticklabels()] == [stage.label for stage in budget.by_stage()]


def test_budget_refuses_other_groupings(budget: Budget) -> None:
    with pytest.raises(ValidationError, match="'service' or 'stage'"):
        plot_budget(budget, by="bucket")  # type: ignore[arg-type]


def test_cash_flow(schedule: PaymentSchedule, plan: MilestonePlan) -> None:
    figure = Figure()
    ax = figure.add_subplot()
    assert plot_cash_flow(schedule, ax=ax, milestones=plan) is figure
    step, *verticals = ax.get_lines()
    assert len(verticals) == len(plan.dates)
    y = [float(value) for value in np.asarray(step.get_ydata(), dtype=float)]
    assert y[0] == 0.0
    assert y[-1] == pytest.approx(float(schedule.total.amount))
    assert y == sorted(y)  # no credits in the demo: the cumulative line only rises
    assert [text.get_text() for text in ax.texts] == [str(n) for n in range(1, len(plan.dates) + 1)]
    legend = ax.get_legend()
    assert legend is not None
    key = [text.get_text() for text in legend.get_texts()]
    assert key[0] == "1  Contract signed, 2027-01-04"
    assert {entry.split("  ")[1].split(",")[0] for entry in key} == {p.milestone.label for p in plan.dates}
    assert ax.get_title() == f"Cumulative payments: total {schedule.total.amount:,} USD"
    assert "e" not in ax.yaxis.get_offset_text().get_text()


def test_cash_flow_staggers_milestones_on_one_date(schedule: PaymentSchedule) -> None:
    day = date(2027, 6, 1)
    plan = MilestonePlan(dates=[(Milestone.DATABASE_LOCK, day), (Milestone.TOPLINE_RESULTS, day)])
    (ax,) = plot_cash_flow(schedule, milestones=plan).axes
    heights = [text.get_position()[1] for text in ax.texts]
    assert len(set(heights)) == len(heights)


def test_cash_flow_without_milestones(schedule: PaymentSchedule) -> None:
    (ax,) = plot_cash_flow(schedule).axes
    assert len(ax.get_lines()) == 1
    assert len(ax.texts) == 0


def test_timeline(plan: MilestonePlan) -> None:
    figure = Figure()
    ax = figure.add_subplot()
    assert plot_timeline(plan, ax=ax) is figure
    assert np.asarray(ax.get_lines()[0].get_xdata()).shape == (len(plan.dates),)
    texts = [text.get_text() for text in ax.texts]
    assert texts == [planned.date.isoformat() for planned in plan.dates]
    names = [label.get_text() for label in ax.get_yticklabels()]
    assert names == [planned.milestone.label for planned in plan.dates]


def test_timeline_refuses_an_empty_plan() -> None:
    with pytest.raises(ValidationError, match="no dates"):
        plot_timeline(MilestonePlan())


def test_small_timeline() -> None:
    plan = MilestonePlan(dates=[(Milestone.CONTRACT_SIGNED, date(2027, 1, 4))])
    (ax,) = plot_timeline(plan).axes
    assert [text.get_text() for text in ax.texts] == ["2027-01-04"]
    assert [label.get_text() for label in ax.get_yticklabels()] == ["Contract signed"]


def test_contributions(evaluation: Evaluation) -> None:
    ranking = evaluation.ranking
    figure = Figure()
    ax = figure.add_subplot()
    assert plot_contributions(ranking, ax=ax) is figure
    assert len(_bars(ax)) == len(ranking.scorecards) * len(ranking.criteria)
    names = [label.get_text().replace("\n", " ") for label in ax.get_yticklabels()]
    assert names == [f"{card.rank}. {card.name}" for card in ranking.scorecards]
    legend = ax.get_legend()
    assert legend is not None
    registry = Registry.builtin()
    expected = [registry.criterion(criterion).name for criterion in ranking.criteria]
    assert [text.get_text() for text in legend.get_texts()] == expected
    ends: dict[float, float] = {}
    for bar in _bars(ax):
        ends[bar.get_y()] = max(ends.get(bar.get_y(), 0.0), bar.get_x() + bar.get_width())
    assert sorted(ends.values(), reverse=True) == pytest.approx([card.score for card in ranking.scorecards])


def test_acceptability(evaluation: Evaluation) -> None:
    ranking = evaluation.ranking
    (ax,) = plot_acceptability(ranking).axes
    rows = len(ranking.acceptability)
    assert len(_bars(ax)) == rows * rows
    legend = ax.get_legend()
    assert legend is not None
    assert [text.get_text() for text in legend.get_texts()] == [f"Rank {r}" for r in range(1, rows + 1)]
    assert ax.get_yticklabels()[-1].get_text().replace("\n", " ") == next(
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


def test_figures_show_themselves_as_png(budget: Budget, evaluation: Evaluation) -> None:
    for figure in (plot_budget(budget), dashboard(evaluation)):
        png = figure._repr_png_()  # type: ignore[attr-defined]
        assert png.startswith(b"\x89PNG")


def test_dashboard(evaluation: Evaluation) -> None:
    figure = dashboard(evaluation)
    assert len(figure.axes) == 4
    titles = [axes.get_title() for axes in figure.axes]
    assert titles[0].startswith("Ranking by weighted sum")
    assert titles[1] == "Budget by service: total 1,298,263.32 USD"
    assert titles[2] == "Cumulative payments: total 1,298,263.32 USD"
    assert titles[3] == "Milestone plan"
    suptitle = figure.get_suptitle().replace("\n", " ")
    assert suptitle.endswith(f"winner {evaluation.candidate('helix-cro').name}")


def test_dashboard_under_weighted_product_shows_plain_scores(evaluation: Evaluation) -> None:
    import attrs

    product = attrs.evolve(evaluation, ranking=_unranked(evaluation, method="weighted-product"))
    figure = dashboard(product)
    assert figure.axes[0].get_title() == "Ranking by weighted product"
    assert len(_bars(figure.axes[0])) == len(evaluation.ranking.scorecards)


def test_dashboard_needs_a_winner(evaluation: Evaluation) -> None:
    import attrs

    with pytest.raises(ValidationError, match="no winner"):
        dashboard(attrs.evolve(evaluation, winner=None))
