"""Benchmark: pricing a large study and scheduling its payments, against a hand-written Decimal loop.

The study: 1,000 sites in 10 countries, 10,000 patients enrolled, 20 visits per patient,
48 months (6 start-up, 24 enrolment, 12 treatment, 6 close-out). The proposal mixes unit
prices (monitoring per monitoring visit, data management per CRF page, site payments per
active site-month), FTE biometrics (two roles, a volume discount), per-patient
investigator grants and a pass-through cost with a management fee.

crokit's side is what a user writes: ``derive_drivers``, ``Proposal.price``, every
``Budget`` roll-up (total, by service, stage, month, bucket and kind),
``planned_milestones`` and ``build_schedule`` (monthly billing in arrears, net 45, a 5%
holdback on CRO fees released on the clinical study report).

The reference below is a plain loop over ``int`` and ``Decimal``: the same counts (the
same ceiling and floor rules), the same quantities x rates, each line rounded once
half-even to the cent, each line spread over the same months by largest-remainder
allocation in whole cents, the same roll-ups, and the same invoices (one per kind and
calendar month, 5% of each CRO-fee invoice held back by largest remainder, released in
one payment). No validation, no derivation text, no objects but dicts and tuples.

The two must agree exactly on the total, every roll-up and every payment. They are
timed in adjacent pairs, 21 times; the script prints the median of the pairs' time
ratios crokit / reference (target: at most 3x) and exits 1 above it. It also prints the
tracemalloc peak of one crokit run divided by the number of budget lines.

Run with ``python benchmarks/bench_pricing.py``. Not collected by pytest.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from pathlib import Path

if __package__ in {None, ""}:  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import Row, paired, spread
from crokit import Money, Registry, Stage, Study
from crokit.pricing import (
    Assumptions,
    Budget,
    CostDrivers,
    DiscountTier,
    FteAllocation,
    FteTimeAndMaterials,
    InvestigatorGrants,
    PassThrough,
    Proposal,
    RateCard,
    RateCardEntry,
    RatePer,
    UnitPrice,
    VolumeDiscount,
    derive_drivers,
)
from crokit.scenario import planned_milestones
from crokit.schedule import BillingTerms, PaymentSchedule, build_schedule
from crokit.study import Visit, VisitKind
from crokit.vocabulary.terms import UnitBasis

TARGET = 2.0
REPEATS = 21

# The study (every number illustrative).
SITES, PATIENTS, VISITS = 1_000, 10_000, 20
COUNTRIES = ("US", "CA", "GB", "DE", "FR", "ES", "IT", "PL", "AU", "JP")
STARTUP, ENROLMENT, TREATMENT, CLOSEOUT = 6, 24, 12, 6
MONTHS = STARTUP + ENROLMENT + TREATMENT + CLOSEOUT
SCREEN_FAILURE, DROPOUT = Decimal("0.30"), Decimal("0.15")
MONITORING_WEEKS = 6
START = dt.date(2027, 1, 4)
SCREENING_PAGES, BASELINE_PAGES, TREATMENT_PAGES, FOLLOW_UP_PAGES = 14, 18, 8, 4

# The proposal's rates (illustrative, not market rates).
MONITORING_VISIT = Decimal("1850.00")
DM_PAGE = Decimal("5.75")
SITE_MONTH = Decimal("412.35")
BIOSTATISTICIAN, PROGRAMMER = Decimal("18000.00"), Decimal("14400.00")
ALLOCATIONS = (  # role, rate, FTE, start month, months
    ("biostatistician", BIOSTATISTICIAN, Decimal("1.5"), 0, MONTHS),
    ("statistical-programmer", PROGRAMMER, Decimal(2), 30, 18),
)
DISCOUNT_FROM_FTE_MONTHS, DISCOUNT_PERCENT = Decimal(24), Decimal("3.5")
VISIT_FEE, SCREEN_FAILURE_FEE = Decimal("1250.00"), Decimal("400.00")
EARLY_TERMINATION_FEE, SITE_START_UP_FEE = Decimal("600.00"), Decimal("5000.00")
PASS_THROUGH, MANAGEMENT_FEE = Decimal("2500000.00"), Decimal("0.05")
PAYMENT_DAYS, HOLDBACK_PERCENT = 45, 5

CENT = Decimal("0.01")
P3 = Stage.PHASE_3


def usd(amount: Decimal) -> Money:
    return Money(amount, "USD")


def make_study() -> Study:
    visits = [
        Visit(id="screening", name="Screening", day=-28, kind=VisitKind.SCREENING, crf_pages=SCREENING_PAGES),
        Visit(id="baseline", name="Baseline", day=1, kind=VisitKind.BASELINE, crf_pages=BASELINE_PAGES),
    ]
    visits += [
        Visit(id=f"week-{4 * n}", name=f"Week {4 * n}", day=28 * n + 1, crf_pages=TREATMENT_PAGES)
        for n in range(1, VISITS - 2)
    ]
    visits.append(
        Visit(id="follow-up", name="Follow-up", day=28 * VISITS, kind=VisitKind.FOLLOW_UP, crf_pages=FOLLOW_UP_PAGES)
    )
    return Study(
        name="A large Phase III study (illustrative)",
        phase=P3,
        therapeutic_area="crokit:oncology",
        indication="Non-small cell lung cancer",
        planned_patients=PATIENTS,
        sites=SITES,
        countries=COUNTRIES,
        start_date=START,
        currency="USD",
        visits=tuple(visits),
        screen_failure_rate=SCREEN_FAILURE,
        dropout_rate=DROPOUT,
    )


def make_assumptions() -> Assumptions:
    return Assumptions(
        startup_months=STARTUP,
        enrolment_months=ENROLMENT,
        treatment_months=TREATMENT,
        closeout_months=CLOSEOUT,
        monitoring_interval_weeks=MONITORING_WEEKS,
        tables_listings_figures=400,
        crf_pages_per_visit_default=10,
    )


def make_proposal() -> Proposal:
    card = RateCard(
        entries=tuple(
            RateCardEntry(role=role, region="us", rate=usd(rate), per=RatePer.FTE_MONTH, year=2027)
            for role, rate, *_ in ALLOCATIONS
        )
    )
    return Proposal(
        cro_id="big-cro",
        currency="USD",
        items=(
            UnitPrice(
                service="crokit:on-site-monitoring",
                stage=P3,
                basis=UnitBasis.PER_MONITORING_VISIT,
                rate=usd(MONITORING_VISIT),
            ),
            UnitPrice(service="crokit:data-management", stage=P3, basis=UnitBasis.PER_PAGE, rate=usd(DM_PAGE)),
            UnitPrice(
                service="crokit:site-payments", stage=P3, basis=UnitBasis.PER_ACTIVE_SITE_MONTH, rate=usd(SITE_MONTH)
            ),
            FteTimeAndMaterials(
                service="crokit:biostatistics",
                stage=P3,
                rate_card=card,
                year=2027,
                allocations=tuple(
                    FteAllocation(role=role, region="us", fte=fte, start_month=start, duration_months=months)
                    for role, _, fte, start, months in ALLOCATIONS
                ),
                volume_discount=VolumeDiscount(
                    tiers=(DiscountTier(min_fte_months=DISCOUNT_FROM_FTE_MONTHS, rate=DISCOUNT_PERCENT / 100),)
                ),
            ),
            InvestigatorGrants(
                stage=P3,
                fee_per_visit=usd(VISIT_FEE),
                screen_failure_fee=usd(SCREEN_FAILURE_FEE),
                early_termination_fee=usd(EARLY_TERMINATION_FEE),
                startup_fee_per_site=usd(SITE_START_UP_FEE),
                holdback_share=Decimal("0.10"),
            ),
            PassThrough(
                service="crokit:pass-through-expenses",
                stage=P3,
                estimate=usd(PASS_THROUGH),
                management_fee=MANAGEMENT_FEE,
            ),
        ),
    )


# Both sides return the same plain shape, so they can be compared exactly:
# (total, {roll-up name: {key as text: amount}}, [(due date, amount), ...]).
Result = tuple[Decimal, dict[str, dict[str, Decimal]], list[tuple[dt.date, Decimal]]]


def with_crokit(
    study: Study, assumptions: Assumptions, proposal: Proposal, registry: Registry, terms: BillingTerms
) -> tuple[Budget, PaymentSchedule]:
    """What a crokit user writes: drivers, budget, every roll-up, milestones, schedule."""
    drivers: CostDrivers = derive_drivers(study, assumptions)
    budget = proposal.price(study, drivers, registry=registry)
    _ = (budget.total, budget.by_service(), budget.by_stage(), budget.by_month())
    _ = (budget.by_bucket(), budget.by_kind())
    schedule = build_schedule(
        budget, contract_start=study.start_date, milestones=planned_milestones(study, drivers), terms=terms
    )
    return budget, schedule


def crokit_result(budget: Budget, schedule: PaymentSchedule) -> Result:
    rollups = {
        "service": {key: money.amount for key, money in budget.by_service().items()},
        "stage": {key.value: money.amount for key, money in budget.by_stage().items()},
        "month": {str(key): money.amount for key, money in budget.by_month().items()},
        "bucket": {key.value: money.amount for key, money in budget.by_bucket().items()},
        "kind": {key.value: money.amount for key, money in budget.by_kind().items()},
    }
    payments = sorted((payment.due, payment.amount.amount) for payment in schedule.payments)
    return budget.total.amount, rollups, payments


# The reference: plain ints, Decimals, dates, dicts.


def largest_remainder(cents: int, weights: Sequence[int]) -> list[int]:
    """Split *cents* into parts proportional to *weights*; leftovers to the largest remainders, earlier first."""
    whole = sum(weights)
    size = abs(cents)
    parts = [size * weight // whole for weight in weights]
    remainders = [size * weight % whole for weight in weights]
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[: size - sum(parts)]:
        parts[i] += 1
    return parts if cents >= 0 else [-part for part in parts]


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


Priced = tuple[str, str, str, Decimal, Sequence[int]]
"""A reference line: service, bucket, kind, amount, months."""


def reference_lines() -> list[Priced]:
    """The counts, then every line: quantity x rate, rounded half-even to the cent once."""
    base, extra = divmod(SITES, STARTUP)
    activated = [base + (1 if month < extra else 0) for month in range(STARTUP)]
    treatment_end = STARTUP + ENROLMENT + TREATMENT
    active_site_months = sum(sites * (treatment_end - month) for month, sites in enumerate(activated))
    screened = math.ceil(Fraction(PATIENTS) / (1 - Fraction(SCREEN_FAILURE)))
    completed = math.floor(Fraction(PATIENTS) * (1 - Fraction(DROPOUT)))
    pages = SCREENING_PAGES * screened + (BASELINE_PAGES + TREATMENT_PAGES * (VISITS - 3) + FOLLOW_UP_PAGES) * PATIENTS
    monitoring_visits = -(-active_site_months * 52 // (12 * MONITORING_WEEKS))
    conduct = range(STARTUP, treatment_end)
    sites_on = [month for month, sites in enumerate(activated) if sites]
    active = range(sites_on[0], treatment_end)
    enrolment = range(STARTUP, STARTUP + ENROLMENT)

    # Lines: (service, bucket, kind, quantity, rate, months).
    fee, grants, passed = "cro-direct-fees", "investigator-grants", "pass-through"
    lines: list[tuple[str, str, str, Decimal, Decimal, Sequence[int]]] = [
        ("crokit:on-site-monitoring", fee, "unit", Decimal(monitoring_visits), MONITORING_VISIT, active),
        ("crokit:data-management", fee, "unit", Decimal(pages), DM_PAGE, conduct),
        ("crokit:site-payments", fee, "unit", Decimal(active_site_months), SITE_MONTH, active),
    ]
    fte_months = sum((fte * months for _, _, fte, _, months in ALLOCATIONS), Decimal(0))
    discount = DISCOUNT_PERCENT / 100 if fte_months >= DISCOUNT_FROM_FTE_MONTHS else Decimal(0)
    fte_lines = [
        ("crokit:biostatistics", fee, "fte", fte * months, rate, range(start, start + months))
        for _, rate, fte, start, months in ALLOCATIONS
    ]
    lines += fte_lines
    lines += [
        ("crokit:investigator-grants", grants, "grants", Decimal(PATIENTS * VISITS), VISIT_FEE, conduct),
        ("crokit:investigator-grants", grants, "grants", Decimal(screened - PATIENTS), SCREEN_FAILURE_FEE, enrolment),
        ("crokit:investigator-grants", grants, "grants", Decimal(PATIENTS - completed), EARLY_TERMINATION_FEE, conduct),
        ("crokit:investigator-grants", grants, "grants", Decimal(SITES), SITE_START_UP_FEE, sites_on),
        ("crokit:pass-through-expenses", passed, "pass-through", Decimal(1), PASS_THROUGH, conduct),
    ]
    priced: list[Priced] = []
    for service, bucket, kind, quantity, rate, months in lines:
        amount = (quantity * rate).quantize(CENT, rounding=ROUND_HALF_EVEN)
        priced.append((service, bucket, kind, amount, months))
        if kind == "fte" and discount:
            cut = (-amount * discount).quantize(CENT, rounding=ROUND_HALF_EVEN)
            priced.append((service, bucket, "adjustment", cut, months))
        if kind == "pass-through":
            charge = (amount * MANAGEMENT_FEE).quantize(CENT, rounding=ROUND_HALF_EVEN)
            priced.append((service, fee, "pass-through", charge, months))
    return priced


def reference() -> Result:
    """Price, spread every line over its months, roll up, and invoice."""
    zero = Decimal(0)
    total = zero
    rollups: dict[str, dict[str, Decimal]] = {name: {} for name in ("service", "stage", "month", "bucket", "kind")}
    invoices: dict[tuple[bool, int], Decimal] = {}
    for service, bucket, kind, amount, months in reference_lines():
        total += amount
        for name, key in (("service", service), ("stage", P3.value), ("bucket", bucket), ("kind", kind)):
            rollups[name][key] = rollups[name].get(key, zero) + amount
        held = bucket == "cro-direct-fees"
        for month, cents in zip(months, largest_remainder(int(amount * 100), [1] * len(months)), strict=True):
            part = Decimal(cents).scaleb(-2)
            rollups["month"][str(month)] = rollups["month"].get(str(month), zero) + part
            invoices[held, month] = invoices.get((held, month), zero) + part
    return total, rollups, reference_payments(invoices)


def reference_payments(invoices: dict[tuple[bool, int], Decimal]) -> list[tuple[dt.date, Decimal]]:
    """One invoice per kind and month, at the month's end; 5% of CRO fees held back, then released."""
    zero = Decimal(0)
    first = START.replace(day=1)
    payments: list[tuple[dt.date, Decimal]] = []
    retained = zero
    last_retained = START
    for (held, month), gross in invoices.items():
        if not gross:
            continue
        period = add_months(first, month)
        invoiced = period.replace(day=calendar.monthrange(period.year, period.month)[1])
        paid = gross
        if held:
            kept, rest = largest_remainder(int(gross * 100), [HOLDBACK_PERCENT, 100 - HOLDBACK_PERCENT])
            paid = Decimal(rest).scaleb(-2)
            if kept:
                retained += Decimal(kept).scaleb(-2)
                last_retained = max(last_retained, invoiced)
        payments.append((invoiced + dt.timedelta(days=PAYMENT_DAYS), paid))
    if retained:
        report = add_months(START, MONTHS) - dt.timedelta(days=1)  # the last study month's last day
        payments.append((max(report, last_retained) + dt.timedelta(days=PAYMENT_DAYS), retained))
    return sorted(payments)


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


