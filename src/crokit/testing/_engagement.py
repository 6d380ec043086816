"""Hypothesis strategies for the engagement models: parties, obligations, ledgers, scope.

Public through :mod:`crokit.testing`; see there. Every strategy takes no required
argument, so ``st.from_type`` can use it.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from crokit.engagement.accruals import EngagementStatus, InvoiceFinding, LineAccrual, ServiceVariance, engagement_status
from crokit.engagement.actuals import Actuals, Invoice, InvoiceLine, MilestoneReached, WorkDone
from crokit.engagement.document import ContractStatus, Engagement, EngagementReport, ProviderContract, status
from crokit.engagement.kpis import KPIS, Direction, Kpi, KpiObservation, KpiResult, KpiThreshold
from crokit.engagement.ledger import LedgerEntry, ObligationLedger, Transfer, TransferTable, transfer_table
from crokit.engagement.obligations import builtin_obligations
from crokit.engagement.parties import Agreement, Party, PartyKind
from crokit.engagement.scope import Raci, ScopeAssignment, ScopeFinding, ScopeMatrix
from crokit.money import Money
from crokit.pricing.budget import Budget
from crokit.registry import Registry
from crokit.testing._core import amounts, currencies, namespaced_ids
from crokit.vocabulary.lifecycle import Milestone, Stage
from crokit.vocabulary.obligations import Obligation
from crokit.vocabulary.terms import UnitBasis

__all__ = [
    "actuals",
    "agreements",
    "contract_statuses",
    "engagement_reports",
    "engagement_statuses",
    "engagements",
    "invoice_findings",
    "invoice_lines",
    "invoices",
    "kpi_observations",
    "kpi_results",
    "kpi_thresholds",
    "kpis",
    "ledger_entries",
    "line_accruals",
    "milestones_reached",
    "obligation_ledgers",
    "obligations",
    "parties",
    "provider_contracts",
    "scope_assignments",
    "scope_findings",
    "scope_matrices",
    "service_variances",
    "transfer_tables",
    "transfers",
    "work_done",
]

_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    str.strip
)
_PARTY_ID = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,15}\Z")
_PROVIDER_KINDS = [kind for kind in PartyKind if kind is not PartyKind.SPONSOR]


def obligations() -> st.SearchStrategy[Obligation]:
    """:class:`~crokit.vocabulary.Obligation` entries, as an extension would add them."""
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


_DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
_QUANTITIES = amounts(min_value=Decimal(0), max_value=Decimal(100_000), places=2)


def work_done() -> st.SearchStrategy[WorkDone]:
    """:class:`~crokit.engagement.WorkDone` records: units of one basis in one month."""
    return st.builds(
        WorkDone,
        month=_DAYS.map(lambda day: day.replace(day=1)),
        basis=st.sampled_from(UnitBasis),
        quantity=_QUANTITIES,
        service=st.none() | st.sampled_from([service.id for service in Registry.builtin().services]),
    )


def milestones_reached() -> st.SearchStrategy[MilestoneReached]:
    """:class:`~crokit.engagement.MilestoneReached` records."""
    return st.builds(MilestoneReached, milestone=st.sampled_from(Milestone), on=_DAYS)


@st.composite
def _invoice_line(draw: st.DrawFn, currency: str) -> InvoiceLine:
    quantity = draw(_QUANTITIES)
    price = Money(draw(amounts(min_value=Decimal(0), max_value=Decimal(1_000_000))), currency).rounded()
    return InvoiceLine(
        service=draw(st.sampled_from([service.id for service in Registry.builtin().services])),
        quantity=quantity,
        unit_price=price,
        amount=(price * quantity).rounded(),
        basis=draw(st.none() | st.sampled_from(UnitBasis)),
        description=draw(st.just("") | _TEXT),
    )


def invoice_lines(*, currency: str = "USD") -> st.SearchStrategy[InvoiceLine]:
    """:class:`~crokit.engagement.InvoiceLine` values in *currency*, amounts consistent."""
    return _invoice_line(currency)


@st.composite
def _invoice(draw: st.DrawFn, currency: str | None) -> Invoice:
    code = currency if currency is not None else draw(currencies())
    issued = draw(_DAYS)
    paid = draw(st.none() | st.integers(min_value=0, max_value=120).map(lambda days: issued + timedelta(days=days)))
    return Invoice(
        number=draw(st.from_regex(r"\A[A-Z]{2}-[0-9]{4}\Z")),
        issued=issued,
        currency=code,
        lines=draw(st.lists(_invoice_line(code), max_size=4)),
        paid_on=paid,
    )


def invoices(*, currency: str | None = None) -> st.SearchStrategy[Invoice]:
    """:class:`~crokit.engagement.Invoice` values, each line in the invoice's currency."""
    return _invoice(currency)


