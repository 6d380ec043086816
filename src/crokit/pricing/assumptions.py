"""Planning assumptions: the explicit choices that turn a study into cost drivers.

:class:`Assumptions` holds the study's period lengths (start-up, enrolment, treatment,
close-out), the monitoring frequency, the number of tables, listings and figures, the
CRF pages of a visit that does not state its own, and :class:`SiteActivation`, when
sites open. Nothing here is derived: every number is the user's stated assumption.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Final

import attrs

from crokit._decimal import to_decimal
from crokit._typed import typed_fields
from crokit._validators import non_negative, whole_number
from crokit.errors import ValidationError

__all__ = ["MAX_MONTHS", "Assumptions", "SiteActivation"]

MAX_MONTHS: Final = 600
"""The longest study timeline crokit accepts, in months (50 years)."""
_MAX_MONTHS: Final = MAX_MONTHS


def _optional_decimal(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, what="visits per site-month")


def _tuples(value: object, path: str) -> tuple[Any, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError.at(path, f"expected a list of pairs, got {value!r}")
    return tuple(tuple(item) if isinstance(item, list | tuple) else item for item in value)


def _pairs(value: object) -> tuple[tuple[int, int], ...]:
    return _tuples(value, "plan")


def _plan(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    previous = -1
    for index, pair in enumerate(value):
        path = f"{attribute.name}[{index}]"
        if not isinstance(pair, tuple) or len(pair) != 2:  # noqa: PLR2004 - a (month_index, sites) pair
            raise ValidationError.at(path, f"expected a (month_index, sites) pair, got {pair!r}")
        month, sites = pair
        if isinstance(month, bool) or not isinstance(month, int) or not 0 <= month < _MAX_MONTHS:
            raise ValidationError.at(f"{path}[0]", f"expected a month index from 0 to {_MAX_MONTHS - 1}, got {month!r}")
        if isinstance(sites, bool) or not isinstance(sites, int) or sites < 1:
            raise ValidationError.at(f"{path}[1]", f"expected a whole number of sites >= 1, got {sites!r}")
        if month <= previous:
            raise ValidationError.at(
                f"{path}[0]", f"months must be listed once each, in increasing order: {month} follows {previous}"
            )
        previous = month


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class SiteActivation:
    """When sites open: evenly over the start-up period, or an explicit plan.

    Attributes:
        plan: ``(month_index, sites)`` pairs in increasing month order, months counted
            from the study start; empty (the default) means evenly over the start-up
            months, the remainder going to the earliest months (10 sites over 4
            months open 3, 3, 2, 2). A plan must open exactly the study's sites, each
            before enrolment ends.

    >>> SiteActivation.planned((0, 2), (1, 5)).plan
    ((0, 2), (1, 5))
    >>> SiteActivation.evenly().is_even
    True
    """

    plan: tuple[tuple[int, int], ...] = attrs.field(default=(), converter=_pairs, validator=_plan)

    @classmethod
    def evenly(cls) -> SiteActivation:
        """Sites open evenly over the start-up period."""
        return cls()

    @classmethod
    def planned(cls, *pairs: tuple[int, int]) -> SiteActivation:
        """Sites open as listed: each pair is ``(month_index, sites)``."""
        if not pairs:
            raise ValidationError.at("plan", "expected at least one (month_index, sites) pair")
        return cls(plan=pairs)

    @property
    def is_even(self) -> bool:
        """Whether sites open evenly over the start-up period."""
        return not self.plan


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Assumptions:
    """The planning assumptions that turn a study into counts; every one explicit.

    Give exactly one of ``monitoring_interval_weeks`` and
    ``monitoring_visits_per_site_month``.

    Attributes:
        startup_months: Months from study start to the end of site activation (>= 1).
        enrolment_months: Months from first patient in to last patient in (>= 1).
        treatment_months: Months from last patient in to last patient out (>= 0).
        closeout_months: Months from last patient out to the end of the study (>= 0):
            close-out visits, database lock, tables and report.
        monitoring_interval_weeks: Weeks between monitoring visits to an active site.
        monitoring_visits_per_site_month: Monitoring visits per active site-month, as
            an exact number (``"0.5"`` for one visit every two months).
        tables_listings_figures: Tables, listings and figures (TLFs) to program.
        crf_pages_per_visit_default: CRF pages of a visit whose ``crf_pages`` is 0.
        activation: When sites open (evenly over start-up by default).
    """

    startup_months: int = attrs.field(validator=whole_number(1, _MAX_MONTHS))
    enrolment_months: int = attrs.field(validator=whole_number(1, _MAX_MONTHS))
    treatment_months: int = attrs.field(validator=whole_number(0, _MAX_MONTHS))
    closeout_months: int = attrs.field(validator=whole_number(0, _MAX_MONTHS))
    tables_listings_figures: int = attrs.field(validator=whole_number(0, 100_000))
    crf_pages_per_visit_default: int = attrs.field(validator=whole_number(0, 10_000))
    monitoring_interval_weeks: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(whole_number(1, 520))
    )
    monitoring_visits_per_site_month: Decimal | None = attrs.field(
        default=None, converter=_optional_decimal, validator=non_negative
    )
    activation: SiteActivation = attrs.field(
        factory=SiteActivation, validator=attrs.validators.instance_of(SiteActivation)
    )

    def __attrs_post_init__(self) -> None:
        """Require exactly one way of stating the monitoring frequency."""
        given = (self.monitoring_interval_weeks is not None) + (self.monitoring_visits_per_site_month is not None)
        if given != 1:
            raise ValidationError.at(
                "monitoring_interval_weeks",
                "give exactly one of monitoring_interval_weeks and monitoring_visits_per_site_month, "
                f"got {'both' if given else 'neither'}",
            )

    @property
    def total_months(self) -> int:
        """Start-up, enrolment, treatment and close-out months together."""
        return self.startup_months + self.enrolment_months + self.treatment_months + self.closeout_months
