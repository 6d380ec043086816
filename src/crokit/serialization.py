"""Lossless JSON, TOML and YAML for every crokit model, with precise error messages.

One cattrs converter, built from a :class:`~crokit.Registry`, knows every encoding rule:

* ``Decimal`` is written as a string (``"12.50"``), never a float, keeping its scale.
  It is read from a string or an int. A float literal in a file (``rate = 0.1``) is
  refused with a message asking for the string form: it is never turned into a binary
  float, and never silently accepted.
* ``float`` appears only in decision scores and weights (never in money): it is
  written as a JSON/TOML/YAML number and read back from its exact text.
* ``int`` must be a whole number in the file (``3``, not ``3.0``, ``"3"`` or ``true``);
  ``str`` must be text; ``bool`` must be ``true`` or ``false``.
* Dates are ISO 8601 calendar dates (``2027-01-04``); TOML and YAML native dates are
  accepted on input, datetimes are refused.
* Enums are written as their values (``"phase-2"``) and read only from those values.
* Ids of the open vocabularies (services, categories, areas, regulators, ...) are
  strings checked against the registry the converter was built from; an unknown id
  is reported with the closest valid ids.
* Polymorphic models (pricing models, adjustments, ...) are tagged unions: each class
  names itself in a ``kind`` class attribute, written as the first key
  (``kind = "unit-price"``); an unknown ``kind`` is refused with the known ones listed.
* Tuples and frozensets are lists; a frozenset is written sorted, and a repeated item
  in it is refused rather than dropped.
* Unknown keys are refused, with the closest known key suggested.
* ``None`` is JSON ``null`` and YAML ``null``; TOML has no null, so the key is left
  out, and an absent key of an optional type (``X | None``) reads back as ``None``.
* Fixed-length tuples (``tuple[str, Decimal]``) are lists of exactly that many items,
  each read as its own type.
* Top-level documents (:data:`DOCUMENTS`) carry ``schema_version``: older versions are
  upgraded by a chain of migrations, newer ones are refused.

Every problem in a document is reported at once, each with its path
(``study.sites: expected a whole number from 1 to 100000, got -3``), as one
:class:`~crokit.errors.ValidationError`. Malformed input of any shape raises a
:class:`~crokit.errors.CrokitError` subclass, never a bare exception.

YAML is read only with a safe loader, which also keeps ``NO``, ``yes`` and ``on`` as
strings (YAML 1.1 would turn them into booleans).
"""

from __future__ import annotations

import enum
import functools
import json
import math
import operator
import os
import tempfile
import tomllib
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Literal, TypeVar, cast

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn

from crokit._decimal import to_decimal
from crokit.errors import (
    CrokitError,
    FormatError,
    InputFileError,
    MissingDependencyError,
    Problem,
    SchemaVersionError,
    UnknownIdError,
    ValidationError,
    close_matches,
)
from crokit.provider import CroProfile
from crokit.registry import Registry, default_registry
from crokit.study import Study
from crokit.vocabulary.ids import RegistryKind

__all__ = [
    "DOCUMENTS",
    "FORMATS",
    "DocumentSpec",
    "Format",
    "configure_converter",
    "document_spec",
    "dump",
    "dumps",
    "load",
    "loads",
    "make_converter",
    "parse",
    "structure",
    "unstructure",
]

