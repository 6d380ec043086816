"""FTE-based pricing (time and materials): people's time at role rates, with volume discounts.

A :class:`RateCard` lists what each role costs in each region and rate-card year,
per hour or per FTE month. An :class:`FteAllocation` books a role for a share of a
full-time equivalent (FTE) over consecutive study months. :class:`FteTimeAndMaterials`
prices the allocations into one line per role and region, plus a negative
``adjustment`` line per role line for a :class:`VolumeDiscount`, if the contract's FTE months reach
a tier.

>>> from datetime import date
>>> from decimal import Decimal
>>> from crokit import Money, Registry, Stage, Study
>>> from crokit.pricing import Assumptions, derive_drivers
>>> study = Study(
...     name="RD-201", phase=Stage.PHASE_2, therapeutic_area="crokit:rare-disease",
...     indication="Fabry disease", planned_patients=60, sites=12, countries=("US",),
...     start_date=date(2027, 1, 4), currency="USD",
... )
>>> drivers = derive_drivers(study, Assumptions(
...     startup_months=4, enrolment_months=12, treatment_months=6, closeout_months=3,
...     monitoring_interval_weeks=6, tables_listings_figures=120, crf_pages_per_visit_default=10,
... ))
>>> card = RateCard(entries=(RateCardEntry(role="senior-biostatistician", region="us",
...     rate=Money("15000.00", "USD"), per=RatePer.FTE_MONTH, year=2027),))
>>> model = FteTimeAndMaterials(
...     service="crokit:biostatistics", stage=Stage.PHASE_2, rate_card=card, year=2027,
...     allocations=(FteAllocation(role="senior-biostatistician", region="us", fte="0.5",
...                                start_month=0, duration_months=24),),
...     volume_discount=VolumeDiscount(tiers=(DiscountTier(min_fte_months=10, rate="0.05"),)),
... )
>>> [str(line.amount) for line in model.price(study, drivers, registry=Registry.builtin()).lines]
['180000.00 USD', '-9000.00 USD']
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any, ClassVar, Final

import attrs

from crokit._convert import to_tuple
from crokit._decimal import CONTEXT, exact_sum, in_crokit_context, to_decimal
from crokit._typed import typed_fields
from crokit._validators import as_member, is_member, money_at_least_zero, slug, whole_number
from crokit.errors import UnknownIdError, ValidationError
from crokit.money import Money
from crokit.pricing._model_helpers import _check_drivers, _join
from crokit.pricing.budget import Budget, CostBucket, LineItem, PricingKind
from crokit.pricing.drivers import CostDrivers
from crokit.pricing.line_item import POLICY
from crokit.registry import Registry
from crokit.study import Study
from crokit.units import Fraction, fraction, fraction_validator, percent_text
from crokit.vocabulary.ids import check_id
from crokit.vocabulary.lifecycle import Stage, _as_stage
from crokit.vocabulary.terms import UnitBasis

__all__ = [
    "DEFAULT_HOURS_PER_FTE_MONTH",
    "DiscountTier",
    "FteAllocation",
    "FteTimeAndMaterials",
    "RateCard",
    "RateCardEntry",
    "RatePer",
    "VolumeDiscount",
]

DEFAULT_HOURS_PER_FTE_MONTH: Final = Decimal(140)
"""Billable hours in one FTE month: an illustrative default (about 1,680 hours a year),
not data; state the figure your contract uses."""

_MAX_MONTHS: Final = 600


def _decimal(value: object) -> Decimal:
    return to_decimal(value, what="number")


def _service_id(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_id(value, path=attribute.name)


def _at_least_zero(_instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if value < 0:
        raise ValidationError.at(attribute.name, f"expected a number >= 0, got {value}")


def _positive(_instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if value <= 0:
        raise ValidationError.at(attribute.name, f"expected a number above 0, got {value}")


class RatePer(enum.Enum):
    """What a rate-card rate is charged per: an hour or a full-time-equivalent month."""

    HOUR = "hour"
    FTE_MONTH = "fte-month"

    @property
    def basis(self) -> UnitBasis:
        """The matching unit basis of a budget line."""
        return UnitBasis.PER_HOUR if self is RatePer.HOUR else UnitBasis.PER_FTE_MONTH


def _as_rate_per(value: object) -> object:
    """A converter: text (the value or name) to RatePer member (see :func:`crokit._members.as_member`)."""
    return as_member(RatePer, value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class RateCardEntry:
    """One role's rate in one region and rate-card year.

    Attributes:
        role: The role, as a slug (``"senior-biostatistician"``).
        region: Where the person works, as a slug (``"us"``, ``"western-europe"``).
        rate: The price of one hour or one FTE month (>= 0).
        per: What the rate is charged per.
        year: The rate card's year (1990 to 2100).
    """

    role: str = attrs.field(validator=slug)
    region: str = attrs.field(validator=slug)
    rate: Money = attrs.field(validator=money_at_least_zero)
    per: RatePer = attrs.field(converter=_as_rate_per, validator=is_member(RatePer))
    year: int = attrs.field(validator=whole_number(1990, 2100))


def _entries(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    if not value:
        raise ValidationError.at(attribute.name, "expected at least one rate-card entry")
    seen: dict[tuple[str, str, int], int] = {}
    currency = None
    for index, entry in enumerate(value):
        path = f"{attribute.name}[{index}]"
        if not isinstance(entry, RateCardEntry):
            raise ValidationError.at(path, f"expected a RateCardEntry, got {entry!r}")
        currency = currency or entry.rate.currency
        if entry.rate.currency != currency:
            raise ValidationError.at(
                f"{path}.rate", f"expected a rate in {currency}, like entries[0], got {entry.rate}"
            )
        key = (entry.role, entry.region, entry.year)
        if key in seen:
            raise ValidationError.at(
                path, f"{entry.role} in {entry.region} for {entry.year} is already {attribute.name}[{seen[key]}]"
            )
        seen[key] = index


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class RateCard:
    """A CRO's rates by role, region and year, all in one currency.

    Attributes:
        entries: The rates; each ``(role, region, year)`` once.
    """

    entries: tuple[RateCardEntry, ...] = attrs.field(converter=to_tuple, validator=_entries)

    @property
    def currency(self) -> str:
        """The currency every rate is in."""
        return self.entries[0].rate.currency

    def rate(self, role: str, region: str, year: int, *, path: str = "") -> RateCardEntry:
        """The rate of *role* in *region* in force in *year*: the latest entry for a year on or before it.

        Raises:
            UnknownIdError: If the card has no such role, or no such region for the role.
            ValidationError: If the role's rates in the region all start after *year*.
        """
        roles = {entry.role for entry in self.entries}
        if role not in roles:
            raise UnknownIdError("role", role, choices=roles, path=_join(path, "role"))
        regions = {entry.region for entry in self.entries if entry.role == role}
        if region not in regions:
            raise UnknownIdError("region", region, choices=regions, path=_join(path, "region"))
        found = [e for e in self.entries if e.role == role and e.region == region and e.year <= year]
        if not found:
            first = min(e.year for e in self.entries if e.role == role and e.region == region)
            raise ValidationError.at(
                _join(path, "year"), f"the rate card prices {role} in {region} from {first}, not in {year}"
            )
        return max(found, key=lambda entry: entry.year)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class DiscountTier:
    """A volume-discount tier: from *min_fte_months* FTE months on, *rate* off.

    Attributes:
        min_fte_months: FTE months the contract must reach (>= 0).
        rate: The discount, a fraction from 0 up to but not including 1 (``"0.05"`` for 5%).
    """

    min_fte_months: Decimal = attrs.field(converter=_decimal, validator=_at_least_zero)
    rate: Fraction = attrs.field(converter=fraction, validator=fraction_validator(below_maximum=True))


def _tiers(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    if not value:
        raise ValidationError.at(attribute.name, "expected at least one tier")
    previous: Decimal | None = None
    for index, tier in enumerate(value):
        path = f"{attribute.name}[{index}]"
        if not isinstance(tier, DiscountTier):
            raise ValidationError.at(path, f"expected a DiscountTier, got {tier!r}")
        if previous is not None and tier.min_fte_months <= previous:
            raise ValidationError.at(
                f"{path}.min_fte_months",
                f"tiers must be in strictly ascending order: {tier.min_fte_months} follows {previous}",
            )
        previous = tier.min_fte_months


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class VolumeDiscount:
    """A discount tiered by the contract's total FTE months.

    The tier that applies is the last one whose ``min_fte_months`` the total reaches,
    and its rate applies to the whole FTE amount (not only the months above the
    threshold): 120 FTE months under tiers ``0: 0, 100: 0.05`` earn 5% off everything.

    Attributes:
        tiers: The tiers, in strictly ascending ``min_fte_months``.
    """

    tiers: tuple[DiscountTier, ...] = attrs.field(converter=to_tuple, validator=_tiers)

    def rate_for(self, fte_months: Decimal) -> Fraction:
        """The fraction off for a contract of *fte_months* (0 below the first tier)."""
        reached = [tier.rate for tier in self.tiers if fte_months >= tier.min_fte_months]
        return reached[-1] if reached else Decimal(0)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class FteAllocation:
    """A role booked for *fte* full-time equivalents over consecutive study months.

    Attributes:
        role: The role, as on the rate card.
        region: Where the person works, as on the rate card.
        fte: Full-time equivalents (above 0; ``"0.5"`` for half time).
        start_month: The first study month (0 is the study start).
        duration_months: How many months (>= 1).
        hours_per_fte_month: Billable hours in one FTE month, used for hourly rates;
            140 is an illustrative default, not data.
    """

    role: str = attrs.field(validator=slug)
    region: str = attrs.field(validator=slug)
    fte: Decimal = attrs.field(converter=_decimal, validator=_positive)
    start_month: int = attrs.field(validator=whole_number(0, _MAX_MONTHS - 1))
    duration_months: int = attrs.field(validator=whole_number(1, _MAX_MONTHS))
    hours_per_fte_month: Decimal = attrs.field(
        default=DEFAULT_HOURS_PER_FTE_MONTH, converter=_decimal, validator=_positive
    )

    @property
    def months(self) -> tuple[int, ...]:
        """The study months the allocation covers."""
        return tuple(range(self.start_month, self.start_month + self.duration_months))

    @property
    def fte_months(self) -> Decimal:
        """``fte x duration_months``."""
        return CONTEXT.multiply(self.fte, Decimal(self.duration_months))

    def quantity(self, per: RatePer) -> Decimal:
        """Units to bill at a rate charged *per*: FTE months, or hours (FTE months x hours per FTE month)."""
        if per is RatePer.FTE_MONTH:
            return self.fte_months
        return CONTEXT.multiply(self.fte_months, self.hours_per_fte_month)


def _allocations(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    if not value:
        raise ValidationError.at(attribute.name, "expected at least one allocation")
    for index, item in enumerate(value):
        if not isinstance(item, FteAllocation):
            raise ValidationError.at(f"{attribute.name}[{index}]", f"expected an FteAllocation, got {item!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class FteTimeAndMaterials:
    """Time and materials: role allocations priced at rate-card rates.

    Lines: one per ``(role, region)``, in order of first appearance, quantity the sum
    of the allocations' FTE months (or hours, for an hourly rate), spread evenly over
    the months any of them covers; kind ``fte``, bucket ``cro-direct-fees``. If the
    contract's total FTE months reach a :class:`VolumeDiscount` tier, one more line
    of kind ``adjustment`` per role line takes the tier's rate off it, over the same
    months (so every month's discount follows the work it discounts).

    Attributes:
        service: The service id priced; the registry must list the rate's basis for it.
        stage: The lifecycle stage of the work.
        rate_card: The rates.
        year: The rate-card year the rates are taken from.
        allocations: The bookings.
        volume_discount: Optional volume discount.
        description: The start of each line's description; by default the service's name.
    """

    kind: ClassVar[str] = "fte"

    service: str = attrs.field(validator=_service_id)
    stage: Stage = attrs.field(converter=_as_stage, validator=is_member(Stage))
    rate_card: RateCard = attrs.field(validator=attrs.validators.instance_of(RateCard))
    year: int = attrs.field(validator=whole_number(1990, 2100))
    allocations: tuple[FteAllocation, ...] = attrs.field(converter=to_tuple, validator=_allocations)
    volume_discount: VolumeDiscount | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(VolumeDiscount))
    )
    description: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    @property
    def currency(self) -> str:
        """The currency the item is priced in (the rate card's)."""
        return self.rate_card.currency

    @property
    def fte_months(self) -> Decimal:
        """The contract's total FTE months, over every allocation."""
        return exact_sum(allocation.fte_months for allocation in self.allocations)

    @in_crokit_context
    def price(self, study: Study, drivers: CostDrivers, *, registry: Registry, path: str = "") -> Budget:
        """Price the allocations into a budget in the rate card's currency.

        Raises:
            UnknownIdError: If the service is not in *registry*, or a role or region is
                not on the rate card (path ``allocations[i].role`` / ``.region``).
            ValidationError: If the service is not priced per hour or per FTE month as
                the rate is, or a role has no rate for :attr:`year`.
        """
        service = registry.service(self.service, path=_join(path, "service"))
        _check_drivers(study, drivers)
        name = self.description or service.name
        groups: dict[tuple[str, str], list[FteAllocation]] = {}
        for index, allocation in enumerate(self.allocations):
            entry = self.rate_card.rate(
                allocation.role, allocation.region, self.year, path=_join(path, f"allocations[{index}]")
            )
            if entry.per.basis not in service.unit_bases:
                raise ValidationError.at(
                    _join(path, f"allocations[{index}].role"),
                    f"{allocation.role} is priced per {entry.per.value}, which service {service.id} is not priced by",
                )
            groups.setdefault((allocation.role, allocation.region), []).append(allocation)
        lines = [self._line(name, service.id, key, group) for key, group in groups.items()]
        discount = self._discount(service.id, lines)
        return Budget(currency=self.currency, lines=[*lines, *discount])

    def _line(self, name: str, service: str, key: tuple[str, str], group: list[FteAllocation]) -> LineItem:
        role, region = key
        entry = self.rate_card.rate(role, region, self.year)
        quantity = exact_sum(allocation.quantity(entry.per) for allocation in group)
        amount = (entry.rate * quantity).rounded(POLICY)
        months = sorted({month for allocation in group for month in allocation.months})
        booked = " + ".join(
            f"{a.fte} FTE x {a.duration_months} months"
            + (f" x {a.hours_per_fte_month} hours" if entry.per is RatePer.HOUR else "")
            for a in group
        )
        return LineItem._trusted(  # noqa: SLF001 - the model's own checked values
            service=service,
            stage=self.stage,
            kind=PricingKind.FTE,
            bucket=CostBucket.CRO_DIRECT_FEES,
            description=f"{name}: {role} ({region})",
            basis=entry.per.basis,
            quantity=quantity,
            unit_price=entry.rate,
            amount=amount,
            months=tuple(months),
            derivation=(
                f"({booked}) = {quantity} {entry.per.value}s x {entry.rate} (rate card {entry.year}) "
                f"= {CONTEXT.multiply(entry.rate.amount, quantity)} {self.currency}, rounded half-even to {amount}"
            ),
        )

    def _discount(self, service: str, lines: list[LineItem]) -> list[LineItem]:
        if self.volume_discount is None:
            return []
        fte_months = self.fte_months
        rate = self.volume_discount.rate_for(fte_months)
        if not rate:
            return []
        percent = percent_text(rate)
        discounts = []
        for line in lines:
            amount = (-line.amount * rate).rounded(POLICY)
            discounts.append(
                LineItem._trusted(  # noqa: SLF001 - the model's own checked values
                    service=service,
                    stage=self.stage,
                    kind=PricingKind.ADJUSTMENT,
                    bucket=CostBucket.CRO_DIRECT_FEES,
                    description=f"{line.description}: volume discount {percent}%",
                    basis=None,
                    quantity=rate,
                    unit_price=-line.amount,
                    amount=amount,
                    months=line.months,
                    derivation=(
                        f"{fte_months} FTE months in all reach the {percent}% tier; -{percent}% x {line.amount} "
                        f"rounded half-even to {amount}"
                    ),
                )
            )
        return discounts
