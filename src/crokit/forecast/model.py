"""The Poisson-gamma enrolment model: site groups, activation schedules and the study's target.

The model is Anisimov and Fedorov's (Anisimov VV, Fedorov VV. "Modelling, prediction
and adaptive adjustment of recruitment in multicentre trials." Statistics in Medicine
2007;26(27):4958-4975): each site, once active, screens patients as a Poisson process
whose rate per site-month is itself drawn, once per site, from a Gamma(shape ``a``,
rate ``b``) distribution (mean ``a / b`` patients per site-month). Sites are grouped
(by country, say); a group has a number of sites, one Gamma law and an activation
schedule:

- :class:`ActivateAt`: every site of the group opens at the same month (0: the start);
- :class:`ActivationWindow`: each site opens at a time drawn uniformly in a window;
- :class:`ActivationList`: one opening month per site.

Screen failures and dropouts are binomial thinning: each screened patient is randomised
with probability ``1 - screen_failure``, each randomised patient completes with
probability ``1 - dropout``. Thinning a Poisson process keeps it Poisson, so randomised
patients arrive at each site at rate ``(1 - screen_failure) x lambda``, which is
Gamma(``a``, ``b / (1 - screen_failure)``): every closed form below holds for
randomised patients with that rate. The *target* is a number of randomised patients.

Time is in months from :attr:`EnrolmentModel.start` (fractions allowed; see
:func:`crokit.forecast.date_at` for the calendar rule).

>>> import datetime as dt
>>> model = EnrolmentModel(
...     start=dt.date(2027, 1, 1), target=300,
...     groups=(SiteGroup(id="us", sites=50, shape=2, rate=4),),
... )
>>> model.randomisation_rate(model.groups[0])
4.0
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Final

import attrs

from crokit._typed import typed_fields
from crokit._validators import is_date, non_empty_text, slug, whole_number
from crokit.errors import ValidationError
from crokit.forecast._numbers import (
    MAX_MONTHS,
    as_float,
    check_number,
    month_number,
    months_between,
    positive,
    probability_below_one,
)

__all__ = [
    "DEFAULT_HORIZON_MONTHS",
    "Activation",
    "ActivateAt",
    "ActivationList",
    "ActivationWindow",
    "EnrolmentModel",
    "SiteGroup",
    "SiteObservation",
]

DEFAULT_HORIZON_MONTHS: Final = 120.0
"""The default planning horizon: ten years."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ActivateAt:
    """Every site of the group opens at one month.

    Attributes:
        month: The opening month, from 0 (the study start) to 1,200.
    """

    kind: ClassVar[str] = "at-month"

    month: float = attrs.field(default=0.0, converter=as_float, validator=month_number)

    @property
    def first(self) -> float:
        """The earliest opening month."""
        return self.month

    def mean_exposure(self, horizon: float) -> float:
        """The mean months a site is open by *horizon*: ``max(0, horizon - month)``."""
        return max(0.0, horizon - self.month)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ActivationWindow:
    """Each site of the group opens at its own month, drawn uniformly from ``first`` to ``last``.

    Attributes:
        first: The window's first month (at least 0).
        last: The window's last month (at least *first*; equal means :class:`ActivateAt`).

    Raises:
        ValidationError: At ``last`` if the window ends before it starts.
    """

    kind: ClassVar[str] = "window"

    first: float = attrs.field(converter=as_float, validator=month_number)
    last: float = attrs.field(converter=as_float, validator=month_number)

    def __attrs_post_init__(self) -> None:
        """Refuse a window that ends before it starts."""
        if self.last < self.first:
            raise ValidationError.at(
                "last", f"the activation window ends (month {self.last:g}) before it starts (month {self.first:g})"
            )

    @classmethod
    def from_dates(cls, start: dt.date, first: dt.date, last: dt.date) -> ActivationWindow:
        """The window from *first* to *last* of a study starting on *start* (see :func:`months_between`)."""
        return cls(first=months_between(start, first), last=months_between(start, last))

    def mean_exposure(self, horizon: float) -> float:
        """The mean months a site is open by *horizon*, ``E[max(0, horizon - U)]`` for U uniform in the window."""
        if self.last == self.first:
            return max(0.0, horizon - self.first)
        if horizon <= self.first:
            return 0.0
        if horizon >= self.last:
            return horizon - 0.5 * (self.first + self.last)
        return (horizon - self.first) ** 2 / (2.0 * (self.last - self.first))


