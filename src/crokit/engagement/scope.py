"""The scope matrix: each service, at each lifecycle stage, to a party, with RACI roles.

A sponsor outsourcing a study decides who does what: the CRO, a functional service
provider, a central lab, another vendor, or the sponsor itself. ICH E6(R3) Annex 1
section 3.3 asks the sponsor to determine the roles and allocate its trial-related
activities before the trial starts. :func:`check_scope` reports the gaps (a required
service at a stage with nobody responsible or nobody accountable) and the overlaps
(more than one party accountable, or responsibility shared between parties) of a
:class:`ScopeMatrix`.

RACI: *responsible* does the work, *accountable* answers for it (exactly one party),
*consulted* is asked before, *informed* is told after.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, Literal

import attrs

from crokit._convert import to_tuple
from crokit._typed import typed_fields
from crokit.engagement.parties import Party, PartyKind, all_of
from crokit.errors import Problem, ValidationError
from crokit.registry import Registry
from crokit.vocabulary.ids import ServiceId, check_id
from crokit.vocabulary.lifecycle import Stage

__all__ = ["Raci", "ScopeAssignment", "ScopeFinding", "ScopeMatrix", "check_scope"]


class Raci(enum.Enum):
    """A party's role for one service: responsible, accountable, consulted or informed."""

    RESPONSIBLE = "R"
    ACCOUNTABLE = "A"
    CONSULTED = "C"
    INFORMED = "I"


def _roles(value: object) -> frozenset[Raci]:
    if isinstance(value, str):
        value = list(value)
    if not isinstance(value, Iterable):
        raise ValidationError.at("roles", f"expected RACI letters such as 'RA', got {value!r}")
    roles: set[Raci] = set()
    for item in value:
        if isinstance(item, Raci):
            roles.add(item)
            continue
        try:
            roles.add(Raci(str(item).upper()))
        except ValueError:
            raise ValidationError.at(
                "roles", f"expected RACI letters (R, A, C, I), got {item!r} in {value!r}"
            ) from None
    if not roles:
        raise ValidationError.at("roles", "expected at least one RACI role")
    return frozenset(roles)


def _stage(value: object) -> Stage | None:
    if value is None or isinstance(value, Stage):
        return value
    try:
        return Stage(value)
    except ValueError:
        allowed = ", ".join(repr(stage.value) for stage in Stage)
        raise ValidationError.at("stage", f"expected one of {allowed}, got {value!r}") from None


