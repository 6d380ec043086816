"""Cost and cash flow under uncertainty: a scenario's ``forecast`` section and its results.

:class:`ForecastSettings` is the optional ``forecast`` section of a
:class:`~crokit.scenario.Scenario`: the enrolment model's site groups, the number of
simulations, the seed and the quantile levels. :func:`~crokit.forecast.forecast_costs`
(which loads NumPy) simulates enrolment, derives the cost drivers of every simulated
trial, prices every candidate's proposal over them exactly, and returns a
:class:`CostForecastResult`: P10/P50/P90 (by default) of last patient in, of each
proposal's total and of its cost by calendar quarter, and who carries the variance.

Every result here is a frozen value holding Decimals and :class:`~crokit.Money`: the
quantiles are simulated totals themselves (the inverted-CDF empirical quantile), so
they are exact amounts, and no NaN or infinity can reach them. This module does not
import NumPy.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Final

import attrs

from crokit._convert import to_tuple
from crokit._typed import typed_fields
from crokit._validators import is_date, non_empty_text, slug
from crokit.errors import ValidationError
from crokit.forecast._numbers import as_float, check_whole
from crokit.forecast.model import DEFAULT_HORIZON_MONTHS, SiteGroup
from crokit.forecast.results import DEFAULT_LEVELS, EnrolmentForecast, MilestoneForecast, check_levels
from crokit.money import Money

__all__ = [
    "DEFAULT_SIMULATIONS",
    "MAX_SIMULATIONS",
    "CostForecast",
    "CostForecastResult",
    "ForecastSettings",
    "MoneyQuantile",
    "QuarterCost",
    "VarianceShare",
]

DEFAULT_SIMULATIONS: Final = 2_000
"""Simulated trials per forecast by default."""
MAX_SIMULATIONS: Final = 1_000_000
"""The most simulated trials a scenario may ask for."""
_MAX_SEED: Final = 10**15 - 1
"""The largest seed a scenario may give: 15 digits, so JSON, TOML and YAML hold it exactly."""

SPONSOR: Final = "sponsor"
CRO: Final = "cro"


def _seed(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_SEED:
        raise ValidationError.at(
            attribute.name, f"expected a whole number from 1 to {_MAX_SEED:,} as the seed, got {value!r}"
        )


def _simulations(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_whole(attribute.name, value, minimum=1, maximum=MAX_SIMULATIONS)


def _levels(value: object) -> object:
    return check_levels(value)


def _groups(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    if not value:
        raise ValidationError.at(attribute.name, "expected at least one site group")
    seen: set[str] = set()
    for index, group in enumerate(value):
        if not isinstance(group, SiteGroup):
            raise ValidationError.at(f"{attribute.name}[{index}]", f"expected a SiteGroup, got {group!r}")
        if group.id in seen:
            raise ValidationError.at(f"{attribute.name}[{index}].id", f"site group {group.id!r} is listed twice")
        seen.add(group.id)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ForecastSettings:
    """A scenario's ``forecast`` section: how to simulate enrolment and price it.

    The enrolment model's month 0 is the study's first enrolment month (study month
    ``assumptions.startup_months``), its target the study's planned patients, and its
    screen-failure and dropout probabilities the study's.

    Attributes:
        groups: The site groups: sites, Gamma(shape, rate) recruitment per site-month,
            activation (months from the start of enrolment).
        seed: The seed of the simulation, a whole number from 1 to 10**15 - 1.
        simulations: Simulated trials (1 to 1,000,000; 2,000 by default).
        levels: Quantile levels reported, strictly between 0 and 1, increasing
            (P10, P50, P90 by default).
        horizon_months: The enrolment model's planning horizon (see
            :class:`~crokit.forecast.EnrolmentModel`).
        note: Where the rates come from (``"illustrative"``, a feasibility survey).

    Raises:
        ValidationError: At ``seed``, ``simulations``, ``levels[i]`` or ``groups`` for
            values out of range.

    >>> settings = ForecastSettings(groups=(SiteGroup(id="us", sites=12, shape=2, rate=4),), seed=7)
    >>> settings.simulations, settings.levels
    (2000, (0.1, 0.5, 0.9))
    """

    groups: tuple[SiteGroup, ...] = attrs.field(converter=to_tuple, validator=_groups)
    seed: int = attrs.field(validator=_seed)
    simulations: int = attrs.field(default=DEFAULT_SIMULATIONS, validator=_simulations)
    levels: tuple[float, ...] = attrs.field(default=DEFAULT_LEVELS, converter=_levels)
    horizon_months: float = attrs.field(default=DEFAULT_HORIZON_MONTHS, converter=as_float)
    note: str | None = None


def _finite_level(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, float) or not 0.0 < value < 1.0:
        raise ValidationError.at(attribute.name, f"expected a probability strictly between 0 and 1, got {value!r}")


def _money(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Money) or not value.amount.is_finite():
        raise ValidationError.at(attribute.name, f"expected a finite Money amount, got {value!r}")


def _share(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or not Decimal(0) <= value <= Decimal(1):
        raise ValidationError.at(attribute.name, f"expected a share from 0 to 1, got {value!r}")


def _quantiles(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    for index, item in enumerate(value):
        if not isinstance(item, MoneyQuantile):
            raise ValidationError.at(f"{attribute.name}[{index}]", f"expected a MoneyQuantile, got {item!r}")
        if index and item.level <= value[index - 1].level:  # type: ignore[attr-defined]
            raise ValidationError.at(f"{attribute.name}[{index}]", "expected levels in increasing order")
        if index and item.amount < value[index - 1].amount:  # type: ignore[attr-defined]
            raise ValidationError.at(f"{attribute.name}[{index}]", "expected amounts that do not decrease")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class MoneyQuantile:
    """An amount at a quantile level (P10 is level 0.1).

    Attributes:
        level: The level, strictly between 0 and 1.
        amount: The amount: a simulated amount itself (inverted-CDF quantile), exact.
    """

    level: float = attrs.field(converter=as_float, validator=_finite_level)
    amount: Money = attrs.field(validator=_money)


def _at(quantiles: tuple[MoneyQuantile, ...], level: float) -> Money:
    for quantile in quantiles:
        if abs(quantile.level - level) < 1e-12:  # noqa: PLR2004 - levels are compared as given
            return quantile.amount
    raise ValidationError.at("level", f"no quantile at level {level:g}; levels: {[q.level for q in quantiles]}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class QuarterCost:
    """The cost of one calendar quarter's work, over the simulated trials.

    Attributes:
        quarter: The quarter, ``"2027-Q3"``.
        start: Its first day.
        quantiles: The quarter's cost at each level.
        mean: The mean over the trials, rounded half-even to the minor unit.
    """

    quarter: str = attrs.field(validator=non_empty_text)
    start: dt.date = attrs.field(validator=is_date)
    quantiles: tuple[MoneyQuantile, ...] = attrs.field(converter=to_tuple, validator=_quantiles)
    mean: Money = attrs.field(validator=_money)

    def at(self, level: float) -> Money:
        """The cost at *level* (one of the forecast's levels)."""
        return _at(self.quantiles, level)


def _bearer(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in {SPONSOR, CRO}:
        raise ValidationError.at(attribute.name, f"expected 'sponsor' or 'cro', got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class VarianceShare:
    """One pricing model's part of a proposal's cost spread, and who carries it.

    Attributes:
        model: The pricing model (a :class:`~crokit.pricing.PricingKind` value:
            ``"unit"``, ``"fixed-fee"``, ``"fte"``, ``"grants"``, ``"pass-through"``,
            ``"adjustment"``).
        bearer: ``"sponsor"`` if the bill moves with the volume, ``"cro"`` if the CRO
            absorbs it (a fixed fee).
        planned: The model's lines priced on the plan's drivers.
        spread: The spread between the lowest and highest level (see the docs for how
            a fixed price's spread is measured).
        share: The spread's share of the sum of every model's spread (0 to 1).
    """

    model: str = attrs.field(validator=non_empty_text)
    bearer: str = attrs.field(validator=_bearer)
    planned: Money = attrs.field(validator=_money)
    spread: Money = attrs.field(validator=_money)
    share: Decimal = attrs.field(validator=_share)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CostForecast:
    """One proposal's cost under uncertain enrolment.

    Attributes:
        candidate: The candidate's id.
        currency: The currency of every amount (the proposal's, after any conversion).
        planned: The total on the plan's drivers (the Decimal path).
        total: The total at each level.
        mean: The mean total, rounded half-even to the minor unit.
        quarters: Cost by calendar quarter of the work.
        variance: Each pricing model's share of the spread.
        sponsor_share: The sponsor's share of the spread (0 to 1).
        explanation: Who carries the variance, in words.
    """

    candidate: str = attrs.field(validator=slug)
    currency: str = attrs.field(validator=non_empty_text)
    planned: Money = attrs.field(validator=_money)
    total: tuple[MoneyQuantile, ...] = attrs.field(converter=to_tuple, validator=_quantiles)
    mean: Money = attrs.field(validator=_money)
    quarters: tuple[QuarterCost, ...] = attrs.field(converter=to_tuple)
    variance: tuple[VarianceShare, ...] = attrs.field(converter=to_tuple)
    sponsor_share: Decimal = attrs.field(validator=_share)
    explanation: str = attrs.field(validator=non_empty_text)

    @property
    def cro_share(self) -> Decimal:
        """The CRO's share of the spread."""
        return Decimal(1) - self.sponsor_share if self.variance else Decimal(0)

    def at(self, level: float) -> Money:
        """The total at *level* (one of the forecast's levels)."""
        return _at(self.total, level)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CostForecastResult:
    """A scenario's forecast: enrolment and every priced proposal's cost under uncertainty.

    Attributes:
        simulations: Simulated trials.
        seed: The seed used.
        levels: The quantile levels.
        enrolment_start: The date of the enrolment model's month 0 (the first
            enrolment month of the plan).
        enrolment: The simulated enrolment forecast: first patient in, 50% enrolled
            and last patient in at each level, and the enrolment curve with its band
            (for the fan chart).
        enrolment_months: Months of enrolment at each level (whole months, as priced).
        planned_enrolment_months: The plan's enrolment months.
        costs: One forecast per candidate with a proposal, in scenario order.
        note: Where the rates come from, from the settings.
    """

    simulations: int = attrs.field(
        validator=lambda _i, a, v: check_whole(a.name, v, minimum=1, maximum=MAX_SIMULATIONS)
    )
    seed: int = attrs.field(validator=_seed)
    levels: tuple[float, ...] = attrs.field(converter=_levels)
    enrolment_start: dt.date = attrs.field(validator=is_date)
    enrolment: EnrolmentForecast = attrs.field(validator=attrs.validators.instance_of(EnrolmentForecast))
    enrolment_months: tuple[tuple[float, int], ...] = attrs.field(converter=to_tuple)
    planned_enrolment_months: int = attrs.field(
        validator=lambda _i, a, v: check_whole(a.name, v, minimum=1, maximum=600)
    )
    costs: tuple[CostForecast, ...] = attrs.field(converter=to_tuple)
    note: str | None = None

    @property
    def last_patient_in(self) -> MilestoneForecast:
        """Last patient in at each level (months from :attr:`enrolment_start`, and dates)."""
        return self.enrolment.last_patient_in

    def cost(self, candidate: str) -> CostForecast:
        """The forecast of *candidate*'s proposal."""
        for forecast in self.costs:
            if forecast.candidate == candidate:
                return forecast
        raise ValidationError.at("candidate", f"no cost forecast for {candidate!r}")
