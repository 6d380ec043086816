"""The brief's story as a built-in scenario, for ``crokit demo`` and the examples.

A biotech with one rare-disease asset (Fabry disease) plans a Phase II trial in the US,
Germany and France and asks five providers to bid: a large full-service CRO, a
mid-size CRO, a rare-disease specialty CRO, a functional service provider (FSP) and a
site-management organisation. Each full-service proposal mixes pricing models the way
real bids do: a fixed fee for start-up and regulatory work paid on milestones,
unit-priced monitoring, FTE-priced biometrics, investigator grants passed through from
the visit schedule, and annual escalation.

Two bids show why quoted totals are not comparable as they stand. The specialty CRO
quoted under its own, lower screen-failure rate, so re-pricing it under the sponsor's
assumptions (normalising it) moves its total. The FSP prices monitoring by FTE and
leaves data management (kept by the sponsor, at an internal cost estimate) and
biostatistics (to another vendor, at that vendor's price) out of its bid, so it is
compared on its total cost of outsourcing. No bid prices patient recruitment, a
required service: the evaluation warns about it for every candidate.

ILLUSTRATIVE ONLY: every company, profile, rate, fee and answer here is invented to
show how crokit works. None describes a real company, and none is a market rate or a
published figure. The only published figures crokit shows beside it are the
benchmarks in :mod:`crokit.reference`, each with its source.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from crokit._decimal import CONTEXT
from crokit.bids import BidAssumptions, OutsideScope
from crokit.forecast import ActivationWindow, ForecastSettings, SiteGroup
from crokit.money import FxRate, FxTable, Money
from crokit.pricing import (
    Assumptions,
    DiscountTier,
    Escalation,
    FixedFee,
    FteAllocation,
    FteTimeAndMaterials,
    InvestigatorGrants,
    MilestonePayment,
    PassThrough,
    PerformanceTerm,
    Proposal,
    RateCard,
    RateCardEntry,
    RatePer,
    UnitPrice,
    VolumeDiscount,
)
from crokit.provider import AreaExperience, CroProfile, SizeClass, TeamExperience, Technology, TechnologyKind
from crokit.scenario import Candidate, Scenario
from crokit.schedule import BillingTerms
from crokit.selection import Answer, Constraints, SelectionSettings, SponsorPreferences
from crokit.sensitivity import AssumptionRange, SensitivitySettings
from crokit.study import Complexity, Study, Visit, VisitKind
from crokit.vocabulary.lifecycle import Milestone, Stage
from crokit.vocabulary.terms import ProviderKind, UnitBasis

__all__ = ["DEMO_SEED", "demo_scenario"]

DEMO_SEED = 2027
"""The seed ``crokit demo`` samples rank acceptabilities with."""

_RARE = "crokit:rare-disease"
_P2 = Stage.PHASE_2
_SERVICES = (
    "crokit:regulatory-submissions",
    "crokit:patient-recruitment",
    "crokit:biostatistics",
    "crokit:statistical-programming",
    "crokit:on-site-monitoring",
    "crokit:data-management",
    "crokit:project-management",
    "crokit:medical-monitoring",
    "crokit:investigator-grants",
)


def _usd(amount: str) -> Money:
    return Money(amount, "USD")


def _study() -> Study:
    return Study(
        name="RD-201: a Phase II study of an enzyme therapy in Fabry disease",
        protocol_id="RD-201",
        sponsor="Lumen Bio (illustrative)",
        phase=_P2,
        therapeutic_area=_RARE,
        indication="Fabry disease",
        planned_patients=60,
        sites=12,
        countries=("US", "DE", "FR"),
        start_date=date(2027, 1, 4),
        currency="USD",
        visits=(
            Visit(id="screening", name="Screening", day=-28, kind=VisitKind.SCREENING, crf_pages=14),
            Visit(id="baseline", name="Baseline", day=1, kind=VisitKind.BASELINE, crf_pages=18),
            Visit(id="week-4", name="Week 4", day=29, window_days=3, crf_pages=8),
            Visit(id="week-12", name="Week 12", day=85, window_days=5, crf_pages=10),
            Visit(id="week-24", name="Week 24", day=169, window_days=7, crf_pages=12),
            Visit(id="follow-up", name="Follow-up", day=197, kind=VisitKind.FOLLOW_UP, window_days=7, crf_pages=4),
        ),
        screen_failure_rate="0.25",
        dropout_rate="0.10",
        required_services=(
            "crokit:regulatory-submissions",
            "crokit:patient-recruitment",
            "crokit:biostatistics",
            "crokit:on-site-monitoring",
            "crokit:data-management",
        ),
        complexity=Complexity.VERY_HIGH,
    )


def _assumptions() -> Assumptions:
    return Assumptions(
        startup_months=4,
        enrolment_months=12,
        treatment_months=7,
        closeout_months=3,
        monitoring_interval_weeks=6,
        tables_listings_figures=120,
        crf_pages_per_visit_default=10,
    )


def _proposal(cro_id: str, *, setup: str, monitoring: str, biostat_month: str, dm_page: str, mgmt_fee: str) -> Proposal:
    """One bid in the shape of the brief's story; the rates are the only thing that differs."""
    rate_card = RateCard(
        entries=(
            RateCardEntry(
                role="biostatistician", region="us", rate=_usd(biostat_month), per=RatePer.FTE_MONTH, year=2027
            ),
            RateCardEntry(
                role="statistical-programmer",
                region="us",
                rate=_usd(str(CONTEXT.multiply(Decimal(biostat_month), Decimal("0.8")))),
                per=RatePer.FTE_MONTH,
                year=2027,
            ),
        )
    )
    return Proposal(
        cro_id=cro_id,
        currency="USD",
        items=(
            FixedFee(
                service="crokit:regulatory-submissions",
                stage=_P2,
                fee=_usd(setup),
                description="Study start-up and regulatory submissions (fixed fee)",
                milestones=(
                    MilestonePayment(milestone=Milestone.CONTRACT_SIGNED, share=Decimal("0.30")),
                    MilestonePayment(milestone=Milestone.FIRST_PATIENT_IN, share=Decimal("0.40")),
                    MilestonePayment(milestone=Milestone.DATABASE_LOCK, share=Decimal("0.30")),
                ),
            ),
            UnitPrice(
                service="crokit:on-site-monitoring",
                stage=_P2,
                basis=UnitBasis.PER_MONITORING_VISIT,
                rate=_usd(monitoring),
                description="On-site monitoring visits",
            ),
            UnitPrice(
                service="crokit:data-management",
                stage=_P2,
                basis=UnitBasis.PER_PAGE,
                rate=_usd(dm_page),
                description="Data management per CRF page",
            ),
            FteTimeAndMaterials(
                service="crokit:biostatistics",
                stage=_P2,
                rate_card=rate_card,
                year=2027,
                allocations=(
                    FteAllocation(
                        role="biostatistician", region="us", fte=Decimal("0.5"), start_month=20, duration_months=6
                    ),
                    FteAllocation(
                        role="statistical-programmer", region="us", fte=Decimal(1), start_month=21, duration_months=5
                    ),
                ),
                volume_discount=VolumeDiscount(tiers=(DiscountTier(min_fte_months=Decimal(6), rate=Decimal("0.03")),)),
                description="Biometrics team",
            ),
            InvestigatorGrants(
                stage=_P2,
                fee_per_visit=_usd("1250.00"),
                screen_failure_fee=_usd("400.00"),
                early_termination_fee=_usd("600.00"),
                startup_fee_per_site=_usd("5000.00"),
                holdback_share=Decimal("0.10"),
                description="Investigator grants",
            ),
            PassThrough(
                service="crokit:pass-through-expenses",
                stage=_P2,
                estimate=_usd("85000.00"),
                management_fee=Decimal(mgmt_fee),
                description="Travel, lab kits and couriers",
            ),
        ),
        adjustments=(Escalation(annual_rate=Decimal("0.03"), base_date=date(2027, 1, 1), start_date=date(2027, 1, 4)),),
        performance_terms=(
            PerformanceTerm(
                milestone=Milestone.LAST_PATIENT_IN,
                target_date=date(2028, 4, 30),
                bonus=_usd("25000.00"),
                malus=_usd("25000.00"),
                description="Enrolment completed on time",
            ),
        ),
    )


