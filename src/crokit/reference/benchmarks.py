"""Published benchmark figures, each carried with its citation, and checks against them.

A :class:`Figure` is one published number (a cost per patient, a phase duration, a
phase-transition probability, ...) with the :class:`~crokit.reference.Citation` it comes
from, its unit, its dollar year where it is money, the therapeutic area and phase it is
for, and a note on how it was verified. Values are exact :class:`~decimal.Decimal`
numbers parsed from the data files' text, never floats.

A :class:`BenchmarkTable` holds figures and looks them up by phase and area.
:func:`load_published` returns the figures crokit ships; :func:`load_table` reads a
table of your own (a company's historical costs, say) in the long CSV shape below.
:func:`check_cost_per_patient` compares a cost per patient with the published figure.

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

The long CSV shape (:func:`load_table`, and crokit's own ``cost-ranges.csv``) has one
figure per row and the header::

    source_id,measure,therapeutic_area,phase,value,low,high,unit,dollar_year,statistic,verification

``source_id``, ``measure`` and ``unit`` are required and at least one of ``value``,
``low`` and ``high``; the other cells may be empty. ``phase`` is a stage id such as
``phase-2``; ``therapeutic_area`` is an area id, an alias, ``all`` or empty (all areas).

>>> table = load_published()
>>> table.cost_per_patient(Stage.PHASE_2, "oncology").value
Decimal('78753')
>>> table.transition_probability(Stage.PHASE_2, "all", "bio-2016").value
Decimal('0.307')
"""

from __future__ import annotations

import csv
import functools
import io
import os
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Final

import attrs

from crokit._convert import to_tuple
from crokit._decimal import CONTEXT, to_decimal
from crokit.errors import InputFileError, InvalidAmountError, Problem, UnknownIdError, ValidationError
from crokit.money import CURRENCIES, FxTable, Money
from crokit.reference.sources import SOURCES, Citation
from crokit.registry import Registry
from crokit.vocabulary.lifecycle import Stage

