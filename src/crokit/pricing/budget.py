"""Budgets: priced lines, exact roll-ups and line-by-line comparison.

A :class:`Budget` is a tuple of :class:`LineItem` in one currency. Each line's amount
is rounded once, to the currency's minor unit with half-even rounding, where it is
priced (``amount == (quantity x unit_price).rounded()``, checked). Nothing is rounded
after that: every roll-up (by service, stage, bucket, kind or month) adds rounded
amounts exactly, so each roll-up sums exactly to :attr:`Budget.total`. A line that
spans several months is split evenly over them with :meth:`~crokit.Money.allocate`,
so its monthly parts sum exactly to the line.

>>> from decimal import Decimal
>>> from crokit import Money, Stage, UnitBasis
>>> line = LineItem(
...     service="crokit:on-site-monitoring", stage=Stage.PHASE_2, kind=PricingKind.UNIT,
...     bucket=CostBucket.CRO_DIRECT_FEES, description="Monitoring visits",
...     basis=UnitBasis.PER_MONITORING_VISIT, quantity=Decimal(3),
...     unit_price=Money("1000.00", "USD"), amount=Money("3000.00", "USD"), months=(0, 1, 2),
...     derivation="3 visits x 1000.00 USD",
... )
>>> budget = Budget(currency="USD", lines=(line,))
>>> str(budget.total)
'3000.00 USD'
>>> [str(part) for part in budget.by_month().values()]
['1000.00 USD', '1000.00 USD', '1000.00 USD']
"""

from __future__ import annotations

import enum
import functools
import operator
from collections.abc import Callable, Hashable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar, cast

import attrs

from crokit._convert import to_tuple
from crokit._decimal import CONTEXT, to_decimal
from crokit._validators import non_empty_text
from crokit.errors import CurrencyMismatchError, ValidationError
from crokit.money import Money, RoundingPolicy, total, validate_currency
from crokit.vocabulary.ids import check_id
from crokit.vocabulary.lifecycle import Stage
from crokit.vocabulary.terms import UnitBasis

if TYPE_CHECKING:
    import pandas as pd

    from crokit.dataframe import JsonValue, Numeric
    from crokit.registry import Registry

__all__ = [
    "Budget",
    "BudgetDiff",
    "ChangeKind",
    "CostBucket",
    "LineChange",
    "LineItem",
    "PricingKind",
    "ServiceChange",
    "UNCATEGORISED",
]

UNCATEGORISED = "uncategorised"
"""The :meth:`Budget.by_category` group of services that list no CRO category."""

POLICY = RoundingPolicy.HALF_EVEN
"""The one rounding policy of line amounts: half-even to the currency's minor unit."""

K = TypeVar("K", bound=Hashable)


class CostBucket(enum.Enum):
    """Who ends up with the money: how sponsors split a CRO budget.

    - ``CRO_DIRECT_FEES``: the CRO's own fees for its work (and its management fees).
    - ``PASS_THROUGH``: third-party costs the CRO pays and re-bills at cost (travel,
      lab kits, vendors).
    - ``INVESTIGATOR_GRANTS``: payments to sites and investigators, passed through.
    - ``SPONSOR_INTERNAL``: costs the sponsor carries itself, kept for completeness.
    """

    CRO_DIRECT_FEES = "cro-direct-fees"
    PASS_THROUGH = "pass-through"
    INVESTIGATOR_GRANTS = "investigator-grants"
    SPONSOR_INTERNAL = "sponsor-internal"


class PricingKind(enum.Enum):
    """The pricing model a line comes from.

    - ``UNIT``: a unit price times a count.
    - ``FIXED_FEE``: a share of a fixed price, paid on a milestone.
    - ``FTE``: people's time at a role rate.
    - ``GRANTS``: investigator grants.
    - ``PASS_THROUGH``: a cost passed through at cost, or the management fee on it.
    - ``PERFORMANCE``: a bonus or malus under risk-sharing terms.
    - ``ADJUSTMENT``: a discount, contingency or other adjustment; may be negative.
    """

    UNIT = "unit"
    FIXED_FEE = "fixed-fee"
    FTE = "fte"
    GRANTS = "grants"
    PASS_THROUGH = "pass-through"
    PERFORMANCE = "performance"
    ADJUSTMENT = "adjustment"