T = TypeVar("T")
Format = Literal["json", "toml", "yaml"]
"""The text formats crokit reads and writes."""
FORMATS: Final[tuple[Format, ...]] = ("json", "toml", "yaml")
_EXTENSIONS: Final[Mapping[str, Format]] = {".json": "json", ".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}
MAX_INT: Final = 10**15
"""Whole numbers in documents are refused beyond this magnitude."""


@attrs.frozen(kw_only=True)
class DocumentSpec:
    """How a top-level document type is versioned.

    Attributes:
        name: The document's name, used as the root of error paths (``"study"``).
        version: The current ``schema_version``.
        migrations: ``{n: upgrade}`` where ``upgrade`` turns a version-*n* mapping
            into a version-*n+1* mapping.
    """

    name: str
    version: int
    migrations: Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]] = attrs.field(factory=dict)

    def upgrade(self, data: dict[str, Any]) -> dict[str, Any]:
        """Check ``schema_version`` in *data*, upgrade it to :attr:`version`, and drop the key.

        Raises:
            SchemaVersionError: If the version is missing, malformed, newer than
                :attr:`version`, or has no migration path.
        """
        found = data.get("schema_version")
        if isinstance(found, bool) or not isinstance(found, int) or not found >= 1:
            raise SchemaVersionError(found, self.version, kind=self.name)
        if found > self.version:
            raise SchemaVersionError(found, self.version, kind=self.name)
        result = {k: v for k, v in data.items() if k != "schema_version"}
        for version in range(found, self.version):
            migrate = self.migrations.get(version)
            if migrate is None:
                raise SchemaVersionError(found, self.version, kind=self.name)
            result = migrate(result)
        return result


DOCUMENTS: Final[Mapping[type, DocumentSpec]] = {
    Study: DocumentSpec(name="study", version=1),
    CroProfile: DocumentSpec(name="cro_profile", version=1),
}
"""The top-level document types of the core and their schema versions. Higher layers
declare theirs on the class itself, as ``__crokit_document__: ClassVar[DocumentSpec]``
(see :class:`crokit.scenario.Scenario`), so this module never imports them."""


def document_spec(cls: object) -> DocumentSpec | None:
    """The :class:`DocumentSpec` of a top-level document type, or ``None`` for other types."""
    spec = DOCUMENTS.get(cls) if isinstance(cls, type) else None
    if spec is None:
        spec = getattr(cls, "__crokit_document__", None)
    return spec if isinstance(spec, DocumentSpec) else None


class _FloatText(str):
    """The text of a float literal read from a file; refused where a Decimal is expected."""

    __slots__ = ()


def _describe(value: object) -> str:
    if isinstance(value, _FloatText):
        return f"the float {value}"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "null"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."  # noqa: PLR2004 - keep messages short


# ---------------------------------------------------------------- structure hooks


def _structure_decimal(value: object, _type: object) -> Decimal:
    if isinstance(value, _FloatText):
        raise ValidationError.at(
            "", f'expected a decimal written as a string, like "{value}", got {_describe(value)} (floats are inexact)'
        )
    if isinstance(value, str | int | Decimal):
        return to_decimal(value)
    raise ValidationError.at("", f'expected a decimal written as a string, like "12.50", got {_describe(value)}')


