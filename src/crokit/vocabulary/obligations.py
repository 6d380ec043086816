"""Sponsor obligations: the entries of the obligation catalogue in the registry.

An :class:`Obligation` is a sponsor obligation that a sponsor may transfer, in writing,
to a contract research organization (21 CFR 312.52(a)), with the regulation that
imposes it. crokit's built-ins (``data/obligations.toml``) are the sponsor obligations
of 21 CFR 312.50 to 312.59; extensions add their own (another jurisdiction's, or a
finer split) the way they add services. :mod:`crokit.engagement` uses them in the
transfer-of-obligations ledger.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from crokit._convert import to_tuple
from crokit._typed import typed_fields
from crokit.errors import ValidationError
from crokit.vocabulary.ids import check_id

__all__ = ["Obligation"]


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

    >>> from crokit import Registry
    >>> Registry.builtin().obligation("crokit:select-monitors").citation
    '21 CFR 312.53(d)'
    """

    registry_kind: ClassVar[str] = "obligation"

    id: str = attrs.field(validator=_id)
    name: str = attrs.field(validator=_text)
    citation: str = attrs.field(validator=_text)
    summary: str = attrs.field(validator=_text)
    ich_e6_r3: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=_texts)
