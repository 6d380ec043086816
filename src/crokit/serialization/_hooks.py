"""The cattrs converter with crokit's encoding rules, and the hooks for containers and models.

:func:`configure_converter` installs every rule on a converter: the scalar hooks, the
registry id check, sequences, mappings, attrs classes (unknown and missing keys,
converters and validators, every problem located) and tagged unions written with a
``kind`` key; :func:`make_converter` builds a new converter with them. A list of
``(text, value)`` pairs (criterion weights, manual scores) may also be written as a
table ``{text = value}``, in its order; a therapeutic-area id may be written as any of
the area's aliases (``crokit catalogue areas``) and is read as the area's id. The type
predicates here decide which hook a type gets, and :func:`_problems` turns any
exception raised while structuring into located problems.
"""

from __future__ import annotations

import enum
import functools
import operator
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final, cast

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn

from crokit._typed import Step, build_checked, build_steps
from crokit.errors import CrokitError, Problem, UnknownIdError, ValidationError, close_matches
from crokit.money import Money
from crokit.registry import Registry, default_registry
from crokit.serialization._scalars import (
    MAX_INT,
    _describe,
    _enum_hook,
    _structure_bool,
    _structure_date,
    _structure_decimal,
    _structure_float,
    _structure_int,
    _structure_str,
)
from crokit.vocabulary.ids import RegistryKind
from crokit.vocabulary.terms import TherapeuticArea

__all__ = ["configure_converter", "make_converter"]


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


_PlanStep = tuple[str, str, Any, Callable[[object, object], object], object]
"""How a structure hook reads one field: key, field name, type, hook, and what an absent key means."""
_REQUIRED: Final = object()
"""An absent key that is an error."""
_DEFAULT: Final = object()
"""An absent key whose field has a default."""
_SLOW: Final = object()
"""What :func:`_quick` returns when only the field-by-field path can say what is wrong."""


def _quick(
    cls: type,
    plan: list[_PlanStep],
    steps: tuple[Step, ...] | None,
    keys_by_name: dict[str, str],
    value: Mapping[Any, object],
) -> object:
    """The fast path of a structure hook: every value structured, then built as the class's ``__init__`` would.

    Converters, validators and cross-field checks run once, with the layers that word
    errors skipped (:func:`~crokit._typed.build_checked`) when every field is given. A
    failure raises; the caller then re-reads the table field by field to report every
    problem. Returns :data:`_SLOW` when a required key is missing.
    """
    kwargs: dict[str, object] = {}
    whole = steps is not None
    for key, name, hint, structure, absent in plan:
        if key in value:
            kwargs[name] = structure(value[key], hint)
        elif absent is _REQUIRED:
            return _SLOW
        elif absent is _DEFAULT:
            whole = False  # a default to fill in: attrs' __init__ knows it
        else:
            kwargs[name] = absent
    if whole and steps is not None:
        return build_checked(cls, steps, kwargs)
    return cls(**{keys_by_name[name]: item for name, item in kwargs.items()})


def _whole_numbers_in_range(value: list[object] | tuple[object, ...]) -> bool:
    """Whether every item is an ``int`` (not a bool) within ``MAX_INT``: checked at C speed, no loop per item."""
    if not value:
        return True
    if set(map(type, value)) != {int}:
        return False
    numbers = cast("list[int]", value)
    return min(numbers) >= -MAX_INT and max(numbers) <= MAX_INT


