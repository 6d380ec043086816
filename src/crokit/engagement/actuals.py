"""What happened: work done by month, milestones reached, invoices received.

Finance books accruals each month from the work done, not from the invoices received.
:class:`Actuals` records, as of a date, the units of work done each calendar month (by
unit basis: patients enrolled, patient visits, monitoring visits, site-months, pages,
FTE hours ...), the contract milestones reached with their dates, and the invoices the
providers sent. Nothing recorded may lie after the as-of date, so a status computed
as of a date never sees the future.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from crokit import _hypothesis_plugin
from crokit._convert import to_tuple
from crokit._decimal import to_decimal
from crokit._members import as_member
from crokit._typed import typed_fields
from crokit._validators import is_date, non_empty_text
from crokit.engagement.parties import all_of
from crokit.errors import CrokitError, Problem, ValidationError
from crokit.money import Money, validate_currency
from crokit.vocabulary.ids import check_id
from crokit.vocabulary.lifecycle import Milestone
from crokit.vocabulary.terms import UnitBasis

__all__ = ["Actuals", "Invoice", "InvoiceLine", "MilestoneReached", "WorkDone"]


def _enum(kind: type[Any], what: str) -> Any:
    def convert(value: object) -> Any:
        converted = as_member(kind, value)  # a member, its value or its name
        if isinstance(converted, kind):
            return converted
        allowed = ", ".join(repr(member.value) for member in kind)
        raise ValidationError.at(what, f"expected one of {allowed}, got {value!r}")

    return convert


def _basis(value: object) -> UnitBasis:
    converted: UnitBasis = _enum(UnitBasis, "basis")(value)
    return converted


def _milestone(value: object) -> Milestone:
    converted: Milestone = _enum(Milestone, "milestone")(value)
    return converted


def _optional_basis(value: object) -> UnitBasis | None:
    return None if value is None else _basis(value)


def _quantity(value: object) -> Decimal:
    try:
        return to_decimal(value, what="quantity")
    except CrokitError as exc:
        raise ValidationError.at("quantity", str(exc)) from None


def _non_negative(_instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not value.is_finite() or value < 0:
        raise ValidationError.at(attribute.name, f"expected a quantity >= 0, got {value}")


def _month(value: object) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.replace(day=1)
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value if len(value) > len("2027-03") else f"{value}-01").replace(day=1)
        except ValueError:
            pass
    raise ValidationError.at("month", f"expected a month like 2027-03 (or any date in it), got {value!r}")


def _optional_service(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_id(value, path=attribute.name)


def _service(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_id(value, path=attribute.name)


def _money(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Money):
        raise ValidationError.at(attribute.name, f"expected Money, got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class WorkDone:
    """Units of work done in one calendar month.

    Attributes:
        month: The month (stored as its first day; ``"2027-03"`` is accepted).
        basis: What the units count: the same bases unit prices use
            (``per-patient-enrolled``, ``per-monitoring-visit``, ``per-hour`` ...).
        quantity: How many units were done that month (>= 0).
        service: The service the units belong to; ``None`` counts them for every
            contracted line priced on this basis (patients enrolled drive many lines).
    """

    month: dt.date = attrs.field(converter=_month)
    basis: UnitBasis = attrs.field(converter=_basis)
    quantity: Decimal = attrs.field(converter=_quantity, validator=_non_negative)
    service: str | None = attrs.field(default=None, validator=_optional_service)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class MilestoneReached:
    """A contract milestone reached on a date.

    Attributes:
        milestone: The milestone (``first-patient-in``).
        on: The day it was reached.
    """

    milestone: Milestone = attrs.field(converter=_milestone)
    on: dt.date = attrs.field(validator=is_date)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class InvoiceLine:
    """One line of a provider's invoice.

    Attributes:
        service: The service invoiced.
        quantity: Units invoiced (>= 0).
        unit_price: The price per unit the provider charged.
        amount: The line's amount as invoiced (checked against quantity x unit price
            when the status is computed, not refused here: what was received is kept).
        basis: The unit basis invoiced, if any (``None`` for milestone fees and
            pass-through costs).
        description: The provider's wording.
    """

    service: str = attrs.field(validator=_service)
    quantity: Decimal = attrs.field(converter=_quantity, validator=_non_negative)
    unit_price: Money = attrs.field(validator=_money)
    amount: Money = attrs.field(validator=_money)
    basis: UnitBasis | None = attrs.field(default=None, converter=_optional_basis)
    description: str = attrs.field(default="")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Invoice:
    """An invoice received from a provider.

    Attributes:
        number: The provider's invoice number.
        issued: The invoice date.
        currency: The invoice's ISO 4217 currency; every line is in it.
        lines: The invoiced lines.
        paid_on: The day the sponsor paid it, if paid.
    """

    number: str = attrs.field(validator=non_empty_text)
    issued: dt.date = attrs.field(validator=is_date)
    currency: str = attrs.field(validator=lambda _i, _a, value: validate_currency(value))
    lines: tuple[InvoiceLine, ...] = attrs.field(converter=to_tuple, validator=all_of(InvoiceLine, "an InvoiceLine"))
    paid_on: dt.date | None = attrs.field(default=None, validator=attrs.validators.optional(is_date))

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        for index, line in enumerate(self.lines):
            for name in ("unit_price", "amount"):
                money = getattr(line, name)
                if money.currency != self.currency:
                    problems.append(
                        Problem(
                            path=f"lines[{index}].{name}",
                            message=f"expected an amount in {self.currency}, the invoice's currency, got {money}",
                        )
                    )
        if self.paid_on is not None and self.paid_on < self.issued:
            problems.append(
                Problem(path="paid_on", message=f"paid on {self.paid_on}, before it was issued on {self.issued}")
            )
        if problems:
            raise ValidationError(problems)

    @property
    def total(self) -> Money:
        """The sum of the invoice's lines."""
        amount = Money.zero(self.currency)
        for line in self.lines:
            amount = amount + line.amount
        return amount


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Actuals:
    """Everything recorded about an engagement up to a date.

    Attributes:
        as_of: The date the record runs to; nothing in it may be later.
        work: Units of work done, by month.
        milestones: Milestones reached, each once.
        invoices: Invoices received, numbers unique.
    """

    as_of: dt.date = attrs.field(validator=is_date)
    work: tuple[WorkDone, ...] = attrs.field(default=(), converter=to_tuple, validator=all_of(WorkDone, "WorkDone"))
    milestones: tuple[MilestoneReached, ...] = attrs.field(
        default=(), converter=to_tuple, validator=all_of(MilestoneReached, "a MilestoneReached")
    )
    invoices: tuple[Invoice, ...] = attrs.field(default=(), converter=to_tuple, validator=all_of(Invoice, "an Invoice"))

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        last_month = self.as_of.replace(day=1)
        for index, done in enumerate(self.work):
            if done.month > last_month:
                problems.append(
                    Problem(
                        path=f"work[{index}].month", message=f"{done.month:%Y-%m} is after the as-of date {self.as_of}"
                    )
                )
        seen: dict[Milestone, int] = {}
        for index, reached in enumerate(self.milestones):
            if reached.on > self.as_of:
                problems.append(
                    Problem(
                        path=f"milestones[{index}].on", message=f"{reached.on} is after the as-of date {self.as_of}"
                    )
                )
            if reached.milestone in seen:
                problems.append(
                    Problem(
                        path=f"milestones[{index}].milestone",
                        message=f"{reached.milestone.value} is already at milestones[{seen[reached.milestone]}]",
                    )
                )
            seen.setdefault(reached.milestone, index)
        numbers: dict[str, int] = {}
        for index, invoice in enumerate(self.invoices):
            if invoice.issued > self.as_of:
                problems.append(
                    Problem(
                        path=f"invoices[{index}].issued",
                        message=f"{invoice.issued} is after the as-of date {self.as_of}",
                    )
                )
            if invoice.paid_on is not None and invoice.paid_on > self.as_of:
                problems.append(
                    Problem(
                        path=f"invoices[{index}].paid_on",
                        message=f"{invoice.paid_on} is after the as-of date {self.as_of}",
                    )
                )
            if invoice.number in numbers:
                problems.append(
                    Problem(
                        path=f"invoices[{index}].number",
                        message=f"invoice {invoice.number!r} is already invoices[{numbers[invoice.number]}]",
                    )
                )
            numbers.setdefault(invoice.number, index)
        if problems:
            raise ValidationError(problems)

    def up_to(self, day: dt.date) -> Actuals:
        """What was recorded by *day*: the records dated on or before it, as of *day*.

        Raises:
            ValidationError: If *day* is after :attr:`as_of` (the record says nothing of
                later days) or is not a date.
        """
        is_date(None, attrs.fields(Actuals).as_of, day)
        if day > self.as_of:
            raise ValidationError.at("as_of", f"the actuals run to {self.as_of}; {day} is later")
        month = day.replace(day=1)
        return Actuals(
            as_of=day,
            work=[done for done in self.work if done.month <= month],
            milestones=[reached for reached in self.milestones if reached.on <= day],
            invoices=[
                attrs.evolve(invoice, paid_on=invoice.paid_on if invoice.paid_on and invoice.paid_on <= day else None)
                for invoice in self.invoices
                if invoice.issued <= day
            ],
        )

    def reached(self, milestone: Milestone) -> dt.date | None:
        """The day *milestone* was reached, or ``None``."""
        for item in self.milestones:
            if item.milestone is milestone:
                return item.on
        return None


# Registers this module's models with Hypothesis' st.from_type if Hypothesis is in use.
_hypothesis_plugin.imported(__name__)
