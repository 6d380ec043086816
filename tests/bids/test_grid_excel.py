"""The bid grid workbook: written, filled in by a CRO (here with openpyxl), read back and priced."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crokit import InputFileError, Money, Registry, ValidationError
from crokit.bids import (
    Bid,
    BidGrid,
    GridRole,
    bid_grid,
    grid_proposal,
    read_bid,
    scope_coverage,
    write_bid_grid,
)
from crokit.cli import main
from crokit.demo import demo_scenario
from crokit.pricing import FteTimeAndMaterials, PassThrough, UnitPrice, derive_drivers
from crokit.serialization import dump, dumps, load
from crokit.serialization._files import file_session
from crokit.testing import bid_grids
from crokit.vocabulary import Stage

openpyxl = pytest.importorskip("openpyxl")

REGISTRY = Registry.builtin()
SCENARIO = demo_scenario()
STUDY = SCENARIO.study
PLANNING = SCENARIO.assumptions
CENT = Decimal("0.01")


def _grid() -> BidGrid:
    return bid_grid(
        STUDY,
        PLANNING,
        registry=REGISTRY,
        sponsor=SCENARIO.sponsor,
        roles=[
            GridRole(
                service="crokit:biostatistics",
                stage=Stage.PHASE_2,
                role="biostatistician",
                region="us",
                fte="0.5",
                start_month=4,
                duration_months=22,
            ),
            GridRole(
                service="crokit:biostatistics",
                stage=Stage.PHASE_2,
                role="programmer",
                region="india",
                fte="1.25",
                start_month=20,
                duration_months=6,
            ),
        ],
        pass_through=["crokit:patient-recruitment"],
    )


LINE_RATES = (1250, "1830.55", 3.35)  # a whole number, decimal text and a float, as people type them
ROLE_RATES = ("15000.00", 8123.45)
ESTIMATE, FEE = "42000.004", 0.08


def _fill(template: Path, filled: Path, *, cro: str | None = "helix-cro") -> None:
    book = openpyxl.load_workbook(template)
    rates, fte, passed = book["Rates"], book["FTE"], book["Pass-through"]
    for row, rate in enumerate(LINE_RATES, start=2):
        rates.cell(row=row, column=4, value=rate)
    for row, rate in enumerate(ROLE_RATES, start=2):
        fte.cell(row=row, column=8, value=rate)
    passed["C2"], passed["D2"] = ESTIMATE, FEE
    if cro is not None:
        book["Bid"]["B2"] = cro
    book.save(filled)


def _rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


def _expected_total(grid: BidGrid) -> Money:
    """The budget total computed from the grid and the typed rates, without crokit's pricing."""
    lines = sum(
        (_rounded(line.quantity * Decimal(str(rate))) for line, rate in zip(grid.lines, LINE_RATES, strict=True)),
        Decimal(0),
    )
    roles = _rounded(Decimal("0.5") * 22 * Decimal("15000.00")) + _rounded(Decimal("1.25") * 6 * Decimal("8123.45"))
    estimate = _rounded(Decimal(ESTIMATE))
    fee = _rounded(estimate * Decimal("0.08"))
    return Money(lines + roles + estimate + fee, "USD")


def test_template_filled_in_imported_and_priced_gives_the_expected_budget_exactly(tmp_path: Path) -> None:
    grid = _grid()
    template, filled = tmp_path / "grid.xlsx", tmp_path / "filled.xlsx"
    write_bid_grid(template, grid, registry=REGISTRY)
    _fill(template, filled)
    bid = read_bid(filled, registry=REGISTRY)
    assert bid.proposal.cro_id == "helix-cro"
    assert bid.proposal.currency == "USD"
    assert bid.assumptions.is_sponsors
    kinds = [type(item) for item in bid.proposal.items]
    assert kinds == [UnitPrice, UnitPrice, UnitPrice, FteTimeAndMaterials, PassThrough]
    budget = bid.proposal.price(STUDY, derive_drivers(STUDY, PLANNING), registry=REGISTRY)
    assert budget.total == _expected_total(grid)
    assert budget.total.amount.as_tuple().exponent == -2