def _is_key_pair(type_: object) -> bool:
    """Whether *type_* is a ``(text, value)`` pair: a list of them may be written as a table."""
    args = typing.get_args(type_)
    return typing.get_origin(type_) is tuple and len(args) == 2 and _without_ids(args[0]) is str  # noqa: PLR2004


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
            if kind == TherapeuticArea.registry_kind:  # an alias `crokit catalogue` lists reads as the area's id
                return self.registry.area(text).id
            self.registry.get(kind, text)
            return text

        return hook

    def sequence_hook(self, type_: Any) -> Callable[[object, object], object]:
        origin = typing.get_origin(type_)
        args = typing.get_args(type_)
        fixed = origin is tuple and bool(args) and args[-1] is not Ellipsis
        item_types: tuple[Any, ...] = args if fixed else ((args[0] if args else Any),)
        item_hooks: list[Callable[[object, object], object]] = []
        whole_numbers = not fixed and item_types[0] is int
        pairs = not fixed and bool(args) and _is_key_pair(args[0])

        def structure_items(value: list[object] | tuple[object, ...]) -> list[object]:
            if not item_hooks:  # built on first use: a class may name itself
                item_hooks.extend(self.converter.get_structure_hook(item) for item in item_types)
            if fixed:
                return [hook(raw, item) for hook, raw, item in zip(item_hooks, value, item_types, strict=True)]
            hook, item = item_hooks[0], item_types[0]
            return [hook(raw, item) for raw in value]

        def hook(value: object, _type: object) -> object:
            if pairs and isinstance(value, Mapping):
                value = [[key, item] for key, item in value.items()]  # {id = value} for [[id, value], ...]
            if not isinstance(value, list | tuple):
                raise ValidationError.at("", f"expected a list, got {_describe(value)}")
            if fixed and len(value) != len(args):
                raise ValidationError.at("", f"expected a list of {len(args)} items, got {len(value)}")
            if whole_numbers and _whole_numbers_in_range(value):
                items: list[object] = list(value)  # whole numbers in range: nothing to convert
            else:
                try:
                    items = structure_items(value)
                except Exception:  # noqa: BLE001 - the slow path below locates every problem
                    items = self._located_items(value, item_types, fixed=fixed)
            if origin is frozenset:
                seen: set[object] = set()
                for index, item in enumerate(items):
                    if item in seen:
                        raise ValidationError.at(f"[{index}]", f"{_describe(value[index])} is listed more than once")
                    seen.add(item)
                return frozenset(items)
            return tuple(items)

        return hook

    def _located_items(
        self, value: list[object] | tuple[object, ...], item_types: tuple[Any, ...], *, fixed: bool
    ) -> list[object]:
        """Structure every item, collecting each problem with its index (the error path)."""
        items: list[object] = []
        problems: list[Problem] = []
        for index, raw in enumerate(value):
            item_type = item_types[index] if fixed else item_types[0]
            try:
                items.append(self.converter.structure(raw, item_type))
            except Exception as exc:  # noqa: BLE001 - every failure becomes a located problem
                problems.extend(_problems(exc, f"[{index}]"))
        if problems:
            raise ValidationError(problems)
        return items  # pragma: no cover - the fast path failed, so some item fails here too

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
        keys_by_name = {f.name: key for key, f in keys.items()}
        tag = _tag(cls)
        # (key, field name, type, hook, absent value) per field; hooks are looked up on
        # first use, since a class may name itself (directly or through a union).
        plan: list[_PlanStep] = []
        steps = build_steps(cls)

        def build_plan() -> None:
            for key, field in keys.items():
                hint = hints[field.name]
                if _allows_none(hint):
                    absent: object = None  # TOML has no null: an absent optional key is None
                elif field.default is attrs.NOTHING:
                    absent = _REQUIRED
                else:
                    absent = _DEFAULT
                plan.append((key, field.name, hint, self.converter.get_structure_hook(hint), absent))

        def hook(value: object, _type: object) -> object:
            if not isinstance(value, Mapping):
                raise ValidationError.at("", f"expected a table with keys {', '.join(keys)}, got {_describe(value)}")
            if not plan:
                build_plan()
            if tag is not None and "kind" in value and value["kind"] == tag:
                value = {k: v for k, v in value.items() if k != "kind"}
            if len(value) <= len(keys) and all(key in keys for key in value):
                try:
                    built = _quick(cls, plan, steps, keys_by_name, value)
                except Exception:  # noqa: BLE001 - the detailed path below reports it
                    built = _SLOW
                if built is not _SLOW:
                    return built
            return self._located_fields(cls, keys, hints, value)

        return hook

    def _located_fields(
        self, cls: type, keys: dict[str, attrs.Attribute[Any]], hints: dict[str, Any], value: Mapping[Any, object]
    ) -> object:
        """Structure, convert and validate field by field, collecting every problem with its path (the error path)."""
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
    converter.register_structure_hook(Money, _money_hook(hooks.attrs_hook(Money)))


def _money_hook(general: Callable[[object, object], object]) -> Callable[[object, object], object]:
    """Money's structure hook: the common table of two strings straight to ``Money``.

    ``Money`` reads and checks its amount and currency itself, so a table of exactly
    ``amount`` and ``currency``, both plain text, needs no per-field structuring first.
    Anything else, and any value ``Money`` refuses, goes through the general hook, which
    words every problem with its path.
    """

    def hook(value: object, type_: object) -> object:
        if type(value) is dict and len(value) == 2:  # noqa: PLR2004 - amount and currency
            amount, currency = value.get("amount"), value.get("currency")
            if type(amount) is str and type(currency) is str:
                try:
                    return Money(amount, currency)
                except Exception:  # noqa: BLE001, S110 - the general hook reports it with its path
                    pass
        return general(value, type_)

    return hook


def make_converter(registry: Registry | None = None) -> cattrs.Converter:
    """A new converter with crokit's rules, checking ids against *registry* (default: :func:`default_registry`)."""
    converter = cattrs.Converter()
    configure_converter(converter, registry if registry is not None else default_registry())
    return converter
