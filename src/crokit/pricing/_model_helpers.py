"""Helpers shared by the pricing models: field validators, service look-up and checks.

The attrs validators and converters the :class:`~crokit.pricing.UnitPrice`,
:class:`~crokit.pricing.PassThrough` and :class:`~crokit.pricing.FixedFee` models have
in common (service ids, non-negative money, optional numbers), looking a service up in
the registry with an error path, joining error paths, checking that the cost drivers
were derived from the study being priced, and routing investigator grants to their
pricing kind and cost bucket.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

import attrs

from crokit._decimal import to_decimal
from crokit.errors import ValidationError
from crokit.pricing.budget import CostBucket, PricingKind
from crokit.pricing.drivers import CostDrivers
from crokit.registry import Registry
from crokit.study import Study
from crokit.vocabulary.ids import check_id
from crokit.vocabulary.terms import Service, UnitBasis

__all__ = [
    "_bases",
    "_check_drivers",
    "_grants_or",
    "_join",
    "_lookup",
    "_optional_decimal",
    "_service",
]

_GRANTS: Final = "crokit:investigator-grants"


def _service(_instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    check_id(value, path=attribute.name)


def _optional_decimal(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, what="number")


def _bases(service: Service) -> str:
    listed = [basis.value for basis in UnitBasis if basis in service.unit_bases]
    return f"usually priced {', '.join(listed)}" if listed else "the registry lists no usual unit basis for it"


def _lookup(registry: Registry, service_id: str, path: str) -> Service:
    return registry.service(service_id, path=_join(path, "service"))


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _check_drivers(study: Study, drivers: CostDrivers) -> None:
    facts = {
        "sites": (study.sites, drivers.sites.value),
        "planned_patients": (study.planned_patients, drivers.patients_enrolled.value),
        "countries": (len(study.countries), drivers.countries.value),
    }
    for name, (expected, found) in facts.items():
        if Decimal(expected) != found:
            raise ValidationError.at(
                "drivers",
                f"the drivers were derived from another study: they count {found} {name}, the study {expected}",
            )


def _grants_or(service: Service, kind: PricingKind, bucket: CostBucket) -> tuple[PricingKind, CostBucket]:
    if service.id == _GRANTS:
        return PricingKind.GRANTS, CostBucket.INVESTIGATOR_GRANTS
    return kind, bucket
