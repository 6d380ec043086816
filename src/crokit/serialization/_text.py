"""Parsing and rendering JSON, TOML and YAML text as plain data.

:func:`parse` reads text in one of the :data:`FORMATS` into plain data, keeping every
float literal as its exact text (a :class:`_FloatText`) so the structure hooks can
refuse it where a Decimal is expected; YAML is read with a safe loader that keeps
``NO``, ``yes`` and ``on`` as strings. :func:`_render` writes plain data back as text,
leaving ``None`` keys out of TOML, which has no null.
"""

from __future__ import annotations

import json
import tomllib
from typing import Any, Final, Literal, cast

from crokit.errors import FormatError, MissingDependencyError, ValidationError

__all__ = ["FORMATS", "Format", "parse"]

Format = Literal["json", "toml", "yaml"]
"""The text formats crokit reads and writes."""
FORMATS: Final[tuple[Format, ...]] = ("json", "toml", "yaml")


class _FloatText(str):
    """The text of a float literal read from a file; refused where a Decimal is expected."""

    __slots__ = ()


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