def _fsp_proposal() -> Proposal:
    """The FSP's bid: monitoring by FTE, start-up at a fixed fee, grants and expenses passed through."""
    rate_card = RateCard(
        entries=(
            RateCardEntry(role="cra", region="us", rate=_usd("12500.00"), per=RatePer.FTE_MONTH, year=2027),
            RateCardEntry(role="cra", region="eu", rate=_usd("11000.00"), per=RatePer.FTE_MONTH, year=2027),
            RateCardEntry(role="lead-cra", region="us", rate=_usd("15000.00"), per=RatePer.FTE_MONTH, year=2027),
        )
    )
    return Proposal(
        cro_id="clinpath-fsp",
        currency="USD",
        items=(
            FixedFee(
                service="crokit:regulatory-submissions",
                stage=_P2,
                fee=_usd("165000.00"),
                description="Study start-up and regulatory submissions (fixed fee)",
                milestones=(
                    MilestonePayment(milestone=Milestone.CONTRACT_SIGNED, share=Decimal("0.50")),
                    MilestonePayment(milestone=Milestone.FIRST_PATIENT_IN, share=Decimal("0.50")),
                ),
            ),
            FteTimeAndMaterials(
                service="crokit:on-site-monitoring",
                stage=_P2,
                rate_card=rate_card,
                year=2027,
                allocations=(
                    FteAllocation(role="lead-cra", region="us", fte=Decimal("0.3"), start_month=4, duration_months=16),
                    FteAllocation(role="cra", region="us", fte=Decimal("0.8"), start_month=4, duration_months=16),
                    FteAllocation(role="cra", region="eu", fte=Decimal("0.8"), start_month=4, duration_months=16),
                ),
                description="Dedicated monitoring team (FTE)",
            ),
            InvestigatorGrants(
                stage=_P2,
                fee_per_visit=_usd("1250.00"),
                screen_failure_fee=_usd("400.00"),
                early_termination_fee=_usd("600.00"),
                startup_fee_per_site=_usd("5000.00"),
                holdback_share=Decimal("0.10"),
                description="Investigator grants",
            ),
            PassThrough(
                service="crokit:pass-through-expenses",
                stage=_P2,
                estimate=_usd("85000.00"),
                management_fee=Decimal("0.04"),
                description="Travel, lab kits and couriers",
            ),
        ),
    )


