"""The workbook people forward: summary, live budget sheets, cached formula results, the command line."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.worksheet import Worksheet

import crokit
from crokit.cli import main
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.excel import export_report_workbook, report_workbook
from crokit.excel._evaluation import SUMMARY_SHEET, add_cached_values, candidate_sheet_name
from crokit.excel._evaluation_bids import BIDS_SHEET
from crokit.excel._evaluation_blocks import FORECAST_SHEET, SENSITIVITY_SHEET
from crokit.excel._numbers import sheet_ref
from crokit.pricing.budget import Budget
from crokit.scenario import Evaluation, evaluate
from crokit.testing import evaluations

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return evaluate(demo_scenario(), seed=DEMO_SEED, registry=crokit.Registry.builtin())


@pytest.fixture(scope="module")
def data(evaluation: Evaluation) -> bytes:
    return report_workbook(evaluation)


def _open(data: bytes, *, values: bool) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), data_only=values)


def _sheet(book: openpyxl.Workbook, name: str) -> Worksheet:
    found = book[name]
    assert isinstance(found, Worksheet)
    return found


def _number(value: object) -> Decimal:
    assert isinstance(value, int | float), value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _find(sheet: Worksheet, text: str, column: int = 1) -> int:
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row=row, column=column).value == text:
            return row
    raise AssertionError(f"{text!r} not in column {column} of {sheet.title}")


# -- A small evaluator of the formulas the workbook uses, to check the stored results. --

_RANGE = r"\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)"


def _cell(book: openpyxl.Workbook, sheet: Worksheet, ref: str) -> Decimal:
    if "!" in ref:
        name, ref = ref.rsplit("!", 1)
        sheet = _sheet(book, name.strip("'").replace("''", "'"))
    value = sheet[ref.replace("$", "")].value
    if isinstance(value, str) and value.startswith("="):
        return _evaluate(book, sheet, value[1:])
    return Decimal(0) if value is None else _number(value)


def _column(sheet: Worksheet, match: re.Match[str]) -> list[object]:
    first, top, last, bottom = match.groups()
    assert first == last
    return [sheet[f"{first}{row}"].value for row in range(int(top), int(bottom) + 1)]


def _evaluate(book: openpyxl.Workbook, sheet: Worksheet, formula: str) -> Decimal:  # noqa: PLR0911 - a formula each
    """The result of one of the workbook's formulas, computed as a spreadsheet does (ROUND: halves away from 0)."""
    if found := re.fullmatch(rf"SUM\({_RANGE}\)", formula):
        return sum((_number(v) for v in _column(sheet, found) if v is not None), Decimal(0))
    if found := re.fullmatch(rf"SUMPRODUCT\(\({_RANGE}=A(\d+)\)\*{_RANGE}\)", formula):
        key = sheet[f"A{found.group(5)}"].value
        names = _column(sheet, re.fullmatch(_RANGE, formula[12:].split("=", maxsplit=1)[0]))  # type: ignore[arg-type]
        amounts = _column(sheet, re.fullmatch(_RANGE, formula.split("*")[1][:-1]))  # type: ignore[arg-type]
        return sum((_number(a) for n, a in zip(names, amounts, strict=True) if n == key), Decimal(0))
    if found := re.fullmatch(r"IF\((\$?H\$?\d+)=0,0,(H\d+)/(\$?H\$?\d+)\)", formula):
        total = _cell(book, sheet, found.group(1))
        return Decimal(0) if total == 0 else _cell(book, sheet, found.group(2)) / total
    if found := re.fullmatch(r"ROUND\((D\d+)/(\d+),(\d+)\)", formula):
        value = _cell(book, sheet, found.group(1)) / int(found.group(2))
        return value.quantize(Decimal(1).scaleb(-int(found.group(3))), rounding=ROUND_HALF_UP)
    if re.fullmatch(r"('[^']*(?:''[^']*)*'|\w+)!\$H\$\d+", formula):
        return _cell(book, sheet, formula)
    if found := re.fullmatch(r"(C\d+)-(B\d+)", formula):  # the Bids sheet: normalised - quoted
        return _cell(book, sheet, found.group(1)) - _cell(book, sheet, found.group(2))
    if found := re.fullmatch(r"(C\d+)\+(E\d+)\+(F\d+)", formula):  # normalised + sponsor + other vendors
        return sum((_cell(book, sheet, ref) for ref in found.groups()), Decimal(0))
    raise AssertionError(f"a formula the workbook should not hold: {formula}")


