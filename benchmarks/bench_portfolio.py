"""Benchmark: a portfolio of demo-sized scenarios on 1 and 2 local Dask workers, against a control.

The portfolio: 1,000 scenario files (``--quick``: 200), variants of the demo scenario
(24 combinations of planned patients, sites and enrolment months, each written once as
TOML and copied under distinct names, so every file has its own seed). It is evaluated
with :func:`crokit.portfolio.evaluate_portfolio` on a ``LocalCluster`` of 1 worker and
on one of 2 workers (processes, one thread each), both started before timing and warmed
up.

Two processes on these shared machines may get less than two cores' worth of CPU, so
the figure that matters is a ratio measured in the same run: the control is a
pure-Python busy loop calibrated to last about as long as one evaluation in this
process, run the same way (the same clusters, the same chunk sizes, ``client.submit``
and ``as_completed``). Each repeat times crokit and the control on 1 and on 2 workers,
back to back (every other repeat in reverse order); its parallel efficiency is crokit's
2-worker speed-up divided by the control's. The script prints min/median/max over the
repeats, and the same ratio from the total times of all repeats (less sensitive to a
load that changes between the four runs of one repeat), and exits 1 if the latter is
below 0.9. It also checks that the 1-worker and 2-worker tables are identical and
equal to the in-process table (``--quick`` and the full run alike).

Run with ``python benchmarks/bench_portfolio.py [--quick] [--repeat N]``. Needs
``pip install 'crokit[dask]'``. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import logging
import os
import pickle
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
from distributed import Client, LocalCluster, as_completed

from crokit.demo import DEMO_SEED, demo_scenario
from crokit.portfolio import Portfolio, chunk_size_for, evaluate_portfolio
from crokit.portfolio._run import _gather
from crokit.scenario import Scenario, evaluate
from crokit.serialization import dumps

TARGET = 0.9
COMBINATIONS = [
    (patients, sites, months) for patients in (30, 60, 90) for sites in (6, 12) for months in (9, 12, 15, 18)
]


def variant(patients: int, sites: int, months: int) -> Scenario:
    base = demo_scenario()
    return attrs.evolve(
        base,
        title=f"RD-201 variant: {patients} patients, {sites} sites, {months} months of enrolment (illustrative)",
        study=attrs.evolve(base.study, planned_patients=patients, sites=sites),
        assumptions=attrs.evolve(base.assumptions, enrolment_months=months),
        sensitivity=None,  # the demo's tornado would be 18 evaluations per scenario
        forecast=None,  # the demo's forecast section fits its own study; this measures evaluation
    )


def write_portfolio(folder: Path, count: int) -> None:
    texts = [dumps(variant(*combination), "toml") for combination in COMBINATIONS]
    for index in range(count):
        (folder / f"scenario-{index:04d}.toml").write_text(texts[index % len(texts)], encoding="utf-8")


def busy(iterations: int) -> int:
    """Pure-Python work: no allocation to speak of, no I/O, the GIL held throughout."""
    total = 0
    for i in range(iterations):
        total = (total + i * i) % 1_000_003
    return total


def busy_chunk(chunk: list[int]) -> list[int]:
    return [busy(iterations) for iterations in chunk]


def calibrate(seconds: float) -> int:
    """The number of busy-loop iterations that takes about *seconds* in this process."""
    iterations = 10_000
    while True:
        start = time.perf_counter()
        busy(iterations)
        elapsed = time.perf_counter() - start
        if elapsed > 0.2:  # long enough to time
            return max(1, round(iterations * seconds / elapsed))
        iterations *= 2


def control(client: Client, count: int, iterations: int, chunk: int) -> None:
    chunks = [[iterations] * min(chunk, count - start) for start in range(0, count, chunk)]
    futures = [client.submit(busy_chunk, items, pure=False) for items in chunks]
    for future in as_completed(futures):
        future.result()


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def spread(values: list[float], unit: str = "s", digits: int = 2) -> str:
    return (
        f"min {min(values):.{digits}f}{unit}, median {statistics.median(values):.{digits}f}{unit}, "
        f"max {max(values):.{digits}f}{unit}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 scenarios instead of 1,000")
    parser.add_argument("--repeat", type=int, default=3, help="repeats of the four timed runs (default: 3)")
    parser.add_argument("--count", type=int, help="scenarios in the portfolio (overrides --quick)")
    args = parser.parse_args()
    count = args.count or (200 if args.quick else 1000)
    folder = Path(tempfile.mkdtemp(prefix="crokit-portfolio-bench-"))
    try:
        write_portfolio(folder, count)
        return run(folder, count, args.repeat)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path, count: int, repeats: int) -> int:
    logging.getLogger("distributed").setLevel(logging.ERROR)
    sample = sorted(folder.iterdir())[: len(COMBINATIONS)]
    evaluate_portfolio(sample[:2], seed=DEMO_SEED)  # warm up this process
    per_scenario = timed(lambda: evaluate_portfolio(sample, seed=DEMO_SEED))[0] / len(sample)
    iterations = calibrate(per_scenario)
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs reported")
    print(f"portfolio: {count} demo-sized scenarios; one evaluation here (reading and parsing included)")
    print(f"  takes {per_scenario * 1000:.1f} ms; control: a busy loop of {iterations:,} iterations")

    works = _gather(sorted(folder.iterdir())[:1], DEMO_SEED)
    row = evaluate_portfolio(sample[:1], seed=DEMO_SEED).rows[0]
    whole = evaluate(variant(*COMBINATIONS[0]), seed=DEMO_SEED)
    print(
        f"  sent to a worker per scenario: {len(pickle.dumps(works[0])):,} bytes; returned: a row of "
        f"{len(pickle.dumps(row)):,} bytes (a whole Evaluation would be {len(pickle.dumps(whole)):,})"
    )

    elapsed, sequential = timed(lambda: evaluate_portfolio(folder, seed=DEMO_SEED))
    print(f"  in process, no Dask: {elapsed:.1f} s")

    clusters = {
        workers: LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        )
        for workers in (1, 2)
    }
    clients = {workers: Client(cluster) for workers, cluster in clusters.items()}
    try:
        chunk = {workers: chunk_size_for(count, workers) for workers in clients}
        for workers, client in clients.items():  # warm up every worker: imports, registry, converter
            warm = {f"warm-{index}": path for index, path in enumerate(sample * 2)}
            evaluate_portfolio(warm, seed=DEMO_SEED, client=client, chunk_size=1)
            control(client, 4 * workers, iterations, 1)
        times: dict[tuple[str, int], list[float]] = {}
        tables: dict[int, Portfolio] = {}
        ratios = []
        # Each repeat runs crokit and the control on 1 and on 2 workers, the same kind back to
        # back; every other repeat in the reverse order, so that a load that rises or falls
        # steadily over two repeats weighs on all four runs alike.
        sequence = [("crokit", 1), ("control", 1), ("control", 2), ("crokit", 2)]
        for repeat in range(repeats):
            for name, workers in sequence if repeat % 2 == 0 else sequence[::-1]:
                client = clients[workers]
                if name == "crokit":
                    elapsed, tables[workers] = timed(
                        lambda client=client: evaluate_portfolio(folder, seed=DEMO_SEED, client=client)
                    )
                else:
                    elapsed, _ = timed(lambda client=client, w=workers: control(client, count, iterations, chunk[w]))
                times.setdefault((name, workers), []).append(elapsed)
            crokit = times["crokit", 1][-1] / times["crokit", 2][-1]
            reference = times["control", 1][-1] / times["control", 2][-1]
            ratios.append(crokit / reference)
            print(
                f"  repeat {repeat + 1}: crokit {times['crokit', 1][-1]:.1f} s -> {times['crokit', 2][-1]:.1f} s "
                f"(speed-up {crokit:.2f}), control {times['control', 1][-1]:.1f} s -> "
                f"{times['control', 2][-1]:.1f} s (speed-up {reference:.2f}); efficiency {crokit / reference:.2f}"
            )
        assert tables[1] == tables[2] == sequential, "the tables differ"
    finally:
        for client in clients.values():
            client.close()
        for cluster in clusters.values():
            cluster.close()

    print(f"chunks: {chunk[1]} scenarios per task on 1 worker, {chunk[2]} on 2")
    for name in ("crokit", "control"):
        for workers in (1, 2):
            print(f"  {name:7} {workers} worker{'s' if workers > 1 else ' '}: {spread(times[name, workers])}")
    speedups = {
        name: [one / two for one, two in zip(times[name, 1], times[name, 2], strict=True)]
        for name in ("crokit", "control")
    }
    print(
        f"  speed-up on 2 workers: crokit {spread(speedups['crokit'], '')}; control {spread(speedups['control'], '')}"
    )
    pooled = (sum(times["crokit", 1]) / sum(times["crokit", 2])) / (sum(times["control", 1]) / sum(times["control", 2]))
    print(f"identical tables in process, on 1 worker and on 2 workers ({count} rows, {len(sequential.failed)} failed)")
    print(f"parallel efficiency (crokit speed-up / control speed-up), per repeat: {spread(ratios, '')}")
    print(f"  from the total times of all repeats: {pooled:.2f} (target >= {TARGET})")
    return 0 if pooled >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
