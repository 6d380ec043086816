"""The pass-through pricing model: a cost re-billed at cost, with an optional management fee.

A :class:`PassThrough` prices an estimated third-party cost (investigator grants,
travel, lab kits) with no markup, spread from first patient in to last patient out,
and, if the proposal states one, the CRO's management fee on it as a separate line in
the ``cro-direct-fees`` bucket.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

import attrs

from crokit._decimal import in_crokit_context
from crokit._typed import typed_fields
from crokit._validators import is_member, money_at_least_zero
from crokit.errors import ValidationError
from crokit.money import Money
from crokit.pricing._model_helpers import _bases, _check_drivers, _grants_or, _join, _lookup, _service
from crokit.pricing.budget import Budget, CostBucket, LineItem, PricingKind
from crokit.pricing.drivers import CostDrivers
from crokit.pricing.line_item import POLICY
from crokit.registry import Registry
from crokit.study import Study
from crokit.units import Fraction, fraction, fraction_validator
from crokit.vocabulary.lifecycle import Stage, _as_stage
from crokit.vocabulary.terms import UnitBasis

__all__ = ["PassThrough"]


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class PassThrough:
    """A cost passed through at cost (grants, travel, lab kits), with an optional management fee.

    There is no markup unless ``management_fee`` states one; the fee is a separate
    line in the ``cro-direct-fees`` bucket, ``estimate x management_fee`` rounded.
    Investigator grants fall in the ``investigator-grants`` bucket, anything else in
    ``pass-through``.

    Attributes:
        service: The service id; it must be priced as a pass-through in the registry.
        stage: The lifecycle stage of the cost.
        estimate: The estimated cost (>= 0), rounded half-even once to the minor unit.
        management_fee: The CRO's fee as a fraction of the estimate (``"0.05"`` for
            5%), from 0 (the default: no fee) up to but not including 1; a fee of 5
            is refused with "did you mean 0.05 (5%)?".
        description: The line's description; by default the service's name.
    """

    kind: ClassVar[str] = "pass-through"

    service: str = attrs.field(validator=_service)
    stage: Stage = attrs.field(converter=_as_stage, validator=is_member(Stage))
    estimate: Money = attrs.field(validator=money_at_least_zero)
    management_fee: Fraction = attrs.field(
        default=Decimal(0), converter=fraction, validator=fraction_validator(below_maximum=True)
    )
    description: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    @property
    def currency(self) -> str:
        """The currency the item is priced in."""
        return self.estimate.currency

    @in_crokit_context
    def price(self, study: Study, drivers: CostDrivers, *, registry: Registry, path: str = "") -> Budget:
        """Price the cost (and its fee, if any) into a budget in the estimate's currency.

        Both lines fall evenly over the months from first patient in to last patient out.

        Args:
            study: The study priced.
            drivers: Its cost drivers.
            registry: Where the service is looked up.
            path: Where the item sits in a larger document, put in front of error paths.

        Raises:
            UnknownIdError: If the service is not in *registry*.
            ValidationError: If the service is not priced as a pass-through.
        """
        service = _lookup(registry, self.service, path)
        _check_drivers(study, drivers)
        if UnitBasis.PASS_THROUGH not in service.unit_bases:
            raise ValidationError.at(
                _join(path, "service"),
                f"service {service.id} is not priced as a pass-through ({_bases(service)}); use UnitPrice",
            )
        kind, bucket = _grants_or(service, PricingKind.PASS_THROUGH, CostBucket.PASS_THROUGH)
        description = self.description or service.name
        months = drivers.months_for(UnitBasis.PASS_THROUGH)
        cost = self.estimate.rounded(POLICY)
        lines = [
            LineItem._trusted(  # noqa: SLF001 - the model's own checked values
                service=service.id,
                stage=self.stage,
                kind=kind,
                bucket=bucket,
                description=description,
                basis=UnitBasis.PASS_THROUGH,
                quantity=Decimal(1),
                unit_price=self.estimate,
                amount=cost,
                months=months,
                derivation=f"estimate {self.estimate} passed through at cost, rounded half-even to {cost}",
            )
        ]
        if self.management_fee:
            fee = (cost * self.management_fee).rounded(POLICY)
            lines.append(
                LineItem._trusted(  # noqa: SLF001 - the model's own checked values
                    service=service.id,
                    stage=self.stage,
                    kind=PricingKind.PASS_THROUGH,
                    bucket=CostBucket.CRO_DIRECT_FEES,
                    description=f"Management fee on {description}",
                    basis=None,
                    quantity=self.management_fee,
                    unit_price=cost,
                    amount=fee,
                    months=months,
                    derivation=f"management fee {self.management_fee} x {cost}, rounded half-even to {fee}",
                )
            )
        return Budget(currency=self.currency, lines=lines)
