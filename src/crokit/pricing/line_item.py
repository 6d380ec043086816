"""Budget lines: :class:`LineItem`, the cost buckets and pricing kinds that classify it.

A :class:`LineItem` is one priced line of a :class:`~crokit.pricing.Budget`: a service
and stage, a :class:`PricingKind` saying which pricing model it comes from, a
:class:`CostBucket` saying who ends up with the money, an exact quantity and unit price,
the amount rounded once with :data:`POLICY` (checked against ``quantity x unit_price``),
the study months it falls in, and how it was derived. Its even split over those months
is computed on demand (:meth:`LineItem.monthly`): a line keeps no per-month objects, so a
budget of many lines stays small.
"""

from __future__ import annotations

import enum
import functools
import operator
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, cast

import attrs

from crokit._convert import to_tuple
from crokit._currencies import MINOR_UNITS
from crokit._decimal import to_decimal
from crokit._members import as_members
from crokit._typed import typed_fields, unchecked
from crokit._validators import as_member, is_member, non_empty_text
from crokit.errors import CurrencyMismatchError, ValidationError
from crokit.money import Money, RoundingPolicy, _minor_units
from crokit.vocabulary.ids import check_id
from crokit.vocabulary.lifecycle import Stage, _as_stage
from crokit.vocabulary.terms import UnitBasis, _as_unit_basis

__all__ = ["CostBucket", "LineItem", "POLICY", "PricingKind"]

POLICY = RoundingPolicy.HALF_EVEN
"""The one rounding policy of line amounts: half-even to the currency's minor unit."""


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


def _as_cost_bucket(value: object) -> object:
    """A converter: text (the value or name) to CostBucket member."""
    return as_member(CostBucket, value)


class PricingKind(enum.Enum):
    """The pricing model a line comes from.

    - ``UNIT``: a unit price times a count.
    - ``FIXED_FEE``: a share of a fixed price, paid on a milestone.
    - ``FTE``: people's time at a role rate.
    - ``GRANTS``: investigator grants.
    - ``PASS_THROUGH``: a cost passed through at cost, or the management fee on it.
    - ``PERFORMANCE``: a bonus or malus under risk-sharing terms.
    - ``ADJUSTMENT``: a discount, contingency or other adjustment; may be negative.

    The ``kind`` tag of a pricing model reads as the kind its lines have, so
    ``PricingKind("unit-price")`` is ``UNIT`` and ``PricingKind("investigator-grants")``
    is ``GRANTS`` (in files and in Python alike).
    """

    UNIT = "unit"
    FIXED_FEE = "fixed-fee"
    FTE = "fte"
    GRANTS = "grants"
    PASS_THROUGH = "pass-through"
    PERFORMANCE = "performance"
    ADJUSTMENT = "adjustment"

    @classmethod
    def _missing_(cls, value: object) -> PricingKind | None:
        """The kind of a pricing model's ``kind`` tag (``"unit-price"``), if *value* is one."""
        return (
            {"unit-price": cls.UNIT, "investigator-grants": cls.GRANTS}.get(value) if isinstance(value, str) else None
        )


def _as_pricing_kinds(value: Iterable[object]) -> tuple[object, ...]:
    """A converter: text (the value or name) to PricingKind members, as a tuple."""
    return as_members(PricingKind, value)


def _as_pricing_kind(value: object) -> object:
    """A converter: text (the value or name) to PricingKind member."""
    return as_member(PricingKind, value)


def _quantity(value: object) -> Decimal:
    return to_decimal(value, what="quantity")


