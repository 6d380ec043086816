"""Payments over real dates, and the schedule that holds them.

A :class:`PaymentSchedule` is a sorted tuple of :class:`Payment` values in one
currency. Amounts are exact and never rounded again: the schedule's roll-ups (by
month, cumulative) add them exactly. Only :meth:`PaymentSchedule.npv` rounds, once,
at the end.

>>> from datetime import date
>>> from crokit import Money
>>> payment = Payment(due=date(2027, 3, 2), invoice_date=date(2027, 1, 31), amount=Money("900.00", "USD"),
...                   kind=PaymentKind.SERVICE_PERIOD, description="Services 2027-01")
>>> schedule = PaymentSchedule(currency="USD", contract_start=date(2027, 1, 4), payments=(payment,))
>>> str(schedule.npv("0", date(2027, 1, 4)))
'900.00 USD'
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from crokit import _text, _views
from crokit._convert import to_tuple
from crokit._decimal import CONTEXT, in_crokit_context, to_decimal
from crokit._typed import typed_fields, unchecked
from crokit._validators import as_member, is_date, is_member, non_empty_text
from crokit.errors import CurrencyMismatchError, ValidationError
from crokit.money import Money, RoundingPolicy, total, validate_currency
from crokit.vocabulary.lifecycle import Milestone, _as_milestone

if TYPE_CHECKING:
    import pandas as pd

    from crokit._views import JsonValue, Numeric

__all__ = ["DAYS_PER_YEAR", "Payment", "PaymentKind", "PaymentSchedule", "month_index", "month_start", "payment_order"]

DAYS_PER_YEAR = Decimal(365)
"""The ACT/365 fixed day count: a year is 365 days whatever the calendar says."""


def month_start(day: dt.date) -> dt.date:
    """The first day of *day*'s calendar month."""
    return day.replace(day=1)


def month_index(start: dt.date, day: dt.date) -> int:
    """The study month of *day*, counted from *start*'s month (month 0), as schedules count them."""
    return (day.year - start.year) * 12 + day.month - start.month


class PaymentKind(enum.Enum):
    """What a payment is for.

    - ``MILESTONE``: a fixed-fee payment on a milestone.
    - ``SERVICE_PERIOD``: CRO fees for a billing period (unit, FTE, management fees, ...).
    - ``PASS_THROUGH``: pass-through costs and investigator grants, at cost.
    - ``HOLDBACK_RELEASE``: everything retained from earlier invoices, paid on the
      release milestone.
    """

    MILESTONE = "milestone"
    SERVICE_PERIOD = "service-period"
    PASS_THROUGH = "pass-through"
    HOLDBACK_RELEASE = "holdback-release"


def _as_payment_kind(value: object) -> object:
    """A converter: text (the value or name) to PaymentKind member (see :func:`crokit._members.as_member`)."""
    return as_member(PaymentKind, value)


def _money(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Money):
        raise ValidationError.at(attribute.name, f"expected Money, got {value!r}")
    if not value.is_rounded():
        raise ValidationError.at(attribute.name, f"expected whole {value.currency} minor units, got {value}")


def _is_key(key: object) -> bool:
    return type(key) is tuple and len(key) == 2 and type(key[0]) is str and type(key[1]) is str  # noqa: PLR2004 - a pair


