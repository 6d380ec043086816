"""Model parameters as finite floats, and the months-and-dates arithmetic of a study calendar.

Enrolment parameters (a Gamma shape and rate, a probability, a month) are statistics,
not money: they are stored as ``float`` and accepted as ``int``, ``float``,
:class:`~decimal.Decimal`, :class:`~fractions.Fraction` or text (``"2.5"``, ``"1/3"``).
Bools, NaN, infinities and other types are refused with the field's path.

Months and dates: month ``m`` of a study that starts on ``start`` is
``start + relativedelta(months=floor(m))`` plus the fraction ``m - floor(m)`` of the
days of the following calendar month, rounded to the nearest day (half to even).
:func:`months_between` is the inverse: whole calendar months from *start*, plus the
elapsed days of the next month divided by its length. So month 1.5 of a study starting
on 1 January is 15 February (half of February's 28 days after 1 February), and whole
months always land on the same day of the month as the start (or the month's last day,
as :class:`dateutil.relativedelta.relativedelta` does).

>>> import datetime as dt
>>> date_at(dt.date(2027, 1, 1), 1.5)
datetime.date(2027, 2, 15)
>>> months_between(dt.date(2027, 1, 1), dt.date(2027, 2, 15))
1.5
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

import attrs
from dateutil.relativedelta import relativedelta

from crokit.errors import ValidationError

__all__ = [
    "MAX_MONTHS",
    "as_float",
    "check_number",
    "check_whole",
    "date_at",
    "finite",
    "month_number",
    "months_between",
    "positive",
    "probability_below_one",
]

MAX_MONTHS: Final = 1200.0
"""The latest month crokit accepts for an activation, a census or a horizon: 100 years."""

_MAX_TEXT: Final = 100


def as_float(value: object) -> object:
    """An attrs converter: a real number (or its text) as a float; anything else unchanged for the validator."""
    if isinstance(value, bool | float):
        return value
    if isinstance(value, int | Decimal | Fraction | numbers.Real):
        try:
            return float(value)
        except (OverflowError, ValueError):
            return value
    if isinstance(value, str) and len(value) <= _MAX_TEXT:
        try:
            return float(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError, OverflowError):
            return value
    return value


def check_number(path: str, value: object, *, minimum: float | None = None, strict: bool = False) -> float:
    """*value* as a finite float at least (or, *strict*, above) *minimum*, or a ValidationError at *path*."""
    if not isinstance(value, float) or not math.isfinite(value):
        raise ValidationError.at(path, f"expected a finite number such as 2 or '0.5', got {value!r}")
    if minimum is not None and (value <= minimum if strict else value < minimum):
        relation = "above" if strict else "at least"
        raise ValidationError.at(path, f"expected a number {relation} {minimum:g}, got {value:g}")
    return value


def check_whole(path: str, value: object, *, minimum: int, maximum: int) -> int:
    """*value* as a whole number (not a bool) from *minimum* to *maximum*, or a ValidationError at *path*."""
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise ValidationError.at(path, f"expected a whole number from {minimum} to {maximum}, got {value!r}")
    return value


def positive(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A validator: a finite float above 0."""
    check_number(attribute.name, value, minimum=0.0, strict=True)


def finite(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A validator: a finite float (any sign)."""
    check_number(attribute.name, value)


def month_number(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A validator: a month of the study, from 0 to :data:`MAX_MONTHS`."""
    month = check_number(attribute.name, value, minimum=0.0)
    if month > MAX_MONTHS:
        raise ValidationError.at(attribute.name, f"expected a month from 0 to {MAX_MONTHS:g}, got {month:g}")


def probability_below_one(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A validator: a probability from 0 up to but not including 1."""
    number = check_number(attribute.name, value, minimum=0.0)
    if number >= 1.0:
        raise ValidationError.at(
            attribute.name, f"expected a probability from 0 up to but not including 1, got {number:g}"
        )


def _check_date(path: str, value: object) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError.at(path, f"expected a date like 2027-01-01, got {value!r}")
    return value


def date_at(start: dt.date, months: float) -> dt.date:
    """The calendar date *months* (a fraction allowed, at least 0) after *start* (see the module doc)."""
    _check_date("start", start)
    months = check_number("months", as_float(months), minimum=0.0)
    whole = math.floor(months)
    if whole > MAX_MONTHS * 10:
        raise ValidationError.at("months", f"expected at most {MAX_MONTHS * 10:g} months, got {months:g}")
    first = start + relativedelta(months=whole)
    following = start + relativedelta(months=whole + 1)
    return first + dt.timedelta(days=round((months - whole) * (following - first).days))


def months_between(start: dt.date, day: dt.date) -> float:
    """The study month of *day* (on or after *start*): whole months plus a fraction of the next month."""
    _check_date("start", start)
    _check_date("day", day)
    if day < start:
        raise ValidationError.at("day", f"expected a date on or after the start {start}, got {day}")
    delta = relativedelta(day, start)
    whole = delta.years * 12 + delta.months
    first = start + relativedelta(months=whole)
    if first > day:  # relativedelta clips month ends; step back one month
        whole -= 1
        first = start + relativedelta(months=whole)
    following = start + relativedelta(months=whole + 1)
    return whole + (day - first).days / (following - first).days
