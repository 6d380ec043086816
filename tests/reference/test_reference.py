"""crokit.reference: published figures with their citations, lookups, user tables, checks."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import CrokitError, FxRate, FxTable, InputFileError, Money, Stage, UnknownIdError, ValidationError
from crokit._decimal import CONTEXT
from crokit.reference import (
    COST_PER_PATIENT,
    LIKELIHOOD_OF_APPROVAL,
    NON_ONCOLOGY,
    PUBLISHED_FILES,
    SOURCES,
    TRANSITION_PROBABILITY,
    BenchmarkCheck,
    BenchmarkTable,
    Citation,
    Figure,
    NoBenchmark,
    check_cost_per_patient,
    load_published,
    load_table,
)

SHARED = Path("/work/shared/data/reference")
SERTKAYA = "Sertkaya et al. 2024, JAMA Network Open, Table 1"
HEADER = "source_id,measure,therapeutic_area,phase,value,low,high,unit,dollar_year,statistic,verification"


def _rows(file_name: str) -> list[dict[str, str]]:
    text = resources.files("crokit.reference").joinpath("data").joinpath(file_name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _write(tmp_path: Path, text: str, name: str = "costs.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the shipped data ------------------------------------------------------------------


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared reference notes are not on this machine")
@pytest.mark.parametrize(
    "name",
    ["sertkaya-2024-table1.csv", "bio-2021-phase-transition-rates.csv", "bio-2016-phase-transition-rates.csv"],
)
def test_package_data_is_a_verbatim_copy_of_the_reference_notes(name):
    shipped = resources.files("crokit.reference").joinpath("data").joinpath(name).read_bytes()
    assert shipped == (SHARED / name).read_bytes()


@pytest.mark.parametrize(("name", "source_id"), [(n, s) for n, s in PUBLISHED_FILES if s is not None])
def test_every_cell_of_the_wide_tables_loads_with_its_citation(name, source_id):
    by_origin = {figure.origin: figure for figure in load_published().figures}
    rows = _rows(name)
    assert rows
    for number, row in enumerate(rows, start=2):
        for column, text in row.items():
            if column in {"therapeutic_area", "group", "verification"}:
                continue
            figure = by_origin[f"{name}:row {number}:{column}"]
            assert figure.source is SOURCES[source_id]
            assert figure.value == Decimal(text)
            assert str(figure.value) == text  # exact text, trailing zeros kept
            assert figure.source_area == row.get("therapeutic_area", row.get("group"))


def test_every_row_of_cost_ranges_loads_with_its_citation():
    by_origin = {figure.origin: figure for figure in load_published().figures}
    rows = _rows("cost-ranges.csv")
    assert len(rows) == 21
    for number, row in enumerate(rows, start=2):
        figure = by_origin[f"cost-ranges.csv:row {number}"]
        assert figure.source is SOURCES[row["source_id"]]
        assert figure.measure == row["measure"]
        for column in ("value", "low", "high"):
            expected = Decimal(row[column]) if row[column] else None
            assert getattr(figure, column) == expected
        assert figure.verification == row["verification"]


def test_published_table_counts_every_figure():
    table = load_published()
    # 14 areas x 8 columns, 14 x 5, 5 x 6, 21 long rows
    assert len(table.figures) == 14 * 8 + 14 * 5 + 5 * 6 + 21
    assert table.sources == tuple(sorted(SOURCES))
    assert load_published() is table  # cached


def test_no_float_anywhere_in_figure_values():
    for figure in load_published().figures:
        numbers = [n for n in (figure.value, figure.low, figure.high) if n is not None]
        assert numbers
        assert all(isinstance(n, Decimal) for n in numbers)


def test_money_figures_state_their_dollar_year_or_say_it_is_not_stated():
    for figure in load_published().figures:
        if figure.unit != "USD":
            continue
        if figure.source.id == "sertkaya-2024":
            assert figure.dollar_year == 2018
        else:
            assert figure.dollar_year is None
            assert "dollar year not stated in crokit's notes" in figure.verification


def test_other_figures_are_those_of_the_notes():
    table = load_published()
    ranges = {f.phase: (f.low, f.high) for f in table.select(measure="cost-per-study", source="sertkaya-2016")}
    assert ranges == {
        Stage.PHASE_1: (Decimal(1400000), Decimal(6600000)),
        Stage.PHASE_2: (Decimal(7000000), Decimal(19600000)),
        Stage.PHASE_3: (Decimal(11500000), Decimal(52900000)),
        Stage.PHASE_4: (None, Decimal(72900000)),
    }
    moore = table.lookup("pivotal-trial-cost-per-patient", None, "all")
    assert (moore.value, moore.low, moore.high) == (Decimal(41413), Decimal(29894), Decimal(75047))
    assert table.lookup("cost-per-study", Stage.PHASE_3, "all", source="martin-2017").value == Decimal(21400000)
    assert table.lookup("cost-per-substantial-amendment", Stage.PHASE_2, "all").value == Decimal(141000)
    assert table.lookup("recruitment-rate", Stage.PHASE_3, "all").value == Decimal("0.4")


def test_citations_are_those_of_the_notes():
    sertkaya = SOURCES["sertkaya-2024"]
    assert sertkaya.authors == "Sertkaya A, Beleche T, Jessup A, Sommers BD"
    assert sertkaya.title == "Costs of Drug Development and Research and Development Intensity in the US, 2000-2018"
    assert sertkaya.table == "Table 1"
    assert sertkaya.short == SERTKAYA
    assert SOURCES["bio-2016"].authors == "Thomas DW et al. (BIO, Biomedtracker, Amplion)"
    assert SOURCES["moore-2020"].publication == "BMJ Open 10:e038863"
    assert SOURCES["moore-2020"].title is None  # not in the notes, not guessed
    assert "Clinical Trials 13(2):117-126" in str(SOURCES["sertkaya-2016"])
    assert set(SOURCES) == {
        "sertkaya-2024",
        "bio-2021",
        "bio-2016",
        "sertkaya-2016",
        "moore-2020",
        "martin-2017",
        "getz-2016",
        "brogger-mikkelsen-2022",
    }


# --- lookups ---------------------------------------------------------------------------


def test_spot_checks_against_the_csvs():
    table = load_published()
    oncology = table.cost_per_patient(Stage.PHASE_2, "oncology")
    assert oncology.value == Decimal(78753)
    assert (oncology.unit, oncology.dollar_year, oncology.therapeutic_area) == ("USD", 2018, "crokit:oncology")
    assert oncology.source.short == SERTKAYA
    assert table.phase_duration_months(Stage.SUBMISSION, "oncology").value == Decimal("9.6")
    assert table.phase_duration_months(Stage.PHASE_2, "all").value == Decimal("34.0")
    assert table.transition_probability(Stage.PHASE_2, "all").value == Decimal("0.289")
    assert table.transition_probability(Stage.PHASE_2, "all", "bio-2016").value == Decimal("0.307")
    assert table.likelihood_of_approval("rare-disease").value == Decimal("0.170")
    assert table.likelihood_of_approval("all", "bio-2016").value == Decimal("0.096")
    assert table.lookup("phase-transitions", None, "oncology").value == Decimal(3163)


@pytest.mark.parametrize("source", ["bio-2021", "bio-2016"])
def test_likelihood_of_approval_is_the_product_of_the_four_rates_within_rounding(source):
    table = load_published()
    stages = (Stage.PHASE_1, Stage.PHASE_2, Stage.PHASE_3, Stage.SUBMISSION)
    loas = table.select(measure=LIKELIHOOD_OF_APPROVAL, source=source)
    assert len(loas) == (14 if source == "bio-2021" else 5)
    for loa in loas:
        area = "all" if loa.therapeutic_area is None else loa.therapeutic_area
        if area == NON_ONCOLOGY:
            area = "non-oncology"
        product = Decimal(1)
        for stage in stages:
            rate = table.transition_probability(stage, area, source).value
            assert rate is not None
            product *= rate
        assert loa.value is not None
        assert abs(product - loa.value) <= Decimal("0.001"), loa


def test_area_aliases_resolve_through_the_registry(registry):
    table = load_published()
    by_alias = table.cost_per_patient(Stage.PHASE_1, "anti-infective", registry=registry)
    assert by_alias is table.cost_per_patient(Stage.PHASE_1, "crokit:infectious-disease")
    assert by_alias.therapeutic_area == "crokit:infectious-disease"
    assert by_alias.source_area == "anti-infective"
    assert by_alias.value == Decimal(19399)
    assert table.cost_per_patient(Stage.PHASE_3, "immunomodulation").therapeutic_area == "crokit:immunology"
    assert table.transition_probability(Stage.PHASE_1, "infectious-disease").value == Decimal("0.578")


def test_aggregate_rows_are_area_none_or_the_non_oncology_pseudo_area():
    table = load_published()
    assert table.cost_per_patient(Stage.PHASE_1, "all") is table.cost_per_patient(Stage.PHASE_1, None)
    assert table.cost_per_patient(Stage.PHASE_1, "all").therapeutic_area is None
    non_oncology = table.likelihood_of_approval("non-oncology", "bio-2016")
    assert non_oncology.therapeutic_area == NON_ONCOLOGY
    assert non_oncology.value == Decimal("0.119")


def test_a_phase_miss_names_the_phases_that_exist():
    with pytest.raises(ValidationError) as info:
        load_published().cost_per_patient(Stage.PHASE_4, "oncology")
    assert info.value.problems[0].path == "phase"
    assert "Phase 1, Phase 2, Phase 3" in str(info.value)


def test_an_area_miss_names_the_areas_that_exist_and_never_substitutes_the_parent():
    with pytest.raises(ValidationError) as info:
        load_published().cost_per_patient(Stage.PHASE_2, "neurology")
    text = str(info.value)
    assert info.value.problems[0].path == "area"
    assert "crokit:central-nervous-system" in text
    assert "crokit:oncology" in text
    assert "does not substitute" in text


def test_an_unknown_source_or_measure_is_an_unknown_benchmark():
    table = load_published()
    with pytest.raises(UnknownIdError) as info:
        table.transition_probability(Stage.PHASE_1, "all", "bio-2019")
    assert info.value.kind == "benchmark"
    assert "bio-2021" in info.value.suggestions
    with pytest.raises(UnknownIdError) as measure:
        table.lookup("cost-per-visit", Stage.PHASE_1, "all")
    assert measure.value.kind == "benchmark"
    with pytest.raises(UnknownIdError) as area:
        table.cost_per_patient(Stage.PHASE_1, "astrology")
    assert area.value.kind == "area"


def test_several_matching_sources_must_be_chosen_between():
    with pytest.raises(ValidationError) as info:
        load_published().lookup("cost-per-study", Stage.PHASE_1, "all")
    assert info.value.problems[0].path == "source"
    assert "martin-2017, sertkaya-2016" in str(info.value)


# --- transcription caveat ---------------------------------------------------------------


def test_third_party_transcriptions_carry_a_caveat():
    table = load_published()
    transcribed = table.transition_probability(Stage.PHASE_1, "oncology")
    assert "third-party transcription" in transcribed.verification
    assert transcribed.caveat is not None
    assert "not read in the primary source" in transcribed.caveat
    assert transcribed.source.short in transcribed.caveat
    # cells the note says were read in the source carry no caveat
    assert table.transition_probability(Stage.PHASE_2, "all").caveat is None
    assert table.likelihood_of_approval("oncology").caveat is None
    assert table.transition_probability(Stage.PHASE_3, "all").caveat is not None
    assert table.transition_probability(Stage.PHASE_1, "all", "bio-2016").caveat is None
    assert table.cost_per_patient(Stage.PHASE_1, "all").caveat is None
    count = sum(1 for figure in table.figures if figure.caveat)
    assert count == 14 * 5 - 2 - 3  # every BIO 2021 cell but the five read in the source


# --- user tables -----------------------------------------------------------------------


def test_a_user_table_loads_in_the_long_shape(tmp_path):
    acme = Citation(id="acme-2025", authors="Acme Pharma", year=2025, title=None, publication="internal", table=None)
    path = _write(
        tmp_path,
        f"{HEADER}\n"
        "acme-2025,cost-per-patient,anti-infective,phase-2,61250.50,,,USD,2024,mean,finance system export\n"
        "\n"
        "acme-2025,cost-per-patient,all,Phase 3,,40000,90000,USD,,range,\n",
    )
    table = load_table(path, sources=[acme])
    assert table.name == "costs.csv"
    figure = table.cost_per_patient(Stage.PHASE_2, "crokit:infectious-disease")
    assert figure.value == Decimal("61250.50")
    assert figure.origin == "costs.csv:row 2"
    assert table.figures[1].origin == "costs.csv:row 4"
    assert table.figures[1].phase is Stage.PHASE_3
    check = check_cost_per_patient(Money("122501.00", "USD"), Stage.PHASE_2, "anti-infective", table=table)
    assert isinstance(check, BenchmarkCheck)
    assert check.ratio == Decimal(2)


def test_a_bad_cell_is_named_by_file_row_and_column(tmp_path):
    path = _write(
        tmp_path,
        f"{HEADER}\n"
        "sertkaya-2024,cost-per-patient,oncology,phase-1,100,,,USD,2018,,\n"
        "sertkaya-2024,cost-per-patient,oncology,phase-2,200,,,USD,2018,,\n"
        "sertkaya-2024,cost-per-patient,oncology,phase-3,tbd,,,USD,2018,,\n",
    )
    with pytest.raises(ValidationError) as info:
        load_table(path)
    assert str(info.value) == "costs.csv:row 4:value: expected a decimal number, got 'tbd'"


def test_every_bad_cell_is_listed(tmp_path):
    path = _write(
        tmp_path,
        f"{HEADER}\n"
        "nobody-1999,cost-per-patient,oncology,phase-9,1.5e400,,,USD,last year,,\n"
        "sertkaya-2024,,astrology,phase-1,,,,,2018,,\n"
        "sertkaya-2024,cost-per-patient,all,phase-1,5,10,1,USD,,,\n",
    )
    with pytest.raises(ValidationError) as info:
        load_table(path)
    paths = [problem.path for problem in info.value.problems]
    assert paths == [
        "costs.csv:row 2:source_id",
        "costs.csv:row 2:phase",
        "costs.csv:row 2:value",
        "costs.csv:row 2:dollar_year",
        "costs.csv:row 3:measure",
        "costs.csv:row 3:unit",
        "costs.csv:row 3:therapeutic_area",
        "costs.csv:row 4:low",
    ]
    assert "known: bio-2016" in info.value.problems[0].message


def test_a_table_without_the_required_columns_is_refused(tmp_path):
    with pytest.raises(ValidationError, match=r"costs.csv:row 1: missing columns: unit, value"):
        load_table(_write(tmp_path, "source_id,measure,cost\nsertkaya-2024,x,1\n"))
    with pytest.raises(ValidationError, match=r"row 1: the file is empty"):
        load_table(_write(tmp_path, ""))


def test_a_missing_file_is_an_input_file_error(tmp_path):
    with pytest.raises(InputFileError, match="no such file"):
        load_table(tmp_path / "nothing.csv")


def test_a_figure_refuses_floats_and_disordered_ranges():
    source = SOURCES["moore-2020"]
    fields = {"source": source, "measure": "m", "unit": "USD", "dollar_year": None, "therapeutic_area": None}
    with pytest.raises(CrokitError, match="float"):
        Figure(**fields, phase=None, verification="", value=0.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="above the high end"):
        Figure(**fields, phase=None, verification="", value=None, low=Decimal(3), high=Decimal(2))  # type: ignore[arg-type]


# --- checking a cost per patient ---------------------------------------------------------


def test_check_ratio_is_exact_and_names_the_source():
    check = check_cost_per_patient(Money("100000.00", "USD"), Stage.PHASE_2, "oncology")
    assert isinstance(check, BenchmarkCheck)
    assert check.ratio == CONTEXT.divide(Decimal("100000.00"), Decimal(78753))
    assert isinstance(check.ratio, Decimal)
    assert check.benchmark.value == Decimal(78753)
    assert SERTKAYA in check.message
    assert "No inflation adjustment" in check.message
    assert "1.27 times" in check.message


def test_non_usd_without_fx_is_refused_clearly():
    with pytest.raises(ValidationError) as info:
        check_cost_per_patient(Money("50000", "EUR"), Stage.PHASE_2, "oncology")
    assert isinstance(info.value, CrokitError)
    assert "EUR" in str(info.value)
    assert "fx" in str(info.value)
    fx = FxTable(rates=[FxRate(base="EUR", quote="USD", rate="1.10", as_of=date(2025, 1, 1), source="test")])
    with pytest.raises(ValidationError):
        check_cost_per_patient(Money("50000", "EUR"), Stage.PHASE_2, "oncology", fx=fx)


def test_non_usd_with_fx_is_converted_before_comparing():
    fx = FxTable(rates=[FxRate(base="EUR", quote="USD", rate="1.10", as_of=date(2025, 1, 1), source="test")])
    check = check_cost_per_patient(Money("71593.64", "EUR"), Stage.PHASE_2, "oncology", fx=fx, on=date(2025, 6, 1))
    assert isinstance(check, BenchmarkCheck)
    assert check.cost_per_patient == Money("78753.00", "USD")
    assert check.ratio == Decimal(1)
    assert "converted from 71,593.64 EUR" in check.message


def test_no_benchmark_names_what_exists():
    result = check_cost_per_patient(Money("1000", "USD"), Stage.PHASE_1_2, "rare-disease")
    assert isinstance(result, NoBenchmark)
    assert "Phase 1/2" in result.reason
    assert "crokit:rare-disease" in result.reason
    assert "Phase 1, Phase 2, Phase 3" in result.reason
    months = BenchmarkTable((load_published().phase_duration_months(Stage.PHASE_1, "all"),), "wrong unit")
    months = BenchmarkTable(tuple(attrs.evolve(f, measure=COST_PER_PATIENT) for f in months.figures), "wrong unit")
    not_money = check_cost_per_patient(Money("1", "USD"), Stage.PHASE_1, "all", table=months)
    assert isinstance(not_money, NoBenchmark)
    assert "not an ISO 4217 currency" in not_money.reason
    empty = BenchmarkTable((), "empty")
    assert isinstance(check_cost_per_patient(Money("1", "USD"), Stage.PHASE_1, "all", table=empty), NoBenchmark)


def test_the_check_carries_the_caveat_of_a_transcribed_figure(tmp_path):
    path = _write(
        tmp_path,
        f"{HEADER}\nbio-2021,{COST_PER_PATIENT},all,phase-1,100,,,USD,,,third-party transcription\n",
    )
    check = check_cost_per_patient(Money("50", "USD"), Stage.PHASE_1, "all", table=load_table(path))
    assert isinstance(check, BenchmarkCheck)
    assert "not read in the primary source" in check.message
    assert "dollars of an unstated year" in check.message


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**12), places=2))
def test_ratio_times_published_value_is_the_cost(amount):
    check = check_cost_per_patient(Money(amount, "USD"), Stage.PHASE_3, "hematology")
    assert isinstance(check, BenchmarkCheck)
    value = check.benchmark.value
    assert value == Decimal(118473)
    back = CONTEXT.multiply(check.ratio, value)
    # exact to the 34 significant digits of crokit's context: two roundings, each of half a unit
    assert abs(back - amount) <= 2 * amount.scaleb(-33)


def test_the_measure_constants_are_used_by_the_data():
    measures = set(load_published().measures)
    assert {COST_PER_PATIENT, TRANSITION_PROBABILITY, LIKELIHOOD_OF_APPROVAL} <= measures


def test_a_dollar_year_in_another_script_is_refused_not_read(tmp_path):
    """Found beside the fuzz suite's decimal-text fix: str.isdigit accepts full-width 2018, which int() reads."""
    year = "\uff12\uff10\uff11\uff18"
    path = _write(tmp_path, f"{HEADER}\nsertkaya-2024,cost-per-patient,oncology,phase-1,100,,,USD,{year},,\n")
    with pytest.raises(ValidationError) as info:
        load_table(path)
    assert str(info.value) == f"costs.csv:row 2:dollar_year: expected a year such as 2018, got {year!r}"
