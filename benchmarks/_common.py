"""What every benchmark module shares: the :class:`Row` it reports and paired timing.

The runner (``python -m benchmarks``) imports each ``bench_*.py`` module and calls its
``rows(quick: bool, select: Callable[[str], bool]) -> list[Row]`` function, if it has
one; a module without it is run as a script and its exit status reported. A row is one
measure of the issue #13 table: crokit against a reference, timed (or measured) in
adjacent pairs in the same process so that both sides of a pair see the same machine
load, and reported as the median of the pairs' ratios crokit / reference, with the
minimum and maximum.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Row:
    """One line of the benchmark table.

    Attributes:
        key: A short name to select the row with (``--only json``).
        measure: What is measured.
        reference: What it is compared with.
        ratios: crokit / reference, one per pair (or per run).
        target: The target of the median ratio (``at most`` unless ``higher_is_better``).
        note: Absolute figures, for information (times on a shared machine vary).
        higher_is_better: Whether the target is a floor rather than a ceiling.
        met: Overrides the ratio check (rows whose target is absolute).
        target_label: The target as printed, for rows whose target is absolute.
    """

    key: str
    measure: str
    reference: str
    ratios: list[float]
    target: float
    note: str = ""
    higher_is_better: bool = False
    met: bool | None = field(default=None)
    target_label: str = ""

    @property
    def median(self) -> float:
        """The median ratio."""
        return statistics.median(self.ratios)

    @property
    def ok(self) -> bool:
        """Whether the target is met."""
        if self.met is not None:
            return self.met
        return self.median >= self.target if self.higher_is_better else self.median <= self.target

    @property
    def target_text(self) -> str:
        """The target as printed."""
        if self.target_label:
            return self.target_label
        return f"{'>=' if self.higher_is_better else '<='} {self.target:g}x"


def paired(
    ours: Callable[[], object], reference: Callable[[], object], repeats: int
) -> tuple[list[float], list[float], list[float]]:
    """*repeats* adjacent timings of each (after one warm-up of each): ours, reference, ratios.

    Times are the process's CPU time (:func:`time.process_time`), not the wall clock: on
    a machine shared with other jobs a paused process would otherwise be charged for the
    others' work. Both sides run in this one process, so "on one core" is what is measured.
    """
    ours(), reference()
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(repeats):
        for function, found in ((ours, mine), (reference, theirs)):
            gc.collect()
            start = time.process_time()
            function()
            found.append(time.process_time() - start)
    return mine, theirs, [a / b for a, b in zip(mine, theirs, strict=True)]


def spread(values: list[float], scale: float = 1000.0, unit: str = "ms") -> str:
    """min/median/max of *values* times *scale*, with *unit*."""
    return f"{min(values) * scale:.1f}/{statistics.median(values) * scale:.1f}/{max(values) * scale:.1f} {unit}"
