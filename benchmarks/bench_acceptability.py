"""Benchmark: SMAA-2 rank acceptability against a minimal NumPy implementation.

10,000 weight samples, 20 candidates, 10 criteria, weighted sum. The minimal
implementation below draws the same weights from the same seed (normalised standard
exponentials, as crokit does), scores every draw at once and counts ranks; the two
must give identical acceptabilities. The two are timed in adjacent pairs, 21 times;
the script prints the median of the pairs' time ratios crokit / minimal (target: at
most 1.5x) and exits 1 above it. crokit also computes each candidate's central weights,
which the minimal implementation does not.

Run with ``python benchmarks/bench_acceptability.py``. Not collected by pytest.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

if __package__ in {None, ""}:  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import Row, paired, spread
from crokit.selection import DecisionMatrix, rank_acceptability

SAMPLES, CANDIDATES, CRITERIA, SEED = 10_000, 20, 10, 12345
TARGET = 1.5
REPEATS = 21


def make_matrix() -> DecisionMatrix:
    rng = np.random.default_rng(7)
    scores = rng.uniform(0.0, 1.0, size=(CANDIDATES, CRITERIA))
    return DecisionMatrix(
        alternatives=tuple(f"cro-{i}" for i in range(CANDIDATES)),
        criteria=tuple(f"c{j}" for j in range(CRITERIA)),
        scores=scores.tolist(),
    )


def minimal(matrix: DecisionMatrix, samples: int, seed: int) -> np.ndarray:
    """Rank acceptability, as plainly as NumPy allows (weighted sum, min-max normalised)."""
    x = np.asarray(matrix.scores)
    low, high = x.min(axis=0), x.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    utilities = np.where(high > low, (x - low) / span, 0.0)
    rng = np.random.default_rng(seed)
    draws = rng.standard_exponential((max(samples, 1024), x.shape[1]))[:samples]
    weights = draws / draws.sum(axis=1, keepdims=True)
    order = np.argsort(-(weights @ utilities.T), axis=1, kind="stable")
    m = x.shape[0]
    counts = np.zeros((m, m), dtype=np.int64)
    for rank in range(m):
        counts[:, rank] = np.bincount(order[:, rank], minlength=m)
    return counts / samples


def paired_times(first: Callable[[], object], second: Callable[[], object]) -> tuple[list[float], list[float]]:
    """REPEATS timings of each, run in adjacent pairs so both of a pair see the same machine load."""
    first(), second()  # warm up
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(REPEATS):
        for function, found in ((first, times[0]), (second, times[1])):
            start = time.process_time()
            function()
            found.append(time.process_time() - start)
    return times


def main() -> int:
    matrix = make_matrix()
    ours = rank_acceptability(matrix, samples=SAMPLES, seed=SEED)
    reference = minimal(matrix, SAMPLES, SEED)
    assert np.array_equal(np.asarray(ours.acceptability), reference), "the acceptabilities differ"
    ours_times, minimal_times = paired_times(
        lambda: rank_acceptability(matrix, samples=SAMPLES, seed=SEED), lambda: minimal(matrix, SAMPLES, SEED)
    )
    # The median of the pairs' ratios: robust to load that comes and goes on a shared machine.
    ratio = statistics.median(a / b for a, b in zip(ours_times, minimal_times, strict=True))
    crokit_time, minimal_time = min(ours_times), min(minimal_times)
    print(
        f"rank acceptability, {SAMPLES} samples x {CANDIDATES} candidates x {CRITERIA} criteria: "
        f"crokit {crokit_time * 1000:.1f} ms, minimal NumPy {minimal_time * 1000:.1f} ms "
        f"(best of {REPEATS}); median paired ratio {ratio:.2f}x (target <= {TARGET}x); identical acceptabilities"
    )
    return 0 if ratio <= TARGET else 1


def rows(quick: bool, select: Callable[[str], bool]) -> list[Row]:  # noqa: FBT001 - the runner's interface
    """The ``acceptability`` row of the table (kept, not in the issue's table)."""
    if not select("acceptability"):
        return []
    matrix = make_matrix()
    ours = rank_acceptability(matrix, samples=SAMPLES, seed=SEED)
    assert np.array_equal(np.asarray(ours.acceptability), minimal(matrix, SAMPLES, SEED))
    mine, theirs, ratios = paired(
        lambda: rank_acceptability(matrix, samples=SAMPLES, seed=SEED),
        lambda: minimal(matrix, SAMPLES, SEED),
        5 if quick else REPEATS,
    )
    return [
        Row(
            "acceptability",
            f"rank acceptability, {SAMPLES:,} samples",
            "minimal NumPy",
            ratios,
            TARGET,
            f"crokit {spread(mine)}, reference {spread(theirs)}",
        )
    ]


if __name__ == "__main__":
    sys.exit(main())
