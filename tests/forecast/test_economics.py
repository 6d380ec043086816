"""Programme economics: likelihood of approval, risk-adjusted cost, expected NPV."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import Money, Stage
from crokit.errors import CurrencyMismatchError, UnknownIdError, ValidationError
from crokit.forecast import (
    CashFlowItem,
    PhaseTransitions,
    Programme,
    ProgrammeStudy,
    expected_cost,
    expected_npv,
    likelihood_of_approval,
    risk_adjusted_costs,
)
from crokit.reference import load_published
from crokit.schedule import Payment, PaymentKind, PaymentSchedule
from crokit.testing import likelihoods_of_approval, phase_transitions, programmes

BIO_2021 = ("all", "hematology", "metabolic", "infectious-disease", "ophthalmology", "autoimmune-immunology",
            "gastroenterology", "respiratory", "psychiatry", "endocrine", "neurology", "oncology", "cardiovascular",
            "rare-disease")  # fmt: skip
BIO_2016 = ("all", "oncology", "non-oncology", "solid-tumors", "hematologic-cancers")


@given(phase_transitions())
def test_likelihood_of_approval_is_the_product_of_its_transitions(transitions):
    product = transitions.phase_1 * transitions.phase_2 * transitions.phase_3 * transitions.submission
    assert transitions.likelihood_of_approval == product
    assert transitions.probability_of_reaching(Stage.PHASE_1) == 1
    assert transitions.probability_of_reaching(Stage.PHASE_4) == product


@given(likelihoods_of_approval())
def test_published_likelihoods_are_the_product_of_the_shipped_figures(loa):
    values = [figure.value for figure in loa.steps]
    assert all(value is not None for value in values)
    product = Decimal(1)
    for value in values:
        assert value is not None
        product *= value
    assert loa.probability == product
    assert [figure.phase for figure in loa.steps] == [Stage.PHASE_1, Stage.PHASE_2, Stage.PHASE_3, Stage.SUBMISSION]


@pytest.mark.parametrize(("source", "area"), [("bio-2021", a) for a in BIO_2021] + [("bio-2016", a) for a in BIO_2016])
def test_the_product_agrees_with_the_rounded_published_figure(source, area):
    # Inputs rounded to 3 places move the product by at most about 0.0003 here, and the
    # published LoA is itself rounded to 0.0005: 0.001 bounds the difference.
    loa = likelihood_of_approval(area, source)
    assert loa.published is not None
    assert abs(loa.probability - loa.published) < Decimal("0.001")
    assert loa.steps[0].source.id == source


def test_bio_2021_all_areas_example():
    loa = likelihood_of_approval()
    assert loa.probability == Decimal("0.520") * Decimal("0.289") * Decimal("0.578") * Decimal("0.906")
    assert loa.published == Decimal("0.079")
    assert loa.transitions.source.startswith("BIO")
    assert loa.caveats  # most BIO 2021 cells are transcriptions and say so


def test_unknown_area_or_source_is_refused():
    with pytest.raises(UnknownIdError):
        likelihood_of_approval("astrology")
    with pytest.raises(UnknownIdError):
        likelihood_of_approval("all", "bio-1999")
    with pytest.raises(ValidationError):
        likelihood_of_approval("hematology", "bio-2016")


def test_likelihood_without_a_published_figure_still_computes():
    table = load_published()
    kept = tuple(f for f in table.figures if f.measure != "likelihood-of-approval")
    from crokit.reference import BenchmarkTable

    loa = likelihood_of_approval("all", table=BenchmarkTable(kept, "no published LoA"))
    assert loa.published is None
    assert loa.probability == likelihood_of_approval("all").probability


def usd(amount: str) -> Money:
    return Money(amount, "USD")


TRANSITIONS = PhaseTransitions(phase_1="0.5", phase_2="0.3", phase_3="0.6", submission="0.9")


def test_stage_gates_weight_each_study():
    programme = Programme(
        transitions=TRANSITIONS,
        start=Stage.PHASE_2,
        studies=(
            ProgrammeStudy(name="P2", stage=Stage.PHASE_2, cost=usd("10000000")),
            ProgrammeStudy(name="P3a", stage=Stage.PHASE_3, cost=usd("30000000")),
            ProgrammeStudy(name="P3b", stage=Stage.PHASE_3, cost=usd("30000000")),
            ProgrammeStudy(name="Filing", stage=Stage.SUBMISSION, cost=usd("3000000")),
            ProgrammeStudy(name="P4", stage=Stage.PHASE_4, cost=usd("5000000")),
        ),
    )
    lines = risk_adjusted_costs(programme)
    assert [line.probability for line in lines] == [
        1,
        Decimal("0.3"),
        Decimal("0.3"),
        Decimal("0.18"),
        Decimal("0.162"),
    ]
    assert expected_cost(programme) == usd("29350000.00")  # 10 + 9 + 9 + 0.54 + 0.81 million


@given(programmes())
def test_expected_cost_is_the_rounded_sum_of_exact_lines_and_at_most_the_cost(programme):
    if not programme.studies:
        assert expected_cost(programme, currency="USD") == usd("0")
        return
    lines = risk_adjusted_costs(programme)
    exact = sum((line.expected.amount for line in lines), Decimal(0))
    result = expected_cost(programme)
    assert result.amount == exact.quantize(Decimal("0.01"))
    assert result.amount <= sum((s.cost.amount for s in programme.studies), Decimal(0))


def test_expected_npv_matches_the_schedule_npv_when_every_gate_is_certain():
    certain = PhaseTransitions(phase_1=1, phase_2=1, phase_3=1, submission=1)
    days = [dt.date(2027, 3, 1), dt.date(2028, 7, 15), dt.date(2030, 1, 1)]
    amounts = ["1000000.00", "2500000.55", "333333.33"]
    programme = Programme(
        transitions=certain,
        cash_flows=tuple(
            CashFlowItem(on=d, amount=usd(a), stage=Stage.PHASE_2) for d, a in zip(days, amounts, strict=True)
        ),
    )
    payments = tuple(
        Payment(due=d, invoice_date=d, amount=usd(a), kind=PaymentKind.SERVICE_PERIOD, description="x")
        for d, a in zip(days, amounts, strict=True)
    )
    schedule = PaymentSchedule(currency="USD", contract_start=dt.date(2027, 1, 1), payments=payments)
    for rate in ("0", "0.08", "0.25"):
        assert expected_npv(programme, annual_rate=rate, valuation_date=dt.date(2027, 1, 1)) == schedule.npv(
            rate, dt.date(2027, 1, 1)
        )


@given(programmes(), st.sampled_from(["0", "0.05", "0.1"]))
def test_expected_npv_with_a_zero_rate_is_the_probability_weighted_sum(programme, rate):
    if not programme.cash_flows:
        return
    value = expected_npv(programme, annual_rate="0", valuation_date=dt.date(2027, 1, 1))
    weighted = sum(
        (flow.amount.amount * programme.probability_of_reaching(flow.stage) for flow in programme.cash_flows),
        Decimal(0),
    )
    assert value.amount == weighted.quantize(Decimal("0.01"))
    assert expected_npv(programme, annual_rate=rate, valuation_date=dt.date(2027, 1, 1)).currency == "USD"


def test_bad_programmes_are_refused():
    with pytest.raises(ValidationError, match="stage"):
        ProgrammeStudy(name="Seamless", stage=Stage.PHASE_2_3, cost=usd("1"))
    with pytest.raises(ValidationError, match=r"studies\[0\]\.stage"):
        Programme(
            transitions=TRANSITIONS,
            start=Stage.PHASE_3,
            studies=(ProgrammeStudy(name="P2", stage=Stage.PHASE_2, cost=usd("1")),),
        )
    with pytest.raises(ValidationError, match="cost"):
        ProgrammeStudy(name="P2", stage=Stage.PHASE_2, cost=usd("-1"))
    with pytest.raises(ValidationError, match="phase_1"):
        PhaseTransitions(phase_1="1.2", phase_2=1, phase_3=1, submission=1)
    with pytest.raises(CurrencyMismatchError):
        expected_cost(
            Programme(
                transitions=TRANSITIONS,
                studies=(
                    ProgrammeStudy(name="a", stage=Stage.PHASE_1, cost=usd("1")),
                    ProgrammeStudy(name="b", stage=Stage.PHASE_1, cost=Money("1", "EUR")),
                ),
            )
        )
    with pytest.raises(ValidationError, match="annual_rate"):
        expected_npv(Programme(transitions=TRANSITIONS), annual_rate="-1", valuation_date=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError, match="currency"):
        expected_cost(Programme(transitions=TRANSITIONS))
    with pytest.raises(ValidationError, match="stage"):
        TRANSITIONS.probability_of_reaching(Stage.PHASE_1, start=Stage.PHASE_3)