def best(function: Callable[[], object]) -> float:
    """The best of REPEATS timings of *function*, in milliseconds."""
    found = []
    for _ in range(REPEATS):
        start = time.process_time()
        function()
        found.append(time.process_time() - start)
    return min(found) * 1000


def stage_times(
    study: Study, assumptions: Assumptions, proposal: Proposal, registry: Registry, terms: BillingTerms
) -> dict[str, float]:
    """Where crokit's time goes: each stage of :func:`with_crokit` timed on its own."""
    drivers = derive_drivers(study, assumptions)
    budget = proposal.price(study, drivers, registry=registry)
    return {
        "drivers and pricing": best(
            lambda: proposal.price(study, derive_drivers(study, assumptions), registry=registry)
        ),
        "roll-ups but by month": best(
            lambda: (budget.total, budget.by_service(), budget.by_stage(), budget.by_bucket(), budget.by_kind())
        ),
        "by month": best(budget.by_month),
        "milestones and schedule": best(
            lambda: build_schedule(
                budget, contract_start=study.start_date, milestones=planned_milestones(study, drivers), terms=terms
            )
        ),
    }


def main() -> int:
    study, assumptions, proposal = make_study(), make_assumptions(), make_proposal()
    registry = Registry.builtin()
    terms = BillingTerms(payment_days=PAYMENT_DAYS, holdback_share=Decimal(HOLDBACK_PERCENT) / 100)

    def ours() -> tuple[Budget, PaymentSchedule]:
        return with_crokit(study, assumptions, proposal, registry, terms)

    budget, schedule = ours()
    found, expected = crokit_result(budget, schedule), reference()
    assert found[0] == expected[0], f"the totals differ: crokit {found[0]}, reference {expected[0]}"
    assert found[1] == expected[1], "the roll-ups differ"
    assert found[2] == expected[2], "the payments differ"
    assert schedule.total.amount == found[0], "the payments do not sum to the budget total"

    tracemalloc.start()
    ours()
    _, crokit_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tracemalloc.start()
    reference()
    _, reference_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    crokit_times, reference_times = paired_times(ours, reference)
    # The median of the pairs' ratios: robust to load that comes and goes on a shared machine.
    ratio = statistics.median(a / b for a, b in zip(crokit_times, reference_times, strict=True))
    stages = stage_times(study, assumptions, proposal, registry, terms)
    lines = len(budget.lines)
    print(
        f"pricing {SITES:,} sites x {PATIENTS:,} patients x {VISITS} visits over {MONTHS} months: "
        f"{lines} budget lines, {len(schedule.payments)} payments, total {budget.total}"
    )
    print(
        f"  crokit {min(crokit_times) * 1000:.1f} ms, hand-written Decimal loop {min(reference_times) * 1000:.2f} ms "
        f"(best of {REPEATS}); median paired ratio {ratio:.1f}x (target <= {TARGET}x)"
    )
    print(
        f"  identical total, roll-ups (service, stage, month, bucket, kind) and payments; "
        f"tracemalloc peak {crokit_peak / 1024:.0f} KiB = {crokit_peak / lines / 1024:.1f} KiB per line "
        f"(reference {reference_peak / 1024:.0f} KiB)"
    )
    print("  crokit by stage (best of each): " + ", ".join(f"{name} {ms:.1f} ms" for name, ms in stages.items()))
    return 0 if ratio <= TARGET else 1


def rows(quick: bool, select: Callable[[str], bool]) -> list[Row]:  # noqa: FBT001 - the runner's interface
    """The ``pricing`` row of the table: the whole crokit run against the hand-written loop."""
    if not select("pricing"):
        return []
    study, assumptions, proposal = make_study(), make_assumptions(), make_proposal()
    registry = Registry.builtin()
    terms = BillingTerms(payment_days=PAYMENT_DAYS, holdback_share=Decimal(HOLDBACK_PERCENT) / 100)

    def ours() -> tuple[Budget, PaymentSchedule]:
        return with_crokit(study, assumptions, proposal, registry, terms)

    budget, schedule = ours()
    assert crokit_result(budget, schedule) == reference(), "crokit and the reference differ"
    mine, theirs, ratios = paired(ours, reference, 7 if quick else REPEATS)
    return [
        Row(
            "pricing",
            f"bench_pricing: {len(budget.lines)} lines, {len(schedule.payments)} payments",
            "hand-written Decimal loop",
            ratios,
            TARGET,
            f"crokit {spread(mine)}, reference {spread(theirs)}",
        )
    ]


if __name__ == "__main__":
    sys.exit(main())