def _keys(value: Iterable[object]) -> tuple[tuple[str, str], ...]:
    if type(value) is tuple and all(_is_key(key) for key in value):
        return value  # already a tuple of (service, description) pairs
    result = []
    for index, key in enumerate(value):
        if not isinstance(key, tuple | list) or len(key) != 2 or not all(isinstance(part, str) for part in key):  # noqa: PLR2004 - a pair
            raise ValidationError.at(f"lines[{index}]", f"expected a (service, description) pair, got {key!r}")
        result.append((key[0], key[1]))
    return tuple(result)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Payment:
    """One payment the sponsor owes the CRO.

    Attributes:
        due: The day the payment is due (the invoice date plus the payment days).
        invoice_date: The day the CRO invoices it.
        amount: What is paid, in whole minor units; net of any holdback, and negative
            for a credit.
        kind: What the payment is for.
        description: What the payment is, for people (``"Services 2027-01"``).
        lines: The ``(service, description)`` keys of the budget lines it pays for.
        milestone: The milestone it is paid on (milestone payments, holdback releases).
        retained: What the sponsor held back from this invoice, or ``None``.
    """

    due: dt.date = attrs.field(validator=is_date)
    invoice_date: dt.date = attrs.field(validator=is_date)
    amount: Money = attrs.field(validator=_money)
    kind: PaymentKind = attrs.field(converter=_as_payment_kind, validator=is_member(PaymentKind))
    description: str = attrs.field(validator=non_empty_text)
    lines: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_keys)
    milestone: Milestone | None = attrs.field(
        converter=_as_milestone,
        default=None,
        validator=attrs.validators.optional(is_member(Milestone)),
    )
    retained: Money | None = attrs.field(default=None, validator=attrs.validators.optional(_money))

    def __attrs_post_init__(self) -> None:
        """Check the dates, the currency of the holdback and that milestone payments name their milestone."""
        if self.due < self.invoice_date:
            raise ValidationError.at("due", f"the payment is due {self.due}, before it is invoiced {self.invoice_date}")
        if self.retained is not None and self.retained.currency != self.amount.currency:
            raise CurrencyMismatchError(self.amount.currency, self.retained.currency, operation="hold back")
        if self.milestone is None and (self.kind is PaymentKind.MILESTONE or self.kind is PaymentKind.HOLDBACK_RELEASE):
            raise ValidationError.at("milestone", f"a {self.kind.value} payment names the milestone it is paid on")

    @classmethod
    def _trusted(
        cls,
        *,
        due: dt.date,
        invoice_date: dt.date,
        amount: Money,
        kind: PaymentKind,
        description: str,
        lines: tuple[tuple[str, str], ...] = (),
        milestone: Milestone | None = None,
        retained: Money | None = None,
    ) -> Payment:
        """Build a payment from values the schedule builder computed and checked itself.

        Skips the per-field validation of the public constructor (it would only re-check
        what the builder guarantees: rounded Money, dates, known kinds); the invariants
        that tie fields together are still checked.
        """
        payment = unchecked(
            cls,
            due=due,
            invoice_date=invoice_date,
            amount=amount,
            kind=kind,
            description=description,
            lines=lines,
            milestone=milestone,
            retained=retained,
        )
        payment.__attrs_post_init__()
        return payment

    @property
    def sort_key(self) -> tuple[dt.date, str]:
        """How schedules order payments: by due date, then description."""
        return (self.due, self.description)


def payment_order(payment: Payment) -> tuple[dt.date, str, dt.date, str, tuple[tuple[str, str], ...]]:
    """The order in which the builders list payments: :attr:`Payment.sort_key`, then ties broken.

    By due date and description, then invoice date, kind and the lines paid for, so
    that payments alike in due date and description still come in one order.
    """
    return (payment.due, payment.description, payment.invoice_date, payment.kind.value, payment.lines)


