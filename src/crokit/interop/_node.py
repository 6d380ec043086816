"""Located access to untrusted JSON: parsing, the path-aware :class:`Node`, value readers.

Every reader walks untrusted JSON through :class:`Node`, which knows its JSON path
(``study.versions[0].studyDesigns[0].encounters[3]``) and raises
:class:`~crokit.errors.ValidationError` at that path when a value has the wrong shape,
so a malformed file never surfaces as a bare ``KeyError`` or ``TypeError``; this module
also parses documents (:func:`load_json`), describes values for messages
(:func:`describe`) and picks texts out of nodes (:func:`first_text`,
:func:`unique_texts`).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import attrs

from crokit.errors import DuplicateKeyError, FormatError, ValidationError
from crokit.serialization._text import _json_duplicates, _json_object

__all__ = [
    "Node",
    "describe",
    "first_text",
    "load_json",
    "unique_texts",
]

MAX_NUMBER: Final = 10**15
"""Numbers beyond this magnitude are refused wherever a count is expected."""


def describe(value: object) -> str:
    """A short description of *value* for error messages."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, int) and value.bit_length() > 200:  # noqa: PLR2004 - too long to print (or even to convert)
        return f"a number of about {int(value.bit_length() * 0.30103)} digits"
    text = str(value) if isinstance(value, Decimal) else repr(value)  # a Decimal as the file wrote it: 0.0
    return text if len(text) <= 60 else text[:57] + "..."  # noqa: PLR2004 - keep messages short


BOM: Final = "\ufeff"
"""The byte-order mark: one at the start of a document is accepted and dropped, as every crokit reader does."""


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number JSON allows")


def _decimal(text: str) -> Decimal:
    """A JSON number with a fraction or exponent, read exactly; an exponent too large to hold is an error."""
    try:
        return Decimal(text)
    except InvalidOperation:  # an exponent beyond what Decimal can hold (1e9999999999999999999)
        shown = text if len(text) <= 40 else text[:37] + "..."  # noqa: PLR2004 - keep messages short
        raise ValueError(f"the number {shown} is too large to read") from None


def load_json(data: object, *, source: str, what: str) -> object:
    """Parse *data* (text, bytes or already-parsed JSON) into plain data.

    Floats are read as :class:`~decimal.Decimal`, never binary floats. A leading
    byte-order mark (U+FEFF) is accepted and dropped, in text as in bytes.

    Raises:
        FormatError: If text or bytes are not JSON (invalid UTF-8, bad syntax, empty,
            nested too deeply, a number too long or with an exponent too large to read).
        ValidationError: If *data* is of no type a JSON document can be.
    """
    if isinstance(data, Mapping):
        return data
    if isinstance(data, bytes | bytearray | memoryview):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FormatError("json", f"not UTF-8 text ({exc.reason} at byte {exc.start})", source=source) from None
    if not isinstance(data, str):
        raise ValidationError.at("", f"expected {what} as a JSON object, text or bytes, got {describe(data)}")
    data = data.removeprefix(BOM)
    if not data.strip():
        raise FormatError("json", "the document is empty", source=source)
    found: list[bool] = []
    try:
        parsed = json.loads(
            data,
            parse_float=_decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=functools.partial(_json_object, found=found),
        )
    except json.JSONDecodeError as exc:
        raise FormatError("json", f"{exc.msg} at line {exc.lineno} column {exc.colno}", source=source) from None
    except RecursionError:
        raise FormatError("json", "the document is nested too deeply", source=source) from None
    except ValueError as exc:  # a number too long or too large to convert, or NaN / Infinity
        raise FormatError("json", str(exc).splitlines()[0], source=source) from None
    if found:  # a key given twice: which value the file means is unknowable, as in every crokit reader
        raise DuplicateKeyError("json", _json_duplicates(parsed), source=source)
    return parsed


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


