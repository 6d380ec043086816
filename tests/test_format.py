"""The one formatting module: money, numbers, shares, counts, names and the text width."""

from __future__ import annotations

import io
import os
import re
import struct
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import Registry, Service, Stage
from crokit.errors import CrokitError, ValidationError
from crokit.money import CURRENCIES, Money
from crokit.presentation import _format as fmt
from crokit.testing import money, services

_GROUPED = re.compile(r"-?\d{1,3}(,\d{3})*(\.\d+)? [A-Z]{3}")


class TestMoney:
    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (Money("1500000", "USD"), "1,500,000.00 USD"),
            (Money("1500000.00", "USD"), "1,500,000.00 USD"),
            (Money("58618", "JPY"), "58,618 JPY"),
            (Money("58618", "USD"), "58,618.00 USD"),
            (Money("0E-11", "USD"), "0.00 USD"),
            (Money("-0.00", "EUR"), "0.00 EUR"),
            (Money("1.50000", "USD"), "1.50 USD"),
            (Money("0.125", "USD"), "0.125 USD"),
            (Money("1E+3", "KWD"), "1,000.000 KWD"),
            (Money("-1234.5", "USD"), "-1,234.50 USD"),
            (Money("1E-8", "USD"), "0.00000001 USD"),  # never in exponent notation
            (None, "-"),
        ],
    )
    def test_examples(self, value: Money | None, text: str) -> None:
        assert fmt.money(value) == text

    @given(money(rounded=False))
    def test_the_number_shown_is_the_number_held(self, value: Money) -> None:
        text = fmt.money(value)
        assert _GROUPED.fullmatch(text), text
        digits, currency = text.split(" ")
        assert currency == value.currency
        assert Decimal(digits.replace(",", "")) == value.amount
        decimals = len(digits.partition(".")[2])
        assert decimals >= (CURRENCIES[value.currency] or 0)

    @given(money(rounded=True))
    def test_rounded_amounts_show_exactly_the_minor_units(self, value: Money) -> None:
        digits = fmt.money(value).split(" ")[0]
        assert len(digits.partition(".")[2]) == (CURRENCIES[value.currency] or 0)

    def test_str_is_unchanged_and_other_specs_are_refused(self) -> None:
        value = Money("1500000.00", "USD")
        assert f"{value}" == str(value) == "1500000.00 USD"
        with pytest.raises(ValidationError, match="format"):
            format(value, ".2f")

    def test_amount_checks_its_currency(self) -> None:
        assert fmt.amount(Decimal("1298263.32"), "USD") == "1,298,263.32 USD"
        with pytest.raises(CrokitError, match="XYZ"):
            fmt.amount(Decimal(1), "XYZ")


class TestNumbers:
    def test_decimal_cuts_a_non_terminating_quotient(self) -> None:
        # The driver formula printed ceil(186.3333333333333333333333333333333) before.
        assert fmt.decimal(Decimal(559) / Decimal(3)) == "186.3333…"
        assert fmt.decimal(Decimal("186.25")) == "186.25"
        assert fmt.decimal(Decimal("80.000")) == "80"

    @given(st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False), st.integers(0, 6))
    def test_decimal_never_rounds_up(self, value: Decimal, places: int) -> None:
        text = fmt.decimal(value, places)
        shown = Decimal(text.removesuffix("…"))
        if text.endswith("…"):
            assert abs(shown) <= abs(value)
            assert abs(value - shown) < Decimal(1).scaleb(-places)
        else:
            assert shown == value

    def test_number_groups_and_refuses_floats(self) -> None:
        assert fmt.number(1234567) == "1,234,567"
        assert fmt.number(Decimal("1234.500")) == "1,234.5"
        assert fmt.number(Decimal("1E-8")) == "0.00000001"
        assert fmt.number(Decimal("1E+3")) == "1,000"
        with pytest.raises(ValidationError):
            fmt.number(1.5)  # type: ignore[arg-type]

    def test_shares_ratios_and_scores(self) -> None:
        assert fmt.percent(0.5521) == "55%"
        assert fmt.percent(Decimal("0.5521"), 1) == "55.2%"
        assert fmt.ratio(Decimal("0.3712")) == "0.37x"
        assert fmt.ratio(None) == fmt.score(None) == fmt.percent(None) == "-"
        assert fmt.score(0.90712) == "0.907"


