"""Parsing and rendering JSON, TOML and YAML text as plain data.

:func:`parse` reads text in one of the :data:`FORMATS` into plain data, keeping every
float literal as its exact text (a :class:`_FloatText`) so the structure hooks can
refuse it where a Decimal is expected. The same rules hold in every format:

* A single leading byte-order mark (U+FEFF) is accepted and dropped; a second one is
  refused.
* A key given twice in one table is refused (:class:`~crokit.errors.DuplicateKeyError`,
  naming its path), where JSON and YAML parsers would keep the last value.
* Non-finite numbers (JSON ``NaN``, TOML ``inf``, YAML ``.inf``) are read as float text,
  which every number field refuses with its path.

YAML is read as YAML 1.2's core schema reads it, through PyYAML's safe loader (the
LibYAML one when PyYAML has it): only ``true``/``false`` are booleans (``NO``, ``yes``
and ``on`` stay text); only decimal whole numbers without leading zeros are integers
(``012``, ``0x3C``, ``0b111100``, ``1:00`` and ``1_000`` stay text, so a count field
refuses them instead of re-basing them); U+0085, U+2028 and U+2029 are characters of
text, not line breaks; and merge keys (``<<``) are not special. :func:`_render` writes
plain data back as text, leaving ``None`` keys out of TOML, which has no null, and
quoting every YAML string that the loader would read as anything but that string.
"""

from __future__ import annotations

import functools
import json
import re
import tomllib
from collections.abc import Callable, Iterator
from typing import Any, Final, Literal, cast

from crokit.errors import CrokitError, DuplicateKeyError, FormatError, MissingDependencyError, ValidationError

__all__ = ["FORMATS", "Format", "parse"]

Format = Literal["json", "toml", "yaml"]
"""The text formats crokit reads and writes."""
FORMATS: Final[tuple[Format, ...]] = ("json", "toml", "yaml")

_BOM: Final = "\ufeff"
_YAML_BREAKS: Final = "\x85\u2028\u2029"
"""Characters YAML 1.1 (and so PyYAML and LibYAML) treat as line breaks, but YAML 1.2 as text."""

