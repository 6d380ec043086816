"""The HTML report: sections, the winner highlighted, inline SVG charts, print-friendly CSS.

The page is self-contained: its CSS is inline, its charts are inline SVG, it has no
script and loads nothing (a ``Content-Security-Policy`` forbids any fetch), so it can be
mailed, archived and opened offline. Every piece of user text goes through
:func:`html.escape`. matplotlib is not imported here: :mod:`crokit.report._html_charts`
draws the charts and :func:`svg_markup` only rewrites the SVG text it saved.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Final

import attrs

from crokit._version import __version__
from crokit.report._document import Block, Bullets, Heading, Paragraph, Table

__all__ = ["STYLE", "Chart", "Charts", "page", "slug", "svg_markup"]

STYLE: Final = """
:root{--ink:#1b1b1b;--muted:#5b6470;--rule:#d5d9de;--head:#eef1f4;--win:#e3f2e1;--win-edge:#2e7d32}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
 max-width:76rem;margin:2rem auto;padding:0 1.25rem;color:var(--ink);line-height:1.45}
header.report-head{border-bottom:3px solid var(--ink);margin-bottom:1.5rem;padding-bottom:0.5rem}
header.report-head ul{list-style:none;padding:0;margin:0.5rem 0;color:var(--muted)}
h1{font-size:1.7rem;margin:0 0 0.5rem}
h2{font-size:1.3rem;margin:2rem 0 0.5rem;border-bottom:1px solid var(--rule);padding-bottom:0.2rem}
h3{font-size:1.05rem;margin:1.25rem 0 0.4rem}
section.winner{background:var(--win);border-left:6px solid var(--win-edge);padding:0.25rem 1rem 0.5rem;
 border-radius:4px}
