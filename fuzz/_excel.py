"""Workbooks for the rate-card reader: drawn by Hypothesis, built with odd cells, and damaged.

:func:`books` writes rate cards Hypothesis draws with crokit's own template writer (so
the card each workbook holds is known) and a few workbooks of odd cells written with
openpyxl. :func:`case` picks one and damages it: its sheet dimension (which must not
change what is read), its XML (bytes, cell values, cell types, shared-string indexes),
its zip (bytes, truncation, a missing member, a highly compressed member).
"""

from __future__ import annotations

import io
import random
import re
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from fuzz._mutate import RAW_NUMBERS, mutate_bytes

if TYPE_CHECKING:
    from fuzz._readers import Case

__all__ = ["books", "case", "odd_book"]

_SHEET: Final = "xl/worksheets/sheet1.xml"


def _card_book(card: Any) -> bytes:
    from crokit.excel import write_rate_card_template

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "card.xlsx"
        write_rate_card_template(path, card)
        return path.read_bytes()


_ODD_CELLS: Final[tuple[Any, ...]] = (
    "1,850.10",
    " 1850 ",
    "1850.10",
    "1e9999999999",
    "١٨٥٠",
    "\x85",
    "x" * 300,
    True,
    datetime(2027, 1, 4),  # noqa: DTZ001 - Excel cells have no time zone
    "=1+1",
    1e300,
    1e-300,
    -5,
    0.1 + 0.2,
    2027.5,
    "2027",
    "usd",
    "USD",
    "JPY",
    "CLF",
    "hour",
    "FTE-MONTH",
    None,
)


