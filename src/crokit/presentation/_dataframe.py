"""Records and pandas DataFrames of budgets, schedules, rankings and evaluations (public in :mod:`crokit.dataframe`)."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias

import attrs

from crokit._views import JsonValue, Numeric
from crokit.errors import MissingDependencyError, ValidationError
from crokit.money import Money
from crokit.presentation._precision import RATIO_PLACES, at_minor_units, rounded_ratio
from crokit.pricing.budget import Budget
from crokit.scenario import Evaluation
from crokit.schedule.payments import PaymentSchedule
from crokit.selection.models import Ranking

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RATIO_PLACES", "Tabular", "to_dataframe", "to_records"]

Tabular: TypeAlias = Budget | PaymentSchedule | Ranking | Evaluation
"""What :func:`to_records` and :func:`to_dataframe` accept."""

_Cell: TypeAlias = str | int | float | bool | list[int] | Decimal | dt.date | None


@attrs.frozen
class _Table:
    """Rows with native cells; ``numbers`` and ``dates`` name the Decimal and date columns."""

    columns: tuple[str, ...]
    rows: list[dict[str, _Cell]]
    numbers: frozenset[str] = frozenset()
    dates: frozenset[str] = frozenset()


def _amount(money: Money | None) -> Decimal | None:
    return None if money is None else at_minor_units(money)


def _ratio(value: Decimal | None) -> Decimal | None:
    return None if value is None else rounded_ratio(value)


def _value(member: enum.Enum | None) -> str | None:
    return None if member is None else str(member.value)


def _budget(budget: Budget) -> _Table:
    columns = (
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
    )
    rows: list[dict[str, _Cell]] = [
        {
            "service": line.service,
            "stage": line.stage.value,
            "kind": line.kind.value,
            "bucket": line.bucket.value,
            "description": line.description,
            "basis": _value(line.basis),
            "quantity": line.quantity,
            "unit_price": _amount(line.unit_price),
            "amount": _amount(line.amount),
            "currency": line.amount.currency,
            "months": list(line.months),
        }
        for line in budget.lines
    ]
    return _Table(columns, rows, numbers=frozenset({"quantity", "unit_price", "amount"}))


def _schedule(schedule: PaymentSchedule) -> _Table:
    columns = (
        "due",
        "invoice_date",
        "kind",
        "description",
        "milestone",
        "amount",
        "retained",
        "currency",
        "lines",
    )
    rows: list[dict[str, _Cell]] = [
        {
            "due": payment.due,
            "invoice_date": payment.invoice_date,
            "kind": payment.kind.value,
            "description": payment.description,
            "milestone": _value(payment.milestone),
            "amount": _amount(payment.amount),
            "retained": _amount(payment.retained),
            "currency": payment.amount.currency,
            "lines": "; ".join(f"{service} / {description}" for service, description in payment.lines),
        }
        for payment in schedule.payments
    ]
    return _Table(columns, rows, numbers=frozenset({"amount", "retained"}), dates=frozenset({"due", "invoice_date"}))


def _ranking(ranking: Ranking) -> _Table:
    columns = ("candidate", "name", "eligible", "rank", "score", "reasons", *ranking.criteria)
    rows: list[dict[str, _Cell]] = []
    for card in ranking.scorecards:
        row: dict[str, _Cell] = {
            "candidate": card.candidate,
            "name": card.name,
            "eligible": True,
            "rank": card.rank,
            "score": card.score,
            "reasons": "",
        }
        contributions = dict(card.contributions)
        row.update({criterion: contributions.get(criterion) for criterion in ranking.criteria})
        rows.append(row)
    for exclusion in ranking.excluded:
        row = {
            "candidate": exclusion.candidate,
            "name": exclusion.name,
            "eligible": False,
            "rank": None,
            "score": None,
            "reasons": "; ".join(exclusion.reasons),
        }
        row.update(dict.fromkeys(ranking.criteria))
        rows.append(row)
    return _Table(columns, rows)


def _evaluation(evaluation: Evaluation) -> _Table:
    columns = (
        "id",
        "name",
        "eligible",
        "rank",
        "score",
        "total",
        "cost_per_patient",
        "benchmark_ratio",
        "currency",
        "reasons",
    )
    rows: list[dict[str, _Cell]] = [
        {
            "id": result.id,
            "name": result.name,
            "eligible": result.eligible,
            "rank": result.rank,
            "score": result.score,
            "total": None if result.budget is None else _amount(result.budget.total),
            "cost_per_patient": _amount(result.cost_per_patient),
            "benchmark_ratio": None if result.benchmark is None else _ratio(result.benchmark.ratio),
            "currency": evaluation.currency,
            "reasons": "; ".join(result.reasons),
        }
        for result in evaluation.candidates
    ]
    return _Table(columns, rows, numbers=frozenset({"total", "cost_per_patient", "benchmark_ratio"}))


def _table(obj: object) -> _Table:
    if isinstance(obj, Budget):
        return _budget(obj)
    if isinstance(obj, PaymentSchedule):
        return _schedule(obj)
    if isinstance(obj, Ranking):
        return _ranking(obj)
    if isinstance(obj, Evaluation):
        return _evaluation(obj)
    raise ValidationError.at(
        "obj", f"expected a Budget, PaymentSchedule, Ranking or Evaluation, got {type(obj).__name__}"
    )


def _json(cell: _Cell) -> JsonValue:
    if isinstance(cell, Decimal):
        return str(cell)
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return cell


def to_records(obj: Tabular) -> list[dict[str, JsonValue]]:
    """One JSON-safe dict per row of *obj* (see the module docstring for the columns).

    Money amounts, quantities and ratios are decimal strings (``"54000.00"``), money at
    its currency's minor units and ratios rounded to :data:`RATIO_PLACES` places; dates
    are ISO strings (``"2027-03-17"``); every row has every column, ``None`` where a value
    is missing.

    Raises:
        ValidationError: If *obj* is not a Budget, PaymentSchedule, Ranking or Evaluation.
    """
    table = _table(obj)
    return [{column: _json(row[column]) for column in table.columns} for row in table.rows]


def to_dataframe(obj: Tabular, *, numeric: Numeric = "decimal") -> pd.DataFrame:
    """A pandas DataFrame of *obj*'s rows, with the columns of :func:`to_records`.

    Args:
        obj: A Budget, PaymentSchedule, Ranking or Evaluation.
        numeric: How money (and quantities and ratios) is held: ``"decimal"`` (the
            default) keeps :class:`~decimal.Decimal` objects at the currency's minor
            units, so ``df["amount"].sum()`` is exact; ``"float"`` converts them to
            floats (missing values become NaN), for statistics and plotting.

    Date columns hold pandas timestamps, and ``rank`` is a nullable integer column
    (``<NA>`` for an excluded candidate). A missing value in a Decimal or other object
    column is ``<NA>`` (``pd.NA``), never ``None``; ``score`` is NaN for an excluded
    candidate.

    Raises:
        MissingDependencyError: If pandas is not installed (extra ``pandas``).
        ValidationError: If *obj* is not one of the four, or *numeric* is not
            ``"decimal"`` or ``"float"``.
    """
    choice: object = numeric
    if choice not in {"decimal", "float"}:
        raise ValidationError.at("numeric", f"expected 'decimal' or 'float', got {numeric!r}")
    table = _table(obj)
    try:
        import pandas as pd
    except ImportError:
        raise MissingDependencyError("pandas", "pandas") from None
    frame = pd.DataFrame.from_records(
        [[row[column] for column in table.columns] for row in table.rows], columns=list(table.columns)
    )
    if numeric == "float":
        for column in table.numbers:
            frame[column] = frame[column].astype(float)
    for column in table.dates:
        frame[column] = pd.to_datetime(frame[column])
    if "rank" in table.columns:
        frame["rank"] = frame["rank"].astype("Int64")
    for column in table.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].where(frame[column].notna(), pd.NA)
    return frame
