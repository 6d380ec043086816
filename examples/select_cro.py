"""Choosing a CRO for a biotech's rare-disease Phase II trial: the brief's story, scored.

A biotech with one rare-disease asset asks five providers to bid on a Phase II trial in
the US, Germany and France: a large full-service CRO, a mid-size CRO, a rare-disease
specialty CRO, a functional service provider and a site-management organisation. The
candidates, their proposals and their due-diligence answers come from ``crokit.demo``;
this example prices each bid against the study with ``crokit.pricing`` and ranks the
candidates with ``crokit.selection`` directly, without the rest of the scenario
pipeline. Without it, the FSP's scope assignments (the sponsor's data management,
another vendor's biostatistics) are not read, so it is excluded here for not offering
those services; ``crokit.evaluate`` compares it on its total cost of outsourcing.

ILLUSTRATIVE ONLY: every profile, price and answer is invented; none describes a real
company or a market rate.

Run with ``python examples/select_cro.py``.
"""

from __future__ import annotations

from crokit import Registry
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.pricing import derive_drivers
from crokit.selection import CandidateInput, DueDiligence, select

REGISTRY = Registry.builtin()
SCENARIO = demo_scenario()
STUDY = SCENARIO.study
DRIVERS = derive_drivers(STUDY, SCENARIO.assumptions)

CANDIDATES = tuple(
    CandidateInput(
        profile=candidate.profile,
        # items billed in another currency are converted with the scenario's rates at the study's start
        budget=candidate.proposal.price(STUDY, DRIVERS, registry=REGISTRY, fx=SCENARIO.fx, on=STUDY.start_date)
        if candidate.proposal
        else None,
        due_diligence=DueDiligence(candidate=candidate.id, answers=candidate.answers) if candidate.answers else None,
    )
    for candidate in SCENARIO.candidates
)


def main() -> None:
    """Rank the five candidates and print why the winner won and how robust that is."""
    ranking = select(STUDY, CANDIDATES, SCENARIO.selection, registry=REGISTRY, seed=DEMO_SEED)
    print("Illustrative example: invented profiles, prices and answers, not data about real companies.")
    print(f"Study {STUDY.name}: {STUDY.indication}, {STUDY.phase.label}, {', '.join(STUDY.countries)}")
    print()
    print("Budgets quoted (priced with crokit.pricing):")
    for candidate in CANDIDATES:
        print(f"  {candidate.id:<14} {candidate.budget.total if candidate.budget else 'no proposal'}")
    print()
    print(f"Method: {ranking.method}; weights: {ranking.weights_note}")
    print("Ranking:")
    for card in ranking.scorecards:
        print(f"  {card.rank}. {card.name:<52} score {card.score:.3f}")
        for score in card.criterion_scores:
            print(f"       {score.criterion:<30} {score.value:.2f}")
    for exclusion in ranking.excluded:
        print(f"  excluded: {exclusion.name}: " + "; ".join(exclusion.reasons))
    print()
    print(f"Winner: {ranking.winner}")
    print(ranking.explanation)
    print()
    print("Why, criterion by criterion:")
    for score in ranking.scorecards[0].criterion_scores:
        print(f"  {score.criterion}: {score.basis}")
    print()
    print("Weight intervals (how far each weight may move before the winner changes):")
    for interval in ranking.intervals:
        print(f"  {interval.explanation}")
    print()
    print(f"Rank acceptability ({ranking.samples} weightings, seed {ranking.seed}):")
    for row in ranking.acceptability:
        shares = "  ".join(f"rank {i + 1}: {share:.0%}" for i, share in enumerate(row.by_rank))
        print(f"  {row.candidate:<14} {shares}")
    if ranking.warnings:
        print()
        print("Warnings:")
        for warning in ranking.warnings:
            print(f"  - {warning}")


if __name__ == "__main__":
    main()
