"""Oracles: what an accepted document says, read independently of crokit, and how to compare.

:func:`reference` reads the text of a document with readers that keep what crokit's
readers may lose: JSON with every key pair (so duplicate keys are seen), YAML as its
composed node tree (so each scalar keeps the text it was written as: ``012`` stays
``012``, never 10), TOML with :mod:`tomllib`. :func:`changes` then compares the leaves
of that reading with the plain data of the model crokit built: a number written in the
file that the model does not hold at the same place, or a number in the model that the
file spelled as something other than a decimal number, is a silent change.

Leaves are compared as multisets per *key path* (list indices left out), so frozensets
written in another order and lists crokit sorts do not count as changes.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, Final

__all__ = ["Reading", "changes", "leaves", "reference"]

# ``re.ASCII``: ``\d`` would also match digits of other scripts (Arabic-Indic, full-width), which no
# format reads as a number; with them taken for numbers the oracle missed crokit reading
# such text as 12.
_DECIMAL: Final = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?", re.ASCII)
_DATE: Final = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})", re.ASCII)
_YAML_PLAIN_NUMBER: Final = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?", re.ASCII)


class Reading:
    """A document read by the reference readers: its tree and the duplicate keys seen."""

    __slots__ = ("duplicates", "tree")

    def __init__(self, tree: Any, duplicates: list[str]) -> None:
        self.tree = tree
        self.duplicates = duplicates


class _Text(str):
    """A scalar as written: a number literal, or plain YAML text that is not a decimal number."""

    __slots__ = ()


class _Number(_Text):
    """A number literal's text."""

    __slots__ = ()


class _NotNumber(_Text):
    """A plain (unquoted) YAML scalar that is not a decimal number literal, such as ``1:00`` or ``0x3C``."""

    __slots__ = ()


def _json(text: str) -> Reading:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                duplicates.append(key)
            result[key] = value
        return result

    tree = json.loads(text, object_pairs_hook=pairs, parse_float=_Number, parse_int=_Number)
    return Reading(tree, duplicates)


_YAML_11_BREAKS: Final = "\x85\u2028\u2029"
"""NEL, LS and PS: line breaks to PyYAML (YAML 1.1), plain characters of text to YAML 1.2."""


def _stand_ins(text: str) -> dict[str, str]:
    r"""Private-use characters standing in for the YAML 1.1 breaks in *text* while PyYAML composes it.

    A candidate is skipped if it, or its hexadecimal code (which an escape such as
    ``\uE000`` would need), appears anywhere in the text, so a stand-in found after
    composing always replaced one of the breaks.
    """
    lowered = text.lower()
    free = (chr(code) for code in range(0xF0000, 0xFFFFE) if chr(code) not in text and f"{code:x}" not in lowered)
    return {char: next(free) for char in _YAML_11_BREAKS if char in text}


