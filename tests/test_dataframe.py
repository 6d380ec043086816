from __future__ import annotations

import json
import sys
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import Registry
from crokit.dataframe import to_dataframe, to_records
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.errors import MissingDependencyError, ValidationError
from crokit.money import Money
from crokit.presentation._dataframe import RATIO_PLACES, _amount
from crokit.pricing.budget import Budget
from crokit.scenario import Evaluation, evaluate
from crokit.schedule.payments import PaymentSchedule


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return evaluate(demo_scenario(), seed=DEMO_SEED, registry=Registry.builtin())


@pytest.fixture(scope="module")
def budget(evaluation: Evaluation) -> Budget:
    result = evaluation.candidates[0]
    assert result.budget is not None
    return result.budget


@pytest.fixture(scope="module")
def schedule(evaluation: Evaluation) -> PaymentSchedule:
    result = evaluation.candidates[0]
    assert result.schedule is not None
    return result.schedule


def test_budget_records_are_json_safe_and_exact(budget: Budget) -> None:
    records = to_records(budget)
    assert len(records) == len(budget.lines)
    assert json.loads(json.dumps(records)) == records
    first, line = records[0], budget.lines[0]
    assert list(first) == [
        "service",
        "stage",
        "kind",
        "bucket",
        "description",
        "basis",
        "quantity",
        "unit_price",
        "amount",
        "currency",
        "months",
    ]
    assert first["service"] == line.service
    assert first["stage"] == line.stage.value
    assert first["amount"] == str(line.amount.amount)
    assert first["quantity"] == str(line.quantity)
    assert first["months"] == list(line.months)
    total = sum((Decimal(str(record["amount"])) for record in records), Decimal(0))
    assert total == budget.total.amount


def test_schedule_records(schedule: PaymentSchedule) -> None:
    records = to_records(schedule)
    assert len(records) == len(schedule.payments)
    json.dumps(records)
    payment = schedule.payments[0]
    assert records[0]["due"] == payment.due.isoformat()
    assert records[0]["invoice_date"] == payment.invoice_date.isoformat()
    assert records[0]["kind"] == payment.kind.value
    assert records[0]["amount"] == str(payment.amount.amount)
    assert all(set(record) == set(records[0]) for record in records)


def test_ranking_records_cover_scorecards_and_excluded(evaluation: Evaluation) -> None:
    ranking = evaluation.ranking
    records = to_records(ranking)
    json.dumps(records)
    assert len(records) == len(ranking.scorecards) + len(ranking.excluded)
    assert [r["candidate"] for r in records[: len(ranking.scorecards)]] == [c.candidate for c in ranking.scorecards]
    excluded = records[-1]
    assert excluded["eligible"] is False
    assert excluded["rank"] is None
    assert excluded["reasons"]
    for criterion in ranking.criteria:
        assert records[0][criterion] == dict(ranking.scorecards[0].contributions)[criterion]
        assert excluded[criterion] is None


def test_evaluation_records(evaluation: Evaluation) -> None:
    records = evaluation.to_records()
    assert json.loads(json.dumps(records)) == records
    assert [r["id"] for r in records] == [c.id for c in evaluation.candidates]
    first = evaluation.candidates[0]
    assert first.budget is not None
    assert first.cost_per_patient is not None
    assert records[0]["total"] == str(first.budget.total.amount)
    assert records[0]["cost_per_patient"] == str(first.cost_per_patient.amount)
    assert records[0]["rank"] == 1
    last = records[-1]
    assert last["eligible"] is False
    assert last["total"] is None
    assert "; " in str(last["reasons"])


def test_methods_delegate(evaluation: Evaluation, budget: Budget, schedule: PaymentSchedule) -> None:
    assert budget.to_records() == to_records(budget)
    assert schedule.to_records() == to_records(schedule)
    assert evaluation.ranking.to_records() == to_records(evaluation.ranking)
    assert budget.to_dataframe().equals(to_dataframe(budget))
    assert len(schedule.to_dataframe(numeric="float")) == len(schedule.payments)
    assert len(evaluation.ranking.to_dataframe()) == 5
    assert len(evaluation.to_dataframe()) == len(evaluation.candidates)


def test_dataframe_keeps_decimals_exact(budget: Budget) -> None:
    frame = to_dataframe(budget)
    assert isinstance(frame["amount"].iloc[0], Decimal)
    assert frame["amount"].sum() == budget.total.amount
    assert list(frame.columns) == list(to_records(budget)[0])


def test_dataframe_float_numbers(budget: Budget, evaluation: Evaluation) -> None:
    frame = to_dataframe(budget, numeric="float")
    assert frame["amount"].dtype == "float64"
    assert frame["amount"].sum() == pytest.approx(float(budget.total.amount))
    candidates = to_dataframe(evaluation, numeric="float")
    assert candidates["total"].isna().iloc[-1]
    assert candidates["rank"].dtype == "Int64"


