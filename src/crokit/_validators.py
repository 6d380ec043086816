"""Small attrs validators and converters shared by the models.

Each raises :class:`~crokit.errors.ValidationError` with the field's name as its path,
the bad value and what was expected, so the serialization layer can prefix the path
of the enclosing document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

import attrs

from crokit.errors import ValidationError
from crokit.money import Money
from crokit.units import check_fraction
from crokit.vocabulary.ids import check_id

__all__ = [
    "LAST_START",
    "SLUG_PATTERN",
    "before_calendar_end",
    "as_member",
    "as_member_set",
    "as_members",
    "is_date",
    "is_member",
    "listed_once",
    "money_at_least_zero",
    "non_empty_text",
    "non_negative",
    "rate_below_one",
    "slug",
    "unique",
    "unique_ids",
    "whole_number",
]

SLUG_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
"""Ids of user-defined things (candidates, visits): lower case, digits, ``.``, ``_``, ``-``."""

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def whole_number(minimum: int, maximum: int = 10**9) -> Validator:
    """A validator: an ``int`` (not a bool) from *minimum* to *maximum*."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            raise ValidationError.at(
                attribute.name, f"expected a whole number from {minimum} to {maximum}, got {value!r}"
            )

    return check


def rate_below_one(_instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    """A validator: a rate as a fraction in [0, 1), with a "did you mean" hint for a percentage."""
    check_fraction(value, attribute.name, below_maximum=True)


def non_empty_text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A validator: a non-blank string."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError.at(attribute.name, f"expected a non-empty text, got {value!r}")


def slug(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A validator: a user id such as ``acme-cro`` (see :data:`SLUG_PATTERN`)."""
    if not isinstance(value, str) or not SLUG_PATTERN.match(value):
        raise ValidationError.at(
            attribute.name, f"expected an id of lower-case letters, digits, '.', '_' or '-', got {value!r}"
        )


def is_date(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A validator: a calendar date (not a datetime)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError.at(attribute.name, f"expected a date like 2026-03-01, got {value!r}")


LAST_START: Final = date(9949, 12, 31)
"""The latest date a study, a timeline or a price list may start on: it leaves room for
the longest timeline crokit accepts (600 months) before the calendar ends in 9999."""


def before_calendar_end(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A validator: a calendar date no later than :data:`LAST_START` (``None`` passes)."""
    if value is None:
        return
    is_date(_instance, attribute, value)
    if isinstance(value, date) and value > LAST_START:
        raise ValidationError.at(
            attribute.name,
            f"{value} leaves no room for a study timeline before the calendar ends in 9999; "
            f"expected a date up to {LAST_START}",
        )


def unique(_instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    """A validator: no item listed twice."""
    seen: set[Any] = set()
    for index, item in enumerate(value):
        if item in seen:
            raise ValidationError.at(f"{attribute.name}[{index}]", f"{item!r} is listed more than once")
        seen.add(item)


def listed_once(
    kind: type,
    key: Callable[[Any], Any],
    *,
    field: str,
    repeated: Callable[[Any, str], str],
) -> Validator:
    """A validator: a tuple of *kind* items whose *key* is listed once each.

    An item of another type is refused at ``name[i]``; a repeated key at
    ``name[i].field`` with the message ``repeated(item, where it was first listed)``.
    """
    article = "an" if kind.__name__[:1] in "AEIOU" else "a"

    def check(_instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        seen: dict[Any, int] = {}
        for index, item in enumerate(value):
            if not isinstance(item, kind):
                raise ValidationError.at(
                    f"{attribute.name}[{index}]", f"expected {article} {kind.__name__}, got {item!r}"
                )
            found = key(item)
            if found in seen:
                raise ValidationError.at(
                    f"{attribute.name}[{index}].{field}", repeated(item, f"{attribute.name}[{seen[found]}]")
                )
            seen[found] = index

    return check


def unique_ids(_instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    """A validator: well-formed namespaced ids, none listed twice."""
    for index, item in enumerate(value):
        check_id(item, path=f"{attribute.name}[{index}]")
    unique(_instance, attribute, value)


def non_negative(_instance: object, attribute: attrs.Attribute[Any], value: Decimal | None) -> None:
    """A validator: a number >= 0 (``None`` passes, for optional fields)."""
    if value is not None and value < 0:
        raise ValidationError.at(attribute.name, f"expected a number >= 0, got {value}")


def money_at_least_zero(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A validator: a :class:`~crokit.Money` amount >= 0."""
    if not isinstance(value, Money):
        raise ValidationError.at(attribute.name, f"expected Money, got {value!r}")
    if value.amount < 0:
        raise ValidationError.at(attribute.name, f"expected an amount >= 0, got {value}")


# The enum helpers live in crokit._members, which imports nothing of crokit's models, so
# that the vocabulary modules (which this module imports) can use them too.
from crokit._members import as_member, as_member_set, as_members, is_member  # noqa: E402
