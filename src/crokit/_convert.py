"""Typed attrs converters for collections (mypy cannot type ``converter=tuple``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["to_frozenset", "to_tuple"]


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Any iterable as a tuple."""
    return tuple(value)


def to_frozenset(value: Iterable[Any]) -> frozenset[Any]:
    """Any iterable as a frozenset."""
    return frozenset(value)