def test_dataframe_dates_are_timestamps(schedule: PaymentSchedule) -> None:
    frame = to_dataframe(schedule)
    assert pd.api.types.is_datetime64_any_dtype(frame["due"])
    assert frame["due"].iloc[0].date() == schedule.payments[0].due


def test_empty_budget_has_columns() -> None:
    empty = Budget(currency="EUR")
    assert to_records(empty) == []
    frame = to_dataframe(empty, numeric="float")
    assert len(frame) == 0
    assert "amount" in frame.columns


def test_refuses_other_objects_and_options(budget: Budget) -> None:
    with pytest.raises(ValidationError, match="Budget, PaymentSchedule, Ranking or Evaluation"):
        to_records("budget")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="numeric"):
        to_dataframe(budget, numeric="int")  # type: ignore[arg-type]


def test_missing_pandas(monkeypatch: pytest.MonkeyPatch, budget: Budget) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingDependencyError, match=r"crokit\[pandas\]") as info:
        to_dataframe(budget)
    assert info.value.package == "pandas"
    assert info.value.extra == "pandas"
    assert to_records(budget)  # records need no pandas


MONEY_COLUMNS = {
    "budget": ("unit_price", "amount"),
    "schedule": ("amount", "retained"),
    "evaluation": ("total", "cost_per_patient"),
}


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return -exponent


def test_money_columns_have_the_currency_places(
    evaluation: Evaluation, budget: Budget, schedule: PaymentSchedule
) -> None:
    frames = {
        "budget": to_dataframe(budget),
        "schedule": to_dataframe(schedule),
        "evaluation": to_dataframe(evaluation),
    }
    for name, columns in MONEY_COLUMNS.items():
        for column in columns:
            values = [value for value in frames[name][column] if not pd.isna(value)]
            assert values, (name, column)
            assert all(isinstance(value, Decimal) and _places(value) == 2 for value in values), (name, column)
    # a unit price written 14000.000 in the proposal is shown at the currency's places
    assert any(_places(line.unit_price.amount) > 2 for line in budget.lines)
    assert [str(record["unit_price"]) for record in to_records(budget)] == [
        f"{line.unit_price.amount:.2f}" for line in budget.lines
    ]


@given(st.from_type(Money))
def test_money_cells_keep_the_value_at_least_at_the_minor_units(money: Money) -> None:
    cell = _amount(money)
    assert cell == money.amount
    assert cell is not None
    assert _places(cell) >= (money.minor_unit or 0)
    assert _places(cell) in {money.minor_unit or 0, _places(money.amount)}


def test_a_zero_amount_is_written_at_the_currency_places() -> None:
    assert str(_amount(Money(Decimal("0E-11"), "USD"))) == "0.00"
    assert str(_amount(Money(Decimal("0E-11"), "JPY"))) == "0"
    assert str(_amount(Money(Decimal("186.3333"), "USD"))) == "186.3333"


def test_benchmark_ratio_is_rounded_to_four_places(evaluation: Evaluation) -> None:
    records = to_records(evaluation)
    frame = to_dataframe(evaluation)
    for record, result, cell in zip(records, evaluation.candidates, frame["benchmark_ratio"], strict=True):
        if result.benchmark is None or result.benchmark.ratio is None:
            assert record["benchmark_ratio"] is None
            assert pd.isna(cell)
            continue
        exact = result.benchmark.ratio
        assert record["benchmark_ratio"] == str(exact.quantize(Decimal("0.0001")))
        assert _places(cell) == RATIO_PLACES
        assert abs(cell - exact) <= Decimal("0.00005")
    assert records[0]["benchmark_ratio"] == "0.3691"


def test_excluded_candidates_have_explicit_values(evaluation: Evaluation) -> None:
    for frame in (to_dataframe(evaluation), to_dataframe(evaluation, numeric="float")):
        excluded = frame[~frame["eligible"]]
        assert len(excluded) == 1
        row = excluded.iloc[0]
        assert not row["eligible"]
        assert row["rank"] is pd.NA
        assert pd.isna(row["score"])
        assert pd.isna(row["total"])
        assert row["reasons"].startswith("does not offer required services")
        assert row["currency"] == "USD"
    decimals = to_dataframe(evaluation)
    assert decimals["total"].iloc[-1] is pd.NA  # not None: missing money reads <NA>, like rank
    assert decimals["total"].sum() == sum(r.budget.total.amount for r in evaluation.candidates if r.budget)
    ranking = to_dataframe(evaluation.ranking)
    assert ranking["rank"].iloc[-1] is pd.NA
    assert ranking["reasons"].iloc[-1]
    assert (ranking["reasons"].iloc[:-1] == "").all()
