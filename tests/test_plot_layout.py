"""Every chart, for the demo and for twelve candidates with long names: no overlapping or clipped text."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from crokit import Registry
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.plot import (
    dashboard,
    plot_acceptability,
    plot_budget,
    plot_cash_flow,
    plot_contributions,
    plot_scores,
    plot_timeline,
    plot_tornado,
)
from crokit.scenario import Evaluation, Scenario, evaluate, planned_milestones

LONG_NAME_LENGTH = 40
CANDIDATES = 12


def _crowded() -> Scenario:
    """The demo scenario's eligible candidates cloned to twelve, each named with exactly 40 characters."""
    scenario = demo_scenario()
    demo = evaluate(scenario, seed=DEMO_SEED, registry=Registry.builtin())
    eligible = [candidate for candidate in scenario.candidates if demo.candidate(candidate.id).eligible]
    clones = []
    for index in range(CANDIDATES):
        source = eligible[index % len(eligible)]
        id_ = f"clone-{index:02d}"
        name = f"Clinical Research Service Group, unit {index:02d}"
        proposal = None if source.proposal is None else attrs.evolve(source.proposal, cro_id=id_)
        profile = attrs.evolve(source.profile, id=id_, name=name)
        clones.append(attrs.evolve(source, profile=profile, proposal=proposal))
    return attrs.evolve(scenario, candidates=clones)


@pytest.fixture(scope="module", params=["demo", "crowded"])
def evaluation(request: pytest.FixtureRequest) -> Evaluation:
    scenario = demo_scenario() if request.param == "demo" else _crowded()
    return evaluate(scenario, seed=DEMO_SEED, registry=Registry.builtin())


def test_crowded_scenario_is_what_it_claims() -> None:
    result = evaluate(_crowded(), seed=DEMO_SEED, registry=Registry.builtin())
    assert len(result.candidates) == CANDIDATES
    assert {len(candidate.name) for candidate in result.candidates} == {LONG_NAME_LENGTH}
    assert len(result.ranking.scorecards) == CANDIDATES
    assert len(result.ranking.acceptability) == CANDIDATES


def _charts(evaluation: Evaluation) -> dict[str, Callable[[], Figure]]:
    assert evaluation.winner is not None
    winner = evaluation.candidate(evaluation.winner)
    assert winner.budget is not None
    assert winner.schedule is not None
    budget, schedule = winner.budget, winner.schedule
    plan = planned_milestones(evaluation.study, evaluation.drivers)
    return {
        "budget": lambda: plot_budget(budget),
        "budget-by-stage": lambda: plot_budget(budget, by="stage"),
        "cash-flow": lambda: plot_cash_flow(schedule, milestones=plan),
        "timeline": lambda: plot_timeline(plan),
        "contributions": lambda: plot_contributions(evaluation.ranking),
        "scores": lambda: plot_scores(evaluation.ranking),
        "acceptability": lambda: plot_acceptability(evaluation.ranking),
        "dashboard": lambda: dashboard(evaluation),
        "tornado": lambda: plot_tornado(evaluation.sensitivity),  # type: ignore[arg-type]
    }


CHARTS = [
    "budget",
    "budget-by-stage",
    "cash-flow",
    "timeline",
    "contributions",
    "scores",
    "acceptability",
    "dashboard",
    "tornado",
]


@pytest.fixture(autouse=True)
def _no_global_state() -> Iterator[None]:
    figures = plt.get_fignums()
    yield
    assert plt.get_fignums() == figures


def _drawn_tick_labels(axis: Axis) -> set[int]:
    """The ids of the tick labels *axis* draws: those of ticks inside its view interval."""
    low, high = sorted(axis.get_view_interval())
    margin = (high - low) * 1e-9
    drawn = set()
    for tick in axis.get_major_ticks() + axis.get_minor_ticks():
        if low - margin <= tick.get_loc() <= high + margin:
            drawn.update({id(tick.label1), id(tick.label2)})
    return drawn


def _visible_texts(figure: Figure) -> list[tuple[str, Bbox]]:
    """Every non-empty text the figure draws, with its bounding box in display units."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    tick_labels: set[int] = set()
    drawn_ticks: set[int] = set()
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                tick_labels.update({id(tick.label1), id(tick.label2)})
            drawn_ticks |= _drawn_tick_labels(axis)
    texts = []
    for text in figure.findobj(Text):
        assert isinstance(text, Text)
        if not text.get_visible() or not text.get_text().strip():
            continue
        if id(text) in tick_labels and id(text) not in drawn_ticks:
            continue
        texts.append((text.get_text(), text.get_window_extent(renderer)))
    return texts


@pytest.mark.parametrize("chart", CHARTS)
def test_text_neither_overlaps_nor_is_clipped(evaluation: Evaluation, chart: str, tmp_path: Path) -> None:
    figure = _charts(evaluation)[chart]()
    assert isinstance(figure, Figure)
    path = tmp_path / f"{chart}.png"
    figure.savefig(path)
    assert path.read_bytes().startswith(b"\x89PNG")
    texts = _visible_texts(figure)
    assert texts
    page = figure.bbox
    for label, box in texts:
        assert page.x0 - 0.5 <= box.x0, f"{label!r} is clipped on the left"
        assert box.x1 <= page.x1 + 0.5, f"{label!r} is clipped on the right"
        assert page.y0 - 0.5 <= box.y0, f"{label!r} is clipped at the bottom"
        assert box.y1 <= page.y1 + 0.5, f"{label!r} is clipped at the top"
    for index, (label, box) in enumerate(texts):
        for other, other_box in texts[index + 1 :]:
            overlap = Bbox.intersection(box, other_box)
            clash = overlap is not None and overlap.width > 0.5 and overlap.height > 0.5
            assert not clash, f"{label!r} overlaps {other!r}"


def test_overlap_check_can_fail() -> None:
    figure = Figure()
    axes = figure.add_subplot()
    axes.text(0.5, 0.5, "one label")
    axes.text(0.5, 0.5, "another label")
    texts = [box for label, box in _visible_texts(figure) if "label" in label]
    assert Bbox.intersection(*texts) is not None


@pytest.mark.parametrize("chart", ["budget", "contributions", "acceptability", "timeline"])
def test_long_names_are_wrapped(chart: str) -> None:
    crowded = evaluate(_crowded(), seed=DEMO_SEED, registry=Registry.builtin())
    figure = _charts(crowded)[chart]()
    labels = [label.get_text() for label in figure.axes[0].get_yticklabels()]
    assert labels
    assert all(len(line) <= 24 for label in labels for line in label.splitlines())


@given(st.lists(st.floats(min_value=0.0, max_value=10_000.0), min_size=1, max_size=30))
def test_staggered_levels_keep_neighbours_apart(xs: list[float]) -> None:
    from crokit.plot._charts import _STRIP_GAP, _levels

    xs = sorted(xs)
    levels = _levels(xs)
    assert len(levels) == len(xs)
    assert set(levels) == set(range(max(levels) + 1))  # no level skipped
    span = (xs[-1] - xs[0]) or 1.0
    for level in set(levels):
        on_level = [x for x, at in zip(xs, levels, strict=True) if at == level]
        assert all(b - a >= _STRIP_GAP * span for a, b in itertools.pairwise(on_level))