def _non_negative(_instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if value < 0:
        raise ValidationError.at(attribute.name, f"expected a quantity >= 0, got {value}")


def _months(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    if not value:
        raise ValidationError.at(attribute.name, "expected at least one month index")
    if set(map(type, value)) == {int}:  # every month an int (not a bool), checked at C speed
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


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
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
    stage: Stage = attrs.field(converter=_as_stage, validator=is_member(Stage))
    kind: PricingKind = attrs.field(converter=_as_pricing_kind, validator=is_member(PricingKind))
    bucket: CostBucket = attrs.field(converter=_as_cost_bucket, validator=is_member(CostBucket))
    description: str = attrs.field(validator=non_empty_text)
    basis: UnitBasis | None = attrs.field(
        converter=_as_unit_basis, validator=attrs.validators.optional(is_member(UnitBasis))
    )
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

    @classmethod
    def _trusted(
        cls,
        *,
        service: str,
        stage: Stage,
        kind: PricingKind,
        bucket: CostBucket,
        description: str,
        basis: UnitBasis | None,
        quantity: Decimal,
        unit_price: Money,
        amount: Money,
        months: tuple[int, ...],
        derivation: str,
    ) -> LineItem:
        """Build a line a pricing model computed from its own validated fields (no re-validation).

        The pricing models give members (not text), ids the registry resolved, a
        quantity >= 0, Money they computed and the amount as ``(unit_price x
        quantity).rounded(POLICY)``: the public constructor would only re-check that,
        at a cost that dominated pricing (issue #13). The tests rebuild every line a
        model prices through the public constructor and compare
        (``tests/pricing/test_trusted_lines.py``).
        """
        return unchecked(
            cls,
            service=service,
            stage=stage,
            kind=kind,
            bucket=bucket,
            description=description,
            basis=basis,
            quantity=quantity,
            unit_price=unit_price,
            amount=amount,
            months=months,
            derivation=derivation,
        )

    @property
    def key(self) -> tuple[str, str]:
        """The line's identity across budgets: ``(service, description)``."""
        return (self.service, self.description)

    def _split(self) -> tuple[int, int, bool]:
        """The even split in whole minor units: ``(base, left, negative)``.

        This is :meth:`Money.allocate` with equal weights: every month gets ``base``
        minor units of the absolute amount, the earliest ``left`` months one more, and
        the parts are negated if the amount is negative.
        """
        amount = self.amount
        units = _minor_units(amount.amount.copy_abs(), MINOR_UNITS[amount.currency] or 0)
        if units is None:  # pragma: no cover - a line's amount is rounded; allocate words the error
            amount.allocate(_ones(len(self.months)))
            raise AssertionError(amount)
        base, left = divmod(units, len(self.months))
        return base, left, amount.amount < 0

    def _month_units(self) -> Iterator[tuple[int, int]]:
        """``(month, signed minor units)`` pairs of the even split (for exact integer roll-ups)."""
        low, high, left = self._unit_parts()
        if not left:
            return ((month, low) for month in self.months)
        return ((month, high if index < left else low) for index, month in enumerate(self.months))

    def _unit_parts(self) -> tuple[int, int, int]:
        """The even split in signed minor units: the first *left* months get *high*, the rest *low*.

        For the builder's and roll-ups' innermost loops, which walk ``months[:left]`` and
        ``months[left:]`` themselves instead of a generator of pairs (:meth:`_month_units`).
        """
        base, left, negative = self._split()
        low, high = (-base, -base - 1) if negative else (base, base + 1)
        return low, high, left

    def _monthly(self) -> Iterator[tuple[int, Money]]:
        """``(month, part)`` pairs of the even split, computed afresh (nothing is cached on the line).

        At most two distinct parts, each one shared ``Money`` value, equal to what
        :meth:`Money.allocate` gives (the same digits, sign and exponent).
        """
        base, left, negative = self._split()
        amount = self.amount
        unit = MINOR_UNITS[amount.currency] or 0
        low = Money._trusted(units_decimal(base, unit, negative=negative), amount.currency)  # noqa: SLF001
        if not left:
            return ((month, low) for month in self.months)
        high = Money._trusted(units_decimal(base + 1, unit, negative=negative), amount.currency)  # noqa: SLF001
        return ((month, high if index < left else low) for index, month in enumerate(self.months))

    def monthly(self) -> dict[int, Money]:
        """The amount split evenly over the line's months; the parts sum exactly to the amount.

        The earliest months take the minor units left over. The split is computed on each
        call, from the amount and the number of months; the line stores no copy of it.
        """
        return dict(self._monthly())


def units_decimal(units: int, unit: int, *, negative: bool = False) -> Decimal:
    """*units* minor units of 10**-*unit* as an exact Decimal with exactly *unit* places.

    Read from text, so exact in any decimal context; *negative* negates it (``-0.00``
    included, as :meth:`Money.allocate` writes a negative amount's zero parts).

    >>> units_decimal(12345, 2), units_decimal(-5, 2), units_decimal(0, 2, negative=True), units_decimal(7, 0)
    (Decimal('123.45'), Decimal('-0.05'), Decimal('-0.00'), Decimal('7'))
    """
    return Decimal(f"{'-' if negative else ''}{units}E-{unit}")


@functools.lru_cache(maxsize=256)
def _ones(count: int) -> tuple[int, ...]:
    """*count* equal weights, shared between lines of the same length."""
    return (1,) * count
