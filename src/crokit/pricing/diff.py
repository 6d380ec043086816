"""Budget comparison results: what changed between an old and a new budget.

:meth:`~crokit.pricing.Budget.diff` matches lines by ``(service, description)`` and
reports a :class:`BudgetDiff`: one :class:`LineChange` per added, removed or changed
line, splitting its change in amount exactly into volume, rate and rounding effects,
and one :class:`ServiceChange` per service whose total moved, each tagged with a
:class:`ChangeKind`.
"""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

from crokit import _text
from crokit._decimal import CONTEXT
from crokit._typed import typed_fields
from crokit._validators import as_member, is_member
from crokit.money import Money

__all__ = ["BudgetDiff", "ChangeKind", "LineChange", "ServiceChange"]


def _shown(money: Money | None) -> str:
    """*money* for a sentence: ``1,234.50 USD``, at least the minor units, ``0.00 USD`` rather than ``0E-11 USD``."""
    return "none" if money is None else format(money, ",")


class ChangeKind(enum.Enum):
    """How a line or a service differs between two budgets."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


def _as_change_kind(value: object) -> object:
    """A converter: text (the value or name) to ChangeKind member (see :func:`crokit._members.as_member`)."""
    return as_member(ChangeKind, value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class LineChange:
    """How one line, identified by ``(service, description)``, differs between two budgets.

    The change in amount splits exactly into a volume effect (the change in quantity
    at the old unit price), a rate effect (the change in unit price at the new
    quantity) and the rounding of the two amounts:
    ``delta == volume_effect + rate_effect + rounding_effect``. An added line has an
    old quantity and amount of zero, a removed line a new one of zero, and for both
    the whole delta is volume.

    Attributes:
        key: ``(service, description)``.
        change: Added, removed or changed.
        old_quantity: Quantity in the old budget (0 if added).
        new_quantity: Quantity in the new budget (0 if removed).
        old_unit_price: Unit price in the old budget (``None`` if added).
        new_unit_price: Unit price in the new budget (``None`` if removed).
        old_amount: Amount in the old budget (zero if added).
        new_amount: Amount in the new budget (zero if removed).
    """

    key: tuple[str, str]
    change: ChangeKind = attrs.field(converter=_as_change_kind, validator=is_member(ChangeKind))
    old_quantity: Decimal
    new_quantity: Decimal
    old_unit_price: Money | None
    new_unit_price: Money | None
    old_amount: Money
    new_amount: Money

    @property
    def delta(self) -> Money:
        """``new_amount - old_amount``."""
        return self.new_amount - self.old_amount

    @property
    def volume_effect(self) -> Money:
        """The change in quantity at the old unit price; for an added or removed line, the whole delta."""
        if self.old_unit_price is None or self.new_unit_price is None:
            return self.delta
        return self.old_unit_price * CONTEXT.subtract(self.new_quantity, self.old_quantity)

    @property
    def rate_effect(self) -> Money:
        """The change in unit price at the new quantity; zero for an added or removed line."""
        if self.old_unit_price is None or self.new_unit_price is None:
            return Money.zero(self.old_amount.currency)
        return (self.new_unit_price - self.old_unit_price) * self.new_quantity

    @property
    def rounding_effect(self) -> Money:
        """What rounding the two amounts added: the delta less the volume and rate effects."""
        return self.delta - self.volume_effect - self.rate_effect

    def explain(self) -> str:
        """Say in one line what changed and why."""
        service, description = self.key
        head = (
            f"{service} / {description}: {self.change.value} {_shown(self.old_amount)} -> {_shown(self.new_amount)} "
            f"({_shown(self.delta)})"
        )
        if self.change is not ChangeKind.CHANGED:
            return head
        return (
            f"{head}; quantity {_text.number(self.old_quantity)} -> {_text.number(self.new_quantity)}, "
            f"unit price {_shown(self.old_unit_price)} -> {_shown(self.new_unit_price)}: "
            f"volume {_shown(self.volume_effect)}, rate {_shown(self.rate_effect)}, "
            f"rounding {_shown(self.rounding_effect)}"
        )


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ServiceChange:
    """How a service's total differs between two budgets.

    Attributes:
        service: The service id.
        change: Added (only in the new budget), removed (only in the old) or changed.
        old_amount: The service's total in the old budget.
        new_amount: The service's total in the new budget.
        lines: The line changes within the service.
    """

    service: str
    change: ChangeKind = attrs.field(converter=_as_change_kind, validator=is_member(ChangeKind))
    old_amount: Money
    new_amount: Money
    lines: tuple[LineChange, ...]

    @property
    def delta(self) -> Money:
        """``new_amount - old_amount``."""
        return self.new_amount - self.old_amount


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class BudgetDiff:
    """What changed from an old budget to a new one, by line and by service.

    Unchanged lines and services are left out. The line deltas, and the service
    deltas, each sum exactly to ``new_total - old_total``.

    Attributes:
        old_total: The old budget's total.
        new_total: The new budget's total.
        lines: Changed, added and removed lines: old lines in old order, then added
            lines in new order.
        services: Changed, added and removed services, sorted by id.
    """

    old_total: Money
    new_total: Money
    lines: tuple[LineChange, ...]
    services: tuple[ServiceChange, ...]

    @property
    def delta(self) -> Money:
        """``new_total - old_total``."""
        return self.new_total - self.old_total

    def explain(self) -> str:
        """Every change, one per line, after the change in total."""
        head = f"total {_shown(self.old_total)} -> {_shown(self.new_total)} ({_shown(self.delta)})"
        return "\n".join([head, *(change.explain() for change in self.lines)])