def odd_book(rng: random.Random) -> bytes:
    """A workbook of a ``Rates`` sheet with odd headers and cells, written with openpyxl."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook has an active sheet
    sheet.title = rng.choice(("Rates", "rates", "RATES", "Sheet1"))
    header = ["role", "region", "rate", "per", "year", "currency"]
    if rng.random() < 0.3:
        header.insert(rng.randrange(len(header) + 1), rng.choice(("notes", "Role", "rate ", "")))
    if rng.random() < 0.2:
        header.pop(rng.randrange(len(header)))
    sheet.append(header)
    for _ in range(rng.randint(0, 6)):
        row: list[Any] = [
            rng.choice(("cra", "pm", "Senior CRA", "cra")),
            rng.choice(("us", "eu", "")),
            rng.choice((1850, "1850.10", *_ODD_CELLS)),
            rng.choice(("hour", "fte-month", *_ODD_CELLS)),
            rng.choice((2027, 2027.0, *_ODD_CELLS)),
            rng.choice(("USD", *_ODD_CELLS)),
        ]
        sheet.append(row[: len(header)])
        cell = sheet.cell(row=sheet.max_row, column=3)
        cell.number_format = rng.choice(("General", "0.00", '#,##0.00 "USD"', "0", "0.00%", "0.00E+00", "@"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _three_rates() -> Any:
    """A card of three rows, so a sheet dimension that hides rows shows in the entries read."""
    from crokit.money import Money
    from crokit.pricing import RateCard, RateCardEntry, RatePer

    return RateCard(
        entries=(
            RateCardEntry(role="cra", region="us", rate=Money("1850.10", "USD"), per=RatePer.HOUR, year=2027),
            RateCardEntry(role="pm", region="eu", rate=Money("21000", "USD"), per=RatePer.FTE_MONTH, year=2027),
            RateCardEntry(role="cra", region="us", rate=Money("1234567.125", "USD"), per=RatePer.HOUR, year=2028),
        )
    )


def books(seed: int, count: int) -> list[tuple[bytes, Any]]:
    """*count* workbooks of rate cards Hypothesis draws (with each card), and two odd ones (card ``None``)."""
    from crokit import testing
    from fuzz._readers import _draw

    cards = [_three_rates(), *_draw(testing.rate_cards(), seed, count)]
    rng = random.Random(seed)
    found: list[tuple[bytes, Any]] = [(_card_book(card), card) for card in cards if card.entries]
    found += [(odd_book(rng), None) for _ in range(2)]
    return found


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _dimension(rng: random.Random, members: dict[str, bytes]) -> str:
    sheet = members.get(_SHEET, b"")
    ref = rng.choice((b"A1:A1", b"A1:B2", b"A1", b"A1:F2", b"A1:F3", b"A1:E3", b"C3:D4", b"A1:XFD1048576"))
    if rng.random() < 0.2:
        members[_SHEET] = re.sub(rb"<dimension [^>]*/>", b"", sheet)
        return "dimension-removed"
    members[_SHEET] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="' + ref + b'"', sheet)
    return f"dimension={ref.decode()}"


def _cell_value(rng: random.Random, members: dict[str, bytes]) -> str:
    sheet = members.get(_SHEET, b"")
    values = list(re.finditer(rb"<v>([^<]*)</v>", sheet))
    if not values:
        return "no-values"
    match = rng.choice(values)
    spelling = rng.choice((*RAW_NUMBERS, "-1", "abc", "", "99999999", "1e999", "1.7976931348623157e309")).encode()
    members[_SHEET] = sheet[: match.start(1)] + spelling + sheet[match.end(1) :]
    return f"value={spelling[:20]!r}"


def _cell_type(rng: random.Random, members: dict[str, bytes]) -> str:
    sheet = members.get(_SHEET, b"")
    cells = list(re.finditer(rb"<c [^>]*>", sheet))
    if not cells:
        return "no-cells"
    match = rng.choice(cells)
    kind = rng.choice((b"s", b"str", b"b", b"e", b"n", b"d", b"inlineStr", b"x"))
    tag = re.sub(rb' t="[^"]*"', b"", match.group(0)).replace(b"<c ", b'<c t="' + kind + b'" ', 1)
    members[_SHEET] = sheet[: match.start()] + tag + sheet[match.end() :]
    return f"type={kind.decode()}"


def _xml_bytes(rng: random.Random, members: dict[str, bytes]) -> str:
    name = rng.choice(sorted(members))
    members[name], recipe = mutate_bytes(rng, members[name])
    return f"xml:{name}:{recipe}"


def _drop_member(rng: random.Random, members: dict[str, bytes]) -> str:
    name = rng.choice(sorted(members))
    del members[name]
    return f"drop:{name}"


def _bomb(rng: random.Random, members: dict[str, bytes]) -> str:
    rows = rng.choice((20_000, 200_000))
    body = b"".join(b'<row r="%d"><c r="A%d" t="n"><v>1</v></c></row>' % (i, i) for i in range(2, rows))
    sheet = members.get(_SHEET, b"")
    members[_SHEET] = sheet.replace(b"</sheetData>", body + b"</sheetData>", 1)
    return f"bomb:{rows}-rows"


_KEEPS_MEANING: Final = ("dimension",)
_DAMAGE: Final = (_dimension, _dimension, _cell_value, _cell_value, _cell_type, _xml_bytes, _xml_bytes, _drop_member)


def case(reader: str, rng: random.Random, seeds: Sequence[Any], extra: Sequence[Any]) -> Case:
    """One damaged (or intact) workbook as a :class:`~fuzz._readers.Case`."""
    from fuzz._readers import Case

    pool: list[tuple[bytes, Any]] = [(s.data, None) for s in seeds] + list(extra)
    data, card = rng.choice(pool)
    currency = None
    if rng.random() < 0.2:
        currency = rng.choice(("USD", "EUR", card.entries[0].rate.currency if card is not None else "JPY"))
    meta = {"currency": currency}
    roll = rng.random()
    intended = card if currency is None or (card is not None and card.entries[0].rate.currency == currency) else None
    if roll < 0.05:
        return Case(reader, "xlsx", data, "intact", intended, meta)
    if roll < 0.20:
        damaged, recipe = mutate_bytes(rng, data)
        return Case(reader, "xlsx", damaged, f"zip:{recipe}", None, meta)
    try:
        members = _members(data)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, NotImplementedError):
        damaged, recipe = mutate_bytes(rng, data)
        return Case(reader, "xlsx", damaged, f"zip:{recipe}", None, meta)
    damage = _bomb if rng.random() < 0.003 else rng.choice(_DAMAGE)
    recipe = damage(rng, members)
    method = zipfile.ZIP_STORED if rng.random() < 0.1 else zipfile.ZIP_DEFLATED
    keeps = recipe.startswith(_KEEPS_MEANING)
    return Case(reader, "xlsx", _zip(members, method), recipe, intended if keeps else None, meta)
