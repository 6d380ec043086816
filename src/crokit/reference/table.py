"""The :class:`BenchmarkTable`: a named collection of benchmark figures with lookups by phase and area.

A :class:`BenchmarkTable` holds :class:`~crokit.reference.figures.Figure` values and
looks one up by measure, phase and therapeutic area (an id, an alias, ``"all"`` or
``None``) and, where several sources give the same measure, by source id; a lookup that
finds nothing says which phases and areas do have a figure and never falls back from an
area to its parent or to the aggregate. The lookup helper ``_find`` is shared with
:func:`~crokit.reference.check.check_cost_per_patient`.
"""

from __future__ import annotations

import attrs

from crokit._convert import to_tuple
from crokit._typed import typed_fields
from crokit.errors import Problem, UnknownIdError, ValidationError
from crokit.reference.figures import (
    COST_PER_PATIENT,
    LIKELIHOOD_OF_APPROVAL,
    NON_ONCOLOGY,
    PHASE_DURATION,
    TRANSITION_PROBABILITY,
    Figure,
    _area_label,
    _phase_label,
    _resolve_area,
)
from crokit.registry import Registry
from crokit.vocabulary.lifecycle import Stage

__all__ = ["BenchmarkTable"]


def _phase_key(phase: Stage | None) -> int:
    return -1 if phase is None else phase.order


def _area_key(area: str | None) -> tuple[int, str]:
    return (0, "") if area is None else (1, area)


