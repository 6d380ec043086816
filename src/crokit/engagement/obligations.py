"""Sponsor obligations a sponsor may transfer to a CRO, each with its regulatory source.

Under 21 CFR 312.52(a) a sponsor may transfer any or all of its obligations to a
contract research organization; the transfer must be in writing, and any obligation not
covered by the written description "shall be deemed not to have been transferred". The
built-in catalogue lists the sponsor obligations of 21 CFR 312.50 to 312.59 that
transfer statements name (Form FDA 1571; eCTD Module 1.3.1.4), each summarised in
crokit's words with its citation; downstream packages add their own (another
jurisdiction's, or a finer split) as :class:`Obligation` values with their own
namespace.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any, ClassVar

import attrs

from crokit._convert import to_tuple
from crokit._typed import typed_fields
from crokit.errors import DuplicateIdError, UnknownIdError, ValidationError
from crokit.vocabulary.ids import check_id

__all__ = ["Obligation", "builtin_obligations", "obligation_catalogue"]


def _id(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_id(value, path=attribute.name)


def _text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError.at(attribute.name, f"expected a non-empty text, got {value!r}")


def _texts(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise ValidationError.at(f"{attribute.name}[{index}]", f"expected a non-empty text, got {item!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Obligation:
    """One sponsor obligation that can be transferred to a service provider.

    Attributes:
        id: Namespaced id (``crokit:select-monitors``).
        name: Short name for tables and reports.
        citation: The regulation that imposes it (``21 CFR 312.53(d)``).
        summary: What the obligation requires, in one or two sentences.
        ich_e6_r3: ICH E6(R3) sections that address the same activity, if any.

    >>> monitors = obligation_catalogue()["crokit:select-monitors"]
    >>> monitors.citation
    '21 CFR 312.53(d)'
    """

    registry_kind: ClassVar[str] = "obligation"

    id: str = attrs.field(validator=_id)
    name: str = attrs.field(validator=_text)
    citation: str = attrs.field(validator=_text)
    summary: str = attrs.field(validator=_text)
    ich_e6_r3: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=_texts)


def _read_catalogue(text: str, *, source: str) -> tuple[Obligation, ...]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError.at(source, f"invalid TOML: {exc}") from None
    entries = data.get("obligation")
    if not isinstance(entries, list):
        raise ValidationError.at(f"{source}: obligation", "expected a list of [[obligation]] tables")
    found: list[Obligation] = []
    problems: list[ValidationError] = []
    for index, entry in enumerate(entries):
        path = f"{source}: obligation[{index}]"
        if not isinstance(entry, dict):
            problems.append(ValidationError.at(path, f"expected a table, got {entry!r}"))
            continue
        unknown = sorted(set(entry) - {field.name for field in attrs.fields(Obligation)})
        if unknown:
            problems.append(ValidationError.at(path, f"unknown keys {unknown}"))
            continue
        try:
            found.append(Obligation(**entry))
        except ValidationError as exc:
            problems.append(exc.with_prefix(path))
        except TypeError as exc:
            problems.append(ValidationError.at(path, f"incomplete obligation: {exc}"))
    if problems:
        raise ValidationError([problem for error in problems for problem in error.problems])
    return tuple(found)


@functools.cache
def builtin_obligations() -> tuple[Obligation, ...]:
    """The built-in catalogue: the sponsor obligations of 21 CFR 312.50-312.59, in regulation order."""
    text = resources.files("crokit.engagement").joinpath("obligations.toml").read_text(encoding="utf-8")
    return _read_catalogue(text, source="crokit/engagement/obligations.toml")


def obligation_catalogue(extra: Iterable[Obligation] = ()) -> Mapping[str, Obligation]:
    """The built-in obligations plus *extra* ones, by id; an id given twice is refused.

    >>> len(obligation_catalogue())
    10
    """
    catalogue: dict[str, Obligation] = {}
    for obligation in (*builtin_obligations(), *extra):
        if not isinstance(obligation, Obligation):
            raise ValidationError.at("obligations", f"expected Obligation values, got {obligation!r}")
        if obligation.id in catalogue:
            raise DuplicateIdError("obligation", obligation.id)
        catalogue[obligation.id] = obligation
    return catalogue


def lookup(catalogue: Mapping[str, Obligation], obligation_id: str, *, path: str) -> Obligation:
    """The obligation *obligation_id* of *catalogue*, or an UnknownIdError naming *path*."""
    try:
        return catalogue[obligation_id]
    except KeyError:
        raise UnknownIdError("obligation", obligation_id, choices=catalogue, path=path) from None
