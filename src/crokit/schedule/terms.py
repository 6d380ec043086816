"""What a payment schedule is built from: planned milestone dates and billing terms.

>>> from datetime import date
>>> from crokit import Milestone
>>> plan = MilestonePlan(dates=((Milestone.FIRST_PATIENT_IN, date(2027, 3, 1)),
...                             (Milestone.DATABASE_LOCK, date(2028, 6, 30))))
>>> plan.date_of(Milestone.DATABASE_LOCK)
datetime.date(2028, 6, 30)
>>> BillingTerms(holdback_share="0.10").holdback_release.value
'clinical-study-report'
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from crokit._typed import typed_fields
from crokit._validators import as_member, is_date, is_member, whole_number
from crokit.errors import ValidationError
from crokit.units import Fraction, fraction, fraction_validator
from crokit.vocabulary.lifecycle import Milestone, _as_milestone

__all__ = ["BillingFrequency", "BillingTerms", "MilestoneDate", "MilestonePlan", "member_of"]

E = TypeVar("E", bound=enum.Enum)


def member_of(cls: type[E]) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """A validator: a member of the enum *cls*, refused with a :class:`~crokit.ValidationError` otherwise."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, cls):
            names = ", ".join(repr(member.value) for member in cls)
            raise ValidationError.at(attribute.name, f"expected a {cls.__name__} ({names}), got {value!r}")

    return check


class BillingFrequency(enum.Enum):
    """How often service fees are invoiced.

    - ``MONTHLY``: one invoice per calendar month, dated the month's last day.
    - ``QUARTERLY``: one invoice per calendar quarter, dated the quarter's last day
      (31 March, 30 June, 30 September, 31 December).
    """

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


