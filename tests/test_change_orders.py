"""Change orders: a worked contract, refusals with paths, invariants and round trips."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given

from crokit import CrokitError, Milestone, Money, Registry, Stage, Study, UnitBasis, ValidationError
from crokit.change_orders import ChangeOrder, Contract, ReasonCode, Replacement
from crokit.money import total
from crokit.pricing import (
    Assumptions,
    ChangeKind,
    FixedFee,
    MilestonePayment,
    PassThrough,
    Proposal,
    UnitPrice,
    derive_drivers,
)
from crokit.serialization import FORMATS, dumps, loads

from crokit.testing._schedule import contracts  # isort: skip

REGISTRY = Registry.builtin()
STUDY = Study(
    name="RD-201",
    phase=Stage.PHASE_2,
    therapeutic_area="crokit:rare-disease",
    indication="Fabry disease",
    planned_patients=60,
    sites=12,
    countries=("US", "DE"),
    start_date=date(2027, 1, 4),
    currency="USD",
)
DRIVERS = derive_drivers(
    STUDY,
    Assumptions(
        startup_months=4,
        enrolment_months=12,
        treatment_months=6,
        closeout_months=3,
        monitoring_interval_weeks=6,
        tables_listings_figures=120,
        crf_pages_per_visit_default=10,
    ),
)


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def visits(quantity: int) -> UnitPrice:
    return UnitPrice(
        service="crokit:on-site-monitoring",
        stage=Stage.PHASE_2,
        basis=UnitBasis.PER_MONITORING_VISIT,
        rate=usd("1850.00"),
        quantity=Decimal(quantity),
    )


GRANTS = PassThrough(service="crokit:investigator-grants", stage=Stage.PHASE_2, estimate=usd("300000.00"))
REPORT = FixedFee(
    service="crokit:clinical-study-report",
    stage=Stage.PHASE_2,
    fee=usd("90000.00"),
    milestones=(
        MilestonePayment(milestone=Milestone.DATABASE_LOCK, share="0.40"),
        MilestonePayment(milestone=Milestone.CLINICAL_STUDY_REPORT, share="0.60"),
    ),
)
ORIGINAL = Proposal(cro_id="helix-cro", currency="USD", items=(visits(100), GRANTS))
MORE_VISITS = ChangeOrder(
    id="co-1",
    date=date(2027, 6, 1),
    reason=ReasonCode.PROTOCOL_AMENDMENT,
    description="Amendment 2 adds a visit: 20 more monitoring visits",
    replace=(Replacement(index=0, item=visits(120)),),
)
REPORT_NOT_GRANTS = ChangeOrder(
    id="co-2",
    date=date(2027, 9, 15),
    reason=ReasonCode.SPONSOR_SCOPE_CHANGE,
    description="Sponsor pays grants directly; CRO writes the report",
    remove=(1,),
    add=(REPORT,),
)


def contract() -> Contract:
    return Contract(original=ORIGINAL).with_change_order(MORE_VISITS).with_change_order(REPORT_NOT_GRANTS)


class TestWorkedContract:
    def test_history(self):
        amended = contract()
        assert len(amended.history) == 3
        assert amended.history[0] == ORIGINAL
        assert amended.history[1].items == (visits(120), GRANTS)
        assert amended.current.items == (visits(120), REPORT)

    def test_totals_and_deltas(self):
        amended = contract()
        totals = [budget.total for budget in amended.budgets(STUDY, DRIVERS, registry=REGISTRY)]
        # 100 x 1850 + 300000; 120 x 1850 + 300000; 120 x 1850 + 90000.
        assert totals == [usd("485000.00"), usd("522000.00"), usd("312000.00")]
        assert amended.deltas(STUDY, DRIVERS, registry=REGISTRY) == (usd("37000.00"), usd("-210000.00"))
        change, fraction = amended.cumulative_change(STUDY, DRIVERS, registry=REGISTRY)
        assert change == usd("-173000.00")
        assert fraction.quantize(Decimal("0.000001")) == Decimal("-0.356701")  # -173000 / 485000

    def test_diffs_explain_each_change_order(self):
        first, second = contract().diffs(STUDY, DRIVERS, registry=REGISTRY)
        (visits_change,) = first.lines
        assert visits_change.change is ChangeKind.CHANGED
        assert visits_change.volume_effect == usd("37000.00")
        assert [line.change for line in second.lines] == [ChangeKind.REMOVED, ChangeKind.ADDED, ChangeKind.ADDED]
        assert second.delta == usd("-210000.00")

    def test_amending_returns_a_new_value(self):
        signed = Contract(original=ORIGINAL)
        amended = signed.with_change_order(MORE_VISITS)
        assert signed.change_orders == ()
        assert signed.current == ORIGINAL
        assert amended.current != ORIGINAL

    def test_apply_leaves_the_proposal_alone(self):
        assert MORE_VISITS.apply(ORIGINAL).items[0] == visits(120)
        assert ORIGINAL.items[0] == visits(100)


class TestRefusals:
    def test_ids_are_unique(self):
        again = ChangeOrder(
            id="co-1", date=date(2027, 7, 1), reason=ReasonCode.OTHER, description="again", add=(REPORT,)
        )
        with pytest.raises(ValidationError) as info:
            Contract(original=ORIGINAL).with_change_order(MORE_VISITS).with_change_order(again)
        assert info.value.problems[0].path == "change_orders[1].id"

    def test_dates_do_not_go_back(self):
        with pytest.raises(ValidationError, match="date order") as info:
            Contract(original=ORIGINAL, change_orders=(REPORT_NOT_GRANTS, MORE_VISITS))
        assert info.value.problems[0].path == "change_orders[1].date"

    def test_index_must_exist(self):
        bad = ChangeOrder(id="co-9", date=date(2027, 6, 1), reason=ReasonCode.CRO_ERROR, description="x", remove=(5,))
        with pytest.raises(ValidationError) as info:
            Contract(original=ORIGINAL).with_change_order(bad)
        assert info.value.problems[0].path == "change_orders[0].remove[0]"

    def test_new_items_share_the_currency(self):
        euro = PassThrough(service="crokit:pass-through-expenses", stage=Stage.PHASE_2, estimate=Money("1", "EUR"))
        bad = ChangeOrder(id="co-9", date=date(2027, 6, 1), reason=ReasonCode.OTHER, description="x", add=(euro,))
        with pytest.raises(ValidationError) as info:
            bad.apply(ORIGINAL)
        assert info.value.problems[0].path == "add[0]"

    def test_each_index_is_changed_once(self):
        with pytest.raises(ValidationError) as info:
            ChangeOrder(
                id="co-9",
                date=date(2027, 6, 1),
                reason=ReasonCode.OTHER,
                description="x",
                remove=(0,),
                replace=(Replacement(index=0, item=visits(1)),),
            )
        assert info.value.problems[0].path == "replace[0].index"

    def test_a_change_order_changes_something(self):
        with pytest.raises(ValidationError) as info:
            ChangeOrder(id="co-9", date=date(2027, 6, 1), reason=ReasonCode.OTHER, description="x")
        assert info.value.problems[0].path == "add"

    @pytest.mark.parametrize(
        ("changes", "path"),
        [
            ({"id": "CO 1"}, "id"),
            ({"reason": "whim"}, "reason"),
            ({"description": " "}, "description"),
            ({"remove": (-1,)}, "remove[0]"),
            ({"add": ("item",)}, "add[0]"),
        ],
    )
    def test_bad_fields(self, changes, path):
        fields: dict[str, object] = {
            "id": "co-9",
            "date": date(2027, 6, 1),
            "reason": ReasonCode.OTHER,
            "description": "x",
            "add": (REPORT,),
            **changes,
        }
        with pytest.raises(CrokitError) as info:
            ChangeOrder(**fields)  # type: ignore[arg-type]
        assert isinstance(info.value, ValidationError)
        assert info.value.problems[0].path == path

    def test_no_percentage_of_nothing(self):
        empty = Contract(original=Proposal(cro_id="helix-cro", currency="USD"))
        amended = empty.with_change_order(
            ChangeOrder(id="co-1", date=date(2027, 6, 1), reason=ReasonCode.OTHER, description="x", add=(REPORT,))
        )
        with pytest.raises(ValidationError) as info:
            amended.cumulative_change(STUDY, DRIVERS, registry=REGISTRY)
        assert info.value.problems[0].path == "original"


@given(contracts())
def test_current_total_is_the_original_plus_every_delta(amended):
    budgets = amended.budgets(STUDY, DRIVERS, registry=REGISTRY)
    deltas = amended.deltas(STUDY, DRIVERS, registry=REGISTRY)
    currency = amended.original.currency
    assert len(budgets) == len(amended.change_orders) + 1
    assert budgets[-1].total == budgets[0].total + total(deltas, currency=currency)
    diffs = amended.diffs(STUDY, DRIVERS, registry=REGISTRY)
    assert total((diff.delta for diff in diffs), currency=currency) == total(deltas, currency=currency)


@given(contracts())
def test_history_is_never_lost(amended):
    signed = Contract(original=amended.original)
    previous = signed
    for order in amended.change_orders:
        grown = previous.with_change_order(order)
        assert len(grown.history) == len(previous.history) + 1
        assert grown.history[:-1] == previous.history
        previous = grown
    assert previous == amended
    assert previous.history == amended.history


@given(contracts(max_change_orders=2))
def test_change_orders_round_trip(amended):
    for fmt in FORMATS:
        for order in amended.change_orders:
            assert loads(dumps(order, fmt), ChangeOrder, fmt) == order
            for part in order.replace:
                assert loads(dumps(part, fmt), Replacement, fmt) == part
        assert loads(dumps(amended, fmt), Contract, fmt) == amended


@pytest.mark.parametrize("fmt", FORMATS)
def test_contract_round_trips(fmt):
    empty = Contract(original=Proposal(cro_id="helix-cro", currency="USD"))
    amended = empty.with_change_order(
        ChangeOrder(id="co-1", date=date(2027, 6, 1), reason=ReasonCode.OTHER, description="x", add=(REPORT, GRANTS))
    ).with_change_order(
        ChangeOrder(
            id="co-2",
            date=date(2027, 6, 1),
            reason=ReasonCode.ASSUMPTION_CHANGE,
            description="y",
            remove=(1,),
            replace=(Replacement(index=0, item=visits(3)),),
        )
    )
    loaded = loads(dumps(amended, fmt), Contract, fmt)
    assert loaded == amended
    assert loaded.history == amended.history


@pytest.mark.parametrize("fmt", FORMATS)
def test_contract_with_a_priced_original_round_trips(fmt):
    assert loads(dumps(contract(), fmt), Contract, fmt) == contract()