def _check_cached_results(data: bytes) -> int:
    """Every formula's stored result equals the formula computed over the stored cells; return how many."""
    formulas, values = _open(data, values=False), _open(data, values=True)
    checked = 0
    for sheet in formulas.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    stored = values[sheet.title][cell.coordinate].value
                    assert stored is not None, f"{sheet.title}!{cell.coordinate} has no stored result"
                    computed = _evaluate(formulas, sheet, cell.value[1:])
                    assert abs(_number(stored) - computed) <= abs(computed) * Decimal("1e-14"), cell.coordinate
                    checked += 1
    return checked


# -- The demo workbook. --


def test_summary_reads_like_a_report(data: bytes, evaluation: Evaluation) -> None:
    book = _open(data, values=True)
    assert book.sheetnames[0] == SUMMARY_SHEET
    summary = _sheet(book, SUMMARY_SHEET)
    column = [summary.cell(row=r, column=1).value for r in range(1, 8)]
    assert column[0] == evaluation.title
    winner = evaluation.candidate(evaluation.winner or "")
    assert f"Recommended: {winner.name}" in column
    assert any(isinstance(text, str) and "Fabry disease" in text and "Rare disease" in text for text in column)
    header = _find(summary, "Rank")
    names = [summary.cell(row=header + i, column=2).value for i in range(1, len(evaluation.candidates) + 1)]
    ranked = sorted((r for r in evaluation.candidates if r.rank), key=lambda r: r.rank or 0)
    assert names[: len(ranked)] == [r.name for r in ranked]
    first = header + 1
    assert summary.cell(row=first, column=1).value == 1
    assert _number(summary.cell(row=first, column=4).value) == winner.budget.total.amount  # type: ignore[union-attr]
    assert _number(summary.cell(row=first, column=5).value) == winner.cost_per_patient.amount  # type: ignore[union-attr]
    ratio = winner.benchmark.ratio if winner.benchmark else None
    assert ratio is not None
    assert _number(summary.cell(row=first, column=6).value) == ratio.quantize(Decimal("0.0001"), ROUND_HALF_UP)
    fills = {summary.cell(row=row, column=2).fill.fgColor.rgb for row in range(first, first + len(names))}
    assert summary.cell(row=first, column=2).fill.fill_type == "solid"
    assert summary.cell(row=first + 1, column=2).fill.fill_type is None
    assert len(fills) == 2
    assert summary.cell(row=first, column=3).font.bold
    excluded = next(r for r in evaluation.candidates if not r.eligible)
    row = _find(summary, excluded.name, column=2)
    assert summary.cell(row=row, column=1).value == "excluded"
    assert summary.cell(row=row, column=7).value == "; ".join(excluded.reasons)