def _payments(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    previous: Payment | None = None
    for index, payment in enumerate(value):
        path = f"{attribute.name}[{index}]"
        if not isinstance(payment, Payment):
            raise ValidationError.at(path, f"expected a Payment, got {payment!r}")
        if previous is not None and payment.sort_key < previous.sort_key:
            raise ValidationError.at(
                path,
                f"payments are sorted by due date then description: {payment.sort_key} follows {previous.sort_key}",
            )
        previous = payment


@attrs.frozen(kw_only=True, field_transformer=typed_fields, repr=False)
class PaymentSchedule:
    """Every payment of a contract, in due-date order, in one currency.

    Attributes:
        currency: The ISO 4217 currency of every payment.
        contract_start: The day the contract starts; nothing is invoiced or due before it.
        payments: Sorted by due date, then description.

    Raises:
        ValidationError: If a payment is in another currency, invoiced before the
            contract start or out of order, or if the holdback released differs from
            the holdback retained.
    """

    currency: str = attrs.field(validator=lambda _i, _a, v: validate_currency(v))
    contract_start: dt.date = attrs.field(validator=is_date)
    payments: tuple[Payment, ...] = attrs.field(default=(), converter=to_tuple, validator=_payments)

    def __attrs_post_init__(self) -> None:
        """Check currencies and dates, and that the holdback released is exactly the holdback retained."""
        for index, payment in enumerate(self.payments):
            path = f"payments[{index}]"
            if payment.amount.currency != self.currency:
                raise ValidationError.at(
                    f"{path}.amount", f"expected an amount in {self.currency}, the schedule's currency, got {payment}"
                )
            if payment.invoice_date < self.contract_start:
                raise ValidationError.at(
                    f"{path}.invoice_date",
                    f"invoiced {payment.invoice_date}, before the contract starts on {self.contract_start}",
                )
        released = total(
            (p.amount for p in self.payments if p.kind is PaymentKind.HOLDBACK_RELEASE), currency=self.currency
        )
        if released != self.holdback_retained:
            raise ValidationError.at(
                "payments", f"holdback released {released} differs from holdback retained {self.holdback_retained}"
            )

    @classmethod
    def _trusted(cls, *, currency: str, contract_start: dt.date, payments: tuple[Payment, ...]) -> PaymentSchedule:
        """A schedule of payments the builder made and sorted itself (no per-field re-validation).

        The builder gives a known currency, a date and its own payments already in
        order; the invariants that tie them together (currencies, dates, holdback
        released equal to holdback retained) are still checked.
        """
        schedule = unchecked(cls, currency=currency, contract_start=contract_start, payments=payments)
        schedule.__attrs_post_init__()
        return schedule

    @property
    def total(self) -> Money:
        """The sum of every payment, holdback releases included."""
        return total((payment.amount for payment in self.payments), currency=self.currency)

    @property
    def holdback_retained(self) -> Money:
        """Everything held back from invoices (and paid later, on the release milestone)."""
        return total((p.retained for p in self.payments if p.retained is not None), currency=self.currency)

    def by_month(self) -> dict[dt.date, Money]:
        """Payments by the calendar month they are due (keyed by the month's first day), in date order."""
        sums: dict[dt.date, Money] = {}
        for payment in self.payments:
            month = month_start(payment.due)
            sums[month] = sums.get(month, Money.zero(self.currency)) + payment.amount
        return {month: sums[month] for month in sorted(sums)}

    def cumulative(self) -> dict[dt.date, Money]:
        """The amount paid up to the end of each month that has a payment; the last value is :attr:`total`."""
        running = Money.zero(self.currency)
        result: dict[dt.date, Money] = {}
        for month, paid in self.by_month().items():
            running += paid
            result[month] = running
        return result

    @in_crokit_context
    def npv(self, annual_rate: Decimal | str | int, valuation_date: dt.date) -> Money:
        """The net present value of the payments on *valuation_date*, discounted at *annual_rate*.

        Each payment is multiplied by ``(1 + annual_rate) ** (-days / 365)``, where
        ``days`` runs from *valuation_date* to its due date (day count ACT/365 fixed;
        payments due before the valuation date are compounded forward). Factors and
        the sum are computed in crokit's 34-digit decimal context, and the result is
        rounded once, half-even, to the minor unit.

        Args:
            annual_rate: The effective annual discount rate (``"0.08"`` for 8%), above -1.
            valuation_date: The day values are brought to.

        Raises:
            ValidationError: If the rate is -1 or below.
            InvalidAmountError: If the rate is a float or not a number.
        """
        rate = to_decimal(annual_rate, what="annual rate")
        if rate <= -1:
            raise ValidationError.at("annual_rate", f"expected a rate above -1, got {rate}")
        when: object = valuation_date
        if not isinstance(when, dt.date) or isinstance(when, dt.datetime):
            raise ValidationError.at("valuation_date", f"expected a date like 2027-01-04, got {when!r}")
        base = CONTEXT.add(Decimal(1), rate)
        value = Decimal(0)
        for payment in self.payments:
            days = (payment.due - valuation_date).days
            factor = CONTEXT.power(base, CONTEXT.divide(Decimal(-days), DAYS_PER_YEAR))
            value = CONTEXT.add(value, CONTEXT.multiply(payment.amount.amount, factor))
        return Money(value, self.currency).rounded(RoundingPolicy.HALF_EVEN)

    def to_records(self) -> list[dict[str, JsonValue]]:
        """One JSON-safe dict per payment (see :func:`crokit.dataframe.to_records`)."""
        return _views.records(self)

    def to_dataframe(self, *, numeric: Numeric = "decimal") -> pd.DataFrame:
        """A pandas DataFrame, one row per payment (see :func:`crokit.dataframe.to_dataframe`)."""
        return _views.dataframe(self, numeric=numeric)

    def _repr_html_(self) -> str:
        """An HTML table for notebooks (see :func:`crokit.display.schedule_html`)."""
        return _views.html(self)

    def _repr_markdown_(self) -> str:
        """A Markdown table for notebooks (see :func:`crokit.display.schedule_markdown`)."""
        return _views.markdown(self)

    def __repr__(self) -> str:
        """A one-line summary (the full content: ``attrs.asdict(self)`` or ``crokit.dumps(self)``)."""
        return _text.summary(
            "PaymentSchedule",
            f"currency={self.currency!r}",
            f"contract_start={self.contract_start.isoformat()}",
            _text.count(len(self.payments), "payment"),
            f"total={_text.money(self.total)}",
        )
