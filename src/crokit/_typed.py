"""A field transformer making every attrs model refuse a value of the wrong type.

:func:`typed_fields` checks each field's value against the field's annotation when a
model is built, so a wrong type (a text where a date is expected, ``None`` where a
tuple is expected, a list of dicts where models are expected) raises a
:class:`~crokit.errors.ValidationError` naming the field, never a bare ``TypeError``
or ``AttributeError`` from deep inside; and what no file format can hold (NaN,
infinities, whole numbers beyond :data:`MAX_WHOLE`, lone surrogates) is refused
before it can reach a serializer.

:func:`unchecked` is the way around it, for values crokit computed and checked itself
(the pricing models' lines, the schedule builder's payments): the fields are set as
given, and the caller runs whatever cross-field checks still apply.
"""

from __future__ import annotations

import collections.abc
import enum
import functools
import itertools
import math
import re
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

import attrs

from crokit._decimal import MAX_EXPONENT, to_decimal
from crokit.errors import CrokitError, ValidationError, close_matches

__all__ = ["MAX_WHOLE", "typed_fields", "unchecked"]

_T = typing.TypeVar("_T")


MAX_WHOLE: Final = 10**15
"""The largest magnitude of a whole number a model holds: what JSON, TOML and YAML
readers carry exactly (the same limit as ``crokit.serialization.MAX_INT``)."""

_SURROGATE: Final = re.compile("[\ud800-\udfff]")

Check = Callable[[object, str], None]


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."  # noqa: PLR2004 - keep messages short


