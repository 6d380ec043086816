"""Reading benchmark tables: crokit's published figures (:func:`load_published`) and your own (:func:`load_table`).

:func:`load_published` reads the figures crokit ships as package data
(:data:`PUBLISHED_FILES`: Sertkaya et al. 2024 Table 1, BIO 2021 and BIO 2016 in their
wide shapes, and ``cost-ranges.csv`` in the long shape) once, with no network;
:func:`load_table` reads a table of your own in the long CSV shape, collecting every bad
cell into one error that names its file, row and column.

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
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Final

from crokit._decimal import to_decimal
from crokit.errors import InputFileError, InvalidAmountError, Problem, UnknownIdError, ValidationError
from crokit.reference.figures import (
    COST_PER_PATIENT,
    LIKELIHOOD_OF_APPROVAL,
    LONG_COLUMNS,
    PHASE_DURATION,
    PHASE_TRANSITIONS,
    TRANSITION_PROBABILITY,
    Figure,
    _resolve_area,
)
from crokit.reference.sources import SOURCES, Citation
from crokit.reference.table import BenchmarkTable
from crokit.registry import Registry
from crokit.vocabulary.lifecycle import Stage

__all__ = ["PUBLISHED_FILES", "load_published", "load_table"]

_REQUIRED_COLUMNS: Final = ("source_id", "measure", "unit")
_FIRST_YEAR: Final = 1900
_LAST_YEAR: Final = 2100


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
    # ASCII digits only: str.isdigit also accepts other scripts' digits, which int() reads too
    dollar_year = int(year) if year.isascii() and year.isdigit() and _FIRST_YEAR <= int(year) <= _LAST_YEAR else None
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

    The long CSV shape (:func:`load_table`, and crokit's own ``cost-ranges.csv``) has one
    figure per row and the header::

        source_id,measure,therapeutic_area,phase,value,low,high,unit,dollar_year,statistic,verification

    ``source_id``, ``measure`` and ``unit`` are required and at least one of ``value``,
    ``low`` and ``high``; the other cells may be empty. ``phase`` is a stage id such as
    ``phase-2``; ``therapeutic_area`` is an area id, an alias, ``all`` or empty (all areas).

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