class ChangeKind(enum.Enum):
    """How a line or a service differs between two budgets."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


def _quantity(value: object) -> Decimal:
    return to_decimal(value, what="quantity")


def _non_negative(_instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if value < 0:
        raise ValidationError.at(attribute.name, f"expected a quantity >= 0, got {value}")


def _months(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    if not value:
        raise ValidationError.at(attribute.name, "expected at least one month index")
    if all(type(month) is int for month in value):
        months = cast("tuple[int, ...]", value)
        if months[0] >= 0 and all(map(operator.lt, months, months[1:])):
            return  # the common case, checked in one pass; the loop below words the errors
    previous = -1
    for index, month in enumerate(value):
        if isinstance(month, bool) or not isinstance(month, int) or month < 0:
            raise ValidationError.at(f"{attribute.name}[{index}]", f"expected a month index >= 0, got {month!r}")
        if month <= previous:
            raise ValidationError.at(
                f"{attribute.name}[{index}]", f"months must be increasing and listed once, {month} follows {previous}"
            )
        previous = month


def _service(_instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    check_id(value, path=attribute.name)


@attrs.frozen(kw_only=True)
class LineItem:
    """One priced line of a budget.

    Attributes:
        service: The service id the line prices (``crokit:on-site-monitoring``).
        stage: The lifecycle stage the work belongs to.
        kind: The pricing model the line comes from.
        bucket: Who ends up with the money.
        description: What the line is; with ``service`` it identifies the line.
        basis: What one unit counts, or ``None`` for lines without a unit (milestone
            payments, management fees).
        quantity: Units priced (>= 0), exact.
        unit_price: Price of one unit; negative only for adjustments.
        amount: ``quantity x unit_price`` rounded once, half-even, to the minor unit.
        months: Study months (from month 0 at study start) the line falls in, increasing.
        derivation: How the quantity and price were reached, in words and numbers.
    """

    service: str = attrs.field(validator=_service)
    stage: Stage = attrs.field(validator=attrs.validators.instance_of(Stage))
    kind: PricingKind = attrs.field(validator=attrs.validators.instance_of(PricingKind))
    bucket: CostBucket = attrs.field(validator=attrs.validators.instance_of(CostBucket))
    description: str = attrs.field(validator=non_empty_text)
    basis: UnitBasis | None = attrs.field(validator=attrs.validators.optional(attrs.validators.instance_of(UnitBasis)))
    quantity: Decimal = attrs.field(converter=_quantity, validator=_non_negative)
    unit_price: Money = attrs.field(validator=attrs.validators.instance_of(Money))
    amount: Money = attrs.field(validator=attrs.validators.instance_of(Money))
    months: tuple[int, ...] = attrs.field(converter=to_tuple, validator=_months)
    derivation: str = attrs.field(validator=non_empty_text)

    def __attrs_post_init__(self) -> None:
        """Check the amount against quantity and unit price, and the sign of the price."""
        if self.amount.currency != self.unit_price.currency:
            raise CurrencyMismatchError(self.unit_price.currency, self.amount.currency, operation="price a line in")
        if self.unit_price.amount < 0 and self.kind is not PricingKind.ADJUSTMENT:
            raise ValidationError.at(
                "unit_price", f"expected a unit price >= 0 (only adjustments may be negative), got {self.unit_price}"
            )
        expected = (self.unit_price * self.quantity).rounded(POLICY)
        if self.amount != expected:
            raise ValidationError.at(
                "amount",
                f"expected quantity x unit price rounded half-even to the minor unit, "
                f"{self.quantity} x {self.unit_price} = {expected}, got {self.amount}",
            )

    @property
    def key(self) -> tuple[str, str]:
        """The line's identity across budgets: ``(service, description)``."""
        return (self.service, self.description)

    @functools.cached_property
    def _monthly(self) -> tuple[tuple[int, Money], ...]:
        parts = self.amount.allocate([1] * len(self.months))
        return tuple(zip(self.months, parts, strict=True))

    def monthly(self) -> dict[int, Money]:
        """The amount split evenly over the line's months; the parts sum exactly to the amount.

        The split is computed once per line and reused (by :meth:`Budget.by_month` and the
        payment schedule).
        """
        return dict(self._monthly)


