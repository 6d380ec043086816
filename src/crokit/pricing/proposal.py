"""A CRO's proposal: its pricing items, adjustments and performance terms, priced together.

:class:`Proposal` holds any :data:`PricingModel` (unit prices, pass-through costs,
fixed fees, FTE time and materials, investigator grants) in one currency, checks every
amount against that currency, prices the items in order into one
:class:`~crokit.pricing.Budget` and then applies its adjustments in the order listed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import attrs

from crokit._convert import to_tuple
from crokit._decimal import in_crokit_context
from crokit._typed import typed_fields
from crokit._validators import slug
from crokit.errors import ValidationError
from crokit.money import validate_currency
from crokit.pricing.adjustments import ADJUSTMENTS as ADJUSTMENT_TYPES
from crokit.pricing.adjustments import Adjustment, CurrencyConversion, TieredDiscount, apply_adjustments
from crokit.pricing.budget import Budget, LineItem
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
        if item.currency != currency:
            raise ValidationError.at(
                f"items[{index}].{_MONEY_FIELD[type(item)]}",
                f"expected an amount in {currency}, the proposal's currency, got {item.currency}",
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

    def __attrs_post_init__(self) -> None:
        """Check every amount against the proposal's currency (a tiered discount's against the currency then)."""
        _check_currencies(self)

    @in_crokit_context
    def price(self, study: Study, drivers: CostDrivers, *, registry: Registry) -> Budget:
        """Price every item, put their lines together in item order, then apply the adjustments.

        Raises:
            UnknownIdError: If an item's service is not in *registry* (path ``items[i].service``).
            ValidationError: If an item does not fit (paths start with ``items[i]``), or two
                items give lines with the same service and description.
            MissingRateError: If a currency conversion has no rate.
        """
        lines: list[LineItem] = []
        for index, item in enumerate(self.items):
            lines.extend(item.price(study, drivers, registry=registry, path=f"items[{index}]").lines)
        return apply_adjustments(Budget(currency=self.currency, lines=lines), self.adjustments)
