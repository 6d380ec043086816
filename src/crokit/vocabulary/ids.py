"""Typed ids for the open vocabularies, and their syntax.

An id is a namespaced string, ``namespace:name`` in lower case with hyphens
(``crokit:patient-recruitment``, ``acme:vector-shedding``). The aliases below are plain
``str`` to type checkers (so a notebook user passes ``"crokit:oncology"`` directly),
and carry a :class:`RegistryKind` marker that the serialization layer reads to check
each id against the registry it was built from.
"""

from __future__ import annotations

import re
from typing import Annotated, Final

import attrs

from crokit._typed import typed_fields
from crokit.errors import ValidationError

__all__ = [
    "ID_PATTERN",
    "RegistryKind",
    "AreaId",
    "CategoryId",
    "EngagementModelId",
    "RegulatorId",
    "ServiceId",
    "SubmissionId",
    "check_id",
]


@attrs.frozen(field_transformer=typed_fields)
class RegistryKind:
    """Marks a ``str`` annotation as an id of one registry kind (``"service"``, ``"area"``, ...)."""

    kind: str


ServiceId = Annotated[str, RegistryKind("service")]
"""Id of a :class:`~crokit.vocabulary.Service` (``crokit:biostatistics``)."""
CategoryId = Annotated[str, RegistryKind("category")]
"""Id of a :class:`~crokit.vocabulary.CroCategory` (``crokit:full-service``)."""
AreaId = Annotated[str, RegistryKind("area")]
"""Id of a :class:`~crokit.vocabulary.TherapeuticArea` (``crokit:oncology``)."""
RegulatorId = Annotated[str, RegistryKind("regulator")]
"""Id of a :class:`~crokit.vocabulary.Regulator` (``crokit:fda``)."""
SubmissionId = Annotated[str, RegistryKind("submission")]
"""Id of a :class:`~crokit.vocabulary.Submission` (``crokit:ind``)."""
EngagementModelId = Annotated[str, RegistryKind("engagement-model")]
"""Id of an :class:`~crokit.vocabulary.EngagementModel` (``crokit:fsp``)."""

ID_PATTERN: Final = re.compile(r"^[a-z][a-z0-9_-]{0,39}:[a-z0-9][a-z0-9-]{0,79}$")
"""``namespace:name``: lower-case letters, digits and hyphens; the namespace names the
package that defines the entry (``crokit`` for built-ins)."""


def check_id(value: object, *, path: str = "id") -> str:
    """Return *value* if it is a well-formed namespaced id, else raise ValidationError."""
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise ValidationError.at(
            path, f"expected a namespaced id like 'crokit:patient-recruitment' (lower case, hyphens), got {value!r}"
        )
    return value