def test_the_template_locks_quantities_validates_rates_and_keeps_live_totals(tmp_path: Path) -> None:
    grid = _grid()
    path = tmp_path / "grid.xlsx"
    write_bid_grid(path, grid, registry=REGISTRY)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Bid", "Rates", "FTE", "Pass-through", "Assumptions", "Deviations"]
    rates = book["Rates"]
    assert all(book[name].protection.sheet for name in book.sheetnames)
    assert rates["C2"].protection.locked
    assert not rates["D2"].protection.locked
    assert rates["A2"].value == REGISTRY.service(grid.lines[0].service).name  # names for people
    assert rates["G2"].value == grid.lines[0].service  # ids for the importer
    assert rates["E2"].value == "=C2*D2"
    total_row = len(grid.lines) + 2
    assert rates.cell(row=total_row, column=5).value == f"=SUM(E2:E{total_row - 1})"
    (validation,) = rates.data_validations.dataValidation
    assert (validation.type, validation.operator, validation.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert str(validation.sqref) == f"D2:D{total_row - 1}"
    assert book.calculation.fullCalcOnLoad
    # A reader that does not recalculate sees no total at all, never a stale or wrong one.
    cached = openpyxl.load_workbook(path, data_only=True)
    assert cached["Rates"].cell(row=total_row, column=5).value is None
    assert cached["Bid"]["B7"].value is None
    assert book["Bid"]["B7"].value == f"=Rates!E{total_row}+FTE!I4+'Pass-through'!E3"


def test_a_text_rate_a_missing_rate_and_a_negative_quantity_are_three_cell_addressed_problems(tmp_path: Path) -> None:
    template, filled = tmp_path / "grid.xlsx", tmp_path / "filled.xlsx"
    write_bid_grid(template, _grid(), registry=REGISTRY)
    _fill(template, filled)
    book = openpyxl.load_workbook(filled)
    rates = book["Rates"]
    rates["D2"], rates["D3"], rates["C4"] = "TBD", None, -3
    book.save(filled)
    with pytest.raises(ValidationError) as caught:
        read_bid(filled, registry=REGISTRY)
    assert [str(problem) for problem in caught.value.problems] == [
        'Rates!D2: expected an amount, got "TBD"',
        "Rates!D3: expected an amount, got an empty cell",
        "Rates!C4: expected a quantity >= 0, got -3",
    ]


def test_the_cros_own_assumptions_come_from_the_deviations_sheet(tmp_path: Path) -> None:
    template, filled = tmp_path / "grid.xlsx", tmp_path / "filled.xlsx"
    write_bid_grid(template, _grid(), registry=REGISTRY)
    _fill(template, filled)
    book = openpyxl.load_workbook(filled)
    sheet = book["Deviations"]
    rows = {sheet.cell(row=row, column=4).value: row for row in range(2, sheet.max_row + 1)}
    sheet.cell(row=rows["screen_failure_rate"], column=3, value=0.18)
    sheet.cell(row=rows["enrolment_months"], column=3, value=16)
    sheet.cell(row=rows["monitoring_visits_per_site_month"], column=3, value="1.5")
    book.save(filled)
    bid = read_bid(filled, registry=REGISTRY)
    assert bid.assumptions.screen_failure_rate == Decimal("0.18")
    assert bid.assumptions.planning is not None
    assert bid.assumptions.planning.enrolment_months == 16
    assert bid.assumptions.planning.monitoring_visits_per_site_month == Decimal("1.5")
    assert bid.assumptions.planning.monitoring_interval_weeks is None
    assert bid.assumptions.planning.treatment_months == PLANNING.treatment_months
    names = [difference.name for difference in bid.assumptions.differences(STUDY, PLANNING)]
    assert names == [
        "screen_failure_rate",
        "enrolment_months",
        "monitoring_interval_weeks",
        "monitoring_visits_per_site_month",
    ]


def test_bad_deviations_and_identity_are_reported_at_their_cells(tmp_path: Path) -> None:
    template, filled = tmp_path / "grid.xlsx", tmp_path / "filled.xlsx"
    write_bid_grid(template, _grid(), registry=REGISTRY)
    _fill(template, filled, cro="Helix CRO")
    book = openpyxl.load_workbook(filled)
    book["Bid"]["B3"] = "EURO"
    book["Deviations"]["C4"] = "18%"
    book.save(filled)
    with pytest.raises(ValidationError) as caught:
        read_bid(filled, registry=REGISTRY)
    assert [problem.path for problem in caught.value.problems] == ["Bid!B2", "Bid!B3", "Deviations!C4"]


def test_the_command_line_overrides_nothing_silently(tmp_path: Path) -> None:
    template, filled = tmp_path / "grid.xlsx", tmp_path / "filled.xlsx"
    write_bid_grid(template, _grid(), registry=REGISTRY)
    _fill(template, filled, cro=None)
    bid = read_bid(filled, registry=REGISTRY, cro="orphan-trials")
    assert bid.proposal.cro_id == "orphan-trials"
    with pytest.raises(ValidationError) as caught:
        read_bid(filled, registry=REGISTRY, cro="orphan-trials", currency="EUR")
    assert [problem.path for problem in caught.value.problems] == ["Bid!B3"]


def test_cli_template_then_import_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario, template = tmp_path / "scenario.toml", tmp_path / "grid.xlsx"
    dump(SCENARIO, scenario, registry=REGISTRY)
    assert main(["template", "bid-grid", str(scenario), "--output", str(template)]) == 0
    grid = bid_grid(STUDY, PLANNING, registry=REGISTRY, sponsor=SCENARIO.sponsor)
    book = openpyxl.load_workbook(template)
    for row in range(2, len(grid.lines) + 2):
        book["Rates"].cell(row=row, column=4, value="100.10")
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    for suffix in ("toml", "json", "yaml"):
        output = tmp_path / f"bid.{suffix}"
        assert main(["import", "bid", str(filled), "--cro", "helix-cro", "--output", str(output)]) == 0
        bid = load(output, Bid, registry=REGISTRY)
        budget = bid.proposal.price(STUDY, derive_drivers(STUDY, PLANNING), registry=REGISTRY)
        expected = sum((_rounded(line.quantity * Decimal("100.10")) for line in grid.lines), Decimal(0))
        assert budget.total == Money(expected, "USD")
    assert main(["import", "bid", str(filled), "--cro", "helix-cro"]) == 0
    assert capsys.readouterr().out.endswith(dumps(bid, "toml", registry=REGISTRY))


def test_cli_refuses_a_bad_workbook_with_exit_1_and_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template, filled, output = tmp_path / "grid.xlsx", tmp_path / "filled.xlsx", tmp_path / "bid.toml"
    write_bid_grid(template, _grid(), registry=REGISTRY)
    _fill(template, filled)
    book = openpyxl.load_workbook(filled)
    book["Rates"]["D2"] = "TBD"
    book.save(filled)
    assert main(["import", "bid", str(filled), "--output", str(output)]) == 1
    err = capsys.readouterr().err
    assert 'Rates!D2: expected an amount, got "TBD"' in err
    assert "Traceback" not in err
    assert not output.exists()
    assert main(["template", "bid-grid", str(tmp_path / "missing.toml"), "--output", str(template)]) == 1
    assert main(["template", "bid-grid", str(tmp_path / "missing.toml")]) == 1
    assert "--output" in capsys.readouterr().err


def test_a_file_that_is_not_a_workbook_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "grid.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(Exception, match="not an Excel") as caught:
        read_bid(path, registry=REGISTRY)
    assert type(caught.value).__name__ == "InputFileError"


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=bid_grids(), data=st.data())
def test_any_grid_filled_in_reads_back_as_the_proposal_of_its_rates(
    grid: BidGrid, data: st.DataObject, tmp_path: Path
) -> None:
    amounts = st.decimals(min_value=0, max_value=10**7, places=2)
    line_rates = [data.draw(amounts) for _ in grid.lines]
    role_rates = [data.draw(amounts) for _ in grid.roles]
    prices = [
        (data.draw(amounts), data.draw(st.decimals(min_value=0, max_value="0.99", places=2))) for _ in grid.pass_through
    ]
    template, filled = tmp_path / "grid.xlsx", tmp_path / "filled.xlsx"
    write_bid_grid(template, grid, registry=REGISTRY)
    book = openpyxl.load_workbook(template)
    for row, rate in enumerate(line_rates, start=2):
        book["Rates"].cell(row=row, column=4, value=rate)
    for row, rate in enumerate(role_rates, start=2):
        book["FTE"].cell(row=row, column=8, value=rate)
    for row, (estimate, fee) in enumerate(prices, start=2):
        book["Pass-through"].cell(row=row, column=3, value=estimate)
        book["Pass-through"].cell(row=row, column=4, value=fee)
    book["Bid"]["B2"] = "some-cro"
    book.save(filled)
    expected = grid_proposal(
        grid,
        cro_id="some-cro",
        currency=grid.currency,
        line_rates=line_rates,
        role_rates=role_rates,
        pass_through=prices,
    )
    assert read_bid(filled, registry=REGISTRY).proposal == expected


