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

import functools
from collections.abc import Callable, Hashable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from crokit import _text, _views
from crokit._convert import to_tuple
from crokit._currencies import MINOR_UNITS
from crokit._decimal import exact_add
from crokit._typed import typed_fields
from crokit.errors import CurrencyMismatchError, ValidationError
from crokit.money import Money, total, validate_currency
from crokit.pricing.diff import BudgetDiff, ChangeKind, LineChange, ServiceChange
from crokit.pricing.line_item import POLICY, CostBucket, LineItem, PricingKind, units_decimal
from crokit.vocabulary.lifecycle import Stage

if TYPE_CHECKING:
    import pandas as pd

    from crokit._views import JsonValue, Numeric
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

K = TypeVar("K", bound=Hashable)


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


@attrs.frozen(kw_only=True, field_transformer=typed_fields, repr=False)
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

    @functools.cached_property
    def total(self) -> Money:
        """The sum of every line (computed once per budget: a budget never changes)."""
        return total((line.amount for line in self.lines), currency=self.currency)

    def _by(self, key: Callable[[LineItem], K], order: Callable[[K], Any]) -> dict[K, Money]:
        sums: dict[K, Decimal] = {}
        for line in self.lines:
            group = key(line)
            sums[group] = exact_add(sums.get(group, Decimal(0)), line.amount.amount)
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
        # Summed in whole minor units: exact, and the same digits as adding the Money parts.
        sums: dict[int, int] = {}
        get = sums.get
        for line in self.lines:
            low, high, left = line._unit_parts()  # noqa: SLF001 - the split of the line
            months = line.months
            for month in months[:left]:
                sums[month] = get(month, 0) + high
            for month in months[left:]:
                sums[month] = get(month, 0) + low
        unit = MINOR_UNITS[self.currency] or 0
        return {
            month: Money._trusted(units_decimal(sums[month], unit), self.currency)  # noqa: SLF001 - exact sums
            for month in sorted(sums)
        }

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
        return _views.records(self)

    def to_dataframe(self, *, numeric: Numeric = "decimal") -> pd.DataFrame:
        """A pandas DataFrame, one row per line (see :func:`crokit.dataframe.to_dataframe`)."""
        return _views.dataframe(self, numeric=numeric)

    def _repr_html_(self) -> str:
        """An HTML table for notebooks (see :func:`crokit.display.budget_html`)."""
        return _views.html(self)

    def _repr_markdown_(self) -> str:
        """A Markdown table for notebooks (see :func:`crokit.display.budget_markdown`)."""
        return _views.markdown(self)

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

    def __repr__(self) -> str:
        """A one-line summary (the full content: ``attrs.asdict(self)`` or ``crokit.dumps(self)``)."""
        return _text.summary(
            "Budget",
            f"currency={self.currency!r}",
            _text.count(len(self.lines), "line"),
            f"total={_text.money(self.total)}",
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