def _structure_int(value: object, _type: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError.at("", f"expected a whole number, got {_describe(value)}")
    if abs(value) > MAX_INT:
        raise ValidationError.at("", f"expected a whole number of at most 15 digits, got {_describe(value)}")
    return value


def _structure_float(value: object, _type: object) -> float:
    """Floats appear only in decision scores and weights, never in money; read them exactly from their text."""
    if isinstance(value, _FloatText | int) and not isinstance(value, bool):
        number = float(value)
        if math.isfinite(number):
            return number
    raise ValidationError.at("", f"expected a finite number, got {_describe(value)}")


def _structure_str(value: object, _type: object) -> str:
    if isinstance(value, _FloatText) or not isinstance(value, str):
        raise ValidationError.at("", f"expected text, got {_describe(value)}")
    return str(value)


def _structure_bool(value: object, _type: object) -> bool:
    if not isinstance(value, bool):
        raise ValidationError.at("", f"expected true or false, got {_describe(value)}")
    return value


def _structure_date(value: object, _type: object) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and not isinstance(value, _FloatText):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError.at("", f"expected a date like 2027-01-04, got {_describe(value)}")


def _enum_hook(cls: type[enum.Enum]) -> Callable[[object, object], enum.Enum]:
    values = {member.value: member for member in cls}

    def hook(value: object, _type: object) -> enum.Enum:
        if isinstance(value, str) and value in values:
            return values[value]
        names = ", ".join(repr(v) for v in values)
        hint = close_matches(value, [str(v) for v in values]) if isinstance(value, str) else ()
        extra = f"; did you mean {hint[0]!r}?" if hint else ""
        raise ValidationError.at("", f"expected one of {names}, got {_describe(value)}{extra}")

    return hook


def _is_sequence_type(type_: object) -> bool:
    return typing.get_origin(type_) in {tuple, frozenset}


def _is_mapping_type(type_: object) -> bool:
    return typing.get_origin(type_) in {dict, Mapping}


def _registry_kind(type_: object) -> str | None:
    """The registry kind an ``Annotated[str, RegistryKind(...)]`` id type names, if any."""
    if typing.get_origin(type_) is typing.Annotated:
        for extra in getattr(type_, "__metadata__", ()):
            if isinstance(extra, RegistryKind):
                return extra.kind
    return None


def _without_ids(type_: Any) -> Any:
    """*type_* with every registry id type replaced by plain ``str``."""
    if _registry_kind(type_) is not None:
        return str
    args = typing.get_args(type_)
    if not args:
        return type_
    stripped = tuple(_without_ids(arg) for arg in args)
    origin = typing.get_origin(type_)
    if origin in {types.UnionType, typing.Union}:
        return functools.reduce(operator.or_, stripped)
    return origin[stripped] if origin is not None else type_


def _allows_none(type_: object) -> bool:
    """Whether *type_* is an optional type (``X | None``)."""
    return typing.get_origin(type_) in {types.UnionType, typing.Union} and type(None) in typing.get_args(type_)


def _tag(cls: object) -> str | None:
    """The ``kind`` tag of a polymorphic model class (a ``ClassVar[str]`` named ``kind``), if any."""
    tag = getattr(cls, "kind", None)
    return tag if isinstance(cls, type) and attrs.has(cls) and isinstance(tag, str) else None


def _tagged_members(type_: object) -> tuple[type, ...] | None:
    """The member classes of a union whose members all carry a ``kind`` tag (``None`` is allowed too)."""
    if typing.get_origin(type_) not in {types.UnionType, typing.Union}:
        return None
    members = [arg for arg in typing.get_args(type_) if arg is not type(None)]
    if not members or not all(_tag(arg) for arg in members):
        return None
    return tuple(cast("type", arg) for arg in members)


def _problems(exc: BaseException, path: str) -> list[Problem]:
    """Turn any exception raised while structuring into problems under *path*."""
    if isinstance(exc, ValidationError):
        return list(exc.with_prefix(path).problems)
    if isinstance(exc, UnknownIdError):
        inner = exc.path
        exc.path = ""
        message = str(exc)
        exc.path = inner
        return [Problem(path=ValidationError.at(inner, "").with_prefix(path).problems[0].path, message=message)]
    if isinstance(exc, CrokitError):
        return [Problem(path=path, message=str(exc))]
    if isinstance(exc, cattrs.ClassValidationError | cattrs.IterableValidationError):
        return [p for inner in exc.exceptions for p in _problems(inner, path)]
    return [Problem(path=path, message=f"invalid value ({type(exc).__name__}: {exc})")]


def _join(path: str, key: str) -> str:
    return ValidationError.at(key, "").with_prefix(path).problems[0].path


class _Hooks:
    """The structure hooks that need the converter and the registry."""

    def __init__(self, converter: cattrs.Converter, registry: Registry) -> None:
        self.converter = converter
        self.registry = registry

    def id_hook(self, type_: object) -> Callable[[object, object], str]:
        kind = _registry_kind(type_) or ""

        def hook(value: object, _type: object) -> str:
            text = _structure_str(value, str)
            self.registry.get(kind, text)
            return text

        return hook

    def sequence_hook(self, type_: Any) -> Callable[[object, object], object]:
        origin = typing.get_origin(type_)
        args = typing.get_args(type_)
        fixed = origin is tuple and bool(args) and args[-1] is not Ellipsis

        def hook(value: object, _type: object) -> object:
            if not isinstance(value, list | tuple):
                raise ValidationError.at("", f"expected a list, got {_describe(value)}")
            if fixed and len(value) != len(args):
                raise ValidationError.at("", f"expected a list of {len(args)} items, got {len(value)}")
            items: list[object] = []
            problems: list[Problem] = []
            for index, raw in enumerate(value):
                item_type = args[index] if fixed else (args[0] if args else Any)
                try:
                    items.append(self.converter.structure(raw, item_type))
                except Exception as exc:  # noqa: BLE001 - every failure becomes a located problem
                    problems.extend(_problems(exc, f"[{index}]"))
            if problems:
                raise ValidationError(problems)
            if origin is frozenset:
                seen: set[object] = set()
                for index, item in enumerate(items):
                    if item in seen:
                        raise ValidationError.at(f"[{index}]", f"{_describe(value[index])} is listed more than once")
                    seen.add(item)
                return frozenset(items)
            return tuple(items)

        return hook

    def mapping_hook(self, type_: Any) -> Callable[[object, object], object]:
        key_type, value_type = typing.get_args(type_) or (str, Any)

        def hook(value: object, _type: object) -> object:
            if not isinstance(value, Mapping):
                raise ValidationError.at("", f"expected a table, got {_describe(value)}")
            result: dict[object, object] = {}
            problems: list[Problem] = []
            for raw_key, raw in value.items():
                try:
                    result[self.converter.structure(raw_key, key_type)] = self.converter.structure(raw, value_type)
                except Exception as exc:  # noqa: BLE001 - every failure becomes a located problem
                    problems.extend(_problems(exc, str(raw_key)))
            if problems:
                raise ValidationError(problems)
            return result

        return hook

    def field_value(
        self, field: attrs.Attribute[Any], key: str, raw: object, hint: Any
    ) -> tuple[object] | list[Problem]:
        """Structure, convert and validate one field: its value, or the problems found."""
        try:
            item = self.converter.structure(raw, hint)
            if field.converter is not None:
                item = cast("Callable[[object], object]", field.converter)(item)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a located problem
            return _problems(exc, key)
        try:
            if field.validator is not None:
                field.validator(None, field, item)
        except (ValidationError, UnknownIdError) as exc:
            return _problems(exc, "")  # crokit validators name the field themselves
        except Exception as exc:  # noqa: BLE001 - every failure becomes a located problem
            return _problems(exc, key)
        return (item,)

    def union_hook(self, type_: Any) -> Callable[[object, object], object]:
        members = _tagged_members(type_) or ()
        by_tag = {_tag(cls): cls for cls in members}
        optional = type(None) in typing.get_args(type_)

        def hook(value: object, _type: object) -> object:
            if value is None and optional:
                return None
            if not isinstance(value, Mapping):
                raise ValidationError.at("", f"expected a table with a 'kind' key, got {_describe(value)}")
            tag = value.get("kind")
            if tag not in by_tag:
                choices = ", ".join(repr(t) for t in by_tag)
                raise ValidationError.at("kind", f"expected one of {choices}, got {_describe(tag)}")
            rest = {k: v for k, v in value.items() if k != "kind"}
            return self.converter.structure(rest, by_tag[tag])

        return hook

    def attrs_hook(self, cls: type) -> Callable[[object, object], object]:
        fields = [f for f in attrs.fields(cls) if f.init]
        hints = typing.get_type_hints(cls, include_extras=True)
        if hasattr(cls, "registry_kind"):
            # A vocabulary entry defines ids rather than using them: its own id and its
            # references are checked by Registry.check_references once it is registered.
            hints = {f.name: _without_ids(hints[f.name]) for f in fields}
        keys = {f.alias or f.name: f for f in fields}

        def hook(value: object, _type: object) -> object:
            if not isinstance(value, Mapping):
                raise ValidationError.at("", f"expected a table with keys {', '.join(keys)}, got {_describe(value)}")
            problems: list[Problem] = []
            tag = _tag(cls)
            if tag is not None and "kind" in value:
                if value["kind"] != tag:
                    problems.append(Problem(path="kind", message=f"expected {tag!r}, got {_describe(value['kind'])}"))
                value = {k: v for k, v in value.items() if k != "kind"}
            for key in value:
                if key not in keys:
                    hint = close_matches(str(key), keys)
                    extra = f"did you mean {hint[0]!r}?" if hint else f"expected one of: {', '.join(keys)}"
                    problems.append(Problem(path=str(key), message=f"unknown key; {extra}"))
            kwargs: dict[str, object] = {}
            for key, field in keys.items():
                if key not in value:
                    if _allows_none(hints[field.name]):
                        kwargs[key] = None  # TOML has no null: an absent optional key is None
                    elif field.default is attrs.NOTHING:
                        problems.append(Problem(path=key, message="missing required key"))
                    continue
                found = self.field_value(field, key, value[key], hints[field.name])
                if isinstance(found, list):
                    problems.extend(found)
                else:
                    kwargs[key] = found[0]
            if problems:
                raise ValidationError(problems)
            try:
                return cls(**kwargs)
            except Exception as exc:  # noqa: BLE001 - cross-field checks raise ValidationError; anything else is located too
                raise ValidationError(_problems(exc, "")) from None

        return hook


def _tagged_unstructure(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any], dict[str, Any]]]:
    def factory(cls: Any) -> Callable[[Any], dict[str, Any]]:
        plain = make_dict_unstructure_fn(cls, converter)

        def unstructure(value: Any) -> dict[str, Any]:
            return {"kind": _tag(cls), **plain(value)}

        return unstructure

    return factory