@attrs.frozen(kw_only=True)
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
    change: ChangeKind
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
        head = f"{service} / {description}: {self.change.value} {self.old_amount} -> {self.new_amount} ({self.delta})"
        if self.change is not ChangeKind.CHANGED:
            return head
        return (
            f"{head}; quantity {self.old_quantity} -> {self.new_quantity}, unit price {self.old_unit_price} -> "
            f"{self.new_unit_price}: volume {self.volume_effect}, rate {self.rate_effect}, "
            f"rounding {self.rounding_effect}"
        )


@attrs.frozen(kw_only=True)
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
    change: ChangeKind
    old_amount: Money
    new_amount: Money
    lines: tuple[LineChange, ...]

    @property
    def delta(self) -> Money:
        """``new_amount - old_amount``."""
        return self.new_amount - self.old_amount


@attrs.frozen(kw_only=True)
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
        head = f"total {self.old_total} -> {self.new_total} ({self.delta})"
        return "\n".join([head, *(change.explain() for change in self.lines)])


def _lines(_instance: Budget, attribute: attrs.Attribute[Any], value: tuple[LineItem, ...]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for index, line in enumerate(value):
        if not isinstance(line, LineItem):
            raise ValidationError.at(f"{attribute.name}[{index}]", f"expected a LineItem, got {line!r}")
        if line.key in seen:
            raise ValidationError.at(
                f"{attribute.name}[{index}].description",
                f"line {line.key} is already lines[{seen[line.key]}]; give each line of a service its own description",
            )
        seen[line.key] = index


@attrs.frozen(kw_only=True)
class Budget:
    """Priced lines in one currency, with exact roll-ups.

    Attributes:
        currency: The ISO 4217 currency of every line.
        lines: The lines, each ``(service, description)`` once.

    Raises:
        CurrencyMismatchError: If a line is in another currency.
        ValidationError: If two lines share a ``(service, description)`` key.
    """

    currency: str = attrs.field(validator=lambda _i, _a, v: validate_currency(v))
    lines: tuple[LineItem, ...] = attrs.field(default=(), converter=to_tuple, validator=_lines)

    def __attrs_post_init__(self) -> None:
        """Refuse lines in another currency."""
        for index, line in enumerate(self.lines):
            if line.amount.currency != self.currency:
                raise CurrencyMismatchError(
                    self.currency, line.amount.currency, operation=f"add lines[{index}] to the budget, mixing"
                )

    @property
    def total(self) -> Money:
        """The sum of every line."""
        return total((line.amount for line in self.lines), currency=self.currency)

    def _by(self, key: Callable[[LineItem], K], order: Callable[[K], Any]) -> dict[K, Money]:
        sums: dict[K, Decimal] = {}
        for line in self.lines:
            group = key(line)
            sums[group] = CONTEXT.add(sums.get(group, Decimal(0)), line.amount.amount)
        return {group: Money._trusted(sums[group], self.currency) for group in sorted(sums, key=order)}  # noqa: SLF001

    def by_service(self) -> dict[str, Money]:
        """Totals by service id, sorted by id; they sum exactly to :attr:`total`."""
        return self._by(lambda line: line.service, lambda service: service)

    def by_stage(self) -> dict[Stage, Money]:
        """Totals by lifecycle stage, in lifecycle order; they sum exactly to :attr:`total`."""
        return self._by(lambda line: line.stage, lambda stage: stage.order)

    def by_category(self, registry: Registry) -> dict[str, Money]:
        """Totals by CRO category, sorted by id; they sum exactly to :attr:`total`.

        A line counts under the first category its service lists in *registry* (the
        category that most typically offers it), so no amount is counted twice; a service
        that lists none counts under ``"uncategorised"``.

        Raises:
            UnknownIdError: If a line's service is not in *registry*.
        """

        def category(line: LineItem) -> str:
            categories = registry.service(line.service).categories
            return categories[0] if categories else UNCATEGORISED

        return self._by(category, lambda name: name)

    def by_bucket(self) -> dict[CostBucket, Money]:
        """Totals by cost bucket, in the enum's order; they sum exactly to :attr:`total`."""
        order = list(CostBucket)
        return self._by(lambda line: line.bucket, order.index)

    def by_kind(self) -> dict[PricingKind, Money]:
        """Totals by pricing kind, in the enum's order; they sum exactly to :attr:`total`."""
        order = list(PricingKind)
        return self._by(lambda line: line.kind, order.index)

    def by_month(self) -> dict[int, Money]:
        """Totals by study month, in month order; they sum exactly to :attr:`total`.

        Each line is split evenly over its months with :meth:`LineItem.monthly`.
        """
        sums: dict[int, Decimal] = {}
        for line in self.lines:
            for month, part in line._monthly:  # noqa: SLF001 - the cached split of the line
                sums[month] = CONTEXT.add(sums.get(month, Decimal(0)), part.amount)
        return {month: Money._trusted(sums[month], self.currency) for month in sorted(sums)}  # noqa: SLF001

    def cost_per_patient(self, patients: int) -> Money:
        """The total over *patients*, rounded half-even to the minor unit (a reporting figure).

        Raises:
            ValidationError: If *patients* is not a whole number >= 1.
        """
        count: object = patients
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValidationError.at("patients", f"expected a whole number of patients >= 1, got {patients!r}")
        return (self.total / patients).rounded(POLICY)

    def to_records(self) -> list[dict[str, JsonValue]]:
        """One JSON-safe dict per line (see :func:`crokit.dataframe.to_records`)."""
        from crokit.dataframe import to_records

        return to_records(self)

    def to_dataframe(self, *, numeric: Numeric = "decimal") -> pd.DataFrame:
        """A pandas DataFrame, one row per line (see :func:`crokit.dataframe.to_dataframe`)."""
        from crokit.dataframe import to_dataframe

        return to_dataframe(self, numeric=numeric)

    def _repr_html_(self) -> str:
        """An HTML table for notebooks (see :func:`crokit.display.budget_html`)."""
        from crokit.display import budget_html

        return budget_html(self)

    def _repr_markdown_(self) -> str:
        """A Markdown table for notebooks (see :func:`crokit.display.budget_markdown`)."""
        from crokit.display import budget_markdown

        return budget_markdown(self)

    def diff(self, other: Budget) -> BudgetDiff:
        """What changed from this budget (the old one) to *other* (the new one).

        Lines are matched by ``(service, description)``. A matched line whose
        quantity, unit price and amount are all equal is unchanged (its months and
        derivation text are not compared).

        Raises:
            CurrencyMismatchError: If the budgets are in different currencies.
        """
        if other.currency != self.currency:
            raise CurrencyMismatchError(self.currency, other.currency, operation="compare budgets in")
        zero = Money.zero(self.currency)
        old = {line.key: line for line in self.lines}
        new = {line.key: line for line in other.lines}
        changes: list[LineChange] = []
        for key in [*old, *(key for key in new if key not in old)]:
            before, after = old.get(key), new.get(key)
            if before is not None and after is not None:
                if (before.quantity, before.unit_price, before.amount) == (
                    after.quantity,
                    after.unit_price,
                    after.amount,
                ):
                    continue
                change = ChangeKind.CHANGED
            else:
                change = ChangeKind.ADDED if before is None else ChangeKind.REMOVED
            changes.append(
                LineChange(
                    key=key,
                    change=change,
                    old_quantity=before.quantity if before else Decimal(0),
                    new_quantity=after.quantity if after else Decimal(0),
                    old_unit_price=before.unit_price if before else None,
                    new_unit_price=after.unit_price if after else None,
                    old_amount=before.amount if before else zero,
                    new_amount=after.amount if after else zero,
                )
            )
        return BudgetDiff(
            old_total=self.total,
            new_total=other.total,
            lines=tuple(changes),
            services=_service_changes(self.by_service(), other.by_service(), changes, zero),
        )


def _service_changes(
    old: Mapping[str, Money], new: Mapping[str, Money], changes: Iterable[LineChange], zero: Money
) -> tuple[ServiceChange, ...]:
    by_service: dict[str, list[LineChange]] = {}
    for change in changes:
        by_service.setdefault(change.key[0], []).append(change)
    result = []
    for service in sorted(by_service):
        if service not in old:
            kind = ChangeKind.ADDED
        elif service not in new:
            kind = ChangeKind.REMOVED
        else:
            kind = ChangeKind.CHANGED
        result.append(
            ServiceChange(
                service=service,
                change=kind,
                old_amount=old.get(service, zero),
                new_amount=new.get(service, zero),
                lines=tuple(by_service[service]),
            )
        )
    return tuple(result)
