"""Enum fields that take their text as files do: a converter to the member and a validator.

Re-exported by :mod:`crokit._validators`; kept apart because it imports nothing of
crokit's models, so the vocabulary modules can use it without an import cycle.

mypy's attrs plugin takes only named functions and lambdas as converters, so a field
names its enum in a lambda: ``attrs.field(converter=lambda value: as_member(Stage,
value), validator=is_member(Stage))``.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import attrs

from crokit.errors import ValidationError, close_matches

__all__ = ["as_member", "as_member_set", "as_members", "is_member"]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

E = TypeVar("E", bound=enum.Enum)


@functools.cache
def _member_texts(cls: type[enum.Enum]) -> dict[str, enum.Enum]:
    texts: dict[str, enum.Enum] = {}
    for member in cls:
        texts.setdefault(member.name.lower(), member)
        if isinstance(member.value, str):
            texts[member.value.lower()] = member
    return texts


def as_member(cls: type[E], value: object) -> Any:
    """*value* as a member of the enum *cls* if it is one, or its value or name (``"phase-3"``, ``"PHASE_3"``).

    Text matches case-insensitively, ignoring surrounding blanks, so Python takes what a
    file takes; an enum may read more text through its ``_missing_`` hook. Anything
    else is returned unchanged for :func:`is_member` to refuse.

    >>> from crokit.vocabulary.lifecycle import Stage
    >>> as_member(Stage, "phase-3"), as_member(Stage, "PHASE_3"), as_member(Stage, "phase-9")
    (<Stage.PHASE_3: 'phase-3'>, <Stage.PHASE_3: 'phase-3'>, 'phase-9')
    """
    if not isinstance(value, str) or isinstance(value, cls):
        return value
    found = _member_texts(cls).get(value.strip().lower())
    if found is not None:
        return found
    try:
        return cls(value.strip())
    except ValueError:
        return value


def as_members(cls: type[E], value: Iterable[object]) -> tuple[Any, ...]:
    """:func:`as_member` on every item of *value*, as a tuple."""
    return tuple(as_member(cls, item) for item in value)


def as_member_set(cls: type[E], value: Iterable[object]) -> frozenset[Any]:
    """:func:`as_member` on every item of *value*, as a frozenset."""
    return frozenset(as_member(cls, item) for item in value)


def is_member(cls: type[E]) -> Validator:
    """A validator: a member of the enum *cls*; the error lists the values and suggests the closest.

    Use with :func:`as_member`, which turns every value or name of a member into it, so
    the rejected value is never one of those listed.
    """

    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, cls):
            return
        values = [str(member.value) for member in cls]
        hint = close_matches(value, values) if isinstance(value, str) else ()
        extra = f"; did you mean {hint[0]!r}?" if hint else ""
        raise ValidationError.at(
            attribute.name,
            f"expected a {cls.__name__}, one of {', '.join(repr(v) for v in values)}, got {value!r}{extra}",
        )

    return check