@st.composite
def _actuals(draw: st.DrawFn) -> Actuals:
    as_of = draw(_DAYS)
    before = st.dates(min_value=date(2020, 1, 1), max_value=as_of)
    done = draw(st.lists(work_done().filter(lambda item: item.month <= as_of), max_size=6))
    reached = draw(
        st.lists(
            st.builds(MilestoneReached, milestone=st.sampled_from(Milestone), on=before),
            max_size=4,
            unique_by=lambda m: m.milestone,
        )
    )
    bills = draw(
        st.lists(
            invoices().filter(lambda bill: bill.issued <= as_of and (bill.paid_on or as_of) <= as_of),
            max_size=3,
            unique_by=lambda bill: bill.number,
        )
    )
    return Actuals(as_of=as_of, work=done, milestones=reached, invoices=bills)


def actuals() -> st.SearchStrategy[Actuals]:
    """Valid :class:`~crokit.engagement.Actuals`: nothing after the as-of date, invoice numbers unique."""
    return _actuals()


# Results: built by running crokit's own functions on drawn inputs.


@functools.cache
def _demo_budget() -> tuple[Budget, date]:
    from crokit.demo import DEMO_SEED, demo_scenario
    from crokit.scenario import evaluate

    scenario = demo_scenario()
    budget = evaluate(scenario, seed=DEMO_SEED).candidate("helix-cro").budget
    if budget is None:  # pragma: no cover - the demo prices Helix CRO's proposal
        raise AssertionError("the demo scenario prices Helix CRO")
    return budget, scenario.study.start_date


def transfer_tables() -> st.SearchStrategy[TransferTable]:
    """:class:`~crokit.engagement.TransferTable` values of drawn ledgers over the built-in obligations."""
    return obligation_ledgers().map(transfer_table)


def ledger_entries() -> st.SearchStrategy[LedgerEntry]:
    """:class:`~crokit.engagement.LedgerEntry` values from drawn transfer tables."""
    return transfer_tables().flatmap(lambda table: st.sampled_from(table.entries))


def scope_findings() -> st.SearchStrategy[ScopeFinding]:
    """:class:`~crokit.engagement.ScopeFinding` values: gaps without parties, overlaps with two or more."""
    services = st.sampled_from([service.id for service in Registry.builtin().services])
    gap = st.builds(
        ScopeFinding,
        kind=st.just("gap"),
        service=services,
        stage=st.sampled_from(Stage),
        parties=st.just(()),
        message=_TEXT,
    )
    overlap = st.builds(
        ScopeFinding,
        kind=st.just("overlap"),
        service=services,
        stage=st.sampled_from(Stage),
        parties=st.lists(_PARTY_ID, min_size=2, max_size=3, unique=True).map(tuple),
        message=_TEXT,
    )
    return gap | overlap


_DECIMALS = st.decimals(min_value=-1000, max_value=1000, places=3)


def kpis() -> st.SearchStrategy[Kpi]:
    """:class:`~crokit.engagement.kpis.Kpi` definitions, as an extension would add them."""
    return st.builds(Kpi, id=namespaced_ids(), name=_TEXT, unit=_TEXT, computed=st.booleans(), description=_TEXT)


def kpi_thresholds() -> st.SearchStrategy[KpiThreshold]:
    """:class:`~crokit.engagement.kpis.KpiThreshold` values for the built-in KPIs."""
    return st.builds(
        KpiThreshold, kpi=st.sampled_from(sorted(KPIS)), threshold=_DECIMALS, direction=st.sampled_from(Direction)
    )


def kpi_observations() -> st.SearchStrategy[KpiObservation]:
    """:class:`~crokit.engagement.kpis.KpiObservation` values for the built-in KPIs."""
    return st.builds(
        KpiObservation, kpi=st.sampled_from(sorted(KPIS)), month=_DAYS.map(lambda d: d.replace(day=1)), value=_DECIMALS
    )


