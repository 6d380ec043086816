"""Bridges between crokit's lifecycle stages and the phase codes of data standards.

Two sources name trial phases in data a crokit user is likely to hold:

- the CDISC Trial Phase codelist (NCI code C66737), used for ``TPHASE`` in SDTM trial
  summaries and in protocol standards such as ICH M11 and USDM, whose terms are
  identified by NCI Thesaurus concept codes (``C15601`` for Phase 2);
- the ClinicalTrials.gov API v2, whose ``protocolSection.designModule.phases`` is a list
  of enum strings (``["PHASE2", "PHASE3"]`` for a Phase 2/3 study).

The functions here turn either into a :class:`~crokit.vocabulary.lifecycle.Stage`, and a
stage back into its NCI code. Sub-phases (2a, 2b, 3a, 3b) and Early Phase 1 have no stage
of their own and map to the phase they belong to.

>>> stage_from_nci("C15694")
<Stage.PHASE_2_3: 'phase-2-3'>
>>> stage_from_ctgov(["PHASE1", "PHASE2"])
<Stage.PHASE_1_2: 'phase-1-2'>
>>> nci_code_for(Stage.PHASE_3)
'C15602'
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from crokit.errors import UnknownIdError, ValidationError
from crokit.vocabulary.lifecycle import Stage

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = [
    "CTGOV_PHASES",
    "NCI_PHASE_CODES",
    "NCI_PHASE_LABELS",
    "nci_code_for",
    "stage_from_ctgov",
    "stage_from_nci",
]

NCI_PHASE_CODES: Final[Mapping[str, Stage]] = MappingProxyType(
    {
        "C54721": Stage.PHASE_1,
        "C15600": Stage.PHASE_1,
        "C15693": Stage.PHASE_1_2,
        "C15601": Stage.PHASE_2,
        "C49686": Stage.PHASE_2,
        "C49688": Stage.PHASE_2,
        "C15694": Stage.PHASE_2_3,
        "C15602": Stage.PHASE_3,
        "C49687": Stage.PHASE_3,
        "C49689": Stage.PHASE_3,
        "C15603": Stage.PHASE_4,
    }
)
"""NCI Thesaurus codes of the CDISC Trial Phase codelist (C66737) terms, by the stage
each belongs to.