def configure_converter(converter: cattrs.Converter, registry: Registry) -> None:
    """Install crokit's encoding rules (see the module docstring) on *converter*."""
    hooks = _Hooks(converter, registry)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_unstructure_hook_func(
        lambda t: typing.get_origin(t) is frozenset or t is frozenset,  # type: ignore[comparison-overlap]
        lambda value: sorted((converter.unstructure(item) for item in value), key=repr),
    )
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(date, _structure_date)
    converter.register_structure_hook_factory(lambda t: _registry_kind(t) is not None, hooks.id_hook)
    converter.register_structure_hook_factory(lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum_hook)
    converter.register_structure_hook_factory(_is_sequence_type, hooks.sequence_hook)
    converter.register_structure_hook_factory(_is_mapping_type, hooks.mapping_hook)
    converter.register_structure_hook_factory(attrs.has, hooks.attrs_hook)
    converter.register_structure_hook_factory(lambda t: _tagged_members(t) is not None, hooks.union_hook)
    converter.register_unstructure_hook_factory(lambda t: _tag(t) is not None, _tagged_unstructure(converter))


def make_converter(registry: Registry | None = None) -> cattrs.Converter:
    """A new converter with crokit's rules, checking ids against *registry* (default: :func:`default_registry`)."""
    converter = cattrs.Converter()
    configure_converter(converter, registry if registry is not None else default_registry())
    return converter


