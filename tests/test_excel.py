"""crokit.excel: the evaluation workbook, the rate-card sheet and the number rule between them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

import crokit
from crokit import InputFileError, MissingDependencyError, Money, Registry, ValidationError
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.excel import (
    COLUMNS,
    SHEETS,
    decimal_from_cell,
    export_workbook,
    fixed_decimals,
    read_rate_card,
    write_rate_card_template,
)
from crokit.excel._export import calendar_month, months_text, put_money
from crokit.excel._numbers import cell_ref, describe, fits_excel, money_format
from crokit.pricing import RateCard, RateCardEntry, RatePer
from crokit.scenario import Evaluation, evaluate
from crokit.serialization._files import _umask

USD = '#,##0.00 "USD"'


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return evaluate(demo_scenario(), seed=DEMO_SEED, registry=crokit.Registry.builtin())


@pytest.fixture(scope="module")
def exported(evaluation: Evaluation, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "evaluation.xlsx"
    export_workbook(evaluation, path, notes=demo_scenario().notes)
    return path


@pytest.fixture(scope="module")
def book(exported: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(exported)


def sheet(workbook: openpyxl.Workbook, name: str) -> Worksheet:
    found = workbook[name]
    assert isinstance(found, Worksheet)
    return found


def header(ws: Worksheet) -> list[object]:
    return [cell.value for cell in ws[1]]


def exact(value: object, number_format: str | None = None) -> Decimal:
    """A number cell read back through the same rule read_rate_card uses."""
    assert isinstance(value, int | float), f"expected a number cell, got {value!r}"
    return decimal_from_cell(value, number_format)


def rows(ws: Worksheet) -> list[tuple[object, object]]:
    return [(row[0].value, row[1].value) for row in ws.iter_rows(min_row=2)]


def entry(role: str, region: str, rate: str, per: RatePer, year: int) -> RateCardEntry:
    return RateCardEntry(role=role, region=region, rate=Money(rate, "USD"), per=per, year=year)


def card() -> RateCard:
    return RateCard(
        entries=(
            RateCardEntry(
                role="senior-biostatistician",
                region="us",
                rate=Money("15000.00", "USD"),
                per=RatePer.FTE_MONTH,
                year=2027,
            ),
            RateCardEntry(
                role="cra", region="western-europe", rate=Money("1850.1", "USD"), per=RatePer.HOUR, year=2027
            ),
            RateCardEntry(role="cra", region="us", rate=Money("123.456", "USD"), per=RatePer.HOUR, year=2028),
            RateCardEntry(role="cra", region="us", rate=Money("0", "USD"), per=RatePer.HOUR, year=2027),
        )
    )


# ------------------------------------------------------------------ the export


def test_sheets_in_order_with_frozen_bold_headers(book: openpyxl.Workbook) -> None:
    assert tuple(book.sheetnames) == SHEETS
    for name in SHEETS:
        ws = sheet(book, name)
        assert ws.freeze_panes == "A2"
        assert all(cell.font.bold for cell in ws[1] if cell.value is not None)
        assert all((ws.column_dimensions[letter].width or 0) >= 8 for letter in "AB")


def test_headers(book: openpyxl.Workbook, evaluation: Evaluation) -> None:
    # Headers show names, not ids.
    priced = [f"{r.name} (USD)" for r in evaluation.candidates if r.budget is not None]
    registry = Registry.builtin()
    assert header(sheet(book, "Summary")) == ["Item", "Value"]
    assert header(sheet(book, "Ranking"))[:4] == ["Rank", "Candidate", "Name", "Score"]
    assert header(sheet(book, "Ranking"))[4:-5] == [registry.criterion(c).name for c in evaluation.ranking.criteria]
    assert header(sheet(book, "Ranking"))[-5:-3] == ["Eligible", "Reasons"]
    assert header(sheet(book, "Budget by service")) == ["Service", *priced]
    assert header(sheet(book, "Budget by month")) == ["Study month", "Month", *priced]
    assert header(sheet(book, "Payments")) == [
        "Candidate",
        "Due date",
        "Invoice date",
        "Kind",
        "Description",
        "Amount",
        "Currency",
    ]
    assert header(sheet(book, "Budget lines"))[-1] == "Derivation"


def test_summary(book: openpyxl.Workbook, evaluation: Evaluation) -> None:
    items = rows(sheet(book, "Summary"))
    found = dict(items)
    assert found["Title"] == evaluation.title
    assert found["Sponsor"] == evaluation.sponsor
    assert found["Planned patients"] == 60
    start = found["Start date"]
    assert isinstance(start, datetime)
    assert start.date() == date(2027, 1, 4)
    assert found["Winner"] == evaluation.candidate("helix-cro").name
    assert found["Therapeutic area"] == "Rare disease"
    assert "crokit:" not in str(found["Weights"])
    assert found["Explanation"] == evaluation.ranking.explanation
    assert [value for label, value in items if label == "Warning"] == list(evaluation.warnings)
    notes = [str(value) for label, value in items if label == "Notes"]
    assert notes[0] == demo_scenario().notes
    assert any("illustrative" in note.lower() for note in notes[1:])


def test_ranking(book: openpyxl.Workbook, evaluation: Evaluation) -> None:
    ws = sheet(book, "Ranking")
    criteria = evaluation.ranking.criteria
    for row, result in zip(ws.iter_rows(min_row=2), evaluation.candidates, strict=True):
        values = [cell.value for cell in row]
        assert values[:3] == [result.rank, result.id, result.name]
        contributions = dict(result.contributions)
        for index, criterion in enumerate(criteria, start=4):
            expected = contributions.get(criterion)
            assert values[index] == (pytest.approx(expected, rel=1e-15) if expected is not None else None)
        assert values[4 + len(criteria)] is result.eligible
        assert values[5 + len(criteria)] == ("; ".join(result.reasons) or None)
        total = row[6 + len(criteria)]
        if result.budget is not None:
            assert exact(total.value, total.number_format) == result.budget.total.amount
    assert ws["B6"].value == "sitelink"
    assert ws["A6"].value is None


def test_budget_by_service_amounts_are_exact_and_total_is_crokits(
    book: openpyxl.Workbook, evaluation: Evaluation
) -> None:
    ws = sheet(book, "Budget by service")
    priced = [r for r in evaluation.candidates if r.budget is not None]
    body = list(ws.iter_rows(min_row=2))
    *lines, total = body
    assert total[0].value == "Total"
    assert all(cell.font.bold for cell in total)
    for column, result in enumerate(priced, start=1):
        assert result.budget is not None
        by_service = result.budget.by_service()
        named = {Registry.builtin().service(service).name: service for service in by_service}
        for row in lines:
            cell = row[column]
            service = named.get(str(row[0].value), str(row[0].value))
            if service in by_service:
                assert cell.number_format == USD
                assert exact(cell.value, cell.number_format) == by_service[service].amount
            else:
                assert cell.value is None
        cell = total[column]
        assert isinstance(cell.value, int | float)  # a number, not a formula
        assert exact(cell.value, cell.number_format) == result.budget.total.amount
        assert str(exact(cell.value, cell.number_format)) == str(result.budget.total.amount.quantize(Decimal("0.01")))
    assert len(lines) == len({s for r in priced if r.budget for s in r.budget.by_service()})


def test_budget_by_month(book: openpyxl.Workbook, evaluation: Evaluation) -> None:
    ws = sheet(book, "Budget by month")
    priced = [r for r in evaluation.candidates if r.budget is not None]
    *months, total = list(ws.iter_rows(min_row=2))
    start = evaluation.study.start_date
    for row in months:
        index = row[0].value
        assert isinstance(index, int)
        assert isinstance(row[1].value, datetime)
        assert row[1].value.date() == calendar_month(start, index)
        assert row[1].number_format == "yyyy-mm"
        for column, result in enumerate(priced, start=2):
            assert result.budget is not None
            expected = result.budget.by_month().get(index, Money.zero("USD")).amount
            assert exact(row[column].value, row[column].number_format) == expected
    first = months[0][1].value
    assert isinstance(first, datetime)
    assert first.date() == date(2027, 1, 1)
    assert total[0].value == "Total"
    for column, result in enumerate(priced, start=2):
        assert result.budget is not None
        assert exact(total[column].value, total[column].number_format) == result.budget.total.amount


def test_payments_have_real_dates_and_exact_amounts(book: openpyxl.Workbook, evaluation: Evaluation) -> None:
    ws = sheet(book, "Payments")
    expected = [(r.id, p) for r in evaluation.candidates if r.schedule for p in r.schedule.payments]
    body = list(ws.iter_rows(min_row=2))
    assert len(body) == len(expected)
    for row, (candidate, payment) in zip(body, expected, strict=True):
        assert row[0].value == candidate
        assert isinstance(row[1].value, datetime)
        assert row[1].value.date() == payment.due
        assert row[1].number_format == "yyyy-mm-dd"
        assert isinstance(row[2].value, datetime)
        assert row[2].value.date() == payment.invoice_date
        assert row[3].value == payment.kind.value
        assert row[4].value == payment.description
        assert row[5].number_format == USD
        assert exact(row[5].value, row[5].number_format) == payment.amount.amount
        assert row[6].value == "USD"


def test_budget_lines_audit_the_totals(book: openpyxl.Workbook, evaluation: Evaluation) -> None:
    ws = sheet(book, "Budget lines")
    expected = [(r, line) for r in evaluation.candidates if r.budget for line in r.budget.lines]
    body = list(ws.iter_rows(min_row=2))
    assert len(body) == len(expected)
    sums: dict[str, Decimal] = {}
    for row, (result, line) in zip(body, expected, strict=True):
        assert [row[0].value, row[1].value, row[5].value] == [result.id, line.service, line.description]
        assert exact(row[7].value) == line.quantity
        assert exact(row[8].value, row[8].number_format) == line.unit_price.amount
        assert exact(row[9].value, row[9].number_format) == line.amount.amount
        assert row[11].value == months_text(line.months)
        assert row[12].value == line.derivation
        sums[result.id] = sums.get(result.id, Decimal(0)) + exact(row[9].value, row[9].number_format)
    for result in evaluation.candidates:
        if result.budget is not None:
            assert sums[result.id] == result.budget.total.amount


def test_unit_price_with_more_decimals_than_the_currency_keeps_them(book: openpyxl.Workbook) -> None:
    ws = sheet(book, "Budget lines")
    formats = {cell.number_format for cell in ws["I"][1:]}
    assert formats <= {USD, '#,##0.000 "USD"'}


def test_money_formats_follow_minor_units() -> None:
    assert money_format("USD") == '#,##0.00 "USD"'
    assert money_format("JPY") == '#,##0 "JPY"'
    assert money_format("KWD") == '#,##0.000 "KWD"'
    assert fixed_decimals(money_format("JPY")) == 0


def test_amounts_excel_cannot_hold_are_written_as_exact_text() -> None:
    ws = openpyxl.Workbook().create_sheet("x")
    put_money(ws["A1"], Money("1234567890123456.78", "USD"))
    put_money(ws["A2"], Money("1500", "JPY"))
    assert ws["A1"].value == "1234567890123456.78"
    assert ws["A2"].value == Decimal(1500)
    assert ws["A2"].number_format == '#,##0 "JPY"'
    assert not fits_excel(Decimal("1234567890123456.78"))
    assert fits_excel(Decimal("123456789012.345"))


def test_failed_export_leaves_no_file(evaluation: Evaluation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_self: object, _filename: object) -> None:
        Path(str(_filename)).write_bytes(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken)
    target = tmp_path / "out.xlsx"
    with pytest.raises(OSError, match="disk full"):
        export_workbook(evaluation, target)
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"old")
    with pytest.raises(OSError, match="disk full"):
        export_workbook(evaluation, target)
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_export_to_a_missing_folder_or_a_folder(evaluation: Evaluation, tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="does not exist"):
        export_workbook(evaluation, tmp_path / "nowhere" / "out.xlsx")
    with pytest.raises(InputFileError, match="is a directory"):
        export_workbook(evaluation, tmp_path)


def test_missing_openpyxl(evaluation: Evaluation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(MissingDependencyError, match=r"crokit\[excel\]") as caught:
        export_workbook(evaluation, tmp_path / "out.xlsx")
    assert caught.value.package == "openpyxl"
    with pytest.raises(MissingDependencyError):
        read_rate_card(tmp_path / "rates.xlsx")
    with pytest.raises(MissingDependencyError):
        write_rate_card_template(tmp_path / "rates.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_importing_crokit_excel_does_not_import_openpyxl() -> None:
    code = "import crokit, crokit.excel, sys; assert 'openpyxl' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_months_text() -> None:
    assert months_text((0, 1, 2, 5, 7, 8)) == "0-2, 5, 7-8"
    assert months_text((4,)) == "4"


# ------------------------------------------------------------------ the number rule


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        (0.1 + 0.2, None, "0.3"),
        (0.1 + 0.2, "General", "0.3"),
        (0.1 + 0.2, "0.00", "0.30"),
        (1850.1, None, "1850.1"),
        (1850.1, '#,##0.00 "USD"', "1850.10"),
        (1850.125, "0.00", "1850.125"),
        (1850.1, "0", "1850.1"),
        (2027.0, None, "2027"),
        (15000.0, "#,##0.00", "15000.00"),
        (15000, "#,##0.00", "15000.00"),
        (7, None, "7"),
        (1 / 3, None, "0.333333333333333"),
        (123.456, "0.0#", "123.456"),
        (1e-05, None, "0.00001"),
        (Decimal("2.50"), None, "2.50"),
    ],
)
def test_decimal_from_cell(value: float, number_format: str | None, expected: str) -> None:
    result = decimal_from_cell(value, number_format)
    assert str(result) == expected  # the value and its scale


def test_float_noise_never_becomes_decimal_noise() -> None:
    assert decimal_from_cell(0.1 + 0.2) != Decimal("0.30000000000000004")
    assert str(decimal_from_cell(0.1 + 0.2, "0.00")) == "0.30"
    assert str(decimal_from_cell(1850.1, "0.00")) == "1850.10"
    assert str(decimal_from_cell(2027.0)) == "2027"


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_decimal_from_cell_refuses_non_finite(value: float) -> None:
    with pytest.raises(ValueError, match="not a finite number"):
        decimal_from_cell(value)


@pytest.mark.parametrize(
    ("number_format", "decimals"),
    [
        ("0.00", 2),
        ("#,##0.00", 2),
        ('#,##0.00 "USD"', 2),
        ('"$"#,##0.000;[Red]-"$"#,##0.000', 3),
        ("#,##0", 0),
        ("0", 0),
        ("General", None),
        ("0.00%", None),
        ("0.00E+00", None),
        ("0.0#", None),
        ("yyyy-mm-dd", None),
        ("@", None),
        ("# ?/?", None),
        (None, None),
    ],
)
def test_fixed_decimals(number_format: str | None, decimals: int | None) -> None:
    assert fixed_decimals(number_format) == decimals


def test_cell_addresses_and_descriptions() -> None:
    assert cell_ref("Rates", 3, 7) == "Rates!C7"
    assert cell_ref("My rates", 28, 2) == "'My rates'!AB2"
    assert cell_ref("Bob's", 1, 1) == "'Bob''s'!A1"
    assert describe("tbd") == '"tbd"'
    assert describe(None) == "an empty cell"
    assert describe(True) == "TRUE"


# ------------------------------------------------------------------ rate cards


def test_rate_card_round_trip(tmp_path: Path) -> None:
    original = card()
    path = write_rate_card_template(tmp_path / "rates.xlsx", original)
    assert path == tmp_path / "rates.xlsx"
    back = read_rate_card(path)
    assert back == original
    assert [str(entry.rate.amount) for entry in back.entries] == ["15000.00", "1850.10", "123.456", "0.00"]
    assert [entry.year for entry in back.entries] == [2027, 2027, 2028, 2027]


def test_template_shape(tmp_path: Path) -> None:
    path = write_rate_card_template(tmp_path / "template.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Rates"]
    ws = sheet(workbook, "Rates")
    assert tuple(header(ws)) == COLUMNS
    assert ws.freeze_panes == "A2"
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1
    assert validations[0].formula1 == '"hour,fte-month"'
    assert "D2" in validations[0].sqref
    ws.append(["cra", "us", 95.5, "hour", 2027, "USD"])
    workbook.save(path)
    assert read_rate_card(path).entries[0].rate == Money("95.50", "USD")


def _filled(path: Path, data: list[list[Any]], *, title: str = "Rates", head: list[str] | None = None) -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert isinstance(ws, Worksheet)
    ws.title = title
    ws.append(head or list(COLUMNS))
    for row in data:
        ws.append(row)
    workbook.save(path)
    return path


GOOD: list[Any] = ["cra", "us", 100, "hour", 2027, "USD"]


def test_bad_cells_are_all_reported_by_address(tmp_path: Path) -> None:
    data = [list(GOOD) for _ in range(9)]
    data[0][0] = "CRA Lead"  # A2
    data[2][3] = "day"  # D4
    data[3][4] = "2027"  # E5: a year typed as text
    data[4][2] = -5  # C6
    data[5][2] = "tbd"  # C7
    data[6][4] = 2027.5  # E8
    data[7][5] = "EUR"  # F9
    data[8][1] = "eu"  # a good row
    for index, row in enumerate(data):
        row[4] = row[4] if index in {3, 6} else 2000 + index
    path = _filled(tmp_path / "bad.xlsx", data)
    with pytest.raises(ValidationError) as caught:
        read_rate_card(path)
    problems = {p.path: p.message for p in caught.value.problems}
    assert problems["Rates!C7"] == 'expected an amount, got "tbd"'
    assert problems["Rates!C6"] == "expected an amount >= 0, got -5"
    assert problems["Rates!D4"] == 'expected one of "hour", "fte-month", got "day"'
    assert 'got text "2027"' in problems["Rates!E5"]
    assert "got 2027.5" in problems["Rates!E8"]
    assert "expected USD like Rates!F2" in problems["Rates!F9"]
    assert "did you mean 'cra-lead'?" in problems["Rates!A2"]
    assert len(problems) == 7
    assert "Rates!C7: expected an amount" in str(caught.value)


def test_duplicates_blank_rows_and_missing_values(tmp_path: Path) -> None:
    data: list[list[Any]] = [list(GOOD), [], list(GOOD), ["cra", "uk", None, "hour", 2027, "USD"]]
    with pytest.raises(ValidationError) as caught:
        read_rate_card(_filled(tmp_path / "dup.xlsx", data))
    problems = {p.path: p.message for p in caught.value.problems}
    assert problems == {
        "Rates!A4": "cra in us for 2027 is already given in row 2",
        "Rates!C5": "expected an amount, got an empty cell",
    }


def test_columns_in_any_order_text_rates_and_a_default_currency(tmp_path: Path) -> None:
    head = ["Year", "Per", "RATE", "Region", "Role", "Notes"]
    path = _filled(tmp_path / "any.xlsx", [[2027, "FTE-Month", " 12000.50 ", "us", "cra", "agreed"]], head=head)
    found = read_rate_card(path, currency="EUR")
    entry = found.entries[0]
    assert (entry.role, entry.per, entry.year, entry.rate) == ("cra", RatePer.FTE_MONTH, 2027, Money("12000.50", "EUR"))


def test_currency_column_must_agree_with_currency_argument(tmp_path: Path) -> None:
    path = _filled(tmp_path / "cur.xlsx", [list(GOOD), ["cra", "eu", 1, "hour", 2027, None]])
    assert read_rate_card(path, currency="USD").currency == "USD"
    with pytest.raises(ValidationError, match=r"Rates!F2: expected EUR"):
        read_rate_card(path, currency="EUR")
    with pytest.raises(ValidationError, match=r"Rates!F3: expected a currency code"):
        read_rate_card(path)


def test_missing_columns_are_reported_at_the_header(tmp_path: Path) -> None:
    path = _filled(tmp_path / "head.xlsx", [["cra", "us", 1, 2027]], head=["role", "region", "rat", "year"])
    with pytest.raises(ValidationError) as caught:
        read_rate_card(path, currency="USD")
    messages = {p.message for p in caught.value.problems if p.path == "Rates!1:1"}
    assert any("missing column 'rate'" in m and "did you mean 'rat'?" in m for m in messages)
    assert any("missing column 'per'" in m for m in messages)
    no_currency = _filled(tmp_path / "nocur.xlsx", [GOOD[:5]], head=list(COLUMNS[:5]))
    with pytest.raises(ValidationError, match=r"Rates!1:1: no 'currency' column"):
        read_rate_card(no_currency)


def test_empty_sheet_and_sheet_names(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"Rates!A2: expected at least one rate row"):
        read_rate_card(_filled(tmp_path / "empty.xlsx", []))
    path = _filled(tmp_path / "named.xlsx", [["cra", "us", "x", "hour", 2027, "USD"]], title="My rates")
    with pytest.raises(InputFileError, match=r"has no sheet 'Rates' \(its sheets: 'My rates'\)"):
        read_rate_card(path)
    with pytest.raises(ValidationError, match=r"'My rates'!C2: expected an amount"):
        read_rate_card(path, sheet="my rates")


def test_files_that_are_not_workbooks(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        read_rate_card(tmp_path / "missing.xlsx")
    with pytest.raises(InputFileError, match="is a directory"):
        read_rate_card(tmp_path)
    text = tmp_path / "rates.xlsx"
    text.write_text("role,region\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"rates\.xlsx: is not an Excel \.xlsx workbook"):
        read_rate_card(text)
    csv = tmp_path / "rates.csv"
    csv.write_text("role,region\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="is not an Excel"):
        read_rate_card(csv)
    with pytest.raises(ValidationError, match="currency"):
        read_rate_card(text, currency="usd")


def test_float_noise_in_a_file_is_read_as_excel_shows_it(tmp_path: Path) -> None:
    """Excel writes 0.1+0.2 to the file as 0.30000000000000004; crokit reads the 0.3 Excel shows."""
    path = _filled(tmp_path / "noise.xlsx", [["cra", "us", 0.25, "hour", 2027, "USD"]])
    patched = tmp_path / "patched.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"<v>0.25</v>" in data
                data = data.replace(b"<v>0.25</v>", b"<v>0.30000000000000004</v>")
            target.writestr(item, data)
    rate = read_rate_card(patched).entries[0].rate
    assert rate.amount == Decimal("0.3")
    assert rate.amount != Decimal("0.30000000000000004")


def test_year_as_a_whole_float_and_dates_are_not_years(tmp_path: Path) -> None:
    path = _filled(tmp_path / "years.xlsx", [["cra", "us", 1, "hour", 2027.0, "USD"]])
    assert read_rate_card(path).entries[0].year == 2027
    bad = _filled(tmp_path / "date.xlsx", [["cra", "us", 1, "hour", date(2027, 1, 1), "USD"]])
    with pytest.raises(ValidationError, match=r"Rates!E2: expected a whole-number year"):
        read_rate_card(bad)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_saved_files_get_the_mode_of_a_new_file_not_mkstemps(tmp_path: Path) -> None:
    path = write_rate_card_template(tmp_path / "t.xlsx")
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()
    path.chmod(0o600)
    write_rate_card_template(path)
    assert path.stat().st_mode & 0o777 == 0o600
