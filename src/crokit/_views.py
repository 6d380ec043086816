"""The hooks between crokit's values and its presentation layer, which is loaded on first use.

Budgets, payment schedules, rankings and evaluations show themselves as tables and rows
without importing the presentation layer: their ``to_records``, ``to_dataframe``,
``_repr_html_`` and ``_repr_markdown_`` methods call the generic functions here, and
:mod:`crokit.presentation` registers one renderer per type on them
(:func:`functools.singledispatch`). Its registering module (:data:`PRESENTATION`) is
imported by name, with :func:`importlib.import_module`, on the first call for a type
that has no renderer yet, so the models never import it, and importing a model imports
neither the presentation layer nor pandas.

This module imports nothing of crokit but its errors: it sits below the models, and the
presentation package sits above them.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, TypeAlias, TypeVar

from crokit.errors import ValidationError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PRESENTATION", "JsonValue", "Numeric", "dataframe", "html", "markdown", "records"]

PRESENTATION = "crokit.presentation._renderers"
"""The module of the presentation package that registers the renderers, imported by name on first use."""

JsonValue: TypeAlias = str | int | float | bool | list[int] | None
"""What a record's cell holds: something :func:`json.dumps` writes as it is."""
Numeric: TypeAlias = Literal["decimal", "float"]
"""How a DataFrame holds money and exact numbers: as ``Decimal`` (exact) or as ``float``."""

_R = TypeVar("_R")
_TABULAR = "a Budget, PaymentSchedule, Ranking or Evaluation"


def _renderer(function: functools._SingleDispatchCallable[_R], obj: object, what: str) -> Callable[..., _R]:
    """The renderer *function* has for *obj*'s type, loading the presentation package if it has none yet.

    Raises:
        ValidationError: If no renderer is registered for *obj*'s type even then.
    """
    base = function.dispatch(object)
    found = function.dispatch(type(obj))
    if found is base:
        importlib.import_module(PRESENTATION)
        found = function.dispatch(type(obj))
    if found is base:
        raise ValidationError.at("obj", f"expected {what}, got {type(obj).__name__}")
    return found


@functools.singledispatch
def records(obj: object) -> list[dict[str, JsonValue]]:
    """One JSON-safe dict per row of *obj* (see :func:`crokit.dataframe.to_records`).

    Raises:
        ValidationError: If there is no table for *obj*'s type.
    """
    return _renderer(records, obj, _TABULAR)(obj)


@functools.singledispatch
def dataframe(obj: object, *, numeric: Numeric = "decimal") -> pd.DataFrame:
    """A pandas DataFrame of *obj*'s rows (see :func:`crokit.dataframe.to_dataframe`).

    Raises:
        ValidationError: If there is no table for *obj*'s type.
    """
    return _renderer(dataframe, obj, _TABULAR)(obj, numeric=numeric)


@functools.singledispatch
def html(obj: object) -> str:
    """*obj* as an HTML fragment for notebooks (see :mod:`crokit.display`).

    Raises:
        ValidationError: If there is no HTML view for *obj*'s type.
    """
    return _renderer(html, obj, _TABULAR)(obj)


@functools.singledispatch
def markdown(obj: object) -> str:
    """*obj* as Markdown for notebooks (see :mod:`crokit.display`).

    Raises:
        ValidationError: If there is no Markdown view for *obj*'s type.
    """
    return _renderer(markdown, obj, _TABULAR)(obj)