def _yaml(text: str) -> Reading:
    r"""Compose *text* as YAML 1.2 reads it.

    crokit reads YAML 1.2, where U+0085, U+2028 and U+2029 are characters of text; the
    PyYAML composer used here is YAML 1.1, which treats them as line breaks (folding a
    plain scalar at a NEL and dropping the indentation after it). Reading with PyYAML's
    rule made the oracle report crokit keeping ``'a\x85  b'`` as a silent change: the
    three characters are swapped for stand-ins before composing and put back in every
    scalar, so the reference reads what the YAML 1.2 specification says the text holds.
    """
    import yaml

    duplicates: list[str] = []
    stand_ins = _stand_ins(text)
    for char, stand_in in stand_ins.items():
        text = text.replace(char, stand_in)
    node = yaml.compose(text, Loader=yaml.SafeLoader)

    def walk(node: Any, depth: int = 0) -> Any:  # noqa: PLR0911 - one return per kind of node
        if depth > 500:
            raise RecursionError
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = walk(key_node, depth + 1)
                key = str(key) if not isinstance(key, dict | list) else repr(key)
                if key in result:
                    duplicates.append(key)
                result[key] = walk(value_node, depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [walk(item, depth + 1) for item in node.value]
        value: str = node.value
        for char, stand_in in stand_ins.items():
            value = value.replace(stand_in, char)
        if node.style is None:  # plain: the text is all there is
            if _YAML_PLAIN_NUMBER.fullmatch(value):
                return _Number(value)
            if value in {"true", "True", "TRUE"}:
                return True
            if value in {"false", "False", "FALSE"}:
                return False
            if value in {"", "~", "null", "Null", "NULL"}:
                return None
            return _NotNumber(value)
        return value

    return Reading(walk(node) if node is not None else None, duplicates)


def _toml(text: str) -> Reading:
    return Reading(tomllib.loads(text, parse_float=_Number), [])


def reference(text: str, format_: str) -> Reading | None:
    """*text* read by the reference reader of *format_*, or ``None`` if it cannot read it."""
    try:
        if format_ == "json":
            return _json(text)
        if format_ == "yaml":
            return _yaml(text)
        return _toml(text)
    except Exception:  # noqa: BLE001 - the reference reader refusing is not a finding
        return None
    except RecursionError:  # pragma: no cover - caught above on 3.11+, kept for clarity
        return None


def _canonical_number(value: object) -> tuple[str, str] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        text = repr(value) if isinstance(value, float) else str(value)
    elif isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        text = value.strip()
    else:
        return None
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return ("num", str(number))
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # noqa: S101 - finite, checked above
    figures = "".join(map(str, digits)).lstrip("0")
    if not figures:
        return ("num", "0")
    stripped = figures.rstrip("0")
    exponent += len(figures) - len(stripped)
    text = f"{'-' if sign else ''}{stripped}e{exponent}"
    return ("num", f"{Decimal(text):f}" if -40 <= exponent <= 40 else text)  # 60 and 0.25 written out


def _canonical(value: object) -> tuple[str, str] | None:  # noqa: PLR0911 - one return per kind of leaf
    if value is None:
        return None
    if isinstance(value, str) and (date_match := _DATE.fullmatch(value)):  # ISO 8601 basic or extended
        return ("date", "".join(date_match.groups()))
    if isinstance(value, _NotNumber):
        return ("text", str(value))
    if isinstance(value, date) and not isinstance(value, datetime):
        return ("date", f"{value.year:04d}{value.month:02d}{value.day:02d}")
    number = _canonical_number(value)
    if number is not None:
        return number
    if isinstance(value, bool):
        return ("bool", str(value))
    if isinstance(value, datetime | date | time):
        return ("text", value.isoformat())
    if isinstance(value, str):
        return ("text", str(value))
    return ("other", repr(value))


def leaves(tree: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], tuple[str, str]]]:
    """Every leaf of *tree* as ``(key path, canonical value)``; list indices are left out of the path."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from leaves(value, (*path, str(key)))
    elif isinstance(tree, list | tuple):
        for value in tree:
            yield from leaves(value, (*path, "*"))
    else:
        canonical = _canonical(tree)
        if canonical is not None:
            yield path, canonical


def changes(source: Any, model: Any, *, text: bool = True) -> list[str]:
    """Where *model* (plain data of what crokit built) does not hold what *source* says.

    Only key paths present in both are compared. A number (or, with *text*, a text) in
    the source that the model does not hold at the same key path is a change; so is a
    number in the model where the source wrote a plain YAML scalar that is not a number.
    """
    wanted: dict[tuple[str, ...], Counter[tuple[str, str]]] = {}
    held: dict[tuple[str, ...], Counter[tuple[str, str]]] = {}
    for path, value in leaves(source):
        wanted.setdefault(path, Counter())[value] += 1
    for path, value in leaves(model):
        held.setdefault(path, Counter())[value] += 1
    found: list[str] = []
    for path, counts in wanted.items():
        have = held.get(path)
        if have is None:
            continue
        for value, count in counts.items():
            kind = value[0]
            if kind == "text" and value in have:
                continue
            if kind == "text" and any(k == "num" for k, _ in have):  # text where the model holds a number
                if not any(k == "text" for k, _ in have):
                    found.append(f"{'.'.join(path)}: the file says {value[1]!r}, the model holds {_show(have)}")
                continue
            if kind == "text" and not text:
                continue
            if have[value] < count and kind in {"num", "text", "date"}:
                found.append(f"{'.'.join(path)}: the file says {value[1]!r}, the model holds {_show(have)}")
    return found


def _show(values: Counter[tuple[str, str]]) -> str:
    shown = sorted(v for _, v in values)
    return ", ".join(repr(v) for v in shown[:5]) + (" ..." if len(shown) > 5 else "")
