"""Lifecycle stages: only the allowed moves succeed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import InvalidTransitionError, Milestone, Stage
from crokit.vocabulary.lifecycle import TRANSITIONS, check_path, check_transition


def test_stages_are_ordered():
    assert [s.order for s in Stage] == list(range(10))
    assert Stage.PHASE_1_2.label == "Phase 1/2"
    assert str(Stage.PHASE_2) == "Phase 2"
    assert Stage.PHASE_4.is_clinical
    assert not Stage.SUBMISSION.is_clinical


def test_a_program_moves_forward_one_step_or_through_combined_phases():
    check_path([Stage.DISCOVERY, Stage.PRECLINICAL, Stage.PHASE_1, Stage.PHASE_2, Stage.PHASE_3])
    check_path([Stage.PRECLINICAL, Stage.PHASE_1_2, Stage.PHASE_3, Stage.SUBMISSION, Stage.APPROVAL, Stage.PHASE_4])
    check_path([Stage.PHASE_1, Stage.PHASE_2_3, Stage.SUBMISSION])
    check_path([Stage.PHASE_2])  # may stop anywhere
    check_path([])


def test_forbidden_moves_raise_with_the_allowed_ones():
    with pytest.raises(InvalidTransitionError, match="allowed next stages: Phase 3") as info:
        check_transition(Stage.PHASE_2, Stage.APPROVAL)
    assert info.value.source is Stage.PHASE_2
    assert info.value.allowed == (Stage.PHASE_3,)
    with pytest.raises(InvalidTransitionError, match="the program has ended"):
        check_transition(Stage.PHASE_4, Stage.DISCOVERY)


@given(st.sampled_from(Stage), st.sampled_from(Stage))
def test_only_allowed_transitions_succeed(source, target):
    if target in TRANSITIONS[source]:
        check_transition(source, target)
        assert target.order > source.order
    else:
        with pytest.raises(InvalidTransitionError):
            check_transition(source, target)


@given(st.sampled_from(Stage))
def test_every_stage_but_the_last_can_move_on(stage):
    assert bool(stage.next_stages()) == (stage is not Stage.PHASE_4)


def test_milestones():
    assert len(Milestone) == 11
    assert Milestone.FIRST_PATIENT_IN.order < Milestone.DATABASE_LOCK.order
    assert str(Milestone.HALF_ENROLLED) == "50% enrolled"
