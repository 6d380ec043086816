"""What a person reads: names not ids, numbers for people, and text that fits the terminal."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crokit import Registry
from crokit.cli import main
from crokit.demo import DEMO_SEED, demo_scenario
from crokit.report import render
from crokit.report._document import Table
from crokit.report._render import to_rich_text, to_text
from crokit.scenario import Evaluation, evaluate

_BOX = re.compile("[─━│┃┏┓┗┛┡┩└┘]")


@pytest.fixture(scope="module")
def demo() -> Evaluation:
    return evaluate(demo_scenario(), seed=DEMO_SEED, registry=Registry.builtin())


def _run_demo(columns: str | None) -> str:
    env = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = columns
    done = subprocess.run(
        [sys.executable, "-m", "crokit", "demo"], capture_output=True, text=True, env=env, check=True, timeout=120
    )
    return done.stdout


@pytest.mark.parametrize("columns", [80, 100])
def test_the_demo_fits_the_terminal(columns: int) -> None:
    text = _run_demo(str(columns))
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert max(len(line) for line in lines) > columns - 10  # the width is used, not ignored
    assert "…" not in text  # nothing cut: long names and headers wrap
    assert not _BOX.search(text), "a pipe gets plain text"
    # Every criterion name is there whole, on one line or wrapped at a space.
    words = " ".join(text.split())
    for name in ("Therapeutic expertise", "Geographic reach", "Team experience", "Pricing fit"):
        assert name in words


def test_without_columns_a_pipe_gets_120() -> None:
    lines = _run_demo(None).splitlines()
    assert 110 < max(len(line) for line in lines) <= 120


def test_a_terminal_gets_rich_tables_at_its_width() -> None:
    import fcntl
    import termios

    leader, follower = os.openpty()
    try:
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 90, 0, 0))
        with open(follower, "w", encoding="utf-8", closefd=False) as terminal:
            env_columns = os.environ.pop("COLUMNS", None)
            try:
                # What the command would write to this terminal, captured through a subclass.
                captured: list[str] = []

                class Terminal:
                    encoding = "utf-8"

                    def isatty(self) -> bool:
                        return terminal.isatty()

                    def fileno(self) -> int:
                        return terminal.fileno()

                    def write(self, text: str) -> int:
                        captured.append(text)
                        return len(text)

                    def flush(self) -> None:
                        pass

                assert main(["demo"], out=Terminal()) == 0  # type: ignore[arg-type]
            finally:
                if env_columns is not None:
                    os.environ["COLUMNS"] = env_columns
    finally:
        os.close(leader)
        os.close(follower)
    text = "".join(captured)
    assert _BOX.search(text)
    assert max(len(line) for line in text.splitlines()) <= 90
    assert "…" not in text


@pytest.mark.parametrize("width", [60, 72, 80, 100, 140])
@pytest.mark.parametrize("rich", [False, True])
def test_every_renderer_keeps_to_the_width(demo: Evaluation, width: int, *, rich: bool) -> None:
    text = render(demo, "text", rich=rich, width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    assert "…" not in text


def test_a_width_below_the_minimum_gets_the_minimum(demo: Evaluation) -> None:
    text = render(demo, "text", rich=False, width=20)
    assert max(len(line) for line in text.splitlines()) <= 60


_cell = st.text(alphabet=st.sampled_from("abcdefgh ,.()0123456789"), max_size=60)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda n: st.tuples(
            st.tuples(*[_cell] * n),
            st.lists(st.tuples(*[_cell] * n), max_size=4),
            st.sets(st.integers(0, n - 1)),
        )
    ),
    st.integers(min_value=60, max_value=130),
)
def test_plain_tables_wrap_and_lose_nothing(
    table: tuple[tuple[str, ...], list[tuple[str, ...]], set[int]], width: int
) -> None:
    headers, rows, numeric = table
    text = to_text([Table(headers=headers, rows=tuple(rows), numeric=frozenset(numeric))], width=width)
    assert max(len(line) for line in text.splitlines()) <= width

    def ink(text: str) -> list[str]:
        return sorted(ch for ch in text if not ch.isspace() and ch != "-")

    assert ink(text) == ink("".join([*headers, *(cell for row in rows for cell in row)]))


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.text(alphabet="abcdefgh (),", min_size=1, max_size=45), min_size=1, max_size=5), st.integers(60, 100)
)
def test_rich_tables_keep_to_the_width_and_never_cut(names: list[str], width: int) -> None:
    table = Table(
        headers=("a long header for the candidate column", "amount"),
        rows=tuple((n, "1,234.00 USD") for n in names),
        numeric=frozenset({1}),
    )
    text = to_rich_text([table], width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    assert "…" not in text


class TestNamesNotIds:
    def test_no_crokit_id_in_any_human_format(self, demo: Evaluation) -> None:
        for fmt in ("text", "markdown", "html"):
            assert "crokit:" not in render(demo, fmt, rich=False), fmt

    def test_json_keeps_the_ids(self, demo: Evaluation) -> None:
        assert "crokit:biostatistics" in render(demo, "json")

    def test_candidates_by_name_in_tables(self, demo: Evaluation) -> None:
        text = render(demo, "markdown")
        assert "| helix-cro |" not in text
        assert "| Helix CRO (mid-size, illustrative) |" in text
        assert "| Biostatistics |" in text
        assert "'orphan-trials'" not in demo.ranking.explanation

    def test_ambiguous_names_carry_the_id(self) -> None:
        scenario = demo_scenario()
        first, second, *rest = scenario.candidates
        same = attrs.evolve(second, profile=attrs.evolve(second.profile, name=first.profile.name))
        evaluation = evaluate(attrs.evolve(scenario, candidates=(first, same, *rest)), registry=Registry.builtin())
        text = render(evaluation, "markdown")
        assert f"{first.profile.name} ({first.id})" in text
        assert f"{first.profile.name} ({second.id})" in text

    def test_the_warnings_name_candidates_and_questions(self, demo: Evaluation) -> None:
        registry = Registry.builtin()
        joined = "\n".join(demo.warnings)
        assert "crokit:" not in joined
        assert registry.question("crokit:dd-escalation").text in joined
        assert "SiteLink (site-management organisation, illustrative) sent no proposal" in joined


class TestNumbersForPeople:
    def test_money_in_prose_has_separators(self, demo: Evaluation) -> None:
        text = render(demo, "markdown")
        assert "the ceiling 1,500,000.00 USD cannot be checked" in text
        assert "1500000.00" not in text
        assert "58,618.00 USD in 2018 dollars" in text

    def test_method_and_weights_read_as_sentences(self, demo: Evaluation) -> None:
        text = render(demo, "markdown")
        assert "Method: weighted sum. The given weights sum to 10;" in text

    def test_one_site_is_singular(self) -> None:
        scenario = demo_scenario()
        study = attrs.evolve(scenario.study, sites=1)
        evaluation = evaluate(attrs.evolve(scenario, study=study), registry=Registry.builtin())
        text = render(evaluation, "markdown")
        assert "at 1 site in" in text
        assert "1 sites" not in text

    def test_driver_formulas_show_few_decimals(self, demo: Evaluation) -> None:
        drivers = [getattr(demo.drivers, field.name) for field in attrs.fields(type(demo.drivers))]
        formulas = [d.formula for d in drivers if hasattr(d, "formula") and "ceil(" in d.formula]
        assert formulas
        for formula in formulas:
            for number in re.findall(r"\d+\.(\d+)", formula):
                assert len(number) <= 4, formula

    def test_a_non_terminating_driver_is_cut_with_an_ellipsis(self) -> None:
        from fractions import Fraction

        from crokit.pricing.derive import _show

        assert _show(Fraction(559, 3)) == "186.3333…"
        assert _show(Fraction(745, 4)) == "186.25"
        assert Decimal(_show(Fraction(745, 4))) == Decimal("186.25")


@pytest.mark.parametrize("command", ["status", "obligations"])
def test_engagement_reports_fit_and_name_services(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setenv("COLUMNS", "80")
    out = io.StringIO()
    assert main(["engagement", command, "examples/rare_disease_engagement.toml"], out=out) == 0
    text = out.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "crokit:" not in text
    assert not re.search(r"\dE-\d", text)  # never 0E-11 USD
    if command == "status":
        assert "On-site monitoring / On-site monitoring visits: changed 216,269.53 USD" in " ".join(text.split())


@pytest.mark.parametrize("section", [None, "questions", "criteria", "areas"])
def test_the_catalogue_fits_the_terminal(section: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setenv("COLUMNS", "80")
    out = io.StringIO()
    assert main(["catalogue", *([section] if section else [])], out=out) == 0
    text = out.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "crokit:biostatistics" in text or section is not None  # the catalogue lists ids, whole
