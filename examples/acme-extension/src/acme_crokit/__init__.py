"""Acme's crokit extension: services for cell and gene therapy trials."""

from __future__ import annotations

from crokit import CroCategory, Registry, Service, Stage, UnitBasis

__all__ = ["extend"]

_CLINICAL = frozenset({Stage.PHASE_1, Stage.PHASE_1_2, Stage.PHASE_2, Stage.PHASE_2_3, Stage.PHASE_3})


def extend(registry: Registry) -> Registry:
    """Return *registry* with Acme's category and services added."""
    return registry.with_entries(
        CroCategory(
            id="acme:gene-therapy",
            name="Gene-therapy specialist",
            description="CROs that run viral-vector and gene-editing trials end to end.",
            stages=_CLINICAL | {Stage.PRECLINICAL, Stage.PHASE_4},
            typical_services=("acme:vector-shedding", "acme:long-term-follow-up"),
            focus_areas=("crokit:cell-and-gene-therapy",),
        ),
        Service(
            id="acme:vector-shedding",
            name="Vector shedding studies",
            description="Sampling and assays that measure viral-vector shedding in patient excreta.",
            stages=_CLINICAL,
            categories=("acme:gene-therapy",),
            unit_bases=frozenset({UnitBasis.PER_SAMPLE, UnitBasis.PER_PATIENT_ENROLLED}),
        ),
        Service(
            id="acme:long-term-follow-up",
            name="Long-term follow-up",
            description="The 15-year follow-up regulators expect after gene-therapy dosing.",
            stages=frozenset({Stage.PHASE_4}),
            categories=("acme:gene-therapy",),
            unit_bases=frozenset({UnitBasis.PER_PATIENT_VISIT, UnitBasis.PER_MONTH}),
        ),
    )
