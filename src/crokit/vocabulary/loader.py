r"""Vocabulary as data: reading registry entries from TOML files.

crokit's own vocabulary ships as TOML files in ``crokit/vocabulary/data`` (one file per
kind: ``services.toml``, ``categories.toml``, ``areas.toml``, ...), and an extension
package may ship the same files instead of Python code. Both are read by
:func:`read_vocabulary`, through :meth:`crokit.Registry.with_vocabulary`.

Each file holds arrays of tables named after the registry kind of their entries; the
keys are the fields of the entry class, with enum members written as their values and
decimal numbers as text (or whole numbers)::

    [[service]]
    id = "acme:vector-shedding"
    name = "Vector shedding studies"
    description = "Sampling and assays that measure viral-vector shedding."
    stages = ["phase-1", "phase-2"]
    categories = ["acme:gene-therapy"]
    unit_bases = ["per-sample"]

Every problem found in a folder is reported at once, each with the file, the key path
and entry (``service[2] (acme:x).stages[1]``) and the bad value.

>>> entries = read_vocabulary_text('''
... [[area]]
... id = "acme:vector-biology"
... name = "Vector biology"
... ''', source="example.toml")
>>> entries[0].name
'Vector biology'
>>> read_vocabulary_text('[[area]]\nid = "acme:x"\nname = "X"\nparent = 3\n', source="example.toml")
Traceback (most recent call last):
...
crokit.errors.ValidationError: example.toml: area[0] (acme:x).parent: expected an id like 'crokit:oncology', got 3
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

from crokit._decimal import to_decimal
from crokit.errors import CrokitError, FormatError, InputFileError, Problem, ValidationError, close_matches
from crokit.vocabulary.criteria import AnswerType, Better, CriterionDirection, Question, SelectionCriterion
from crokit.vocabulary.lifecycle import Stage
from crokit.vocabulary.obligations import Obligation
from crokit.vocabulary.terms import (
    CroCategory,
    EngagementModel,
    Regulator,
    Service,
    Submission,
    TherapeuticArea,
    UnitBasis,
)

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["VOCABULARY_CLASSES", "read_located", "read_vocabulary", "read_vocabulary_text", "vocabulary_table"]

VOCABULARY_CLASSES: Final[Mapping[str, type[Any]]] = MappingProxyType(
    {
        cls.registry_kind: cls
        for cls in (
            Service,
            CroCategory,
            TherapeuticArea,
            Regulator,
            Submission,
            EngagementModel,
            SelectionCriterion,
            Question,
            Obligation,
        )
    }
)
"""The entry class of each registry kind a vocabulary file may hold, by table name."""

_E = TypeVar("_E", bound=enum.Enum)
_Reader = Callable[[object, str], object]


class _Refused(Exception):  # noqa: N818 - internal signal, never escapes this module
    """One value refused, at a path relative to its entry."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def _describe(value: object) -> str:
    return repr(value) if not isinstance(value, (dict, list)) else type(value).__name__


