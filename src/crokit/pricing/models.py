"""Pricing models: unit prices, pass-through costs, fixed fees, and a CRO's proposal.

Each model prices itself against a study and its :class:`~crokit.pricing.CostDrivers`
into a :class:`~crokit.pricing.Budget`. Amounts are rounded once per line, half-even to
the currency's minor unit; fixed fees are split over milestones with
:meth:`~crokit.Money.allocate`, so the payments sum exactly to the fee.

Each model class carries a ``kind`` tag (``"unit-price"``, ``"pass-through"``,
``"fixed-fee"``) for tagged-union serialization.

>>> from datetime import date
>>> from crokit import Money, Registry, Stage, Study, UnitBasis
>>> from crokit.pricing import Assumptions, derive_drivers
>>> study = Study(
...     name="RD-201", phase=Stage.PHASE_2, therapeutic_area="crokit:rare-disease",
...     indication="Fabry disease", planned_patients=60, sites=12, countries=("US", "DE"),
...     start_date=date(2027, 1, 4), currency="USD",
... )
>>> drivers = derive_drivers(study, Assumptions(
...     startup_months=4, enrolment_months=12, treatment_months=6, closeout_months=3,
...     monitoring_interval_weeks=6, tables_listings_figures=120, crf_pages_per_visit_default=10,
... ))
>>> proposal = Proposal(cro_id="helix-cro", currency="USD", items=(
...     UnitPrice(service="crokit:site-start-up", stage=Stage.PHASE_2, basis=UnitBasis.PER_SITE,
...               rate=Money("4500.00", "USD")),
...     PassThrough(service="crokit:investigator-grants", stage=Stage.PHASE_2,
...                 estimate=Money("300000.00", "USD"), management_fee="0.05"),
... ))
>>> budget = proposal.price(study, drivers, registry=Registry.builtin())
>>> [str(line.amount) for line in budget.lines]
['54000.00 USD', '300000.00 USD', '15000.00 USD']
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, ClassVar, Final

import attrs

from crokit._convert import to_tuple
from crokit._decimal import CONTEXT, to_decimal
from crokit._validators import slug
from crokit.errors import ValidationError
from crokit.money import Money, total, validate_currency
from crokit.pricing.adjustments import ADJUSTMENTS as ADJUSTMENT_TYPES
from crokit.pricing.adjustments import Adjustment, CurrencyConversion, TieredDiscount, apply_adjustments
from crokit.pricing.budget import POLICY, Budget, CostBucket, LineItem, PricingKind
from crokit.pricing.drivers import CostDrivers
from crokit.pricing.fte import FteTimeAndMaterials
from crokit.pricing.grants import InvestigatorGrants
from crokit.pricing.performance import PerformanceTerm
from crokit.registry import Registry
from crokit.study import Study
from crokit.vocabulary.ids import check_id
from crokit.vocabulary.lifecycle import Milestone, Stage
from crokit.vocabulary.terms import Service, UnitBasis

__all__ = ["FixedFee", "MilestonePayment", "PassThrough", "PricingModel", "Proposal", "UnitPrice"]

_EXPLICIT_BASES: Final = frozenset({UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH, UnitBasis.PER_SAMPLE})
_TIME_BASES: Final = frozenset({UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH})
_GRANTS: Final = "crokit:investigator-grants"
_HUNDRED: Final = Decimal(100)


def _service(_instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    check_id(value, path=attribute.name)


def _money(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Money):
        raise ValidationError.at(attribute.name, f"expected Money, got {value!r}")
    if value.amount < 0:
        raise ValidationError.at(attribute.name, f"expected an amount >= 0, got {value}")


def _optional_decimal(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, what="number")


def _decimal(value: object) -> Decimal:
    return to_decimal(value, what="number")


def _non_negative(_instance: object, attribute: attrs.Attribute[Any], value: Decimal | None) -> None:
    if value is not None and value < 0:
        raise ValidationError.at(attribute.name, f"expected a number >= 0, got {value}")


def _bases(service: Service) -> str:
    listed = [basis.value for basis in UnitBasis if basis in service.unit_bases]
    return f"usually priced {', '.join(listed)}" if listed else "the registry lists no usual unit basis for it"


def _lookup(registry: Registry, service_id: str, path: str) -> Service:
    return registry.service(service_id, path=_join(path, "service"))


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _check_drivers(study: Study, drivers: CostDrivers) -> None:
    facts = {
        "sites": (study.sites, drivers.sites.value),
        "planned_patients": (study.planned_patients, drivers.patients_enrolled.value),
        "countries": (len(study.countries), drivers.countries.value),
    }
    for name, (expected, found) in facts.items():
        if Decimal(expected) != found:
            raise ValidationError.at(
                "drivers",
                f"the drivers were derived from another study: they count {found} {name}, the study {expected}",
            )


def _grants_or(service: Service, kind: PricingKind, bucket: CostBucket) -> tuple[PricingKind, CostBucket]:
    if service.id == _GRANTS:
        return PricingKind.GRANTS, CostBucket.INVESTIGATOR_GRANTS
    return kind, bucket


def _prefixed(error: ValidationError, path: str) -> ValidationError:
    return error.with_prefix(path) if path else error


@attrs.frozen(kw_only=True)
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
    stage: Stage = attrs.field(validator=attrs.validators.instance_of(Stage))
    basis: UnitBasis = attrs.field(validator=attrs.validators.instance_of(UnitBasis))
    rate: Money = attrs.field(validator=_money)
    quantity: Decimal | None = attrs.field(default=None, converter=_optional_decimal, validator=_non_negative)
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
        line = LineItem(
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


def _fee(_instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not Decimal(0) <= value < 1:
        raise ValidationError.at(
            attribute.name, f"expected a fraction from 0 up to but not including 1 (0.05 for 5%), got {value}"
        )


@attrs.frozen(kw_only=True)
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
        management_fee: The CRO's fee as a fraction of the estimate, from 0 (the
            default: no fee) up to but not including 1.
        description: The line's description; by default the service's name.
    """

    kind: ClassVar[str] = "pass-through"

    service: str = attrs.field(validator=_service)
    stage: Stage = attrs.field(validator=attrs.validators.instance_of(Stage))
    estimate: Money = attrs.field(validator=_money)
    management_fee: Decimal = attrs.field(default=Decimal(0), converter=_decimal, validator=_fee)
    description: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    @property
    def currency(self) -> str:
        """The currency the item is priced in."""
        return self.estimate.currency

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
            LineItem(
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
                LineItem(
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


def _percent(_instance: object, attribute: attrs.Attribute[Any], value: Decimal | None) -> None:
    if value is not None and not Decimal(0) < value <= _HUNDRED:
        raise ValidationError.at(attribute.name, f"expected a percentage above 0 and at most 100, got {value}")


def _positive_money(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, Money):
        raise ValidationError.at(attribute.name, f"expected Money, got {value!r}")
    if value.amount <= 0:
        raise ValidationError.at(attribute.name, f"expected an amount above 0, got {value}")
    if not value.is_rounded():
        raise ValidationError.at(attribute.name, f"expected whole {value.currency} minor units, got {value}")


@attrs.frozen(kw_only=True)
class MilestonePayment:
    """A share of a fixed fee paid when a milestone is reached: a percentage or an amount.

    Attributes:
        milestone: The milestone that triggers the payment.
        percent: The share of the fee, above 0 and at most 100 (``"25"`` for 25%).
        amount: The payment, above 0 and in whole minor units.
    """

    milestone: Milestone = attrs.field(validator=attrs.validators.instance_of(Milestone))
    percent: Decimal | None = attrs.field(default=None, converter=_optional_decimal, validator=_percent)
    amount: Money | None = attrs.field(default=None, validator=_positive_money)

    def __attrs_post_init__(self) -> None:
        """Require exactly one of percent and amount."""
        if (self.percent is None) == (self.amount is None):
            raise ValidationError.at(
                "percent",
                f"give exactly one of percent and amount, got {'both' if self.percent is not None else 'neither'}",
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
    by_percent: bool | None = None
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
        if by_percent is None:
            by_percent = payment.percent is not None
        elif by_percent != (payment.percent is not None):
            raise ValidationError.at(
                path, "give every payment as a percent or every payment as an amount, not a mix of both"
            )


@attrs.frozen(kw_only=True)
class FixedFee:
    """A fixed fee for a defined scope, paid on milestones.

    Payments are given either all as percentages, which must sum to exactly 100, or
    all as amounts, which must sum to exactly the fee. Percentages are turned into
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
    ...     milestones=(MilestonePayment(milestone=Milestone.DATABASE_LOCK, percent="33.333"),
    ...                 MilestonePayment(milestone=Milestone.CLINICAL_STUDY_REPORT, percent="66.667")),
    ... )
    >>> [str(amount) for amount in fixed.payments()]
    ['33333.00 USD', '66667.00 USD']
    """

    kind: ClassVar[str] = "fixed-fee"

    service: str = attrs.field(validator=_service)
    stage: Stage = attrs.field(validator=attrs.validators.instance_of(Stage))
    fee: Money = attrs.field(validator=_fixed_fee)
    milestones: tuple[MilestonePayment, ...] = attrs.field(converter=to_tuple, validator=_payments)
    description: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    def __attrs_post_init__(self) -> None:
        """Check that the payments add up to the whole fee."""
        if self.milestones[0].percent is not None:
            percents = [payment.percent or Decimal(0) for payment in self.milestones]
            summed = sum(percents, Decimal(0))
            if summed != _HUNDRED:
                raise ValidationError.at("milestones", f"milestone percentages sum to {summed}, expected exactly 100")
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

    def payments(self) -> tuple[Money, ...]:
        """Each milestone's payment, in milestone order; they sum exactly to the fee (rounded once)."""
        if self.milestones[0].percent is None:
            return tuple(payment.amount or Money.zero(self.currency) for payment in self.milestones)
        return self.fee.rounded(POLICY).allocate([payment.percent or Decimal(0) for payment in self.milestones])

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
            if payment.percent is not None:
                how = f"{payment.percent}% of the fee {rounded}, split by largest remainder so payments sum to the fee"
            else:
                how = f"stated amount of the fee {self.fee}"
            month = drivers.month_of(payment.milestone)
            lines.append(
                LineItem(
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


@attrs.frozen(kw_only=True)
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
