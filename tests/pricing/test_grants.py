"""Investigator grants from the visit schedule."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given

from crokit import CrokitError, Money, Stage, UnitBasis, UnknownIdError, ValidationError
from crokit.pricing import CostBucket, InvestigatorGrants, PricingKind, Proposal, VisitFee
from crokit.testing._pricing import investigator_grants
from tests.pricing.test_models import DRIVERS, REGISTRY, STUDY, make_study


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def grants(**changes: object) -> InvestigatorGrants:
    fields: dict[str, object] = {
        "stage": Stage.PHASE_2,
        "fee_per_visit": usd("500.00"),
        "screen_failure_fee": usd("250.00"),
        "early_termination_fee": usd("300.00"),
        "startup_fee_per_site": usd("2000.00"),
        "visit_fees": (VisitFee(visit_id="screening", fee=usd("800.00")),),
        "holdback_share": Decimal("0.10"),
    }
    fields.update(changes)
    return InvestigatorGrants(**fields)  # type: ignore[arg-type]


def test_hand_worked_grants():
    item = grants()
    budget = item.price(STUDY, DRIVERS, registry=REGISTRY)
    amounts = {line.description: line.amount for line in budget.lines}
    # 60 enrolled, 80 screened, 54 completed, 12 sites, 5 visits (screening at its own fee)
    assert amounts == {
        "Investigator grants: patient visits (10% held back to close-out)": usd("120000.00"),  # 60 x 4 x 500
        "Investigator grants: visit screening (10% held back to close-out)": usd("48000.00"),  # 60 x 800
        "Investigator grants: screen failures (10% held back to close-out)": usd("5000.00"),  # 20 x 250
        "Investigator grants: early terminations (10% held back to close-out)": usd("1800.00"),  # 6 x 300
        "Investigator grants: site start-up": usd("24000.00"),  # 12 x 2000
    }
    assert all(
        line.kind is PricingKind.GRANTS and line.bucket is CostBucket.INVESTIGATOR_GRANTS for line in budget.lines
    )
    visits, _, failures, _, startup = budget.lines
    assert visits.basis is UnitBasis.PER_PATIENT_VISIT
    assert visits.months == tuple(range(4, 22))  # first patient in to last patient out
    assert failures.months == tuple(range(4, 16))  # enrolment
    assert startup.months == (0, 1, 2, 3)  # activation months
    assert "10% of it is held back" in visits.derivation
    # 10% of 174800.00 of patient payments; start-up fees are not held back
    assert item.holdback(budget) == usd("17480.00")


def test_zero_quantities_and_no_holdback():
    study = make_study(screen_failure_rate=Decimal(0), dropout_rate=Decimal(0))
    from crokit.pricing import derive_drivers
    from tests.pricing.test_models import ASSUMPTIONS

    item = grants(visit_fees=(), holdback_share="0.00")
    budget = item.price(study, derive_drivers(study, ASSUMPTIONS), registry=REGISTRY)
    assert [line.description for line in budget.lines] == [
        "Investigator grants: patient visits",
        "Investigator grants: site start-up",
    ]
    assert item.holdback(budget) == usd("0.00")


def test_unknown_visit_is_reported_with_its_path():
    proposal = Proposal(
        cro_id="helix", currency="USD", items=(grants(visit_fees=(VisitFee(visit_id="week-5", fee=usd("1.00")),)),)
    )
    with pytest.raises(UnknownIdError) as info:
        proposal.price(STUDY, DRIVERS, registry=REGISTRY)
    assert info.value.path == "items[0].visit_fees[0].visit_id"
    assert "week-4" in info.value.suggestions


def test_study_without_visits_is_refused():
    study = make_study(visits=())
    from crokit.pricing import derive_drivers
    from tests.pricing.test_models import ASSUMPTIONS

    with pytest.raises(ValidationError) as info:
        grants().price(study, derive_drivers(study, ASSUMPTIONS), registry=REGISTRY)
    assert info.value.problems[0].path == "fee_per_visit"


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"fee_per_visit": usd("-1.00")}, "fee_per_visit"),
        ({"screen_failure_fee": Money("1.00", "EUR")}, "screen_failure_fee"),
        ({"visit_fees": (VisitFee(visit_id="a", fee=Money("1", "EUR")),)}, "visit_fees[0].fee"),
        (
            {"visit_fees": (VisitFee(visit_id="a", fee=usd("1")), VisitFee(visit_id="a", fee=usd("2")))},
            "visit_fees[1].visit_id",
        ),
        ({"holdback_share": Decimal(1)}, "holdback_share"),
        ({"holdback_share": Decimal(10)}, "holdback_share"),
        ({"holdback_share": Decimal(-1)}, "holdback_share"),
        ({"service": "investigator grants"}, "service"),
    ],
)
def test_bad_input_is_refused_with_a_path(changes, path):
    with pytest.raises(CrokitError) as info:
        grants(**changes)
    assert isinstance(info.value, ValidationError)
    assert info.value.problems[0].path == path


@given(investigator_grants(currency="USD", study=STUDY))
def test_generated_grants_price_and_hold_back_at_most_the_percent(item):
    budget = item.price(STUDY, DRIVERS, registry=REGISTRY)
    assert sum(budget.by_month().values(), Money.zero("USD")) == budget.total
    assert Money.zero("USD") <= item.holdback(budget) <= budget.total
