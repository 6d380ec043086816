"""Hypothesis strategies for the pricing models of :mod:`crokit.pricing`.

Every strategy is valid by construction: service ids and their unit bases come from
the registry (crokit's built-ins by default), amounts are in whole minor units of a
currency that has one, and rates (fractions) are in range. ``proposals(study=...)`` draws
proposals that price against that study without error.

This module imports Hypothesis; ``import crokit`` does not import it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

from hypothesis import strategies as st

from crokit.money import CURRENCIES, FxRate, FxTable, Money
from crokit.pricing import (
    Adjustment,
    Assumptions,
    Contingency,
    CostBucket,
    CurrencyConversion,
    DiscountTier,
    Escalation,
    FixedFee,
    FteAllocation,
    FteTimeAndMaterials,
    InvestigatorGrants,
    ManagementFee,
    MilestonePayment,
    PassThrough,
    PercentDiscount,
    PerformanceTerm,
    PricingModel,
    Proposal,
    RateCard,
    RateCardEntry,
    RatePer,
    SiteActivation,
    TieredDiscount,
    TotalTier,
    UnitPrice,
    VisitFee,
    VolumeDiscount,
)
from crokit.registry import Registry
from crokit.study import Study
from crokit.vocabulary.lifecycle import Milestone, Stage
from crokit.vocabulary.terms import Service, UnitBasis

__all__ = [
    "adjustments",
    "assumptions",
    "contingencies",
    "currency_conversions",
    "discount_tiers",
    "escalations",
    "fixed_fees",
    "fte_allocations",
    "fte_models",
    "investigator_grants",
    "management_fees",
    "milestone_payments",
    "pass_throughs",
    "percent_discounts",
    "performance_terms",
    "pricing_models",
    "proposals",
    "rate_card_entries",
    "rate_cards",
    "site_activations",
    "tiered_discounts",
    "total_tiers",
    "unit_prices",
    "visit_fees",
    "volume_discounts",
]

_CURRENCIES: Final = ("USD", "EUR", "GBP", "JPY", "CHF", "KWD")
_EXPLICIT: Final = frozenset({UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH, UnitBasis.PER_SAMPLE})
_TIME: Final = frozenset({UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH})
_NEEDS_VISITS: Final = frozenset({UnitBasis.PER_PATIENT_VISIT, UnitBasis.PER_PAGE})
_GRANTS: Final = "crokit:investigator-grants"
_SLUG: Final = st.from_regex(r"\A[a-z][a-z0-9-]{0,11}\Z")
_TEXT: Final = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789-.,()%", min_size=1, max_size=24).map(
    str.strip
)
_DESCRIPTION: Final = st.just("") | _TEXT.filter(bool)
_DATES: Final = st.dates(min_value=date(2015, 1, 1), max_value=date(2040, 12, 31))


def _registry(registry: Registry | None) -> Registry:
    return registry if registry is not None else Registry.builtin()


def _currencies(currency: str | None) -> st.SearchStrategy[str]:
    return st.just(currency) if currency is not None else st.sampled_from(_CURRENCIES)


def _money(
    currency: str, *, min_value: Decimal = Decimal(0), max_value: Decimal = Decimal(1_000_000)
) -> st.SearchStrategy[Money]:
    places = CURRENCIES[currency] or 0
    return st.decimals(min_value=min_value, max_value=max_value, places=places).map(lambda a: Money(a, currency))


def _rates(*, max_value: Decimal = Decimal("0.9999")) -> st.SearchStrategy[Decimal]:
    """Rates as fractions (crokit.units), from 0 to *max_value*, to four places (a hundredth of a percent)."""
    return st.decimals(min_value=0, max_value=max_value, places=4)


def _stages(service: Service) -> st.SearchStrategy[Stage]:
    return st.sampled_from(sorted(service.stages, key=lambda stage: stage.order))


def unit_prices(
    *, currency: str | None = None, registry: Registry | None = None, with_visits: bool = True
) -> st.SearchStrategy[UnitPrice]:
    """Unit prices for a registry service at one of its unit bases (pass-through excluded).

    With ``with_visits=False`` no per-visit or per-page basis is drawn (for a study without a schedule).
    """
    reg = _registry(registry)
    pairs = [
        (service, basis)
        for service in reg.services
        for basis in sorted(service.unit_bases, key=lambda b: b.value)
        if basis is not UnitBasis.PASS_THROUGH and (with_visits or basis not in _NEEDS_VISITS)
    ]

    @st.composite
    def build(draw: st.DrawFn) -> UnitPrice:
        service, basis = draw(st.sampled_from(pairs))
        explicit = basis in _EXPLICIT
        quantity = st.decimals(min_value=0, max_value=10_000, places=2)
        return UnitPrice(
            service=service.id,
            stage=draw(_stages(service)),
            basis=basis,
            rate=draw(_money(draw(_currencies(currency)), max_value=Decimal(100_000))),
            quantity=draw(quantity if explicit else st.none() | quantity),
            description=draw(_DESCRIPTION),
        )

    return build()


def pass_throughs(*, currency: str | None = None, registry: Registry | None = None) -> st.SearchStrategy[PassThrough]:
    """Pass-through costs of registry services priced as pass-through, with or without a management fee."""
    reg = _registry(registry)
    services = [service for service in reg.services if UnitBasis.PASS_THROUGH in service.unit_bases]
    return st.sampled_from(services).flatmap(
        lambda service: st.builds(
            PassThrough,
            service=st.just(service.id),
            stage=_stages(service),
            estimate=_currencies(currency).flatmap(_money),
            management_fee=st.decimals(min_value=0, max_value=Decimal("0.99"), places=3),
            description=_DESCRIPTION,
        )
    )


def milestone_payments(*, share: Decimal | None = None) -> st.SearchStrategy[MilestonePayment]:
    """A payment of *share* (a fraction of the fee; drawn from 0.0001 to 1 if not given) on any milestone."""
    shares = st.just(share) if share is not None else st.decimals("0.0001", "1", places=4)
    return st.builds(
        lambda milestone, drawn: MilestonePayment(milestone=milestone, share=drawn),
        st.sampled_from(Milestone),
        shares,
    )


def _splits(count: int) -> tuple[Decimal, ...]:
    share = (Decimal(1) / count).quantize(Decimal("0.0001"), rounding="ROUND_FLOOR")
    return (*([share] * (count - 1)), Decimal(1) - share * (count - 1))


def fixed_fees(
    *, currency: str | None = None, registry: Registry | None = None, max_milestones: int = 4
) -> st.SearchStrategy[FixedFee]:
    """Fixed fees for a registry service, paid in shares that sum to 1 on distinct milestones."""
    reg = _registry(registry)

    @st.composite
    def build(draw: st.DrawFn) -> FixedFee:
        service = draw(st.sampled_from(list(reg.services)))
        milestones = draw(st.lists(st.sampled_from(Milestone), min_size=1, max_size=max_milestones, unique=True))
        code = draw(_currencies(currency))
        return FixedFee(
            service=service.id,
            stage=draw(_stages(service)),
            fee=draw(_money(code, min_value=Decimal(1))),
            milestones=tuple(
                MilestonePayment(milestone=m, share=p)
                for m, p in zip(milestones, _splits(len(milestones)), strict=True)
            ),
            description=draw(_DESCRIPTION),
        )

    return build()


def rate_card_entries(*, currency: str | None = None) -> st.SearchStrategy[RateCardEntry]:
    """Single rate-card entries."""
    return st.builds(
        RateCardEntry,
        role=_SLUG,
        region=_SLUG,
        rate=_currencies(currency).flatmap(lambda code: _money(code, max_value=Decimal(50_000))),
        per=st.sampled_from(RatePer),
        year=st.integers(2015, 2040),
    )


def rate_cards(*, currency: str | None = None, max_entries: int = 5) -> st.SearchStrategy[RateCard]:
    """Rate cards in one currency, each ``(role, region, year)`` once."""
    return _currencies(currency).flatmap(
        lambda code: st.lists(
            rate_card_entries(currency=code),
            min_size=1,
            max_size=max_entries,
            unique_by=lambda e: (e.role, e.region, e.year),
        ).map(lambda entries: RateCard(entries=tuple(entries)))
    )


def discount_tiers() -> st.SearchStrategy[DiscountTier]:
    """Single volume-discount tiers."""
    return st.builds(DiscountTier, min_fte_months=st.decimals(0, 1000, places=1), rate=_rates())


def volume_discounts(*, max_tiers: int = 4) -> st.SearchStrategy[VolumeDiscount]:
    """Volume discounts with strictly ascending tiers."""
    return st.lists(discount_tiers(), min_size=1, max_size=max_tiers, unique_by=lambda t: t.min_fte_months).map(
        lambda tiers: VolumeDiscount(tiers=tuple(sorted(tiers, key=lambda t: t.min_fte_months)))
    )


def fte_allocations(
    *, role: str | None = None, region: str | None = None, max_month: int = 60
) -> st.SearchStrategy[FteAllocation]:
    """Single allocations of a role, within the first *max_month* study months."""
    return st.builds(
        FteAllocation,
        role=st.just(role) if role is not None else _SLUG,
        region=st.just(region) if region is not None else _SLUG,
        fte=st.decimals(min_value=Decimal("0.05"), max_value=3, places=2),
        start_month=st.integers(0, max_month - 1),
        duration_months=st.integers(1, max_month),
        hours_per_fte_month=st.just(Decimal(140)) | st.decimals(min_value=80, max_value=180, places=1),
    )


def fte_models(
    *, currency: str | None = None, registry: Registry | None = None, max_allocations: int = 4
) -> st.SearchStrategy[FteTimeAndMaterials]:
    """FTE time-and-materials items for a service priced both per hour and per FTE month.

    Allocations use roles and regions on the rate card, in force for the model's year.
    """
    reg = _registry(registry)
    services = [service for service in reg.services if service.unit_bases >= _TIME]

    @st.composite
    def build(draw: st.DrawFn) -> FteTimeAndMaterials:
        service = draw(st.sampled_from(services))
        card = draw(rate_cards(currency=currency))
        year = draw(st.integers(max(entry.year for entry in card.entries), 2040))
        pairs = sorted({(entry.role, entry.region) for entry in card.entries})
        chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=max_allocations))
        return FteTimeAndMaterials(
            service=service.id,
            stage=draw(_stages(service)),
            rate_card=card,
            year=year,
            allocations=tuple(draw(fte_allocations(role=role, region=region)) for role, region in chosen),
            volume_discount=draw(st.none() | volume_discounts()),
            description=draw(_DESCRIPTION),
        )

    return build()


def visit_fees(*, currency: str | None = None) -> st.SearchStrategy[VisitFee]:
    """Single per-visit fee overrides (any visit id)."""
    return st.builds(VisitFee, visit_id=_SLUG, fee=_currencies(currency).flatmap(_money))


def investigator_grants(
    *, currency: str | None = None, study: Study | None = None
) -> st.SearchStrategy[InvestigatorGrants]:
    """Per-patient investigator grants; with a *study*, visit overrides name its visits."""

    @st.composite
    def build(draw: st.DrawFn) -> InvestigatorGrants:
        code = draw(_currencies(currency))
        fee = _money(code, max_value=Decimal(20_000))
        ids = [visit.id for visit in study.visits] if study is not None else draw(st.lists(_SLUG, max_size=4))
        overrides = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids))) if ids else []
        return InvestigatorGrants(
            stage=draw(st.sampled_from([stage for stage in Stage if stage.is_clinical])),
            fee_per_visit=draw(fee),
            screen_failure_fee=draw(fee),
            early_termination_fee=draw(fee),
            startup_fee_per_site=draw(fee),
            visit_fees=tuple(VisitFee(visit_id=visit_id, fee=draw(fee)) for visit_id in overrides),
            holdback_share=draw(_rates(max_value=Decimal("0.3"))),
            description=draw(_DESCRIPTION),
        )

    return build()


def performance_terms(*, currency: str | None = None) -> st.SearchStrategy[PerformanceTerm]:
    """Bonus and/or malus terms in one currency."""

    @st.composite
    def build(draw: st.DrawFn) -> PerformanceTerm:
        code = draw(_currencies(currency))
        amount = _money(code, min_value=Decimal(1))
        bonus, malus = draw(st.sampled_from([(True, False), (False, True), (True, True)]))
        return PerformanceTerm(
            milestone=draw(st.sampled_from(Milestone)),
            target_date=draw(_DATES),
            bonus=draw(amount) if bonus else None,
            malus=draw(amount) if malus else None,
            description=draw(_DESCRIPTION),
        )

    return build()


def _buckets(*, optional: bool = True) -> st.SearchStrategy[CostBucket | None]:
    buckets = st.sampled_from(CostBucket)
    return st.none() | buckets if optional else buckets


def percent_discounts() -> st.SearchStrategy[PercentDiscount]:
    """Flat discounts, on every line or one bucket."""
    return st.builds(PercentDiscount, rate=_rates(), applies_to=_buckets())


def total_tiers(*, currency: str | None = None) -> st.SearchStrategy[TotalTier]:
    """Single tiers of a discount on the total, in *currency* (drawn if not given)."""
    return _currencies(currency).flatmap(
        lambda code: st.builds(TotalTier, min_total=_money(code, max_value=Decimal(10_000_000)), rate=_rates())
    )


def tiered_discounts(*, currency: str | None = None, max_tiers: int = 4) -> st.SearchStrategy[TieredDiscount]:
    """Discounts tiered by the budget total, tiers strictly ascending in one currency."""
    return _currencies(currency).flatmap(
        lambda code: st.builds(
            TieredDiscount,
            tiers=st.lists(
                total_tiers(currency=code), min_size=1, max_size=max_tiers, unique_by=lambda t: t.min_total
            ).map(lambda tiers: tuple(sorted(tiers, key=lambda t: t.min_total.amount))),
            applies_to=_buckets(),
        )
    )


def escalations(*, start_date: date | None = None) -> st.SearchStrategy[Escalation]:
    """Annual escalations (rates up to 15%), from any base date, on any bucket."""
    return st.builds(
        Escalation,
        annual_rate=_rates(max_value=Decimal("0.15")),
        base_date=_DATES,
        start_date=st.just(start_date) if start_date is not None else _DATES,
        applies_to=st.just(CostBucket.CRO_DIRECT_FEES) | st.sampled_from(CostBucket),
    )


def contingencies() -> st.SearchStrategy[Contingency]:
    """Contingency reserves (up to 30%)."""
    return st.builds(
        Contingency,
        rate=_rates(max_value=Decimal("0.3")),
        applies_to=st.just(CostBucket.CRO_DIRECT_FEES) | st.sampled_from(CostBucket),
    )


def management_fees() -> st.SearchStrategy[ManagementFee]:
    """Management fees (up to 30%) on a bucket."""
    return st.builds(ManagementFee, rate=_rates(max_value=Decimal("0.3")), applies_to=_buckets(optional=False))


def currency_conversions(*, base: str | None = None) -> st.SearchStrategy[CurrencyConversion]:
    """Conversions into another currency, with a table holding a rate in force (from *base*, if given)."""

    @st.composite
    def build(draw: st.DrawFn) -> CurrencyConversion:
        source = draw(_currencies(base))
        target = draw(st.sampled_from([code for code in _CURRENCIES if code != source]))
        as_of = draw(_DATES)
        rate = FxRate(
            base=source,
            quote=target,
            rate=draw(st.decimals(min_value=Decimal("0.01"), max_value=500, places=4)),
            as_of=as_of,
            source="test fixing",
        )
        on = draw(st.dates(min_value=as_of, max_value=date(2045, 12, 31)))
        return CurrencyConversion(to=target, fx=FxTable(rates=(rate,)), on=on)

    return build()


def adjustments(*, currency: str | None = None) -> st.SearchStrategy[Adjustment]:
    """Any single adjustment; a tiered discount's thresholds and a conversion's base are in *currency*."""
    return st.one_of(
        percent_discounts(),
        tiered_discounts(currency=currency),
        escalations(),
        contingencies(),
        management_fees(),
        currency_conversions(base=currency),
    )


def pricing_models(
    *, currency: str | None = None, registry: Registry | None = None, study: Study | None = None
) -> st.SearchStrategy[PricingModel]:
    """Any pricing item; with a *study*, items that price against it."""
    with_visits = study is None or bool(study.visits)
    options: list[st.SearchStrategy[PricingModel]] = [
        unit_prices(currency=currency, registry=registry, with_visits=with_visits),
        pass_throughs(currency=currency, registry=registry),
        fixed_fees(currency=currency, registry=registry),
        fte_models(currency=currency, registry=registry),
    ]
    if with_visits:
        options.append(investigator_grants(currency=currency, study=study))
    return st.one_of(options)


def _adjustment_lists(currency: str, max_size: int) -> st.SearchStrategy[tuple[Adjustment, ...]]:
    """Adjustments of distinct kinds, thresholds and conversions following the currency as it changes."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[Adjustment, ...]:
        kinds = draw(st.lists(st.integers(0, 5), unique=True, max_size=max_size))
        result: list[Adjustment] = []
        current = currency
        for kind in kinds:
            options: tuple[st.SearchStrategy[Adjustment], ...] = (
                percent_discounts(),
                tiered_discounts(currency=current),
                escalations(),
                contingencies(),
                management_fees(),
                currency_conversions(base=current),
            )
            adjustment = draw(options[kind])
            if isinstance(adjustment, CurrencyConversion):
                current = adjustment.to
            result.append(adjustment)
        return tuple(result)

    return build()


