"""Benchmark figures: the measure constants and :class:`Figure`, one published number with its citation.

A :class:`Figure` is one published number (a cost per patient, a phase duration, a
phase-transition probability, ...) with the :class:`~crokit.reference.Citation` it comes
from, its unit, its dollar year where it is money, the therapeutic area and phase it is
for, and a note on how it was verified; values are exact :class:`~decimal.Decimal`
numbers, never floats. The measure names (:data:`COST_PER_PATIENT`, ...), the
:data:`NON_ONCOLOGY` pseudo-area, the :data:`LONG_COLUMNS` of the long CSV shape and the
small area and phase label helpers the table shares live here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Final

import attrs

from crokit._decimal import to_decimal
from crokit._typed import typed_fields
from crokit.errors import ValidationError
from crokit.reference.sources import Citation
from crokit.registry import Registry
from crokit.vocabulary.lifecycle import Stage, _as_stage

__all__ = [
    "COST_PER_PATIENT",
    "Figure",
    "LIKELIHOOD_OF_APPROVAL",
    "LONG_COLUMNS",
    "NON_ONCOLOGY",
    "PHASE_DURATION",
    "PHASE_TRANSITIONS",
    "TRANSITION_PROBABILITY",
]

COST_PER_PATIENT: Final = "cost-per-patient"
"""Measure: clinical cost per patient of a phase (Sertkaya et al. 2024, 2018 USD)."""
PHASE_DURATION: Final = "phase-duration"
"""Measure: duration of a phase in months (Sertkaya et al. 2024)."""
TRANSITION_PROBABILITY: Final = "transition-probability"
"""Measure: probability of moving from the figure's phase to the next (BIO 2021, BIO 2016)."""
LIKELIHOOD_OF_APPROVAL: Final = "likelihood-of-approval"
"""Measure: likelihood of approval from Phase 1, the product of the four transition rates."""
PHASE_TRANSITIONS: Final = "phase-transitions"
"""Measure: number of phase transitions a success-rate figure is based on (BIO 2016)."""

NON_ONCOLOGY: Final = "aggregate:non-oncology"
"""The pseudo-area of BIO 2016's "non-oncology" aggregate row (not a registry area)."""

LONG_COLUMNS: Final = (
    "source_id",
    "measure",
    "therapeutic_area",
    "phase",
    "value",
    "low",
    "high",
    "unit",
    "dollar_year",
    "statistic",
    "verification",
)
"""The columns of the long CSV shape read by :func:`load_table`, in their usual order."""
_AGGREGATES: Final[Mapping[str, str | None]] = {
    "": None,
    "all": None,
    "non-oncology": NON_ONCOLOGY,
    NON_ONCOLOGY: NON_ONCOLOGY,
}
_TRANSCRIPTION: Final = "third-party transcription"


