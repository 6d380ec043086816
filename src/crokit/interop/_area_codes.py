"""The shipped table of disease codes and crokit's therapeutic areas (``area_codes.toml``).

Files state a study's disease as codes of several systems (SNOMED CT, ICD-10, MeSH,
MedDRA). :func:`area_table` loads the table shipped beside this module, in which each
row gives a code (or an ICD-10 chapter range), its official display name, the crokit
area it falls under and the source the code was checked against; :meth:`AreaTable.match`
finds the row of a ``(system, code)`` pair as a file spells it.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any, Final

import attrs

__all__ = ["AreaCode", "AreaTable", "area_table"]

_ICD_STEM: Final = re.compile(r"^([A-Z])(\d\d)")


@attrs.frozen(kw_only=True)
class AreaCode:
    """One row of the table: a code (or an ICD-10 range ``first``-``last``) and its area.

    Attributes:
        system: The code system's name (``"SNOMED CT"``, ``"ICD-10"``, ``"MeSH"``, ``"MedDRA"``).
        code: The code, or ``"A00-B99"`` for a range.
        display: The code's official display name.
        area: The crokit therapeutic area id the code falls under.
        source: Where the code and its display name were checked.
        rank: The row's position in the table (lower rows are broader).
    """

    system: str
    code: str
    display: str
    area: str
    source: str
    rank: int

    def __str__(self) -> str:
        """Render as ``MeSH D000544 'Alzheimer Disease'``."""
        return f"{self.system} {self.code} {self.display!r}"


def _text(row: Mapping[str, Any], key: str, where: str) -> str:
    value = row.get(key)
    if not isinstance(value, str) or not value.strip():
        msg = f"area_codes.toml: {where}.{key} must be non-empty text"
        raise ValueError(msg)  # a broken shipped file is a packaging bug, not user input
    return value.strip()


@attrs.frozen
class AreaTable:
    """The loaded table: system spellings, single codes and ICD-10 ranges."""

    systems: Mapping[str, str]
    codes: Mapping[tuple[str, str], AreaCode]
    ranges: tuple[tuple[str, str, AreaCode], ...]

    def system(self, spelling: str | None) -> str | None:
        """The table's name of the code system a file spells *spelling*, or ``None``."""
        if spelling is None:
            return None
        return self.systems.get(spelling.strip().casefold())

    def match(self, spelling: str | None, code: str | None) -> AreaCode | None:
        """The row for *code* of the system spelled *spelling*, or ``None``."""
        system = self.system(spelling)
        if system is None or code is None:
            return None
        key = code.strip().upper()
        if system == "ICD-10":
            stem = _ICD_STEM.match(key)
            if stem is None:
                return None
            three = stem.group(0)
            return next((row for first, last, row in self.ranges if first <= three <= last), None)
        return self.codes.get((system, key))

    @property
    def rows(self) -> tuple[AreaCode, ...]:
        """Every row, in table order."""
        return tuple(sorted([*self.codes.values(), *(r for _, _, r in self.ranges)], key=lambda row: row.rank))


def parse_table(data: Mapping[str, Any]) -> AreaTable:
    """Build the table from the parsed TOML *data*."""
    systems: dict[str, str] = {}
    for name, spellings in dict(data.get("systems", {})).items():
        for spelling in spellings:
            systems[str(spelling).strip().casefold()] = str(name)
    codes: dict[tuple[str, str], AreaCode] = {}
    ranges: list[tuple[str, str, AreaCode]] = []
    rank = 0
    for index, row in enumerate(data.get("codes", [])):
        where = f"codes[{index}]"
        system = _text(row, "system", where)
        code = _text(row, "code", where).upper()
        key = (system, code)
        if key in codes:
            msg = f"area_codes.toml: {where} repeats {system} {code}"
            raise ValueError(msg)
        codes[key] = AreaCode(
            system=system,
            code=code,
            display=_text(row, "display", where),
            area=_text(row, "area", where),
            source=_text(row, "source", where),
            rank=rank,
        )
        rank += 1
    for index, row in enumerate(data.get("ranges", [])):
        where = f"ranges[{index}]"
        first, last = _text(row, "first", where).upper(), _text(row, "last", where).upper()
        entry = AreaCode(
            system=_text(row, "system", where),
            code=f"{first}-{last}",
            display=_text(row, "display", where),
            area=_text(row, "area", where),
            source=_text(row, "source", where),
            rank=rank,
        )
        ranges.append((first, last, entry))
        rank += 1
    return AreaTable(systems=systems, codes=codes, ranges=tuple(ranges))


@functools.cache
def area_table() -> AreaTable:
    """The table shipped with crokit (``crokit/interop/area_codes.toml``), loaded once."""
    text = resources.files("crokit.interop").joinpath("area_codes.toml").read_text(encoding="utf-8")
    return parse_table(tomllib.loads(text))