def _fsp() -> Candidate:
    """A functional service provider bidding monitoring only; the sponsor arranges the rest of the scope."""
    return Candidate(
        profile=CroProfile(
            id="clinpath-fsp",
            name="ClinPath FSP (functional service provider, illustrative)",
            kind=ProviderKind.CRO,
            categories=("crokit:clinical-operations",),
            size=SizeClass.MID_SIZE,
            services=(
                "crokit:regulatory-submissions",
                "crokit:patient-recruitment",
                "crokit:on-site-monitoring",
                "crokit:investigator-grants",
                "crokit:pass-through-expenses",
            ),
            countries=("US", "DE", "FR", "ES"),
            experience=(AreaExperience(area=_RARE, phase=_P2, studies=3),),
            team=TeamExperience(average_years=Decimal(6), turnover_rate=Decimal("0.15"), named_staff=True),
        ),
        proposal=_fsp_proposal(),
        answers=(
            _number("indication-phase-studies", "3"),
            _yes("named-team"),
            _number("team-turnover", "0.15"),
            _number("inspection-findings", "0"),
            _yes("local-regulatory"),
        ),
        outside_scope=(
            OutsideScope(
                service="crokit:data-management",
                by="sponsor",
                cost=_usd("95000.00"),
                note="the sponsor's data-management team and EDC licence (internal estimate, illustrative)",
            ),
            OutsideScope(
                service="crokit:biostatistics",
                by="other-vendor",
                vendor="Numerus Statistics (illustrative)",
                cost=_usd("138000.00"),
                note="that vendor's fixed quote for the SAP, analysis and TLFs (illustrative)",
            ),
        ),
    )


def _yes(question: str) -> Answer:
    return Answer(question=f"crokit:dd-{question}", yes=True)


