"""Forecast results as immutable values: milestone quantiles, the enrolment curve, re-projections.

Every number in a result is a finite float (validators refuse NaN and infinity) and
every month comes with its calendar date, so a result can be shown, serialised or
compared as it is. Results know nothing of how they were computed beyond their
``method`` (``"closed form"``, ``"exact"`` or ``"simulation"``).

>>> import datetime as dt
>>> from crokit import Milestone
>>> q = Quantile(level=0.5, month=12.0, date=dt.date(2028, 1, 1))
>>> forecast = MilestoneForecast(milestone=Milestone.LAST_PATIENT_IN, patients=300, quantiles=(q,), mean=12.1)
>>> forecast.at(0.5).date
datetime.date(2028, 1, 1)
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Final

import attrs

from crokit import _text
from crokit._members import as_member
from crokit._typed import typed_fields
from crokit._validators import is_date, whole_number
from crokit.errors import ValidationError
from crokit.forecast._numbers import as_float, check_number, positive
from crokit.vocabulary.lifecycle import Milestone

__all__ = [
    "DEFAULT_BAND",
    "DEFAULT_LEVELS",
    "CurvePoint",
    "EnrolmentForecast",
    "MilestoneForecast",
    "Quantile",
    "Reprojection",
    "SitePosterior",
    "check_levels",
]

DEFAULT_LEVELS: Final = (0.1, 0.5, 0.9)
"""The quantile levels reported by default: P10, P50 and P90."""
DEFAULT_BAND: Final = (0.1, 0.9)
"""The enrolment curve's band by default: the P10 and P90 counts."""

_METHODS: Final = ("closed form", "exact", "simulation")


def check_levels(levels: object, *, path: str = "levels") -> tuple[float, ...]:
    """*levels* as a strictly increasing tuple of probabilities strictly between 0 and 1."""
    if isinstance(levels, str | bytes) or not hasattr(levels, "__iter__"):
        raise ValidationError.at(path, f"expected a list of probabilities such as (0.1, 0.5, 0.9), got {levels!r}")
    result = tuple(check_number(f"{path}[{index}]", as_float(level)) for index, level in enumerate(levels))
    if not result:
        raise ValidationError.at(path, "expected at least one probability level")
    for index, level in enumerate(result):
        if not 0.0 < level < 1.0:
            raise ValidationError.at(
                f"{path}[{index}]", f"expected a probability strictly between 0 and 1, got {level:g}"
            )
        if index and level <= result[index - 1]:
            raise ValidationError.at(
                f"{path}[{index}]", f"expected levels in increasing order, got {level:g} after {result[index - 1]:g}"
            )
    return result


