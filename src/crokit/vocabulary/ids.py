"""Typed ids for the open vocabularies, and their syntax.

An id is a namespaced string, ``namespace:name`` in lower case with hyphens
(``crokit:patient-recruitment``, ``acme:vector-shedding``). The ``NewType`` aliases
below cost nothing at run time; they let the serialization layer check each id against
the registry it was built from, and let mypy keep a service id from being passed where
an area id is wanted.
"""

from __future__ import annotations

import re
from typing import Final, NewType

from crokit.errors import ValidationError

__all__ = [
    "ID_PATTERN",
    "AreaId",
    "CategoryId",
    "EngagementModelId",
    "RegulatorId",
    "ServiceId",
    "SubmissionId",
    "check_id",
]

ServiceId = NewType("ServiceId", str)
"""Id of a :class:`~crokit.vocabulary.Service` (``crokit:biostatistics``)."""
CategoryId = NewType("CategoryId", str)
"""Id of a :class:`~crokit.vocabulary.CroCategory` (``crokit:full-service``)."""
AreaId = NewType("AreaId", str)
"""Id of a :class:`~crokit.vocabulary.TherapeuticArea` (``crokit:oncology``)."""
RegulatorId = NewType("RegulatorId", str)
"""Id of a :class:`~crokit.vocabulary.Regulator` (``crokit:fda``)."""
SubmissionId = NewType("SubmissionId", str)
"""Id of a :class:`~crokit.vocabulary.Submission` (``crokit:ind``)."""
EngagementModelId = NewType("EngagementModelId", str)
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
