"""The tornado chart (crokit.plot.plot_tornado)."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from crokit import Registry
from crokit.demo import demo_scenario
from crokit.errors import ValidationError
from crokit.plot import plot_tornado
from crokit.plot._common import OKABE_ITO
from crokit.scenario import evaluate
from crokit.sensitivity import Tornado


@pytest.fixture(scope="module")
def tornado() -> Tornado:
    found = evaluate(demo_scenario(), registry=Registry.builtin()).sensitivity
    assert found is not None
    return found


@pytest.fixture(autouse=True)
def _no_global_state() -> Iterator[None]:
    figures = plt.get_fignums()
    params = dict(mpl.rcParams)
    yield
    assert plt.get_fignums() == figures
    assert dict(mpl.rcParams) == params


def test_one_pair_of_bars_per_assumption_from_the_base_total(tornado: Tornado) -> None:
    figure = plot_tornado(tornado)
    assert isinstance(figure, Figure)
    (ax,) = figure.axes
    bars = [patch for patch in ax.patches if isinstance(patch, Rectangle)]
    rows = tornado.assumptions
    assert len(bars) == 2 * len(rows)
    helix = [next(s for s in row.candidates if s.candidate == "helix-cro") for row in rows]
    base = float(helix[0].base.amount)
    lows, highs = bars[: len(rows)], bars[len(rows) :]
    for swing, low, high in zip(helix, lows, highs, strict=True):
        assert low.get_x() == pytest.approx(base)
        assert low.get_x() + low.get_width() == pytest.approx(float(swing.low.amount))
        assert high.get_x() + high.get_width() == pytest.approx(float(swing.high.amount))
    assert {to_hex(bar.get_facecolor()) for bar in lows} == {OKABE_ITO[0].lower()}
    assert {to_hex(bar.get_facecolor()) for bar in highs} == {OKABE_ITO[1].lower()}
    labels = [label.get_text() for label in ax.get_yticklabels()]
    assert labels[0].startswith("sites\n(8 / 12 / 18; winner changes)")
    assert "Helix CRO (mid-size, illustrative)" in ax.get_title()
    assert "1,298,263.32 USD" in ax.get_title()
    assert all(text.get_text().endswith("USD") for text in ax.get_xticklabels() if text.get_text())


def test_the_largest_swing_of_the_candidate_is_at_the_top(tornado: Tornado) -> None:
    figure = plot_tornado(tornado, candidate="globalcro")
    (ax,) = figure.axes
    labels = [label.get_text().split("\n(")[0].replace("\n", " ") for label in ax.get_yticklabels()]
    swings = {
        row.label: next(s for s in row.candidates if s.candidate == "globalcro").swing.amount
        for row in tornado.assumptions
    }
    assert labels == sorted(swings, key=lambda label: swings[label], reverse=True)
    assert "GlobalCRO (large full-service, illustrative)" in ax.get_title()


def test_it_draws_on_given_axes(tornado: Tornado) -> None:
    figure = Figure()
    ax = figure.add_subplot()
    assert plot_tornado(tornado, ax=ax) is figure


def test_an_unknown_candidate_or_an_empty_tornado_is_refused(tornado: Tornado) -> None:
    with pytest.raises(ValidationError) as caught:
        plot_tornado(tornado, candidate="sitelink")
    assert caught.value.problems[0].path == "candidate"
    with pytest.raises(ValidationError) as caught:
        plot_tornado(Tornado(currency="USD"))
    assert caught.value.problems[0].path == "tornado.assumptions"
