"""crokit.portfolio: many scenarios in process and on a real Dask LocalCluster, and ``crokit portfolio``."""

from __future__ import annotations

import csv
import io
import json
import logging
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crokit import FxTable, Money, Registry
from crokit.cli import main
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.errors import InputFileError, MissingDependencyError, ValidationError
from crokit.portfolio import (
    COLUMNS,
    MAX_CHUNK,
    Portfolio,
    PortfolioRow,
    chunk_size_for,
    evaluate_portfolio,
    render_portfolio,
    scenario_seed,
    to_dataframe,
)
from crokit.portfolio._run import _check_workers, _ShippedRegistry
from crokit.scenario import Scenario, evaluate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "portfolio"
SEED = 2027
T = TypeVar("T")


def _variant(patients: int, sites: int, months: int) -> Scenario:
    base = demo_scenario()
    return attrs.evolve(
        base,
        title=f"{patients} patients, {sites} sites, {months} months",
        study=attrs.evolve(base.study, planned_patients=patients, sites=sites),
        assumptions=attrs.evolve(base.assumptions, enrolment_months=months),
        sensitivity=None,  # the demo's ranges (up to 18 sites) need not fit a variant
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The example folder plus a file that is not a scenario and one that is not TOML."""
    target = tmp_path / "portfolio"
    shutil.copytree(EXAMPLES, target)
    (target / "broken.toml").write_text("schema_version = \n", encoding="utf-8")
    (target / "README.md").write_text("not a scenario\n", encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A real 2-worker LocalCluster (one process and one thread each), always closed."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
    )
    try:
        dask_client = distributed.Client(cluster)
        try:
            yield dask_client
        finally:
            dask_client.close()
    finally:
        cluster.close()


# --- pickling: what crosses to the workers and back -------------------------------------------------


def _round_trip(value: T) -> T:
    copy: T = pickle.loads(pickle.dumps(value))  # noqa: S301 - bytes made here, in memory
    return copy


def test_a_scenario_and_its_evaluation_pickle_cleanly() -> None:
    scenario = demo_scenario()
    evaluation = evaluate(scenario, seed=DEMO_SEED)
    assert _round_trip(scenario) == scenario
    assert _round_trip(evaluation) == evaluation


@settings(max_examples=10)
@given(st.integers(0, 200), st.integers(3, 40), st.integers(1, 36))
def test_variants_of_the_demo_and_their_evaluations_pickle_cleanly(extra, sites, months) -> None:
    scenario = _variant(sites + extra, sites, months)
    evaluation = evaluate(scenario, seed=1)
    assert _round_trip(scenario) == scenario
    assert _round_trip(evaluation) == evaluation


def test_a_registry_is_shipped_as_plain_data_and_rebuilt_equal(registry: Registry) -> None:
    shipped = _round_trip(_ShippedRegistry.of(registry))
    assert shipped.registry() == registry


# --- seeds ------------------------------------------------------------------------------------------


@given(st.integers(0, 2**48 - 1), st.text(min_size=1))
def test_a_scenario_seed_is_a_repeatable_non_negative_63_bit_number(base, name) -> None:
    seed = scenario_seed(base, name)
    assert seed == scenario_seed(base, name)
    assert 0 <= seed < 2**48


@given(st.integers(0, 1000), st.text(min_size=1), st.text(min_size=1))
def test_different_names_get_different_seeds(base, first, second) -> None:
    if first != second:
        assert scenario_seed(base, first) != scenario_seed(base, second)


@pytest.mark.parametrize("bad", [-1, 2**48, True, 1.5, "7"])
def test_a_bad_base_seed_is_refused(bad: object) -> None:
    with pytest.raises(ValidationError, match="seed: expected a whole number from 0 to 2\\*\\*48 - 1"):
        evaluate_portfolio([demo_scenario()], seed=bad)  # type: ignore[arg-type]


def test_a_row_is_the_scenario_evaluated_with_its_own_seed() -> None:
    scenario = _variant(30, 6, 9)
    row = evaluate_portfolio({"small": scenario}, seed=SEED).rows[0]
    evaluation = evaluate(scenario, seed=scenario_seed(SEED, "small"))
    winner = evaluation.candidate(evaluation.winner or "")
    assert row.seed == scenario_seed(SEED, "small")
    assert row.winner == evaluation.winner
    assert winner.budget is not None
    assert row.winner_total == winner.budget.total
    assert row.cost_per_patient == winner.cost_per_patient
    shares = {found.candidate: found.by_rank[0] for found in evaluation.ranking.acceptability}
    assert row.winner_acceptability == shares[winner.id]
    assert row.warnings == len(evaluation.warnings)
    assert row.eligible == sum(result.eligible for result in evaluation.candidates)


@settings(max_examples=5)
@given(st.permutations([(30, 6, 9), (60, 12, 18), (120, 24, 12)]))
def test_a_row_does_not_depend_on_the_order_of_the_scenarios(order) -> None:
    named = {f"{p}-{s}-{m}": _variant(p, s, m) for p, s, m in order}
    rows = {row.name: row for row in evaluate_portfolio(named, seed=SEED)}
    reference = {row.name: row for row in evaluate_portfolio(dict(sorted(named.items())), seed=SEED)}
    assert rows == reference


# --- in process -------------------------------------------------------------------------------------


def test_a_folder_gives_one_row_per_scenario_file_in_name_order_and_a_bad_file_is_a_row(folder: Path) -> None:
    progress: list[tuple[int, int]] = []
    portfolio = evaluate_portfolio(folder, seed=SEED, progress=lambda done, total: progress.append((done, total)))
    names = [row.name for row in portfolio]
    assert names == ["broken.toml", "rd-201-base.toml", "rd-201-large.toml", "rd-201-slow.toml", "rd-201-small.toml"]
    broken = portfolio.rows[0]
    assert not broken.ok
    assert "broken.toml: invalid TOML" in (broken.error or "")
    assert portfolio.failed == (broken,)
    assert all(row.ok and row.winner and row.currency == "USD" for row in portfolio.rows[1:])
    assert progress == [(n, 5) for n in range(1, 6)]


def test_without_a_seed_no_acceptability_is_sampled() -> None:
    row = evaluate_portfolio([demo_scenario()]).rows[0]
    assert row.seed is None
    assert row.winner_acceptability is None


def test_a_scenario_that_fails_to_evaluate_is_a_row_with_its_error() -> None:
    base = demo_scenario()
    in_euros = attrs.evolve(base, study=attrs.evolve(base.study, currency="EUR"), fx=FxTable())  # no USD->EUR rate
    portfolio = evaluate_portfolio({"good": base, "bad": in_euros})
    assert portfolio.rows[0].ok
    assert portfolio.rows[1].error is not None
    assert "candidates[0].proposal.currency" in portfolio.rows[1].error
    assert "add the rate to the scenario's fx table" in portfolio.rows[1].error


def test_strict_raises_naming_every_scenario_that_failed(folder: Path) -> None:
    (folder / "empty.json").write_text("", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        evaluate_portfolio(folder, strict=True)
    assert [problem.path for problem in caught.value.problems] == ["broken.toml", "empty.json"]
    assert "is empty" in caught.value.problems[1].message


def test_a_list_of_paths_and_scenarios_is_named_by_path_and_position() -> None:
    path = EXAMPLES / "rd-201-small.toml"
    portfolio = evaluate_portfolio([path, demo_scenario(), str(ROOT / "missing.toml")])
    assert [row.name for row in portfolio] == [str(path), "scenario-2", str(ROOT / "missing.toml")]
    assert "no such file" in (portfolio.rows[2].error or "")


@pytest.mark.parametrize(
    ("scenarios", "message"),
    [
        ([], "scenarios: expected at least one scenario"),
        ({"a": demo_scenario(), "": demo_scenario()}, "expected a non-empty name"),
        ([demo_scenario(), 3], "scenarios\\[1\\]: expected a Scenario or the path"),
        ({"a": 3}, "scenarios\\['a'\\]: expected a Scenario or the path"),
        ([EXAMPLES / "rd-201-base.toml", str(EXAMPLES / "rd-201-base.toml")], "is already used by scenarios\\[0\\]"),
    ],
)
def test_bad_lists_are_refused(scenarios: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        evaluate_portfolio(scenarios)


def test_a_missing_an_empty_and_a_non_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such folder"):
        evaluate_portfolio(tmp_path / "nowhere")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputFileError, match="holds no scenario files"):
        evaluate_portfolio(tmp_path)
    with pytest.raises(InputFileError, match="is not a folder"):
        evaluate_portfolio(tmp_path / "notes.txt")


@pytest.mark.parametrize("bad", [0, -2, True, 2.0])
def test_a_bad_chunk_size_is_refused(bad: object) -> None:
    with pytest.raises(ValidationError, match="chunk_size"):
        evaluate_portfolio([demo_scenario()], chunk_size=bad)  # type: ignore[arg-type]


@given(st.integers(1, 10**6), st.integers(1, 512))
def test_chunks_are_between_one_and_the_maximum_and_cover_every_worker(scenarios, workers) -> None:
    size = chunk_size_for(scenarios, workers)
    assert 1 <= size <= MAX_CHUNK
    if size < MAX_CHUNK:
        assert -(-scenarios // size) >= min(scenarios, 8 * workers) // 2


# --- the table --------------------------------------------------------------------------------------

_money = st.decimals(min_value=0, max_value=10**9, places=2).map(str)


@st.composite
def _rows(draw: st.DrawFn) -> PortfolioRow:
    name = draw(st.text(min_size=1, max_size=20))
    if draw(st.booleans()):
        return PortfolioRow(name=name, error=draw(st.text(min_size=1, max_size=40)))
    currency = draw(st.sampled_from(["USD", "EUR", "JPY"]))
    amount = draw(_money)
    if currency == "JPY":
        amount = str(int(Decimal(amount)))
    return PortfolioRow(
        name=name,
        study=draw(st.text(max_size=20)),
        currency=currency,
        winner=draw(st.sampled_from(["a|b", "helix-cro"])),
        winner_total=Money(amount, currency),
        candidates=3,
        eligible=draw(st.integers(1, 3)),
        winner_acceptability=draw(st.floats(0, 1)),
    )


@given(st.lists(_rows(), max_size=8))
def test_totals_add_every_winners_total_exactly_per_currency(rows) -> None:
    portfolio = Portfolio(rows=rows)
    totals = {amount.currency: amount.amount for amount in portfolio.totals()}
    for code in {row.currency for row in rows if row.winner_total}:
        assert totals[code] == sum(row.winner_total.amount for row in rows if row.currency == code)
    assert list(totals) == sorted(totals)


@given(st.lists(_rows(), max_size=8))
def test_json_and_csv_hold_every_row_exactly(rows) -> None:
    portfolio = Portfolio(rows=rows, seed=5)
    payload = json.loads(render_portfolio(portfolio, "json"))
    assert payload["rows"] == portfolio.to_records()
    assert payload["failed"] == len(portfolio.failed)
    read = list(csv.DictReader(io.StringIO(render_portfolio(portfolio, "csv"), newline="")))
    assert [record["name"] for record in read] == [row.name for row in rows]
    assert [record["winner_total"] for record in read] == [
        str(row.winner_total.amount) if row.winner_total else "" for row in rows
    ]
    assert _round_trip(portfolio) == portfolio


def test_text_and_markdown_show_each_row_on_one_line(folder: Path) -> None:
    portfolio = evaluate_portfolio(folder)
    text = render_portfolio(portfolio, "text")
    assert text.count("\n") == 3 + len(portfolio) + 2
    assert "5 scenarios, 4 evaluated, 1 failed; winners' totals: 5,965,927.25 USD" in text
    markdown = render_portfolio(portfolio, "markdown")
    assert markdown.count("\n| ") == len(portfolio) + 1
    assert "rd-201-large.toml | RD-201 (large" in markdown
    with pytest.raises(ValidationError, match="format: expected one of text, markdown, json, csv"):
        render_portfolio(portfolio, "html")  # type: ignore[arg-type]


def test_a_dataframe_keeps_amounts_exact(folder: Path) -> None:
    pytest.importorskip("pandas")
    portfolio = evaluate_portfolio(folder)
    frame = to_dataframe(portfolio)
    assert list(frame.columns) == list(COLUMNS)
    assert frame["winner_total"].iloc[1] == Decimal("1298263.32")
    assert frame.equals(portfolio.to_dataframe())


def test_a_dataframe_without_pandas_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingDependencyError, match=r"crokit\[pandas\]"):
        to_dataframe(Portfolio(rows=()))


# --- on a real Dask LocalCluster --------------------------------------------------------------------


@pytest.mark.parametrize("chunk_size", [None, 1, 2, 100])
def test_a_2_worker_local_cluster_gives_the_same_table_as_the_sequential_run(
    client: Any, folder: Path, chunk_size: int | None
) -> None:
    progress: list[tuple[int, int]] = []
    sequential = evaluate_portfolio(folder, seed=SEED)
    on_dask = evaluate_portfolio(
        folder, seed=SEED, client=client, chunk_size=chunk_size, progress=lambda d, t: progress.append((d, t))
    )
    assert on_dask == sequential
    assert progress[-1] == (5, 5)
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)


def test_scenario_objects_and_a_given_registry_are_shipped_to_the_workers(client: Any, registry: Registry) -> None:
    named = {f"{p}-{s}": _variant(p, s, 12) for p in (30, 90) for s in (6, 18)}
    sequential = evaluate_portfolio(named, seed=SEED, registry=registry)
    assert evaluate_portfolio(named, seed=SEED, client=client, registry=registry) == sequential


def test_the_command_on_a_running_scheduler_gives_the_in_process_table_and_leaves_it_running(
    client: Any, folder: Path
) -> None:
    code, out, err = _run(["portfolio", str(folder), "--scheduler", client.scheduler.address, "--seed", "3"])
    assert (code, err) == (0, "")
    assert out == render_portfolio(evaluate_portfolio(folder, seed=3), "text")
    assert client.submit(sum, [1, 2]).result() == 3


def test_a_chunk_is_evaluated_in_order_with_a_shipped_registry(registry: Registry) -> None:
    from crokit.portfolio._run import _evaluate_chunk, _gather

    works = _gather({"b": _variant(30, 6, 9), "a": demo_scenario(), "c": ROOT / "missing.toml"}, 1)
    rows = _evaluate_chunk(works, _ShippedRegistry.of(registry))
    assert [row.name for row in rows] == ["b", "a", "c"]
    assert rows == tuple(
        evaluate_portfolio({"b": _variant(30, 6, 9), "a": demo_scenario(), "c": ROOT / "missing.toml"}, seed=1)
    )


def test_strict_on_the_cluster_raises_as_in_process(client: Any, folder: Path) -> None:
    with pytest.raises(ValidationError, match=r"broken\.toml: .*invalid TOML"):
        evaluate_portfolio(folder, client=client, strict=True)


class _Unlike:
    """A stand-in client whose one worker runs another crokit."""

    def run(self, _function: Callable[[], Any]) -> dict[str, Any]:
        return {"tcp://10.0.0.9:4000": ("0.0.1", ())}

    def nthreads(self) -> dict[str, int]:
        return {"tcp://10.0.0.9:4000": 1}


def test_workers_with_another_crokit_are_refused_before_any_work() -> None:
    with pytest.raises(ValidationError, match=r"client: the worker tcp://10\.0\.0\.9:4000 has crokit 0\.0\.1"):
        _check_workers(_Unlike())


class _NoCrokit(_Unlike):
    """A stand-in client whose workers cannot import crokit."""

    def run(self, _function: Callable[[], Any]) -> dict[str, Any]:
        raise ModuleNotFoundError("No module named 'crokit'")


def test_workers_without_crokit_are_refused_with_one_clear_error() -> None:
    with pytest.raises(ValidationError, match=r"client: could not ask .* \(ModuleNotFoundError: No module named"):
        _check_workers(_NoCrokit())


def test_something_else_than_a_client_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"client: expected a dask.distributed.Client .*got 'tcp://x:8786'"):
        evaluate_portfolio([demo_scenario()], client="tcp://x:8786")  # type: ignore[arg-type]


# --- the command line -------------------------------------------------------------------------------


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_the_command_writes_the_table_in_each_format(folder: Path, tmp_path: Path) -> None:
    code, out, err = _run(["portfolio", str(folder), "--seed", "7", "--format", "json"])
    assert (code, err) == (0, "")
    assert json.loads(out) == json.loads(render_portfolio(evaluate_portfolio(folder, seed=7), "json"))
    target = tmp_path / "table.csv"
    code, out, _ = _run(["portfolio", str(folder), "--format", "csv", "--output", str(target)])
    assert (code, out) == (0, "")
    assert target.read_text(encoding="utf-8").startswith(",".join(COLUMNS))


def test_strict_writes_the_table_then_exits_1(folder: Path) -> None:
    code, out, err = _run(["portfolio", str(folder), "--strict"])
    assert code == 1
    assert "broken.toml" in out
    assert err == f"crokit: error: {folder}: 1 scenario(s) failed: broken.toml\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["portfolio", "{tmp}/nowhere"], "crokit: error: {tmp}/nowhere: no such folder\n"),
        (["portfolio", "{tmp}"], "crokit: error: {tmp}: holds no scenario files (*.json, *.toml, *.yaml, *.yml)\n"),
        (
            ["portfolio", str(EXAMPLES), "--scheduler", "not an address"],
            "crokit: error: --scheduler: cannot connect to a Dask scheduler at 'not an address': ",
        ),
        (["portfolio", str(EXAMPLES), "--seed", "-3"], "crokit: error: seed: expected a whole number"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(tmp_path: Path, argv: list[str], message: str) -> None:
    if "--scheduler" in argv:
        pytest.importorskip("distributed")
    code, out, err = _run([arg.replace("{tmp}", str(tmp_path)) for arg in argv])
    assert (code, out) == (1, "")
    assert err.startswith(message.replace("{tmp}", str(tmp_path)))
    assert err.count("\n") == 1


def test_an_unreachable_scheduler_is_one_line_and_exit_1() -> None:
    pytest.importorskip("distributed")
    code, _, err = _run(["portfolio", str(EXAMPLES), "--scheduler", "tcp://127.0.0.1:1", "--connect-timeout", "0.5"])
    assert code == 1
    assert err.startswith("crokit: error: --scheduler: cannot connect to a Dask scheduler at 'tcp://127.0.0.1:1'")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["--workers", "0"],
        ["--workers", "two"],
        ["--workers", "2", "--scheduler", "tcp://x:1"],
        ["--connect-timeout", "0"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["portfolio", str(EXAMPLES), *argv]) == 2
    assert "usage: crokit portfolio" in capsys.readouterr().err


def test_without_dask_the_workers_option_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    code, _, err = _run(["portfolio", str(EXAMPLES), "--workers", "2"])
    assert code == 1
    assert err == "crokit: error: dask.distributed is not installed: install it with pip install 'crokit[dask]'\n"


def test_the_progress_counter_without_rich_counts_on_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    from crokit._cli_portfolio import _Progress

    monkeypatch.setitem(sys.modules, "rich.progress", None)
    stream = io.StringIO()
    progress = _Progress(stream)
    progress(1, 2)
    progress(2, 2)
    progress.close()
    assert stream.getvalue() == "\rcrokit portfolio: 1/2 scenarios\rcrokit portfolio: 2/2 scenarios\n"


def test_the_progress_bar_with_rich_draws_on_its_stream() -> None:
    pytest.importorskip("rich")
    from crokit._cli_portfolio import _Progress

    progress = _Progress(io.StringIO())
    progress(1, 2)
    progress(2, 2)
    progress.close()
    (task,) = progress._bar.tasks
    assert (task.completed, task.total) == (2, 2)


def test_the_command_with_2_local_workers_matches_the_in_process_table(folder: Path) -> None:
    pytest.importorskip("distributed")
    command = [sys.executable, "-m", "crokit", "portfolio", str(folder), "--seed", "11", "--format", "json"]
    result = subprocess.run([*command, "--workers", "2"], capture_output=True, text=True, timeout=180, check=False)
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout) == json.loads(render_portfolio(evaluate_portfolio(folder, seed=11), "json"))