def _as_billing_frequency(value: object) -> object:
    """A converter: text (the value or name) to BillingFrequency member (see :func:`crokit._members.as_member`)."""
    return as_member(BillingFrequency, value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class MilestoneDate:
    """The planned date of one milestone.

    Attributes:
        milestone: The milestone.
        date: The day it is planned for.
    """

    milestone: Milestone = attrs.field(converter=_as_milestone, validator=is_member(Milestone))
    date: dt.date = attrs.field(validator=is_date)


def _planned(
    value: Iterable[MilestoneDate | tuple[Milestone, dt.date]] | Mapping[Milestone, dt.date],
) -> tuple[MilestoneDate, ...]:
    items: Iterable[Any] = value.items() if isinstance(value, Mapping) else value
    result: list[MilestoneDate] = []
    for index, item in enumerate(items):
        if isinstance(item, MilestoneDate):
            result.append(item)
        elif isinstance(item, tuple) and len(item) == 2:  # noqa: PLR2004 - a (milestone, date) pair
            try:
                result.append(MilestoneDate(milestone=item[0], date=item[1]))
            except ValidationError as error:
                raise error.with_prefix(f"dates[{index}]") from None
        else:
            raise ValidationError.at(f"dates[{index}]", f"expected a (milestone, date) pair, got {item!r}")
    return tuple(result)


def _in_order(_instance: object, attribute: attrs.Attribute[Any], value: tuple[MilestoneDate, ...]) -> None:
    seen: dict[Milestone, int] = {}
    for index, planned in enumerate(value):
        if planned.milestone in seen:
            raise ValidationError.at(
                f"{attribute.name}[{index}].milestone",
                f"{planned.milestone.label} is already planned at {attribute.name}[{seen[planned.milestone]}]",
            )
        seen[planned.milestone] = index
    ordered = sorted(value, key=lambda planned: planned.milestone.order)
    for earlier, later in itertools.pairwise(ordered):
        if later.date < earlier.date:
            raise ValidationError.at(
                f"{attribute.name}[{value.index(later)}].date",
                f"{later.milestone.label} ({later.date}) is planned before {earlier.milestone.label} "
                f"({earlier.date}), which comes first in a study",
            )


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class MilestonePlan:
    """Planned dates of the milestones a contract pays on.

    Milestones taken in their usual study order (:attr:`~crokit.Milestone.order`) must
    have non-decreasing dates; two milestones may fall on the same day. Milestones
    that nothing is paid on may be left out. Whether a date falls before the contract
    start is checked by :func:`~crokit.schedule.build_schedule`, which knows the start.

    Attributes:
        dates: Each milestone at most once, in any order; ``(milestone, date)`` pairs
            or a mapping are accepted and turned into :class:`MilestoneDate` values.
    """

    dates: tuple[MilestoneDate, ...] = attrs.field(default=(), converter=_planned, validator=_in_order)

    def date_of(self, milestone: Milestone, *, path: str = "milestones") -> dt.date:
        """The planned date of *milestone*.

        Raises:
            ValidationError: If the plan has no date for it (at ``{path}.dates``).
        """
        for planned in self.dates:
            if planned.milestone is milestone:
                return planned.date
        raise ValidationError.at(
            f"{path}.dates", f"no planned date for {milestone.label} ({milestone.value}), which a payment falls on"
        )

    def check_start(self, contract_start: dt.date, *, path: str = "milestones") -> None:
        """Refuse a milestone planned before *contract_start*.

        Raises:
            ValidationError: Naming the milestone, at ``{path}.dates[i].date``.
        """
        for index, planned in enumerate(self.dates):
            if planned.date < contract_start:
                raise ValidationError.at(
                    f"{path}.dates[{index}].date",
                    f"{planned.milestone.label} is planned for {planned.date}, before the contract starts on "
                    f"{contract_start}",
                )


def _bool(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError.at(attribute.name, f"expected true or false, got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class BillingTerms:
    """How a CRO invoices and how fast the sponsor pays.

    Attributes:
        frequency: How often service fees are invoiced (monthly by default).
        in_arrears: Invoice at the end of each billing period (the default), or at its
            start (in advance; never before the contract start).
        payment_days: Days from invoice to payment due: 30 for net 30 (0 to 365).
        holdback_share: The share of every invoice of CRO fees (service periods and
            fixed-fee milestones, never pass-through costs or investigator grants) the
            sponsor retains, a fraction from 0 (the default: none) up to but not
            including 1 (``"0.05"`` for 5%).
        holdback_release: The milestone on which everything retained is paid, in one
            payment. The default is the clinical study report: retention usually
            secures the final deliverable, and the report is the last milestone of a
            study's conduct.
        pass_through_as_incurred: Invoice pass-through costs and investigator grants at
            the end of each month they are incurred (the default), or with the billing
            periods of the service fees.
        grant_holdback_release: The milestone on which the investigator grants held back
            under an :class:`~crokit.pricing.InvestigatorGrants` holdback are paid to the
            sites. The default is database lock: sites are paid the rest of their grants
            once their data queries are resolved and they close out.
    """

    frequency: BillingFrequency = attrs.field(
        converter=_as_billing_frequency,
        default=BillingFrequency.MONTHLY,
        validator=is_member(BillingFrequency),
    )
    in_arrears: bool = attrs.field(default=True, validator=_bool)
    payment_days: int = attrs.field(default=30, validator=whole_number(0, 365))
    holdback_share: Fraction = attrs.field(
        default=Decimal(0), converter=fraction, validator=fraction_validator(below_maximum=True)
    )
    holdback_release: Milestone = attrs.field(
        converter=_as_milestone,
        default=Milestone.CLINICAL_STUDY_REPORT,
        validator=is_member(Milestone),
    )
    pass_through_as_incurred: bool = attrs.field(default=True, validator=_bool)
    grant_holdback_release: Milestone = attrs.field(
        converter=_as_milestone,
        default=Milestone.DATABASE_LOCK,
        validator=is_member(Milestone),
    )

    @property
    def due_after(self) -> dt.timedelta:
        """The time from invoice to payment due."""
        return dt.timedelta(days=self.payment_days)