def _text(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise _Refused(path, f"expected text, got {_describe(value)}")
    return value


def _id(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise _Refused(path, f"expected an id like 'crokit:oncology', got {_describe(value)}")
    return value


def _list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Refused(path, f"expected a list, got {_describe(value)}")
    return value


def _texts(value: object, path: str) -> tuple[str, ...]:
    return tuple(_text(item, f"{path}[{index}]") for index, item in enumerate(_list(value, path)))


def _ids(value: object, path: str) -> tuple[str, ...]:
    return tuple(_id(item, f"{path}[{index}]") for index, item in enumerate(_list(value, path)))


def _member(cls: type[_E]) -> Callable[[object, str], _E]:
    by_value = {member.value: member for member in cls}

    def read(value: object, path: str) -> _E:
        if isinstance(value, str) and value in by_value:
            return by_value[value]
        allowed = ", ".join(repr(item) for item in by_value)
        hint = close_matches(value, by_value) if isinstance(value, str) else ()
        did_you_mean = f"; did you mean {hint[0]!r}?" if hint else ""
        raise _Refused(path, f"expected one of {allowed}, got {_describe(value)}{did_you_mean}")

    return read


def _members(cls: type[_E]) -> Callable[[object, str], frozenset[_E]]:
    one = _member(cls)

    def read(value: object, path: str) -> frozenset[_E]:
        seen: set[_E] = set()
        for index, item in enumerate(_list(value, path)):
            member = one(item, f"{path}[{index}]")
            if member in seen:
                raise _Refused(f"{path}[{index}]", f"lists {item!r} twice")
            seen.add(member)
        return frozenset(seen)

    return read


def _decimal(value: object, path: str) -> Decimal:
    if isinstance(value, float):
        raise _Refused(
            path, f"expected a decimal number written as text (like '{value!r}') or a whole number, got {value!r}"
        )
    try:
        return to_decimal(value, what="number")
    except CrokitError as exc:
        raise _Refused(path, str(exc)) from None


_READERS: Final[Mapping[type[Any], Mapping[str, _Reader]]] = {
    Obligation: {"id": _id, "name": _text, "citation": _text, "summary": _text, "ich_e6_r3": _texts},
    Service: {
        "id": _id,
        "name": _text,
        "description": _text,
        "stages": _members(Stage),
        "categories": _ids,
        "unit_bases": _members(UnitBasis),
    },
    CroCategory: {
        "id": _id,
        "name": _text,
        "description": _text,
        "stages": _members(Stage),
        "typical_services": _ids,
        "focus_areas": _ids,
    },
    # TOML has no null: an optional field (parent, rule, zero_at, ...) is simply left out.
    TherapeuticArea: {"id": _id, "name": _text, "aliases": _texts, "parent": _id},
    Regulator: {"id": _id, "name": _text, "short_name": _text, "jurisdiction": _texts},
    Submission: {"id": _id, "name": _text, "short_name": _text, "regulators": _ids, "gates": _member(Stage)},
    EngagementModel: {"id": _id, "name": _text, "description": _text, "parent": _id},
    SelectionCriterion: {
        "id": _id,
        "name": _text,
        "description": _text,
        "why": _text,
        "direction": _member(CriterionDirection),
        "rule": _text,
    },
    Question: {
        "id": _id,
        "text": _text,
        "criterion": _id,
        "answer_type": _member(AnswerType),
        "better": _member(Better),
        "weight": _decimal,
        "help": _text,
        "zero_at": _decimal,
        "one_at": _decimal,
    },
}


def _entry(cls: type[Any], table: object, path: str, problems: list[Problem]) -> object | None:
    if not isinstance(table, dict):
        problems.append(Problem(path=path, message=f"expected a table of fields, got {_describe(table)}"))
        return None
    readers = _READERS[cls]
    label = f"{path} ({table['id']})" if isinstance(table.get("id"), str) else path
    found = len(problems)
    for key in table:
        if key not in readers:
            hint = close_matches(key, readers)
            did_you_mean = f"; did you mean {hint[0]!r}?" if hint else ""
            problems.append(
                Problem(path=f"{label}.{key}", message=f"unknown key for a {cls.registry_kind}{did_you_mean}")
            )
    problems.extend(
        Problem(path=label, message=f"missing key {field.name!r}")
        for field in attrs.fields(cls)
        if field.default is attrs.NOTHING and field.name not in table
    )
    values: dict[str, object] = {}
    for key, read in readers.items():
        if key not in table:
            continue
        try:
            values[key] = read(table[key], f"{label}.{key}")
        except _Refused as refused:
            problems.append(Problem(path=refused.path, message=refused.message))
    if len(problems) > found:
        return None
    try:
        entry: object = cls(**values)
    except ValidationError as exc:
        problems.extend(Problem(path=f"{label}.{p.path}" if p.path else label, message=p.message) for p in exc.problems)
    except CrokitError as exc:
        problems.append(Problem(path=label, message=str(exc)))
    else:
        return entry
    return None


def _parse(text: str, source: str) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FormatError("toml", str(exc), source=source) from None


def _entries(document: Mapping[str, Any], source: str, problems: list[Problem]) -> list[tuple[str, Any]]:
    entries: list[tuple[str, Any]] = []
    for kind, tables in document.items():
        where = f"{source}: {kind}"
        cls = VOCABULARY_CLASSES.get(kind)
        if cls is None:
            hint = close_matches(kind, VOCABULARY_CLASSES)
            did_you_mean = f"did you mean {hint[0]!r}? " if hint else ""
            problems.append(
                Problem(
                    path=where,
                    message=f"unknown kind of entry; {did_you_mean}expected [[kind]] tables, kind one of "
                    + ", ".join(repr(name) for name in VOCABULARY_CLASSES),
                )
            )
            continue
        if not isinstance(tables, list):
            problems.append(
                Problem(path=where, message=f"expected an array of tables written [[{kind}]], got {_describe(tables)}")
            )
            continue
        for index, table in enumerate(tables):
            path = f"{where}[{index}]"
            entry = _entry(cls, table, path, problems)
            if entry is not None:
                entries.append((path, entry))
    return entries


def read_vocabulary_text(text: str, *, source: str = "<text>") -> tuple[Any, ...]:
    """Read the registry entries in one vocabulary file's *text*, in file order.

    Args:
        text: TOML text holding ``[[service]]``, ``[[area]]``, ... tables.
        source: The file's name, for error messages.

    Raises:
        FormatError: If *text* is not valid TOML.
        ValidationError: Listing every problem with its file, key path and bad value.
    """
    problems: list[Problem] = []
    entries = _entries(_parse(text, source), source, problems)
    if problems:
        raise ValidationError(problems)
    return tuple(entry for _, entry in entries)


def _files(source: Traversable | Path | str) -> tuple[list[Any], str]:
    folder: Any = Path(source) if isinstance(source, str) else source
    if not folder.is_dir():
        raise InputFileError(folder, "expected a folder of vocabulary .toml files")
    files = sorted((item for item in folder.iterdir() if item.name.endswith(".toml") and item.is_file()), key=_name)
    return files, str(folder) if isinstance(folder, Path) else folder.name


def _name(item: Traversable) -> str:
    return item.name


def read_vocabulary(source: Traversable | Path | str, *, label: str | None = None) -> tuple[Any, ...]:
    """Read every registry entry in the ``*.toml`` files of the folder *source*.

    Files are read in name order, entries in file order, and every problem in every file
    is reported at once.

    Args:
        source: A folder, as a path or an :mod:`importlib.resources` traversable, so
            that data inside an installed package (even a zipped one) can be read:
            ``importlib.resources.files("acme_crokit") / "vocabulary"``.
        label: How to name the folder in error messages (default: its path or name).

    Raises:
        InputFileError: If *source* is not a folder.
        FormatError: If a file is not valid TOML (naming the file, line and column).
        ValidationError: Listing every problem with its file, key path and bad value.
    """
    return tuple(entry for _, entry in read_located(source, label=label))


def read_located(source: Traversable | Path | str, *, label: str | None = None) -> tuple[tuple[str, Any], ...]:
    """Like :func:`read_vocabulary`, with each entry's location (``file: kind[index]``) beside it."""
    files, default_label = _files(source)
    prefix = label or default_label
    problems: list[Problem] = []
    entries: list[tuple[str, Any]] = []
    for item in files:
        name = f"{prefix}/{item.name}"
        try:
            text = item.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise FormatError("toml", f"not UTF-8 text ({exc.reason} at byte {exc.start})", source=name) from None
        except OSError as exc:
            raise InputFileError(name, f"cannot be read: {exc.strerror or exc}") from None
        entries.extend(_entries(_parse(text, name), name, problems))
    if problems:
        raise ValidationError(problems)
    return tuple(entries)


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, frozenset):
        members: list[enum.Enum] = list(value)
        enum_class: type[enum.Enum] | None = type(members[0]) if members else None
        order = {member: index for index, member in enumerate(enum_class or ())}
        return [_plain(member) for member in sorted(members, key=order.__getitem__)]
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def vocabulary_table(entry: Any) -> dict[str, Any]:
    """The TOML table of one registry *entry*, as :func:`read_vocabulary` reads it back.

    Enum members become their values (sets of them in the enum's order), decimal numbers
    text, tuples lists; fields that are ``None`` are left out, as TOML has no null. Write
    ``{entry.registry_kind: [vocabulary_table(entry), ...]}`` with a TOML writer (such as
    ``tomli_w``) to turn entries built in Python into a vocabulary file.

    Raises:
        ValidationError: If *entry* is not of a kind a vocabulary file can hold.

    >>> from crokit import Registry
    >>> table = vocabulary_table(Registry.builtin().submission("crokit:ind"))
    >>> table["gates"], table["regulators"]
    ('phase-1', ['crokit:fda'])
    """
    cls: type[Any] = type(entry)
    if cls not in _READERS:
        kinds = ", ".join(VOCABULARY_CLASSES)
        raise ValidationError.at("entry", f"expected an entry of a vocabulary kind ({kinds}), got {entry!r}")
    return {
        field.name: _plain(getattr(entry, field.name))
        for field in attrs.fields(cls)
        if getattr(entry, field.name) is not None
    }