class TestWords:
    @given(st.integers(min_value=0, max_value=10**6))
    def test_plural(self, count: int) -> None:
        text = fmt.plural(count, "site")
        assert text.endswith(" site" if count == 1 else " sites")
        assert text.startswith(f"{count:,} ")

    def test_examples(self) -> None:
        assert fmt.plural(1, "site") == "1 site"
        assert fmt.plural(3, "analysis", "analyses") == "3 analyses"
        assert fmt.sentence("the given weights sum to 10") == "The given weights sum to 10"
        assert fmt.sentence("") == ""
        assert fmt.quarter(__import__("datetime").date(2027, 11, 3)) == "2027-Q4"


def _service(id_: str, name: str) -> Service:
    return Service(id=id_, name=name, description="d", stages=frozenset({Stage.PHASE_1}))


class TestNames:
    def test_names_not_ids(self) -> None:
        registry = Registry.builtin()
        assert fmt.name(registry, "crokit:biostatistics") == "Biostatistics"
        assert fmt.name(registry, "crokit:rare-disease", "area") == "Rare disease"
        assert fmt.names(registry, ["crokit:biostatistics", "crokit:data-management"], "service") == (
            "Biostatistics, Data management"
        )

    def test_a_question_is_named_by_its_text(self) -> None:
        registry = Registry.builtin()
        question = registry.question("crokit:dd-escalation")
        assert registry.name_of("crokit:dd-escalation") == question.text

    def test_the_id_only_where_the_name_is_ambiguous(self) -> None:
        registry = Registry.empty().with_entries(
            _service("acme:shedding", "Vector shedding"),
            _service("beta:shedding", "vector shedding"),
            _service("acme:other", "Other"),
        )
        assert fmt.name(registry, "acme:shedding") == "Vector shedding (acme:shedding)"
        assert fmt.name(registry, "beta:shedding") == "vector shedding (beta:shedding)"
        assert fmt.name(registry, "acme:other") == "Other"

    def test_an_unknown_id_comes_back_as_it_is(self) -> None:
        assert fmt.name(Registry.builtin(), "acme:nothing") == "acme:nothing"
        assert fmt.name(Registry.builtin(), "crokit:biostatistics", "criterion") == "crokit:biostatistics"

    @given(st.lists(services(namespace="acme"), min_size=1, max_size=6, unique_by=lambda s: s.id), st.data())
    def test_registry_names_tell_entries_apart(self, entries: list[Service], data: st.DataObject) -> None:
        # Give some entries the same name, so that the ids have to tell them apart.
        names = [data.draw(st.sampled_from(["Shedding", "shedding", "Imaging", entry.name])) for entry in entries]
        renamed = [attrs.evolve(entry, name=name) for entry, name in zip(entries, names, strict=True)]
        registry = Registry.empty().with_entries(*renamed)
        shown = [registry.name_of(entry.id, "service") for entry in renamed]
        assert len(set(shown)) == len(shown)
        for entry, text in zip(renamed, shown, strict=True):
            clash = sum(other.name.casefold() == entry.name.casefold() for other in renamed) > 1
            assert text == (f"{entry.name} ({entry.id})" if clash else entry.name)

    @given(st.dictionaries(st.text(min_size=1, max_size=5), st.sampled_from(["Acme", "acme", "Beta", "Gamma"])))
    def test_distinct_names_are_distinct(self, named: dict[str, str]) -> None:
        shown = fmt.distinct_names(named)
        assert len(set(shown.values())) == len(shown)
        for id_, text in shown.items():
            assert text.startswith(named[id_])


class TestWidth:
    @given(st.integers(min_value=1, max_value=10_000))
    def test_columns_is_obeyed_above_the_minimum(self, columns: int) -> None:
        assert fmt.terminal_width(environ={"COLUMNS": str(columns)}) == max(fmt.MIN_WIDTH, columns)

    def test_columns_wins_with_a_minimum(self) -> None:
        assert fmt.terminal_width(environ={"COLUMNS": "100"}) == 100
        assert fmt.terminal_width(environ={"COLUMNS": "10"}) == fmt.MIN_WIDTH
        assert fmt.terminal_width(environ={"COLUMNS": "wide"}) == fmt.DEFAULT_WIDTH

    def test_not_a_terminal_gets_the_default(self) -> None:
        assert fmt.terminal_width(io.StringIO(), environ={}) == fmt.DEFAULT_WIDTH

    @pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
    def test_a_terminal_gets_its_width(self) -> None:
        import fcntl
        import termios

        leader, follower = os.openpty()
        try:
            for columns, expected in ((93, 93), (40, fmt.MIN_WIDTH)):
                fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, columns, 0, 0))
                with open(follower, "w", closefd=False) as stream:
                    assert fmt.terminal_width(stream, environ={}) == expected
        finally:
            os.close(leader)
            os.close(follower)