def _name(hint: Any) -> str:  # noqa: PLR0911 - one return per kind of annotation
    """A short human name of a type annotation (``a tuple of LineItem``, ``a date``)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Annotated:
        return _name(args[0])
    if origin in {types.UnionType, typing.Union}:
        return " or ".join(_name(arg) for arg in args)
    if origin in {tuple, frozenset}:
        if origin is tuple and args and args[-1] is not Ellipsis:
            return f"a tuple of ({', '.join(_name(arg) for arg in args)})"
        return f"a {origin.__name__} of {_name(args[0])}" if args else f"a {origin.__name__}"
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(arg) for arg in args)
    if hint is type(None):
        return "None"
    names = {str: "text", int: "a whole number", float: "a finite number", bool: "True or False", date: "a date"}
    if hint in names:
        return names[hint]
    if hint is Decimal:
        return "a finite Decimal"
    return getattr(hint, "__name__", str(hint))


def _fail(path: str, hint: Any, value: object, why: str = "") -> typing.NoReturn:
    extra = f" ({why})" if why else ""
    raise ValidationError.at(path, f"expected {_name(hint)}, got {_describe(value)}{extra}")


def _scalar_check(hint: Any) -> Check | None:  # noqa: C901 - one branch per scalar type
    def check_str(value: object, path: str) -> None:
        if not isinstance(value, str):
            _fail(path, hint, value)
        if not value.isascii() and _SURROGATE.search(value):
            _fail(path, hint, value, "a lone surrogate cannot be written to a file")

    def check_int(value: object, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            _fail(path, hint, value)
        if abs(value) > MAX_WHOLE:
            _fail(path, hint, value, "more than 15 digits cannot be written to JSON, TOML and YAML exactly")

    def check_float(value: object, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, float | int):
            _fail(path, hint, value)
        if isinstance(value, int) and abs(value) > MAX_WHOLE:
            _fail(path, hint, value, "too large")
        if isinstance(value, float) and not math.isfinite(value):
            _fail(path, hint, value, "NaN and infinities cannot be written to a file")

    def check_decimal(value: object, path: str) -> None:
        if not isinstance(value, Decimal):
            _fail(path, hint, value)
        if value.is_finite() and (not value or -MAX_EXPONENT <= value.adjusted() <= MAX_EXPONENT):
            return  # the common case, without building an error message
        try:
            to_decimal(value)
        except CrokitError as exc:
            raise ValidationError.at(path, str(exc)) from None

    def check_date(value: object, path: str) -> None:
        if not isinstance(value, date) or isinstance(value, datetime):
            _fail(path, hint, value)

    def check_bool(value: object, path: str) -> None:
        if not isinstance(value, bool):
            _fail(path, hint, value)

    return {
        str: check_str,
        int: check_int,
        float: check_float,
        Decimal: check_decimal,
        date: check_date,
        bool: check_bool,
    }.get(hint)


def _union_check(hint: Any, args: tuple[Any, ...]) -> Check | None:
    optional = type(None) in args
    members = [_type_check(arg) for arg in args if arg is not type(None)]
    if any(member is None for member in members):
        return None
    checks = [member for member in members if member is not None]

    def check(value: object, path: str) -> None:
        if value is None and optional:
            return
        if len(checks) == 1:
            checks[0](value, path)  # X | None: the error of X is the most precise one
            return
        for member in checks:
            try:
                member(value, path)
            except ValidationError:
                continue
            return
        _fail(path, hint, value)

    return check


_FAST: Final[dict[type, Callable[[Any], bool]]] = {
    int: lambda value: min(value) >= -MAX_WHOLE and max(value) <= MAX_WHOLE,
    float: lambda value: all(map(math.isfinite, value)),
    str: lambda value: all(map(str.isascii, value)),
}
"""Checks of a whole collection of one exact type, the common case of :func:`_collection_check`."""


_INSTANCE_ONLY: Final[dict[Check, type]] = {}
"""The checks made by :func:`_type_check` that are ``isinstance(value, type)`` and nothing more, with their type."""


def _collection_check(hint: Any, origin: Any, args: tuple[Any, ...]) -> Check:
    fixed = origin is tuple and bool(args) and args[-1] is not Ellipsis
    items = [_type_check(arg) for arg in args[: None if fixed else 1]]
    whole_numbers = not fixed and args[:1] == (int,)
    # Items checked by isinstance alone (models, enum members): all at once at C speed.
    each_of = _INSTANCE_ONLY.get(items[0]) if items and items[0] is not None and not fixed else None

    def check(value: object, path: str) -> None:
        if not isinstance(value, origin):
            _fail(path, hint, value)
        if each_of is not None and all(map(isinstance, value, itertools.repeat(each_of))):
            return  # every item of its type; the loop below words errors
        if (
            whole_numbers
            and value
            and set(map(type, value)) == {int}
            and -MAX_WHOLE <= min(value) <= max(value) <= MAX_WHOLE
        ):
            return  # whole numbers in range (month indexes), checked at C speed; the loop words errors
        if fixed and len(value) != len(items):
            _fail(path, hint, value, f"{len(value)} items instead of {len(items)}")
        for index, item in enumerate(value):
            each = items[index] if fixed else (items[0] if items else None)
            if each is not None:
                each(item, f"{path}[{index}]")

    return check


def _mapping_check(hint: Any, args: tuple[Any, ...]) -> Check:
    key_check, value_check = (_type_check(args[0]), _type_check(args[1])) if args else (None, None)

    def check(value: object, path: str) -> None:
        if not isinstance(value, Mapping):
            _fail(path, hint, value)
        for key, item in value.items():
            if key_check is not None:
                key_check(key, f"{path}[{key!r}]")
            if value_check is not None:
                value_check(item, f"{path}[{key!r}]")

    return check


@functools.cache
def _type_check(hint: Any) -> Check | None:  # noqa: C901, PLR0911 - one branch per kind of annotation
    """A function checking a value against *hint*, or ``None`` where anything goes."""
    if hint is Any or hint is object:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Annotated:
        return _type_check(args[0])
    if origin in {types.UnionType, typing.Union}:
        return _union_check(hint, args)
    if origin is typing.Literal:

        def check_literal(value: object, path: str) -> None:
            if isinstance(value, bool) or value not in args:
                _fail(path, hint, value)

        return check_literal
    if origin in {tuple, frozenset}:
        return _collection_check(hint, origin, args)
    if hint in {tuple, frozenset}:
        return _collection_check(hint, hint, ())
    if origin in {dict, Mapping, collections.abc.Mapping} or hint in {dict, Mapping}:
        return _mapping_check(hint, args)
    if hint is type(None):

        def check_none(value: object, path: str) -> None:
            if value is not None:
                _fail(path, hint, value)

        return check_none
    scalar = _scalar_check(hint)
    if scalar is not None:
        return scalar
    if isinstance(hint, type) and issubclass(hint, enum.Enum):

        def check_member(value: object, path: str) -> None:
            if not isinstance(value, hint):
                values = [str(member.value) for member in hint]
                near = close_matches(value, values) if isinstance(value, str) else ()
                extra = f"; did you mean {near[0]!r}?" if near else ""
                listed = ", ".join(repr(v) for v in values)
                raise ValidationError.at(path, f"expected a {hint.__name__}, one of {listed}, got {value!r}{extra}")

        _INSTANCE_ONLY[check_member] = hint
        return check_member
    if isinstance(hint, type) and not getattr(hint, "_is_protocol", False):

        def check_instance(value: object, path: str) -> None:
            if not isinstance(value, hint):
                _fail(path, hint, value)

        _INSTANCE_ONLY[check_instance] = hint
        return check_instance
    return None  # Any, callables, protocols, type variables: not checked here


class _FieldType:
    """A validator checking a field's value against the field's annotation (resolved on first use).

    The annotation is resolved when the first value is checked, not when the class is
    defined: with ``from __future__ import annotations`` it may name classes defined
    later in the module.
    """

    __slots__ = ("_check", "_resolved", "cls", "name")

    def __init__(self, cls: type, name: str) -> None:
        self.cls = cls
        self.name = name
        self._check: Check | None = None
        self._resolved = False

    def __repr__(self) -> str:
        return f"<type check of {self.cls.__name__}.{self.name}>"

    def hint(self) -> Any:
        return _hints(self.cls).get(self.name, Any)

    def resolved(self) -> Check | None:
        """The check of the field's annotation itself (``None`` where anything goes)."""
        if not self._resolved:
            self._check = _type_check(self.hint())
            self._resolved = True
        return self._check

    def __call__(self, _instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        check = self._check if self._resolved else self.resolved()
        if check is not None:
            check(value, attribute.name)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls, include_extras=True)
    except NameError:
        # An annotation importable only under TYPE_CHECKING: the class's fields are not
        # type-checked (tests/test_public_models.py would catch this for a public model).
        return {}


