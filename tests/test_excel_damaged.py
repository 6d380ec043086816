"""Damaged, oversized and lying workbooks: read_rate_card refuses each with a crokit error, never a bare one.

Each damage is built here from a good rate card, with openpyxl and by rewriting the zip
archive, and each test first checks that openpyxl itself (as the reader used it before)
fails with the raw exception the damage stands for, so the test shows crokit's handling.
"""

from __future__ import annotations

import struct
import time
import warnings
import zipfile
import zlib
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree.ElementTree import ParseError

import pytest

pytest.importorskip("openpyxl")

from openpyxl import Workbook, load_workbook

from crokit.errors import CrokitError, InputFileError, ValidationError
from crokit.excel import read_rate_card, write_rate_card_template
from crokit.excel._numbers import decimal_from_cell
from crokit.excel._rates import MAX_ROWS
from crokit.money import Money
from crokit.pricing.fte import RateCard, RateCardEntry, RatePer

SHEET = "xl/worksheets/sheet1.xml"
CARD = RateCard(
    entries=tuple(
        RateCardEntry(
            role="cra", region=f"region-{i}", rate=Money(Decimal("100.50"), "USD"), per=RatePer.HOUR, year=2027
        )
        for i in range(5)
    )
)


def good(tmp_path: Path) -> Path:
    return write_rate_card_template(tmp_path / "good.xlsx", CARD)


def rebuild(
    source: Path,
    target: Path,
    *,
    sheet: Callable[[str], str] = lambda xml: xml,
    sheet_last: bool = False,
    stored: bool = False,
) -> Path:
    """Copy the workbook *source* to *target*, rewriting the sheet's XML; optionally stored and last."""
    with zipfile.ZipFile(source) as old:
        members = {info.filename: old.read(info) for info in old.infolist()}
    members[SHEET] = sheet(members[SHEET].decode()).encode()
    order = sorted(members, key=lambda name: name == SHEET) if sheet_last else list(members)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name in order:
            kind = zipfile.ZIP_STORED if stored and name == SHEET else zipfile.ZIP_DEFLATED
            new.writestr(name, members[name], compress_type=kind)
    return target


def patch_central(path: Path, name: str, **fields: int) -> None:
    """Change *name*'s central-directory entry: ``method``, ``compressed`` or ``size``."""
    data = bytearray(path.read_bytes())
    offsets = {"method": (10, "<H"), "compressed": (20, "<I"), "size": (24, "<I")}
    start = data.index(b"PK\x01\x02")
    while start != -1:
        length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + length] == name.encode():
            for field, value in fields.items():
                offset, layout = offsets[field]
                struct.pack_into(layout, data, start + offset, value)
            path.write_bytes(bytes(data))
            return
        start = data.find(b"PK\x01\x02", start + 4)
    raise AssertionError(name)  # pragma: no cover - the member is always there


def member_data(path: Path, name: str) -> tuple[int, int]:
    """Where *name*'s compressed bytes start in the file, and how many there are."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    raw = path.read_bytes()
    name_length, extra_length = struct.unpack_from("<HH", raw, info.header_offset + 26)
    return info.header_offset + 30 + name_length + extra_length, info.compress_size


def raw_openpyxl(path: Path) -> None:
    """Read every row as the reader did before: openpyxl read-only, trusting the file."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            for _row in book["Rates"].rows:
                pass
        finally:
            book.close()


def refused(path: Path, match: str) -> InputFileError:
    with pytest.raises(InputFileError, match=match) as caught:
        read_rate_card(path)
    assert str(caught.value).startswith(str(path))
    return caught.value


# --- corrupt archives ---


def test_a_corrupt_deflate_stream(tmp_path: Path) -> None:
    path = rebuild(good(tmp_path), tmp_path / "zlib.xlsx")
    start, length = member_data(path, SHEET)
    data = bytearray(path.read_bytes())
    data[start : start + length] = b"\xff" * length  # block type 3 does not exist
    path.write_bytes(bytes(data))
    with pytest.raises(zlib.error):
        raw_openpyxl(path)
    refused(path, r"not a readable Excel \.xlsx workbook \(error: Error -3")


def test_an_archive_that_ends_inside_a_member(tmp_path: Path) -> None:
    path = rebuild(good(tmp_path), tmp_path / "eof.xlsx", stored=True, sheet_last=True)
    _, length = member_data(path, SHEET)
    patch_central(path, SHEET, compressed=length + 100_000, size=length + 100_000)
    with pytest.raises(EOFError):
        raw_openpyxl(path)
    refused(path, r"\(EOFError")


def test_an_unknown_compression_method(tmp_path: Path) -> None:
    path = rebuild(good(tmp_path), tmp_path / "method.xlsx")
    patch_central(path, SHEET, method=99)
    with pytest.raises(NotImplementedError):
        raw_openpyxl(path)
    refused(path, r"\(NotImplementedError")


def test_a_bad_checksum(tmp_path: Path) -> None:
    path = rebuild(good(tmp_path), tmp_path / "crc.xlsx", stored=True)
    start, length = member_data(path, SHEET)
    data = path.read_bytes()
    body = data[start : start + length].replace(b"region-4", b"region-9")
    path.write_bytes(data[:start] + body + data[start + length :])
    with pytest.raises(zipfile.BadZipFile):
        raw_openpyxl(path)
    refused(path, r"Bad CRC-32")


