"""Performance (bonus / malus) terms."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import CrokitError, Milestone, Money, ValidationError
from crokit.pricing import OutcomeStatus, PerformanceTerm, Proposal, evaluate, performance_outcome
from crokit.testing._pricing import performance_terms

TARGET = date(2028, 6, 30)
TERM = PerformanceTerm(
    milestone=Milestone.LAST_PATIENT_IN,
    target_date=TARGET,
    bonus=Money("50000.00", "USD"),
    malus=Money("25000.00", "USD"),
)


def test_evaluate_on_time_and_late():
    assert evaluate(TERM, TARGET) == Money("50000.00", "USD")
    assert evaluate(TERM, TARGET + timedelta(days=1)) == Money("-25000.00", "USD")
    bonus_only = PerformanceTerm(milestone=Milestone.DATABASE_LOCK, target_date=TARGET, bonus=Money("1.00", "USD"))
    assert evaluate(bonus_only, TARGET + timedelta(days=1)).is_zero()


def test_outcomes_in_term_order_with_pending():
    other = PerformanceTerm(milestone=Milestone.DATABASE_LOCK, target_date=TARGET, malus=Money("10.00", "USD"))
    met, pending = performance_outcome([TERM, other], {Milestone.LAST_PATIENT_IN: date(2028, 1, 1)})
    assert (met.status, met.amount) == (OutcomeStatus.MET, Money("50000.00", "USD"))
    assert (pending.status, pending.actual_date, pending.amount) == (OutcomeStatus.PENDING, None, Money.zero("USD"))
    (missed,) = performance_outcome([other], {Milestone.DATABASE_LOCK: date(2029, 1, 1)})
    assert (missed.status, missed.amount) == (OutcomeStatus.MISSED, Money("-10.00", "USD"))


def test_terms_are_not_priced_but_held_by_the_proposal():
    proposal = Proposal(cro_id="helix", currency="USD", performance_terms=(TERM,))
    assert proposal.performance_terms == (TERM,)
    with pytest.raises(ValidationError) as info:
        Proposal(cro_id="helix", currency="EUR", performance_terms=(TERM,))
    assert info.value.problems[0].path == "performance_terms[0].bonus"


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"bonus": None, "malus": None}, "bonus"),
        ({"bonus": Money("0.00", "USD")}, "bonus"),
        ({"malus": Money("-1.00", "USD")}, "malus"),
        ({"malus": Money("1.00", "EUR")}, "malus"),
        ({"target_date": "2028-06-30"}, "target_date"),
    ],
)
def test_bad_terms_are_refused_with_a_path(changes, path):
    fields: dict[str, object] = {
        "milestone": TERM.milestone,
        "target_date": TARGET,
        "bonus": TERM.bonus,
        "malus": TERM.malus,
    }
    fields.update(changes)
    with pytest.raises(CrokitError) as info:
        PerformanceTerm(**fields)  # type: ignore[arg-type]
    assert isinstance(info.value, ValidationError)
    assert info.value.problems[0].path == path


@given(performance_terms(), st.dates())
def test_evaluate_is_the_bonus_or_minus_the_malus(term, actual):
    amount = evaluate(term, actual)
    if actual <= term.target_date:
        assert amount == (term.bonus or Money.zero(term.currency))
    else:
        assert amount == -(term.malus or Money.zero(term.currency))
