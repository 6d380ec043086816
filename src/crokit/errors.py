"""Every error crokit raises on purpose.

All of them derive from :class:`CrokitError`, so ``except CrokitError`` catches
anything crokit refuses, and each leaf also derives from the builtin exception it
resembles (``KeyError`` for an unknown id, ``ValueError`` for a bad value, ...), so
code written against the builtins keeps working.

Each error keeps the offending values as attributes and says, in its message, where
the problem is (the field path), what the bad value was and what was expected.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "CrokitError",
    "CurrencyMismatchError",
    "DuplicateIdError",
    "DuplicateKeyError",
    "ExtensionError",
    "FormatError",
    "InputFileError",
    "InvalidAmountError",
    "InvalidTransitionError",
    "MissingDependencyError",
    "MissingRateError",
    "Problem",
    "SchemaVersionError",
    "UnknownCurrencyError",
    "UnknownIdError",
    "ValidationError",
    "close_matches",
]


def close_matches(value: str, choices: Iterable[str], *, n: int = 3) -> tuple[str, ...]:
    """Return up to *n* entries of *choices* that look like *value*, best first.

    Matching ignores case and also compares the part after a namespace prefix, so
    ``"biostatistic"`` finds ``"crokit:biostatistics"``.

    >>> close_matches("crokit:biostatistic", ["crokit:biostatistics", "crokit:edc"])
    ('crokit:biostatistics',)
    """
    pool = sorted(set(choices))
    by_key: dict[str, str] = {}
    for choice in pool:
        by_key.setdefault(choice.lower(), choice)
        local = choice.rpartition(":")[2].lower()
        by_key.setdefault(local, choice)
    found = difflib.get_close_matches(value.lower(), list(by_key), n=n * 2, cutoff=0.6)
    local_value = value.rpartition(":")[2].lower()
    found += difflib.get_close_matches(local_value, list(by_key), n=n * 2, cutoff=0.6)
    result: list[str] = []
    for key in found:
        choice = by_key[key]
        if choice not in result:
            result.append(choice)
    return tuple(result[:n])


class CrokitError(Exception):
    """Base of every error crokit raises on purpose.

    Catch this to handle any input crokit refused; the message says what was wrong.
    """


def _text(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    """A validator: text (errors cannot use crokit._typed, which imports this module)."""
    if not isinstance(value, str):
        raise ValidationError.at(attribute.name, f"expected text, got {value!r}")


@attrs.frozen(kw_only=True)
class Problem:
    """One problem found in user input.

    Attributes:
        path: Where the problem is, as a dotted path (``study.sites``,
            ``candidates[2].countries[0]``); empty for the document itself.
        message: What was expected and what was found.
    """

    path: str = attrs.field(validator=_text)
    message: str = attrs.field(validator=_text)

    def __str__(self) -> str:
        """Render as ``path: message``."""
        return f"{self.path}: {self.message}" if self.path else self.message


class ValidationError(CrokitError, ValueError):
    """A value or document failed validation; every problem found is listed.

    Attributes:
        problems: Each problem with its path, in the order found.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        """Collect *problems* (at least one) into one error."""
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._render())

    @classmethod
    def at(cls, path: str, message: str) -> ValidationError:
        """Build an error with a single problem at *path*."""
        return cls([Problem(path=path, message=message)])

    def with_prefix(self, prefix: str) -> ValidationError:
        """Return the same problems with *prefix* put in front of each path."""
        return ValidationError([Problem(path=_join(prefix, p.path), message=p.message) for p in self.problems])

    def _render(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines.extend(f"  - {p}" for p in self.problems)
        return "\n".join(lines)

    def __str__(self) -> str:
        """List every problem, one per line."""
        return self._render()


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if not path:
        return prefix
    if path.startswith("["):
        return f"{prefix}{path}"
    return f"{prefix}.{path}"


class UnknownIdError(CrokitError, KeyError):
    """An id (service, category, area, ...) is not in the registry.

    Attributes:
        kind: What sort of id it was (``"service"``, ``"category"``, ...).
        id: The id that was not found.
        suggestions: Close valid ids, best first (possibly empty).
        path: Where the id was found in the input, if known.
    """

    def __init__(self, kind: str, id: str, *, choices: Iterable[str] = (), path: str = "") -> None:  # noqa: A002 - "id" is the domain word
        """Record the unknown *id* of *kind* and look for close matches in *choices*."""
        self.kind = kind
        self.id = id
        self.path = path
        self.suggestions = close_matches(id, choices)
        super().__init__(kind, id)

    def __str__(self) -> str:
        """Say what was unknown and what it may have meant."""
        where = f"{self.path}: " if self.path else ""
        text = f"{where}unknown {self.kind} {self.id!r}"
        if self.suggestions:
            text += "; did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"
        return text


class DuplicateIdError(CrokitError, ValueError):
    """An id was registered twice, or a collection lists the same id twice.

    Attributes:
        kind: What sort of id.
        id: The repeated id.
    """

    def __init__(self, kind: str, id: str) -> None:  # noqa: A002 - "id" is the domain word
        """Record the duplicated *id* of *kind*."""
        self.kind = kind
        self.id = id
        super().__init__(f"duplicate {kind} {id!r}: each id may appear only once (pass replace=True to override)")


class InvalidAmountError(CrokitError, ValueError):
    """An amount is not an exact decimal number (a float, a bool, NaN, infinity, text).

    Attributes:
        value: The value that was refused.
        reason: Why it was refused.
    """

    def __init__(self, value: object, reason: str) -> None:
        """Record the refused *value* and the *reason*."""
        self.value = value
        self.reason = reason
        super().__init__(f"invalid amount {value!r}: {reason}")


class UnknownCurrencyError(CrokitError, ValueError):
    """A currency code is not an active ISO 4217 code.

    Attributes:
        code: The code that was refused.
        suggestions: Close valid codes.
    """

    def __init__(self, code: object, choices: Iterable[str] = ()) -> None:
        """Record the refused *code* and look for close matches in *choices*."""
        self.code = code
        self.suggestions = close_matches(str(code), choices) if isinstance(code, str) else ()
        text = f"unknown currency {code!r}: expected an active ISO 4217 code such as 'USD'"
        if self.suggestions:
            text += "; did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(text)


class CurrencyMismatchError(CrokitError, ValueError):
    """Two amounts in different currencies were combined without conversion.

    Attributes:
        left: The first currency code.
        right: The second currency code.
    """

    def __init__(self, left: str, right: str, *, operation: str = "combine") -> None:
        """Record the two currencies that met in *operation*."""
        self.left = left
        self.right = right
        super().__init__(f"cannot {operation} {left} and {right}: convert one currency with an FxTable first")


class MissingRateError(CrokitError, LookupError):
    """No exchange rate covers the requested currency pair and date.

    Attributes:
        base: The currency converted from.
        quote: The currency converted to.
        on: The date asked for.
    """

    def __init__(self, base: str, quote: str, on: object, *, detail: str = "") -> None:
        """Record the pair and date that had no rate."""
        self.base = base
        self.quote = quote
        self.on = on
        text = f"no {base}->{quote} exchange rate in force on {on}"
        if detail:
            text += f" ({detail})"
        super().__init__(text)


class InvalidTransitionError(CrokitError, ValueError):
    """A lifecycle move that the stage graph does not allow.

    Attributes:
        source: The stage moved from.
        target: The stage asked for.
        allowed: The stages that may follow *source*.
    """

    def __init__(self, source: object, target: object, allowed: Iterable[object]) -> None:
        """Record the forbidden move and what would have been allowed."""
        self.source = source
        self.target = target
        self.allowed = tuple(allowed)
        names = ", ".join(str(a) for a in self.allowed) or "none (the program has ended)"
        super().__init__(f"cannot move from {source} to {target}; allowed next stages: {names}")


class SchemaVersionError(CrokitError, ValueError):
    """A document's ``schema_version`` is missing, malformed or newer than this crokit.

    Attributes:
        found: The version in the document.
        supported: The newest version this crokit reads.
    """

    def __init__(self, found: object, supported: int, *, kind: str = "document") -> None:
        """Record the version found and the newest supported."""
        self.found = found
        self.supported = supported
        if isinstance(found, int) and not isinstance(found, bool) and found > supported:
            text = (
                f"{kind} has schema_version {found}, but this crokit reads versions up to "
                f"{supported}: upgrade crokit to read it"
            )
        elif found is None:
            text = f"{kind}: schema_version is missing; start the file with schema_version = {supported}"
        else:
            text = f"schema_version: expected a whole number from 1 to {supported}, got {found!r}"
        super().__init__(text)


class FormatError(CrokitError, ValueError):
    """Text could not be parsed as the requested format (JSON, TOML, YAML).

    Attributes:
        format: The format name.
        detail: The parser's description of the problem, with its location.
    """

    def __init__(self, format: str, detail: str, *, source: str = "") -> None:  # noqa: A002 - "format" is the domain word
        """Record the format and what the parser said."""
        self.format = format
        self.detail = detail
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(f"{where}invalid {format.upper()}: {detail}")


class ExtensionError(CrokitError, RuntimeError):
    """An installed crokit extension failed to load or returned something wrong.

    Attributes:
        entry_point: The entry point's name.
        distribution: The distribution (package) that declared it, with its version.
        detail: What went wrong.
    """

    def __init__(self, entry_point: str, distribution: str, detail: str) -> None:
        """Record which extension failed and how."""
        self.entry_point = entry_point
        self.distribution = distribution
        self.detail = detail
        super().__init__(
            f"crokit extension {entry_point!r} from {distribution} failed: {detail} "
            "(set CROKIT_NO_EXTENSIONS=1 to run without extensions)"
        )


class MissingDependencyError(CrokitError, ImportError):
    """An optional dependency is needed for this feature but is not installed.

    Attributes:
        package: The missing import name.
        extra: The crokit extra that installs it.
    """

    def __init__(self, package: str, extra: str) -> None:
        """Record the missing *package* and the *extra* that provides it."""
        self.package = package
        self.extra = extra
        super().__init__(f"{package} is not installed: install it with pip install 'crokit[{extra}]'")


class InputFileError(CrokitError, OSError):
    """A file crokit was asked to read or write cannot be used (missing, a directory, unreadable).

    Attributes:
        path: The file's path as given.
        detail: What is wrong with it.
    """

    def __init__(self, path: object, detail: str) -> None:
        """Record the *path* and what is wrong with it."""
        self.path = str(path)
        self.detail = detail
        super().__init__(f"{self.path}: {detail}")


class DuplicateKeyError(FormatError):
    """A JSON or YAML document gives the same key twice in one table.

    The parsers behind JSON and YAML keep the last value silently; crokit refuses the
    document instead, as TOML does, so no value is lost unnoticed.

    Attributes:
        paths: The path of each repeated key (``candidates[0].amount``), in document order.
        occurrences: For each path, how it appears (``"twice"``, ``"3 times"``), with the
            lines of every occurrence where the parser knows them.
    """

    def __init__(self, format: str, duplicates: Sequence[tuple[str, str]], *, source: str = "") -> None:  # noqa: A002 - "format" is the domain word
        """Record each repeated key's path and how often (and where) it appears."""
        self.paths: tuple[str, ...] = tuple(path for path, _ in duplicates)
        self.occurrences: tuple[str, ...] = tuple(where for _, where in duplicates)
        shown = "; ".join(f"{path or '(the document)'} appears {where}" for path, where in duplicates[:10])
        more = f"; and {len(duplicates) - 10} more" if len(duplicates) > 10 else ""  # noqa: PLR2004 - keep messages short
        super().__init__(format, f"duplicate key: {shown}{more}; each key may be given once", source=source)