def test_one_sheet_per_priced_candidate_with_names_not_ids(data: bytes, evaluation: Evaluation) -> None:
    book = _open(data, values=True)
    priced = [r for r in evaluation.candidates if r.budget is not None]
    assert book.sheetnames[0] == SUMMARY_SHEET
    assert book.sheetnames[-3:] == [BIDS_SHEET, FORECAST_SHEET, SENSITIVITY_SHEET]
    assert len(book.sheetnames) == 4 + len(priced)
    registry = crokit.Registry.builtin()
    for result, title in zip(sorted(priced, key=lambda r: r.rank or 99), book.sheetnames[1:-3], strict=True):
        assert result.budget is not None
        sheet = _sheet(book, title)
        assert title == candidate_sheet_name(result.name, taken=book.sheetnames[: book.sheetnames.index(title)])
        assert sheet["A1"].value == f"Budget: {result.name}"
        services = [sheet.cell(row=6 + i, column=1).value for i in range(len(result.budget.lines))]
        assert services == [registry.service(line.service).name for line in result.budget.lines]
        assert all("crokit:" not in str(cell.value) for cell in sheet["A"] + sheet[5])
        amounts = [_number(sheet.cell(row=6 + i, column=8).value) for i in range(len(result.budget.lines))]
        assert amounts == [line.amount.amount for line in result.budget.lines]
        total = _find(sheet, "Total")
        assert _number(sheet.cell(row=total, column=8).value) == result.budget.total.amount
        by_service = {
            sheet.cell(row=row, column=1).value: _number(sheet.cell(row=row, column=8).value)
            for row in range(total + 3, sheet.max_row + 1)
        }
        assert by_service == {registry.service(s).name: m.amount for s, m in result.budget.by_service().items()}


def test_the_bids_sheet_compares_the_totals_over_the_same_scope(data: bytes, evaluation: Evaluation) -> None:
    book = _open(data, values=True)
    sheet = _sheet(book, BIDS_SHEET)
    compared = [r for r in evaluation.candidates if r.coverage is not None and r.normalisation is not None]
    assert compared
    for row, result in enumerate(compared, start=5):
        assert result.coverage is not None
        assert result.normalisation is not None
        assert sheet.cell(row=row, column=1).value == result.name
        quoted, normalised = (_number(sheet.cell(row=row, column=c).value) for c in (2, 3))
        assert (quoted, normalised) == (
            result.normalisation.quoted.total.amount,
            result.normalisation.normalised.total.amount,
        )
        assert _number(sheet.cell(row=row, column=4).value) == normalised - quoted
        tco = _number(sheet.cell(row=row, column=7).value)
        assert tco == result.coverage.total_cost_of_outsourcing.amount == result.ranked_total.amount  # type: ignore[union-attr]
    fsp = next(row for row in range(5, 5 + len(compared)) if "ClinPath" in str(sheet.cell(row=row, column=1).value))
    assert [_number(sheet.cell(row=fsp, column=c).value) for c in (5, 6)] == [Decimal(95000), Decimal(138000)]
    scope = _find(sheet, "Who covers each required service")
    headers = [cell.value for cell in sheet[scope + 1]][1:]
    assert "Data management" in headers
    assert all("crokit:" not in str(cell.value) for row in sheet.iter_rows() for cell in row)
    fsp_scope = next(
        r for r in range(scope + 2, sheet.max_row + 1) if "ClinPath" in str(sheet.cell(row=r, column=1).value)
    )
    covered = {headers[i]: sheet.cell(row=fsp_scope, column=i + 2).value for i in range(len(headers)) if headers[i]}
    assert covered["Data management"] == "sponsor"
    assert covered["Biostatistics"] == "other vendor"
    assert covered["Patient recruitment"] == "MISSING"


def test_the_forecast_and_sensitivity_sheets_say_what_the_report_says(data: bytes, evaluation: Evaluation) -> None:
    from crokit.report._document import Table
    from crokit.report._forecast import forecast_blocks
    from crokit.report._sensitivity import sensitivity_blocks

    book = _open(data, values=True)
    assert book.sheetnames[-2:] == [FORECAST_SHEET, SENSITIVITY_SHEET]
    for title, blocks in (
        (FORECAST_SHEET, forecast_blocks(evaluation)),
        (SENSITIVITY_SHEET, sensitivity_blocks(evaluation)),
    ):
        sheet = _sheet(book, title)
        written = [tuple(cell for cell in row if cell is not None) for row in sheet.iter_rows(values_only=True)]
        for block in blocks:
            if isinstance(block, Table):
                assert tuple(block.headers) in written
                assert all(tuple(row) in written for row in block.rows)
    lpi = next(row for row in _sheet(book, FORECAST_SHEET).iter_rows(values_only=True) if row[0] == "Last patient in")
    assert evaluation.forecast is not None
    assert lpi[1:4] == tuple(q.date.isoformat() for q in evaluation.forecast.last_patient_in.quantiles)