def test_text_excel_cannot_hold_is_refused_with_its_path(tmp_path: Path) -> None:
    grid = _grid()
    bad = attrs.evolve(grid, lines=(attrs.evolve(grid.lines[0], description="bell\x07"), *grid.lines[1:]))
    with pytest.raises(ValidationError) as caught:
        write_bid_grid(tmp_path / "grid.xlsx", bad, registry=REGISTRY)
    assert caught.value.problems[0].path == "lines[0].description"
    assert not (tmp_path / "grid.xlsx").exists()


def test_the_input_size_limit_applies_to_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "grid.xlsx"
    write_bid_grid(path, _grid(), registry=REGISTRY)
    with file_session(limit=1000), pytest.raises(InputFileError, match="limit"):
        read_bid(path, registry=REGISTRY)


def test_an_fsp_bids_monitoring_only_and_the_rest_shows_as_missing_scope(tmp_path: Path) -> None:
    grid = _grid()
    template, filled = tmp_path / "grid.xlsx", tmp_path / "filled.xlsx"
    write_bid_grid(template, grid, registry=REGISTRY)
    _fill(template, filled, cro="monitor-fsp")
    book = openpyxl.load_workbook(filled)
    for row, line in enumerate(grid.lines, start=2):
        if line.service != "crokit:on-site-monitoring":
            book["Rates"].cell(row=row, column=4, value="Not bid")
    book["FTE"]["H2"], book["FTE"]["H3"] = "not bid", " NOT  BID "
    book["Pass-through"]["C2"] = "not bid"
    book.save(filled)
    bid = read_bid(filled, registry=REGISTRY)
    assert [item.service for item in bid.proposal.items] == ["crokit:on-site-monitoring"]
    budget = bid.proposal.price(STUDY, derive_drivers(STUDY, PLANNING), registry=REGISTRY)
    coverage = scope_coverage(budget, required_services=STUDY.required_services, candidate="monitor-fsp")
    assert not coverage.like_for_like
    assert "crokit:on-site-monitoring" not in coverage.missing
    book["Rates"]["D3"] = "not bid"
    book.save(filled)
    with pytest.raises(ValidationError, match="at least one priced row"):
        read_bid(filled, registry=REGISTRY)