def _no(question: str) -> Answer:
    return Answer(question=f"crokit:dd-{question}", yes=False)


def _number(question: str, value: str) -> Answer:
    return Answer(question=f"crokit:dd-{question}", number=Decimal(value))


def _scale(question: str, value: int) -> Answer:
    return Answer(question=f"crokit:dd-{question}", scale=value)


def _candidates() -> tuple[Candidate, ...]:
    validated = [TechnologyKind.EDC, TechnologyKind.IRT, TechnologyKind.CTMS, TechnologyKind.ETMF]
    return (
        Candidate(
            profile=CroProfile(
                id="globalcro",
                name="GlobalCRO (large full-service, illustrative)",
                kind=ProviderKind.CRO,
                categories=("crokit:full-service",),
                size=SizeClass.LARGE,
                services=(*_SERVICES, "crokit:pass-through-expenses"),
                regions=("north-america", "eu"),
                experience=(
                    AreaExperience(area=_RARE, phase=_P2, studies=3),
                    AreaExperience(area=_RARE, phase=Stage.PHASE_3, studies=6),
                ),
                technologies=tuple(Technology(kind=k, name=f"Global {k.value}", validated=True) for k in validated),
                team=TeamExperience(average_years=Decimal(8), turnover_rate=Decimal("0.25"), named_staff=False),
            ),
            proposal=_proposal(
                "globalcro",
                setup="240000.00",
                monitoring="2300.00",
                biostat_month="21000.00",
                dm_page="6.50",
                mgmt_fee="0.08",
            ),
            answers=(
                _number("indication-phase-studies", "3"),
                _no("named-team"),
                _number("team-turnover", "0.25"),
                _yes("systems-validated"),
                _number("inspection-findings", "1"),
                _no("change-orders"),
                _number("recruitment-track-record", "0.70"),
            ),
        ),
        Candidate(
            profile=CroProfile(
                id="helix-cro",
                name="Helix CRO (mid-size, illustrative)",
                kind=ProviderKind.CRO,
                categories=("crokit:full-service",),
                size=SizeClass.MID_SIZE,
                services=(*_SERVICES, "crokit:pass-through-expenses"),
                countries=("US", "DE", "FR", "GB"),
                experience=(AreaExperience(area=_RARE, phase=_P2, studies=4),),
                technologies=(
                    Technology(kind=TechnologyKind.EDC, name="Helix EDC", validated=True),
                    Technology(kind=TechnologyKind.CTMS, name="Helix CTMS", validated=False),
                ),
                team=TeamExperience(average_years=Decimal(7), turnover_rate=Decimal("0.12"), named_staff=True),
            ),
            proposal=_proposal(
                "helix-cro",
                setup="180000.00",
                monitoring="1900.00",
                biostat_month="17500.00",
                dm_page="5.00",
                mgmt_fee="0.05",
            ),
            answers=(
                _number("indication-phase-studies", "4"),
                _yes("key-opinion-leaders"),
                _yes("named-team"),
                _number("team-turnover", "0.12"),
                _yes("systems-validated"),
                _number("inspection-findings", "0"),
                _yes("change-orders"),
                _number("recruitment-track-record", "0.85"),
                _yes("local-regulatory"),
            ),
        ),
        Candidate(
            profile=CroProfile(
                id="orphan-trials",
                name="Orphan Trials (rare-disease specialty, illustrative)",
                kind=ProviderKind.CRO,
                categories=("crokit:specialty",),
                size=SizeClass.SMALL,
                services=(*_SERVICES, "crokit:pass-through-expenses"),
                countries=("US", "DE", "FR"),
                experience=(AreaExperience(area=_RARE, phase=_P2, studies=7),),
                technologies=(Technology(kind=TechnologyKind.EDC, name="Partner EDC", validated=True),),
                team=TeamExperience(average_years=Decimal(9), turnover_rate=Decimal("0.08"), named_staff=True),
                specialisms=(_RARE,),
            ),
            proposal=_proposal(
                "orphan-trials",
                setup="210000.00",
                monitoring="2200.00",
                biostat_month="19000.00",
                dm_page="6.00",
                mgmt_fee="0.10",
            ),
            answers=(
                _number("indication-phase-studies", "7"),
                _yes("key-opinion-leaders"),
                _scale("medical-expertise", 5),
                _yes("named-team"),
                _yes("subcontracting"),
                _number("recruitment-track-record", "0.90"),
            ),
            bid_assumptions=BidAssumptions(screen_failure_rate="0.15"),
        ),
        _fsp(),
        Candidate(
            profile=CroProfile(
                id="sitelink",
                name="SiteLink (site-management organisation, illustrative)",
                kind=ProviderKind.SMO,
                categories=("crokit:clinical-operations",),
                size=SizeClass.SMALL,
                services=("crokit:patient-recruitment", "crokit:on-site-monitoring"),
                countries=("US",),
                experience=(AreaExperience(area=_RARE, phase=_P2, studies=2),),
                team=TeamExperience(average_years=Decimal(5), turnover_rate=Decimal("0.30")),
            ),
        ),
    )


