"""The scope matrix: gaps, overlaps, and refusals."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import Registry, Stage, ValidationError
from crokit.engagement import Agreement, Party, Raci, ScopeAssignment, ScopeMatrix, check_scope
from crokit.serialization import dumps, loads
from crokit.testing._engagement import scope_assignments, scope_matrices

REGISTRY = Registry.builtin()
SPONSOR = Party(id="lumen-bio", name="Lumen Bio", kind="sponsor")
FSP = Party(
    id="monitor-fsp", name="Monitor FSP", kind="fsp", agreement=Agreement(title="FSP MSA", signed=date(2027, 1, 4))
)
PHASE_2 = [Stage.PHASE_2]


def matrix(*assignments: ScopeAssignment) -> ScopeMatrix:
    return ScopeMatrix(parties=[SPONSOR, FSP], assignments=assignments)


def test_an_fsp_monitoring_with_the_sponsor_keeping_data_management_has_no_gaps() -> None:
    scope = matrix(
        ScopeAssignment(service="crokit:on-site-monitoring", party="monitor-fsp", roles="R"),
        ScopeAssignment(service="crokit:on-site-monitoring", party="lumen-bio", roles="AI"),
        ScopeAssignment(service="crokit:data-management", party="lumen-bio", roles="RA"),
    )
    findings = check_scope(
        scope,
        required_services=["crokit:on-site-monitoring", "crokit:data-management"],
        registry=REGISTRY,
        stages=PHASE_2,
    )
    assert findings == ()


def test_gaps_and_overlaps_are_reported() -> None:
    scope = matrix(
        ScopeAssignment(service="crokit:on-site-monitoring", party="monitor-fsp", roles="RA"),
        ScopeAssignment(
            service="crokit:on-site-monitoring", party="lumen-bio", roles=[Raci.ACCOUNTABLE, Raci.RESPONSIBLE]
        ),
        ScopeAssignment(service="crokit:biostatistics", party="lumen-bio", roles="C", stage="phase-2"),
    )
    findings = check_scope(
        scope,
        required_services=["crokit:on-site-monitoring", "crokit:biostatistics"],
        registry=REGISTRY,
        stages=PHASE_2,
    )
    assert [(f.kind, f.service) for f in findings] == [
        ("overlap", "crokit:on-site-monitoring"),
        ("overlap", "crokit:on-site-monitoring"),
        ("gap", "crokit:biostatistics"),
        ("gap", "crokit:biostatistics"),
    ]
    assert "2 parties are accountable (Lumen Bio, Monitor FSP)" in findings[0].message
    assert findings[2].message.endswith("nobody is responsible")


def test_a_stage_specific_assignment_covers_only_its_stage() -> None:
    scope = matrix(ScopeAssignment(service="crokit:data-management", party="lumen-bio", roles="RA", stage="phase-2"))
    findings = check_scope(
        scope, required_services=["crokit:data-management"], registry=REGISTRY, stages=[Stage.PHASE_2, Stage.PHASE_3]
    )
    assert {f.stage for f in findings} == {Stage.PHASE_3}


def test_refusals() -> None:
    no_contract = Party(id="other", name="Other", kind="other-vendor")
    with pytest.raises(ValidationError) as caught:
        ScopeMatrix(
            parties=[SPONSOR, no_contract],
            assignments=[ScopeAssignment(service="crokit:data-management", party="ghost", roles="R")],
        )
    assert [p.path for p in caught.value.problems] == ["parties[1].agreement", "assignments[0].party"]
    with pytest.raises(ValidationError, match="exactly one sponsor"):
        ScopeMatrix(parties=[FSP], assignments=[])
    with pytest.raises(ValidationError, match="RACI letters"):
        ScopeAssignment(service="crokit:data-management", party="x", roles="RX")
    with pytest.raises(ValidationError) as unknown:
        check_scope(matrix(), required_services=["crokit:data-managment"], registry=REGISTRY)
    assert unknown.value.problems[0].path == "required_services[0]"
    assert "crokit:data-management" in unknown.value.problems[0].message


@given(scope_matrices(), st.lists(st.sampled_from([s.id for s in REGISTRY.services]), unique=True, max_size=5))
def test_one_accountable_and_responsible_party_per_service_closes_every_gap(scope, services) -> None:
    sponsor = next(p for p in scope.parties if p.kind.value == "sponsor")
    covered = ScopeMatrix(
        parties=scope.parties,
        assignments=[ScopeAssignment(service=service, party=sponsor.id, roles="RA") for service in services],
    )
    assert check_scope(covered, required_services=services, registry=REGISTRY) == ()
    findings = check_scope(scope, required_services=services, registry=REGISTRY)
    for finding in findings:
        assert finding.service in services
        assert (finding.kind == "gap") == (finding.parties == ())


@pytest.mark.parametrize("fmt", ["json", "toml", "yaml"])
@given(value=scope_matrices() | scope_assignments())
def test_round_trip(fmt, value) -> None:
    assert loads(dumps(value, fmt), type(value), fmt) == value