def kpi_results() -> st.SearchStrategy[KpiResult]:
    """:class:`~crokit.engagement.kpis.KpiResult` values, ``on_track`` consistent with the value."""

    @st.composite
    def build(draw: st.DrawFn) -> KpiResult:
        threshold = draw(kpi_thresholds())
        value = draw(st.none() | _DECIMALS)
        on_track = None
        if value is not None:
            on_track = (
                value >= threshold.threshold
                if threshold.direction is Direction.AT_LEAST
                else (value <= threshold.threshold)
            )
        return KpiResult(
            kpi=KPIS[threshold.kpi], value=value, threshold=threshold, on_track=on_track, basis=draw(_TEXT)
        )

    return build()


@st.composite
def _status(draw: st.DrawFn) -> EngagementStatus:
    budget, start = _demo_budget()
    months = draw(st.integers(min_value=0, max_value=30))
    as_of = date(start.year + (start.month + months - 1) // 12, (start.month + months - 1) % 12 + 1, 28)
    done = draw(
        st.lists(
            st.builds(
                WorkDone,
                month=st.integers(min_value=0, max_value=months).map(
                    lambda m: date(start.year + (start.month + m - 1) // 12, (start.month + m - 1) % 12 + 1, 1)
                ),
                basis=st.sampled_from([line.basis for line in budget.lines if line.basis is not None]),
                quantity=st.integers(min_value=0, max_value=50).map(Decimal),
            ),
            max_size=6,
        )
    )
    return engagement_status(budget, Actuals(as_of=as_of, work=done), start=start)


def engagement_statuses() -> st.SearchStrategy[EngagementStatus]:
    """:class:`~crokit.engagement.accruals.EngagementStatus` of the demo budget under drawn work."""
    return _status()


def line_accruals() -> st.SearchStrategy[LineAccrual]:
    """:class:`~crokit.engagement.accruals.LineAccrual` values from drawn statuses."""
    return engagement_statuses().flatmap(lambda status: st.sampled_from(status.lines))


def service_variances() -> st.SearchStrategy[ServiceVariance]:
    """:class:`~crokit.engagement.accruals.ServiceVariance` values from drawn statuses."""
    return engagement_statuses().flatmap(lambda status: st.sampled_from(status.services))


def invoice_findings() -> st.SearchStrategy[InvoiceFinding]:
    """:class:`~crokit.engagement.accruals.InvoiceFinding` values."""
    return st.builds(
        InvoiceFinding,
        invoice=st.from_regex(r"\A[A-Z]{2}-[0-9]{4}\Z"),
        line=st.integers(min_value=-1, max_value=20),
        message=_TEXT,
    )


def provider_contracts() -> st.SearchStrategy[ProviderContract]:
    """:class:`~crokit.engagement.document.ProviderContract` values: the demo's contract, actuals up to a drawn date."""
    from crokit.demo_engagement import demo_engagement

    (item,) = demo_engagement().contracts
    actuals = item.actuals
    if actuals is None:  # pragma: no cover - the demo engagement records actuals
        raise AssertionError("the demo engagement records actuals")
    days = st.dates(min_value=actuals.as_of.replace(month=6, day=30), max_value=actuals.as_of)
    return st.one_of(
        st.just(attrs.evolve(item, actuals=None)), days.map(lambda d: attrs.evolve(item, actuals=actuals.up_to(d)))
    )


def engagements() -> st.SearchStrategy[Engagement]:
    """:class:`~crokit.engagement.document.Engagement` documents: the demo with drawn actuals, scope and KPIs."""
    from crokit.demo_engagement import demo_engagement

    base = demo_engagement()
    return st.builds(
        lambda contract, kpis, drop_scope: attrs.evolve(
            base, contracts=(contract,), kpis=kpis, scope=() if drop_scope else base.scope
        ),
        provider_contracts(),
        st.lists(kpi_thresholds(), max_size=3, unique_by=lambda k: k.kpi).map(tuple),
        st.booleans(),
    )


def engagement_reports() -> st.SearchStrategy[EngagementReport]:
    """:class:`~crokit.engagement.document.EngagementReport` values of drawn engagements."""
    return engagements().map(lambda engagement: status(engagement, registry=Registry.builtin()))


def contract_statuses() -> st.SearchStrategy[ContractStatus]:
    """:class:`~crokit.engagement.document.ContractStatus` values of drawn engagements."""
    return engagement_reports().map(lambda report: report.contracts[0])
