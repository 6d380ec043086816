"""Cash flow by calendar month: what is paid each month, and in all so far.

>>> from datetime import date
>>> from crokit import Money
>>> from crokit.schedule import Payment, PaymentKind, PaymentSchedule
>>> def pay(due: date, amount: str) -> Payment:
...     return Payment(due=due, invoice_date=due, amount=Money(amount, "USD"),
...                    kind=PaymentKind.SERVICE_PERIOD, description=f"Services {due:%Y-%m}")
>>> schedule = PaymentSchedule(currency="USD", contract_start=date(2027, 1, 1),
...                            payments=(pay(date(2027, 1, 31), "100.00"), pay(date(2027, 3, 31), "50.00")))
>>> for row in cash_flow(schedule):
...     print(row.month, row.paid, row.cumulative)
2027-01-01 100.00 USD 100.00 USD
2027-02-01 0 USD 100.00 USD
2027-03-01 50.00 USD 150.00 USD
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from crokit._typed import typed_fields
from crokit._validators import is_date
from crokit.errors import ValidationError
from crokit.money import Money
from crokit.schedule.payments import PaymentSchedule

__all__ = ["CashFlowRow", "cash_flow"]


def _money(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Money):
        raise ValidationError.at(attribute.name, f"expected Money, got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CashFlowRow:
    """What is paid in one calendar month.

    Attributes:
        month: The month's first day.
        paid: The payments due in the month (zero if none).
        cumulative: Everything paid up to the end of the month.
    """

    month: dt.date = attrs.field(validator=is_date)
    paid: Money = attrs.field(validator=_money)
    cumulative: Money = attrs.field(validator=_money)


def cash_flow(schedule: PaymentSchedule) -> tuple[CashFlowRow, ...]:
    """One row per calendar month from the first payment's month to the last's, empty months included.

    The last row's ``cumulative`` is the schedule's total; a schedule without
    payments has no rows.
    """
    by_month = schedule.by_month()
    if not by_month:
        return ()
    zero = Money.zero(schedule.currency)
    month, last = min(by_month), max(by_month)
    running = zero
    rows = []
    while month <= last:
        paid = by_month.get(month, zero)
        running += paid
        rows.append(CashFlowRow(month=month, paid=paid, cumulative=running))
        month += relativedelta(months=1)
    return tuple(rows)
