"""Several investigator-grants models in one budget: each holds back its own lines, in any currency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import FxRate, FxTable, Money, evaluate
from crokit.errors import ValidationError
from crokit.pricing import Budget, CostBucket, InvestigatorGrants, LineItem, PricingKind, Proposal, convert_budget
from crokit.pricing.line_item import POLICY
from crokit.schedule import BillingTerms, PaymentKind, PaymentSchedule, build_schedule
from crokit.testing import investigator_grants
from crokit.vocabulary import Stage
from tests.schedule.test_grant_holdbacks import DRIVERS, FULL_PLAN, REGISTRY, SCENARIO, STUDY
from tests.test_schedule_build_mutants import line

RELEASED = "Investigator grants held back"
_PATIENT_PAYMENTS = ("patient visits", "visit ", "screen failures", "early terminations")


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def grants(description: str = "", share: str = "0.10", currency: str = "USD") -> InvestigatorGrants:
    return InvestigatorGrants(
        stage=Stage.PHASE_2,
        fee_per_visit=Money("500.00", currency),
        screen_failure_fee=Money("250.00", currency),
        early_termination_fee=Money("300.00", currency),
        startup_fee_per_site=Money("2000.00", currency),
        holdback_share=share,
        description=description,
    )


def priced(*models: InvestigatorGrants) -> Budget:
    return Proposal(cro_id="x", currency="USD", items=models).price(STUDY, DRIVERS, registry=REGISTRY)


def schedule_of(budget: Budget, models: list[InvestigatorGrants]) -> PaymentSchedule:
    return build_schedule(
        budget, contract_start=STUDY.start_date, milestones=FULL_PLAN, terms=BillingTerms(), grants=models
    )


def retained(schedule: PaymentSchedule) -> Money:
    kept = [p.retained for p in schedule.payments if p.kind is PaymentKind.PASS_THROUGH and p.retained is not None]
    return sum(kept, Money.zero(schedule.currency))


def released(schedule: PaymentSchedule) -> Money:
    paid = [p.amount for p in schedule.payments if p.description.startswith(RELEASED)]
    return sum(paid, Money.zero(schedule.currency))


def held_share(budget: Budget, name: str, share: str) -> Money:
    """*share* of the held-back lines named *name*, worked out from the descriptions alone."""
    prefix = f"{name}: "
    lines = [
        line
        for line in budget.lines
        if line.description.startswith(prefix)
        and line.description.removeprefix(prefix).startswith(_PATIENT_PAYMENTS)
        and "held back" in line.description
    ]
    assert lines
    base = sum((line.amount for line in lines), Money.zero(budget.currency))
    return (base * Decimal(share)).rounded(POLICY)


def test_a_model_whose_name_starts_another_models_holds_only_its_own_lines() -> None:
    """A model named Cohort A does not hold the lines of Cohort A2, nor those of Cohort A: extension."""
    models = [grants("Cohort A"), grants("Cohort A2", "0.05"), grants("Cohort A: extension", "0.20")]
    budget = priced(*models)
    for model in models:
        assert (
            model.holdback(budget)
            == model.holdback(priced(model))
            == held_share(budget, model.description, str(model.holdback_share))
        )
        mine = {line.key for line in priced(model).lines if model.holds(line)}
        assert {line.key for line in budget.lines if model.holds(line)} == mine
    schedule = schedule_of(budget, models)
    # 10% + 5% + 20% of 186800.00 of patient payments each (60 x 6 visits x 500.00,
    # 20 screen failures x 250.00, 6 early terminations x 300.00), not 35% of three times that
    assert retained(schedule) == released(schedule) == usd("65380.00")


def test_a_model_with_no_description_leaves_the_described_models_lines_alone() -> None:
    """The default model writes its service's name; told of the others, it holds only that name's lines."""
    default, cohort = grants(), grants("Extension cohort", "0.05")
    models = [default, cohort]
    budget = priced(*models)
    assert default.holdback(budget, others=models) == held_share(budget, "Investigator grants", "0.10")
    assert cohort.holdback(budget) == held_share(budget, "Extension cohort", "0.05")
    # alone, it cannot tell its service's name from the cohort's description: it holds both
    assert default.holdback(budget) == usd("37360.00")  # 10% of 2 x 186800.00
    schedule = schedule_of(budget, models)
    assert retained(schedule) == released(schedule) == usd("18680.00") + usd("9340.00")


def test_only_the_described_models_of_its_own_service_take_lines_from_a_model_with_no_description() -> None:
    """A model of another service described with this service's name takes nothing from it."""
    default = grants()
    travel = attrs.evolve(grants("Investigator grants", "0.05"), service="crokit:patient-recruitment")
    models = [default, travel]
    budget = priced(*models)
    assert default.holdback(budget, others=models) == usd("18680.00")  # 10% of its own 186800.00
    assert travel.holdback(budget, others=models) == usd("9340.00")  # 5% of its own 186800.00
    schedule = schedule_of(budget, models)
    assert retained(schedule) == released(schedule) == usd("28020.00")