def _months_tuple(value: object) -> object:
    if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        return value
    return tuple(as_float(item) for item in value)


def _months(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not value:
        raise ValidationError.at(attribute.name, f"expected a non-empty list of months, got {value!r}")
    for index, month in enumerate(value):
        path = f"{attribute.name}[{index}]"
        number = check_number(path, month, minimum=0.0)
        if number > MAX_MONTHS:
            raise ValidationError.at(path, f"expected a month from 0 to {MAX_MONTHS:g}, got {number:g}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ActivationList:
    """One opening month per site of the group, in site order.

    Attributes:
        months: The opening months (as many as the group has sites), each from 0 to 1,200.
    """

    kind: ClassVar[str] = "list"

    months: tuple[float, ...] = attrs.field(converter=_months_tuple, validator=_months)

    @classmethod
    def from_dates(cls, start: dt.date, dates: tuple[dt.date, ...]) -> ActivationList:
        """The opening months of *dates* in a study starting on *start* (see :func:`months_between`)."""
        return cls(months=tuple(months_between(start, day) for day in dates))

    @property
    def first(self) -> float:
        """The earliest opening month."""
        return min(self.months)

    def mean_exposure(self, horizon: float) -> float:
        """The mean months a site is open by *horizon*."""
        return sum(max(0.0, horizon - month) for month in self.months) / len(self.months)


Activation = ActivateAt | ActivationWindow | ActivationList
"""A group's activation schedule."""


def _activation(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, ActivateAt | ActivationWindow | ActivationList):
        raise ValidationError.at(
            attribute.name, f"expected ActivateAt, ActivationWindow or ActivationList, got {value!r}"
        )


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class SiteGroup:
    """Sites that share one recruitment-rate law and one activation schedule (a country, say).

    Attributes:
        id: The group's id (``"de"``, ``"us-east"``): lower-case letters, digits, ``.``, ``_``, ``-``.
            Its sites are called ``"<id>/1"``, ``"<id>/2"``, ... (see :attr:`site_ids`).
        sites: How many sites (1 to 100,000).
        shape: The Gamma shape ``a`` of a site's screening rate (above 0).
        rate: The Gamma rate ``b`` (above 0), per month: the mean rate is ``a / b``
            patients screened per site-month.
        activation: When the sites open (default: all at month 0).

    Raises:
        ValidationError: If shape or rate is not above 0, or an :class:`ActivationList` does
            not give one month per site.
    """

    id: str = attrs.field(validator=slug)
    sites: int = attrs.field(validator=whole_number(1, 100_000))
    shape: float = attrs.field(converter=as_float, validator=positive)
    rate: float = attrs.field(converter=as_float, validator=positive)
    activation: Activation = attrs.field(factory=ActivateAt, validator=_activation)

    def __attrs_post_init__(self) -> None:
        """Check that a per-site activation list has one month per site."""
        if isinstance(self.activation, ActivationList) and len(self.activation.months) != self.sites:
            raise ValidationError.at(
                "activation.months",
                f"expected one month per site ({self.sites}), got {len(self.activation.months)}",
            )

    @property
    def mean_rate(self) -> float:
        """The mean screening rate per site-month, ``shape / rate``."""
        return self.shape / self.rate

    @property
    def site_ids(self) -> tuple[str, ...]:
        """The ids of the group's sites: ``("de/1", "de/2", ...)``."""
        return tuple(f"{self.id}/{index}" for index in range(1, self.sites + 1))


def _groups(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not value:
        raise ValidationError.at(attribute.name, f"expected at least one SiteGroup, got {value!r}")
    seen: set[str] = set()
    for index, group in enumerate(value):
        if not isinstance(group, SiteGroup):
            raise ValidationError.at(f"{attribute.name}[{index}]", f"expected a SiteGroup, got {group!r}")
        if group.id in seen:
            raise ValidationError.at(f"{attribute.name}[{index}].id", f"{group.id!r} is listed more than once")
        seen.add(group.id)


def _to_tuple(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class EnrolmentModel:
    """A study's enrolment: its site groups, target and thinning, on a calendar.

    Attributes:
        start: The study start (month 0).
        target: Patients to randomise (1 to 1,000,000).
        groups: The site groups, ids unique.
        screen_failure: The probability a screened patient is not randomised (0 to below 1).
        dropout: The probability a randomised patient does not complete (0 to below 1).
        horizon_months: The planning horizon (above 0, up to 1,200 months; default 120).

    Raises:
        ValidationError: For any bad field, and at ``target`` if the target is more than
            the sites can plausibly reach in the horizon: crokit refuses a model whose
            *expected* number of randomised patients by the horizon, with every site at
            its group's mean rate and its mean time open, is below the target
            (``sum over groups of sites x (1 - screen_failure) x shape / rate x E[max(0,
            horizon - activation)]``). Such a study's median finish is after the horizon:
            plan more sites or a longer horizon.
    """

    start: dt.date = attrs.field(validator=is_date)
    target: int = attrs.field(validator=whole_number(1, 1_000_000))
    groups: tuple[SiteGroup, ...] = attrs.field(converter=_to_tuple, validator=_groups)
    screen_failure: float = attrs.field(default=0.0, converter=as_float, validator=probability_below_one)
    dropout: float = attrs.field(default=0.0, converter=as_float, validator=probability_below_one)
    horizon_months: float = attrs.field(default=DEFAULT_HORIZON_MONTHS, converter=as_float, validator=month_number)

    def __attrs_post_init__(self) -> None:
        """Refuse a target the sites cannot plausibly reach by the horizon."""
        if self.horizon_months <= 0:
            raise ValidationError.at(
                "horizon_months", f"expected a horizon above 0 months, got {self.horizon_months:g}"
            )
        reachable = self.expected_randomised(self.horizon_months)
        if reachable < self.target:
            raise ValidationError.at(
                "target",
                f"{self.target} patients is more than the sites can plausibly reach in {self.horizon_months:g} "
                f"months: at their mean rates they randomise about {reachable:.1f} by then; expected a target "
                "of at most that, more sites, faster sites or a longer horizon_months",
            )

    @property
    def sites(self) -> int:
        """The number of sites in all groups."""
        return sum(group.sites for group in self.groups)

    @property
    def first_activation(self) -> float:
        """The month the first site can open."""
        return min(group.activation.first for group in self.groups)

    def randomisation_rate(self, group: SiteGroup) -> float:
        """The Gamma rate of a site's randomisation rate in *group*: ``rate / (1 - screen_failure)``."""
        return group.rate / (1.0 - self.screen_failure)

    def expected_randomised(self, month: float) -> float:
        """The expected number of patients randomised by *month* (no cap at the target)."""
        return sum(
            group.sites * (1.0 - self.screen_failure) * group.mean_rate * group.activation.mean_exposure(month)
            for group in self.groups
        )

    @property
    def site_ids(self) -> tuple[str, ...]:
        """Every site's id, group by group."""
        return tuple(site for group in self.groups for site in group.site_ids)

    def month_of(self, day: dt.date) -> float:
        """The study month of *day* (see :func:`crokit.forecast.months_between`)."""
        return months_between(self.start, day)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class SiteObservation:
    """What one site had done by the census.

    Attributes:
        site: The site's id in the model (``"de/3"``: group id, slash, number from 1).
        opened: The study month the site opened (at least 0, not after the census).
        randomised: Patients randomised at the site by the census (0 or more).
    """

    site: str = attrs.field(validator=non_empty_text)
    opened: float = attrs.field(converter=as_float, validator=month_number)
    randomised: int = attrs.field(validator=whole_number(0, 10_000_000))
