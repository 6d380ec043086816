"""Choosing a CRO for a biotech's rare-disease Phase II trial: the brief's story, scored.

A biotech with one rare-disease asset asks four providers to bid on a Phase II trial
in the US, Germany and France: a large full-service CRO, a mid-size CRO, a
rare-disease specialty CRO and a site-management organisation. Each bid is priced
against the study with crokit.pricing, each candidate answers the due-diligence
questionnaire, and crokit.selection ranks them.

ILLUSTRATIVE ONLY: every profile, price and answer below is invented for this example;
none describes a real company or a market rate.

Run with ``python examples/select_cro.py``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crokit import (
    AreaExperience,
    CroProfile,
    Milestone,
    Money,
    ProviderKind,
    Registry,
    SizeClass,
    Stage,
    Study,
    TeamExperience,
    Technology,
    TechnologyKind,
    UnitBasis,
    Visit,
    VisitKind,
)
from crokit.pricing import (
    Assumptions,
    Budget,
    FixedFee,
    MilestonePayment,
    PassThrough,
    PricingKind,
    Proposal,
    UnitPrice,
    derive_drivers,
)
from crokit.selection import (
    Answer,
    CandidateInput,
    Constraints,
    DueDiligence,
    SelectionSettings,
    SponsorPreferences,
    select,
)

REGISTRY = Registry.builtin()
RARE, P2 = "crokit:rare-disease", Stage.PHASE_2

STUDY = Study(
    name="RD-201",
    phase=P2,
    therapeutic_area=RARE,
    indication="Fabry disease",
    planned_patients=60,
    sites=12,
    countries=("US", "DE", "FR"),
    start_date=date(2027, 1, 4),
    currency="USD",
    visits=(
        Visit(id="screening", name="Screening", day=-28, kind=VisitKind.SCREENING, crf_pages=12),
        Visit(id="baseline", name="Baseline", day=1, kind=VisitKind.BASELINE, crf_pages=15),
        Visit(id="week-12", name="Week 12", day=84, crf_pages=8),
        Visit(id="eos", name="End of study", day=168, kind=VisitKind.END_OF_STUDY, crf_pages=6),
    ),
    screen_failure_rate=Decimal("0.25"),
    dropout_rate=Decimal("0.10"),
    required_services=(
        "crokit:regulatory-submissions",
        "crokit:patient-recruitment",
        "crokit:biostatistics",
        "crokit:on-site-monitoring",
        "crokit:data-management",
    ),
)
ASSUMPTIONS = Assumptions(
    startup_months=4,
    enrolment_months=12,
    treatment_months=6,
    closeout_months=3,
    monitoring_interval_weeks=6,
    tables_listings_figures=120,
    crf_pages_per_visit_default=10,
)
DRIVERS = derive_drivers(STUDY, ASSUMPTIONS)
SERVICES = (*STUDY.required_services, "crokit:medical-monitoring", "crokit:project-management")


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def quote(cro_id: str, monitoring_rate: str, biometrics_fee: str, regulatory_fee: str, grants_fee: str) -> Budget:
    """A proposal priced against the study: unit-priced monitoring, fixed fees, pass-through grants."""
    proposal = Proposal(
        cro_id=cro_id,
        currency="USD",
        items=(
            UnitPrice(
                service="crokit:on-site-monitoring",
                stage=P2,
                basis=UnitBasis.PER_MONITORING_VISIT,
                rate=usd(monitoring_rate),
            ),
            FixedFee(
                service="crokit:biostatistics",
                stage=P2,
                fee=usd(biometrics_fee),
                milestones=(
                    MilestonePayment(milestone=Milestone.DATABASE_LOCK, percent=Decimal(50)),
                    MilestonePayment(milestone=Milestone.CLINICAL_STUDY_REPORT, percent=Decimal(50)),
                ),
            ),
            FixedFee(
                service="crokit:regulatory-submissions",
                stage=P2,
                fee=usd(regulatory_fee),
                milestones=(MilestonePayment(milestone=Milestone.CONTRACT_SIGNED, percent=Decimal(100)),),
            ),
            PassThrough(
                service="crokit:investigator-grants",
                stage=P2,
                estimate=usd("312500.00"),
                management_fee=Decimal(grants_fee),
            ),
        ),
    )
    return proposal.price(STUDY, DRIVERS, registry=REGISTRY)


def answers(cro_id: str, *given: Answer) -> DueDiligence:
    return DueDiligence(candidate=cro_id, answers=given)


def yes(question: str) -> Answer:
    return Answer(question=f"crokit:dd-{question}", yes=True)


def no(question: str) -> Answer:
    return Answer(question=f"crokit:dd-{question}", yes=False)


def number(question: str, value: str) -> Answer:
    return Answer(question=f"crokit:dd-{question}", number=Decimal(value))


def scale(question: str, value: int) -> Answer:
    return Answer(question=f"crokit:dd-{question}", scale=value)


GLOBAL = CroProfile(
    id="globalcro",
    name="GlobalCRO (large full-service)",
    kind=ProviderKind.CRO,
    categories=("crokit:full-service",),
    size=SizeClass.LARGE,
    services=SERVICES,
    regions=("north-america", "eu"),
    experience=(
        AreaExperience(area=RARE, phase=P2, studies=3),
        AreaExperience(area=RARE, phase=Stage.PHASE_3, studies=6),
    ),
    technologies=tuple(
        Technology(kind=k, name=f"Global {k.value}", validated=True)
        for k in (TechnologyKind.EDC, TechnologyKind.IRT, TechnologyKind.CTMS, TechnologyKind.ETMF)
    ),
    team=TeamExperience(average_years=Decimal(8), turnover_rate=Decimal("0.25"), named_staff=False),
)
MIDSIZE = CroProfile(
    id="helix-cro",
    name="Helix CRO (mid-size)",
    kind=ProviderKind.CRO,
    categories=("crokit:full-service",),
    size=SizeClass.MID_SIZE,
    services=SERVICES,
    countries=("US", "DE", "FR", "GB"),
    experience=(AreaExperience(area=RARE, phase=P2, studies=4),),
    technologies=(
        Technology(kind=TechnologyKind.EDC, name="Helix EDC", validated=True),
        Technology(kind=TechnologyKind.CTMS, name="Helix CTMS", validated=False),
    ),
    team=TeamExperience(average_years=Decimal(7), turnover_rate=Decimal("0.12"), named_staff=True),
)
SPECIALTY = CroProfile(
    id="orphan-trials",
    name="Orphan Trials (rare-disease specialty)",
    kind=ProviderKind.CRO,
    categories=("crokit:specialty",),
    size=SizeClass.SMALL,
    services=SERVICES,
    countries=("US", "DE"),
    experience=(AreaExperience(area=RARE, phase=P2, studies=7),),
    technologies=(Technology(kind=TechnologyKind.EDC, name="Partner EDC", validated=True),),
    team=TeamExperience(average_years=Decimal(9), turnover_rate=Decimal("0.08"), named_staff=True),
    specialisms=(RARE,),
)
SMO = CroProfile(
    id="sitelink",
    name="SiteLink (site-management organisation)",
    kind=ProviderKind.SMO,
    categories=("crokit:clinical-operations",),
    services=("crokit:patient-recruitment", "crokit:on-site-monitoring"),
    countries=("US",),
    experience=(AreaExperience(area=RARE, phase=P2, studies=2),),
    team=TeamExperience(average_years=Decimal(5), turnover_rate=Decimal("0.30")),
)

CANDIDATES = (
    CandidateInput(
        profile=GLOBAL,
        budget=quote("globalcro", "2150.00", "160000.00", "90000.00", "0.08"),
        due_diligence=answers(
            "globalcro",
            number("indication-phase-studies", "3"),
            no("named-team"),
            number("team-turnover", "25"),
            yes("systems-validated"),
            number("inspection-findings", "1"),
            no("change-orders"),
            number("recruitment-track-record", "70"),
        ),
    ),
    CandidateInput(
        profile=MIDSIZE,
        budget=quote("helix-cro", "1850.00", "120000.00", "60000.00", "0.05"),
        due_diligence=answers(
            "helix-cro",
            number("indication-phase-studies", "4"),
            yes("key-opinion-leaders"),
            yes("named-team"),
            number("team-turnover", "12"),
            yes("systems-validated"),
            number("inspection-findings", "0"),
            yes("change-orders"),
            number("recruitment-track-record", "85"),
            yes("local-regulatory"),
        ),
    ),
    CandidateInput(
        profile=SPECIALTY,
        budget=quote("orphan-trials", "2100.00", "150000.00", "95000.00", "0.10"),
        due_diligence=answers(
            "orphan-trials",
            number("indication-phase-studies", "7"),
            yes("key-opinion-leaders"),
            scale("medical-expertise", 5),
            yes("named-team"),
            yes("subcontracting"),
            number("recruitment-track-record", "90"),
        ),
    ),
    CandidateInput(profile=SMO, budget=quote("sitelink", "1500.00", "100000.00", "50000.00", "0.05")),
)

SETTINGS = SelectionSettings(
    weights=(
        ("crokit:therapeutic-expertise", Decimal(3)),
        ("crokit:geographic-reach", Decimal(2)),
        ("crokit:technology", Decimal(1)),
        ("crokit:team-experience", Decimal(2)),
        ("crokit:pricing-fit", Decimal(2)),
    ),
    constraints=Constraints(require_countries=False),  # reach is scored, not required
    preferences=SponsorPreferences(
        budget_ceiling=usd("1000000.00"),
        preferred_pricing=(PricingKind.FIXED_FEE, PricingKind.UNIT),
    ),
)


def main() -> None:
    ranking = select(STUDY, CANDIDATES, SETTINGS, registry=REGISTRY, seed=2027)
    print("Illustrative example: invented profiles, prices and answers, not data about real companies.")
    print(f"Study {STUDY.name}: {STUDY.indication}, {STUDY.phase.label}, {', '.join(STUDY.countries)}")
    print()
    print("Budgets quoted (priced with crokit.pricing):")
    for candidate in CANDIDATES:
        assert candidate.budget is not None
        print(f"  {candidate.id:<14} {candidate.budget.total}")
    print()
    print(f"Method: {ranking.method}; weights: {ranking.weights_note}")
    print("Ranking:")
    for card in ranking.scorecards:
        print(f"  {card.rank}. {card.name:<40} score {card.score:.3f}")
        for score in card.criterion_scores:
            print(f"       {score.criterion:<30} {score.value:.2f}")
    for exclusion in ranking.excluded:
        print(f"  excluded: {exclusion.name}: " + "; ".join(exclusion.reasons))
    print()
    print(f"Winner: {ranking.winner}")
    print(ranking.explanation)
    winner = ranking.scorecards[0]
    print()
    print("Why, criterion by criterion:")
    for score in winner.criterion_scores:
        print(f"  {score.criterion}: {score.basis}")
    print()
    print("Weight intervals (how far each weight may move before the winner changes):")
    for interval in ranking.intervals:
        print(f"  {interval.explanation}")
    print()
    print(f"Rank acceptability ({ranking.samples} weightings, seed {ranking.seed}):")
    for row in ranking.acceptability:
        print(
            f"  {row.candidate:<14} " + "  ".join(f"rank {i + 1}: {share:.0%}" for i, share in enumerate(row.by_rank))
        )
    if ranking.warnings:
        print()
        print("Warnings:")
        for warning in ranking.warnings:
            print(f"  - {warning}")


if __name__ == "__main__":
    main()
