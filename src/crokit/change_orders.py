"""Change orders: amending a signed proposal's scope, study and price, with the history kept.

A :class:`ChangeOrder` removes, replaces and adds pricing items of any model (unit
prices, pass-through costs, fixed fees, FTE time and materials, investigator grants),
and may change the study (:class:`StudyChange`: patients, sites, countries, visits,
screen-failure and dropout rates) and the planning assumptions (period lengths,
monitoring frequency), from an **effective date**. Work before the effective date
stays priced as it was; :mod:`crokit.contract_versions` prices every version and
explains each change order's delta line by line. Removed and replaced
items are named by their index in the proposal *as it stands before the change
order*, so a change order means one thing whatever order its parts are listed in: the
new items are the old ones in their old order, with replaced items swapped in place
and removed ones dropped, followed by the added items. A :class:`Contract` is the
original proposal and its change orders; every amended proposal, budget and delta is
computed from them, so nothing earlier is ever lost.

>>> from datetime import date
>>> from crokit import Money, Stage, UnitBasis
>>> from crokit.pricing import Proposal, UnitPrice
>>> visits = UnitPrice(service="crokit:on-site-monitoring", stage=Stage.PHASE_2,
...                    basis=UnitBasis.PER_MONITORING_VISIT, rate=Money("1850.00", "USD"))
>>> contract = Contract(original=Proposal(cro_id="helix-cro", currency="USD", items=(visits,)))
>>> amended = contract.with_change_order(ChangeOrder(
...     id="co-1", date=date(2027, 6, 1), reason=ReasonCode.SPONSOR_SCOPE_CHANGE,
...     description="Monitoring visit rate renegotiated",
...     replace=(Replacement(index=0, item=UnitPrice(service="crokit:on-site-monitoring", stage=Stage.PHASE_2,
...              basis=UnitBasis.PER_MONITORING_VISIT, rate=Money("1950.00", "USD"))),),
... ))
>>> len(amended.history), str(amended.current.items[0].rate)
(2, '1950.00 USD')
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from decimal import Decimal
from typing import Any, Final

import attrs

from crokit._convert import to_tuple
from crokit._decimal import in_crokit_context, to_decimal
from crokit._typed import typed_fields
from crokit._validators import as_member, is_date, non_empty_text, slug, whole_number
from crokit.errors import ValidationError
from crokit.money import Money
from crokit.pricing.assumptions import Assumptions
from crokit.pricing.budget import Budget, BudgetDiff
from crokit.pricing.drivers import CostDrivers
from crokit.pricing.fte import FteTimeAndMaterials
from crokit.pricing.grants import InvestigatorGrants
from crokit.pricing.models import FixedFee, PassThrough, PricingModel, Proposal, UnitPrice
from crokit.registry import Registry
from crokit.study import Study, Visit

__all__ = ["ChangeOrder", "Contract", "ReasonCode", "Replacement", "StudyChange"]

_MODELS: Final = (UnitPrice, PassThrough, FixedFee, FteTimeAndMaterials, InvestigatorGrants)
_MODEL_NAMES: Final = "a UnitPrice, PassThrough, FixedFee, FteTimeAndMaterials or InvestigatorGrants"


class ReasonCode(enum.Enum):
    """Why a change order was raised.

    - ``SPONSOR_SCOPE_CHANGE``: the sponsor asked for more or less work.
    - ``PROTOCOL_AMENDMENT``: the protocol changed (visits, procedures, patients).
    - ``ASSUMPTION_CHANGE``: a pricing assumption proved wrong (enrolment rate, sites).
    - ``CRO_ERROR``: the CRO corrects its own mistake in the proposal.
    - ``OTHER``: anything else; say what in the description.
    """

    SPONSOR_SCOPE_CHANGE = "sponsor-scope-change"
    PROTOCOL_AMENDMENT = "protocol-amendment"
    ASSUMPTION_CHANGE = "assumption-change"
    CRO_ERROR = "cro-error"
    OTHER = "other"


def _as_reason_code(value: object) -> object:
    """A converter: text (the value or name) to ReasonCode member (see :func:`crokit._members.as_member`)."""
    return as_member(ReasonCode, value)


def _reason(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, ReasonCode):
        names = ", ".join(repr(code.value) for code in ReasonCode)
        raise ValidationError.at(attribute.name, f"expected a reason code ({names}), got {value!r}")


def _model(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, _MODELS):
        raise ValidationError.at(attribute.name, f"expected {_MODEL_NAMES}, got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Replacement:
    """One proposal item replaced by another.

    Attributes:
        index: The item's index in the proposal before the change order (from 0).
        item: The item that takes its place.
    """

    index: int = attrs.field(validator=whole_number(0, 100_000))
    item: PricingModel = attrs.field(validator=_model)


def _models(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    for index, item in enumerate(value):
        if not isinstance(item, _MODELS):
            raise ValidationError.at(f"{attribute.name}[{index}]", f"expected {_MODEL_NAMES}, got {item!r}")


def _indexes(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    for index, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, int) or item < 0:
            raise ValidationError.at(f"{attribute.name}[{index}]", f"expected an item index >= 0, got {item!r}")


def _replacements(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    for index, item in enumerate(value):
        if not isinstance(item, Replacement):
            raise ValidationError.at(f"{attribute.name}[{index}]", f"expected a Replacement, got {item!r}")


def _optional_tuple(value: object) -> tuple[Any, ...] | None:
    return None if value is None else to_tuple(value)  # type: ignore[arg-type]


def _optional_rate(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, what="rate")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class StudyChange:
    """What a change order changes in the study; every field left ``None`` stays as it was.

    Rates are fractions (``"0.2"`` for 20%), as on :class:`~crokit.Study`.

    Attributes:
        planned_patients: The new number of patients to enrol (the whole study's, not
            the increase: 60 more than 60 is 120).
        sites: The new number of sites.
        countries: The new list of countries.
        visits: The new visit schedule of one patient.
        screen_failure_rate: The new screen-failure rate.
        dropout_rate: The new dropout rate.

    >>> StudyChange(planned_patients=120, sites=22).changed
    ('planned_patients', 'sites')
    """

    planned_patients: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(whole_number(1, 10_000_000))
    )
    sites: int | None = attrs.field(default=None, validator=attrs.validators.optional(whole_number(1, 100_000)))
    countries: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_tuple)
    visits: tuple[Visit, ...] | None = attrs.field(default=None, converter=_optional_tuple)
    screen_failure_rate: Decimal | None = attrs.field(default=None, converter=_optional_rate)
    dropout_rate: Decimal | None = attrs.field(default=None, converter=_optional_rate)

    def __attrs_post_init__(self) -> None:
        """Require at least one change."""
        if not self.changed:
            raise ValidationError.at("", "a study change changes at least one field")

    @property
    def changed(self) -> tuple[str, ...]:
        """The names of the fields it changes, in field order."""
        return tuple(field.name for field in attrs.fields(StudyChange) if getattr(self, field.name) is not None)

    def apply(self, study: Study) -> Study:
        """*study* with these changes, checked as any study is.

        Raises:
            ValidationError: If the changed study is invalid (more sites than patients,
                a rate of 1, an unknown country), with the field's path.
        """
        return attrs.evolve(study, **{name: getattr(self, name) for name in self.changed})


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ChangeOrder:
    """An amendment to a proposal's items, signed on a date, for a reason.

    Attributes:
        id: The change order's id (``"co-3"``), unique within a contract.
        date: The day it was signed.
        reason: Why it was raised.
        description: What it changes, for people.
        add: Items added after the existing ones, in this order.
        remove: Indexes (in the proposal before this change order) of items removed.
        replace: Items replaced in place, each by index in the proposal before this
            change order. An index is removed or replaced at most once.
        effective: The day the change takes effect; work in study months before the
            effective date's month stays priced as it was. ``None``: the signing date.
        study: What it changes in the study, if anything.
        assumptions: The planning assumptions from now on (period lengths, monitoring
            frequency), if they change.
    """

    id: str = attrs.field(validator=slug)
    date: dt.date = attrs.field(validator=is_date)
    reason: ReasonCode = attrs.field(converter=_as_reason_code, validator=_reason)
    description: str = attrs.field(validator=non_empty_text)
    add: tuple[PricingModel, ...] = attrs.field(default=(), converter=to_tuple, validator=_models)
    remove: tuple[int, ...] = attrs.field(default=(), converter=to_tuple, validator=_indexes)
    replace: tuple[Replacement, ...] = attrs.field(default=(), converter=to_tuple, validator=_replacements)
    effective: dt.date | None = attrs.field(default=None, validator=attrs.validators.optional(is_date))
    study: StudyChange | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(StudyChange))
    )
    assumptions: Assumptions | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Assumptions))
    )

    def __attrs_post_init__(self) -> None:
        """Require some change, and each index touched once."""
        if not (self.add or self.remove or self.replace or self.study or self.assumptions):
            raise ValidationError.at(
                "add", "a change order changes at least one item, the study or the planning assumptions"
            )
        touched: dict[int, str] = {}
        named = [(f"remove[{n}]", index) for n, index in enumerate(self.remove)]
        named += [(f"replace[{n}].index", part.index) for n, part in enumerate(self.replace)]
        for path, index in named:
            if index in touched:
                raise ValidationError.at(path, f"item {index} is already changed at {touched[index]}")
            touched[index] = path

    def apply(self, proposal: Proposal) -> Proposal:
        """The proposal after this change order; *proposal* itself is unchanged.

        Raises:
            ValidationError: If an index is not an item of *proposal* (path
                ``remove[n]`` or ``replace[n].index``), or a new item is in another
                currency (path ``add[n]`` or ``replace[n].item``).
        """
        count = len(proposal.items)
        for n, index in enumerate(self.remove):
            if index >= count:
                raise ValidationError.at(f"remove[{n}]", f"the proposal has items 0 to {count - 1}, got {index}")
        for n, part in enumerate(self.replace):
            if part.index >= count:
                raise ValidationError.at(
                    f"replace[{n}].index", f"the proposal has items 0 to {count - 1}, got {part.index}"
                )
        news = [(f"add[{n}]", item) for n, item in enumerate(self.add)]
        news += [(f"replace[{n}].item", part.item) for n, part in enumerate(self.replace)]
        for path, item in news:
            if item.currency != proposal.currency:
                raise ValidationError.at(
                    path, f"expected an item in {proposal.currency}, the proposal's currency, got {item.currency}"
                )
        replaced = {part.index: part.item for part in self.replace}
        removed = set(self.remove)
        kept = [replaced.get(index, item) for index, item in enumerate(proposal.items) if index not in removed]
        return attrs.evolve(proposal, items=(*kept, *self.add))


def _change_orders(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    seen: dict[str, int] = {}
    previous: ChangeOrder | None = None
    for index, order in enumerate(value):
        path = f"{attribute.name}[{index}]"
        if not isinstance(order, ChangeOrder):
            raise ValidationError.at(path, f"expected a ChangeOrder, got {order!r}")
        if order.id in seen:
            raise ValidationError.at(f"{path}.id", f"{order.id!r} is already {attribute.name}[{seen[order.id]}]")
        seen[order.id] = index
        if previous is not None and order.date < previous.date:
            raise ValidationError.at(
                f"{path}.date", f"change orders are in date order: {order.date} follows {previous.date}"
            )
        if previous is not None and (order.effective or order.date) < (previous.effective or previous.date):
            raise ValidationError.at(
                f"{path}.effective",
                f"a change order takes effect no earlier than the one before it: {order.effective or order.date} "
                f"is before {previous.effective or previous.date}",
            )
        previous = order


def _proposal(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Proposal):
        raise ValidationError.at(attribute.name, f"expected a Proposal, got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Contract:
    """A signed proposal and the change orders that amended it, in date order.

    A contract is a value: :meth:`with_change_order` returns a new contract whose
    history is this one's plus one proposal.

    Attributes:
        original: The proposal as signed.
        change_orders: The change orders, ids unique, dates non-decreasing; each must
            apply to the proposal the earlier ones left.
    """

    original: Proposal = attrs.field(validator=_proposal)
    change_orders: tuple[ChangeOrder, ...] = attrs.field(default=(), converter=to_tuple, validator=_change_orders)
    _history: tuple[Proposal, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        """Apply every change order in turn, refusing one that does not fit."""
        proposals = [self.original]
        for index, order in enumerate(self.change_orders):
            try:
                proposals.append(order.apply(proposals[-1]))
            except ValidationError as error:
                raise error.with_prefix(f"change_orders[{index}]") from None
        object.__setattr__(self, "_history", tuple(proposals))

    @property
    def effective_dates(self) -> tuple[dt.date, ...]:
        """Each change order's effective date (its signing date where it states none)."""
        return tuple(order.effective or order.date for order in self.change_orders)

    @property
    def history(self) -> tuple[Proposal, ...]:
        """The original proposal, then the proposal after each change order."""
        return self._history

    @property
    def current(self) -> Proposal:
        """The proposal after every change order."""
        return self._history[-1]

    def with_change_order(self, change_order: ChangeOrder) -> Contract:
        """A new contract with *change_order* after the existing ones.

        Raises:
            ValidationError: If its id is taken, it is dated before the last change
                order, or it does not apply to :attr:`current`.
        """
        return Contract(original=self.original, change_orders=(*self.change_orders, change_order))

    @in_crokit_context
    def budgets(self, study: Study, drivers: CostDrivers, *, registry: Registry) -> tuple[Budget, ...]:
        """Each proposal of :attr:`history` priced: the original, then after each change order."""
        return tuple(proposal.price(study, drivers, registry=registry) for proposal in self._history)

    def diffs(self, study: Study, drivers: CostDrivers, *, registry: Registry) -> tuple[BudgetDiff, ...]:
        """What each change order changed, line by line: one :class:`~crokit.pricing.BudgetDiff` per order."""
        budgets = self.budgets(study, drivers, registry=registry)
        return tuple(old.diff(new) for old, new in itertools.pairwise(budgets))

    def deltas(self, study: Study, drivers: CostDrivers, *, registry: Registry) -> tuple[Money, ...]:
        """The change in total each change order made, in order; they sum to the cumulative change."""
        return tuple(diff.delta for diff in self.diffs(study, drivers, registry=registry))

    def cumulative_change(self, study: Study, drivers: CostDrivers, *, registry: Registry) -> tuple[Money, Decimal]:
        """The current total less the original, and that change as a fraction of the original total.

        The fraction (``Decimal("0.05")`` for 5%, see :mod:`crokit.units`) is exact to 34
        significant digits (not rounded for display).

        Raises:
            ValidationError: If the original total is zero, so no relative change exists.
        """
        budgets = self.budgets(study, drivers, registry=registry)
        original = budgets[0].total
        change = budgets[-1].total - original
        if original.is_zero():
            raise ValidationError.at("original", "the original proposal totals zero: no relative change exists")
        return change, change.ratio(original)