def test_without_a_forecast_or_a_tornado_there_is_no_sheet_for_them() -> None:
    plain = evaluate(attrs.evolve(demo_scenario(), forecast=None, sensitivity=None), seed=DEMO_SEED)
    book = _open(report_workbook(plain), values=True)
    assert FORECAST_SHEET not in book.sheetnames
    assert SENSITIVITY_SHEET not in book.sheetnames


def test_money_cells_show_the_currencys_places(data: bytes) -> None:
    book = _open(data, values=False)
    sheet = book.worksheets[1]
    assert sheet["H6"].number_format == '#,##0.00 "USD"'
    total = _find(sheet, "Total")
    assert sheet.cell(row=total, column=8).number_format == '#,##0.00 "USD"'
    summary = _sheet(book, SUMMARY_SHEET)
    first = _find(summary, "Rank") + 1
    assert summary.cell(row=first, column=4).number_format == '#,##0.00 "USD"'


def test_totals_are_formulas_over_the_line_cells(data: bytes, evaluation: Evaluation) -> None:
    book = _open(data, values=False)
    sheet = book.worksheets[1]
    winner = evaluation.candidate(evaluation.winner or "")
    assert winner.budget is not None
    lines = len(winner.budget.lines)
    total = _find(sheet, "Total")
    assert total == 6 + lines
    assert sheet.cell(row=total, column=8).value == f"=SUM(H6:H{5 + lines})"
    service = sheet.cell(row=total + 3, column=8).value
    assert service == f"=SUMPRODUCT(($A$6:$A${5 + lines}=A{total + 3})*$H$6:$H${5 + lines})"
    summary = _sheet(book, SUMMARY_SHEET)
    first = _find(summary, "Rank") + 1
    assert summary.cell(row=first, column=4).value == f"={sheet_ref(book.sheetnames[1])}!$H${total}"
    assert summary.cell(row=first, column=5).value == f"=ROUND(D{first}/{evaluation.study.planned_patients},2)"
    assert book.calculation.fullCalcOnLoad


def test_every_stored_result_is_what_its_formula_computes(data: bytes) -> None:
    assert _check_cached_results(data) > 20


def test_editing_a_line_changes_the_total_by_formula(data: bytes) -> None:
    book = _open(data, values=False)
    sheet = book.worksheets[1]
    total = _find(sheet, "Total")
    before = _evaluate(book, sheet, str(sheet.cell(row=total, column=8).value)[1:])
    sheet["H6"] = float(_number(sheet["H6"].value) + 1000)
    after = _evaluate(book, sheet, str(sheet.cell(row=total, column=8).value)[1:])
    assert after - before == 1000


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed: the formulas are checked by the evaluator above")
    return found


def _recalculate(soffice: str, source: Path, folder: Path) -> openpyxl.Workbook:
    """Open *source* in LibreOffice headless, which recalculates it, save it again and read the results."""
    out = folder / "out"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return openpyxl.load_workbook(out / source.name, data_only=True)