def proposals(
    *,
    study: Study | None = None,
    registry: Registry | None = None,
    max_items: int = 4,
    max_adjustments: int = 4,
    max_terms: int = 2,
) -> st.SearchStrategy[Proposal]:
    """Proposals in one currency (the *study*'s, if given); with a *study* they price against it.

    Items have distinct services, so no two give lines with the same key; adjustments
    are of distinct kinds.
    """
    reg = _registry(registry)

    @st.composite
    def build(draw: st.DrawFn) -> Proposal:
        code = study.currency if study is not None and study.currency in _CURRENCIES else draw(_currencies(None))
        items = draw(
            st.lists(
                pricing_models(currency=code, registry=reg, study=study),
                max_size=max_items,
                unique_by=lambda item: item.service,
            )
        )
        return Proposal(
            cro_id=draw(_SLUG),
            currency=code,
            items=tuple(items),
            adjustments=draw(_adjustment_lists(code, max_adjustments)),
            performance_terms=tuple(draw(st.lists(performance_terms(currency=code), max_size=max_terms))),
            other_currencies=tuple(
                draw(st.lists(st.sampled_from([c for c in _CURRENCIES if c != code]), unique=True, max_size=2))
            ),
        )

    return build()


def site_activations(*, max_pairs: int = 4) -> st.SearchStrategy[SiteActivation]:
    """Even activation, or a plan of increasing months (it fits a study only if it opens its sites)."""
    plans = st.lists(
        st.tuples(st.integers(0, 24), st.integers(1, 20)), min_size=1, max_size=max_pairs, unique_by=lambda p: p[0]
    )
    return st.just(SiteActivation()) | plans.map(lambda pairs: SiteActivation(plan=tuple(sorted(pairs))))


def assumptions(*, even: bool = True) -> st.SearchStrategy[Assumptions]:
    """Planning assumptions; with ``even`` (the default) sites open evenly, so any study fits them."""

    @st.composite
    def build(draw: st.DrawFn) -> Assumptions:
        weeks = draw(st.none() | st.integers(1, 26))
        return Assumptions(
            startup_months=draw(st.integers(1, 12)),
            enrolment_months=draw(st.integers(1, 36)),
            treatment_months=draw(st.integers(0, 24)),
            closeout_months=draw(st.integers(0, 12)),
            tables_listings_figures=draw(st.integers(0, 500)),
            crf_pages_per_visit_default=draw(st.integers(0, 40)),
            monitoring_interval_weeks=weeks,
            monitoring_visits_per_site_month=None if weeks is not None else draw(st.decimals(0, 4, places=2)),
            activation=SiteActivation() if even else draw(site_activations()),
        )

    return build()