@attrs.frozen(field_transformer=typed_fields)
class BenchmarkTable:
    """A named, immutable collection of :class:`Figure` values with lookups.

    Each lookup takes the phase, an area (id, alias, ``"all"`` or ``None``) and,
    optionally, the source id to use when several sources give the same measure.

    Raises (every lookup):
        UnknownIdError: Of kind ``"benchmark"`` if the table has no figure of that
            measure or none from that source (``choices`` lists what exists), or of
            kind ``"area"`` if the registry does not know the area.
        ValidationError: At ``phase`` or ``area`` if the table has the measure but not
            for that phase or area, naming the phases or areas that do exist; at
            ``source`` if several sources match and none was chosen.

    Areas:
        Areas are given as a canonical id (``"crokit:infectious-disease"``) or any alias the
        registry knows (``"anti-infective"``, ``"oncology"``), resolved with
        :meth:`crokit.registry.Registry.area` (:meth:`~crokit.registry.Registry.builtin` by
        default). Two aggregate rows of the sources are not therapeutic areas: ``"all"``
        (every area together) is stored as ``therapeutic_area=None`` and looked up with
        ``"all"`` or ``None``; BIO 2016's ``"non-oncology"`` is stored as the pseudo-area
        :data:`NON_ONCOLOGY` (``"aggregate:non-oncology"``) and looked up with
        ``"non-oncology"``. A lookup never falls back from an area to its parent or to the
        aggregate: asking for neurology when only central nervous system is published is an
        error that names what exists.

    Phases:
        Figures use :class:`~crokit.vocabulary.Stage`. Sertkaya et al. 2024's "FDA review"
        duration is filed under ``Stage.SUBMISSION``. A transition probability is filed
        under the phase it starts from: ``PHASE_1`` is Phase 1 to Phase 2, ``PHASE_2`` is
        Phase 2 to Phase 3, ``PHASE_3`` is Phase 3 to submission and ``SUBMISSION`` is
        submission to approval. The likelihood of approval is filed under ``PHASE_1``
        (from Phase 1). Figures for no particular phase have ``phase=None``.

    Attributes:
        figures: The figures, in the order read.
        name: What the table is, for messages (``"crokit published reference figures"``).
    """

    figures: tuple[Figure, ...] = attrs.field(converter=to_tuple)
    name: str

    @property
    def measures(self) -> tuple[str, ...]:
        """Every measure in the table, sorted."""
        return tuple(sorted({figure.measure for figure in self.figures}))

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source id in the table, sorted."""
        return tuple(sorted({figure.source.id for figure in self.figures}))

    def select(self, *, measure: str | None = None, source: str | None = None) -> tuple[Figure, ...]:
        """The figures of *measure* and/or from *source* (all figures if neither is given)."""
        return tuple(
            figure
            for figure in self.figures
            if (measure is None or figure.measure == measure) and (source is None or figure.source.id == source)
        )

    def cost_per_patient(
        self, phase: Stage, area: str | None, *, source: str | None = None, registry: Registry | None = None
    ) -> Figure:
        """The clinical cost per patient of *phase* in *area* (Sertkaya et al. 2024: 2018 USD).

        >>> from crokit.reference import load_published
        >>> load_published().cost_per_patient(Stage.PHASE_1, "anti-infective").value
        Decimal('19399')
        """
        return self.lookup(COST_PER_PATIENT, phase, area, source=source, registry=registry)

    def phase_duration_months(
        self, phase: Stage, area: str | None, *, source: str | None = None, registry: Registry | None = None
    ) -> Figure:
        """The duration of *phase* in *area*, in months (``Stage.SUBMISSION``: FDA review).

        >>> from crokit.reference import load_published
        >>> load_published().phase_duration_months(Stage.PHASE_3, "oncology").value
        Decimal('57.7')
        """
        return self.lookup(PHASE_DURATION, phase, area, source=source, registry=registry)

    def transition_probability(
        self, from_phase: Stage, area: str | None, source: str | None = "bio-2021", *, registry: Registry | None = None
    ) -> Figure:
        """The probability of moving on from *from_phase* in *area* (a value from 0 to 1).

        ``PHASE_1``: to Phase 2; ``PHASE_2``: to Phase 3; ``PHASE_3``: to submission;
        ``SUBMISSION``: to approval. *source* is ``"bio-2021"`` (the default) or
        ``"bio-2016"``; ``None`` accepts any source if only one matches.
        """
        return self.lookup(TRANSITION_PROBABILITY, from_phase, area, source=source, registry=registry)

    def likelihood_of_approval(
        self, area: str | None, source: str | None = "bio-2021", *, registry: Registry | None = None
    ) -> Figure:
        """The likelihood of approval from Phase 1 in *area*, as published (not recomputed).

        >>> from crokit.reference import load_published
        >>> load_published().likelihood_of_approval("all").value
        Decimal('0.079')
        """
        return self.lookup(LIKELIHOOD_OF_APPROVAL, Stage.PHASE_1, area, source=source, registry=registry)

    def lookup(
        self,
        measure: str,
        phase: Stage | None,
        area: str | None,
        *,
        source: str | None = None,
        registry: Registry | None = None,
    ) -> Figure:
        """The one figure of *measure* for *phase* and *area* (and *source*, if given).

        The named lookups (:meth:`cost_per_patient`, ...) call this; use it directly for
        the other measures (``"cost-per-study"``, ...) or your own table's measures.
        """
        found = _find(self, measure, phase, area, source=source, registry=registry)
        if isinstance(found, Problem):
            raise ValidationError([found])
        return found


def _find(
    table: BenchmarkTable,
    measure: str,
    phase: Stage | None,
    area: str | None,
    *,
    source: str | None,
    registry: Registry | None,
) -> Figure | Problem:
    """The matching figure, or the problem saying which phases and areas do have one."""
    registry = Registry.builtin() if registry is None else registry
    area_id = _resolve_area(area, registry)
    candidates = table.select(measure=measure)
    if not candidates:
        raise UnknownIdError("benchmark", measure, choices=table.measures, path="measure")
    if source is not None:
        from_source = tuple(figure for figure in candidates if figure.source.id == source)
        if not from_source:
            known = sorted({figure.source.id for figure in candidates})
            raise UnknownIdError("benchmark", source, choices=known, path="source")
        candidates = from_source
    matches = [figure for figure in candidates if figure.phase == phase and figure.therapeutic_area == area_id]
    what = measure.replace("-", " ") + (f" from {source}" if source else "")
    wanted = f"{_phase_label(phase)} in {_area_label(area_id)}"
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(sorted({figure.source.id for figure in matches}))
        return Problem(
            path="source",
            message=f"{len(matches)} figures of {what} in {table.name} match {wanted}; choose one with "
            f"source= ({names})",
        )
    at_phase = [figure for figure in candidates if figure.phase == phase]
    in_area = [figure for figure in candidates if figure.therapeutic_area == area_id]
    phases = sorted({figure.phase for figure in in_area or candidates}, key=_phase_key)
    areas = sorted({figure.therapeutic_area for figure in at_phase or candidates}, key=_area_key)
    message = (
        f"no {what} in {table.name} for {wanted}; figures exist for phases"
        + (f" (in {_area_label(area_id)})" if in_area else "")
        + ": "
        + ", ".join(_phase_label(p) for p in phases)
        + "; for areas"
        + (f" (at {_phase_label(phase)})" if at_phase else "")
        + ": "
        + ", ".join("all" if a is None else _area_label(a) for a in areas)
    )
    parent = registry.area(area_id).parent if area_id is not None and area_id != NON_ONCOLOGY else None
    if parent is not None and parent in areas:
        message += f" ({area_id} is part of {parent}, which has one; crokit does not substitute it)"
    return Problem(path="area" if at_phase else "phase", message=message)