def test_libreoffice_recalculates_an_edited_line_into_every_total(
    data: bytes, evaluation: Evaluation, tmp_path: Path
) -> None:
    soffice = _soffice()
    book = _open(data, values=False)
    sheet = book.worksheets[1]
    total = _find(sheet, "Total")
    summary = _sheet(book, SUMMARY_SHEET)
    first = _find(summary, "Rank") + 1
    old = _number(sheet["H6"].value)
    sheet["H6"] = float(old + 1000)
    edited = tmp_path / "edited.xlsx"
    book.save(edited)  # openpyxl drops every stored result: LibreOffice must compute them
    plain = tmp_path / "plain.xlsx"
    openpyxl.load_workbook(io.BytesIO(data)).save(plain)

    for name, shift in ((edited, 1000), (plain, 0)):
        result = _recalculate(soffice, name, tmp_path)
        winner = evaluation.candidate(evaluation.winner or "")
        assert winner.budget is not None
        expected = winner.budget.total.amount + shift
        assert _number(result.worksheets[1].cell(row=total, column=8).value) == expected
        assert _number(_sheet(result, SUMMARY_SHEET).cell(row=first, column=4).value) == expected
        per = (expected / evaluation.study.planned_patients).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert _number(_sheet(result, SUMMARY_SHEET).cell(row=first, column=5).value) == per
    # Unedited, LibreOffice's own results are the ones the workbook stores.
    stored = _open(data, values=True)
    for title in stored.sheetnames:
        for row in _open(data, values=False)[title].iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    mine = _number(stored[title][cell.coordinate].value)
                    theirs = _number(result[title][cell.coordinate].value)
                    assert abs(mine - theirs) <= abs(mine) * Decimal("1e-12"), (title, cell.coordinate)


# -- Any evaluation. --


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(evaluations())
def test_any_evaluation_stores_the_results_its_formulas_compute(found: Evaluation) -> None:
    data = report_workbook(found)
    _check_cached_results(data)
    book = _open(data, values=True)
    # Summary, one sheet per priced candidate, then "Bids" when a candidate's scope and
    # normalisation were compared (a rare draw: the count once left it out), then the
    # forecast and sensitivity sections the evaluation has.
    bids = any(r.coverage is not None and r.normalisation is not None for r in found.candidates)
    priced = sum(r.budget is not None for r in found.candidates)
    assert book.sheetnames[0] == SUMMARY_SHEET
    rest = book.sheetnames[1 + priced :]
    assert (BIDS_SHEET in rest) == bids, book.sheetnames
    assert set(rest) <= {BIDS_SHEET, FORECAST_SHEET, SENSITIVITY_SHEET}, book.sheetnames
    assert (FORECAST_SHEET in rest) == (found.forecast is not None), book.sheetnames
    assert (SENSITIVITY_SHEET in rest) == (found.sensitivity is not None), book.sheetnames


@given(st.text(min_size=0, max_size=60), st.lists(st.text(max_size=35), max_size=5))
def test_sheet_names_are_always_ones_excel_accepts(name: str, taken: list[str]) -> None:
    title = candidate_sheet_name(name, taken=taken)
    assert 1 <= len(title) <= 31
    assert not re.search(r"[\[\]:*?/\\]", title)
    assert not title.startswith("'")
    assert not title.endswith("'")
    assert title.casefold() not in {t.casefold() for t in taken}
    assert title.casefold() != "history"


def test_cached_values_refuse_a_cell_that_is_no_formula() -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = 1  # type: ignore[index]
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ValueError, match="A1"):
        add_cached_values(buffer.getvalue(), {"xl/worksheets/sheet1.xml": {"A1": Decimal(1)}})


def test_cached_values_leave_other_parts_as_they_were(data: bytes) -> None:
    again = add_cached_values(data, {})
    before, after = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(again))
    assert before.namelist() == after.namelist()
    assert all(before.read(name) == after.read(name) for name in before.namelist())


# -- The command line. --


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_demo_writes_the_workbook(tmp_path: Path, evaluation: Evaluation) -> None:
    target = tmp_path / "demo.xlsx"
    code, out, err = _run("demo", "--format", "xlsx", "--output", str(target))
    assert (code, out, err) == (0, "", "")
    assert _parts(target.read_bytes()) == _parts(report_workbook(evaluation))


def _parts(data: bytes) -> dict[str, bytes]:
    """A workbook's parts, but for the one that records when it was written."""
    book = zipfile.ZipFile(io.BytesIO(data))
    return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


