"""The engagement document: the demo story, its status and transfer table, refusals, files."""

from __future__ import annotations

import json

import attrs
import pytest

from crokit import Registry, ValidationError
from crokit.demo_engagement import demo_engagement
from crokit.engagement.document import Engagement, ProviderContract, obligations, status
from crokit.engagement.ledger import Transfer
from crokit.engagement.parties import Party
from crokit.engagement.scope import ScopeAssignment
from crokit.report import render_engagement, render_obligations
from crokit.serialization import dumps, loads

REGISTRY = Registry.builtin()
ENGAGEMENT = demo_engagement()


def test_the_demo_story_signed_amended_and_accrued() -> None:
    report = status(ENGAGEMENT, registry=REGISTRY)
    (contract,) = report.contracts
    original, amended = contract.versions
    assert amended.change_order is not None
    assert amended.effective_month == 9
    assert amended.value == original.value + amended.delta
    assert [amount for month, amount in amended.by_month if month < 9] == [
        amount for month, amount in original.by_month if month < 9
    ]
    assert contract.status is not None
    assert contract.status.earned_to_date.amount > 0
    assert contract.status.invoice_findings == ()  # the year-2 monitoring rate is the escalated contract rate
    assert [kpi.kpi.id for kpi in report.kpis] == [
        "crokit:enrolment-vs-plan",
        "crokit:site-activation-vs-plan",
        "crokit:invoice-accuracy",
        "crokit:query-turnaround-days",
    ]
    assert report.scope_findings == ()


def test_every_untransferred_obligation_stays_with_the_sponsor() -> None:
    table = obligations(ENGAGEMENT)
    moved = {transfer.obligation for transfer in ENGAGEMENT.transfers}
    for entry in table.entries:
        assert entry.transferred == (entry.obligation.id in moved)
        if not entry.transferred:
            assert entry.holders == ("lumen-bio",)
    assert len(table.findings()) == 1  # the drug-disposal transfer names no oversight activity


def test_refusals_name_their_paths() -> None:
    ghost = ProviderContract(provider="ghost-cro", contract=ENGAGEMENT.contracts[0].contract)
    unsigned = Party(id="lab", name="Lab", kind="central-lab")
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(
            ENGAGEMENT,
            providers=[*ENGAGEMENT.providers, unsigned],
            contracts=[*ENGAGEMENT.contracts, ghost],
            scope=[ScopeAssignment(service="crokit:data-management", party="nobody", roles="R")],
            transfers=[Transfer(obligation="crokit:keep-records", party="nobody", written_in="x")],
        )
    paths = [problem.path for problem in caught.value.problems]
    assert "providers[1].agreement" in paths
    assert "transfers[0].party" in paths
    assert "scope[0].party" in paths
    assert "contracts[1].provider" in paths


@pytest.mark.parametrize("fmt", ["json", "toml", "yaml"])
def test_the_engagement_round_trips(fmt) -> None:
    assert loads(dumps(ENGAGEMENT, fmt), Engagement, fmt) == ENGAGEMENT


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_the_status_and_the_transfer_table_render_in_every_format(fmt) -> None:
    report = status(ENGAGEMENT, registry=REGISTRY)
    text = render_engagement(report, fmt, rich=False)
    table = render_obligations(obligations(ENGAGEMENT), fmt, rich=False)
    if fmt == "json":
        data = json.loads(text)
        (contract,) = data["contracts"]
        assert [v["change_order"] for v in contract["versions"]] == [None, "co-1"]
        assert contract["contract_value"] == {
            "amount": str(report.contracts[0].versions[-1].value.amount),
            "currency": "USD",
        }
        transfers = json.loads(table)
        assert transfers["cro_involved"] is True
        assert sum(1 for o in transfers["obligations"] if not o["transferred"]) == 5
    else:
        assert "estimate at completion (plan)" in text
        assert "Governance KPIs" in text
        assert "21 CFR 312.59" in table
        assert "(retained)" in table