def _optional_decimal(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, what="figure")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Figure:
    """One published (or user-supplied) benchmark figure with its citation.

    Attributes:
        source: Where the figure comes from.
        measure: What it measures (:data:`COST_PER_PATIENT`, :data:`PHASE_DURATION`,
            :data:`TRANSITION_PROBABILITY`, ``"cost-per-study"``, ...).
        value: The point figure (a mean, median or single reported number), or
            ``None`` for a figure published only as a range.
        unit: ``"USD"`` (an ISO 4217 code for money), ``"months"``, ``"probability"``
            (0 to 1), ``"percent"``, ``"count"``, ...
        dollar_year: The year whose dollars a money figure is in, or ``None`` when not
            money or not stated (the *verification* note then says so).
        therapeutic_area: Canonical area id, :data:`NON_ONCOLOGY`, or ``None`` for all
            areas together.
        phase: The lifecycle stage, or ``None`` for no particular phase.
        verification: How the figure was checked; contains ``"third-party
            transcription"`` for figures not read in the primary source.
        low: Lower end of a published range or interquartile range, if any.
        high: Upper end of a published range or interquartile range, if any.
        statistic: What *value*, *low* and *high* are (``"median; low-high is the
            interquartile range"``), where the source says.
        source_area: The area as the source names it (``"anti-infective"``).
        origin: Where the figure was read: ``file:row N:column``.

    Raises:
        ValidationError: If none of *value*, *low*, *high* is given or they are out of
            order.
        InvalidAmountError: If a number is a float or not finite.

    Measures:
        ``cost-per-patient`` (USD, 2018 dollars), ``phase-duration`` (months),
        ``transition-probability`` and ``likelihood-of-approval`` (probability from 0 to
        1, as printed: the likelihood is not recomputed), ``phase-transitions`` (count);
        from ``cost-ranges.csv``: ``cost-per-study`` (Sertkaya et al. 2016 ranges, Martin et
        al. 2017 medians: pass ``source=``), ``cost-share-*`` (percent ranges),
        ``pivotal-trial-cost`` and ``pivotal-trial-cost-per-patient`` (medians with the
        IQR as ``low``/``high``), ``protocols-analysed``,
        ``protocols-with-substantial-amendment`` (percent),
        ``cost-per-substantial-amendment``, ``sites-per-trial``, ``recruitment-rate``
        (patients per site per month) and ``recruitment-duration`` (months).
        :attr:`Figure.statistic` says what each number is where the notes say.

    Verification:
        Every figure's ``verification`` says how it was checked. BIO 2021 rows whose note
        reads "loa read in the source; other cells third-party transcription" are split by
        cell: the cells read in the source say ``"read in the source"``, the others keep the
        transcription wording, and only those get a :attr:`Figure.caveat`.
    """

    source: Citation = attrs.field(validator=attrs.validators.instance_of(Citation))
    measure: str
    value: Decimal | None = attrs.field(converter=_optional_decimal)
    unit: str
    dollar_year: int | None
    therapeutic_area: str | None
    phase: Stage | None = attrs.field(converter=_as_stage)
    verification: str
    low: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    high: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    statistic: str | None = None
    source_area: str | None = None
    origin: str = ""

    def __attrs_post_init__(self) -> None:
        """Check that the figure has a number and its range is in order."""
        if self.value is None and self.low is None and self.high is None:
            raise ValidationError.at("value", "expected a value, or a low and/or high end of a range; all are empty")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValidationError.at("low", f"the low end {self.low} is above the high end {self.high}")
        if self.value is not None:
            if self.low is not None and self.value < self.low:
                raise ValidationError.at("value", f"{self.value} is below the low end {self.low}")
            if self.high is not None and self.value > self.high:
                raise ValidationError.at("value", f"{self.value} is above the high end {self.high}")

    @property
    def is_transcription(self) -> bool:
        """Whether the figure was taken from a third-party transcription, not the primary source."""
        return _TRANSCRIPTION in self.verification.lower()

    @property
    def caveat(self) -> str | None:
        """A sentence to show with a transcribed figure, or ``None`` if it needs none.

        >>> from crokit.reference import load_published
        >>> figure = load_published().transition_probability(Stage.PHASE_1, "oncology")
        >>> figure.caveat is not None
        True
        """
        if not self.is_transcription:
            return None
        return (
            f"This figure is from a third-party transcription of {self.source.short}: it agrees with the "
            "verified headline numbers but was not read in the primary source."
        )

    @property
    def phase_label(self) -> str:
        """The phase for people: ``"Phase 2"``, or ``"no particular phase"``."""
        return _phase_label(self.phase)

    @property
    def area_label(self) -> str:
        """The area for people: ``"all areas"``, ``"non-oncology"`` or the area id."""
        return _area_label(self.therapeutic_area)

    def __str__(self) -> str:
        """Render as ``'Phase 2 cost-per-patient, crokit:oncology: 78753 USD (2018 dollars); <source>'``."""
        phase = self.phase.label if self.phase is not None else "any phase"
        if self.value is not None:
            number = str(self.value)
            if self.low is not None or self.high is not None:
                number += f" ({_range_text(self.low, self.high)})"
        else:
            number = _range_text(self.low, self.high)
        text = f"{phase} {self.measure}, {self.area_label}: {number} {self.unit}"
        if self.dollar_year is not None:
            text += f" ({self.dollar_year} dollars)"
        return f"{text}; {self.source.short}"


def _range_text(low: Decimal | None, high: Decimal | None) -> str:
    if low is None:
        return f"up to {high}"
    if high is None:
        return f"at least {low}"
    return f"{low}-{high}"


def _area_label(area: str | None) -> str:
    if area is None:
        return "all areas"
    if area == NON_ONCOLOGY:
        return "non-oncology"
    return area


def _resolve_area(area: str | None, registry: Registry, *, path: str = "area") -> str | None:
    """The canonical area id (or aggregate) of *area*; raises UnknownIdError for an unknown area."""
    if area is None:
        return None
    key = area.strip().lower()
    if key in _AGGREGATES:
        return _AGGREGATES[key]
    return registry.area(area, path=path).id


def _phase_label(phase: Stage | None) -> str:
    return phase.label if phase is not None else "no particular phase"