section.winner h2{border:none;color:var(--win-edge)}
table{border-collapse:collapse;margin:0.5rem 0 1rem;font-size:0.92rem}
th,td{border:1px solid var(--rule);padding:0.3rem 0.55rem;text-align:left;vertical-align:top}
th{background:var(--head)}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.n{white-space:nowrap}
tbody tr:nth-child(even){background:#fafbfc}
tr.winner td{background:var(--win);font-weight:600}
tr.winner td:first-child{box-shadow:inset 4px 0 0 var(--win-edge)}
.charts{display:grid;gap:1rem}
figure{margin:0;border:1px solid var(--rule);border-radius:4px;padding:0.5rem;background:#fff}
figure svg{display:block;width:100%;max-width:54rem;height:auto;margin:0 auto}
figcaption{color:var(--muted);font-size:0.88rem;margin-top:0.3rem}
p.note{color:var(--muted);font-style:italic}
footer{margin-top:2rem;border-top:1px solid var(--rule);color:var(--muted);font-size:0.85rem}
@media print{
 @page{size:A4;margin:14mm}
 body{max-width:none;margin:0;padding:0;font-size:10pt}
 h2{break-after:avoid}
 h3{break-after:avoid}
 figure{break-inside:avoid}
 table{max-width:100%}
 th{overflow-wrap:break-word}
 thead{display:table-header-group}
 tr{break-inside:avoid}
 .charts{display:block}
 figure{margin:0 0 6mm;border:none;padding:0}
 section.winner,tr.winner td,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 tbody tr:nth-child(even){background:none}
}
"""
"""The page's CSS: for the screen, and for paper under ``@media print``."""

_POLICY: Final = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
"""Nothing may be fetched: the page is complete as it is."""


@attrs.frozen(kw_only=True)
class Chart:
    """One chart of the report: its title, the inline SVG markup and a caption."""

    title: str
    svg: str
    caption: str = ""


@attrs.frozen(kw_only=True)
class Charts:
    """The report's charts, or a note saying why there are none (such as matplotlib missing)."""

    figures: tuple[Chart, ...] = ()
    note: str = ""


def slug(text: str, taken: set[str]) -> str:
    """An HTML id for a heading: lower case, words joined by ``-``, unique among *taken* (which it joins).

    >>> slug("How robust is the choice?", set())
    'how-robust-is-the-choice'
    """
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].rstrip("-") or "section"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    taken.add(name)
    return name


_SVG_START: Final = re.compile(r"<svg\b[^>]*>")
_ID: Final = re.compile(r'\bid="([^"]+)"')
_REFERENCE: Final = re.compile(r'url\(#([^)"]+)\)|href="#([^"]+)"')


def svg_markup(svg: str, *, prefix: str, title: str) -> str:
    """SVG text that matplotlib saved, made fit to sit inline in a page beside other charts.

    The XML declaration and DOCTYPE go; the root keeps its ``viewBox`` but loses its
    fixed size (CSS scales it), gains ``role="img"`` and a ``<title>`` for screen
    readers; every ``id`` (and every reference to one) gets *prefix*, so two charts'
    clip paths never collide.
    """
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else svg
    body = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', body)
    body = _REFERENCE.sub(
        lambda m: f"url(#{prefix}-{m.group(1)})" if m.group(1) else f'href="#{prefix}-{m.group(2)}"', body
    )

    def root(match: re.Match[str]) -> str:
        tag = re.sub(r'\s(?:width|height)="[^"]*"', "", match.group(0))
        return tag[:-1] + f' role="img" aria-label="{html.escape(title)}"><title>{html.escape(title)}</title>'

    return _SVG_START.sub(root, body, count=1).strip()


def _cells(cells: Sequence[str], numeric: frozenset[int], tag: str) -> str:
    scope = ' scope="col"' if tag == "th" else ""
    number = ' class="n"'
    return "".join(
        f"<{tag}{scope}{number if index in numeric else ''}>{html.escape(cell)}</{tag}>"
        for index, cell in enumerate(cells)
    )


def _table(block: Table) -> str:
    caption = f"<caption>{html.escape(block.caption)}</caption>" if block.caption else ""
    head = "<tr>" + _cells(block.headers, block.numeric, "th") + "</tr>"
    body = "".join(
        ('<tr class="winner">' if index in block.highlight else "<tr>") + _cells(row, block.numeric, "td") + "</tr>"
        for index, row in enumerate(block.rows)
    )
    return f"<table>{caption}<thead>{head}</thead><tbody>{body}</tbody></table>"


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 6)
        return f"<h{level}>{html.escape(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        return f"<p>{html.escape(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in block.items) + "</ul>"
    return _table(block)


def _charts(charts: Charts) -> str:
    out = ['<section id="charts" class="charts-section">', "<h2>Charts</h2>"]
    if charts.note:
        out.append(f'<p class="note">{html.escape(charts.note)}</p>')
    if charts.figures:
        out.append('<div class="charts">')
        for chart in charts.figures:
            caption = html.escape(chart.caption or chart.title)
            out.append(f"<figure>{chart.svg}<figcaption>{caption}</figcaption></figure>")
        out.append("</div>")
    out.append("</section>")
    return "\n".join(out)


def _body(blocks: Sequence[Block], charts: Charts | None) -> str:
    """The blocks before the first section in a header, then one section per level-1 or -2 heading.

    The charts come after the second section (the ranking, after the recommendation),
    or after the last section when there are fewer, or after the header when there is none.
    """
    head: list[Block] = []
    sections: list[tuple[Heading, list[Block]]] = []
    for index, block in enumerate(blocks):
        title = index == 0 and isinstance(block, Heading) and block.level == 1
        if isinstance(block, Heading) and block.level <= 2 and not title:  # noqa: PLR2004 - level 1 or 2
            sections.append((block, []))
        elif sections:
            sections[-1][1].append(block)
        else:
            head.append(block)
    out = [f'<header class="report-head">{"".join(_block(b) for b in head)}</header>'] if head else []
    if charts is not None and not sections:
        out.append(_charts(charts))
    taken = {"charts"}
    for number, (heading, content) in enumerate(sections):
        css = ' class="winner"' if heading.highlight else ""
        out.append(f'<section id="{slug(heading.text, taken)}"{css}>')
        out += [_block(heading), *(_block(b) for b in content), "</section>"]
        if number == min(1, len(sections) - 1) and charts is not None:
            out.append(_charts(charts))
    return "\n".join(out)


def page(blocks: Sequence[Block], *, standalone: bool = True, charts: Charts | None = None) -> str:
    """*blocks* as HTML: with ``standalone`` a complete page, else a fragment for notebooks.

    Args:
        blocks: The report, in reading order.
        standalone: A complete page with its CSS (default), or a ``<div>`` fragment.
        charts: Charts to show after the recommendation and the ranking (the first two
            sections), or a note saying why there are none.
    """
    body = _body(blocks, charts)
    if not standalone:
        return f'<div class="crokit-report">{body}</div>'
    title = next((b.text for b in blocks if isinstance(b, Heading)), "crokit report")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="crokit {html.escape(__version__)}">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body></html>\n"
    )
