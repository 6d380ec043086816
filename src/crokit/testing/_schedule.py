"""Hypothesis strategies for payment schedules and change orders, valid by construction.

Private to crokit's tests for now (``import crokit`` never imports it, nor Hypothesis).
Budgets for schedules are built line by line, without pricing, so they can hold every
kind of line a priced budget holds: CRO fees, pass-through costs, grants, negative
adjustments and fixed-fee milestone lines. Contracts are built from proposals whose
items price against any study: every unit price states its quantity.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Final

from hypothesis import strategies as st

from crokit.change_orders import ChangeOrder, Contract, ReasonCode, Replacement
from crokit.money import Money
from crokit.pricing.budget import Budget, CostBucket, LineItem, PricingKind
from crokit.pricing.models import FixedFee, MilestonePayment, PassThrough, PricingModel, Proposal, UnitPrice
from crokit.registry import Registry
from crokit.schedule import (
    BillingFrequency,
    BillingTerms,
    MilestonePlan,
    PaymentSchedule,
    build_schedule,
)
from crokit.vocabulary.lifecycle import Milestone, Stage
from crokit.vocabulary.terms import UnitBasis

__all__ = [
    "CURRENCIES",
    "billing_terms",
    "change_orders",
    "contract_starts",
    "contracts",
    "milestone_plans",
    "payment_schedules",
    "pricing_items",
    "proposals",
    "replacements",
    "schedule_budgets",
    "schedule_cases",
]

CURRENCIES: Final = ("USD", "EUR", "JPY", "KWD")
"""Currencies drawn from: two, zero and three decimal places."""

_PLACES: Final = {"USD": 2, "EUR": 2, "JPY": 0, "KWD": 3}
_SERVICES: Final = ("crokit:on-site-monitoring", "crokit:data-management", "crokit:biostatistics", "crokit:edc")
_MILESTONES: Final = tuple(Milestone)
_STAGES: Final = (Stage.PHASE_1, Stage.PHASE_2, Stage.PHASE_3)
_KINDS: Final = (
    PricingKind.FIXED_FEE,
    PricingKind.UNIT,
    PricingKind.PASS_THROUGH,
    PricingKind.GRANTS,
    PricingKind.ADJUSTMENT,
)
ScheduleCase = tuple[Budget, dt.date, MilestonePlan, BillingTerms]


def contract_starts() -> st.SearchStrategy[dt.date]:
    """Contract start dates from 2020 to 2035, leap years and month ends included."""
    return st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))


def milestone_plans(
    *, start: dt.date | None = None, milestones: tuple[Milestone, ...] | None = None
) -> st.SearchStrategy[MilestonePlan]:
    """Plans whose dates rise with the milestones' order, none before *start*, listed in any order.

    Args:
        start: The earliest date (drawn if not given).
        milestones: The milestones planned (a drawn subset if not given).
    """

    @st.composite
    def build(draw: st.DrawFn) -> MilestonePlan:
        chosen = (
            list(milestones) if milestones is not None else draw(st.lists(st.sampled_from(_MILESTONES), unique=True))
        )
        chosen.sort(key=lambda milestone: milestone.order)
        day = start if start is not None else draw(contract_starts())
        pairs = []
        for milestone in chosen:
            day += dt.timedelta(days=draw(st.integers(0, 400)))
            pairs.append((milestone, day))
        return MilestonePlan(dates=draw(st.permutations(pairs)))

    return build()


def billing_terms() -> st.SearchStrategy[BillingTerms]:
    """Any billing terms: monthly or quarterly, in arrears or advance, net 0 to 120, holdback 0 to 99.99%."""
    return st.builds(
        BillingTerms,
        frequency=st.sampled_from(BillingFrequency),
        in_arrears=st.booleans(),
        payment_days=st.integers(0, 120),
        holdback_share=st.decimals("0", "0.9999", places=4) | st.just(Decimal(0)) | st.just(Decimal("0.10")),
        holdback_release=st.sampled_from(_MILESTONES),
        pass_through_as_incurred=st.booleans(),
    )


def _line(draw: st.DrawFn, currency: str, number: int) -> LineItem:
    kind = draw(st.sampled_from(_KINDS))
    buckets = {
        PricingKind.PASS_THROUGH: (CostBucket.PASS_THROUGH, CostBucket.CRO_DIRECT_FEES),
        PricingKind.GRANTS: (CostBucket.INVESTIGATOR_GRANTS,),
        PricingKind.UNIT: (CostBucket.CRO_DIRECT_FEES, CostBucket.SPONSOR_INTERNAL),
    }
    bucket = draw(st.sampled_from(buckets.get(kind, (CostBucket.CRO_DIRECT_FEES,))))
    low = "-100000" if kind is PricingKind.ADJUSTMENT else "0"
    price = Money(draw(st.decimals(low, "1000000", places=draw(st.integers(0, 4)))), currency)
    quantity = draw(st.decimals("0", "1000", places=draw(st.integers(0, 2))))
    description = f"line {number}"
    if kind is PricingKind.FIXED_FEE:
        price, quantity = price.rounded(), Decimal(1)
        description = f"fee {number}: {draw(st.sampled_from(_MILESTONES)).label}"
        months = [draw(st.integers(0, 60))]
    else:
        months = draw(st.lists(st.integers(0, 60), min_size=1, max_size=24, unique=True))
    return LineItem(
        service=draw(st.sampled_from(_SERVICES)),
        stage=draw(st.sampled_from(_STAGES)),
        kind=kind,
        bucket=bucket,
        description=description,
        basis=None,
        quantity=quantity,
        unit_price=price,
        amount=(price * quantity).rounded(),
        months=sorted(months),
        derivation="generated",
    )


def schedule_budgets(*, currency: str | None = None, max_lines: int = 10) -> st.SearchStrategy[Budget]:
    """Budgets of up to *max_lines* lines of every kind, fixed-fee lines named after their milestone."""

    @st.composite
    def build(draw: st.DrawFn) -> Budget:
        code = currency if currency is not None else draw(st.sampled_from(CURRENCIES))
        count = draw(st.integers(0, max_lines))
        return Budget(currency=code, lines=[_line(draw, code, number) for number in range(count)])

    return build()


def schedule_cases(*, currency: str | None = None) -> st.SearchStrategy[ScheduleCase]:
    """``(budget, contract_start, plan, terms)`` that :func:`~crokit.schedule.build_schedule` accepts.

    The plan dates every milestone, from the contract start on.
    """

    @st.composite
    def build(draw: st.DrawFn) -> ScheduleCase:
        budget = draw(schedule_budgets(currency=currency))
        start = draw(contract_starts())
        plan = draw(milestone_plans(start=start, milestones=_MILESTONES))
        return budget, start, plan, draw(billing_terms())

    return build()


def payment_schedules(*, currency: str | None = None) -> st.SearchStrategy[PaymentSchedule]:
    """Schedules built from :func:`schedule_cases`."""
    return schedule_cases(currency=currency).map(
        lambda case: build_schedule(case[0], contract_start=case[1], milestones=case[2], terms=case[3])
    )


def _amount(currency: str, low: str, high: str) -> st.SearchStrategy[Money]:
    return st.decimals(low, high, places=_PLACES[currency]).map(lambda value: Money(value, currency))


def _shares(count: int) -> st.SearchStrategy[list[Decimal]]:
    cuts = st.lists(st.integers(1, 99), unique=True, min_size=count - 1, max_size=count - 1).map(sorted)
    return cuts.map(lambda points: [Decimal(b - a).scaleb(-2) for a, b in itertools.pairwise([0, *points, 100])])


def pricing_items(
    *, currency: str, description: str, registry: Registry | None = None
) -> st.SearchStrategy[PricingModel]:
    """Unit prices (quantity stated), pass-through costs and fixed fees that price against any study.

    Args:
        currency: The items' currency.
        description: The items' description; give each item of a proposal its own.
        registry: Where services come from (the built-in registry by default).
    """
    reg = registry if registry is not None else Registry.builtin()
    fitting = [
        (service.id, basis)
        for service in reg.services
        for basis in sorted(service.unit_bases, key=lambda basis: basis.value)
        if basis is not UnitBasis.PASS_THROUGH
    ]
    passed = [service.id for service in reg.services if UnitBasis.PASS_THROUGH in service.unit_bases]
    stage = st.sampled_from(_STAGES)

    @st.composite
    def unit(draw: st.DrawFn) -> PricingModel:
        service, basis = draw(st.sampled_from(fitting))
        return UnitPrice(
            service=service,
            stage=draw(stage),
            basis=basis,
            rate=draw(_amount(currency, "0", "100000")),
            quantity=draw(st.decimals("0", "5000", places=draw(st.integers(0, 2)))),
            description=description,
        )

    @st.composite
    def fixed(draw: st.DrawFn) -> PricingModel:
        milestones = draw(st.lists(st.sampled_from(_MILESTONES), min_size=1, max_size=4, unique=True))
        shares = draw(_shares(len(milestones)))
        return FixedFee(
            service=draw(st.sampled_from([service.id for service in reg.services])),
            stage=draw(stage),
            fee=draw(_amount(currency, "1", "5000000")),
            milestones=[MilestonePayment(milestone=m, share=p) for m, p in zip(milestones, shares, strict=True)],
            description=description,
        )

    @st.composite
    def passing(draw: st.DrawFn) -> PricingModel:
        return PassThrough(
            service=draw(st.sampled_from(passed)),
            stage=draw(stage),
            estimate=draw(_amount(currency, "0", "5000000")),
            management_fee=draw(st.decimals("0", "0.2", places=3)),
            description=description,
        )

    return st.one_of(unit(), fixed(), passing())


def proposals(*, currency: str | None = None, registry: Registry | None = None) -> st.SearchStrategy[Proposal]:
    """Proposals of up to five items, described ``item 0``, ``item 1``, ..."""

    @st.composite
    def build(draw: st.DrawFn) -> Proposal:
        code = currency if currency is not None else draw(st.sampled_from(CURRENCIES))
        count = draw(st.integers(0, 5))
        items = [draw(pricing_items(currency=code, description=f"item {n}", registry=registry)) for n in range(count)]
        return Proposal(cro_id="helix-cro", currency=code, items=items)

    return build()


def change_orders(
    proposal: Proposal | None = None,
    *,
    order_id: str = "co-1",
    on: dt.date | None = None,
    registry: Registry | None = None,
) -> st.SearchStrategy[ChangeOrder]:
    """Change orders that apply to *proposal*; new items are described after the change order's *order_id*.

    Without a *proposal* one is drawn (:func:`proposals`), and without a date *on* one is drawn.
    """
    if proposal is None or on is None:
        return st.tuples(
            st.just(proposal) if proposal is not None else proposals(registry=registry),
            st.just(on) if on is not None else contract_starts(),
        ).flatmap(lambda drawn: change_orders(drawn[0], order_id=order_id, on=drawn[1], registry=registry))

    @st.composite
    def build(draw: st.DrawFn) -> ChangeOrder:
        order = draw(st.permutations(range(len(proposal.items))))
        removing = draw(st.integers(0, len(order)))
        replacing = draw(st.integers(0, len(order) - removing))
        new = [
            draw(pricing_items(currency=proposal.currency, description=f"{order_id} item {n}", registry=registry))
            for n in range(draw(st.integers(0, 3)))
        ]
        replace = [
            Replacement(
                index=index,
                item=draw(
                    pricing_items(currency=proposal.currency, description=f"{order_id} new {n}", registry=registry)
                ),
            )
            for n, index in enumerate(order[removing : removing + replacing])
        ]
        if not (new or removing or replace):
            new.append(
                draw(pricing_items(currency=proposal.currency, description=f"{order_id} item 0", registry=registry))
            )
        return ChangeOrder(
            id=order_id,
            date=on,
            reason=draw(st.sampled_from(ReasonCode)),
            description=f"Change order {order_id}",
            add=new,
            remove=order[:removing],
            replace=replace,
        )

    return build()


def contracts(*, max_change_orders: int = 4, registry: Registry | None = None) -> st.SearchStrategy[Contract]:
    """Contracts of a drawn proposal and up to *max_change_orders* change orders, ``co-1``, ``co-2``, ..."""

    @st.composite
    def build(draw: st.DrawFn) -> Contract:
        contract = Contract(original=draw(proposals(registry=registry)))
        day = draw(contract_starts())
        for number in range(1, draw(st.integers(0, max_change_orders)) + 1):
            day += dt.timedelta(days=draw(st.integers(0, 120)))
            order = draw(change_orders(contract.current, order_id=f"co-{number}", on=day, registry=registry))
            contract = contract.with_change_order(order)
        return contract

    return build()


def replacements(*, currency: str | None = None, registry: Registry | None = None) -> st.SearchStrategy[Replacement]:
    """Replacements of the item at an index by a new item (what a change order's ``replace`` lists)."""
    codes = st.just(currency) if currency is not None else st.sampled_from(CURRENCIES)
    items = codes.flatmap(lambda code: pricing_items(currency=code, description="replacement", registry=registry))
    return st.builds(lambda index, item: Replacement(index=index, item=item), st.integers(0, 20), items)
