"""The obligation catalogue a ledger is checked against: the registry's obligations, plus any extra.

The obligations themselves are registry entries (:class:`crokit.vocabulary.Obligation`,
crokit's built-ins being the sponsor obligations of 21 CFR 312.50 to 312.59, each with
its citation); extensions add their own through the registry, or a caller passes
*extra* ones for one ledger.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from crokit.errors import DuplicateIdError, UnknownIdError, ValidationError
from crokit.registry import Registry
from crokit.vocabulary.obligations import Obligation

__all__ = ["builtin_obligations", "obligation_catalogue"]


def builtin_obligations() -> tuple[Obligation, ...]:
    """The built-in catalogue: the sponsor obligations of 21 CFR 312.50-312.59, in regulation order."""
    return Registry.builtin().obligations


def obligation_catalogue(
    extra: Iterable[Obligation] = (), *, registry: Registry | None = None
) -> Mapping[str, Obligation]:
    """The obligations of *registry* (crokit's built-ins by default) plus *extra* ones, by id.

    An id given twice is refused.

    >>> len(obligation_catalogue())
    10
    """
    catalogue: dict[str, Obligation] = {}
    known = registry.obligations if registry is not None else builtin_obligations()
    for obligation in (*known, *extra):
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
