"""Enum fields that take their text as files do: a converter to the member and a validator.

Re-exported by :mod:`crokit._validators`; kept apart because it imports nothing of
crokit's models, so the vocabulary modules can use it without an import cycle.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import attrs

from crokit.errors import ValidationError, close_matches

__all__ = ["is_member", "to_member", "to_member_set", "to_members"]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

E = TypeVar("E", bound=enum.Enum)


def _member_texts(cls: type[E]) -> dict[str, E]:
    texts: dict[str, E] = {}
    for member in cls:
        texts.setdefault(member.name.lower(), member)
        if isinstance(member.value, str):
            texts[member.value.lower()] = member
    return texts


def to_member(cls: type[E]) -> Callable[[object], object]:
    """A converter: a member of the enum *cls* given as itself, its value or its name (``"phase-3"``, ``"PHASE_3"``).

    Text matches case-insensitively, ignoring surrounding blanks, so Python takes what a
    file takes. Anything else is returned unchanged for :func:`is_member` to refuse.

    >>> from crokit.vocabulary.lifecycle import Stage
    >>> to_member(Stage)("phase-3"), to_member(Stage)("PHASE_3")
    (<Stage.PHASE_3: 'phase-3'>, <Stage.PHASE_3: 'phase-3'>)
    """
    texts = _member_texts(cls)

    def convert(value: object) -> object:
        if isinstance(value, str) and not isinstance(value, cls):
            found = texts.get(value.strip().lower())
            if found is None:
                try:  # an enum may read other text through its _missing_ hook
                    found = cls(value.strip())
                except ValueError:
                    return value
            return found
        return value

    return convert


def is_member(cls: type[E]) -> Validator:
    """A validator: a member of the enum *cls*; the error lists the values and suggests the closest.

    Use with :func:`to_member`, which turns every value or name of a member into it, so
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


def to_members(cls: type[E]) -> Callable[[Iterable[object]], tuple[object, ...]]:
    """A converter: :func:`to_member` on every item of an iterable, as a tuple."""
    convert = to_member(cls)

    def convert_all(value: Iterable[object]) -> tuple[object, ...]:
        return tuple(convert(item) for item in value)

    return convert_all


def to_member_set(cls: type[E]) -> Callable[[Iterable[object]], frozenset[object]]:
    """A converter: :func:`to_member` on every item of an iterable, as a frozenset."""
    convert = to_member(cls)

    def convert_all(value: Iterable[object]) -> frozenset[object]:
        return frozenset(convert(item) for item in value)

    return convert_all
