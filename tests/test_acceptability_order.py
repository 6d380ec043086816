"""Rank acceptabilities come best rank first, in the model and every report, whatever the input order."""

from __future__ import annotations

import json

import attrs
from hypothesis import given

from crokit import Registry
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.report import json_report, render
from crokit.scenario import evaluate
from crokit.selection import Ranking
from crokit.testing._selection import rankings

REGISTRY = Registry.builtin()


@given(rankings(registry=REGISTRY))
def test_acceptability_rows_follow_the_scorecards(ranking: Ranking) -> None:
    if ranking.acceptability:
        assert [row.candidate for row in ranking.acceptability] == [card.candidate for card in ranking.scorecards]


def test_a_reversed_scenario_lists_acceptabilities_by_rank_not_by_input() -> None:
    scenario = demo_scenario()
    reversed_ = attrs.evolve(scenario, candidates=tuple(reversed(scenario.candidates)))
    evaluation = evaluate(reversed_, seed=DEMO_SEED, registry=REGISTRY)
    by_rank = ["helix-cro", "orphan-trials", "clinpath-fsp", "globalcro"]
    assert [card.candidate for card in evaluation.ranking.scorecards] == by_rank
    assert [row.candidate for row in evaluation.ranking.acceptability] == by_rank
    markdown = render(evaluation, "markdown")
    table = markdown[markdown.index("Rank acceptability") :]
    names = [evaluation.candidate(candidate).name for candidate in by_rank]  # the report shows names
    assert [table.index(f"| {name} ") for name in names] == sorted(table.index(f"| {name} ") for name in names)
    document = json.loads(json.dumps(json_report(evaluation)))
    assert list(document["sensitivity"]["acceptability"]) == by_rank