# ---------------------------------------------------------------- text formats


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number crokit accepts")


def _yaml_loader() -> type:
    try:
        import yaml
    except ImportError:  # pragma: no cover - the yaml extra is part of dev
        raise MissingDependencyError("PyYAML", "yaml") from None

    class Loader(yaml.SafeLoader):
        """A safe loader: floats keep their text, and only true/false are booleans."""

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )

    def float_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> _FloatText:
        return _FloatText(loader.construct_scalar(node))

    Loader.add_constructor("tag:yaml.org,2002:float", float_text)
    return Loader


def parse(text: str | bytes, format: Format = "json", *, source: str = "") -> object:  # noqa: A002 - "format" reads best here
    """Parse *text* in *format* into plain data, keeping float literals as exact text.

    Raises:
        FormatError: For invalid UTF-8, invalid syntax, or nesting too deep to read.
    """
    if format not in FORMATS:
        raise ValidationError.at("format", f"expected one of {', '.join(FORMATS)}, got {format!r}")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FormatError(format, f"not UTF-8 text ({exc.reason} at byte {exc.start})", source=source) from None
    try:
        if format == "json":
            return json.loads(text, parse_float=_FloatText, parse_constant=_reject_constant)
        if format == "toml":
            return tomllib.loads(text, parse_float=_FloatText)
        import yaml

        return yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - the loader is a SafeLoader subclass
    except RecursionError:
        raise FormatError(format, "the document is nested too deeply", source=source) from None
    except MissingDependencyError:  # pragma: no cover - the yaml extra is part of dev
        raise
    except Exception as exc:  # noqa: BLE001 - each parser raises its own error types; all mean "invalid syntax"
        raise FormatError(format, str(exc).splitlines()[0] if str(exc) else type(exc).__name__, source=source) from None


