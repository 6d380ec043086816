"""The transfer-of-obligations ledger: the catalogue, the 312.52 rules, and refusals with paths."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given

from crokit import CrokitError, ValidationError
from crokit.engagement import (
    Agreement,
    ObligationLedger,
    Party,
    PartyKind,
    Transfer,
    builtin_obligations,
    obligation_catalogue,
    transfer_table,
)
from crokit.engagement.ledger import NO_OVERSIGHT
from crokit.errors import DuplicateIdError
from crokit.serialization import dumps, loads
from crokit.testing._engagement import agreements, obligation_ledgers, obligations, parties
from crokit.vocabulary import Obligation

SPONSOR = Party(id="lumen-bio", name="Lumen Bio", kind="sponsor", address="1 Main St, Boston, MA")
HELIX = Party(
    id="helix-cro",
    name="Helix CRO",
    kind="cro",
    address="2 Science Park, Cambridge, UK",
    agreement=Agreement(title="MSA and work order 1", signed=date(2027, 1, 4), reference="WO-1"),
)
LAB = Party(
    id="central-lab",
    name="Central Lab Inc.",
    kind=PartyKind.CENTRAL_LAB,
    agreement=Agreement(title="Laboratory services agreement", signed=date(2027, 1, 10)),
)


def ledger(*transfers: Transfer) -> ObligationLedger:
    return ObligationLedger(study="RD-201", sponsor=SPONSOR, providers=[HELIX, LAB], transfers=transfers)


def test_the_catalogue_is_the_sponsor_obligations_of_312_subpart_d() -> None:
    citations = [obligation.citation for obligation in builtin_obligations()]
    assert citations == [
        "21 CFR 312.50",
        "21 CFR 312.53(a)",
        "21 CFR 312.53(b)",
        "21 CFR 312.53(c)",
        "21 CFR 312.53(d)",
        "21 CFR 312.55",
        "21 CFR 312.56",
        "21 CFR 312.57",
        "21 CFR 312.58",
        "21 CFR 312.59",
    ]
    assert all(obligation.id.startswith("crokit:") for obligation in builtin_obligations())


def test_nothing_transferred_means_the_sponsor_keeps_everything() -> None:
    table = transfer_table(ledger())
    assert not table.cro_involved
    assert len(table.retained()) == len(builtin_obligations())
    assert all(entry.holders == ("lumen-bio",) for entry in table.entries)
    assert table.providers == ()


def test_a_partial_transfer_leaves_the_rest_with_the_sponsor() -> None:
    table = transfer_table(
        ledger(
            Transfer(
                obligation="crokit:select-monitors",
                party="helix-cro",
                written_in="Work order 1, schedule B, item 2",
                oversight=["Quarterly review of CRA qualifications"],
            ),
            Transfer(
                obligation="crokit:review-ongoing-investigations", party="helix-cro", written_in="Schedule B, item 3"
            ),
        )
    )
    assert table.cro_involved
    assert [entry.obligation.citation for entry in table.transferred_to("helix-cro")] == [
        "21 CFR 312.53(d)",
        "21 CFR 312.56",
    ]
    assert len(table.retained()) == 8
    assert table.providers == (HELIX,)
    monitoring = table.transferred_to("helix-cro")[1]
    assert monitoring.written_in == ("MSA and work order 1: Schedule B, item 3",)
    assert monitoring.findings == (NO_OVERSIGHT,)
    assert table.findings() == (f"21 CFR 312.56 (Monitor and review ongoing investigations): {NO_OVERSIGHT}",)


def test_one_obligation_may_be_split_between_providers() -> None:
    table = transfer_table(
        ledger(
            Transfer(obligation="crokit:keep-records", party="helix-cro", written_in="WO-1 s.4", oversight=["audit"]),
            Transfer(obligation="crokit:keep-records", party="central-lab", written_in="LSA s.9", oversight=["audit"]),
        )
    )
    (entry,) = [entry for entry in table.entries if entry.transferred]
    assert entry.holders == ("helix-cro", "central-lab")
    assert entry.findings == ()


def test_refusals_name_their_paths() -> None:
    no_contract = Party(id="sitelink", name="SiteLink", kind="cro")
    with pytest.raises(ValidationError) as caught:
        ObligationLedger(
            study="RD-201",
            sponsor=SPONSOR,
            providers=[HELIX, no_contract],
            transfers=[
                Transfer(obligation="crokit:select-monitors", party="nobody", written_in="x"),
                Transfer(obligation="crokit:keep-records", party="helix-cro", written_in="x"),
                Transfer(obligation="crokit:keep-records", party="helix-cro", written_in="y"),
            ],
        )
    paths = [problem.path for problem in caught.value.problems]
    assert paths == ["providers[1].agreement", "transfers[0].party", "transfers[2]"]
    assert "21 CFR 312.52(a)" in str(caught.value)


def test_an_unknown_obligation_is_refused_with_a_suggestion() -> None:
    with pytest.raises(ValidationError) as caught:
        transfer_table(ledger(Transfer(obligation="crokit:select-monitor", party="helix-cro", written_in="x")))
    (problem,) = caught.value.problems
    assert problem.path == "transfers[0].obligation"
    assert "crokit:select-monitors" in problem.message


@pytest.mark.parametrize(
    ("build", "path"),
    [
        (lambda: Party(id="Helix CRO", name="Helix", kind="cro"), "id"),
        (lambda: Party(id="helix", name="Helix", kind="contractor"), "kind"),
        (lambda: Party(id="s", name="S", kind="sponsor", agreement=HELIX.agreement), "agreement"),
        (lambda: Agreement(title="MSA", signed="2027-01-04"), "signed"),  # type: ignore[arg-type]
        (lambda: ObligationLedger(study="x", sponsor=HELIX, providers=[]), "sponsor"),
        (lambda: ObligationLedger(study="x", sponsor=SPONSOR, providers=[None]), "providers[0]"),
        (lambda: Transfer(obligation="select monitors", party="helix-cro", written_in="x"), "obligation"),
        (lambda: Transfer(obligation="crokit:x", party="helix-cro", written_in=" "), "written_in"),
        (lambda: Obligation(id="crokit:x", name="X", citation="", summary="s"), "citation"),
    ],
)
def test_wrong_values_are_crokit_errors_with_their_field(build, path) -> None:
    with pytest.raises(CrokitError) as caught:
        build()
    assert isinstance(caught.value, ValidationError)
    assert caught.value.problems[0].path == path


def test_extra_obligations_extend_the_catalogue_and_ids_stay_unique() -> None:
    eu = Obligation(
        id="acme:eu-ctr-art-71", name="Delegate in a written contract", citation="EU 536/2014 Art. 71", summary="s"
    )
    assert list(obligation_catalogue([eu]))[-1] == "acme:eu-ctr-art-71"
    with pytest.raises(DuplicateIdError):
        obligation_catalogue([eu, eu])


@given(obligation_ledgers())
def test_every_obligation_has_exactly_one_entry_and_untransferred_ones_stay_with_the_sponsor(ledger) -> None:
    table = transfer_table(ledger)
    assert [entry.obligation for entry in table.entries] == list(builtin_obligations())
    moved = {transfer.obligation for transfer in ledger.transfers}
    for entry in table.entries:
        if entry.obligation.id in moved:
            assert entry.transferred
            assert set(entry.holders) == {t.party for t in ledger.transfers if t.obligation == entry.obligation.id}
            lacking = any(not t.oversight for t in ledger.transfers if t.obligation == entry.obligation.id)
            assert (NO_OVERSIGHT in entry.findings) == lacking
        else:
            assert not entry.transferred
            assert entry.holders == (ledger.sponsor.id,)
    assert table.cro_involved == bool(ledger.transfers)


@pytest.mark.parametrize("fmt", ["json", "toml", "yaml"])
@given(ledger=obligation_ledgers())
def test_ledgers_round_trip(fmt, ledger) -> None:
    assert loads(dumps(ledger, fmt), ObligationLedger, fmt) == ledger


@pytest.mark.parametrize("fmt", ["json", "toml", "yaml"])
@given(value=obligations() | agreements() | parties())
def test_parts_round_trip(fmt, value) -> None:
    assert loads(dumps(value, fmt), type(value), fmt) == value
