"""The top-level document types and their schema versions.

A :class:`DocumentSpec` names a document (the root of its error paths), gives its
current ``schema_version`` and the chain of migrations that upgrade older versions.
:data:`DOCUMENTS` holds the specs of the core's documents; :func:`document_spec` finds
the spec of any type, including the ones higher layers declare on the class itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from crokit._typed import typed_fields
from crokit.errors import SchemaVersionError, ValidationError
from crokit.provider import CroProfile
from crokit.study import Study

__all__ = ["DOCUMENTS", "DocumentSpec", "document_spec"]


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class DocumentSpec:
    """How a top-level document type is versioned.

    Attributes:
        name: The document's name, used as the root of error paths (``"study"``).
        version: The current ``schema_version``.
        migrations: ``{n: upgrade}`` where ``upgrade`` turns a version-*n* mapping
            into a version-*n+1* mapping.
        precheck: Called with the upgraded mapping and the registry before the document
            is structured; raises one clear error for a problem that would otherwise
            show as many (a scenario's ``requires`` naming a missing extension).
    """

    name: str
    version: int
    migrations: Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]] = attrs.field(factory=dict)
    precheck: Callable[[Mapping[str, Any], Any], None] | None = None

    def upgrade(self, data: dict[str, Any]) -> dict[str, Any]:
        """Check ``schema_version`` in *data*, upgrade it to :attr:`version`, and drop the key.

        Raises:
            SchemaVersionError: If the version is missing, malformed, newer than
                :attr:`version`, or has no migration path.
            ValidationError: If a migration finds data it cannot upgrade, with its path
                under :attr:`name`.
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
            try:
                result = migrate(result)
            except ValidationError as exc:  # a migration names paths inside the document
                raise exc.with_prefix(self.name) from None
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
