"""Investigator-grant holdbacks reach the money: retained from the grants' invoices, released on a milestone."""

from __future__ import annotations

from decimal import Decimal

import attrs
from hypothesis import given
from hypothesis import strategies as st

from crokit import Money, Registry, evaluate
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.pricing import InvestigatorGrants, Proposal
from crokit.pricing.derive import derive_drivers
from crokit.scenario import planned_milestones
from crokit.schedule import MilestoneDate, MilestonePlan, PaymentKind, build_schedule
from crokit.testing import billing_terms, investigator_grants
from crokit.vocabulary import Milestone

REGISTRY = Registry.builtin()
SCENARIO = demo_scenario()
STUDY = SCENARIO.study
DRIVERS = derive_drivers(STUDY, SCENARIO.assumptions)
PLAN = planned_milestones(STUDY, DRIVERS)
# Terms may release a holdback on any milestone: date the programme's too (a Phase II plan
# leaves regulatory submission and approval out).
_REPORT = PLAN.date_of(Milestone.CLINICAL_STUDY_REPORT)
FULL_PLAN = MilestonePlan(
    dates=(*PLAN.dates, *(MilestoneDate(milestone=m, date=_REPORT) for m in (Milestone.SUBMISSION, Milestone.APPROVAL)))
)


def retained_from_grants(schedule) -> Money:
    kept = [p.retained for p in schedule.payments if p.kind is PaymentKind.PASS_THROUGH and p.retained is not None]
    return sum(kept[1:], kept[0]) if kept else Money.zero(schedule.currency)


def test_the_demo_retains_the_grants_holdback_and_releases_it_on_database_lock() -> None:
    evaluation = evaluate(SCENARIO, seed=DEMO_SEED)
    helix = evaluation.candidate("helix-cro")
    assert helix.budget is not None
    assert helix.schedule is not None
    proposal = next(c.proposal for c in SCENARIO.candidates if c.id == "helix-cro")
    assert proposal is not None
    (grants,) = [item for item in proposal.items if isinstance(item, InvestigatorGrants)]
    held = grants.holdback(helix.budget)
    assert held.amount > 0
    assert retained_from_grants(helix.schedule) == held
    (release,) = [
        p
        for p in helix.schedule.payments
        if p.kind is PaymentKind.HOLDBACK_RELEASE and p.milestone is Milestone.DATABASE_LOCK
    ]
    assert release.amount == held
    assert release.invoice_date >= PLAN.date_of(Milestone.DATABASE_LOCK)
    assert helix.schedule.total == helix.budget.total


@given(
    grants=investigator_grants(currency="USD", study=STUDY),
    share=st.decimals(min_value=0, max_value=Decimal("0.5"), places=2),
    terms=billing_terms(),
)
def test_what_the_schedule_retains_is_what_the_budget_holds_back(grants, share, terms) -> None:
    grants = attrs.evolve(grants, holdback_share=share)
    budget = Proposal(cro_id="x", currency="USD", items=(grants,)).price(STUDY, DRIVERS, registry=REGISTRY)
    schedule = build_schedule(
        budget, contract_start=STUDY.start_date, milestones=FULL_PLAN, terms=terms, grants=[grants]
    )
    assert retained_from_grants(schedule) == grants.holdback(budget)
    assert sum((p.amount for p in schedule.payments), Money.zero("USD")) == budget.total
    released = [p for p in schedule.payments if p.kind is PaymentKind.HOLDBACK_RELEASE]
    assert sum((p.amount for p in released), Money.zero("USD")) == grants.holdback(budget)