def _drop_none(data: object) -> object:
    if isinstance(data, dict):
        return {k: _drop_none(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [_drop_none(v) for v in data]
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
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    raise ValidationError.at("format", f"expected one of {', '.join(FORMATS)}, got {format!r}")


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
    try:
        return _converter(registry).structure(data, cls)
    except CrokitError as exc:
        raise ValidationError(_problems(exc, prefix)) from None
    except Exception as exc:  # noqa: BLE001 - anything else is still reported as a located problem
        raise ValidationError(_problems(exc, prefix)) from None


def dumps(obj: object, format: Format = "json", *, registry: Registry | None = None) -> str:  # noqa: A002
    """*obj* as JSON, TOML or YAML text."""
    return _render(unstructure(obj, registry=registry), format)


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


def format_for(path: str | os.PathLike[str]) -> Format:
    """The format a file's extension names (``.json``, ``.toml``, ``.yaml``/``.yml``)."""
    suffix = Path(path).suffix.lower()
    try:
        return _EXTENSIONS[suffix]
    except KeyError:
        raise InputFileError(
            path, f"cannot tell the format from the extension {suffix or '(none)'!r}: use .toml, .json, .yaml or .yml"
        ) from None


def read_text(path: str | os.PathLike[str]) -> bytes:
    """The bytes of *path*, or an :class:`~crokit.errors.InputFileError` saying why not."""
    file = Path(path)
    if not file.exists():
        raise InputFileError(path, "no such file")
    if file.is_dir():
        raise InputFileError(path, "is a directory, expected a file")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputFileError(path, f"cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise InputFileError(path, "is empty")
    return data


def load(path: str | os.PathLike[str], cls: type[T], *, registry: Registry | None = None) -> T:
    """Read a *cls* from a file, choosing the format by its extension."""
    format_ = format_for(path)
    return loads(read_text(path), cls, format_, registry=registry, source=str(path))


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write *text* to *path* through a temporary file and a rename, so no partial file is left."""
    target = Path(path)
    if target.is_dir():
        raise InputFileError(path, "is a directory, expected a file name")
    directory = target.parent if str(target.parent) else Path()
    if not directory.is_dir():
        raise InputFileError(path, f"the folder {directory} does not exist")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def dump(
    obj: object,
    path: str | os.PathLike[str],
    *,
    format: Format | None = None,  # noqa: A002 - "format" reads best here
    registry: Registry | None = None,
) -> None:
    """Write *obj* to *path*, in *format* or the one its extension names, atomically."""
    write_atomic(path, dumps(obj, format or format_for(path), registry=registry))
