"""Cash flow at due-date rates: per-payment conversion of schedules, and the demo's line in EUR."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crokit
from crokit import FxRate, FxTable, Money
from crokit._decimal import MONEY
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.errors import MissingRateError, ValidationError
from crokit.pricing import FixedFee, FxPurpose, InvestigatorGrants
from crokit.pricing.line_item import POLICY
from crokit.report import json_report, render
from crokit.scenario import Scenario, evaluate, planned_milestones
from crokit.schedule import MilestonePlan, PaymentKind, PaymentSchedule
from crokit.schedule.currency import convert_schedule
from crokit.serialization import dumps, loads
from crokit.testing import payment_schedules
from crokit.vocabulary.lifecycle import Milestone


def _table(base: str, quote: str, rates: list[Decimal], start: date) -> FxTable:
    return FxTable(
        rates=tuple(
            FxRate(base=base, quote=quote, rate=rate, as_of=start + timedelta(days=90 * i), source="test")
            for i, rate in enumerate(rates)
        )
    )


@given(
    payment_schedules(currency="EUR"),
    st.lists(st.decimals(min_value=Decimal("0.5"), max_value=Decimal(2), places=4), min_size=1, max_size=6),
)
def test_per_payment_conversion_reconciles_with_the_converted_payments(
    schedule: PaymentSchedule, rates: list[Decimal]
) -> None:
    fx = _table("EUR", "USD", rates, schedule.contract_start - timedelta(days=1))
    converted, records = convert_schedule(schedule, "USD", fx=fx)
    assert converted.currency == "USD"
    assert len(converted.payments) == len(schedule.payments)
    # One record per due date; each reconciles, and the payments due that day sum exactly to it.
    assert [r.on for r in records] == sorted({p.due for p in schedule.payments})
    for record in records:
        assert record.purpose is FxPurpose.CASH_FLOW
        due = [p for p in converted.payments if p.due == record.on]
        assert sum(p.amount.amount for p in due) == record.converted.amount
        original = [p for p in schedule.payments if p.due == record.on]
        assert record.amount.amount == sum(p.amount.amount for p in original)
        assert record.rate == fx.rate("EUR", "USD", record.on)
        assert record.converted == Money(MONEY.multiply(record.amount.amount, record.rate), "USD").rounded(POLICY)
    assert converted.total.amount == sum(r.converted.amount for r in records)
    # The converted schedule still releases exactly what it retained (PaymentSchedule checks it too).
    released = sum(p.amount.amount for p in converted.payments if p.kind is PaymentKind.HOLDBACK_RELEASE)
    assert converted.holdback_retained.amount == released


@given(payment_schedules(currency="USD"))
def test_a_schedule_in_the_target_currency_is_unchanged(schedule: PaymentSchedule) -> None:
    assert convert_schedule(schedule, "USD", fx=FxTable()) == (schedule, ())


@given(payment_schedules(currency="EUR"))
def test_a_payment_due_before_every_rate_is_a_missing_rate_naming_pair_and_date(schedule: PaymentSchedule) -> None:
    first = min((p.due for p in schedule.payments), default=None)
    if first is None:
        return
    fx = FxTable(rates=(FxRate(base="EUR", quote="USD", rate="1.08", as_of=first + timedelta(days=1), source="t"),))
    with pytest.raises(MissingRateError, match=f"EUR->USD exchange rate in force on {first}"):
        convert_schedule(schedule, "USD", fx=fx)


def test_a_scenario_without_the_rate_names_the_candidate_pair_and_date() -> None:
    with pytest.raises(ValidationError) as caught:
        evaluate(attrs.evolve(demo_scenario(), fx=FxTable()))
    (problem,) = caught.value.problems
    assert problem.path == "scenario.candidates[2].proposal"
    assert "no EUR->USD exchange rate in force on 2027-01-04" in problem.message


def test_the_contract_date_is_the_planned_signature_when_the_scenario_plans_one() -> None:
    scenario = demo_scenario()
    evaluation = evaluate(scenario)
    plan = planned_milestones(evaluation.study, evaluation.drivers)
    signed = date(2027, 1, 20)
    moved = MilestonePlan(
        dates=tuple(attrs.evolve(d, date=signed) if d.milestone is Milestone.CONTRACT_SIGNED else d for d in plan.dates)
    )
    orphan = evaluate(attrs.evolve(scenario, milestones=moved)).candidate("orphan-trials")
    assert [r.on for r in orphan.conversions if r.purpose is FxPurpose.COMPARISON] == [signed]


@pytest.fixture(scope="module")
def demo() -> crokit.Evaluation:
    return evaluate(demo_scenario(), seed=DEMO_SEED)


def test_the_demo_bid_with_a_line_in_euros_is_compared_at_the_contract_date(demo: crokit.Evaluation) -> None:
    orphan = demo.candidate("orphan-trials")
    comparison = [r for r in orphan.conversions if r.purpose is FxPurpose.COMPARISON]
    (record,) = comparison
    assert (record.pair, record.on, record.rate) == ("EUR->USD", date(2027, 1, 4), Decimal("1.0800"))
    assert (record.amount, record.converted) == (Money("40000.00", "EUR"), Money("43200.00", "USD"))
    assert orphan.budget is not None
    line = next(line for line in orphan.budget.lines if "billed in EUR" in line.description)
    assert line.amount == Money("43200.00", "USD")
    for other in ("globalcro", "helix-cro"):
        assert demo.candidate(other).conversions == ()
        assert demo.candidate(other).cash_flow is None


def test_the_demo_cash_flow_converts_each_euro_payment_at_its_due_date(demo: crokit.Evaluation) -> None:
    orphan = demo.candidate("orphan-trials")
    flow, schedule, budget = orphan.cash_flow, orphan.schedule, orphan.budget
    assert flow is not None
    assert schedule is not None
    assert budget is not None
    cash = [r for r in orphan.conversions if r.purpose is FxPurpose.CASH_FLOW]
    assert cash
    assert all(r.fallback for r in cash)
    in_euros = [p for p in flow.payments if p.description.endswith("(paid in EUR)")]
    assert sum(p.amount.amount for p in in_euros) == sum(r.converted.amount for r in cash)
    assert sum(r.amount.amount for r in cash) == Decimal("40000.00")
    # One rate throughout, so the cash flow differs from the budget only by the rounding per due date.
    assert abs(flow.total.amount - budget.total.amount) <= Decimal("0.01") * len(cash)
    assert schedule.total == budget.total
    assert any("no EUR->USD rate on 19 payment dates" in w for w in demo.warnings)


def test_reports_show_every_conversion_used(demo: crokit.Evaluation) -> None:
    text = render(demo, "markdown")
    assert "## Currency conversions" in text
    assert "| EUR->USD | comparison | 2027-01-04 | 1.0800 | 2027-01-01 | 40,000.00 EUR | 43,200.00 USD |" in text
    report = json_report(demo)
    orphan = next(c for c in report["candidates"] if c["id"] == "orphan-trials")
    first = orphan["conversions"][0]
    assert first["pair"] == "EUR->USD"
    assert first["purpose"] == "comparison"
    assert first["rate"] == "1.0800"
    assert first["converted"] == {"amount": "43200.00", "currency": "USD"}
    assert orphan["cash_flow"][0]["amount"]["currency"] == "USD"
    helix = next(c for c in report["candidates"] if c["id"] == "helix-cro")
    assert helix["conversions"] == []
    assert helix["cash_flow"] is None


def test_a_scenario_without_conversions_has_no_conversion_section() -> None:
    scenario = demo_scenario()
    single = attrs.evolve(scenario, candidates=scenario.candidates[:2])
    assert "Currency conversions" not in render(evaluate(single), "markdown")


def test_a_scenario_file_with_an_item_in_an_unlisted_currency_is_refused_with_its_path() -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "rare_disease_phase2.toml"
    text = example.read_text(encoding="utf-8")
    unlisted = text.replace('other_currencies = ["EUR"]', "other_currencies = []")
    assert unlisted != text
    with pytest.raises(ValidationError) as caught:
        loads(unlisted, Scenario, "toml")
    message = str(caught.value)
    assert "candidates[2].proposal.items[6].estimate" in message
    assert "list 'EUR' in other_currencies" in message


def test_a_proposal_in_another_currency_is_converted_exactly_and_recorded() -> None:
    scenario = demo_scenario()
    helix = scenario.candidates[1]
    assert helix.proposal is not None
    in_euros = loads(
        dumps(helix.proposal, indent=2).replace('"currency": "USD"', '"currency": "EUR"'), type(helix.proposal), "json"
    )
    rate = FxRate(base="EUR", quote="USD", rate="1.0850", as_of=date(2027, 1, 4), source="test")
    evaluation = evaluate(
        attrs.evolve(scenario, candidates=(attrs.evolve(helix, proposal=in_euros),), fx=FxTable(rates=(rate,)))
    )
    result = evaluation.candidate("helix-cro")
    assert result.budget is not None
    (record,) = [r for r in result.conversions if r.purpose is FxPurpose.COMPARISON]
    assert (record.pair, record.on, record.rate) == ("EUR->USD", date(2027, 1, 4), Decimal("1.0850"))
    assert result.budget.total == record.converted
    assert record.converted == Money(MONEY.multiply(record.amount.amount, record.rate), "USD").rounded(POLICY)
    assert result.cash_flow is not None
    assert result.cash_flow.total.amount == sum(
        r.converted.amount for r in result.conversions if r.purpose is FxPurpose.CASH_FLOW
    )


def test_a_fixed_fee_and_grants_with_a_holdback_in_another_currency_are_scheduled() -> None:
    scenario = demo_scenario()
    helix = scenario.candidates[1]
    assert helix.proposal is not None
    yen = [item for item in helix.proposal.items if item.currency == "USD"]
    fee = next(item for item in yen if isinstance(item, FixedFee))
    grants = next(item for item in yen if isinstance(item, InvestigatorGrants))
    in_yen = (
        attrs.evolve(fee, fee=Money("30000000", "JPY")),
        attrs.evolve(
            grants,
            fee_per_visit=Money("180000", "JPY"),
            screen_failure_fee=Money("60000", "JPY"),
            early_termination_fee=Money("90000", "JPY"),
            startup_fee_per_site=Money("700000", "JPY"),
            visit_fees=(),
        ),
    )
    items = tuple(item for item in helix.proposal.items if item not in (fee, grants)) + in_yen
    proposal = attrs.evolve(helix.proposal, items=items, other_currencies=("JPY",))
    rates = (
        FxRate(base="JPY", quote="USD", rate="0.0067", as_of=date(2027, 1, 1), source="test"),
        FxRate(base="JPY", quote="USD", rate="0.0070", as_of=date(2028, 1, 1), source="test"),
    )
    single = attrs.evolve(scenario, candidates=(attrs.evolve(helix, proposal=proposal),), fx=FxTable(rates=rates))
    result = evaluate(single).candidate("helix-cro")
    assert result.budget is not None
    assert result.schedule is not None
    assert result.cash_flow is not None
    assert result.schedule.total == result.budget.total
    cash = [r for r in result.conversions if r.purpose is FxPurpose.CASH_FLOW]
    assert {r.rate for r in cash} == {Decimal("0.0067"), Decimal("0.0070")}
    assert any(
        p.kind is PaymentKind.MILESTONE and p.description.endswith("(paid in JPY)") for p in result.cash_flow.payments
    )
    released = [p for p in result.cash_flow.payments if p.kind is PaymentKind.HOLDBACK_RELEASE]
    assert any("Investigator grants held back" in p.description for p in released)
    assert result.cash_flow.holdback_retained.amount == sum(p.amount.amount for p in released)