__all__ = [
    "BenchmarkCheck",
    "BenchmarkTable",
    "COST_PER_PATIENT",
    "Figure",
    "LIKELIHOOD_OF_APPROVAL",
    "LONG_COLUMNS",
    "NON_ONCOLOGY",
    "NoBenchmark",
    "PHASE_DURATION",
    "PHASE_TRANSITIONS",
    "PUBLISHED_FILES",
    "TRANSITION_PROBABILITY",
    "check_cost_per_patient",
    "load_published",
    "load_table",
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
_REQUIRED_COLUMNS: Final = ("source_id", "measure", "unit")
_AGGREGATES: Final[Mapping[str, str | None]] = {
    "": None,
    "all": None,
    "non-oncology": NON_ONCOLOGY,
    NON_ONCOLOGY: NON_ONCOLOGY,
}
_TRANSCRIPTION: Final = "third-party transcription"
_FIRST_YEAR: Final = 1900
_LAST_YEAR: Final = 2100


def _optional_decimal(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, what="figure")


@attrs.frozen(kw_only=True)
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
    """

    source: Citation = attrs.field(validator=attrs.validators.instance_of(Citation))
    measure: str
    value: Decimal | None = attrs.field(converter=_optional_decimal)
    unit: str
    dollar_year: int | None
    therapeutic_area: str | None
    phase: Stage | None
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


def _phase_key(phase: Stage | None) -> int:
    return -1 if phase is None else phase.order


def _area_key(area: str | None) -> tuple[int, str]:
    return (0, "") if area is None else (1, area)


@attrs.frozen
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

        >>> load_published().cost_per_patient(Stage.PHASE_1, "anti-infective").value
        Decimal('19399')
        """
        return self.lookup(COST_PER_PATIENT, phase, area, source=source, registry=registry)

    def phase_duration_months(
        self, phase: Stage, area: str | None, *, source: str | None = None, registry: Registry | None = None
    ) -> Figure:
        """The duration of *phase* in *area*, in months (``Stage.SUBMISSION``: FDA review).

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


@attrs.frozen(kw_only=True)
class NoBenchmark:
    """No figure exists to compare with; *reason* says what does exist.

    Attributes:
        reason: Why there is no benchmark and which figures exist instead.
    """

    reason: str

    def __str__(self) -> str:
        """The reason."""
        return self.reason


@attrs.frozen(kw_only=True)
class BenchmarkCheck:
    """A cost per patient compared with a published figure.

    Attributes:
        ratio: ``cost_per_patient / benchmark.value``, exact to 34 significant digits
            (1.25 means 25% above the benchmark).
        cost_per_patient: The cost compared, in the benchmark's currency (after
            conversion, if one was needed).
        benchmark: The figure compared with.
        message: A sentence for people that names the source and says that no
            inflation adjustment was applied.
    """

    ratio: Decimal
    cost_per_patient: Money
    benchmark: Figure
    message: str

    def __str__(self) -> str:
        """The message."""
        return self.message


def check_cost_per_patient(
    cost_per_patient: Money,
    phase: Stage,
    area: str | None,
    *,
    table: BenchmarkTable | None = None,
    source: str | None = None,
    fx: FxTable | None = None,
    on: date | None = None,
    registry: Registry | None = None,
) -> BenchmarkCheck | NoBenchmark:
    """Compare *cost_per_patient* with the published cost per patient of *phase* in *area*.

    The published figures (Sertkaya et al. 2024, Table 1) are in 2018 US dollars. A
    cost in another currency is converted with *fx* at the rate in force *on* the given
    date (rounded to the cent); without both, the comparison is refused rather than
    made across currencies. No inflation adjustment is applied in either case: the
    cost is compared as given with a 2018-dollar figure, and the message says so.

    Args:
        cost_per_patient: The cost per patient to check.
        phase: The phase (``Stage.PHASE_1`` to ``Stage.PHASE_3`` are published).
        area: An area id or alias, or ``"all"``/``None`` for the all-areas figure.
        table: The figures to compare with; :func:`load_published` by default.
        source: The source id, if the table has several for this measure.
        fx: Exchange rates, needed when the cost is not in the figure's currency.
        on: The date to convert at, needed with *fx*.
        registry: Resolves area aliases; :meth:`Registry.builtin` by default.

    Returns:
        A :class:`BenchmarkCheck`, or :class:`NoBenchmark` naming the figures that do
        exist when there is none for this phase and area.

    Raises:
        ValidationError: At ``cost_per_patient`` if its currency differs from the
            figure's and *fx* or *on* is missing.
        MissingRateError: If *fx* has no rate for the pair on *on*.
        UnknownIdError: If *area* is not a known area.

    >>> check = check_cost_per_patient(Money("157506", "USD"), Stage.PHASE_2, "oncology")
    >>> check.ratio
    Decimal('2')
    """
    registry = Registry.builtin() if registry is None else registry
    table = load_published() if table is None else table
    if COST_PER_PATIENT not in table.measures:
        return NoBenchmark(reason=f"{table.name} has no {COST_PER_PATIENT} figures")
    found = _find(table, COST_PER_PATIENT, phase, area, source=source, registry=registry)
    if isinstance(found, Problem):
        return NoBenchmark(reason=found.message)
    benchmark = found
    value = benchmark.value
    if value is None or value <= 0:
        return NoBenchmark(reason=f"the figure has no positive point value to compare with: {benchmark}")
    currency = benchmark.unit
    if currency not in CURRENCIES:
        return NoBenchmark(reason=f"the figure's unit {currency!r} is not an ISO 4217 currency: {benchmark}")
    compared = cost_per_patient
    conversion = ""
    if cost_per_patient.currency != currency:
        if fx is None or on is None:
            raise ValidationError.at(
                "cost_per_patient",
                f"the cost is in {cost_per_patient.currency} but {benchmark.source.short} gives {currency}"
                + (f" of {benchmark.dollar_year}" if benchmark.dollar_year else "")
                + ": pass fx (an FxTable) and on (the date to convert at) to compare; crokit does not "
                "compare amounts in different currencies",
            )
        compared = fx.convert(cost_per_patient, currency, on)
        conversion = f" (converted from {cost_per_patient} at the rate in force on {on})"
    ratio = CONTEXT.divide(compared.amount, value)
    shown = ratio.quantize(Decimal("0.01"), context=CONTEXT)
    year = f" in {benchmark.dollar_year} dollars" if benchmark.dollar_year else ""
    message = (
        f"{compared}{conversion} per patient is {shown} times the published {benchmark.phase_label} cost per "
        f"patient for {benchmark.area_label}, {value} {currency}{year} ({benchmark.source.short}). "
        "No inflation adjustment is applied: the cost is compared as given with a figure in "
        + (f"{benchmark.dollar_year} dollars." if benchmark.dollar_year else "dollars of an unstated year.")
    )
    if benchmark.caveat:
        message += " " + benchmark.caveat
    return BenchmarkCheck(ratio=ratio, cost_per_patient=compared, benchmark=benchmark, message=message)


# --- reading tables -------------------------------------------------------------------


class _Rows:
    """Collects cell-addressed problems while reading one CSV file."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.problems: list[Problem] = []

    def problem(self, row: int, column: str, message: str) -> None:
        path = f"{self.file_name}:row {row}" + (f":{column}" if column else "")
        self.problems.append(Problem(path=path, message=message))

    def decimal(self, row: int, column: str, text: str) -> Decimal | None:
        if not text.strip():
            return None
        try:
            return to_decimal(text, what=column)
        except InvalidAmountError:
            self.problem(row, column, f"expected a decimal number, got {text!r}")
            return None

    def raise_if_any(self) -> None:
        if self.problems:
            raise ValidationError(self.problems)