def _non_negative(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_number(attribute.name, value, minimum=0.0)


def _probability(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    number = check_number(attribute.name, value, minimum=0.0)
    if number > 1.0:
        raise ValidationError.at(attribute.name, f"expected a probability from 0 to 1, got {number:g}")


def _optional_non_negative(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_number(attribute.name, value, minimum=0.0)


def _optional_float(value: object) -> object:
    return None if value is None else as_float(value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Quantile:
    """One quantile of a time: the month by which the event has happened with probability *level*.

    Attributes:
        level: The probability (0.9 for P90), strictly between 0 and 1.
        month: The study month (at least 0).
        date: The same month as a calendar date.
    """

    level: float = attrs.field(converter=as_float)
    month: float = attrs.field(converter=as_float, validator=_non_negative)
    date: dt.date = attrs.field(validator=is_date)

    def __attrs_post_init__(self) -> None:
        """Check the level."""
        check_levels((self.level,), path="level")


def _quantiles(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(item, Quantile) for item in value):
        raise ValidationError.at(attribute.name, f"expected a tuple of Quantile values, got {value!r}")
    check_levels(tuple(item.level for item in value), path=attribute.name)
    for index in range(1, len(value)):
        if value[index].month < value[index - 1].month:
            raise ValidationError.at(
                f"{attribute.name}[{index}]", "expected months that do not decrease with the level"
            )


def _as_milestone(value: object) -> object:
    """A converter: text (the value or name) to a Milestone member."""
    return as_member(Milestone, value)


def _milestone(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Milestone):
        raise ValidationError.at(attribute.name, f"expected a Milestone, got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class MilestoneForecast:
    """When the *patients*-th patient is randomised: quantiles and, where finite, the mean.

    Attributes:
        milestone: Which milestone (first patient in, 50% enrolled, last patient in).
        patients: The patient number the milestone waits for.
        quantiles: The quantiles, by increasing level.
        mean: The mean month, or ``None`` where the mean is infinite or not computed.
    """

    milestone: Milestone = attrs.field(converter=_as_milestone, validator=_milestone)
    patients: int = attrs.field(validator=whole_number(1, 10_000_000))
    quantiles: tuple[Quantile, ...] = attrs.field(validator=_quantiles)
    mean: float | None = attrs.field(default=None, converter=_optional_float, validator=_optional_non_negative)

    def at(self, level: float) -> Quantile:
        """The quantile at *level* (one of the levels computed).

        Raises:
            ValidationError: At ``level`` if it was not computed, naming those that were.
        """
        for quantile in self.quantiles:
            if math.isclose(quantile.level, level, rel_tol=0.0, abs_tol=1e-12):
                return quantile
        levels = ", ".join(f"{item.level:g}" for item in self.quantiles)
        raise ValidationError.at("level", f"no {level!r} quantile; computed: {levels}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CurvePoint:
    """Patients randomised by the end of one study month (capped at the target).

    Attributes:
        month: The study month (1, 2, ...).
        date: Its calendar date.
        expected: The expected count.
        low: The count at the band's low level (P10 by default).
        high: The count at the band's high level (P90 by default).
    """

    month: int = attrs.field(validator=whole_number(0, 1200))
    date: dt.date = attrs.field(validator=is_date)
    expected: float = attrs.field(converter=as_float, validator=_non_negative)
    low: int = attrs.field(validator=whole_number(0, 10_000_000))
    high: int = attrs.field(validator=whole_number(0, 10_000_000))

    def __attrs_post_init__(self) -> None:
        """Check the band is in order."""
        if self.low > self.high:
            raise ValidationError.at("low", f"the band's low count {self.low} is above its high count {self.high}")


def _band(value: object) -> tuple[float, ...]:
    return check_levels(value, path="band")


def _method(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in _METHODS:
        raise ValidationError.at(attribute.name, f"expected one of {', '.join(_METHODS)}, got {value!r}")


def _tuple_of(kind: type) -> Any:
    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple) or not all(isinstance(item, kind) for item in value):
            raise ValidationError.at(attribute.name, f"expected a tuple of {kind.__name__} values, got {value!r}")

    return check


@attrs.frozen(kw_only=True, field_transformer=typed_fields, repr=False)
class EnrolmentForecast:
    """The forecast of a study's enrolment: milestones, curve and the chance of finishing by the horizon.

    Attributes:
        method: ``"closed form"``, ``"exact"`` (numerical evaluation of the same law) or
            ``"simulation"``.
        target: Patients to randomise.
        milestones: First patient in, 50% enrolled (``ceil(target / 2)``) and last patient in.
        curve: Patients randomised by the end of each month, with the band.
        band: The levels of the curve's band (P10 and P90 by default).
        horizon_month: The model's horizon.
        probability_by_horizon: The probability of randomising the target by the horizon.
        expected_screened: Patients screened to randomise the target: ``target / (1 - screen_failure)``
            (a simulation gives its simulated mean).
        expected_completed: Patients completing: ``target x (1 - dropout)`` (a simulation: its mean).
        trials: Simulated trials (``None`` unless simulated).
        seed: The simulation's seed (``None`` unless simulated).
    """

    method: str = attrs.field(validator=_method)
    target: int = attrs.field(validator=whole_number(1, 10_000_000))
    milestones: tuple[MilestoneForecast, ...] = attrs.field(validator=_tuple_of(MilestoneForecast))
    curve: tuple[CurvePoint, ...] = attrs.field(validator=_tuple_of(CurvePoint))
    band: tuple[float, float] = attrs.field(default=DEFAULT_BAND, converter=_band)
    horizon_month: float = attrs.field(converter=as_float, validator=_non_negative)
    probability_by_horizon: float = attrs.field(converter=as_float, validator=_probability)
    expected_screened: float = attrs.field(converter=as_float, validator=_non_negative)
    expected_completed: float = attrs.field(converter=as_float, validator=_non_negative)
    trials: int | None = attrs.field(default=None, validator=attrs.validators.optional(whole_number(1, 10_000_000)))
    seed: int | None = attrs.field(default=None, validator=attrs.validators.optional(whole_number(1, 2**128)))

    def milestone(self, which: Milestone) -> MilestoneForecast:
        """The forecast of milestone *which*.

        Raises:
            ValidationError: At ``milestone`` if the forecast has no such milestone.
        """
        for item in self.milestones:
            if item.milestone is which:
                return item
        raise ValidationError.at(
            "milestone", f"no forecast of {which}; forecast: {', '.join(str(m.milestone) for m in self.milestones)}"
        )

    @property
    def first_patient_in(self) -> MilestoneForecast:
        """The forecast of the first patient randomised."""
        return self.milestone(Milestone.FIRST_PATIENT_IN)

    @property
    def half_enrolled(self) -> MilestoneForecast:
        """The forecast of half the target randomised."""
        return self.milestone(Milestone.HALF_ENROLLED)

    @property
    def last_patient_in(self) -> MilestoneForecast:
        """The forecast of the last patient randomised."""
        return self.milestone(Milestone.LAST_PATIENT_IN)

    def __repr__(self) -> str:
        """A one-line summary (the full content: ``attrs.asdict(self)``)."""
        return _text.summary(
            "EnrolmentForecast",
            f"method={self.method!r}",
            f"target={self.target}",
            _text.count(len(self.milestones), "milestone"),
            _text.count(len(self.curve), "curve point"),
            f"probability_by_horizon={self.probability_by_horizon:.4f}",
            f"seed={self.seed!r}",
        )


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class SitePosterior:
    """A site's randomisation rate after the census: Gamma(*shape*, *rate*) per site-month.

    Attributes:
        site: The site id (``"de/3"``).
        observed: Patients randomised at the site by the census (0 for a site not yet open).
        months_open: Months the site had been open at the census.
        shape: The posterior shape, ``a + observed``.
        rate: The posterior rate, ``b / (1 - screen_failure) + months_open``.
    """

    site: str
    observed: int = attrs.field(validator=whole_number(0, 10_000_000))
    months_open: float = attrs.field(converter=as_float, validator=_non_negative)
    shape: float = attrs.field(converter=as_float, validator=positive)
    rate: float = attrs.field(converter=as_float, validator=positive)

    @property
    def mean_rate(self) -> float:
        """The posterior mean randomisation rate per site-month, ``shape / rate``."""
        return self.shape / self.rate


@attrs.frozen(kw_only=True, field_transformer=typed_fields, repr=False)
class Reprojection:
    """An interim re-projection: the posterior rate of each site and the predicted last patient in.

    Attributes:
        census_month: The census, as a study month.
        census_date: The census date.
        randomised: Patients randomised by the census (all sites).
        remaining: Patients still to randomise.
        posteriors: One posterior per site, in the model's site order (sites not yet
            open keep their group's prior).
        last_patient_in: When the target is reached (months from the study start).
        probability_by_horizon: The probability of reaching the target by the horizon.
    """

    census_month: float = attrs.field(converter=as_float, validator=_non_negative)
    census_date: dt.date = attrs.field(validator=is_date)
    randomised: int = attrs.field(validator=whole_number(0, 10_000_000))
    remaining: int = attrs.field(validator=whole_number(1, 10_000_000))
    posteriors: tuple[SitePosterior, ...] = attrs.field(validator=_tuple_of(SitePosterior))
    last_patient_in: MilestoneForecast = attrs.field(validator=attrs.validators.instance_of(MilestoneForecast))
    probability_by_horizon: float = attrs.field(converter=as_float, validator=_probability)

    def __repr__(self) -> str:
        """A one-line summary (the full content: ``attrs.asdict(self)``)."""
        return _text.summary(
            "Reprojection",
            f"census_date={self.census_date.isoformat()}",
            f"randomised={self.randomised}",
            f"remaining={self.remaining}",
            _text.count(len(self.posteriors), "site posterior"),
            f"probability_by_horizon={self.probability_by_horizon:.4f}",
        )
