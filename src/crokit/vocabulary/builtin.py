"""The vocabulary crokit ships with: CRO categories, services, therapeutic areas, agencies.

These built-in entries give every crokit user the same starting words for what CROs
sell, how they are organised, which therapeutic areas the published benchmark sources
name, which agencies regulate the work and which submissions gate each stage. All ids
live in the ``crokit:`` namespace.

The entries are data, not code: one TOML file per kind in ``crokit/vocabulary/data``
(``services.toml``, ``categories.toml``, ``areas.toml``, ``regulators.toml``,
``submissions.toml``, ``engagement-models.toml``, ``criteria.toml``,
``questions.toml``), read on first use through the same reader an extension's data
files go through (:meth:`crokit.Registry.with_vocabulary`). The constants below are the
kinds of :meth:`crokit.Registry.builtin`, in file order, built on first access.

The set is open: a downstream package adds its own services, areas, categories,
agencies or engagement models (in its own namespace, ``acme:vector-shedding``) through
the :class:`~crokit.Registry`, in Python or as TOML files of the same format (see
``docs/extending.md``). Every constant is an immutable tuple of frozen values.

>>> from crokit.vocabulary.builtin import BUILTIN_SERVICES
>>> BUILTIN_SERVICES[0].id
'crokit:protocol-design'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from crokit.vocabulary.terms import (
    CroCategory,
    EngagementModel,
    Regulator,
    Service,
    Submission,
    TherapeuticArea,
)

__all__ = [
    "BUILTIN_AREAS",
    "BUILTIN_CATEGORIES",
    "BUILTIN_ENGAGEMENT_MODELS",
    "BUILTIN_REGULATORS",
    "BUILTIN_SERVICES",
    "BUILTIN_SUBMISSIONS",
]

if TYPE_CHECKING:
    BUILTIN_SERVICES: tuple[Service, ...]
    """The services CROs sell, from toxicology to post-marketing pharmacovigilance, with the
    stages each applies to, the categories that usually offer it and how it is usually priced."""
    BUILTIN_CATEGORIES: tuple[CroCategory, ...]
    """Kinds of CRO. Not exclusive: one provider may belong to several (a specialty oncology
    CRO is usually clinical too). A CDMO is not a CRO category; see
    :class:`~crokit.vocabulary.ProviderKind`."""
    BUILTIN_AREAS: tuple[TherapeuticArea, ...]
    """Therapeutic areas, one canonical id each, with the names the reference sources use as aliases."""
    BUILTIN_REGULATORS: tuple[Regulator, ...]
    """Agencies that regulate clinical research and marketing authorisation."""
    BUILTIN_SUBMISSIONS: tuple[Submission, ...]
    """Submissions that gate a stage: trial applications and marketing applications."""
    BUILTIN_ENGAGEMENT_MODELS: tuple[EngagementModel, ...]
    """How sponsors engage CROs: full-service, functional service provision and its variants, hybrid."""

_KINDS: Final = {
    "BUILTIN_AREAS": TherapeuticArea.registry_kind,
    "BUILTIN_CATEGORIES": CroCategory.registry_kind,
    "BUILTIN_ENGAGEMENT_MODELS": EngagementModel.registry_kind,
    "BUILTIN_REGULATORS": Regulator.registry_kind,
    "BUILTIN_SERVICES": Service.registry_kind,
    "BUILTIN_SUBMISSIONS": Submission.registry_kind,
}


def __getattr__(name: str) -> tuple[Any, ...]:
    """Build a ``BUILTIN_*`` constant from the built-in registry on first access."""
    kind = _KINDS.get(name)
    if kind is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from crokit.registry import Registry

    value = Registry.builtin().all(kind)
    globals()[name] = value
    return value
