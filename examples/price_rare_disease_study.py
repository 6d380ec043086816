"""Pricing a rare-disease Phase II study: budget, payment schedule, NPV, a change order, a benchmark.

The brief's story: a biotech hires a mid-size CRO for a Phase II trial of an enzyme
therapy in Fabry disease. The CRO's proposal mixes four pricing models, as real bids do:

- a fixed fee for start-up and regulatory submissions, paid on milestones;
- unit-priced on-site monitoring (a rate per monitoring visit);
- FTE-priced biometrics (rate-card rates per FTE month, with a volume discount);
- investigator grants per patient visit, passed through at cost to the sites.

The script prices the proposal, lays it over real dates (net 45, 5% holdback), values
it at 8%, amends it with a change order for a protocol amendment, and compares the cost
per patient with the published figure.

ILLUSTRATIVE ONLY: every rate, fee and estimate below is invented for this example; none
is a market rate. The only published figure shown is the benchmark, with its source.

Run with ``python examples/price_rare_disease_study.py``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crokit import Milestone, Money, Registry, Stage, Study, UnitBasis, Visit, VisitKind
from crokit.change_orders import ChangeOrder, Contract, ReasonCode
from crokit.pricing import (
    Assumptions,
    DiscountTier,
    FixedFee,
    FteAllocation,
    FteTimeAndMaterials,
    InvestigatorGrants,
    MilestonePayment,
    Proposal,
    RateCard,
    RateCardEntry,
    RatePer,
    UnitPrice,
    VolumeDiscount,
    derive_drivers,
)
from crokit.reference import BenchmarkCheck, check_cost_per_patient
from crokit.scenario import planned_milestones
from crokit.schedule import BillingTerms, build_schedule

REGISTRY = Registry.builtin()
P2 = Stage.PHASE_2


def usd(amount: str) -> Money:
    return Money(amount, "USD")


# 1. The study and the planning assumptions behind its cost drivers.
study = Study(
    name="RD-201: enzyme therapy in Fabry disease",
    phase=P2,
    therapeutic_area="crokit:rare-disease",
    indication="Fabry disease",
    planned_patients=60,
    sites=12,
    countries=("US", "DE", "FR"),
    start_date=date(2027, 1, 4),
    currency="USD",
    visits=(
        Visit(id="screening", name="Screening", day=-28, kind=VisitKind.SCREENING, crf_pages=14),
        Visit(id="baseline", name="Baseline", day=1, kind=VisitKind.BASELINE, crf_pages=18),
        Visit(id="week-12", name="Week 12", day=85, crf_pages=10),
        Visit(id="week-24", name="Week 24", day=169, crf_pages=12),
    ),
    screen_failure_rate="0.25",
    dropout_rate="0.10",
)
drivers = derive_drivers(
    study,
    Assumptions(
        startup_months=4,
        enrolment_months=12,
        treatment_months=7,
        closeout_months=3,
        monitoring_interval_weeks=6,
        tables_listings_figures=120,
        crf_pages_per_visit_default=10,
    ),
)

# 2. The CRO's proposal (illustrative rates).
start_up = FixedFee(
    service="crokit:regulatory-submissions",
    stage=P2,
    fee=usd("180000.00"),  # illustrative
    description="Start-up and regulatory submissions",
    milestones=(
        MilestonePayment(milestone=Milestone.CONTRACT_SIGNED, share="0.30"),
        MilestonePayment(milestone=Milestone.FIRST_PATIENT_IN, share="0.40"),
        MilestonePayment(milestone=Milestone.DATABASE_LOCK, share="0.30"),
    ),
)
rate_card = RateCard(
    entries=(  # illustrative rates per FTE month
        RateCardEntry(role="biostatistician", region="us", rate=usd("17500.00"), per=RatePer.FTE_MONTH, year=2027),
        RateCardEntry(role="programmer", region="us", rate=usd("14000.00"), per=RatePer.FTE_MONTH, year=2027),
    )
)
proposal = Proposal(
    cro_id="helix-cro",
    currency="USD",
    items=(
        start_up,
        UnitPrice(
            service="crokit:on-site-monitoring",
            stage=P2,
            basis=UnitBasis.PER_MONITORING_VISIT,
            rate=usd("1900.00"),  # illustrative
            description="On-site monitoring visits",
        ),
        FteTimeAndMaterials(
            service="crokit:biostatistics",
            stage=P2,
            rate_card=rate_card,
            year=2027,
            allocations=(
                FteAllocation(role="biostatistician", region="us", fte="0.5", start_month=20, duration_months=6),
                FteAllocation(role="programmer", region="us", fte="1", start_month=21, duration_months=5),
            ),
            volume_discount=VolumeDiscount(tiers=(DiscountTier(min_fte_months=6, rate="0.03"),)),  # illustrative
            description="Biometrics",
        ),
        InvestigatorGrants(  # illustrative fees, paid to sites at cost
            stage=P2,
            fee_per_visit=usd("1250.00"),
            screen_failure_fee=usd("400.00"),
            early_termination_fee=usd("600.00"),
            startup_fee_per_site=usd("5000.00"),
            holdback_share="0.10",
            description="Investigator grants",
        ),
    ),
)
budget = proposal.price(study, drivers, registry=REGISTRY)

print(f"{study.name}: {proposal.cro_id}'s proposal (illustrative rates)")
print(f"  {drivers.monitoring_visits}")
print(f"Budget {budget.total}")
print("  by service:")
for service, amount in budget.by_service().items():
    print(f"    {service:32} {amount.amount:>14,}")
print("  by kind: " + ", ".join(f"{kind.value} {amount.amount:,}" for kind, amount in budget.by_kind().items()))
print("  by study month (month 0 = January 2027):")
for month, amount in budget.by_month().items():
    print(f"    {month:>2} {amount.amount:>12,}")

# 3. The payment schedule over real dates: monthly in arrears, net 45, 5% of CRO fees held back.
terms = BillingTerms(payment_days=45, holdback_share="0.05")
schedule = build_schedule(
    budget,
    contract_start=study.start_date,
    milestones=planned_milestones(study, drivers),
    terms=terms,
    fixed_fees=[start_up],
)
print(f"Payment schedule: {len(schedule.payments)} payments, {schedule.total}, held back {schedule.holdback_retained}")
for payment in schedule.payments:
    held = f" (retained {payment.retained.amount:,})" if payment.retained is not None else ""
    print(f"  due {payment.due}  {payment.amount.amount:>12,}  {payment.description}{held}")
print(f"NPV at 8% on {study.start_date} (ACT/365): {schedule.npv('0.08', study.start_date)}")

# 4. A protocol amendment adds a central-lab panel at every patient visit; the history is kept.
contract = Contract(original=proposal).with_change_order(
    ChangeOrder(
        id="co-1",
        date=date(2027, 9, 1),
        reason=ReasonCode.PROTOCOL_AMENDMENT,
        description="Amendment 2: safety lab panel at every visit",
        add=(
            UnitPrice(
                service="crokit:central-lab",
                stage=P2,
                basis=UnitBasis.PER_PATIENT_VISIT,
                rate=usd("310.00"),  # illustrative
                description="Safety lab panel per patient visit",
            ),
        ),
    )
)
(diff,) = contract.diffs(study, drivers, registry=REGISTRY)
change, fraction = contract.cumulative_change(study, drivers, registry=REGISTRY)
print(f"Change order co-1 ({contract.change_orders[0].reason.value}); {len(contract.history)} proposals in the history")
print("  " + diff.explain().replace("\n", "\n  "))
percent = (fraction * 100).quantize(Decimal("0.01"))  # the change is a fraction of the original total
print(f"  delta {diff.delta}; cumulative change {change}, {percent}% of the original total")

# 5. The cost per patient against the published figure.
cost = budget.cost_per_patient(study.planned_patients)
print(f"Cost per patient {cost}")
found = check_cost_per_patient(cost, P2, study.therapeutic_area)
if not isinstance(found, BenchmarkCheck):
    print(f"  rare disease: {found.reason}")
    found = check_cost_per_patient(cost, P2, None)
if isinstance(found, BenchmarkCheck):
    print(f"  all areas: {found.message}")
    print(f"  source: {found.benchmark.source}")
