"""Hypothesis strategies for the one-way sensitivity (tornado) of a scenario.

Public through :mod:`crokit.testing`; see there. Settings are drawn valid by
construction (each value within what its assumption takes, low <= high); results
keep the invariants :func:`~crokit.sensitivity.assumption_sensitivity` gives them
(one currency, a break-even between two different winners, tornado order).
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from crokit.sensitivity import (
    AssumptionRange,
    AssumptionSensitivity,
    BreakEven,
    CandidateSwing,
    PlanningAssumption,
    SensitivitySettings,
    Tornado,
)
from crokit.testing._core import currencies, money

__all__ = [
    "assumption_ranges",
    "assumption_sensitivities",
    "break_evens",
    "candidate_swings",
    "sensitivity_settings",
    "tornadoes",
]

_IDS = st.from_regex(r"\A[a-z][a-z0-9-]{0,11}\Z")
_NAMES = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=20).filter(
    str.strip
)


def _values(assumption: PlanningAssumption) -> st.SearchStrategy[Decimal]:
    """Values *assumption* can take."""
    if assumption in {PlanningAssumption.SCREEN_FAILURE_RATE, PlanningAssumption.DROPOUT_RATE}:
        return st.decimals("0", "0.99", places=2)
    if assumption.is_whole:
        least = 0 if assumption in {PlanningAssumption.TREATMENT_MONTHS, PlanningAssumption.CLOSEOUT_MONTHS} else 1
        return st.integers(least, 60).map(Decimal)
    if assumption is PlanningAssumption.FX_RATE:
        return st.decimals("0.0001", "500", places=4)
    return st.decimals("0", "10", places=3)


def assumption_ranges() -> st.SearchStrategy[AssumptionRange]:
    """Ranges of any assumption: each end given or left to the default, low <= high."""

    @st.composite
    def build(draw: st.DrawFn) -> AssumptionRange:
        assumption = draw(st.sampled_from(PlanningAssumption))
        ends = sorted(draw(st.lists(_values(assumption), min_size=2, max_size=2)))
        low = draw(st.none() | st.just(ends[0]))
        high = draw(st.none() | st.just(ends[1]))
        currency = draw(st.none() | currencies()) if assumption is PlanningAssumption.FX_RATE else None
        return AssumptionRange(assumption=assumption, low=low, high=high, currency=currency)

    return build()


def sensitivity_settings() -> st.SearchStrategy[SensitivitySettings]:
    """A scenario's ``sensitivity`` section: up to four ranges, each assumption once, and a tolerance."""
    return st.builds(
        SensitivitySettings,
        ranges=st.lists(assumption_ranges(), max_size=4, unique_by=lambda item: item.key).map(tuple),
        tolerance=st.decimals("0.0001", "0.5", places=4),
    )


def candidate_swings(*, currency: str | None = None) -> st.SearchStrategy[CandidateSwing]:
    """One candidate's totals at the base, low and high value, in one currency."""

    @st.composite
    def build(draw: st.DrawFn) -> CandidateSwing:
        code = currency if currency is not None else draw(currencies())
        amounts = money(currency=code, min_value=Decimal(0), max_value=Decimal("1e9"))
        return CandidateSwing(
            candidate=draw(_IDS), name=draw(_NAMES), base=draw(amounts), low=draw(amounts), high=draw(amounts)
        )

    return build()


def break_evens() -> st.SearchStrategy[BreakEven]:
    """Break-evens: two values and the two different winners either side."""

    @st.composite
    def build(draw: st.DrawFn) -> BreakEven:
        before = draw(st.integers(0, 1000).map(Decimal))
        step = draw(st.sampled_from((Decimal(1), Decimal(-1), Decimal("0.001"), Decimal("-0.0005"))))
        winners = draw(st.lists(st.none() | _IDS, min_size=2, max_size=2, unique=True))
        return BreakEven(
            before=before,
            after=before + step,
            winner_before=winners[0],
            winner_after=winners[1],
            exact=abs(step) == 1,
        )

    return build()


def assumption_sensitivities(*, currency: str | None = None) -> st.SearchStrategy[AssumptionSensitivity]:
    """One assumption's result: low <= base <= high, candidates in one currency, break-evens on their sides."""

    @st.composite
    def build(draw: st.DrawFn) -> AssumptionSensitivity:
        code = currency if currency is not None else draw(currencies())
        assumption = draw(st.sampled_from(PlanningAssumption))
        low, base, high = sorted(draw(st.lists(_values(assumption), min_size=3, max_size=3)))
        rows = draw(st.lists(candidate_swings(currency=code), max_size=3, unique_by=lambda row: row.candidate))
        ids: list[str | None] = [row.candidate for row in rows]
        winner = draw(st.sampled_from([*ids, None]))
        below = _break_even(draw, winner, base, low, whole=assumption.is_whole) if low < base else None
        above = _break_even(draw, winner, base, high, whole=assumption.is_whole) if base < high else None
        return AssumptionSensitivity(
            assumption=assumption,
            currency=draw(currencies()) if assumption is PlanningAssumption.FX_RATE else None,
            base=base,
            low=low,
            high=high,
            candidates=tuple(rows),
            winner=winner,
            winner_low=below.winner_after if below is not None else winner,
            winner_high=above.winner_after if above is not None else winner,
            break_even_low=below,
            break_even_high=above,
        )

    return build()


def _break_even(draw: st.DrawFn, winner: str | None, near: Decimal, far: Decimal, *, whole: bool) -> BreakEven | None:
    """Maybe a change of winner between *near* and *far*: two neighbouring values there."""
    if not draw(st.booleans()):
        return None
    other = draw((st.none() | _IDS).filter(lambda found: found != winner))
    step = Decimal(1) if whole else (far - near) / 4
    after = draw(st.sampled_from((far, near + step if near < far else near - step)))
    before = after - step if near < far else after + step
    return BreakEven(before=before, after=after, winner_before=winner, winner_after=other, exact=whole)


def _swing(row: AssumptionSensitivity) -> Decimal:
    swing = row.swing
    return swing.amount if swing is not None else Decimal(0)


def tornadoes() -> st.SearchStrategy[Tornado]:
    """Tornadoes: up to four assumptions in one currency, largest swing first."""

    @st.composite
    def build(draw: st.DrawFn) -> Tornado:
        code = draw(currencies())
        rows = draw(st.lists(assumption_sensitivities(currency=code), max_size=4))
        return Tornado(
            currency=code,
            winner=draw(st.none() | _IDS),
            tolerance=draw(st.decimals("0.0001", "0.5", places=4)),
            assumptions=tuple(sorted(rows, key=_swing, reverse=True)),
            not_varied=tuple(draw(st.lists(_NAMES, max_size=2))),
        )

    return build()
