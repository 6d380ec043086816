"""The unit-price pricing model: a rate per unit of a basis, times a count of units.

A :class:`UnitPrice` takes its count from the study's
:class:`~crokit.pricing.CostDrivers` for its :class:`~crokit.UnitBasis`, or from a
stated quantity where no study fact counts the units (per hour, per FTE month, per
sample), and prices itself into a one-line :class:`~crokit.pricing.Budget`, rounded
once, half-even, to the currency's minor unit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Final

import attrs

from crokit._decimal import CONTEXT, in_crokit_context
from crokit._typed import typed_fields
from crokit._validators import is_member, money_at_least_zero, non_negative
from crokit.errors import ValidationError
from crokit.money import Money
from crokit.pricing._model_helpers import (
    _bases,
    _check_drivers,
    _grants_or,
    _join,
    _lookup,
    _optional_decimal,
    _service,
)
from crokit.pricing.budget import Budget, CostBucket, LineItem, PricingKind
from crokit.pricing.drivers import CostDrivers
from crokit.pricing.line_item import POLICY
from crokit.registry import Registry
from crokit.study import Study
from crokit.vocabulary.lifecycle import Stage, _as_stage
from crokit.vocabulary.terms import UnitBasis, _as_unit_basis

__all__ = ["UnitPrice"]

_EXPLICIT_BASES: Final = frozenset({UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH, UnitBasis.PER_SAMPLE})
_TIME_BASES: Final = frozenset({UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH})


def _prefixed(error: ValidationError, path: str) -> ValidationError:
    return error.with_prefix(path) if path else error


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class UnitPrice:
    """A unit price: a rate per unit of a basis, times the count of units.

    The count comes from the :class:`~crokit.pricing.CostDrivers` for the basis,
    unless ``quantity`` states it; per hour, per FTE month and per sample need a
    stated quantity. Lines priced per hour or per FTE month are of kind ``fte``,
    investigator grants of kind ``grants``, anything else of kind ``unit``.

    Attributes:
        service: The service id priced.
        stage: The lifecycle stage of the work.
        basis: What one unit counts; one of the service's usual unit bases.
        rate: The price of one unit (>= 0).
        quantity: A stated count of units (>= 0), overriding the derived one.
        description: The line's description; by default the service's name and basis.
    """

    kind: ClassVar[str] = "unit-price"

    service: str = attrs.field(validator=_service)
    stage: Stage = attrs.field(converter=_as_stage, validator=is_member(Stage))
    basis: UnitBasis = attrs.field(converter=_as_unit_basis, validator=is_member(UnitBasis))
    rate: Money = attrs.field(validator=money_at_least_zero)
    quantity: Decimal | None = attrs.field(default=None, converter=_optional_decimal, validator=non_negative)
    description: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    def __attrs_post_init__(self) -> None:
        """Refuse the pass-through basis, and a missing quantity where none can be derived."""
        if self.basis is UnitBasis.PASS_THROUGH:
            raise ValidationError.at("basis", "a pass-through cost is priced with PassThrough, not with a unit price")
        if self.basis in _EXPLICIT_BASES and self.quantity is None:
            raise ValidationError.at(
                "quantity", f"unit basis {self.basis.value} is not derived from the study: state the quantity"
            )

    @property
    def currency(self) -> str:
        """The currency the item is priced in."""
        return self.rate.currency

    @in_crokit_context
    def price(self, study: Study, drivers: CostDrivers, *, registry: Registry, path: str = "") -> Budget:
        """Price the item into a one-line budget in the rate's currency.

        Args:
            study: The study priced.
            drivers: Its cost drivers, from :func:`~crokit.pricing.derive_drivers`.
            registry: Where the service is looked up.
            path: Where the item sits in a larger document, put in front of error paths.

        Raises:
            UnknownIdError: If the service is not in *registry*.
            ValidationError: If the basis is not one of the service's usual bases, or
                *drivers* were derived from another study.
        """
        service = _lookup(registry, self.service, path)
        _check_drivers(study, drivers)
        if self.basis not in service.unit_bases:
            raise ValidationError.at(
                _join(path, "basis"),
                f"unit basis {self.basis.value} does not fit service {service.id} ({_bases(service)})",
            )
        if self.quantity is not None:
            quantity = self.quantity
            how = f"quantity {quantity} stated in the proposal"
        else:
            try:
                driver = drivers.get(self.basis)
            except ValidationError as error:
                raise _prefixed(error, path) from None
            quantity = driver.value
            how = f"{driver.name}: {driver.formula} (rounding: {driver.rounding})"
        amount = (self.rate * quantity).rounded(POLICY)
        kind = PricingKind.FTE if self.basis in _TIME_BASES else PricingKind.UNIT
        kind, bucket = _grants_or(service, kind, CostBucket.CRO_DIRECT_FEES)
        exact = CONTEXT.multiply(self.rate.amount, quantity)
        line = LineItem._trusted(  # noqa: SLF001 - the model's own checked values
            service=service.id,
            stage=self.stage,
            kind=kind,
            bucket=bucket,
            description=self.description or f"{service.name} ({self.basis.value})",
            basis=self.basis,
            quantity=quantity,
            unit_price=self.rate,
            amount=amount,
            months=drivers.months_for(self.basis),
            derivation=f"{quantity} x {self.rate} = {exact} {self.currency}, rounded half-even to {amount}; {how}",
        )
        return Budget(currency=self.currency, lines=(line,))
