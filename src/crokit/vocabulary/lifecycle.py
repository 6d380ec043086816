"""Lifecycle stages of a development program and the milestones contracts pay on.

Stages are a closed, ordered set (an :class:`enum.Enum`): a program moves forward one
step at a time, may use the combined phases (Phase 1/2, Phase 2/3), and may stop at any
stage. :func:`check_transition` enforces the allowed moves.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from types import MappingProxyType
from typing import Final

from crokit._members import as_member, as_member_set
from crokit.errors import InvalidTransitionError

__all__ = ["TRANSITIONS", "Milestone", "Stage", "check_path", "check_transition"]


class Stage(enum.Enum):
    """A stage of the drug-development lifecycle, in order.

    The value is the id used in files (``"phase-2"``); ``label`` is for people.
    """

    DISCOVERY = "discovery"
    PRECLINICAL = "preclinical"
    PHASE_1 = "phase-1"
    PHASE_1_2 = "phase-1-2"
    PHASE_2 = "phase-2"
    PHASE_2_3 = "phase-2-3"
    PHASE_3 = "phase-3"
    SUBMISSION = "submission"
    APPROVAL = "approval"
    PHASE_4 = "phase-4"

    @property
    def label(self) -> str:
        """A readable name (``"Phase 1/2"``)."""
        return _LABELS[self]

    @property
    def order(self) -> int:
        """Position in the lifecycle, from 0 (discovery) to 9 (Phase 4)."""
        return _ORDER[self]

    @property
    def is_clinical(self) -> bool:
        """Whether the stage is a clinical trial phase (Phase 1 to Phase 4)."""
        return self in _CLINICAL

    def next_stages(self) -> tuple[Stage, ...]:
        """The stages a program may move to from here (empty after Phase 4)."""
        return TRANSITIONS[self]

    def __str__(self) -> str:
        """The readable label."""
        return self.label


def _as_stage_set(value: Iterable[object]) -> frozenset[object]:
    """A converter: text (the value or name) to Stage members, as a frozenset."""
    return as_member_set(Stage, value)


def _as_stage(value: object) -> object:
    """A converter: text (the value or name) to Stage member."""
    return as_member(Stage, value)


_LABELS: Final = {
    Stage.DISCOVERY: "Discovery",
    Stage.PRECLINICAL: "Preclinical",
    Stage.PHASE_1: "Phase 1",
    Stage.PHASE_1_2: "Phase 1/2",
    Stage.PHASE_2: "Phase 2",
    Stage.PHASE_2_3: "Phase 2/3",
    Stage.PHASE_3: "Phase 3",
    Stage.SUBMISSION: "Regulatory submission",
    Stage.APPROVAL: "Approval",
    Stage.PHASE_4: "Phase 4",
}
_ORDER: Final = {stage: index for index, stage in enumerate(Stage)}
_CLINICAL: Final = frozenset(
    {Stage.PHASE_1, Stage.PHASE_1_2, Stage.PHASE_2, Stage.PHASE_2_3, Stage.PHASE_3, Stage.PHASE_4}
)

TRANSITIONS: Final = MappingProxyType(
    {
        Stage.DISCOVERY: (Stage.PRECLINICAL,),
        Stage.PRECLINICAL: (Stage.PHASE_1, Stage.PHASE_1_2),
        Stage.PHASE_1: (Stage.PHASE_2, Stage.PHASE_2_3),
        Stage.PHASE_1_2: (Stage.PHASE_2, Stage.PHASE_2_3, Stage.PHASE_3),
        Stage.PHASE_2: (Stage.PHASE_3,),
        Stage.PHASE_2_3: (Stage.SUBMISSION,),
        Stage.PHASE_3: (Stage.SUBMISSION,),
        Stage.SUBMISSION: (Stage.APPROVAL,),
        Stage.APPROVAL: (Stage.PHASE_4,),
        Stage.PHASE_4: (),
    }
)
"""The allowed forward moves. A Phase 1/2 study may be followed by a Phase 2 (a
dose-finding 2b), a seamless Phase 2/3 or a Phase 3; stopping is always allowed and is
modelled by a program's path simply ending."""


def check_transition(source: Stage, target: Stage) -> None:
    """Raise :class:`~crokit.errors.InvalidTransitionError` unless *source* may move to *target*."""
    if target not in TRANSITIONS[source]:
        raise InvalidTransitionError(source, target, TRANSITIONS[source])


def check_path(stages: Iterable[Stage]) -> None:
    """Check that consecutive *stages* are allowed moves (a path may stop anywhere)."""
    previous: Stage | None = None
    for stage in stages:
        if previous is not None:
            check_transition(previous, stage)
        previous = stage


class Milestone(enum.Enum):
    """A contract milestone: the events fixed fees and holdbacks are paid on, in their usual order."""

    CONTRACT_SIGNED = "contract-signed"
    FIRST_SITE_ACTIVATED = "first-site-activated"
    FIRST_PATIENT_IN = "first-patient-in"
    HALF_ENROLLED = "50-percent-enrolled"
    LAST_PATIENT_IN = "last-patient-in"
    LAST_PATIENT_OUT = "last-patient-out"
    DATABASE_LOCK = "database-lock"
    TOPLINE_RESULTS = "topline-results"
    CLINICAL_STUDY_REPORT = "clinical-study-report"
    SUBMISSION = "submission"
    APPROVAL = "approval"

    @property
    def label(self) -> str:
        """A readable name (``"First patient in"``)."""
        return _MILESTONE_LABELS[self]

    @property
    def order(self) -> int:
        """The usual position of the milestone in a study, from 0."""
        return _MILESTONE_ORDER[self]

    def __str__(self) -> str:
        """The readable label."""
        return self.label


def _as_milestone(value: object) -> object:
    """A converter: text (the value or name) to Milestone member."""
    return as_member(Milestone, value)


_MILESTONE_LABELS: Final = {
    Milestone.CONTRACT_SIGNED: "Contract signed",
    Milestone.FIRST_SITE_ACTIVATED: "First site activated",
    Milestone.FIRST_PATIENT_IN: "First patient in",
    Milestone.HALF_ENROLLED: "50% enrolled",
    Milestone.LAST_PATIENT_IN: "Last patient in",
    Milestone.LAST_PATIENT_OUT: "Last patient out",
    Milestone.DATABASE_LOCK: "Database lock",
    Milestone.TOPLINE_RESULTS: "Topline results",
    Milestone.CLINICAL_STUDY_REPORT: "Clinical study report",
    Milestone.SUBMISSION: "Regulatory submission",
    Milestone.APPROVAL: "Approval",
}
_MILESTONE_ORDER: Final = {milestone: index for index, milestone in enumerate(Milestone)}