def _with_a_line_in_euros(candidates: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Orphan Trials bills its EU couriers and lab kits in EUR inside its USD bid (ILLUSTRATIVE amount)."""
    eur = PassThrough(
        service="crokit:pass-through-expenses",
        stage=_P2,
        estimate=Money("40000.00", "EUR"),
        description="EU couriers and lab kits (billed in EUR)",
    )
    return tuple(
        attrs.evolve(c, proposal=attrs.evolve(c.proposal, items=(*c.proposal.items, eur), other_currencies=("EUR",)))
        if c.id == "orphan-trials" and c.proposal is not None
        else c
        for c in candidates
    )


_DEMO_FX = FxTable(
    rates=(
        FxRate(
            base="EUR",
            quote="USD",
            rate=Decimal("1.0800"),
            as_of=date(2027, 1, 1),
            source="ILLUSTRATIVE: invented for the demo, not a market rate",
        ),
    )
)


def demo_scenario() -> Scenario:
    """The brief's story: a rare-disease Phase II trial and five candidate providers (illustrative)."""
    return Scenario(
        title="Choosing a CRO for RD-201 (illustrative demo: invented companies and prices)",
        sponsor="Lumen Bio (illustrative)",
        study=_study(),
        assumptions=_assumptions(),
        candidates=_with_a_line_in_euros(_candidates()),
        fx=_DEMO_FX,
        selection=SelectionSettings(
            weights=(
                ("crokit:therapeutic-expertise", Decimal(2)),
                ("crokit:geographic-reach", Decimal(2)),
                ("crokit:technology", Decimal(1)),
                ("crokit:team-experience", Decimal(2)),
                ("crokit:pricing-fit", Decimal(3)),
            ),
            constraints=Constraints(min_area_studies=2, within_budget_ceiling=True),
            preferences=SponsorPreferences(budget_ceiling=_usd("1500000.00")),
        ),
        billing=BillingTerms(payment_days=45, holdback_share=Decimal("0.05")),
        notes="Every company, rate and answer in this scenario is invented for illustration.",
        sensitivity=SensitivitySettings(  # illustrative ranges, not published figures
            ranges=(
                AssumptionRange(assumption="screen-failure-rate", low="0.15", high="0.40"),
                AssumptionRange(assumption="dropout-rate", low="0.05", high="0.25"),
                AssumptionRange(assumption="enrolment-months", low=9, high=18),
                AssumptionRange(assumption="sites", low=8, high=18),
                AssumptionRange(assumption="monitoring-interval-weeks", low=4, high=8),
                AssumptionRange(assumption="startup-months", low=3, high=6),
            )
        ),
        forecast=ForecastSettings(
            groups=(
                SiteGroup(
                    id="us",
                    sites=6,
                    shape=Decimal("1.5"),
                    rate=Decimal("2.5"),
                    activation=ActivationWindow(first=0, last=2),
                ),
                SiteGroup(
                    id="eu",
                    sites=6,
                    shape=Decimal("1.5"),
                    rate=Decimal(3),
                    activation=ActivationWindow(first=0, last=3),
                ),
            ),
            seed=DEMO_SEED,
            simulations=1000,
            note="illustrative Gamma recruitment rates, invented to show how crokit works (not data)",
        ),
    )
