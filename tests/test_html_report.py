"""The HTML report: sections, the winner highlighted, inline SVG charts, print CSS, nothing fetched."""

from __future__ import annotations

import html
import re
import sys
from html.parser import HTMLParser

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crokit
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.report import render
from crokit.report._document import Block, Bullets, Heading, Paragraph, Table
from crokit.report._html import Chart, Charts, page, slug, svg_markup
from crokit.report._html_charts import MISSING_NOTE, NO_CHARTS_NOTE, evaluation_charts
from crokit.scenario import Evaluation, evaluate


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return evaluate(demo_scenario(), seed=DEMO_SEED, registry=crokit.Registry.builtin())


@pytest.fixture(scope="module")
def report(evaluation: Evaluation) -> str:
    return render(evaluation, "html")


class _Page(HTMLParser):
    """Every element's tag and attributes, and the text, of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(text: str) -> _Page:
    parser = _Page()
    parser.feed(text)
    parser.close()
    return parser


def test_sections_and_the_winner(report: str, evaluation: Evaluation) -> None:
    parsed = _parse(report)
    sections = {attrs.get("id"): attrs.get("class") for tag, attrs in parsed.elements if tag == "section"}
    winner = evaluation.candidate(evaluation.winner or "")
    recommended = slug(f"Recommended: {winner.name}", set())
    assert sections[recommended] == "winner"
    for name in ("charts", "ranking", "criterion-contributions", "how-robust-is-the-choice", "warnings"):
        assert name in sections
    order = list(sections)
    assert order[:3] == [recommended, "ranking", "charts"]
    rows = re.findall(r'<tr class="winner">(.*?)</tr>', report)
    assert len(rows) == 1
    assert html.escape(winner.name) in rows[0]
    assert report.count('class="winner"') == 2


def test_charts_are_inline_svg_with_unique_ids(report: str, evaluation: Evaluation) -> None:
    parsed = _parse(report)
    svgs = [attrs for tag, attrs in parsed.elements if tag == "svg"]
    expected = 5 if evaluation.ranking.acceptability else 4  # ranking, totals, budget, payments (+ acceptability)
    assert len(svgs) == expected
    assert all(attrs.get("role") == "img" and attrs.get("viewbox") for attrs in svgs)
    assert all("width" not in attrs and "height" not in attrs for attrs in svgs)
    ids = [attrs["id"] for _, attrs in parsed.elements if attrs.get("id")]
    assert len(ids) == len(set(ids))
    for reference in re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', report):
        assert (reference[0] or reference[1]) in ids
    assert report.count("<figure>") == expected
    assert "<?xml" not in report
    assert "<!DOCTYPE svg" not in report


def test_self_contained(report: str) -> None:
    assert "<script" not in report
    assert not re.search(r"\b(?:src|srcset|action)\s*=", report)
    assert not re.search(r'href="(?!#)', report)
    assert not re.search(r"url\((?!#)", report)
    assert "@import" not in report
    assert "Content-Security-Policy" in report
    assert "default-src 'none'" in report


def test_print_css(report: str) -> None:
    style = report[report.index("<style>") : report.index("</style>")]
    assert "@media print" in style
    assert "@page" in style
    assert "print-color-adjust:exact" in style
    assert "break-inside:avoid" in style


def test_the_same_report_every_time(evaluation: Evaluation, report: str) -> None:
    assert render(evaluation, "html") == report


def test_names_in_the_chart_titles_and_labels(report: str, evaluation: Evaluation) -> None:
    charts = report[report.index('<section id="charts"') : report.index("</section>", report.index('id="charts"'))]
    assert "Investigator grants" in charts
    assert "crokit:investigator-grants" not in charts
    for result in evaluation.candidates:
        if result.rank is not None:
            assert html.escape(result.name.split(" (")[0]) in charts


def test_fragments_have_no_charts_unless_asked(evaluation: Evaluation) -> None:
    fragment = render(evaluation, "html", standalone=False)
    assert fragment.startswith('<div class="crokit-report">')
    assert "<svg" not in fragment
    assert "<style>" not in fragment
    with_charts = render(evaluation, "html", standalone=False, charts=True)
    assert with_charts.count("<svg") >= 4
    assert "<svg" not in render(evaluation, "html", charts=False)


def test_without_matplotlib_the_report_says_so(evaluation: Evaluation, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in sys.modules if n == "matplotlib" or n.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert evaluation_charts(evaluation) == Charts(note=MISSING_NOTE)
    page_text = render(evaluation, "html")
    assert "<svg" not in page_text
    assert html.escape(MISSING_NOTE) in page_text
    assert '<section id="ranking">' in page_text
    assert '<tr class="winner">' in page_text


def test_a_chart_that_cannot_be_drawn_leaves_a_note(evaluation: Evaluation, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> object:
        raise crokit.ValidationError.at("budget", "nothing to draw")

    monkeypatch.setattr("crokit.plot.plot_budget", refuse)
    charts = evaluation_charts(evaluation)
    assert charts.figures == ()
    assert "nothing to draw" in charts.note


def test_svg_markup_prefixes_ids_and_drops_the_fixed_size() -> None:
    saved = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n'
        '<svg width="100pt" height="50pt" viewBox="0 0 100 50" xmlns="http://www.w3.org/2000/svg">'
        '<defs><clipPath id="p1"><rect/></clipPath></defs><g clip-path="url(#p1)"><use href="#p1"/></g></svg>'
    )
    markup = svg_markup(saved, prefix="c3", title="A <b> title")
    assert markup.startswith('<svg viewBox="0 0 100 50"')
    assert 'id="c3-p1"' in markup
    assert "url(#c3-p1)" in markup
    assert 'href="#c3-p1"' in markup
    assert "<title>A &lt;b&gt; title</title>" in markup
    assert 'aria-label="A &lt;b&gt; title"' in markup


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)


@given(st.lists(_TEXT, min_size=1, max_size=12))
def test_section_ids_are_unique_and_plain(texts: list[str]) -> None:
    taken: set[str] = set()
    ids = [slug(text, taken) for text in texts]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name) for name in ids)


@given(
    blocks=st.lists(
        st.one_of(
            _TEXT.map(lambda t: Heading(text=t)),
            _TEXT.map(lambda t: Heading(text=t, level=3)),
            _TEXT.map(lambda t: Paragraph(text=t)),
            st.lists(_TEXT, min_size=1, max_size=3).map(lambda items: Bullets(items=tuple(items))),
            st.tuples(_TEXT, _TEXT).map(lambda row: Table(headers=("a", "b"), rows=(row,), highlight=frozenset({0}))),
        ),
        max_size=8,
    ),
    charts=st.booleans(),
)
def test_every_text_is_shown_escaped_in_balanced_sections(blocks: list[Block], *, charts: bool) -> None:
    shown = page(blocks, charts=Charts(figures=(Chart(title="t", svg="<svg></svg>"),)) if charts else None)
    parsed = _parse(shown)
    text = "".join(parsed.text)
    for block in blocks:
        for piece in _texts(block):
            assert piece in text
    body = shown[shown.index("<main>") :]
    assert body.count("<section") == body.count("</section>")
    ids = [attrs["id"] for _, attrs in parsed.elements if attrs.get("id")]
    assert len(ids) == len(set(ids))
    assert (shown.count("<figure>") == 1) is charts


def _texts(block: Block) -> list[str]:
    if isinstance(block, Heading | Paragraph):
        return [block.text]
    if isinstance(block, Bullets):
        return list(block.items)
    return [cell for row in block.rows for cell in row]


def test_an_evaluation_with_nothing_to_draw_says_so(evaluation: Evaluation) -> None:
    nobody = attrs.evolve(
        evaluation,
        winner=None,
        candidates=tuple(
            attrs.evolve(r, rank=None, score=None, budget=None, schedule=None) for r in evaluation.candidates
        ),
        ranking=attrs.evolve(evaluation.ranking, scorecards=(), acceptability=(), intervals=()),
    )
    assert evaluation_charts(nobody) == Charts(note=NO_CHARTS_NOTE)
    assert html.escape(NO_CHARTS_NOTE) in render(nobody, "html")