def test_not_a_zip_at_all(tmp_path: Path) -> None:
    path = tmp_path / "text.xlsx"
    path.write_bytes(b"role,region,rate\n" * 10)
    refused(path, r"is not an Excel \.xlsx workbook \(BadZipFile")


# --- damaged sheets: the error names the sheet and the cell ---


def test_malformed_xml_while_reading_rows(tmp_path: Path) -> None:
    path = rebuild(
        good(tmp_path), tmp_path / "xml.xlsx", sheet=lambda xml: xml.replace('</row><row r="4">', '<row r="4">', 1)
    )
    with pytest.raises(ParseError):
        raw_openpyxl(path)
    error = refused(path, r"cannot read Rates!")
    assert "ParseError" in str(error)


def test_text_in_a_number_cell(tmp_path: Path) -> None:
    path = rebuild(
        good(tmp_path), tmp_path / "number.xlsx", sheet=lambda xml: xml.replace("<v>100.5</v>", "<v>lots</v>", 1)
    )
    with pytest.raises(ValueError, match="lots"):
        raw_openpyxl(path)
    refused(path, r"cannot read Rates!C2 \(ValueError")


def test_a_shared_string_index_past_the_table(tmp_path: Path) -> None:
    def shared(xml: str) -> str:
        cell = '<c r="D3" t="inlineStr"><is><t>hour</t></is></c>'
        assert cell in xml
        return xml.replace(cell, '<c r="D3" t="s"><v>999</v></c>')

    path = rebuild(good(tmp_path), tmp_path / "shared.xlsx", sheet=shared)
    with pytest.raises(IndexError):
        raw_openpyxl(path)
    refused(path, r"cannot read Rates!D3 \(IndexError")


def test_a_huge_number_under_a_fixed_format(tmp_path: Path) -> None:
    path = good(tmp_path)
    book = load_workbook(path)
    book["Rates"]["C2"].value = 1e300
    book["Rates"]["C2"].number_format = "0.00"
    book.save(path)
    with pytest.raises(InvalidOperation):  # what padding to the format's two decimals did before
        Decimal("1E+300").quantize(Decimal("0.01"))
    with pytest.raises(ValidationError, match=r"Rates!C2: expected an amount from 1e-30 to 1e30"):
        read_rate_card(path)
    assert decimal_from_cell(1e300, "0.00") == Decimal("1E+300")


# --- the declared dimension (finding 5) ---


def test_rows_past_the_declared_dimension_are_read(tmp_path: Path) -> None:
    path = rebuild(
        good(tmp_path),
        tmp_path / "dimension.xlsx",
        sheet=lambda xml: xml.replace('<dimension ref="A1:F6"', '<dimension ref="A1:B2"'),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = load_workbook(path, read_only=True, data_only=True)
        header = [cell.value for cell in next(iter(book["Rates"].rows))]
        book.close()
    assert header == ["role", "region"]  # what openpyxl alone sees: the rest is silently dropped
    assert read_rate_card(path) == CARD


# --- size and rows, checked before reading ---


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    padding = b" " * (1 << 20)
    rebuild(good(tmp_path), path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/padding.xml", "w") as member:
        for _ in range(65):  # 65 MiB of spaces: about 65 KiB compressed
            member.write(padding)
    assert path.stat().st_size < 1 << 20
    started = time.perf_counter()
    refused(path, r"would unpack to \d+ bytes, more than the input limit of 67108864 bytes")
    assert time.perf_counter() - started < 2


def test_a_member_claiming_a_huge_size_is_refused(tmp_path: Path) -> None:
    path = rebuild(good(tmp_path), tmp_path / "claims.xlsx")
    patch_central(path, SHEET, size=0xFFFF_FFF0)
    refused(path, r"would unpack to \d+ bytes")


def test_the_unpacked_limit_follows_the_input_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = good(tmp_path)
    assert read_rate_card(path) == CARD
    monkeypatch.setenv("CROKIT_MAX_INPUT_BYTES", str(path.stat().st_size + 10))
    refused(path, r"would unpack to \d+ bytes, more than the input limit")


def test_too_many_rows_are_refused(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Rates"
    sheet.append(["role", "region", "rate", "per", "year", "currency"])
    sheet.append(["cra", "us", 100, "hour", 2027, "USD"])
    sheet.cell(row=MAX_ROWS + 2, column=1, value="far")
    path = tmp_path / "long.xlsx"
    book.save(path)
    started = time.perf_counter()
    refused(path, rf"has more than {MAX_ROWS} rows")
    assert time.perf_counter() - started < 10


def test_a_workbook_that_is_not_a_regular_file(tmp_path: Path) -> None:
    link = tmp_path / "zero.xlsx"
    link.symlink_to("/dev/zero")
    refused(link, "is a character device")


def test_every_damage_is_a_crokit_error(tmp_path: Path) -> None:
    # Truncations of a good workbook at every 97th byte: each read ends in a CrokitError.
    data = good(tmp_path).read_bytes()
    path = tmp_path / "cut.xlsx"
    for end in range(0, len(data), 97):
        path.write_bytes(data[:end])
        with pytest.raises(CrokitError):
            read_rate_card(path)
