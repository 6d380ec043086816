"""The parties to an engagement: the sponsor and the providers it contracts with in writing."""

from __future__ import annotations

import enum
import re
from datetime import date
from typing import Any, Final

import attrs

from crokit._typed import typed_fields
from crokit._validators import non_empty_text
from crokit.errors import ValidationError

__all__ = ["Agreement", "Party", "PartyKind", "all_of"]

_PARTY_ID: Final = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


class PartyKind(enum.Enum):
    """The role an organisation plays in an engagement."""

    SPONSOR = "sponsor"
    """Owns the study and stays responsible for it (21 CFR 312.52(b); ICH E6(R3) principle 10)."""
    CRO = "cro"
    """A contract research organization running all or part of the study."""
    FSP = "fsp"
    """A functional service provider supplying staff for one function."""
    CENTRAL_LAB = "central-lab"
    """A central or specialty laboratory."""
    OTHER_VENDOR = "other-vendor"
    """Any other service provider (IRT, eCOA, imaging core lab, ...)."""


def _date(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not date:
        raise ValidationError.at(attribute.name, f"expected a date, got {value!r}")


def _party_id(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not _PARTY_ID.match(value):
        raise ValidationError.at(
            attribute.name, f"expected a short id in lower case with hyphens ('helix-cro'), got {value!r}"
        )


def _kind(value: object) -> PartyKind:
    if isinstance(value, PartyKind):
        return value
    try:
        return PartyKind(value)
    except ValueError:
        allowed = ", ".join(repr(kind.value) for kind in PartyKind)
        raise ValidationError.at("kind", f"expected one of {allowed}, got {value!r}") from None


def _agreement(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, Agreement):
        raise ValidationError.at(attribute.name, f"expected an Agreement, got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Agreement:
    """A written agreement between the sponsor and a provider.

    21 CFR 312.52(a) requires a transfer of obligations to be in writing; ICH E6(R3)
    Annex 1 section 3.6 asks that agreements be documented before the activities start
    and updated when the activities transferred change.

    Attributes:
        title: The agreement's title ("Master services agreement and work order 1").
        signed: The date it was signed.
        reference: The contract number, if any.
    """

    title: str = attrs.field(validator=non_empty_text)
    signed: date = attrs.field(validator=_date)
    reference: str | None = attrs.field(default=None, validator=attrs.validators.optional(non_empty_text))


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Party:
    """An organisation in an engagement.

    Attributes:
        id: A short id unique within the engagement (``helix-cro``).
        name: The organisation's name.
        kind: Sponsor, CRO, FSP, central lab or other vendor.
        address: Its address, as transfer statements ask for it.
        agreement: The written agreement with the sponsor (none for the sponsor itself).

    >>> Party(id="lumen-bio", name="Lumen Bio", kind="sponsor").kind
    <PartyKind.SPONSOR: 'sponsor'>
    """

    id: str = attrs.field(validator=_party_id)
    name: str = attrs.field(validator=non_empty_text)
    kind: PartyKind = attrs.field(converter=_kind)
    address: str | None = attrs.field(default=None, validator=attrs.validators.optional(non_empty_text))
    agreement: Agreement | None = attrs.field(default=None, validator=_agreement)

    def __attrs_post_init__(self) -> None:
        if self.kind is PartyKind.SPONSOR and self.agreement is not None:
            raise ValidationError.at("agreement", "the sponsor has no agreement with itself; leave it out")


def all_of(kind: type, noun: str) -> Any:
    """An attrs validator: every item of a tuple field is a *kind*, else a ValidationError at its index."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
        for index, item in enumerate(value):
            if not isinstance(item, kind):
                raise ValidationError.at(f"{attribute.name}[{index}]", f"expected {noun}, got {item!r}")

    return check
