"""Pricing models: unit prices, pass-through costs, fixed fees and proposals."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import crokit.pricing
from crokit import (
    CrokitError,
    InvalidAmountError,
    Milestone,
    Money,
    Registry,
    Stage,
    Study,
    UnitBasis,
    UnknownIdError,
    ValidationError,
    Visit,
    VisitKind,
)
from crokit.money import total
from crokit.pricing import (
    Assumptions,
    Budget,
    CostBucket,
    CostDrivers,
    FixedFee,
    MilestonePayment,
    PassThrough,
    PricingKind,
    Proposal,
    UnitPrice,
    derive_drivers,
)
from crokit.units import from_percent

REGISTRY = Registry.builtin()
SCHEDULE = (
    Visit(id="screening", name="Screening", day=-28, kind=VisitKind.SCREENING, crf_pages=12),
    Visit(id="baseline", name="Baseline", day=1, kind=VisitKind.BASELINE, crf_pages=15),
    Visit(id="week-4", name="Week 4", day=28),
    Visit(id="week-12", name="Week 12", day=84, crf_pages=8),
    Visit(id="eos", name="End of study", day=168, kind=VisitKind.END_OF_STUDY, crf_pages=6),
)


def make_study(**changes: Any) -> Study:
    fields: dict[str, Any] = {
        "name": "RD-201",
        "phase": Stage.PHASE_2,
        "therapeutic_area": "crokit:rare-disease",
        "indication": "Fabry disease",
        "planned_patients": 60,
        "sites": 12,
        "countries": ("US", "DE", "FR"),
        "start_date": date(2027, 1, 4),
        "currency": "USD",
        "visits": SCHEDULE,
        "screen_failure_rate": Decimal("0.25"),
        "dropout_rate": Decimal("0.10"),
        "required_services": ("crokit:on-site-monitoring", "crokit:data-management"),
    }
    fields.update(changes)
    return Study(**fields)


ASSUMPTIONS = Assumptions(
    startup_months=4,
    enrolment_months=12,
    treatment_months=6,
    closeout_months=3,
    monitoring_interval_weeks=6,
    tables_listings_figures=120,
    crf_pages_per_visit_default=10,
)
STUDY = make_study()
DRIVERS = derive_drivers(STUDY, ASSUMPTIONS)


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def price(item: UnitPrice | PassThrough | FixedFee, drivers: CostDrivers = DRIVERS) -> Budget:
    return item.price(STUDY, drivers, registry=REGISTRY)


def monitoring(**changes: Any) -> UnitPrice:
    fields: dict[str, Any] = {
        "service": "crokit:on-site-monitoring",
        "stage": Stage.PHASE_2,
        "basis": UnitBasis.PER_MONITORING_VISIT,
        "rate": usd("1850.00"),
    }
    fields.update(changes)
    return UnitPrice(**fields)


def grants(**changes: Any) -> PassThrough:
    fields: dict[str, Any] = {
        "service": "crokit:investigator-grants",
        "stage": Stage.PHASE_2,
        "estimate": usd("312500.00"),
    }
    fields.update(changes)
    return PassThrough(**fields)


def report(*payments: MilestonePayment, fee: Money | None = None) -> FixedFee:
    return FixedFee(
        service="crokit:clinical-study-report",
        stage=Stage.PHASE_2,
        fee=fee or usd("90000.00"),
        milestones=payments,
    )


def pay(milestone: Milestone, percent: str | None = None, amount: Money | None = None) -> MilestonePayment:
    """A payment of *percent* (written as a percentage for readability) as a fraction of the fee."""
    share = None if percent is None else from_percent(percent)
    return MilestonePayment(milestone=milestone, share=share, amount=amount)


class TestUnitPrice:
    def test_priced_on_the_derived_count(self):
        (line,) = price(monitoring()).lines
        # 178 monitoring visits (see test_drivers) x 1850.00.
        assert line.quantity == 178
        assert line.amount == usd("329300.00")
        assert line.kind is PricingKind.UNIT
        assert line.bucket is CostBucket.CRO_DIRECT_FEES
        assert line.description == "On-site monitoring (per-monitoring-visit)"
        assert line.months == tuple(range(22))
        assert "ceil(246 x 52 / 12 / 6) = ceil(177.666" in line.derivation
        assert "ROUND_CEILING" in line.derivation

    def test_amount_is_rounded_half_even_once(self):
        item = UnitPrice(
            service="crokit:data-management",
            stage=Stage.PHASE_2,
            basis=UnitBasis.PER_PAGE,
            rate=usd("12.345"),
        )
        (line,) = price(item).lines
        # 3300 pages x 12.345 = 40738.500 -> 40738.50.
        assert line.amount == usd("40738.50")
        assert "40738.500 USD, rounded half-even to 40738.50 USD" in line.derivation

    def test_stated_quantity_for_time(self):
        item = UnitPrice(
            service="crokit:biostatistics",
            stage=Stage.PHASE_2,
            basis=UnitBasis.PER_HOUR,
            rate=usd("150.00"),
            quantity="400.5",
            description="Statistician hours",
        )
        (line,) = price(item).lines
        assert line.amount == usd("60075.00")
        assert line.kind is PricingKind.FTE
        assert "stated in the proposal" in line.derivation

    def test_grants_priced_per_visit_go_to_the_grants_bucket(self):
        item = UnitPrice(
            service="crokit:investigator-grants",
            stage=Stage.PHASE_2,
            basis=UnitBasis.PER_PATIENT_VISIT,
            rate=usd("750.00"),
        )
        (line,) = price(item).lines
        assert (line.kind, line.bucket) == (PricingKind.GRANTS, CostBucket.INVESTIGATOR_GRANTS)
        assert line.amount == usd("240000.00")  # 320 patient visits

    def test_basis_must_fit_the_service(self):
        with pytest.raises(ValidationError) as info:
            price(monitoring(basis=UnitBasis.PER_PAGE))
        problem = info.value.problems[0]
        assert problem.path == "basis"
        assert problem.message == (
            "unit basis per-page does not fit service crokit:on-site-monitoring "
            "(usually priced per-active-site-month, per-monitoring-visit, per-hour, per-fte-month)"
        )

    def test_unknown_service(self):
        with pytest.raises(UnknownIdError, match="did you mean 'crokit:on-site-monitoring'"):
            price(monitoring(service="crokit:on-site-monitorin"))

    def test_time_bases_need_a_quantity(self):
        with pytest.raises(ValidationError, match="state the quantity") as info:
            monitoring(service="crokit:biostatistics", basis=UnitBasis.PER_HOUR)
        assert info.value.problems[0].path == "quantity"

    def test_pass_through_basis_is_refused(self):
        with pytest.raises(ValidationError, match="PassThrough") as info:
            monitoring(service="crokit:investigator-grants", basis=UnitBasis.PASS_THROUGH)
        assert info.value.problems[0].path == "basis"

    @pytest.mark.parametrize(
        ("changes", "path"),
        [({"rate": usd("-1.00")}, "rate"), ({"quantity": "-2"}, "quantity"), ({"rate": "1850"}, "rate")],
    )
    def test_bad_numbers(self, changes, path):
        with pytest.raises(ValidationError) as info:
            monitoring(**changes)
        assert info.value.problems[0].path == path

    def test_float_quantity(self):
        with pytest.raises(InvalidAmountError, match="float"):
            monitoring(quantity=2.5)

    def test_drivers_of_another_study(self):
        other = derive_drivers(make_study(sites=10), ASSUMPTIONS)
        with pytest.raises(ValidationError, match="derived from another study") as info:
            price(monitoring(), other)
        assert info.value.problems[0].path == "drivers"

    def test_visit_basis_without_schedule(self):
        study = make_study(visits=())
        item = UnitPrice(
            service="crokit:dct-tools", stage=Stage.PHASE_2, basis=UnitBasis.PER_PATIENT_VISIT, rate=usd("10")
        )
        with pytest.raises(ValidationError, match="lists no visits"):
            item.price(study, derive_drivers(study, ASSUMPTIONS), registry=REGISTRY)


class TestPassThrough:
    def test_no_markup_without_a_fee(self):
        budget = price(grants())
        (line,) = budget.lines
        assert budget.total == usd("312500.00")
        assert (line.kind, line.bucket) == (PricingKind.GRANTS, CostBucket.INVESTIGATOR_GRANTS)
        assert line.months == tuple(range(4, 22))

    def test_stated_fee_is_a_separate_direct_fee_line(self):
        cost, fee = price(grants(management_fee="0.05")).lines
        assert cost.amount == usd("312500.00")
        assert fee.amount == usd("15625.00")
        assert fee.bucket is CostBucket.CRO_DIRECT_FEES
        assert fee.description == "Management fee on Investigator grants"

    def test_other_pass_through_goes_to_the_pass_through_bucket(self):
        item = PassThrough(
            service="crokit:pass-through-expenses",
            stage=Stage.PHASE_2,
            estimate=usd("40000.005"),
            description="Travel",
        )
        (line,) = price(item).lines
        assert line.bucket is CostBucket.PASS_THROUGH
        assert line.amount == usd("40000.00")  # half-even

    def test_service_must_be_a_pass_through(self):
        with pytest.raises(ValidationError, match="not priced as a pass-through") as info:
            price(grants(service="crokit:edc"))
        assert info.value.problems[0].path == "service"

    @pytest.mark.parametrize(
        ("changes", "path"),
        [
            ({"management_fee": "5"}, "management_fee"),
            ({"management_fee": "-0.01"}, "management_fee"),
            ({"estimate": usd("-1")}, "estimate"),
        ],
    )
    def test_bad_numbers(self, changes, path):
        with pytest.raises(ValidationError) as info:
            grants(**changes)
        assert info.value.problems[0].path == path

    def test_float_fee(self):
        with pytest.raises(InvalidAmountError):
            grants(management_fee=0.05)


class TestFixedFee:
    def test_percentages(self):
        fixed = report(
            pay(Milestone.DATABASE_LOCK, "30"),
            pay(Milestone.TOPLINE_RESULTS, "30"),
            pay(Milestone.CLINICAL_STUDY_REPORT, "40"),
        )
        lines = price(fixed).lines
        assert [line.amount for line in lines] == [usd("27000.00"), usd("27000.00"), usd("36000.00")]
        assert [line.months for line in lines] == [(22,), (23,), (24,)]
        assert lines[0].description == "Clinical study report: Database lock"
        assert {line.kind for line in lines} == {PricingKind.FIXED_FEE}

    def test_thirds_sum_exactly(self):
        fixed = report(
            pay(Milestone.FIRST_PATIENT_IN, "33.33"),
            pay(Milestone.LAST_PATIENT_IN, "33.33"),
            pay(Milestone.DATABASE_LOCK, "33.34"),
            fee=usd("100.01"),
        )
        assert fixed.payments() == (usd("33.33"), usd("33.33"), usd("33.35"))
        assert price(fixed).total == usd("100.01")

    def test_amounts(self):
        fixed = report(
            pay(Milestone.CONTRACT_SIGNED, amount=usd("10000.00")),
            pay(Milestone.CLINICAL_STUDY_REPORT, amount=usd("80000.00")),
        )
        assert price(fixed).total == usd("90000.00")

    def test_percentages_must_sum_to_100(self):
        with pytest.raises(ValidationError, match=r"sum to 0\.95, expected exactly 1") as info:
            report(pay(Milestone.DATABASE_LOCK, "45"), pay(Milestone.CLINICAL_STUDY_REPORT, "50"))
        assert info.value.problems[0].path == "milestones"

    def test_amounts_must_sum_to_the_fee(self):
        with pytest.raises(ValidationError, match=r"sum to 89999\.99 USD") as info:
            report(
                pay(Milestone.CONTRACT_SIGNED, amount=usd("9999.99")),
                pay(Milestone.CLINICAL_STUDY_REPORT, amount=usd("80000.00")),
            )
        assert info.value.problems[0].path == "milestones"

    @pytest.mark.parametrize(
        ("payments", "path"),
        [
            ((), "milestones"),
            ((pay(Milestone.DATABASE_LOCK, "50"), pay(Milestone.DATABASE_LOCK, "50")), "milestones[1].milestone"),
            (
                (pay(Milestone.DATABASE_LOCK, "50"), pay(Milestone.APPROVAL, amount=usd("45000.00"))),
                "milestones[1]",
            ),
            (
                (pay(Milestone.DATABASE_LOCK, amount=Money("90000.00", "EUR")),),
                "milestones[0].amount",
            ),
        ],
    )
    def test_bad_schedules(self, payments, path):
        with pytest.raises(ValidationError) as info:
            report(*payments)
        assert info.value.problems[0].path == path

    @pytest.mark.parametrize(
        ("kwargs", "path"),
        [
            ({"share": None}, "share"),
            ({"share": "0.5", "amount": usd("1.00")}, "share"),
            ({"share": "0"}, "share"),
            ({"share": "1.005"}, "share"),
            ({"share": "30"}, "share"),
            ({"share": None, "amount": usd("-1.00")}, "amount"),
            ({"share": None, "amount": usd("1.005")}, "amount"),
        ],
    )
    def test_bad_payments(self, kwargs, path):
        with pytest.raises(ValidationError) as info:
            MilestonePayment(milestone=Milestone.DATABASE_LOCK, **kwargs)
        assert info.value.problems[0].path == path

    def test_not_money(self):
        with pytest.raises(ValidationError) as info:
            report(pay(Milestone.DATABASE_LOCK, "100"), fee="90000")  # type: ignore[arg-type]
        assert info.value.problems[0].path == "fee"
        with pytest.raises(ValidationError) as info:
            MilestonePayment(milestone=Milestone.DATABASE_LOCK, amount="100")  # type: ignore[arg-type]
        assert info.value.problems[0].path == "amount"
        with pytest.raises(ValidationError) as info:
            report("database lock")  # type: ignore[arg-type]
        assert info.value.problems[0].path == "milestones[0]"

    def test_fee_above_zero(self):
        with pytest.raises(ValidationError) as info:
            report(pay(Milestone.DATABASE_LOCK, "100"), fee=usd("0"))
        assert info.value.problems[0].path == "fee"


class TestProposal:
    def test_lines_in_item_order(self):
        proposal = Proposal(
            cro_id="helix-cro",
            currency="USD",
            items=(monitoring(), grants(management_fee="0.05"), report(pay(Milestone.CLINICAL_STUDY_REPORT, "100"))),
        )
        budget = proposal.price(STUDY, DRIVERS, registry=REGISTRY)
        assert [line.service for line in budget.lines] == [
            "crokit:on-site-monitoring",
            "crokit:investigator-grants",
            "crokit:investigator-grants",
            "crokit:clinical-study-report",
        ]
        assert budget.total == usd("747425.00")  # 329300 + 312500 + 15625 + 90000
        assert budget.by_bucket() == {
            CostBucket.CRO_DIRECT_FEES: usd("434925.00"),
            CostBucket.INVESTIGATOR_GRANTS: usd("312500.00"),
        }

    def test_kind_tags(self):
        assert (UnitPrice.kind, PassThrough.kind, FixedFee.kind) == ("unit-price", "pass-through", "fixed-fee")

    def test_item_errors_carry_the_item_path(self):
        proposal = Proposal(cro_id="helix-cro", currency="USD", items=(grants(), monitoring(basis=UnitBasis.PER_PAGE)))
        with pytest.raises(ValidationError, match=r"^items\[1\]\.basis: unit basis per-page") as info:
            proposal.price(STUDY, DRIVERS, registry=REGISTRY)
        assert info.value.problems[0].path == "items[1].basis"

    def test_unknown_service_carries_the_item_path(self):
        proposal = Proposal(cro_id="helix-cro", currency="USD", items=(monitoring(service="acme:monitoring"),))
        with pytest.raises(UnknownIdError) as info:
            proposal.price(STUDY, DRIVERS, registry=REGISTRY)
        assert info.value.path == "items[0].service"

    def test_items_share_the_currency(self):
        with pytest.raises(ValidationError, match="proposal's currency") as info:
            Proposal(
                cro_id="helix-cro",
                currency="USD",
                items=(monitoring(), grants(), monitoring(rate=Money("1700.00", "EUR"), description="EU visits")),
            )
        assert info.value.problems[0].path == "items[2].rate"

    def test_not_an_item(self):
        with pytest.raises(CrokitError) as info:
            Proposal(cro_id="helix-cro", currency="USD", items=("monitoring",))
        assert isinstance(info.value, ValidationError)
        assert info.value.problems[0].path == "items[0]"

    def test_bad_cro_id(self):
        with pytest.raises(ValidationError) as info:
            Proposal(cro_id="Helix CRO", currency="USD")
        assert info.value.problems[0].path == "cro_id"

    def test_duplicate_lines_are_refused(self):
        proposal = Proposal(cro_id="helix-cro", currency="USD", items=(monitoring(), monitoring()))
        with pytest.raises(ValidationError, match="its own description"):
            proposal.price(STUDY, DRIVERS, registry=REGISTRY)


class TestPackage:
    def test_all_is_sorted_and_documented(self):
        assert crokit.pricing.__all__ == sorted(crokit.pricing.__all__)
        for name in crokit.pricing.__all__:
            assert getattr(crokit.pricing, name).__doc__, name

    def test_import_stays_light(self):
        code = "import crokit.pricing, sys; print([m for m in ('numpy', 'pandas', 'hypothesis') if m in sys.modules])"
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert result.stdout.strip() == "[]"


CURRENCIES = st.sampled_from(["USD", "JPY", "KWD", "EUR"])


@st.composite
def percentages(draw) -> list[Decimal]:
    places = draw(st.integers(0, 4))
    step = Decimal(1).scaleb(-places)
    cuts = draw(st.lists(st.decimals(step, Decimal(100) - step, places=places), unique=True, max_size=9).map(sorted))
    points = [Decimal(0), *cuts, Decimal(100)]
    return [high - low for low, high in itertools.pairwise(points)]


FITTING = [
    (service.id, basis)
    for service in REGISTRY.services
    for basis in UnitBasis
    if basis in service.unit_bases and basis is not UnitBasis.PASS_THROUGH
]


class TestProperties:
    @given(st.sampled_from(FITTING), st.decimals("0", "100000", places=3), st.decimals("0", "5000", places=2))
    def test_any_usual_basis_of_any_service_prices(self, fitting, rate, stated):
        service, basis = fitting
        explicit = basis in {UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH, UnitBasis.PER_SAMPLE}
        unit = usd(str(rate))
        item = UnitPrice(
            service=service,
            stage=Stage.PHASE_2,
            basis=basis,
            rate=unit,
            quantity=stated if explicit else None,
        )
        (line,) = price(item).lines
        quantity = stated if explicit else DRIVERS.get(basis).value
        assert line.quantity == quantity
        assert line.amount == (unit * quantity).rounded()
        assert line.months
        assert total(line.monthly().values(), currency="USD") == line.amount

    @given(CURRENCIES, st.decimals("0", "1000000000", places=4))
    def test_pass_through_without_a_fee_has_no_markup(self, currency, amount):
        estimate = Money(amount, currency)
        item = PassThrough(service="crokit:pass-through-expenses", stage=Stage.PHASE_3, estimate=estimate)
        budget = price(item)
        assert budget.total == estimate.rounded()
        assert len(budget.lines) == 1

    @given(CURRENCIES, st.decimals("0.0001", "1000000000", places=4), percentages())
    def test_milestone_payments_sum_exactly_to_the_fee(self, currency, amount, percents):
        fee = Money(amount, currency)
        milestones = list(Milestone)[: len(percents)]
        fixed = FixedFee(
            service="crokit:clinical-study-report",
            stage=Stage.PHASE_2,
            fee=fee,
            milestones=[
                MilestonePayment(milestone=m, share=p.scaleb(-2)) for m, p in zip(milestones, percents, strict=True)
            ],
        )
        assert total(fixed.payments(), currency=currency) == fee.rounded()
        assert price(fixed).total == fee.rounded()
        for payment, percent in zip(fixed.payments(), percents, strict=True):
            exact = fee.rounded().amount * percent / 100
            assert abs(payment.amount - exact) < Decimal(1).scaleb(-(fee.minor_unit or 0))

    @given(st.lists(st.decimals("0", "100000", places=2), min_size=1, max_size=6), st.randoms(use_true_random=False))
    def test_proposal_total_is_the_sum_of_its_items_in_any_order(self, rates, random):
        items: list[UnitPrice | PassThrough | FixedFee] = [
            monitoring(rate=usd(str(rate)), description=f"visits {index}") for index, rate in enumerate(rates)
        ]
        items.append(grants(management_fee="0.07"))
        budget = Proposal(cro_id="helix-cro", currency="USD", items=items).price(STUDY, DRIVERS, registry=REGISTRY)
        assert budget.total == total((price(item).total for item in items), currency="USD")
        random.shuffle(items)
        shuffled = Proposal(cro_id="helix-cro", currency="USD", items=items).price(STUDY, DRIVERS, registry=REGISTRY)
        assert shuffled.total == budget.total
        assert shuffled.by_month() == budget.by_month()
        assert total(budget.by_month().values(), currency="USD") == budget.total