def test_evaluate_writes_the_workbook(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    example = ROOT / "examples" / "rare_disease_phase2.toml"
    code, _, err = _run("evaluate", str(example), "--format", "xlsx", "--output", str(target), "--seed", "2027")
    assert code == 0, err
    book = openpyxl.load_workbook(target, data_only=True)
    assert book.sheetnames[0] == SUMMARY_SHEET
    _check_cached_results(target.read_bytes())


@pytest.mark.parametrize("command", [("demo",), ("evaluate", str(ROOT / "examples" / "rare_disease_phase2.toml"))])
def test_xlsx_without_output_is_refused(command: tuple[str, ...]) -> None:
    code, out, err = _run(*command, "--format", "xlsx")
    assert code == 1
    assert out == ""
    assert "--format xlsx writes a workbook" in err
    assert "--output" in err


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "demo.xlsx"
    target.write_bytes(b"the old file")

    def full_disk(_descriptor: int) -> None:  # the workbook is written, then the disk fills
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("crokit.serialization._files.os.fsync", full_disk)
    code, _, err = _run("demo", "--format", "xlsx", "--output", str(target))
    assert code == 1
    assert "No space left on device" in err
    assert target.read_bytes() == b"the old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.xlsx"]


def test_export_report_workbook_writes_atomically(tmp_path: Path, evaluation: Evaluation) -> None:
    target = tmp_path / "report.xlsx"
    export_report_workbook(evaluation, target)
    assert openpyxl.load_workbook(target).sheetnames[0] == SUMMARY_SHEET
    with pytest.raises(crokit.InputFileError):
        export_report_workbook(evaluation, tmp_path / "missing" / "report.xlsx")


def test_without_openpyxl_the_command_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    for name in [n for n in sys.modules if n == "openpyxl" or n.startswith("openpyxl.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    target = tmp_path / "demo.xlsx"
    code, out, err = _run("demo", "--format", "xlsx", "--output", str(target))
    assert (code, out) == (1, "")
    assert "pip install 'crokit[excel]'" in err
    assert not target.exists()


def test_budgets_excel_cannot_sum_get_crokits_exact_totals(evaluation: Evaluation) -> None:
    winner, second = (r for r in evaluation.candidates if r.rank in {1, 2})
    assert winner.budget is not None
    assert second.budget is not None
    line = winner.budget.lines[0]
    huge = crokit.Money("12345678901234.56", "USD")  # 16 significant digits: Excel would round it
    big = attrs.evolve(
        line, service="acme:custom-service", quantity=Decimal(1), unit_price=huge, amount=huge, derivation="1 x huge"
    )
    changed = {
        winner.id: attrs.evolve(winner, budget=Budget(currency="USD", lines=(big, *winner.budget.lines[1:]))),
        second.id: attrs.evolve(second, budget=Budget(currency="USD", lines=())),
    }
    odd = attrs.evolve(evaluation, candidates=tuple(changed.get(r.id, r) for r in evaluation.candidates))
    data = report_workbook(odd)
    _check_cached_results(data)
    formulas = _open(data, values=False)
    big_sheet, empty_sheet = formulas.worksheets[1], formulas.worksheets[2]
    total = _find(big_sheet, "Total")
    assert big_sheet.cell(row=total, column=8).value == str(changed[winner.id].budget.total.amount)  # type: ignore[union-attr]
    assert "more digits than Excel keeps" in str(big_sheet.cell(row=total, column=9).value)
    assert big_sheet["A6"].value == "acme:custom-service"  # a service the registry does not know keeps its id
    assert not any(str(c.value).startswith("=") for row in big_sheet.iter_rows() for c in row)
    assert empty_sheet.cell(row=_find(empty_sheet, "Total"), column=8).value == 0
    summary = _sheet(formulas, SUMMARY_SHEET)
    first = _find(summary, "Rank") + 1
    assert summary.cell(row=first, column=4).value == str(changed[winner.id].budget.total.amount)  # type: ignore[union-attr]
    assert summary.cell(row=first + 1, column=4).value == 0