def _dict_rows(text: str, rows: _Rows) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the data rows, numbered as in a spreadsheet (the header is row 1)."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        rows.problem(1, "", "the file is empty; expected a header row")
        return [], []
    result: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            rows.problem(number, "", f"has {len(cells)} cells but the header has {len(header)} columns")
            continue
        padded = [*cells, *([""] * (len(header) - len(cells)))]
        result.append((number, dict(zip(header, padded, strict=True))))
    return header, result


def _parse_stage(text: str) -> Stage | None:
    key = text.strip().lower()
    for stage in Stage:
        if key in {stage.value, stage.label.lower()}:
            return stage
    return None


def _check_header(header: list[str], rows: _Rows) -> None:
    missing = [column for column in _REQUIRED_COLUMNS if column not in header]
    if not {"value", "low", "high"} & set(header):
        missing.append("value")
    unknown = [column for column in header if column not in LONG_COLUMNS]
    expected = ",".join(LONG_COLUMNS)
    if missing:
        rows.problem(1, "", f"missing columns: {', '.join(missing)}; expected {expected}")
    if unknown:
        rows.problem(1, "", f"unknown columns: {', '.join(unknown)}; expected {expected}")


def _long_row(
    number: int,
    record: Mapping[str, str],
    rows: _Rows,
    sources: Mapping[str, Citation],
    registry: Registry,
) -> Figure | None:
    """One figure from a row of the long shape, or ``None`` after recording its problems."""
    before = len(rows.problems)
    cell = {column: record.get(column, "").strip() for column in LONG_COLUMNS}
    citation = sources.get(cell["source_id"])
    if citation is None:
        rows.problem(
            number,
            "source_id",
            f"unknown source {cell['source_id']!r}; known: {', '.join(sorted(sources))} "
            "(pass sources= to load_table to add your own Citation)",
        )
    for column in ("measure", "unit"):
        if not cell[column]:
            rows.problem(number, column, f"expected the {column}, got an empty cell")
    area: str | None = None
    try:
        area = _resolve_area(cell["therapeutic_area"], registry)
    except UnknownIdError as exc:
        rows.problem(number, "therapeutic_area", str(exc).removeprefix("area: "))
    phase = _parse_stage(cell["phase"]) if cell["phase"] else None
    if cell["phase"] and phase is None:
        stages = ", ".join(stage.value for stage in Stage)
        rows.problem(number, "phase", f"expected a stage id such as 'phase-2' ({stages}), got {cell['phase']!r}")
    numbers = {column: rows.decimal(number, column, cell[column]) for column in ("value", "low", "high")}
    year = cell["dollar_year"]
    dollar_year = int(year) if year.isdigit() and _FIRST_YEAR <= int(year) <= _LAST_YEAR else None
    if year and dollar_year is None:
        rows.problem(number, "dollar_year", f"expected a year such as 2018, got {year!r}")
    if len(rows.problems) > before or citation is None:
        return None
    try:
        return Figure(
            source=citation,
            measure=cell["measure"],
            value=numbers["value"],
            low=numbers["low"],
            high=numbers["high"],
            unit=cell["unit"],
            dollar_year=dollar_year,
            therapeutic_area=area,
            phase=phase,
            verification=cell["verification"],
            statistic=cell["statistic"] or None,
            source_area=cell["therapeutic_area"] or None,
            origin=f"{rows.file_name}:row {number}",
        )
    except ValidationError as exc:
        for problem in exc.problems:
            rows.problem(number, problem.path, problem.message)
        return None


