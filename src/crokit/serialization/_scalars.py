"""The structure hooks of single values: decimals, numbers, text, booleans, dates and enums.

Each hook takes one plain value read from a file and returns it as its Python type, or
raises a :class:`~crokit.errors.ValidationError` describing what was expected and what
was found (:func:`_describe`). A float literal (:class:`_FloatText`) is refused where a
Decimal, whole number or text is expected, and whole numbers beyond :data:`MAX_INT` are
refused.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Final

from crokit._decimal import to_decimal
from crokit.errors import ValidationError, close_matches
from crokit.serialization._text import _FloatText

__all__ = ["MAX_INT"]

MAX_INT: Final = 10**15
"""Whole numbers in documents are refused beyond this magnitude."""


def _describe(value: object) -> str:  # noqa: PLR0911 - one return per kind of value
    if isinstance(value, _FloatText) and not value.is_finite():
        return f"{value}, which is not a finite number"
    if isinstance(value, _FloatText):
        return f"the float {value}"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "null"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."  # noqa: PLR2004 - keep messages short


def _structure_decimal(value: object, _type: object) -> Decimal:
    if type(value) is str:  # the common case first: text, which to_decimal checks (never a _FloatText)
        return to_decimal(value)
    if isinstance(value, _FloatText) and not value.is_finite():
        raise ValidationError.at("", f'expected a decimal written as a string, like "12.50", got {_describe(value)}')
    if isinstance(value, _FloatText):
        raise ValidationError.at(
            "", f'expected a decimal written as a string, like "{value}", got {_describe(value)} (floats are inexact)'
        )
    if isinstance(value, str | int | Decimal):
        return to_decimal(value)
    raise ValidationError.at("", f'expected a decimal written as a string, like "12.50", got {_describe(value)}')


def _structure_int(value: object, _type: object) -> int:
    if type(value) is int and -MAX_INT <= value <= MAX_INT:  # the common case, in one test
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError.at("", f"expected a whole number, got {_describe(value)}")
    if abs(value) > MAX_INT:
        raise ValidationError.at("", f"expected a whole number of at most 15 digits, got {_describe(value)}")
    return value


def _structure_float(value: object, _type: object) -> float:
    """Floats appear only in decision scores and weights, never in money; read them exactly from their text."""
    if isinstance(value, _FloatText) and value.is_finite():
        try:
            number = float(value)
        except ValueError:  # pragma: no cover - every reader hands over only number text
            number = math.nan
        if math.isfinite(number):
            return number
    elif isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            pass
    raise ValidationError.at("", f"expected a finite number, got {_describe(value)}")


def _structure_str(value: object, _type: object) -> str:
    if type(value) is str:  # plain text (a _FloatText is a subclass, refused below)
        return value
    if isinstance(value, _FloatText) or not isinstance(value, str):
        raise ValidationError.at("", f"expected text, got {_describe(value)}")
    return str(value)


def _structure_bool(value: object, _type: object) -> bool:
    if not isinstance(value, bool):
        raise ValidationError.at("", f"expected true or false, got {_describe(value)}")
    return value


def _structure_date(value: object, _type: object) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and not isinstance(value, _FloatText):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError.at("", f"expected a date like 2027-01-04, got {_describe(value)}")


def _enum_hook(cls: type[enum.Enum]) -> Callable[[object, object], enum.Enum]:
    values = {member.value: member for member in cls}

    def hook(value: object, _type: object) -> enum.Enum:
        if type(value) is str:
            member = values.get(value)
            if member is not None:
                return member
        elif isinstance(value, str) and value in values:
            return values[value]
        if isinstance(value, str):
            try:  # an enum may read other text through its _missing_ hook
                return cls(value)
            except ValueError:
                pass
        names = ", ".join(repr(v) for v in values)
        hint = close_matches(value, [str(v) for v in values]) if isinstance(value, str) else ()
        extra = f"; did you mean {hint[0]!r}?" if hint else ""
        raise ValidationError.at("", f"expected one of {names}, got {_describe(value)}{extra}")

    return hook
