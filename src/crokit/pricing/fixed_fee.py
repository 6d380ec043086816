"""The fixed-fee pricing model: a fixed price for a defined scope, paid on milestones.

A :class:`FixedFee` is split into :class:`MilestonePayment` shares, given all as
fractions (:data:`~crokit.units.Fraction`, summing to exactly 1: ``"0.3"`` for 30%) or
all as amounts (summing to exactly the fee); shares become amounts by rounding the fee once and splitting it with
:meth:`~crokit.Money.allocate`, and each payment is one budget line in the study month
its milestone falls in.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

import attrs

from crokit._convert import to_tuple
from crokit._decimal import exact_sum, in_crokit_context
from crokit._typed import typed_fields
from crokit._validators import is_member
from crokit.errors import ValidationError
from crokit.money import Money, total
from crokit.pricing._model_helpers import _check_drivers, _lookup, _service
from crokit.pricing.budget import Budget, CostBucket, LineItem, PricingKind
from crokit.pricing.drivers import CostDrivers
from crokit.pricing.line_item import POLICY
from crokit.registry import Registry
from crokit.study import Study
from crokit.units import Fraction, fraction, fraction_validator, percent_text
from crokit.vocabulary.lifecycle import Milestone, Stage, _as_milestone, _as_stage

__all__ = ["milestone_of_line", "FixedFee", "MilestonePayment"]


def _positive_money(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, Money):
        raise ValidationError.at(attribute.name, f"expected Money, got {value!r}")
    if value.amount <= 0:
        raise ValidationError.at(attribute.name, f"expected an amount above 0, got {value}")
    if not value.is_rounded():
        raise ValidationError.at(attribute.name, f"expected whole {value.currency} minor units, got {value}")


def _optional_fraction(value: object) -> Decimal | None:
    return None if value is None else fraction(value)


def milestone_of_line(line: LineItem) -> Milestone | None:
    """The milestone a fixed-fee line is paid on: its description ends with the milestone's label.

    :meth:`FixedFee.price` writes each payment's line as ``"<description>: <label>"``.
    """
    for milestone in Milestone:
        if line.description.endswith(f": {milestone.label}"):
            return milestone
    return None


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class MilestonePayment:
    """A share of a fixed fee paid when a milestone is reached: a fraction of the fee or an amount.

    Attributes:
        milestone: The milestone that triggers the payment.
        share: The share of the fee, a fraction above 0 and at most 1 (``"0.25"`` for 25%).
        amount: The payment, above 0 and in whole minor units.
    """

    milestone: Milestone = attrs.field(converter=_as_milestone, validator=is_member(Milestone))
    share: Fraction | None = attrs.field(
        default=None, converter=_optional_fraction, validator=fraction_validator(above_zero=True)
    )
    amount: Money | None = attrs.field(default=None, validator=_positive_money)

    def __attrs_post_init__(self) -> None:
        """Require exactly one of share and amount."""
        if (self.share is None) == (self.amount is None):
            raise ValidationError.at(
                "share",
                f"give exactly one of share and amount, got {'both' if self.share is not None else 'neither'}",
            )


def _fixed_fee(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Money):
        raise ValidationError.at(attribute.name, f"expected Money, got {value!r}")
    if value.amount <= 0:
        raise ValidationError.at(attribute.name, f"expected a fee above 0, got {value}")


def _payments(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    if not value:
        raise ValidationError.at(attribute.name, "expected at least one milestone payment")
    seen: dict[Milestone, int] = {}
    by_share: bool | None = None
    for index, payment in enumerate(value):
        path = f"{attribute.name}[{index}]"
        if not isinstance(payment, MilestonePayment):
            raise ValidationError.at(path, f"expected a MilestonePayment, got {payment!r}")
        if payment.milestone in seen:
            raise ValidationError.at(
                f"{path}.milestone",
                f"{payment.milestone.value} is already paid at {attribute.name}[{seen[payment.milestone]}]",
            )
        seen[payment.milestone] = index
        if by_share is None:
            by_share = payment.share is not None
        elif by_share != (payment.share is not None):
            raise ValidationError.at(
                path, "give every payment as a share or every payment as an amount, not a mix of both"
            )


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class FixedFee:
    """A fixed fee for a defined scope, paid on milestones.

    Payments are given either all as shares (fractions of the fee), which must sum to
    exactly 1, or all as amounts, which must sum to exactly the fee. Shares are turned into
    amounts by rounding the fee once (half-even, to the minor unit) and splitting it
    with :meth:`~crokit.Money.allocate`, so the payments always sum to the fee.
    Each payment is one line in the month its milestone falls in
    (:meth:`~crokit.pricing.CostDrivers.month_of`).

    Attributes:
        service: The service id priced.
        stage: The lifecycle stage of the work.
        fee: The fixed price (above 0). Named ``fee`` because ``price`` is the method
            every model prices itself with.
        milestones: The payments, in the order they are listed.
        description: The start of each line's description; by default the service's name.

    >>> from crokit import Money, Milestone, Stage
    >>> fixed = FixedFee(
    ...     service="crokit:clinical-study-report", stage=Stage.PHASE_2, fee=Money("100000.00", "USD"),
    ...     milestones=(MilestonePayment(milestone=Milestone.DATABASE_LOCK, share="0.33333"),
    ...                 MilestonePayment(milestone=Milestone.CLINICAL_STUDY_REPORT, share="0.66667")),
    ... )
    >>> [str(amount) for amount in fixed.payments()]
    ['33333.00 USD', '66667.00 USD']
    """

    kind: ClassVar[str] = "fixed-fee"

    service: str = attrs.field(validator=_service)
    stage: Stage = attrs.field(converter=_as_stage, validator=is_member(Stage))
    fee: Money = attrs.field(validator=_fixed_fee)
    milestones: tuple[MilestonePayment, ...] = attrs.field(converter=to_tuple, validator=_payments)
    description: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    def __attrs_post_init__(self) -> None:
        """Check that the payments add up to the whole fee."""
        if self.milestones[0].share is not None:
            summed = exact_sum(payment.share or Decimal(0) for payment in self.milestones)
            if summed != 1:
                raise ValidationError.at("milestones", f"milestone shares sum to {summed}, expected exactly 1")
            return
        for index, payment in enumerate(self.milestones):
            if payment.amount is not None and payment.amount.currency != self.fee.currency:
                raise ValidationError.at(
                    f"milestones[{index}].amount",
                    f"expected an amount in {self.fee.currency}, the fee's currency, got {payment.amount}",
                )
        summed_amount = total((payment.amount for payment in self.milestones if payment.amount), currency=self.currency)
        if summed_amount != self.fee:
            raise ValidationError.at(
                "milestones", f"milestone amounts sum to {summed_amount}, expected exactly the fee {self.fee}"
            )

    @property
    def currency(self) -> str:
        """The currency the item is priced in."""
        return self.fee.currency

    @in_crokit_context
    def payments(self) -> tuple[Money, ...]:
        """Each milestone's payment, in milestone order; they sum exactly to the fee (rounded once)."""
        if self.milestones[0].share is None:
            return tuple(payment.amount or Money.zero(self.currency) for payment in self.milestones)
        return self.fee.rounded(POLICY).allocate([payment.share or Decimal(0) for payment in self.milestones])

    @in_crokit_context
    def price(self, study: Study, drivers: CostDrivers, *, registry: Registry, path: str = "") -> Budget:
        """Price the fee into one line per milestone payment, in the fee's currency.

        Args:
            study: The study priced.
            drivers: Its cost drivers (for the month of each milestone).
            registry: Where the service is looked up.
            path: Where the item sits in a larger document, put in front of error paths.

        Raises:
            UnknownIdError: If the service is not in *registry*.
        """
        service = _lookup(registry, self.service, path)
        _check_drivers(study, drivers)
        description = self.description or service.name
        rounded = self.fee.rounded(POLICY)
        lines = []
        for payment, amount in zip(self.milestones, self.payments(), strict=True):
            if payment.share is not None:
                how = (
                    f"{percent_text(payment.share)}% of the fee {rounded}, "
                    "split by largest remainder so payments sum to the fee"
                )
            else:
                how = f"stated amount of the fee {self.fee}"
            month = drivers.month_of(payment.milestone)
            lines.append(
                LineItem._trusted(  # noqa: SLF001 - the model's own checked values
                    service=service.id,
                    stage=self.stage,
                    kind=PricingKind.FIXED_FEE,
                    bucket=CostBucket.CRO_DIRECT_FEES,
                    description=f"{description}: {payment.milestone.label}",
                    basis=None,
                    quantity=Decimal(1),
                    unit_price=amount,
                    amount=amount,
                    months=(month,),
                    derivation=f"{amount} paid on {payment.milestone.label} (study month {month}): {how}",
                )
            )
        return Budget(currency=self.currency, lines=lines)
