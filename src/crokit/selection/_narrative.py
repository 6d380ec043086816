"""The generated text of a ranking: why the winner won and how robust that is.

Private to :mod:`crokit.selection`; :func:`crokit.selection.ranking.select` calls it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Protocol

__all__ = ["display_names", "explain"]

_SHOWN = 2


class _Card(Protocol):
    @property
    def candidate(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def contributions(self) -> tuple[tuple[str, float], ...]: ...


class _Span(Protocol):
    @property
    def criterion(self) -> str: ...
    @property
    def current(self) -> float: ...
    @property
    def low(self) -> float: ...
    @property
    def high(self) -> float: ...
    @property
    def below(self) -> str | None: ...
    @property
    def above(self) -> str | None: ...


def _advantages(method: str, winner: _Card, runner_up: _Card) -> list[tuple[str, float]]:
    theirs = dict(runner_up.contributions)
    result = []
    for cid, mine in winner.contributions:
        other = theirs[cid]
        if method == "weighted-product":
            # Contributions are factors r ** w in (0, 1]; compare them on the log scale.
            result.append((cid, math.log(mine) - math.log(other)))
        else:
            result.append((cid, mine - other))
    return result


def display_names(cards: Sequence[_Card]) -> dict[str, str]:
    """Each candidate's name, with its id in brackets only where two candidates share the name."""
    counts: dict[str, int] = {}
    for card in cards:
        counts[card.name.casefold()] = counts.get(card.name.casefold(), 0) + 1
    return {c.candidate: c.name if counts[c.name.casefold()] == 1 else f"{c.name} ({c.candidate})" for c in cards}


def _robustness(winner: str, intervals: Sequence[_Span], names: Mapping[str, str], shown: Mapping[str, str]) -> str:
    closest: tuple[float, str] | None = None
    for span in intervals:
        for edge, who, word in ((span.low, span.below, "less"), (span.high, span.above, "more")):
            if who is None:
                continue
            gap = abs(span.current - edge)
            text = (
                f"the closest call is {names.get(span.criterion, span.criterion)}: if it weighed {word} than "
                f"{edge:.3g} (now {span.current:.3g}), {shown.get(who, who)} would win instead"
            )
            if closest is None or gap < closest[0]:
                closest = (gap, text)
    if closest is None:
        return f"{shown.get(winner, winner)} stays the winner whatever weight any single criterion is given"
    return closest[1]


def explain(
    *,
    method: str,
    cards: Sequence[_Card],
    names: Mapping[str, str],
    intervals: Sequence[_Span],
    first_shares: Mapping[str, float] | None,
    samples: int,
    seed: int | None,
) -> str:
    """A few sentences on why the first of *cards* won, and how robust the win is."""
    if not cards:
        return "No candidate met the constraints, so there is no winner; see the exclusions for the reasons."
    winner = cards[0]
    shown = display_names(cards)
    if len(cards) == 1:
        return f"{shown[winner.candidate]} is the only candidate that met the constraints."
    runner_up = cards[1]
    advantages = sorted(_advantages(method, winner, runner_up), key=lambda item: -item[1])
    leads = [f"{names.get(c, c)} ({d:+.3g})" for c, d in advantages if d > 0][:_SHOWN]
    trails = [f"{names.get(c, c)} ({d:+.3g})" for c, d in reversed(advantages) if d < 0][:_SHOWN]
    scale = "log-contribution" if method == "weighted-product" else "contribution"
    text = f"{shown[winner.candidate]} ranks first with {winner.score:.3g} against {runner_up.score:.3g} "
    text += f"for {shown[runner_up.candidate]}"
    if leads:
        text += f"; its largest {scale} leads are on " + " and ".join(leads)
    if trails:
        text += ", while it trails on " + " and ".join(trails)
    robust = _robustness(winner.candidate, intervals, names, shown)
    text += ". " + robust[0].upper() + robust[1:]
    if first_shares is not None:
        share = first_shares.get(winner.candidate, 0.0)
        text += f". It ranks first in {share:.0%} of {samples} random weightings (seed {seed})"
    return text + "."
