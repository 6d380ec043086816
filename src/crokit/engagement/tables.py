"""Actuals from CSV: work done, milestones reached and invoice lines, one row each.

Finance and clinical operations keep actuals in spreadsheets. :func:`read_actuals_csv`
reads one CSV text with a header row and a ``record`` column saying what each row is:


- ``work``: ``month`` (``2027-03``), ``basis``, ``quantity``, ``service`` (optional);
- ``milestone``: ``milestone`` (``first-patient-in``), ``date``;
- ``invoice``: ``invoice`` (number), ``date`` (issued), ``currency``, ``service``,
  ``quantity``, ``unit_price``, ``amount``, ``basis`` (optional), ``paid_on``
  (optional), ``description`` (optional); one row per invoice line, the rows of one
  invoice number grouped into one invoice.

Every problem is reported at once, each with its row number (the header is row 1) and
column: ``row 4, quantity: expected a quantity >= 0, got -3``. Numbers are read from
their text exactly; nothing is rounded or guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Callable, Mapping
from typing import Any, Final

from crokit.engagement.actuals import Actuals, Invoice, InvoiceLine, MilestoneReached, WorkDone
from crokit.errors import CrokitError, Problem, ValidationError
from crokit.money import Money

__all__ = ["read_actuals_csv"]

_REQUIRED: Final = {
    "work": ("month", "basis", "quantity"),
    "milestone": ("milestone", "date"),
    "invoice": ("invoice", "date", "currency", "service", "quantity", "unit_price", "amount"),
}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError.at("", f"expected a date like 2027-03-31, got {text!r}") from None


def _cell(row: Mapping[str, str], name: str) -> str | None:
    value = (row.get(name) or "").strip()
    return value or None


def _text(row: Mapping[str, str], name: str) -> str:
    return _cell(row, name) or ""


def _dated(row: Mapping[str, str], name: str) -> dt.date:
    try:
        return _date(_text(row, name))
    except ValidationError as error:
        raise error.with_prefix(name) from None


def _work(row: Mapping[str, str]) -> WorkDone:
    return WorkDone(
        month=_text(row, "month"),
        basis=_text(row, "basis"),
        quantity=_text(row, "quantity"),
        service=_cell(row, "service"),
    )


def _milestone(row: Mapping[str, str]) -> MilestoneReached:
    return MilestoneReached(milestone=_text(row, "milestone"), on=_dated(row, "date"))


def _money(row: Mapping[str, str], name: str, currency: str) -> Money:
    try:
        return Money(_text(row, name), currency)
    except CrokitError as error:
        raise ValidationError.at(name, str(error)) from None


def _line(row: Mapping[str, str], currency: str) -> InvoiceLine:
    return InvoiceLine(
        service=_text(row, "service"),
        quantity=_text(row, "quantity"),
        unit_price=_money(row, "unit_price", currency),
        amount=_money(row, "amount", currency),
        basis=_cell(row, "basis"),
        description=_text(row, "description"),
    )


def _build(number: int, problems: list[Problem], make: Callable[[], Any]) -> Any:
    try:
        return make()
    except ValidationError as error:
        problems.extend(
            Problem(path=f"row {number}" + (f", {p.path}" if p.path else ""), message=p.message) for p in error.problems
        )
    except CrokitError as error:
        problems.append(Problem(path=f"row {number}", message=str(error)))
    return None


def read_actuals_csv(text: str, *, as_of: dt.date) -> Actuals:
    """The actuals in CSV *text* (see the module's table), recorded as of *as_of*.

    Raises:
        ValidationError: Listing every problem with its row and column: an unknown
            ``record``, a missing column or value, a value of the wrong kind, an invoice
            whose rows disagree on its date, currency or payment, or anything dated after
            *as_of*.
    """
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    if reader.fieldnames is None or "record" not in reader.fieldnames:
        raise ValidationError.at("row 1", "expected a header row with a 'record' column")
    problems: list[Problem] = []
    work: list[WorkDone] = []
    milestones: list[MilestoneReached] = []
    invoices: dict[str, dict[str, Any]] = {}
    for number, row in enumerate(reader, start=2):
        if None in row:
            problems.append(Problem(path=f"row {number}", message="has more cells than the header has columns"))
            continue
        record = _cell(row, "record")
        if record not in _REQUIRED:
            problems.append(
                Problem(path=f"row {number}, record", message=f"expected work, milestone or invoice, got {record!r}")
            )
            continue
        missing = [name for name in _REQUIRED[record] if _cell(row, name) is None]
        if missing:
            problems.extend(Problem(path=f"row {number}, {name}", message="is empty") for name in missing)
            continue
        if record == "work":
            made = _build(number, problems, functools.partial(_work, row))
            if made is not None:
                work.append(made)
        elif record == "milestone":
            made = _build(number, problems, functools.partial(_milestone, row))
            if made is not None:
                milestones.append(made)
        else:
            _invoice_row(number, row, invoices, problems)
    built: list[Invoice] = []
    for invoice_number, parts in invoices.items():
        made = _build(
            parts["row"],
            problems,
            functools.partial(
                Invoice,
                number=invoice_number,
                issued=parts["issued"],
                currency=parts["currency"],
                lines=parts["lines"],
                paid_on=parts["paid_on"],
            ),
        )
        if made is not None:
            built.append(made)
    if problems:
        raise ValidationError(problems)
    try:
        return Actuals(as_of=as_of, work=work, milestones=milestones, invoices=built)
    except ValidationError as error:
        raise ValidationError([Problem(path=p.path, message=p.message) for p in error.problems]) from None


def _invoice_row(
    number: int, row: Mapping[str, str], invoices: dict[str, dict[str, Any]], problems: list[Problem]
) -> None:
    currency = _cell(row, "currency") or ""
    line = _build(number, problems, functools.partial(_line, row, currency))
    issued = _build(number, problems, functools.partial(_dated, row, "date"))
    paid_text = _cell(row, "paid_on")
    paid = _build(number, problems, functools.partial(_dated, row, "paid_on")) if paid_text else None
    if line is None or issued is None or (paid_text and paid is None):
        return
    key = _cell(row, "invoice") or ""
    parts = invoices.setdefault(
        key, {"row": number, "issued": issued, "currency": currency, "paid_on": paid, "lines": []}
    )
    for name, value in (("issued", issued), ("currency", currency), ("paid_on", paid)):
        if parts[name] != value:
            problems.append(
                Problem(
                    path=f"row {number}, {'date' if name == 'issued' else name}",
                    message=f"invoice {key!r} has {parts[name]} on row {parts['row']}, got {value}",
                )
            )
            return
    parts["lines"].append(line)