def held_line(description: str, month: int) -> LineItem:
    return LineItem(
        service="crokit:investigator-grants",
        stage=Stage.PHASE_2,
        kind=PricingKind.GRANTS,
        bucket=CostBucket.INVESTIGATOR_GRANTS,
        description=f"{description} (10% held back to close-out)",
        basis=None,
        quantity=Decimal(1),
        unit_price=usd("100.00"),
        amount=usd("100.00"),
        months=(month,),
        derivation="written by hand",
    )


def test_each_models_holdback_is_retained_from_its_own_lines_invoices() -> None:
    """The default model's 10.00 comes out of its February line, Cohort B's 10.00 out of its March line."""
    lines = (held_line("Investigator grants: patient visits", 1), held_line("Cohort B: patient visits", 2))
    schedule = schedule_of(Budget(currency="USD", lines=lines), [grants(), grants("Cohort B")])
    assert [
        (p.invoice_date.isoformat(), str(p.amount.amount), p.retained and str(p.retained.amount))
        for p in schedule.payments
        if p.kind is PaymentKind.PASS_THROUGH
    ] == [("2027-02-28", "90.00", "10.00"), ("2027-03-31", "90.00", "10.00")]


def test_other_models_must_be_grants_models() -> None:
    budget = priced(grants())
    with pytest.raises(ValidationError) as caught:
        grants().holdback(budget, others=[grants("Cohort A"), "Cohort B"])  # type: ignore[list-item]
    assert caught.value.problems[0].path == "others[1]"
    assert "expected InvestigatorGrants, got 'Cohort B'" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        grants().holds(budget.lines[0], others=[None])  # type: ignore[list-item]
    assert caught.value.problems[0].path == "others[0]"


_NAMES = ["Cohort A", "Cohort A2", "Cohort A: extension", "Cohort", "Sites: Japan", "Cohort B"]


@given(
    models=st.lists(investigator_grants(currency="USD", study=STUDY), min_size=2, max_size=4),
    names=st.lists(st.sampled_from(["", *_NAMES]), min_size=4, max_size=4, unique=True),
)
def test_the_schedule_retains_the_sum_of_each_models_own_holdback(
    models: list[InvestigatorGrants], names: list[str]
) -> None:
    """Grants models of one service with distinct descriptions (one may have none) each hold back their own share.

    Each model's holdback in the shared budget is its holdback in a budget of its own
    lines only, and the schedule retains and releases exactly their sum.
    """
    models = [attrs.evolve(model, description=name) for model, name in zip(models, names, strict=False)]
    budget = priced(*models)
    held = [line for line in budget.lines if "held back" in line.description]
    assert [sum(model.holds(line, others=models) for model in models) for line in held] == [1] * len(held)
    alone = [model.holdback(priced(model)) for model in models]
    assert [model.holdback(budget, others=models) for model in models] == alone
    if all(model.description for model in models):
        assert [model.holdback(budget) for model in models] == alone
    schedule = schedule_of(budget, models)
    assert retained(schedule) == released(schedule) == sum(alone, usd("0"))
    assert schedule.total == budget.total