def _guard(converter: Callable[[Any], Any], field: _FieldType) -> Callable[[Any], Any]:
    """*converter*, raising a located ValidationError instead of a bare TypeError or ValueError."""

    def convert(value: Any) -> Any:
        try:
            return converter(value)
        except CrokitError:
            raise
        except Exception:  # noqa: BLE001 - a converter refusing a wrong type becomes a located problem
            _fail(field.name, field.hint(), value)

    convert.__doc__ = converter.__doc__
    return convert


def _both(check: _FieldType, validator: Callable[[Any, attrs.Attribute[Any], Any], Any]) -> Callable[..., None]:
    """The type check, then the field's own validator (``attrs.validators.and_`` without its loop)."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        check(instance, attribute, value)
        validator(instance, attribute, value)

    validate.__doc__ = getattr(validator, "__doc__", None)
    return validate


def typed_fields(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """An attrs ``field_transformer``: every field refuses a value of the wrong type.

    Each field's value is checked against its annotation before the field's own
    validators run, and a converter failing on a wrong type (``tuple(None)``) raises a
    :class:`~crokit.errors.ValidationError` naming the field. Beyond the type, what a
    file cannot hold is refused too: NaN and infinite floats and Decimals, whole numbers
    beyond :data:`MAX_WHOLE`, lone surrogates in text.

    >>> @attrs.frozen(kw_only=True, field_transformer=typed_fields)
    ... class Example:
    ...     count: int
    >>> Example(count="3")
    Traceback (most recent call last):
    ...
    crokit.errors.ValidationError: count: expected a whole number, got '3'
    """
    result = []
    for field in fields:
        check = _FieldType(cls, field.name)
        validator = check if field.validator is None else _both(check, field.validator)
        converter: Any = field.converter
        if converter is not None and not isinstance(converter, attrs.Converter):
            converter = _guard(converter, check)
        metadata = {**field.metadata, _OWN: _Own(check, field.converter, field.validator)}
        result.append(field.evolve(validator=validator, converter=converter, metadata=metadata))
    return result


_OWN: Final = "crokit.typed"
"""The metadata key under which :func:`typed_fields` keeps a field's own converter and validator."""


@attrs.frozen
class _Own:
    """A field's type check and the converter and validator it was declared with."""

    check: _FieldType
    converter: Any
    validator: Callable[[Any, attrs.Attribute[Any], Any], Any] | None


Step: typing.TypeAlias = (
    "tuple[attrs.Attribute[Any], Callable[[Any], Any] | None, Check | None, Callable[..., Any] | None]"
)
"""One field of :func:`build_steps`: the field, its converter, its type check and its validator."""


@functools.cache
def build_steps(cls: type) -> tuple[Step, ...] | None:
    """How :func:`build_checked` builds *cls*, or ``None`` if only its ``__init__`` can.

    Every field must be set by ``__init__`` through :func:`typed_fields`, with a plain
    converter function, and the class's ``__init__`` must be the one attrs wrote.
    """
    init = getattr(cls, "__init__", None)
    code = getattr(init, "__code__", None)
    if code is None or not code.co_filename.startswith("<attrs generated") or hasattr(cls, "__attrs_pre_init__"):
        return None
    steps: list[Step] = []
    for field in attrs.fields(cls):
        own = field.metadata.get(_OWN)
        if not field.init or not isinstance(own, _Own) or isinstance(own.converter, attrs.Converter):
            return None
        steps.append((field, own.converter, own.check.resolved(), own.validator))
    return tuple(steps)


def build_checked(cls: type[_T], steps: tuple[Step, ...], values: Mapping[str, object], /) -> _T:
    """``cls(**values)`` with the same converters and checks, less the layers around them.

    What attrs' ``__init__`` does, in its order: every field converted and set, then each
    field's type check and validator, then ``__attrs_post_init__``. A failure raises what
    the converter or check raised, not the located error ``cls(**values)`` would: for
    readers that fall back to a slow path wording every problem
    (``crokit.serialization``). *values* must hold every field, by name.
    """
    instance = object.__new__(cls)
    for field, converter, _check, _validator in steps:
        value = values[field.name]
        object.__setattr__(instance, field.name, value if converter is None else converter(value))
    for field, _converter, check, validator in steps:
        value = getattr(instance, field.name)
        if check is not None:
            check(value, field.name)
        if validator is not None:
            validator(instance, field, value)
    post_init = getattr(instance, "__attrs_post_init__", None)
    if post_init is not None:
        post_init()
    return instance


def unchecked(cls: type[_T], /, **fields: object) -> _T:
    """An instance of the frozen attrs class *cls* with *fields* set as given: no converter or validator runs.

    For values crokit computed from checked models only; the tests rebuild what each
    caller makes through the public constructor and require it equal.
    """
    instance = object.__new__(cls)
    for name, value in fields.items():
        object.__setattr__(instance, name, value)
    return instance
