"""Multi-currency proposals: items in other currencies, exact conversion, conversion records."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_FLOOR, Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import FxRate, FxTable, Money, Registry, Stage, Study, UnitBasis
from crokit._decimal import MONEY
from crokit.errors import CrokitError, MissingRateError, UnknownCurrencyError, ValidationError
from crokit.money import minor_units
from crokit.pricing import (
    Assumptions,
    Budget,
    Conversion,
    CostDrivers,
    FxPurpose,
    InvestigatorGrants,
    PassThrough,
    Proposal,
    UnitPrice,
    convert_amounts,
    convert_budget,
    derive_drivers,
    rate_in_force,
)
from crokit.pricing.line_item import POLICY
from crokit.serialization import Format, dumps, loads
from crokit.testing import conversions, schedule_budgets
from tests.pricing.test_models import make_study

REGISTRY = Registry.builtin()
START = date(2027, 1, 4)
FX = FxTable(
    rates=(
        FxRate(base="JPY", quote="EUR", rate="0.0061", as_of=date(2026, 12, 1), source="illustrative"),
        FxRate(base="EUR", quote="USD", rate="1.0850", as_of=date(2026, 12, 1), source="illustrative"),
    )
)
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CHF", "KWD")


def _study_and_drivers() -> tuple[Study, CostDrivers]:
    study = make_study(currency="EUR")
    drivers = derive_drivers(
        study,
        Assumptions(
            startup_months=3,
            enrolment_months=10,
            treatment_months=6,
            closeout_months=2,
            tables_listings_figures=100,
            crf_pages_per_visit_default=10,
            monitoring_interval_weeks=6,
        ),
    )
    return study, drivers


def _grants(currency: str, fee: str) -> InvestigatorGrants:
    return InvestigatorGrants(
        stage=Stage.PHASE_2,
        fee_per_visit=Money(fee, currency),
        screen_failure_fee=Money(fee, currency),
        early_termination_fee=Money(fee, currency),
        startup_fee_per_site=Money(fee, currency),
        description="Japanese site grants",
    )


def _proposal(**changes: object) -> Proposal:
    fields: dict[str, object] = {
        "cro_id": "orphan-trials",
        "currency": "EUR",
        "items": (
            UnitPrice(
                service="crokit:on-site-monitoring",
                stage=Stage.PHASE_2,
                basis=UnitBasis.PER_MONITORING_VISIT,
                rate=Money("1900.00", "EUR"),
            ),
            _grants("JPY", "150000"),
        ),
        "other_currencies": ("JPY",),
    }
    fields.update(changes)
    return Proposal(**fields)  # type: ignore[arg-type]


def _rates(base: str, quote: str) -> st.SearchStrategy[FxTable]:
    return st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(5000), places=6).map(
        lambda rate: FxTable(rates=(FxRate(base=base, quote=quote, rate=rate, as_of=START, source="test"),))
    )


@given(
    st.sampled_from(CURRENCIES).flatmap(
        lambda base: st.tuples(
            schedule_budgets(currency=base, max_lines=8),
            st.sampled_from([code for code in CURRENCIES if code != base]).flatmap(
                lambda quote: st.tuples(st.just(quote), _rates(base, quote))
            ),
        )
    )
)
def test_a_converted_budget_sums_exactly_to_its_converted_total(case: tuple[Budget, tuple[str, FxTable]]) -> None:
    budget, (quote, fx) = case
    converted, record = convert_budget(budget, quote, fx=fx, on=START)
    assert converted.currency == quote
    assert [line.key for line in converted.lines] == [line.key for line in budget.lines]
    if not budget.lines:
        assert record is None
        return
    assert record is not None
    assert converted.total == record.converted
    assert record.amount == budget.total
    rate = fx.rate(budget.currency, quote, START)
    assert record.converted == Money(MONEY.multiply(budget.total.amount, rate), quote).rounded(POLICY)
    unit = Decimal(1).scaleb(-(minor_units(quote) or 0))
    for before, after in zip(budget.lines, converted.lines, strict=True):
        exact = MONEY.multiply(before.amount.amount, rate)
        floor = exact.quantize(unit, rounding=ROUND_FLOOR, context=MONEY)
        assert floor <= after.amount.amount <= floor + unit  # within one minor unit of its exact share
        assert after.quantity == before.quantity
        assert after.months == before.months


@given(schedule_budgets(max_lines=6), st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 1, 1)))
def test_converting_a_budget_into_its_own_currency_changes_nothing(budget: Budget, on: date) -> None:
    converted, record = convert_budget(budget, budget.currency, fx=FxTable(), on=on)
    assert converted is budget
    assert record is None


@given(st.lists(st.integers(-(10**9), 10**9), max_size=12), _rates("JPY", "EUR"))
def test_converted_amounts_sum_to_the_rounded_converted_total(yen: list[int], fx: FxTable) -> None:
    amounts = [Money(value, "JPY") for value in yen]
    parts, record = convert_amounts(amounts, "EUR", fx=fx, on=START, purpose=FxPurpose.CASH_FLOW)
    assert len(parts) == len(amounts)
    if not amounts:
        assert record is None
        return
    assert record is not None
    assert sum(part.amount for part in parts) == record.converted.amount
    assert record.purpose is FxPurpose.CASH_FLOW


def test_a_proposal_prices_an_item_in_another_currency_and_records_the_conversion() -> None:
    study, drivers = _study_and_drivers()
    proposal = _proposal()
    budget, used = proposal.price_converted(study, drivers, registry=REGISTRY, fx=FX, on=START)
    assert budget.currency == "EUR"
    (record,) = used
    assert (record.base, record.quote, record.on, record.rate) == ("JPY", "EUR", START, Decimal("0.0061"))
    assert record.rate_date == date(2026, 12, 1)
    assert record.fallback
    yen = _grants("JPY", "150000").price(study, drivers, registry=REGISTRY)
    assert record.amount == yen.total
    grant_lines = [line for line in budget.lines if line.service == "crokit:investigator-grants"]
    assert sum(line.amount.amount for line in grant_lines) == record.converted.amount
    assert all("converted JPY->EUR at 0.0061" in line.derivation for line in grant_lines)
    assert proposal.price(study, drivers, registry=REGISTRY, fx=FX, on=START) == budget


def test_a_proposal_in_one_currency_prices_the_same_with_or_without_rates() -> None:
    study, drivers = _study_and_drivers()
    proposal = _proposal(items=_proposal().items[:1], other_currencies=())
    with_rates, used = proposal.price_converted(study, drivers, registry=REGISTRY, fx=FX, on=START)
    assert used == ()
    assert with_rates == proposal.price(study, drivers, registry=REGISTRY)


def test_an_item_in_an_unlisted_currency_is_refused_with_a_hint() -> None:
    with pytest.raises(ValidationError, match=r"items\[1\]\.fee_per_visit.*list 'JPY' in other_currencies"):
        _proposal(other_currencies=())


@pytest.mark.parametrize(
    ("codes", "path", "message"),
    [
        (("YEN",), r"other_currencies\[0\]", "YEN"),
        (("jpy",), r"other_currencies\[0\]", "jpy"),
        (("EUR",), r"other_currencies\[0\]", "proposal's own currency"),
        (("JPY", "JPY"), r"other_currencies\[1\]", "already listed"),
    ],
)
def test_bad_other_currencies_are_refused(codes: tuple[str, ...], path: str, message: str) -> None:
    with pytest.raises(ValidationError, match=path) as caught:
        _proposal(other_currencies=codes)
    assert message in str(caught.value)


def test_pricing_an_item_in_another_currency_without_rates_is_refused() -> None:
    study, drivers = _study_and_drivers()
    with pytest.raises(ValidationError, match=r"items\[1\].*JPY.*fx="):
        _proposal().price(study, drivers, registry=REGISTRY)


def test_a_missing_rate_names_the_pair_and_the_date() -> None:
    study, drivers = _study_and_drivers()
    with pytest.raises(MissingRateError, match=r"JPY->EUR.*2026-11-30") as caught:
        _proposal().price(study, drivers, registry=REGISTRY, fx=FX, on=date(2026, 11, 30))
    assert (caught.value.base, caught.value.quote, caught.value.on) == ("JPY", "EUR", date(2026, 11, 30))
    assert isinstance(caught.value, CrokitError)


def test_an_unknown_target_currency_is_refused() -> None:
    budget = Budget(currency="EUR")
    with pytest.raises(UnknownCurrencyError):
        convert_budget(budget, "XYZ", fx=FX, on=START)


def test_the_inverse_rate_is_used_and_said() -> None:
    used = rate_in_force(FX, "USD", "EUR", START)
    assert used.source == "inverse of illustrative"
    assert used.rate * Decimal("1.0850") == pytest.approx(Decimal(1))
    assert used.as_of == date(2026, 12, 1)


def test_a_conversion_that_does_not_reconcile_is_refused() -> None:
    good = Conversion(
        base="JPY",
        quote="EUR",
        on=START,
        rate=Decimal("0.0061"),
        rate_date=START,
        source="illustrative",
        purpose=FxPurpose.COMPARISON,
        amount=Money("2002", "JPY"),
        converted=Money("12.21", "EUR"),
    )
    assert not good.fallback
    assert good.pair == "JPY->EUR"
    with pytest.raises(ValidationError, match="converted"):
        attrs.evolve(good, converted=Money("12.22", "EUR"))
    with pytest.raises(ValidationError, match="rate_date"):
        attrs.evolve(good, rate_date=date(2027, 2, 1))
    with pytest.raises(ValidationError, match="two different currencies"):
        attrs.evolve(good, quote="JPY", converted=Money("12.21", "JPY"))


@pytest.mark.parametrize("fmt", ["json", "toml", "yaml"])
def test_a_multi_currency_proposal_round_trips(fmt: Format) -> None:
    proposal = _proposal(
        items=(
            *_proposal().items,
            PassThrough(service="crokit:pass-through-expenses", stage=Stage.PHASE_2, estimate=Money("2500000", "JPY")),
        )
    )
    text = dumps(proposal, fmt)
    assert loads(text, Proposal, fmt, registry=REGISTRY) == proposal


@given(conversions())
def test_conversion_records_round_trip(record: Conversion) -> None:
    assert loads(dumps(record), Conversion) == record