def _service(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_id(value, path=attribute.name)


def _party(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError.at(attribute.name, f"expected a party id, got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ScopeAssignment:
    """One party's roles for one service, at one stage or at every stage of the service.

    Attributes:
        service: The service's id (``crokit:data-management``).
        party: The id of the party (sponsor or provider).
        roles: Its RACI roles, as letters (``"RA"``) or :class:`Raci` values.
        stage: The lifecycle stage this applies to; ``None`` for every stage.
    """

    service: ServiceId = attrs.field(validator=_service)
    party: str = attrs.field(validator=_party)
    roles: frozenset[Raci] = attrs.field(converter=_roles)
    stage: Stage | None = attrs.field(default=None, converter=_stage)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ScopeMatrix:
    """Who does what: the parties and their assignments.

    Attributes:
        parties: The sponsor (exactly one) and the providers; every provider has a
            written agreement.
        assignments: The assignments, each naming a party of :attr:`parties`.
    """

    parties: tuple[Party, ...] = attrs.field(converter=to_tuple, validator=all_of(Party, "a Party"))
    assignments: tuple[ScopeAssignment, ...] = attrs.field(
        converter=to_tuple, validator=all_of(ScopeAssignment, "a ScopeAssignment")
    )

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        ids: list[str] = []
        for index, party in enumerate(self.parties):
            if party.id in ids:
                problems.append(Problem(path=f"parties[{index}].id", message=f"the id {party.id!r} is used twice"))
            if party.kind is not PartyKind.SPONSOR and party.agreement is None:
                problems.append(
                    Problem(
                        path=f"parties[{index}].agreement",
                        message=f"{party.name} has no contract with the sponsor; a party in the scope needs one",
                    )
                )
            ids.append(party.id)
        sponsors = [party for party in self.parties if party.kind is PartyKind.SPONSOR]
        if len(sponsors) != 1:
            problems.append(Problem(path="parties", message=f"expected exactly one sponsor, found {len(sponsors)}"))
        for index, assignment in enumerate(self.assignments):
            if assignment.party not in ids:
                problems.append(
                    Problem(
                        path=f"assignments[{index}].party",
                        message=f"{assignment.party!r} is not a party of this engagement; expected one of {ids}",
                    )
                )
        if problems:
            raise ValidationError(problems)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ScopeFinding:
    """A gap or an overlap in the scope.

    Attributes:
        kind: ``"gap"`` (nobody responsible, or nobody accountable) or ``"overlap"``
            (several accountable, or responsibility shared).
        service: The service's id.
        stage: The stage concerned.
        parties: The parties concerned (empty for a gap).
        message: The finding in words.
    """

    kind: Literal["gap", "overlap"]
    service: ServiceId = attrs.field(validator=_service)
    stage: Stage = attrs.field(converter=_stage)
    parties: tuple[str, ...] = attrs.field(converter=to_tuple)
    message: str


def check_scope(
    matrix: ScopeMatrix,
    *,
    required_services: Iterable[str],
    registry: Registry,
    stages: Iterable[Stage] | None = None,
) -> tuple[ScopeFinding, ...]:
    """The gaps and overlaps of *matrix* for *required_services*, at each of their stages.

    A service is checked at each stage it applies to (in *registry*), or only at *stages*
    where given (a Phase II study passes ``[Stage.PHASE_2]``). Every required service
    needs exactly one accountable party and at least one responsible party at each
    stage; responsibility shared between parties is reported as an overlap to check.
    Unknown service ids are refused with their path.
    """
    wanted = None if stages is None else frozenset(stages)
    names = {party.id: party.name for party in matrix.parties}
    findings: list[ScopeFinding] = []
    problems: list[Problem] = []
    for index, service_id in enumerate(required_services):
        try:
            service = registry.service(service_id)
        except KeyError as exc:
            problems.append(Problem(path=f"required_services[{index}]", message=str(exc)))
            continue
        for stage in sorted(service.stages if wanted is None else service.stages & wanted, key=list(Stage).index):
            applicable = [
                assignment
                for assignment in matrix.assignments
                if assignment.service == service_id and assignment.stage in {None, stage}
            ]
            responsible = sorted({a.party for a in applicable if Raci.RESPONSIBLE in a.roles})
            accountable = sorted({a.party for a in applicable if Raci.ACCOUNTABLE in a.roles})
            where = f"{service.name} at {stage.label}"
            if not responsible:
                findings.append(
                    ScopeFinding(
                        kind="gap",
                        service=service_id,
                        stage=stage,
                        parties=(),
                        message=f"{where}: nobody is responsible",
                    )
                )
            if not accountable:
                findings.append(
                    ScopeFinding(
                        kind="gap",
                        service=service_id,
                        stage=stage,
                        parties=(),
                        message=f"{where}: nobody is accountable",
                    )
                )
            if len(accountable) > 1:
                findings.append(
                    ScopeFinding(
                        kind="overlap",
                        service=service_id,
                        stage=stage,
                        parties=accountable,
                        message=f"{where}: {len(accountable)} parties are accountable "
                        f"({', '.join(names[p] for p in accountable)}); exactly one should be",
                    )
                )
            if len(responsible) > 1:
                findings.append(
                    ScopeFinding(
                        kind="overlap",
                        service=service_id,
                        stage=stage,
                        parties=responsible,
                        message=f"{where}: responsibility is shared by {', '.join(names[p] for p in responsible)}; "
                        "check the split is written down",
                    )
                )
    if problems:
        raise ValidationError(problems)
    return tuple(findings)