@attrs.frozen
class Node:
    """A value of an untrusted JSON document together with its path.

    Missing values are ``None``; asking for a key of ``None`` gives ``None`` again, so
    optional chains (``design["population"]["plannedEnrollmentNumber"]``) need no
    checks. A value of the wrong type raises :class:`ValidationError` at its path.
    """

    value: object
    path: str = ""

    def fail(self, message: str) -> ValidationError:
        """A :class:`ValidationError` at this node's path."""
        return ValidationError.at(self.path, message)

    @property
    def missing(self) -> bool:
        """Whether the value is absent (``null`` or not given)."""
        return self.value is None

    def __getitem__(self, key: str) -> Node:
        """The child at *key* of this object (``None`` if this node or the key is missing)."""
        if self.value is None:
            return Node(None, _join(self.path, key))
        if not isinstance(self.value, Mapping):
            raise self.fail(f"expected an object with {key!r}, got {describe(self.value)}")
        return Node(self.value.get(key), _join(self.path, key))

    def has(self, key: str) -> bool:
        """Whether this node is an object with a non-null *key*."""
        return isinstance(self.value, Mapping) and self.value.get(key) is not None

    def require(self, what: str) -> Node:
        """This node, or an error saying *what* is missing."""
        if self.value is None:
            raise self.fail(f"missing: expected {what}")
        return self

    def mapping(self) -> Mapping[str, Any] | None:
        """The value as an object, ``None`` if missing; an error for any other type."""
        if self.value is None:
            return None
        if not isinstance(self.value, Mapping):
            raise self.fail(f"expected an object, got {describe(self.value)}")
        return self.value

    def items(self) -> list[Node]:
        """The items of a list (empty if missing); an error for any other type."""
        if self.value is None:
            return []
        if not isinstance(self.value, list | tuple):
            raise self.fail(f"expected a list, got {describe(self.value)}")
        return [Node(item, f"{self.path}[{index}]") for index, item in enumerate(self.value)]

    def objects(self) -> list[Node]:
        """The items of a list of objects (null items skipped); an error for any other item."""
        return [item for item in self.items() if item.mapping() is not None]

    def text(self) -> str | None:
        """The value as stripped text, ``None`` if missing or blank; an error for a non-text."""
        if self.value is None:
            return None
        if not isinstance(self.value, str):
            raise self.fail(f"expected text, got {describe(self.value)}")
        return self.value.strip() or None

    def whole(self, *, minimum: int = 0, maximum: int = MAX_NUMBER, what: str = "a whole number") -> int | None:
        """The value as a whole number in [*minimum*, *maximum*], ``None`` if missing.

        Integral decimals (``300.0``) and integral floats count as whole numbers; text,
        booleans, fractions, NaN and numbers out of range are errors.
        """
        value = self.value
        if value is None:
            return None
        if isinstance(value, bool):
            raise self.fail(f"expected {what}, got {describe(value)}")
        if isinstance(value, int):
            if not minimum <= value <= maximum:
                raise self.fail(f"expected {what} from {minimum} to {maximum}, got {describe(value)}")
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                raise self.fail(f"expected {what}, got {describe(value)}")
            value = Decimal(value)
        if not isinstance(value, Decimal) or not value.is_finite() or value != value.to_integral_value():
            raise self.fail(f"expected {what}, got {describe(value)}")
        if not minimum <= value <= maximum:
            raise self.fail(f"expected {what} from {minimum} to {maximum}, got {describe(value)}")
        return int(value)

    def date(self) -> date | None:
        """The value as an ISO calendar date, ``None`` if missing; an error for anything else."""
        text = self.text()
        if text is None:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise self.fail(f"expected a date like 2021-03-15, got {describe(self.value)}") from None


def first_text(*nodes: Node) -> str | None:
    """The first non-blank text among *nodes*."""
    for node in nodes:
        text = node.text()
        if text is not None:
            return text
    return None


def unique_texts(texts: Iterator[str | None] | list[str | None]) -> list[str]:
    """The non-empty texts, each once (case-insensitively), in order."""
    seen: set[str] = set()
    result: list[str] = []
    for text in texts:
        if text and text.lower() not in seen:
            seen.add(text.lower())
            result.append(text)
    return result
