"""The assumptions a bid was quoted under, where they differ from the sponsor's.

CROs often quote under their own assumptions (a screen-failure rate of 18% where the
sponsor planned 9%, more monitoring visits, a longer enrolment). :class:`BidAssumptions`
records what a bid assumed: any of the study's counts and rates, and its own planning
assumptions (period lengths, monitoring frequency, tables, pages). Everything not
stated is the sponsor's. :meth:`BidAssumptions.apply` gives the study and planning
assumptions the bid was priced under; :meth:`BidAssumptions.differences` lists each
difference from the sponsor's, for a report.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from crokit._decimal import to_decimal
from crokit._typed import typed_fields
from crokit._validators import rate_below_one, whole_number
from crokit.errors import CrokitError, ValidationError
from crokit.pricing.assumptions import Assumptions
from crokit.study import Study

__all__ = ["AssumptionDifference", "BidAssumptions"]


def _optional_rate(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return to_decimal(value, what="rate")
    except CrokitError as exc:
        raise ValidationError.at("rate", str(exc)) from None


def _planning(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, Assumptions):
        raise ValidationError.at(attribute.name, f"expected planning Assumptions, got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class AssumptionDifference:
    """One assumption on which a bid differs from the sponsor.

    Attributes:
        name: What is assumed (``screen_failure_rate``, ``enrolment_months``).
        sponsor: The sponsor's value, as text.
        bid: The bid's value, as text.
    """

    name: str
    sponsor: str
    bid: str


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class BidAssumptions:
    """What a bid assumed where it differs from the sponsor's study and planning assumptions.

    Rates are fractions (``"0.18"`` for 18%), as on :class:`~crokit.Study`.

    Attributes:
        planned_patients: Patients the bid assumed enrolled.
        sites: Sites the bid assumed.
        screen_failure_rate: The bid's screen-failure rate, in [0, 1).
        dropout_rate: The bid's dropout rate, in [0, 1).
        planning: The bid's planning assumptions (period lengths, monitoring frequency,
            tables, CRF pages), replacing the sponsor's whole.

    >>> BidAssumptions(screen_failure_rate="0.18").screen_failure_rate
    Decimal('0.18')
    """

    planned_patients: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(whole_number(1, 10_000_000))
    )
    sites: int | None = attrs.field(default=None, validator=attrs.validators.optional(whole_number(1, 100_000)))
    screen_failure_rate: Decimal | None = attrs.field(
        default=None, converter=_optional_rate, validator=attrs.validators.optional(rate_below_one)
    )
    dropout_rate: Decimal | None = attrs.field(
        default=None, converter=_optional_rate, validator=attrs.validators.optional(rate_below_one)
    )
    planning: Assumptions | None = attrs.field(default=None, validator=_planning)

    @property
    def is_sponsors(self) -> bool:
        """Whether the bid states no assumption of its own."""
        return attrs.astuple(self, recurse=False) == (None,) * len(attrs.fields(BidAssumptions))

    def apply(self, study: Study, planning: Assumptions) -> tuple[Study, Assumptions]:
        """The study and planning assumptions the bid was priced under.

        Raises:
            ValidationError: If the bid's counts make an impossible study (more sites
                than patients), with the path ``assumptions``.
        """
        changes = {
            name: getattr(self, name)
            for name in ("planned_patients", "sites", "screen_failure_rate", "dropout_rate")
            if getattr(self, name) is not None
        }
        try:
            quoted = attrs.evolve(study, **changes) if changes else study
        except ValidationError as error:
            raise error.with_prefix("assumptions") from None
        return quoted, self.planning if self.planning is not None else planning

    def differences(self, study: Study, planning: Assumptions) -> tuple[AssumptionDifference, ...]:
        """Each assumption on which the bid differs from *study* and *planning*, in field order."""
        found = [
            AssumptionDifference(name=name, sponsor=str(getattr(study, name)), bid=str(getattr(self, name)))
            for name in ("planned_patients", "sites", "screen_failure_rate", "dropout_rate")
            if getattr(self, name) is not None and getattr(self, name) != getattr(study, name)
        ]
        if self.planning is not None:
            for field in attrs.fields(Assumptions):
                ours, theirs = getattr(planning, field.name), getattr(self.planning, field.name)
                if ours != theirs:
                    found.append(AssumptionDifference(name=field.name, sponsor=str(ours), bid=str(theirs)))
        return tuple(found)