def _parse_long(
    text: str,
    file_name: str,
    *,
    sources: Mapping[str, Citation],
    registry: Registry,
) -> tuple[Figure, ...]:
    """Read figures from the long CSV shape, collecting every bad cell."""
    rows = _Rows(file_name)
    header, records = _dict_rows(text, rows)
    if header:
        _check_header(header, rows)
    rows.raise_if_any()
    figures = [_long_row(number, record, rows, sources, registry) for number, record in records]
    rows.raise_if_any()
    return tuple(figure for figure in figures if figure is not None)


_SERTKAYA_COLUMNS: Final = {
    "phase1_months": (PHASE_DURATION, Stage.PHASE_1, "months", None),
    "phase2_months": (PHASE_DURATION, Stage.PHASE_2, "months", None),
    "phase3_months": (PHASE_DURATION, Stage.PHASE_3, "months", None),
    "fda_review_months": (PHASE_DURATION, Stage.SUBMISSION, "months", None),
    "phase4_months": (PHASE_DURATION, Stage.PHASE_4, "months", None),
    "phase1_cost_per_patient_usd2018": (COST_PER_PATIENT, Stage.PHASE_1, "USD", 2018),
    "phase2_cost_per_patient_usd2018": (COST_PER_PATIENT, Stage.PHASE_2, "USD", 2018),
    "phase3_cost_per_patient_usd2018": (COST_PER_PATIENT, Stage.PHASE_3, "USD", 2018),
}
_BIO_COLUMNS: Final = {
    "transitions": (PHASE_TRANSITIONS, None, "count"),
    "phase1_to_phase2": (TRANSITION_PROBABILITY, Stage.PHASE_1, "probability"),
    "phase2_to_phase3": (TRANSITION_PROBABILITY, Stage.PHASE_2, "probability"),
    "phase3_to_submission": (TRANSITION_PROBABILITY, Stage.PHASE_3, "probability"),
    "submission_to_approval": (TRANSITION_PROBABILITY, Stage.SUBMISSION, "probability"),
    "loa_from_phase1": (LIKELIHOOD_OF_APPROVAL, Stage.PHASE_1, "probability"),
}
_SERTKAYA_VERIFICATION: Final = "Table 1 of the source as recorded in crokit's reference data"


def _cell_verification(note: str, column: str) -> str:
    """The part of a row's verification note that applies to *column*.

    A note such as ``"phase2_to_phase3 and loa read in the source; other cells from one
    third-party transcription"`` is split, so the cells read in the source do not carry
    the transcription caveat and the other cells do.
    """
    head, separator, rest = note.partition("; other cells ")
    suffix = " read in the source"
    if not separator or not head.endswith(suffix):
        return note
    read = {name.strip() for name in head.removesuffix(suffix).split(" and ")}
    if any(column == name or column.startswith(f"{name}_") for name in read):
        return "read in the source"
    return rest


