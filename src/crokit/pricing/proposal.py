"""A CRO's proposal: its pricing items, adjustments and performance terms, priced together.

:class:`Proposal` holds any :data:`PricingModel` (unit prices, pass-through costs,
fixed fees, FTE time and materials, investigator grants) in one currency, checks every
amount against that currency, prices the items in order into one
:class:`~crokit.pricing.Budget` and then applies its adjustments in the order listed.

An item may be priced in another currency than the proposal's when the proposal lists
that currency in ``other_currencies`` (investigator grants in JPY inside an EUR bid):
its lines are converted into the proposal's currency with a dated
:class:`~crokit.FxTable` before the adjustments apply (see
:mod:`crokit.pricing.currency` for the date rules and the rounding).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Final

import attrs

from crokit._convert import to_tuple
from crokit._decimal import in_crokit_context
from crokit._typed import typed_fields
from crokit._validators import slug
from crokit.errors import CrokitError, ValidationError
from crokit.money import FxTable, validate_currency
from crokit.pricing.adjustments import ADJUSTMENTS as ADJUSTMENT_TYPES
from crokit.pricing.adjustments import Adjustment, CurrencyConversion, TieredDiscount, apply_adjustments
from crokit.pricing.budget import Budget, LineItem
from crokit.pricing.currency import Conversion, FxPurpose, convert_budget
from crokit.pricing.drivers import CostDrivers
from crokit.pricing.fixed_fee import FixedFee
from crokit.pricing.fte import FteTimeAndMaterials
from crokit.pricing.grants import InvestigatorGrants
from crokit.pricing.pass_through import PassThrough
from crokit.pricing.performance import PerformanceTerm
from crokit.pricing.unit_price import UnitPrice
from crokit.registry import Registry
from crokit.study import Study

__all__ = ["PricingModel", "Proposal"]

PricingModel = UnitPrice | PassThrough | FixedFee | FteTimeAndMaterials | InvestigatorGrants
"""Any item a proposal can hold."""

_MODELS: Final = (UnitPrice, PassThrough, FixedFee, FteTimeAndMaterials, InvestigatorGrants)
_MONEY_FIELD: Final = {
    UnitPrice: "rate",
    PassThrough: "estimate",
    FixedFee: "fee",
    FteTimeAndMaterials: "rate_card",
    InvestigatorGrants: "fee_per_visit",
}


def _typed(kinds: tuple[type, ...], what: str) -> Callable[[object, attrs.Attribute[Any], tuple[object, ...]], None]:
    def check(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
        for index, item in enumerate(value):
            if not isinstance(item, kinds):
                raise ValidationError.at(f"{attribute.name}[{index}]", f"expected {what}, got {item!r}")

    return check


def _check_currencies(proposal: Proposal) -> None:
    currency = proposal.currency
    for index, item in enumerate(proposal.items):
        if item.currency != currency and item.currency not in proposal.other_currencies:
            raise ValidationError.at(
                f"items[{index}].{_MONEY_FIELD[type(item)]}",
                f"expected an amount in {currency}, the proposal's currency, got {item.currency} "
                f"(to price this item in {item.currency} and convert it, list {item.currency!r} in other_currencies)",
            )
    for index, term in enumerate(proposal.performance_terms):
        if term.currency != currency:
            raise ValidationError.at(
                f"performance_terms[{index}].{'bonus' if term.bonus is not None else 'malus'}",
                f"expected an amount in {currency}, the proposal's currency, got {term.currency}",
            )
    for index, adjustment in enumerate(proposal.adjustments):
        if isinstance(adjustment, TieredDiscount) and adjustment.currency != currency:
            raise ValidationError.at(
                f"adjustments[{index}].tiers",
                f"expected thresholds in {currency}, the budget's currency at this point, got {adjustment.currency}",
            )
        if isinstance(adjustment, CurrencyConversion):
            currency = adjustment.to


def _other_currencies(instance: Proposal | None, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for index, code in enumerate(value):
        path = f"{attribute.name}[{index}]"
        try:
            validate_currency(code)
        except CrokitError as exc:
            raise ValidationError.at(path, str(exc)) from None
        # A reader checks each field alone first, with no instance (serialization's
        # field_value): the own-currency check then waits for the whole proposal.
        if instance is not None and code == instance.currency:
            raise ValidationError.at(path, f"{code} is the proposal's own currency; list only other ones")
        if code in value[:index]:
            raise ValidationError.at(path, f"{code} is already listed at {attribute.name}[{value.index(code)}]")


_MODEL_NAMES: Final = "a " + ", ".join(model.__name__ for model in _MODELS)
_ADJUSTMENT_NAMES: Final = "a " + ", ".join(model.__name__ for model in ADJUSTMENT_TYPES)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Proposal:
    """A CRO's priced proposal: pricing items in one currency, adjustments and performance terms.

    :meth:`price` prices the items in order, then applies the adjustments in the order
    listed, each to the budget the ones before it left (see
    :mod:`crokit.pricing.adjustments`); adjustment lines show in the budget. A
    currency conversion among the adjustments changes the budget's currency from that
    point on. Performance terms are contingent, so they are not priced into the budget:
    evaluate them with :func:`~crokit.pricing.performance_outcome`.

    Attributes:
        cro_id: The proposing CRO's id (``"helix-cro"``).
        currency: The ISO 4217 currency every item is priced in.
        items: Unit prices, pass-through costs, fixed fees, FTE time and materials and
            investigator grants, in proposal order.
        adjustments: Discounts, escalation, contingency, management fees and currency
            conversions, in the order they apply.
        performance_terms: Bonus and malus terms, in the proposal's currency.
        other_currencies: Currencies items may be priced in besides the proposal's
            (``["JPY"]``); each such item is converted into the proposal's currency when
            priced, with the exchange rates passed to :meth:`price`.
    """

    cro_id: str = attrs.field(validator=slug)
    currency: str = attrs.field(validator=lambda _i, _a, v: validate_currency(v))
    items: tuple[PricingModel, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_typed(_MODELS, _MODEL_NAMES)
    )
    adjustments: tuple[Adjustment, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_typed(ADJUSTMENT_TYPES, _ADJUSTMENT_NAMES)
    )
    performance_terms: tuple[PerformanceTerm, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_typed((PerformanceTerm,), "a PerformanceTerm")
    )
    other_currencies: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=_other_currencies)

    def __attrs_post_init__(self) -> None:
        """Check every amount against the proposal's currency (a tiered discount's against the currency then)."""
        _check_currencies(self)

    @in_crokit_context
    def price(
        self,
        study: Study,
        drivers: CostDrivers,
        *,
        registry: Registry,
        fx: FxTable | None = None,
        on: date | None = None,
    ) -> Budget:
        """Price every item, put their lines together in item order, then apply the adjustments.

        Items in one of :attr:`other_currencies` are converted into the proposal's
        currency with *fx* at the rate in force on *on* (see :meth:`price_converted`).

        Raises:
            UnknownIdError: If an item's service is not in *registry* (path ``items[i].service``).
            ValidationError: If an item does not fit (paths start with ``items[i]``), two
                items give lines with the same service and description, or an item is in
                another currency and no *fx* and *on* are given.
            MissingRateError: If a currency conversion has no rate.
        """
        return self.price_converted(study, drivers, registry=registry, fx=fx, on=on)[0]

    @in_crokit_context
    def price_converted(
        self,
        study: Study,
        drivers: CostDrivers,
        *,
        registry: Registry,
        fx: FxTable | None = None,
        on: date | None = None,
        purpose: FxPurpose = FxPurpose.COMPARISON,
    ) -> tuple[Budget, tuple[Conversion, ...]]:
        """Price like :meth:`price`, and say which conversions of other-currency items were used.

        The lines of the items in each other currency are converted together, at the
        rate in force on *on*: their converted total is rounded once and split over them
        exactly (see :func:`~crokit.pricing.convert_budget`); one :class:`Conversion`
        per currency. The lines keep item order.

        Raises:
            ValidationError: As :meth:`price`; an item in another currency without *fx*
                and *on* is refused at ``items[i]``.
            MissingRateError: If the table has no rate for a pair in force on *on*.
        """
        lines: list[LineItem] = []
        foreign: dict[str, list[LineItem]] = {}
        for index, item in enumerate(self.items):
            priced = item.price(study, drivers, registry=registry, path=f"items[{index}]").lines
            if item.currency != self.currency:
                if fx is None or on is None:
                    raise ValidationError.at(
                        f"items[{index}]",
                        f"the item is priced in {item.currency} and the proposal in {self.currency}: "
                        "pass fx= (an FxTable) and on= (the date whose rate applies) to convert it",
                    )
                foreign.setdefault(item.currency, []).extend(priced)
            lines.extend(priced)
        conversions: list[Conversion] = []
        if foreign:
            assert fx is not None and on is not None  # noqa: S101, PT018 - checked above
            converted: dict[tuple[str, str], LineItem] = {}
            for code, group in foreign.items():
                budget, record = convert_budget(
                    Budget(currency=code, lines=group), self.currency, fx=fx, on=on, purpose=purpose
                )
                converted.update((line.key, line) for line in budget.lines)
                if record is not None:
                    conversions.append(record)
            lines = [converted.get(line.key, line) if line.amount.currency != self.currency else line for line in lines]
        return apply_adjustments(Budget(currency=self.currency, lines=lines), self.adjustments), tuple(conversions)
