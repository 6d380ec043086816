"""Models to plain data and text and back: unstructure, structure, dumps and loads.

:func:`unstructure` and :func:`structure` convert between models and plain data with a
converter built from a registry (the default registry's converter is built once and
cached), adding and checking ``schema_version`` on top-level documents and reporting
every problem with its path. :func:`dumps` and :func:`loads` do the same through JSON,
TOML or YAML text.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

import cattrs

from crokit.errors import CrokitError, ValidationError
from crokit.registry import Registry, default_registry
from crokit.serialization._hooks import _problems, make_converter
from crokit.serialization._scalars import _describe
from crokit.serialization._text import Format, _render, parse
from crokit.serialization.documents import document_spec

__all__ = ["dumps", "loads", "structure", "unstructure"]

T = TypeVar("T")


_DEFAULT: dict[str, cattrs.Converter] = {}


def _converter(registry: Registry | None) -> cattrs.Converter:
    if registry is not None:
        return make_converter(registry)
    if "default" not in _DEFAULT:
        _DEFAULT["default"] = make_converter(default_registry())
    return _DEFAULT["default"]


def unstructure(obj: object, *, registry: Registry | None = None) -> Any:
    """*obj* as plain JSON-compatible data; a top-level document gets its ``schema_version`` first."""
    data = _converter(registry).unstructure(obj)
    spec = document_spec(type(obj))
    if spec is not None and isinstance(data, dict):
        return {"schema_version": spec.version, **data}
    return data


def structure(data: object, cls: type[T], *, registry: Registry | None = None, root: str | None = None) -> T:
    """Build a *cls* from plain *data*, checking everything; the inverse of :func:`unstructure`.

    Raises:
        ValidationError: Every problem found, each with its path under *root*
            (default: the document's name).
        SchemaVersionError: For a document whose version cannot be read.
    """
    spec = document_spec(cls)
    prefix = root if root is not None else (spec.name if spec else "")
    if spec is not None:
        if not isinstance(data, dict):
            raise ValidationError.at(prefix, f"expected a table, got {_describe(data)}")
        data = spec.upgrade(data)
        if spec.precheck is not None:
            spec.precheck(data, registry if registry is not None else default_registry())
    try:
        return _converter(registry).structure(data, cls)
    except CrokitError as exc:
        raise ValidationError(_problems(exc, prefix)) from None
    except Exception as exc:  # noqa: BLE001 - anything else is still reported as a located problem
        raise ValidationError(_problems(exc, prefix)) from None


def dumps(
    obj: object,
    format: Format = "json",  # noqa: A002 - "format" reads best here
    *,
    registry: Registry | None = None,
    indent: int | None = None,
) -> str:
    r"""*obj* as JSON, TOML or YAML text, ending with a newline.

    Args:
        obj: The model to write.
        format: ``"json"``, ``"toml"`` or ``"yaml"``.
        registry: The vocabulary ids are checked against (default: the default registry).
        indent: JSON only: indent nested values by this many spaces, one item a line, for
            people to read. The default, ``None``, writes compact JSON (no spaces):
            Python's C encoder, several times faster, and about half the size. TOML and
            YAML are always laid out for reading.

    >>> from crokit import Money
    >>> dumps(Money("12.50", "EUR"))
    '{"amount":"12.50","currency":"EUR"}\n'
    >>> print(dumps(Money("12.50", "EUR"), indent=2), end="")
    {
      "amount": "12.50",
      "currency": "EUR"
    }
    """
    data = unstructure(obj, registry=registry)
    if format == "json":
        if indent is None:
            return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
        return json.dumps(data, ensure_ascii=False, indent=indent) + "\n"
    return _render(data, format)


def loads(
    text: str | bytes,
    cls: type[T],
    format: Format = "json",  # noqa: A002 - "format" reads best here
    *,
    registry: Registry | None = None,
    source: str = "",
) -> T:
    """Read a *cls* from JSON, TOML or YAML text.

    Raises:
        FormatError: If the text is not valid in *format*.
        ValidationError: Listing every problem with its path.
        SchemaVersionError: If the document's version cannot be read.
    """
    return structure(parse(text, format, source=source), cls, registry=registry)