_TAG: Final = "tag:yaml.org,2002:"
_YAML_BOOL: Final = re.compile(r"true|True|TRUE|false|False|FALSE")
_YAML_INT: Final = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_YAML_FLOAT: Final = re.compile(
    r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?[0-9]+[eE][-+]?[0-9]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
"""YAML 1.2 core floats that are not integers: a point or an exponent is required, so
``012`` is text, never the float 12."""
_NON_FINITE: Final = frozenset({"inf", "infinity", "nan"})


class _FloatText(str):
    """The text of a float literal read from a file; refused where a Decimal is expected."""

    __slots__ = ()

    def is_finite(self) -> bool:
        """Whether the literal names a finite number (not NaN or an infinity, in any format's spelling)."""
        return self.lstrip("+-.").lower() not in _NON_FINITE


def _strip_bom(text: str, format: Format, source: str) -> str:  # noqa: A002 - "format" reads best here
    """*text* without its leading byte-order mark; the one rule every crokit reader follows."""
    if text.startswith(_BOM):
        text = text[1:]
        if text.startswith(_BOM):
            raise FormatError(
                format, "the text starts with two byte-order marks (U+FEFF); at most one is allowed", source=source
            )
    return text


def _key_path(path: str, key: object) -> str:
    """*path* extended by one table key, as crokit's error paths write it (``a.b``, ``a["odd key"]``)."""
    if isinstance(key, str) and key.isidentifier():
        return f"{path}.{key}" if path else key
    return f"{path}[{key!r}]"


def _times(count: int) -> str:
    return "twice" if count == 2 else f"{count} times"  # noqa: PLR2004 - "twice" reads better


# JSON ---------------------------------------------------------------------------------


class _JsonTable(dict[str, Any]):
    """A JSON object read with a repeated key; remembers which keys were repeated and how often."""

    __slots__ = ("repeated",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        counts: dict[str, int] = {}
        for key, _ in pairs:
            counts[key] = counts.get(key, 0) + 1
        self.repeated = {key: count for key, count in counts.items() if count > 1}


def _json_object(pairs: list[tuple[str, Any]], found: list[bool]) -> dict[str, Any]:
    table = dict(pairs)
    if len(table) == len(pairs):
        return table
    found.append(True)
    return _JsonTable(pairs)


def _json_duplicates(data: object) -> list[tuple[str, str]]:
    """Every repeated key in *data* (read with :func:`_json_object`), with its path, in document order."""
    duplicates: list[tuple[str, str]] = []
    stack: list[tuple[object, str]] = [(data, "")]
    while stack:
        node, path = stack.pop()
        children: list[tuple[object, str]] = []
        if isinstance(node, dict):
            repeated: dict[str, int] = node.repeated if isinstance(node, _JsonTable) else {}
            duplicates.extend((_key_path(path, key), _times(count)) for key, count in repeated.items())
            children = [(value, _key_path(path, key)) for key, value in node.items()]
        elif isinstance(node, list):
            children = [(value, f"{path}[{index}]") for index, value in enumerate(node)]
        stack.extend(reversed(children))
    return duplicates


def _parse_json(text: str, source: str) -> object:
    found: list[bool] = []
    data = json.loads(
        text,
        parse_float=_FloatText,
        parse_constant=_FloatText,  # NaN and Infinity: refused, with their path, by every number field
        object_pairs_hook=functools.partial(_json_object, found=found),
    )
    if found:
        raise DuplicateKeyError("json", _json_duplicates(data), source=source)
    return data


# YAML ---------------------------------------------------------------------------------


def _prefer_libyaml() -> bool:
    """Whether PyYAML was built with LibYAML, whose C parser and emitter crokit then uses."""
    try:
        import yaml
    except ImportError:  # pragma: no cover - the yaml extra is part of dev
        return False
    return bool(getattr(yaml, "__with_libyaml__", False))


def _yaml_resolvers(base: type) -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """The implicit resolvers of YAML 1.2's core schema (plus dates), built on *base*'s."""
    dropped = {f"{_TAG}{name}" for name in ("bool", "int", "float", "merge", "value")}
    table: dict[Any, list[tuple[str, re.Pattern[str]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in dropped]
        for first, resolvers in base.yaml_implicit_resolvers.items()  # type: ignore[attr-defined]
    }

    def add(tag: str, pattern: re.Pattern[str], first: str) -> None:
        whole = re.compile(rf"^(?:{pattern.pattern})$")
        for char in first:
            table.setdefault(char, []).insert(0, (f"{_TAG}{tag}", whole))

    # Inserted at the front in reverse order of precedence: bool, then int, then float.
    add("float", _YAML_FLOAT, "-+.0123456789")
    add("int", _YAML_INT, "-+0123456789")
    add("bool", _YAML_BOOL, "tTfF")
    return {first: resolvers for first, resolvers in table.items() if resolvers}


@functools.cache
def _yaml_loader(libyaml: bool) -> type:  # noqa: FBT001 - private, called by position in tests
    """The YAML loader class, on LibYAML's parser (*libyaml*) or PyYAML's pure-Python safe loader."""
    try:
        import yaml
    except ImportError:  # pragma: no cover - the yaml extra is part of dev
        raise MissingDependencyError("PyYAML", "yaml") from None
    use_c = libyaml
    base: type = yaml.SafeLoader
    bases: tuple[type, ...] = (base,)
    extra: dict[str, object] = {}
    if use_c:
        # LibYAML scans and parses; PyYAML's composer builds the nodes from its events,
        # because LibYAML's own composer recurses in C and crashes the interpreter on
        # deeply nested input, where the Python one stops with a RecursionError.
        from yaml._yaml import CParser

        def init(self: Any, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        base = yaml.CSafeLoader
        bases = (yaml.composer.Composer, CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver)
        extra = {"__init__": init}

    def int_value(loader: Any, node: Any) -> int:
        text = loader.construct_scalar(node)
        if not _YAML_INT.fullmatch(text):
            raise yaml.constructor.ConstructorError(
                None, None, f"{text!r} is not a decimal whole number", node.start_mark
            )
        return int(text)

    def float_text(loader: Any, node: Any) -> _FloatText:
        text = loader.construct_scalar(node)
        if not (_YAML_FLOAT.fullmatch(text) or _YAML_INT.fullmatch(text)):
            raise yaml.constructor.ConstructorError(None, None, f"{text!r} is not a number", node.start_mark)
        return _FloatText(text)

    def bool_value(loader: Any, node: Any) -> bool:
        text = loader.construct_scalar(node)
        if not _YAML_BOOL.fullmatch(text):
            raise yaml.constructor.ConstructorError(None, None, f"{text!r} is not true or false", node.start_mark)
        return bool(text.lower() == "true")

    return type(
        "CrokitYamlLoader",
        bases,
        {
            **extra,
            "__doc__": "A safe loader reading YAML 1.2's core schema; see crokit.serialization._text.",
            "yaml_implicit_resolvers": _yaml_resolvers(base),
            "yaml_constructors": {
                **base.yaml_constructors,  # type: ignore[attr-defined]
                f"{_TAG}int": int_value,
                f"{_TAG}float": float_text,
                f"{_TAG}bool": bool_value,
            },
        },
    )


@functools.cache
def _yaml_dumper(libyaml: bool) -> type:  # noqa: FBT001 - private, called by position in tests
    """A safe dumper (LibYAML's emitter if *libyaml*) whose output :func:`_yaml_loader` reads back unchanged."""
    try:
        import yaml
    except ImportError:  # pragma: no cover - the yaml extra is part of dev
        raise MissingDependencyError("PyYAML", "yaml") from None
    use_c = libyaml
    base: type = yaml.CSafeDumper if use_c else yaml.SafeDumper
    # Quote a string if either YAML 1.2 (crokit) or YAML 1.1 (other readers) would read
    # its plain form as something else: crokit's resolvers first, YAML 1.1's after.
    ours = _yaml_resolvers(base)
    resolvers = {
        first: ours.get(first, []) + list(theirs)
        for first, theirs in base.yaml_implicit_resolvers.items()  # type: ignore[attr-defined]
    }
    resolvers.update({first: found for first, found in ours.items() if first not in resolvers})

    def text(dumper: Any, value: str) -> Any:
        # YAML 1.1 emitters write U+0085, U+2028 and U+2029 as line breaks unless escaped.
        style = '"' if any(char in value for char in _YAML_BREAKS) else None
        return dumper.represent_scalar(f"{_TAG}str", value, style=style)

    return type(
        "CrokitYamlDumper",
        (base,),
        {
            "__doc__": "A safe dumper matching crokit's YAML loader.",
            "yaml_implicit_resolvers": resolvers,
            "yaml_representers": {**base.yaml_representers, str: text},  # type: ignore[attr-defined]
        },
    )


def _placeholders(text: str) -> dict[str, str]:
    """Stand-ins for the YAML 1.1 line breaks in *text*: private-use characters found nowhere in it.

    A candidate that an escape sequence in the text might produce is skipped too, so a
    stand-in is only ever found where it replaced one of the breaks.
    """
    needed = [char for char in _YAML_BREAKS if char in text]
    if not needed:
        return {}
    escaped = {
        chr(int(code, 16))
        for code in re.findall(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))", text)
        for code in code
        if code and int(code, 16) < 0x110000  # noqa: PLR2004 - the last code point
    }
    present = set(text) | escaped

    def candidates() -> Iterator[str]:
        for start, end in ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD)):
            for code in range(start, end + 1):
                if chr(code) not in present:
                    yield chr(code)

    return dict(zip(needed, candidates(), strict=False))


def _positions(places: list[tuple[int, int]]) -> str:
    """``lines 3 and 5``, or ``line 3, columns 2 and 9`` when the occurrences share a line."""
    lines = [line for line, _ in places]
    if len(set(lines)) == len(lines):
        return "lines " + ", ".join(str(line) for line in lines[:-1]) + f" and {lines[-1]}"
    return (
        "at "
        + ", ".join(f"line {line} column {column}" for line, column in places[:-1])
        + (f" and line {places[-1][0]} column {places[-1][1]}")
    )


def _yaml_walk(loader: Any, root: Any, restore: dict[str, str]) -> list[tuple[str, str]]:
    """Restore the protected characters in every scalar, and list every repeated key with its path and lines."""
    import yaml

    duplicates: list[tuple[str, str]] = []
    seen: set[int] = set()
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue  # an alias of a node already visited
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if restore and isinstance(node.value, str):
                for original, stand_in in restore.items():
                    node.value = node.value.replace(stand_in, original)
            continue
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{path}[{index}]") for index, item in reversed(list(enumerate(node.value))))
            continue
        if not isinstance(node, yaml.MappingNode):  # pragma: no cover - the composer makes only these three
            continue
        places: dict[object, list[tuple[int, int]]] = {}
        names: dict[object, str] = {}
        children: list[tuple[Any, str]] = []
        for key_node, value_node in node.value:
            if key_node.tag == f"{_TAG}merge":
                raise yaml.constructor.ConstructorError(
                    None, None, "merge keys (<<) are not part of YAML 1.2: write the keys out", key_node.start_mark
                )
            if isinstance(key_node, yaml.ScalarNode):
                for original, stand_in in restore.items():
                    key_node.value = key_node.value.replace(stand_in, original)
                seen.add(id(key_node))
                key = loader.construct_object(key_node)
                name = _key_path(path, key)
                mark = key_node.start_mark
                places.setdefault(key, []).append((mark.line + 1, mark.column + 1))
                names.setdefault(key, name)
            else:
                stack.append((key_node, path))  # a complex key: its scalars are restored too
                name = f"{path}[?]"
            children.append((value_node, name))
        for key, found in places.items():
            if len(found) > 1:
                duplicates.append((names[key], f"{_times(len(found))} ({_positions(found)})"))
        stack.extend(reversed(children))
    return duplicates


def _parse_yaml(text: str, source: str, *, libyaml: bool | None = None) -> object:
    restore = _placeholders(text)
    for original, stand_in in restore.items():
        text = text.replace(original, stand_in)
    loader = _yaml_loader(_prefer_libyaml() if libyaml is None else libyaml)(text)
    import yaml  # present: the loader class was built from it

    try:
        node = loader.get_single_node()
        if node is None:
            return None
        duplicates = _yaml_walk(loader, node, restore)
        if duplicates:
            raise DuplicateKeyError("yaml", duplicates, source=source)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        detail = exc.problem or exc.context or type(exc).__name__
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        for original, stand_in in restore.items():
            detail = detail.replace(stand_in, original)
        raise FormatError("yaml", f"{detail}{where}", source=source) from None
    finally:
        loader.dispose()


# Parsing and rendering ------------------------------------------------------------------


def parse(text: str | bytes, format: Format = "json", *, source: str = "") -> object:  # noqa: A002 - "format" reads best here
    """Parse *text* in *format* into plain data, keeping float literals as exact text.

    Raises:
        FormatError: For invalid UTF-8, invalid syntax, nesting too deep to read, or
            more than one leading byte-order mark.
        DuplicateKeyError: For a key given twice in one table, naming its path.
    """
    if format not in FORMATS:
        raise ValidationError.at("format", f"expected one of {', '.join(FORMATS)}, got {format!r}")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FormatError(format, f"not UTF-8 text ({exc.reason} at byte {exc.start})", source=source) from None
    text = _strip_bom(text, format, source)
    try:
        if format == "json":
            return _parse_json(text, source)
        if format == "toml":
            return tomllib.loads(text, parse_float=_FloatText)
        return _parse_yaml(text, source)
    except RecursionError:
        raise FormatError(format, "the document is nested too deeply", source=source) from None
    except CrokitError:
        raise
    except Exception as exc:  # noqa: BLE001 - each parser raises its own error types; all mean "invalid syntax"
        raise FormatError(format, str(exc).splitlines()[0] if str(exc) else type(exc).__name__, source=source) from None


_LEAVES: Final = frozenset({str, int, bool, float})
"""Types :func:`_drop_none` passes through without a call: most values of a document."""


def _drop_none(data: object) -> object:
    """*data* without the ``None`` values of its tables (TOML has no null), lists as lists."""
    if isinstance(data, dict):
        return {k: v if type(v) in _LEAVES else _drop_none(v) for k, v in data.items() if v is not None}
    if isinstance(data, list | tuple):  # fixed-length tuples unstructure as tuples
        return [v if type(v) in _LEAVES else _drop_none(v) for v in data]
    return data


def _render(data: object, format: Format) -> str:  # noqa: A002 - "format" reads best here
    if format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if format == "toml":
        try:
            import tomli_w
        except ImportError:  # pragma: no cover - the toml extra is part of dev
            raise MissingDependencyError("tomli-w", "toml") from None
        if not isinstance(data, dict):
            raise ValidationError.at("", "only tables can be written as TOML")
        return tomli_w.dumps(cast("dict[str, Any]", _drop_none(data)))
    if format == "yaml":
        try:
            import yaml
        except ImportError:  # pragma: no cover - the yaml extra is part of dev
            raise MissingDependencyError("PyYAML", "yaml") from None
        dump = cast("Callable[..., str]", yaml.dump)
        return dump(data, Dumper=_yaml_dumper(_prefer_libyaml()), sort_keys=False, allow_unicode=True)
    raise ValidationError.at("format", f"expected one of {', '.join(FORMATS)}, got {format!r}")
