"""Risk-sharing terms: a bonus for reaching a milestone on time, a malus for missing it.

Performance terms are contingent, so they are not priced into a proposal's base
budget: a :class:`~crokit.pricing.Proposal` lists them in ``performance_terms``, and
:func:`performance_outcome` says what they pay once the milestones' actual dates are
known. A term is met when its milestone is reached on or before the target date.

>>> from datetime import date
>>> from crokit import Milestone, Money
>>> term = PerformanceTerm(
...     milestone=Milestone.LAST_PATIENT_IN, target_date=date(2028, 6, 30),
...     bonus=Money("50000.00", "USD"), malus=Money("25000.00", "USD"),
... )
>>> str(evaluate(term, date(2028, 6, 1))), str(evaluate(term, date(2028, 7, 1)))
('50000.00 USD', '-25000.00 USD')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from crokit._decimal import in_crokit_context
from crokit._typed import typed_fields
from crokit._validators import as_member, is_date, is_member
from crokit.errors import ValidationError
from crokit.money import Money
from crokit.vocabulary.lifecycle import Milestone, _as_milestone

__all__ = ["OutcomeStatus", "PerformanceOutcome", "PerformanceTerm", "evaluate", "performance_outcome"]


def _optional_positive(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, Money):
        raise ValidationError.at(attribute.name, f"expected Money, got {value!r}")
    if value.amount <= 0:
        raise ValidationError.at(attribute.name, f"expected an amount above 0, got {value}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class PerformanceTerm:
    """A bonus if *milestone* is reached by *target_date*, a malus if it is late.

    Give a bonus, a malus or both, in one currency. Not a pricing model: a term is
    contingent and never part of the base budget.

    Attributes:
        milestone: The milestone measured.
        target_date: The last date that counts as on time.
        bonus: Paid to the CRO if the milestone is met (above 0).
        malus: Taken off the CRO's fees if the milestone is late (above 0).
        description: What the term is, in the contract's words.
    """

    milestone: Milestone = attrs.field(converter=_as_milestone, validator=is_member(Milestone))
    target_date: date = attrs.field(validator=is_date)
    bonus: Money | None = attrs.field(default=None, validator=_optional_positive)
    malus: Money | None = attrs.field(default=None, validator=_optional_positive)
    description: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    def __attrs_post_init__(self) -> None:
        """Require a bonus or a malus, and one currency."""
        if self.bonus is None and self.malus is None:
            raise ValidationError.at("bonus", "give a bonus, a malus or both")
        if self.bonus is not None and self.malus is not None and self.bonus.currency != self.malus.currency:
            raise ValidationError.at(
                "malus", f"expected an amount in {self.bonus.currency}, the bonus's currency, got {self.malus}"
            )

    @property
    def currency(self) -> str:
        """The currency of the bonus and malus."""
        money = self.bonus or self.malus
        if money is None:  # pragma: no cover - refused at construction
            raise ValidationError.at("bonus", "give a bonus, a malus or both")
        return money.currency


@in_crokit_context
def evaluate(term: PerformanceTerm, actual_date: date) -> Money:
    """What *term* pays if its milestone is reached on *actual_date*.

    The bonus (or zero) if *actual_date* is on or before the target date, minus the
    malus (or zero) if it is after.
    """
    zero = Money.zero(term.currency)
    if actual_date <= term.target_date:
        return term.bonus or zero
    return -(term.malus or zero)


class OutcomeStatus(enum.Enum):
    """Whether a term's milestone was reached on time, late, or not yet."""

    MET = "met"
    MISSED = "missed"
    PENDING = "pending"


def _as_outcome_status(value: object) -> object:
    """A converter: text (the value or name) to OutcomeStatus member (see :func:`crokit._members.as_member`)."""
    return as_member(OutcomeStatus, value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class PerformanceOutcome:
    """What one performance term pays, given the milestone's actual date.

    Attributes:
        term: The term.
        actual_date: When the milestone was reached (``None`` if not yet).
        status: Met, missed or pending.
        amount: The bonus (positive), the malus (negative), or zero when pending or
            when the term has nothing for the outcome.
    """

    term: PerformanceTerm
    actual_date: date | None
    status: OutcomeStatus = attrs.field(converter=_as_outcome_status, validator=is_member(OutcomeStatus))
    amount: Money


@in_crokit_context
def performance_outcome(
    terms: Iterable[PerformanceTerm], actual_dates: Mapping[Milestone, date]
) -> tuple[PerformanceOutcome, ...]:
    """Each term's outcome, in term order; a milestone missing from *actual_dates* is pending.

    >>> term = PerformanceTerm(milestone=Milestone.DATABASE_LOCK, target_date=date(2029, 1, 31),
    ...                        malus=Money("10000.00", "EUR"))
    >>> [(o.status.value, str(o.amount)) for o in performance_outcome([term], {})]
    [('pending', '0 EUR')]
    """
    outcomes = []
    for term in terms:
        actual = actual_dates.get(term.milestone)
        if actual is None:
            status, amount = OutcomeStatus.PENDING, Money.zero(term.currency)
        else:
            status = OutcomeStatus.MET if actual <= term.target_date else OutcomeStatus.MISSED
            amount = evaluate(term, actual)
        outcomes.append(PerformanceOutcome(term=term, actual_date=actual, status=status, amount=amount))
    return tuple(outcomes)
