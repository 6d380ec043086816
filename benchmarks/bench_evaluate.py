"""Benchmark: ``evaluate()`` of the demo scenario, against pricing and scheduling alone.

crokit's side is :func:`crokit.scenario.evaluate` of :func:`crokit.demo.demo_scenario`
with the demo's seed (everything: drivers, pricing, schedules, due diligence, scoring,
rank acceptability, benchmarks against published figures, scope and normalisation of
the bids, currency conversions), without the demo's optional sensitivity and forecast
sections (benchmarked on their own). The reference is the part
that is pure arithmetic: drivers, ``Proposal.price`` and ``build_schedule`` of every
candidate, which ``evaluate`` also does. The target of issue #13 is absolute: at least
200 scenarios per second on one core (median); the ratio shows what evaluation adds on
top of pricing.

Run with ``python -m benchmarks --only evaluate``. Not collected by pytest.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable
from pathlib import Path

import attrs

if __package__ in {None, ""}:  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import Row, paired, spread
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.pricing import FixedFee, derive_drivers
from crokit.registry import default_registry
from crokit.scenario import evaluate, planned_milestones
from crokit.schedule import build_schedule

TARGET_PER_SECOND = 200.0


def rows(quick: bool, select: Callable[[str], bool]) -> list[Row]:  # noqa: FBT001 - the runner's interface
    """The ``evaluate`` row of the table."""
    if not select("evaluate"):
        return []
    # One evaluation, as issue #13 measured it: without the demo's optional analyses (its
    # sensitivity section is a tornado of 18 evaluations; its forecast section prices
    # 1,000 simulated trials), which have their own benchmarks (bench_forecast).
    scenario, registry = attrs.evolve(demo_scenario(), sensitivity=None, forecast=None), default_registry()

    def ours() -> object:
        return evaluate(scenario, registry=registry, seed=DEMO_SEED)

    def theirs() -> object:
        drivers = derive_drivers(scenario.study, scenario.assumptions)
        plan = scenario.milestones or planned_milestones(scenario.study, drivers)
        found = []
        for candidate in scenario.candidates:
            if candidate.proposal is None:
                continue
            budget = candidate.proposal.price(
                scenario.study, drivers, registry=registry, fx=scenario.fx, on=scenario.study.start_date
            )
            fees = [
                item
                for item in candidate.proposal.items
                if isinstance(item, FixedFee) and item.currency == candidate.proposal.currency
            ]
            found.append(
                build_schedule(
                    budget,
                    contract_start=scenario.study.start_date,
                    milestones=candidate.milestones or plan,
                    terms=candidate.billing or scenario.billing,
                    fixed_fees=fees,
                )
            )
        return found

    mine, ref, ratios = paired(ours, theirs, 9 if quick else 31)
    per_second = 1 / statistics.median(mine)
    return [
        Row(
            "evaluate",
            "evaluate() of the demo scenario",
            "pricing + schedule alone",
            ratios,
            0,
            f"evaluate {spread(mine)} = {per_second:.0f} scenarios/s (target >= {TARGET_PER_SECOND:.0f}/s), "
            f"pricing+schedule {spread(ref)}",
            met=per_second >= TARGET_PER_SECOND,
            target_label=f">= {TARGET_PER_SECOND:.0f}/s",
        )
    ]


if __name__ == "__main__":
    for row in rows("--quick" in sys.argv, lambda _key: True):
        print(row.key, f"{row.median:.2f}x", row.note)
