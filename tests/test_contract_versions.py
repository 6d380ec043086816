"""Effective-dated change orders: versions month by month, deltas explained to the cent."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from crokit import Money, Registry, Stage, ValidationError
from crokit.change_orders import ChangeOrder, Contract, ReasonCode, Replacement, StudyChange
from crokit.contract_versions import ContractVersion, contract_versions
from crokit.demo import demo_scenario
from crokit.money import FxRate, FxTable
from crokit.pricing import FteAllocation, FteTimeAndMaterials, RateCard, RateCardEntry, RatePer, UnitPrice
from crokit.serialization import dumps, loads
from crokit.vocabulary import UnitBasis

REGISTRY = Registry.builtin()
SCENARIO = demo_scenario()
STUDY = SCENARIO.study
PLANNING = SCENARIO.assumptions
(_HELIX,) = [candidate.proposal for candidate in SCENARIO.candidates if candidate.id == "helix-cro"]
assert _HELIX is not None
HELIX = _HELIX
MONTH_14 = STUDY.start_date + relativedelta(months=14)

MORE_PATIENTS = ChangeOrder(
    id="co-1",
    date=MONTH_14 - dt.timedelta(days=20),
    effective=MONTH_14,
    reason=ReasonCode.PROTOCOL_AMENDMENT,
    description="Add 60 patients and 10 sites from month 14",
    study=StudyChange(planned_patients=STUDY.planned_patients + 60, sites=STUDY.sites + 10),
)


def versions(*orders: ChangeOrder, **options: object) -> tuple[ContractVersion, ...]:
    contract = Contract(original=HELIX, change_orders=orders)
    return contract_versions(contract, study=STUDY, assumptions=PLANNING, registry=REGISTRY, **options)  # type: ignore[arg-type]


def check_invariants(found: tuple[ContractVersion, ...]) -> None:
    original = found[0]
    if original.value.currency == original.budget.currency:
        assert original.value == original.budget.total
    running = original.value
    for before, after in itertools.pairwise(found):
        first = after.effective_month
        old = dict(before.by_month)
        new = dict(after.by_month)
        assert {m: a for m, a in new.items() if m < first} == {m: a for m, a in old.items() if m < first}
        assert after.value == before.value + after.delta
        explained = sum((line.delta for line in after.lines), Money.zero(after.value.currency))
        assert explained + after.conversion_rounding == after.delta
        for line in after.lines:
            assert line.scope + line.volume + line.rate + line.timing + line.rounding == line.delta
        running = running + after.delta
    assert found[-1].value == running


def test_add_60_patients_and_10_sites_from_month_14() -> None:
    original, amended = versions(MORE_PATIENTS)
    check_invariants((original, amended))
    assert amended.effective_month == 14
    assert amended.study.planned_patients == 120
    assert amended.study.sites == 22
    assert amended.delta.amount > 0
    assert amended.conversion_rounding == Money("0.00", "USD")
    early = {month: amount for month, amount in amended.by_month if month < 14}
    assert early == {month: amount for month, amount in original.by_month if month < 14}
    keys = {line.key[1] for line in amended.lines}
    assert "On-site monitoring visits" in keys
    visits = next(
        line
        for line in amended.lines
        if line.key[1] == "Investigator grants: patient visits (10% held back to close-out)"
    )
    assert visits.volume.amount > 0
    assert amended.explain().startswith("co-1 (effective study month 14): ")


def test_items_of_any_model_may_be_added_or_replaced() -> None:
    fte = FteTimeAndMaterials(
        service="crokit:project-management",
        stage=Stage.PHASE_2,
        rate_card=RateCard(
            entries=[
                RateCardEntry(
                    role="project-manager", region="us", rate=Money("16000.00", "USD"), per=RatePer.FTE_MONTH, year=2028
                )
            ],
        ),
        year=2028,
        allocations=[FteAllocation(role="project-manager", region="us", fte="0.5", start_month=16, duration_months=6)],
    )
    rerated = UnitPrice(
        service="crokit:on-site-monitoring",
        stage=Stage.PHASE_2,
        basis=UnitBasis.PER_MONITORING_VISIT,
        rate=Money("2000.00", "USD"),
        description="On-site monitoring visits",
    )
    monitoring = next(
        i for i, item in enumerate(HELIX.items) if getattr(item, "service", "") == "crokit:on-site-monitoring"
    )
    second = ChangeOrder(
        id="co-2",
        date=MONTH_14 + relativedelta(months=2),
        reason=ReasonCode.SPONSOR_SCOPE_CHANGE,
        description="Project management added; monitoring re-rated",
        add=[fte],
        replace=[Replacement(index=monitoring, item=rerated)],
    )
    found = versions(MORE_PATIENTS, second)
    check_invariants(found)
    last = found[-1]
    assert last.effective_month == 16
    added = [line for line in last.lines if line.key[0] == "crokit:project-management"]
    assert added  # the FTE line and its escalation
    assert all(line.change.value == "added" and line.scope == line.delta for line in added)
    (visits,) = [line for line in last.lines if line.key[1] == "On-site monitoring visits"]
    assert visits.rate.amount > 0


def test_a_contract_reported_in_another_currency() -> None:
    fx = FxTable(
        rates=[FxRate(base="USD", quote="EUR", rate=Decimal("0.9123"), as_of=STUDY.start_date, source="illustrative")]
    )
    found = versions(MORE_PATIENTS, currency="EUR", fx=fx)
    check_invariants(found)
    assert found[0].value.currency == "EUR"
    assert found[1].delta.currency == "EUR"
    with pytest.raises(ValidationError, match="give the exchange rates"):
        versions(MORE_PATIENTS, currency="EUR")


def test_refusals_name_the_change_order() -> None:
    early = attrs.evolve(
        MORE_PATIENTS, date=STUDY.start_date - dt.timedelta(days=30), effective=STUDY.start_date - dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as caught:
        versions(early)
    assert caught.value.problems[0].path == "change_orders[0].effective"
    impossible = attrs.evolve(MORE_PATIENTS, study=StudyChange(sites=STUDY.planned_patients + 100))
    with pytest.raises(ValidationError) as bad_study:
        versions(impossible)
    assert bad_study.value.problems[0].path.startswith("change_orders[0].study")
    later = attrs.evolve(MORE_PATIENTS, id="co-2", date=MONTH_14, effective=MONTH_14 - relativedelta(months=3))
    with pytest.raises(ValidationError) as backwards:
        Contract(original=HELIX, change_orders=[MORE_PATIENTS, later])
    assert backwards.value.problems[0].path == "change_orders[1].effective"
    with pytest.raises(ValidationError, match="at least one"):
        StudyChange()


@given(
    patients=st.integers(min_value=STUDY.sites + 12, max_value=300),
    extra_sites=st.integers(min_value=0, max_value=10),
    month=st.integers(min_value=0, max_value=30),
    extra_months=st.integers(min_value=0, max_value=6),
)
def test_current_value_is_the_original_plus_the_deltas(patients, extra_sites, month, extra_months) -> None:
    effective = STUDY.start_date + relativedelta(months=month)
    order = ChangeOrder(
        id="co-1",
        date=effective,
        reason=ReasonCode.ASSUMPTION_CHANGE,
        description="re-planned",
        study=StudyChange(planned_patients=patients, sites=STUDY.sites + extra_sites),
        assumptions=attrs.evolve(PLANNING, enrolment_months=PLANNING.enrolment_months + extra_months),
    )
    check_invariants(versions(order))


@pytest.mark.parametrize("fmt", ["json", "toml", "yaml"])
def test_change_orders_with_study_changes_round_trip(fmt) -> None:
    assert loads(dumps(MORE_PATIENTS, fmt), ChangeOrder, fmt) == MORE_PATIENTS