def _parse_wide(text: str, file_name: str, source_id: str, registry: Registry) -> tuple[Figure, ...]:
    """Read one of the published wide tables (Sertkaya 2024 Table 1, BIO 2021, BIO 2016)."""
    rows = _Rows(file_name)
    _header, records = _dict_rows(text, rows)
    citation = SOURCES[source_id]
    is_bio = source_id.startswith("bio-")
    figures: list[Figure] = []
    for number, record in records:
        name = record.get("group") if is_bio else record.get("therapeutic_area")
        area = _resolve_area(name or "", registry)
        note = record.get("verification", "")
        for column, text_value in record.items():
            if is_bio and column in _BIO_COLUMNS:
                measure, phase, unit = _BIO_COLUMNS[column]
                dollar_year = None
                verification = _cell_verification(note, column)
            elif not is_bio and column in _SERTKAYA_COLUMNS:
                measure, phase, unit, dollar_year = _SERTKAYA_COLUMNS[column]
                verification = _SERTKAYA_VERIFICATION
            else:
                continue
            value = rows.decimal(number, column, text_value)
            if value is None:
                continue
            figures.append(
                Figure(
                    source=citation,
                    measure=measure,
                    value=value,
                    unit=unit,
                    dollar_year=dollar_year,
                    therapeutic_area=area,
                    phase=phase,
                    verification=verification,
                    source_area=name,
                    origin=f"{file_name}:row {number}:{column}",
                )
            )
    rows.raise_if_any()
    return tuple(figures)


PUBLISHED_FILES: Final = (
    ("sertkaya-2024-table1.csv", "sertkaya-2024"),
    ("bio-2021-phase-transition-rates.csv", "bio-2021"),
    ("bio-2016-phase-transition-rates.csv", "bio-2016"),
    ("cost-ranges.csv", None),
)
"""crokit's data files and the source of each (``None``: the long shape, one source per row)."""


def _data_text(file_name: str) -> str:
    return resources.files("crokit.reference").joinpath("data").joinpath(file_name).read_text(encoding="utf-8")


@functools.cache
def load_published() -> BenchmarkTable:
    """The published figures crokit ships, read once from its package data (no network).

    Sertkaya et al. 2024 Table 1 (phase durations, cost per patient in 2018 USD), BIO
    2021 and BIO 2016 (phase-transition probabilities, likelihood of approval) and
    ``cost-ranges.csv`` (Sertkaya et al. 2016, Moore et al. 2020, Martin et al. 2017,
    Getz et al. 2016, Brogger-Mikkelsen et al. 2022).

    >>> len(load_published().sources)
    8
    """
    registry = Registry.builtin()
    figures: list[Figure] = []
    for file_name, source_id in PUBLISHED_FILES:
        text = _data_text(file_name)
        if source_id is None:
            figures.extend(_parse_long(text, file_name, sources=SOURCES, registry=registry))
        else:
            figures.extend(_parse_wide(text, file_name, source_id, registry))
    return BenchmarkTable(tuple(figures), "crokit published reference figures")


def load_table(
    path: str | os.PathLike[str],
    *,
    name: str | None = None,
    sources: Mapping[str, Citation] | Iterable[Citation] | None = None,
    registry: Registry | None = None,
) -> BenchmarkTable:
    """Read a table of your own figures (a company's historical costs, say) in the long CSV shape.

    The header is :data:`LONG_COLUMNS` (any order; ``therapeutic_area``, ``phase``,
    ``dollar_year``, ``statistic``, ``verification`` and two of ``value``/``low``/
    ``high`` may be left out). Rows are counted as in a spreadsheet: the header is row 1.
    Blank lines are skipped.

    Args:
        path: The CSV file (UTF-8, a byte-order mark is allowed).
        name: The table's name for messages; the file name by default.
        sources: Citations the ``source_id`` column may name, as a mapping by id or an
            iterable of :class:`Citation`; crokit's :data:`SOURCES` by default. Add your
            own (``Citation(id="acme-2025", ...)``) for your own data.
        registry: Resolves area ids and aliases; :meth:`Registry.builtin` by default.

    Raises:
        InputFileError: If the file is missing, a directory or not UTF-8 text.
        ValidationError: Listing every bad cell as ``file:row N:column: problem``, for
            example ``costs.csv:row 4:value: expected a decimal number, got 'tbd'``.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputFileError(path, "no such file") from None
    except IsADirectoryError:
        raise InputFileError(path, "is a directory, expected a CSV file") from None
    except UnicodeDecodeError:
        raise InputFileError(path, "is not UTF-8 text; save the CSV as UTF-8") from None
    if sources is None:
        known: Mapping[str, Citation] = SOURCES
    elif isinstance(sources, Mapping):
        known = sources
    else:
        known = {citation.id: citation for citation in sources}
    figures = _parse_long(text, file.name, sources=known, registry=Registry.builtin() if registry is None else registry)
    return BenchmarkTable(figures, name or file.name)
