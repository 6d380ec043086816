"""The transfer-of-obligations ledger: who holds each sponsor obligation, and in which writing.

Rules, from the regulation and the guideline:

- A sponsor may transfer any or all of its obligations to a CRO, in writing; a partial
  transfer describes each obligation transferred (21 CFR 312.52(a)). A
  :class:`Transfer` therefore names the obligation, the provider, and where in the
  provider's written :class:`~crokit.engagement.Agreement` it is written.
- Any obligation not covered by the writing is deemed not transferred: **it stays with
  the sponsor** (312.52(a); ICH E6(R3) Annex 1 section 3.6: activities not specifically
  transferred are retained by the sponsor).
- The sponsor keeps oversight of everything it transfers and the ultimate
  responsibility (ICH E6(R3) principle 10.3; Annex 1 sections 3.6 and 3.9). A
  transferred obligation without a sponsor oversight activity is flagged.

:func:`transfer_table` turns a ledger into the table a transfer statement lists (Form
FDA 1571, items 15-17; eCTD Module 1.3.1.4).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs

from crokit._convert import to_tuple
from crokit._typed import typed_fields
from crokit._validators import non_empty_text
from crokit.engagement.obligations import lookup, obligation_catalogue
from crokit.engagement.parties import Party, PartyKind, all_of
from crokit.errors import Problem, UnknownIdError, ValidationError
from crokit.vocabulary.ids import check_id
from crokit.vocabulary.obligations import Obligation

__all__ = ["LedgerEntry", "ObligationLedger", "Transfer", "TransferTable", "transfer_table"]

NO_OVERSIGHT: Final = (
    "transferred without a sponsor oversight activity; the sponsor keeps oversight of every transferred "
    "activity (ICH E6(R3) principle 10.3, Annex 1 sections 3.6 and 3.9)"
)
"""The finding for a transferred obligation that names no oversight activity."""


def _texts(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise ValidationError.at(f"{attribute.name}[{index}]", f"expected a non-empty text, got {item!r}")


def _obligation_id(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_id(value, path=attribute.name)


def _sponsor(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Party) or value.kind is not PartyKind.SPONSOR:
        raise ValidationError.at(attribute.name, f"expected a Party of kind 'sponsor', got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Transfer:
    """One obligation transferred, in writing, to one provider.

    Attributes:
        obligation: The obligation's id (``crokit:select-monitors``).
        party: The id of the provider that assumes it.
        written_in: Where the agreement describes the transfer ("Work order 1, schedule B, item 4").
        oversight: The sponsor's oversight activities for it ("monthly review of monitoring
            visit reports"); at least one is expected.
    """

    obligation: str = attrs.field(validator=_obligation_id)
    party: str = attrs.field(validator=non_empty_text)
    written_in: str = attrs.field(validator=non_empty_text)
    oversight: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=_texts)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ObligationLedger:
    """The sponsor, its providers, and the obligations transferred to them for one study.

    Attributes:
        study: The study the transfers apply to (protocol number and title), as the
            transfer statement identifies it.
        sponsor: The sponsor (kind ``sponsor``).
        providers: The providers, each with its written agreement.
        transfers: The obligations transferred; every other obligation stays with the sponsor.

    The ledger refuses a provider without a written agreement, a transfer to a party that
    is not one of its providers, and the same obligation transferred twice to the same
    provider, each with its path.
    """

    study: str = attrs.field(validator=non_empty_text)
    sponsor: Party = attrs.field(validator=_sponsor)
    providers: tuple[Party, ...] = attrs.field(converter=to_tuple, validator=all_of(Party, "a Party"))
    transfers: tuple[Transfer, ...] = attrs.field(
        default=(), converter=to_tuple, validator=all_of(Transfer, "a Transfer")
    )

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        seen = {self.sponsor.id}
        for index, provider in enumerate(self.providers):
            path = f"providers[{index}]"
            if provider.kind is PartyKind.SPONSOR:
                problems.append(Problem(path=f"{path}.kind", message="a provider cannot be a sponsor"))
            if provider.agreement is None:
                problems.append(
                    Problem(
                        path=f"{path}.agreement",
                        message=f"{provider.name} has no written agreement; obligations are transferred in "
                        "writing (21 CFR 312.52(a))",
                    )
                )
            if provider.id in seen:
                problems.append(Problem(path=f"{path}.id", message=f"the id {provider.id!r} is used twice"))
            seen.add(provider.id)
        provider_ids = [provider.id for provider in self.providers]
        pairs: set[tuple[str, str]] = set()
        for index, transfer in enumerate(self.transfers):
            path = f"transfers[{index}]"
            if transfer.party not in provider_ids:
                problems.append(
                    Problem(
                        path=f"{path}.party",
                        message=f"{transfer.party!r} is not a provider of this ledger; expected one of {provider_ids}",
                    )
                )
            if (transfer.obligation, transfer.party) in pairs:
                problems.append(
                    Problem(path=path, message=f"{transfer.obligation} is transferred to {transfer.party!r} twice")
                )
            pairs.add((transfer.obligation, transfer.party))
        if problems:
            raise ValidationError(problems)

    def party(self, party_id: str) -> Party:
        """The sponsor or provider with id *party_id*."""
        for party in (self.sponsor, *self.providers):
            if party.id == party_id:
                return party
        raise ValidationError.at("party", f"no party {party_id!r} in this ledger")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class LedgerEntry:
    """Where one obligation sits.

    Attributes:
        obligation: The obligation.
        holders: The ids of the parties that hold it: its providers when transferred, else the sponsor.
        transferred: Whether any provider assumed it in writing.
        written_in: For each transfer, the agreement and the place in it that describes it.
        oversight: The sponsor's oversight activities for it.
        findings: What needs attention (a transfer with no oversight activity).
    """

    obligation: Obligation
    holders: tuple[str, ...] = attrs.field(converter=to_tuple)
    transferred: bool
    written_in: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    oversight: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    findings: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class TransferTable:
    """Every obligation of the catalogue with its holder: the content of a transfer statement.

    Attributes:
        study: The study the statement is about.
        sponsor: The sponsor.
        providers: The providers that assumed at least one obligation, in ledger order.
        entries: One entry per obligation, in catalogue order.
    """

    study: str
    sponsor: Party
    providers: tuple[Party, ...] = attrs.field(converter=to_tuple)
    entries: tuple[LedgerEntry, ...] = attrs.field(converter=to_tuple)

    @property
    def cro_involved(self) -> bool:
        """Whether a CRO (or other provider) assumed any obligation: Form FDA 1571's yes or no."""
        return any(entry.transferred for entry in self.entries)

    def retained(self) -> tuple[LedgerEntry, ...]:
        """The obligations that stay with the sponsor."""
        return tuple(entry for entry in self.entries if not entry.transferred)

    def transferred_to(self, party_id: str) -> tuple[LedgerEntry, ...]:
        """The obligations *party_id* assumed."""
        return tuple(entry for entry in self.entries if party_id in entry.holders and entry.transferred)

    def findings(self) -> tuple[str, ...]:
        """Every finding, prefixed with its obligation's citation."""
        return tuple(
            f"{entry.obligation.citation} ({entry.obligation.name}): {finding}"
            for entry in self.entries
            for finding in entry.findings
        )


