"""Per-patient investigator grants, priced from the study's visit schedule.

Sites are paid per patient visit, per screen failure and per early termination, plus
a start-up fee per site. :class:`InvestigatorGrants` prices each of these from the
:class:`~crokit.pricing.CostDrivers`:

- visits: patients enrolled x visits in the schedule (every enrolled patient is paid
  every scheduled visit, including the screening visit: an upper bound, as the visits
  an early-terminated patient misses are not deducted);
- screen failures: patients screened - patients enrolled, paid the screen-failure fee
  (instead of visit payments);
- early terminations: patients enrolled - patients completed, paid the
  early-termination fee (the termination visit);
- start-up: one fee per site.

Months (each line is spread evenly over them, a documented approximation): visit
payments and early terminations from first patient in to last patient out, screen
failures over enrolment, start-up fees in the months sites open.

A holdback (often 10% of patient payments, retained until site close-out) is stated
on the patient-payment lines' descriptions and derivations; the lines keep their full
amounts (the holdback is still owed), and :meth:`InvestigatorGrants.holdback` says how
much of a budget is retained. Start-up fees carry no holdback. Each model holds back
only its own lines, told apart by the name their descriptions start with (its
``description``, or its service's name), so several grants models of one service (one
per cohort, each with its own description) each hold back their own share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar, Final

import attrs

from crokit._convert import to_tuple
from crokit._decimal import CONTEXT, in_crokit_context
from crokit._typed import typed_fields
from crokit._validators import is_member, money_at_least_zero, slug
from crokit.errors import UnknownIdError, ValidationError
from crokit.money import Money, total
from crokit.pricing._model_helpers import _check_drivers, _join
from crokit.pricing.budget import Budget, CostBucket, LineItem, PricingKind
from crokit.pricing.drivers import CostDrivers
from crokit.pricing.fte import _service_id
from crokit.pricing.line_item import POLICY
from crokit.registry import Registry
from crokit.study import Study
from crokit.units import Fraction, fraction, fraction_validator, percent_text
from crokit.vocabulary.lifecycle import Stage, _as_stage
from crokit.vocabulary.terms import UnitBasis

__all__ = ["InvestigatorGrants", "VisitFee"]

_HELD: Final = "held back to close-out"


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class VisitFee:
    """A per-patient fee for one visit of the schedule, overriding the standard visit fee.

    Attributes:
        visit_id: The visit's id in the study's schedule.
        fee: The payment per patient for the visit (>= 0).
    """

    visit_id: str = attrs.field(validator=slug)
    fee: Money = attrs.field(validator=money_at_least_zero)


def _visit_fees(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        path = f"{attribute.name}[{index}]"
        if not isinstance(item, VisitFee):
            raise ValidationError.at(path, f"expected a VisitFee, got {item!r}")
        if item.visit_id in seen:
            raise ValidationError.at(
                f"{path}.visit_id", f"{item.visit_id!r} already has a fee at {attribute.name}[{seen[item.visit_id]}]"
            )
        seen[item.visit_id] = index


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class InvestigatorGrants:
    """Investigator grants per patient visit, screen failure, early termination and site.

    Every fee is in one currency. See the module docstring for the quantities, the
    months and the holdback.

    Attributes:
        stage: The lifecycle stage of the study.
        fee_per_visit: The standard payment per patient per visit (>= 0).
        screen_failure_fee: The payment per screen failure (>= 0).
        early_termination_fee: The payment per early-terminated patient (>= 0).
        startup_fee_per_site: The start-up payment per site (>= 0).
        visit_fees: Per-visit overrides of the standard fee, by visit id.
        holdback_share: The share of patient payments retained until close-out, a
            fraction from 0 (the default) up to but not including 1 (``"0.10"`` for 10%).
        service: The service id (investigator grants by default).
        description: The start of each line's description; by default the service's name.
    """

    kind: ClassVar[str] = "investigator-grants"

    stage: Stage = attrs.field(converter=_as_stage, validator=is_member(Stage))
    fee_per_visit: Money = attrs.field(validator=money_at_least_zero)
    screen_failure_fee: Money = attrs.field(validator=money_at_least_zero)
    early_termination_fee: Money = attrs.field(validator=money_at_least_zero)
    startup_fee_per_site: Money = attrs.field(validator=money_at_least_zero)
    visit_fees: tuple[VisitFee, ...] = attrs.field(default=(), converter=to_tuple, validator=_visit_fees)
    holdback_share: Fraction = attrs.field(
        default=Decimal(0), converter=fraction, validator=fraction_validator(below_maximum=True)
    )
    service: str = attrs.field(default="crokit:investigator-grants", validator=_service_id)
    description: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    def __attrs_post_init__(self) -> None:
        """Require every fee in the standard visit fee's currency."""
        fees = {
            "screen_failure_fee": self.screen_failure_fee,
            "early_termination_fee": self.early_termination_fee,
            "startup_fee_per_site": self.startup_fee_per_site,
            **{f"visit_fees[{i}].fee": item.fee for i, item in enumerate(self.visit_fees)},
        }
        for path, fee in fees.items():
            if fee.currency != self.currency:
                raise ValidationError.at(path, f"expected an amount in {self.currency}, like fee_per_visit, got {fee}")

    @property
    def currency(self) -> str:
        """The currency the item is priced in."""
        return self.fee_per_visit.currency

    @in_crokit_context
    def price(self, study: Study, drivers: CostDrivers, *, registry: Registry, path: str = "") -> Budget:
        """Price the grants into a budget in the fees' currency.

        Lines with a quantity of zero (no screen failures, no early terminations) are
        left out.

        Raises:
            UnknownIdError: If the service is not in *registry*, or a visit fee names a
                visit not in the schedule (path ``visit_fees[i].visit_id``).
            ValidationError: If the study lists no visits.
        """
        service = registry.service(self.service, path=_join(path, "service"))
        _check_drivers(study, drivers)
        if not study.visits:
            raise ValidationError.at(
                _join(path, "fee_per_visit"),
                "per-patient grants need the study's visit schedule, and it lists no visits",
            )
        ids = [visit.id for visit in study.visits]
        for index, item in enumerate(self.visit_fees):
            if item.visit_id not in ids:
                raise UnknownIdError(
                    "visit", item.visit_id, choices=ids, path=_join(path, f"visit_fees[{index}].visit_id")
                )
        name = self.description or service.name
        overrides = {item.visit_id: item.fee for item in self.visit_fees}
        enrolled = drivers.patients_enrolled.value
        screened = drivers.patients_screened.value
        completed = drivers.patients_completed.value
        conduct = drivers.months_for(UnitBasis.PER_PATIENT_VISIT)
        standard = [visit.id for visit in study.visits if visit.id not in overrides]
        visits = UnitBasis.PER_PATIENT_VISIT
        lines: list[LineItem] = []
        if standard:
            count = Decimal(len(standard))
            how = f"{enrolled} patients enrolled x {count} visits at the standard fee"
            quantity = CONTEXT.multiply(enrolled, count)
            lines.append(
                self._line(
                    name,
                    "patient visits",
                    basis=visits,
                    quantity=quantity,
                    fee=self.fee_per_visit,
                    months=conduct,
                    how=how,
                )
            )
        for visit in study.visits:
            if visit.id in overrides:
                how = f"{enrolled} patients enrolled x 1 visit ({visit.id})"
                lines.append(
                    self._line(
                        name,
                        f"visit {visit.id}",
                        basis=visits,
                        quantity=enrolled,
                        fee=overrides[visit.id],
                        months=conduct,
                        how=how,
                    )
                )
        how = f"screened - enrolled = {screened} - {enrolled}"
        months = drivers.months_for(UnitBasis.PER_PATIENT_SCREENED)
        lines.append(
            self._line(
                name,
                "screen failures",
                basis=None,
                quantity=screened - enrolled,
                fee=self.screen_failure_fee,
                months=months,
                how=how,
            )
        )
        how = f"enrolled - completed = {enrolled} - {completed}"
        fee = self.early_termination_fee
        lines.append(
            self._line(
                name, "early terminations", basis=None, quantity=enrolled - completed, fee=fee, months=conduct, how=how
            )
        )
        sites = drivers.sites.value
        months = drivers.months_for(UnitBasis.PER_SITE)
        fee = self.startup_fee_per_site
        lines.append(
            self._line(
                name,
                "site start-up",
                basis=UnitBasis.PER_SITE,
                quantity=sites,
                fee=fee,
                months=months,
                how=f"{sites} sites",
            )
        )
        return Budget(currency=self.currency, lines=[line for line in lines if line.quantity])

    def _held(self, basis: UnitBasis | None) -> bool:
        return bool(self.holdback_share) and basis is not UnitBasis.PER_SITE

    def _line(
        self,
        name: str,
        what: str,
        *,
        basis: UnitBasis | None,
        quantity: Decimal,
        fee: Money,
        months: tuple[int, ...],
        how: str,
    ) -> LineItem:
        amount = (fee * quantity).rounded(POLICY)
        description = f"{name}: {what}"
        derivation = (
            f"{how} = {quantity} x {fee} = {CONTEXT.multiply(fee.amount, quantity)} {self.currency}, "
            f"rounded half-even to {amount}"
        )
        if self._held(basis):
            description += f" ({percent_text(self.holdback_share)}% {_HELD})"
            derivation += f"; {percent_text(self.holdback_share)}% of it is {_HELD}"
        return LineItem._trusted(  # noqa: SLF001 - the model's own checked values
            service=self.service,
            stage=self.stage,
            kind=PricingKind.GRANTS,
            bucket=CostBucket.INVESTIGATOR_GRANTS,
            description=description,
            basis=basis,
            quantity=quantity,
            unit_price=fee,
            amount=amount,
            months=months,
            derivation=derivation,
        )

    def holds(self, line: LineItem, *, others: Sequence[InvestigatorGrants] = ()) -> bool:
        """Whether *line* is one of this model's lines marked as held back.

        That is a grants line of this model's service in the investigator-grants bucket
        (where :meth:`price` puts it: a grants line in another bucket, which only a budget
        written by hand can hold, is paid as that bucket's lines are, and is never held),
        marked as held back, whose description starts with this model's name and ``": "``
        (what :meth:`price` writes). The name is everything before the description's
        last ``": "`` (nothing the model writes after it holds one: visit ids are
        slugs), so a model named ``"Cohort A"`` does not hold the lines of
        ``"Cohort A2"`` nor of ``"Cohort A: x"``.

        A model with no description names its lines after its service, whose name it
        cannot look up without the registry: it holds every held-back grants line of its
        service except those named after the description of one of *others* (the other
        grants models priced into the same budget) of the same service. (Two models of
        one service writing the same name cannot be priced into one budget: their
        start-up lines would share a key, which :class:`~crokit.pricing.Budget` refuses.)

        Raises:
            ValidationError: If an item of *others* is not an :class:`InvestigatorGrants`
                (path ``others[i]``).
        """
        return self._holds(line, _claimed(others))

    def _holds(self, line: LineItem, claimed: Mapping[str, frozenset[str]]) -> bool:
        if (
            line.service != self.service
            or line.kind is not PricingKind.GRANTS
            or line.bucket is not CostBucket.INVESTIGATOR_GRANTS
            or _HELD not in line.description
        ):
            return False
        name = line.description.rpartition(": ")[0]
        if self.description:
            return name == self.description
        return name not in claimed.get(self.service, frozenset())

    def holdback(self, budget: Budget, *, others: Sequence[InvestigatorGrants] = ()) -> Money:
        """The amount of *budget* retained until close-out under this model's holdback.

        That is ``holdback_share`` of the lines this model holds (:meth:`holds`, with
        *others*), summed first and then rounded half-even once, in the budget's
        currency: in a budget converted from the model's currency, the share of the
        converted lines.

        Raises:
            ValidationError: If an item of *others* is not an :class:`InvestigatorGrants`
                (path ``others[i]``).
        """
        held = [line.amount for line in self.held_lines(budget, others=others)]
        base = total(held, currency=budget.currency)
        return (base * self.holdback_share).rounded(POLICY)

    def held_lines(self, budget: Budget, *, others: Sequence[InvestigatorGrants] = ()) -> tuple[LineItem, ...]:
        """The lines of *budget* this model holds (:meth:`holds`, with *others*), in budget order.

        Raises:
            ValidationError: If an item of *others* is not an :class:`InvestigatorGrants`
                (path ``others[i]``).
        """
        claimed = _claimed(others)
        return tuple(line for line in budget.lines if self._holds(line, claimed))


def _claimed(others: Sequence[InvestigatorGrants]) -> dict[str, frozenset[str]]:
    """The descriptions of the described grants models among *others*, by service."""
    claimed: dict[str, set[str]] = {}
    for index, other in enumerate(others):
        if not isinstance(other, InvestigatorGrants):
            raise ValidationError.at(f"others[{index}]", f"expected InvestigatorGrants, got {other!r}")
        if other.description:
            claimed.setdefault(other.service, set()).add(other.description)
    return {service: frozenset(names) for service, names in claimed.items()}