Early Phase 1 (C54721, the CDISC submission value ``PHASE 0 TRIAL``: exploratory
microdosing studies) counts as Phase 1, and the sub-phases 2a, 2b, 3a and 3b count as
their phase. The codelist's ``NOT APPLICABLE`` (C48660) and ``PHASE V TRIAL`` (C47865)
terms have no stage and are not listed.
"""

NCI_PHASE_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "C54721": "Early Phase 1",
        "C15600": "Phase 1",
        "C15693": "Phase 1/2",
        "C15601": "Phase 2",
        "C49686": "Phase 2a",
        "C49688": "Phase 2b",
        "C15694": "Phase 2/3",
        "C15602": "Phase 3",
        "C49687": "Phase 3a",
        "C49689": "Phase 3b",
        "C15603": "Phase 4",
    }
)
"""Plain readable labels of the CDISC Trial Phase codelist (C66737) terms in
:data:`NCI_PHASE_CODES`, with Arabic numerals (``"Phase 2a"``) rather than the CDISC
submission values (``"PHASE IIA TRIAL"``)."""

_MAIN_NCI_CODES: Final[Mapping[Stage, str]] = MappingProxyType(
    {
        Stage.PHASE_1: "C15600",
        Stage.PHASE_1_2: "C15693",
        Stage.PHASE_2: "C15601",
        Stage.PHASE_2_3: "C15694",
        Stage.PHASE_3: "C15602",
        Stage.PHASE_4: "C15603",
    }
)

CTGOV_PHASES: Final[Mapping[str, Stage | None]] = MappingProxyType(
    {
        "EARLY_PHASE1": Stage.PHASE_1,
        "PHASE1": Stage.PHASE_1,
        "PHASE2": Stage.PHASE_2,
        "PHASE3": Stage.PHASE_3,
        "PHASE4": Stage.PHASE_4,
        "NA": None,
    }
)
"""The ClinicalTrials.gov API v2 ``Phase`` values, each with its stage. ``NA`` (not
applicable) marks studies without phases, such as device or behavioural studies, and
maps to ``None``."""

_CTGOV_COMBINATIONS: Final[Mapping[frozenset[str], Stage]] = MappingProxyType(
    {
        frozenset({"PHASE1", "PHASE2"}): Stage.PHASE_1_2,
        frozenset({"PHASE2", "PHASE3"}): Stage.PHASE_2_3,
    }
)


def stage_from_nci(code: str, *, path: str = "phase") -> Stage:
    """Return the stage of an NCI Thesaurus trial phase code.

    Args:
        code: A code of the CDISC Trial Phase codelist, such as ``"C15601"`` (Phase 2)
            or ``"C49688"`` (Phase 2b, which is Phase 2).
        path: Where the code was found in the input, for the error message.

    Returns:
        The stage the code belongs to.

    Raises:
        UnknownIdError: If *code* is not a trial phase code crokit knows.

    >>> stage_from_nci("C49688")
    <Stage.PHASE_2: 'phase-2'>
    """
    try:
        return NCI_PHASE_CODES[code]
    except KeyError:
        raise UnknownIdError("NCI phase code", code, choices=NCI_PHASE_CODES, path=path) from None


def nci_code_for(stage: Stage, *, path: str = "stage") -> str:
    """Return the NCI Thesaurus code of a clinical stage's main trial phase term.

    Args:
        stage: A clinical stage, Phase 1 to Phase 4 (including Phase 1/2 and Phase 2/3).
        path: Where the stage was found in the input, for the error message.

    Returns:
        The code of the stage's phase term (``"C15601"`` for Phase 2), never a sub-phase.

    Raises:
        ValidationError: If *stage* is not a clinical phase (discovery, preclinical,
            submission, approval).

    >>> nci_code_for(Stage.PHASE_1_2)
    'C15693'
    """
    try:
        return _MAIN_NCI_CODES[stage]
    except KeyError:
        raise ValidationError.at(
            path, f"{stage.label} has no NCI trial phase code; only the clinical phases (Phase 1 to Phase 4) do"
        ) from None


def stage_from_ctgov(phases: Sequence[str], *, path: str = "phases") -> Stage | None:
    """Return the stage of a ClinicalTrials.gov study from its list of phases.

    ClinicalTrials.gov (API v2, ``protocolSection.designModule.phases``) records a
    combined phase as two entries. The understood combinations are a single phase,
    ``PHASE1`` with ``PHASE2`` (Phase 1/2) and ``PHASE2`` with ``PHASE3`` (Phase 2/3), in
    either order; repeated entries count once. Values are matched case-insensitively.

    Args:
        phases: The phase strings, such as ``["PHASE2", "PHASE3"]``.
        path: Where the list was found in the input, for error messages.

    Returns:
        The stage, or ``None`` for a study without phases (an empty list or ``["NA"]``).

    Raises:
        UnknownIdError: If an entry is not a ClinicalTrials.gov phase; its path names
            the entry (``phases[1]``).
        ValidationError: If *phases* is a single string rather than a list, or combines
            phases in a way ClinicalTrials.gov does not (``["PHASE1", "PHASE3"]``,
            ``["NA", "PHASE2"]``).

    >>> stage_from_ctgov(["EARLY_PHASE1"])
    <Stage.PHASE_1: 'phase-1'>
    >>> stage_from_ctgov(["NA"]) is None
    True
    """
    if isinstance(phases, str):
        raise ValidationError.at(path, f"expected a list of phases such as ['PHASE2', 'PHASE3'], got {phases!r}")
    found: set[str] = set()
    for index, phase in enumerate(phases):
        key = str(phase).strip().upper()
        if key not in CTGOV_PHASES:
            raise UnknownIdError("ClinicalTrials.gov phase", str(phase), choices=CTGOV_PHASES, path=f"{path}[{index}]")
        found.add(key)
    if not found:
        return None
    if len(found) == 1:
        return CTGOV_PHASES[found.pop()]
    stage = _CTGOV_COMBINATIONS.get(frozenset(found))
    if stage is None:
        raise ValidationError.at(
            path,
            f"cannot combine phases {sorted(found)}: expected one phase, ['PHASE1', 'PHASE2'] (Phase 1/2) "
            "or ['PHASE2', 'PHASE3'] (Phase 2/3)",
        )
    return stage