def test_a_model_in_another_currency_holds_back_its_share_of_its_converted_lines() -> None:
    """A EUR grants model's lines converted into a USD budget: 10% of the converted lines is retained.

    Before, the builder skipped every model not in the budget's currency, and nothing was
    retained.
    """
    model = grants(currency="EUR")
    rates = FxTable(rates=(FxRate(base="EUR", quote="USD", rate="1.0837", as_of=date(2020, 1, 1), source="test"),))
    budget, _ = convert_budget(model.price(STUDY, DRIVERS, registry=REGISTRY), "USD", fx=rates, on=STUDY.start_date)
    expected = held_share(budget, "Investigator grants", "0.10")
    # 10% of 186800.00 EUR x 1.0837 = 202435.16 USD of converted patient payments
    assert expected == usd("20243.52")
    assert model.holdback(budget) == expected
    schedule = schedule_of(budget, [model])
    assert retained(schedule) == released(schedule) == expected
    assert schedule.total == budget.total


def test_the_contract_date_schedule_retains_a_foreign_currency_grants_holdback() -> None:
    """Helix's grants priced in JPY into a USD bid: the contract-date schedule retains 10% of their USD lines."""
    helix = SCENARIO.candidates[1]
    assert helix.proposal is not None
    (dollars,) = [item for item in helix.proposal.items if isinstance(item, InvestigatorGrants)]
    yen = attrs.evolve(
        dollars,
        fee_per_visit=Money("180000", "JPY"),
        screen_failure_fee=Money("60000", "JPY"),
        early_termination_fee=Money("90000", "JPY"),
        startup_fee_per_site=Money("700000", "JPY"),
        visit_fees=(),
    )
    items = tuple(yen if item is dollars else item for item in helix.proposal.items)
    proposal = attrs.evolve(helix.proposal, items=items, other_currencies=("JPY",))
    rates = (
        FxRate(base="JPY", quote="USD", rate="0.0067", as_of=date(2027, 1, 1), source="test"),
        FxRate(base="JPY", quote="USD", rate="0.0070", as_of=date(2028, 1, 1), source="test"),
    )
    single = attrs.evolve(SCENARIO, candidates=(attrs.evolve(helix, proposal=proposal),), fx=FxTable(rates=rates))
    result = evaluate(single).candidate("helix-cro")
    assert result.budget is not None
    assert result.schedule is not None
    expected = held_share(result.budget, dollars.description, "0.10")
    assert expected.amount > 0
    assert retained(result.schedule) == released(result.schedule) == expected
    assert result.schedule.total == result.budget.total


def hand_line(description: str, amount: str, *, kind: PricingKind, bucket: CostBucket) -> LineItem:
    return line(amount, (1,), description=description, service="crokit:investigator-grants", kind=kind, bucket=bucket)


def test_a_grants_line_in_the_cro_fees_bucket_is_held_back_as_a_fee_not_as_a_grant() -> None:
    """A hand-written grants line in the CRO-fees bucket no longer switches off the terms' holdback.

    Before, the grants model held it, and the February fee invoice it shared with
    1000.00 of fees kept only its 10.00 grants retention: the terms' 10% of the whole
    invoice (110.00) was silently not held back.
    """
    fee = hand_line("Site management", "1000.00", kind=PricingKind.UNIT, bucket=CostBucket.CRO_DIRECT_FEES)
    note = "Investigator grants: patient visits (10% held back to close-out)"
    odd = hand_line(note, "100.00", kind=PricingKind.GRANTS, bucket=CostBucket.CRO_DIRECT_FEES)
    model = grants()
    assert not model.holds(odd)
    assert model.holds(attrs.evolve(odd, bucket=CostBucket.INVESTIGATOR_GRANTS))
    budget = Budget(currency="USD", lines=(fee, odd))
    assert model.holdback(budget).is_zero()
    schedule = build_schedule(
        budget,
        contract_start=STUDY.start_date,
        milestones=FULL_PLAN,
        terms=BillingTerms(holdback_share="0.10"),
        grants=[model],
    )
    assert [(p.kind, str(p.amount.amount), p.retained and str(p.retained.amount)) for p in schedule.payments] == [
        (PaymentKind.SERVICE_PERIOD, "990.00", "110.00"),
        (PaymentKind.HOLDBACK_RELEASE, "110.00", None),
    ]
    assert released(schedule).is_zero()
    assert schedule.total == budget.total