def transfer_table(ledger: ObligationLedger, catalogue: Mapping[str, Obligation] | None = None) -> TransferTable:
    """Where every obligation of *catalogue* (crokit's built-ins by default) sits under *ledger*.

    Obligations no transfer names stay with the sponsor. A transfer naming an obligation
    the catalogue does not know is refused with its path.

    >>> from datetime import date
    >>> from crokit.engagement import Agreement, Party
    >>> ledger = ObligationLedger(
    ...     study="RD-201",
    ...     sponsor=Party(id="lumen-bio", name="Lumen Bio", kind="sponsor"),
    ...     providers=[Party(id="helix-cro", name="Helix CRO", kind="cro",
    ...                      agreement=Agreement(title="MSA and work order 1", signed=date(2027, 1, 4)))],
    ...     transfers=[Transfer(obligation="crokit:select-monitors", party="helix-cro",
    ...                         written_in="Work order 1, schedule B", oversight=["quarterly CRA file review"])],
    ... )
    >>> table = transfer_table(ledger)
    >>> [entry.obligation.citation for entry in table.transferred_to("helix-cro")]
    ['21 CFR 312.53(d)']
    >>> len(table.retained())
    9
    """
    known = obligation_catalogue() if catalogue is None else catalogue
    problems: list[Problem] = []
    by_obligation: dict[str, list[Transfer]] = {}
    for index, transfer in enumerate(ledger.transfers):
        try:
            lookup(known, transfer.obligation, path="")
        except UnknownIdError as exc:
            problems.append(Problem(path=f"transfers[{index}].obligation", message=str(exc)))
            continue
        by_obligation.setdefault(transfer.obligation, []).append(transfer)
    if problems:
        raise ValidationError(problems)
    entries: list[LedgerEntry] = []
    for obligation in known.values():
        transfers = by_obligation.get(obligation.id, [])
        if not transfers:
            entries.append(LedgerEntry(obligation=obligation, holders=(ledger.sponsor.id,), transferred=False))
            continue
        written = []
        for transfer in transfers:
            agreement = ledger.party(transfer.party).agreement
            title = agreement.title if agreement is not None else "(no agreement)"
            written.append(f"{title}: {transfer.written_in}")
        oversight = tuple(activity for transfer in transfers for activity in transfer.oversight)
        entries.append(
            LedgerEntry(
                obligation=obligation,
                holders=tuple(transfer.party for transfer in transfers),
                transferred=True,
                written_in=written,
                oversight=oversight,
                findings=() if all(transfer.oversight for transfer in transfers) else (NO_OVERSIGHT,),
            )
        )
    involved = {holder for entry in entries if entry.transferred for holder in entry.holders}
    return TransferTable(
        study=ledger.study,
        sponsor=ledger.sponsor,
        providers=tuple(provider for provider in ledger.providers if provider.id in involved),
        entries=entries,
    )
