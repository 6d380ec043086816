"""Hypothesis strategies for the engagement models: parties, obligations, ledgers, scope.

Public through :mod:`crokit.testing`; see there. Every strategy takes no required
argument, so ``st.from_type`` can use it.
"""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from crokit.engagement.ledger import ObligationLedger, Transfer
from crokit.engagement.obligations import Obligation, builtin_obligations
from crokit.engagement.parties import Agreement, Party, PartyKind
from crokit.engagement.scope import Raci, ScopeAssignment, ScopeMatrix
from crokit.registry import Registry
from crokit.testing._core import namespaced_ids
from crokit.vocabulary.lifecycle import Stage

__all__ = [
    "agreements",
    "obligation_ledgers",
    "obligations",
    "parties",
    "scope_assignments",
    "scope_matrices",
    "transfers",
]

_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    str.strip
)
_PARTY_ID = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,15}\Z")
_PROVIDER_KINDS = [kind for kind in PartyKind if kind is not PartyKind.SPONSOR]


def obligations() -> st.SearchStrategy[Obligation]:
    """:class:`~crokit.engagement.Obligation` entries, as an extension would add them."""
    return st.builds(
        Obligation,
        id=namespaced_ids(),
        name=_TEXT,
        citation=_TEXT,
        summary=_TEXT,
        ich_e6_r3=st.lists(_TEXT, max_size=2).map(tuple),
    )


def agreements() -> st.SearchStrategy[Agreement]:
    """Written :class:`~crokit.engagement.Agreement` values."""
    return st.builds(
        Agreement,
        title=_TEXT,
        signed=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
        reference=st.none() | _TEXT,
    )


def parties(*, kind: PartyKind | None = None) -> st.SearchStrategy[Party]:
    """:class:`~crokit.engagement.Party` values; a provider always has a written agreement."""
    kinds = st.just(kind) if kind is not None else st.sampled_from(PartyKind)

    def build(chosen: PartyKind) -> st.SearchStrategy[Party]:
        return st.builds(
            Party,
            id=_PARTY_ID,
            name=_TEXT,
            kind=st.just(chosen),
            address=st.none() | _TEXT,
            agreement=st.none() if chosen is PartyKind.SPONSOR else agreements(),
        )

    return kinds.flatmap(build)


def transfers() -> st.SearchStrategy[Transfer]:
    """Single :class:`~crokit.engagement.Transfer` values of built-in obligations."""
    return st.builds(
        Transfer,
        obligation=st.sampled_from([obligation.id for obligation in builtin_obligations()]),
        party=_PARTY_ID,
        written_in=_TEXT,
        oversight=st.lists(_TEXT, max_size=2).map(tuple),
    )


@st.composite
def _ledger(draw: st.DrawFn, max_providers: int) -> ObligationLedger:
    sponsor = draw(parties(kind=PartyKind.SPONSOR))
    kinds = draw(st.lists(st.sampled_from(_PROVIDER_KINDS), min_size=1, max_size=max_providers))
    ids = draw(
        st.lists(_PARTY_ID.filter(lambda i: i != sponsor.id), min_size=len(kinds), max_size=len(kinds), unique=True)
    )
    providers = [
        Party(id=i, name=draw(_TEXT), kind=kind, address=draw(st.none() | _TEXT), agreement=draw(agreements()))
        for kind, i in zip(kinds, ids, strict=True)
    ]
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from([o.id for o in builtin_obligations()]), st.sampled_from(ids)),
            unique=True,
            max_size=12,
        )
    )
    moved = [
        Transfer(
            obligation=obligation,
            party=party,
            written_in=draw(_TEXT),
            oversight=tuple(draw(st.lists(_TEXT, max_size=2))),
        )
        for obligation, party in pairs
    ]
    return ObligationLedger(study=draw(_TEXT), sponsor=sponsor, providers=providers, transfers=moved)


def obligation_ledgers(*, max_providers: int = 3) -> st.SearchStrategy[ObligationLedger]:
    """Valid :class:`~crokit.engagement.ObligationLedger` values over the built-in obligations."""
    return _ledger(max_providers)


@st.composite
def _matrix(draw: st.DrawFn, registry: Registry | None) -> ScopeMatrix:
    known = registry if registry is not None else Registry.builtin()
    sponsor = draw(parties(kind=PartyKind.SPONSOR))
    count = draw(st.integers(min_value=0, max_value=3))
    ids = draw(st.lists(_PARTY_ID.filter(lambda i: i != sponsor.id), min_size=count, max_size=count, unique=True))
    providers = [
        Party(id=i, name=draw(_TEXT), kind=draw(st.sampled_from(_PROVIDER_KINDS)), agreement=draw(agreements()))
        for i in ids
    ]
    everyone = [sponsor.id, *ids]
    services = [service.id for service in known.services]
    assignments = draw(
        st.lists(
            st.builds(
                ScopeAssignment,
                service=st.sampled_from(services),
                party=st.sampled_from(everyone),
                roles=st.frozensets(st.sampled_from(Raci), min_size=1),
                stage=st.none() | st.sampled_from(Stage),
            ),
            max_size=8,
        )
    )
    return ScopeMatrix(parties=[sponsor, *providers], assignments=assignments)


def scope_assignments() -> st.SearchStrategy[ScopeAssignment]:
    """Single :class:`~crokit.engagement.ScopeAssignment` values over the built-in services."""
    return st.builds(
        ScopeAssignment,
        service=st.sampled_from([service.id for service in Registry.builtin().services]),
        party=_PARTY_ID,
        roles=st.frozensets(st.sampled_from(Raci), min_size=1),
        stage=st.none() | st.sampled_from(Stage),
    )


def scope_matrices(*, registry: Registry | None = None) -> st.SearchStrategy[ScopeMatrix]:
    """Valid :class:`~crokit.engagement.ScopeMatrix` values: one sponsor, providers with agreements."""
    return _matrix(registry)