def test_a_workbook_without_a_sheet_of_the_grid_is_an_input_error(tmp_path: Path) -> None:
    template, filled = tmp_path / "grid.xlsx", tmp_path / "filled.xlsx"
    write_bid_grid(template, _grid(), registry=REGISTRY)
    _fill(template, filled)
    book = openpyxl.load_workbook(filled)
    del book["Deviations"]
    book.save(filled)
    with pytest.raises(InputFileError, match="has no sheet 'Deviations'"):
        read_bid(filled, registry=REGISTRY)


def test_ids_changed_by_hand_are_reported_at_their_cells(tmp_path: Path) -> None:
    template, filled = tmp_path / "grid.xlsx", tmp_path / "filled.xlsx"
    write_bid_grid(template, _grid(), registry=REGISTRY)
    _fill(template, filled)
    book = openpyxl.load_workbook(filled)
    book["Rates"]["G2"] = "crokit:no-such-service"
    book["Rates"]["I3"] = "per-visit"
    book["FTE"]["B2"] = "Senior Statistician"
    book.save(filled)
    with pytest.raises(ValidationError) as caught:
        read_bid(filled, registry=REGISTRY)
    assert [problem.path for problem in caught.value.problems] == ["Rates!G2", "Rates!I3", "FTE!B2"]


def test_text_starting_with_an_equals_sign_stays_text(tmp_path: Path) -> None:
    """Regression (found by the property test above): a description ``=0`` was written as a formula."""
    grid = _grid()
    tricky = attrs.evolve(grid, lines=(attrs.evolve(grid.lines[0], description="=0"), *grid.lines[1:]))
    target = tmp_path / "grid.xlsx"
    write_bid_grid(target, tricky, registry=REGISTRY)
    book = openpyxl.load_workbook(target)
    cells = [cell for row in book["Rates"].iter_rows() for cell in row if cell.value == "=0"]
    assert cells
    assert all(cell.data_type == "s" for cell in cells)
