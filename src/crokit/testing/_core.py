"""Hypothesis strategies for crokit's core models (money, vocabulary, studies, profiles).

Public through :mod:`crokit.testing`; see there.

Original overview:

Downstream packages can property-test their own extensions with them::

    from hypothesis import given
    from crokit.testing import studies

    @given(studies())
    def test_my_pricing(study): ...

Each strategy takes keyword-only bounds and a ``registry`` whose ids it draws from
(crokit's built-ins by default). The strategies are also registered with Hypothesis'
``st.from_type`` through the ``hypothesis`` entry point, so ``st.from_type(Money)``
works once crokit is installed.

This module imports Hypothesis; ``import crokit`` does not import this module.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from crokit.money import CURRENCIES, FxRate, FxTable, Money
from crokit.provider import (
    AreaExperience,
    CroProfile,
    Inspection,
    InspectionOutcome,
    SizeClass,
    TeamExperience,
    Technology,
    TechnologyKind,
)
from crokit.registry import Registry
from crokit.study import Complexity, Study, Visit, VisitKind
from crokit.vocabulary.countries import COUNTRIES, REGIONS
from crokit.vocabulary.lifecycle import Stage
from crokit.vocabulary.terms import (
    CroCategory,
    EngagementModel,
    ProviderKind,
    Regulator,
    Service,
    Submission,
    TherapeuticArea,
    UnitBasis,
)

__all__ = [
    "amounts",
    "area_experiences",
    "cro_categories",
    "cro_profiles",
    "currencies",
    "engagement_models",
    "fx_rates",
    "fx_tables",
    "inspections",
    "money",
    "namespaced_ids",
    "regulators",
    "services",
    "studies",
    "submissions",
    "team_experiences",
    "technologies",
    "therapeutic_areas",
    "visits",
]

_ROUNDABLE = tuple(sorted(code for code, unit in CURRENCIES.items() if unit is not None))
_STUDY_PHASES = tuple(stage for stage in Stage if stage.is_clinical or stage is Stage.PRECLINICAL)
_SLUG = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,15}\Z")
_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    str.strip
)


def _registry(registry: Registry | None) -> Registry:
    return registry if registry is not None else Registry.builtin()


def currencies(*, roundable: bool = True) -> st.SearchStrategy[str]:
    """Active ISO 4217 codes; with ``roundable`` only those that have a minor unit. Shrinks towards ``AED``."""
    return st.sampled_from(_ROUNDABLE if roundable else tuple(sorted(CURRENCIES)))


def amounts(
    *, min_value: Decimal = Decimal("-1e12"), max_value: Decimal = Decimal("1e12"), places: int | None = 2
) -> st.SearchStrategy[Decimal]:
    """Finite Decimals in a range, with *places* decimal places (``None``: any)."""
    return st.decimals(min_value=min_value, max_value=max_value, places=places, allow_nan=False, allow_infinity=False)


def money(
    *,
    currency: str | None = None,
    min_value: Decimal = Decimal("-1e12"),
    max_value: Decimal = Decimal("1e12"),
    rounded: bool = True,
) -> st.SearchStrategy[Money]:
    """:class:`~crokit.Money` values; ``rounded`` keeps them in whole minor units of their currency."""
    codes = st.just(currency) if currency is not None else currencies()

    def build(code: str) -> st.SearchStrategy[Money]:
        # Unrounded amounts get up to six digits below the minor unit: enough to test
        # rounding, and never so small that the amount leaves crokit's decimal range.
        places = CURRENCIES[code] if rounded else (CURRENCIES[code] or 0) + 6
        return amounts(min_value=min_value, max_value=max_value, places=places).map(lambda a: Money(a, code))

    return codes.flatmap(build)


def namespaced_ids(*, namespace: str | None = None) -> st.SearchStrategy[str]:
    """Well-formed namespaced ids (``acme:vector-shedding``)."""
    spaces = st.just(namespace) if namespace is not None else st.from_regex(r"\A[a-z][a-z0-9-]{0,8}\Z")
    return st.builds(lambda ns, name: f"{ns}:{name}", spaces, st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,20}\Z"))


def fx_rates(*, base: str | None = None, quote: str | None = None) -> st.SearchStrategy[FxRate]:
    """:class:`~crokit.FxRate` values between two different currencies."""
    pairs = st.tuples(st.just(base) if base else currencies(), st.just(quote) if quote else currencies()).filter(
        lambda pair: pair[0] != pair[1]
    )
    return st.builds(
        lambda pair, rate, as_of, source: FxRate(base=pair[0], quote=pair[1], rate=rate, as_of=as_of, source=source),
        pairs,
        amounts(min_value=Decimal("0.0001"), max_value=Decimal(10000), places=6),
        st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
        _TEXT,
    )


def fx_tables(*, max_rates: int = 5) -> st.SearchStrategy[FxTable]:
    """:class:`~crokit.FxTable` values with at most one rate per pair and date."""
    return st.lists(fx_rates(), max_size=max_rates, unique_by=lambda r: (r.base, r.quote, r.as_of)).map(
        lambda rates: FxTable(rates=tuple(rates))
    )


def visits() -> st.SearchStrategy[Visit]:
    """Single :class:`~crokit.Visit` values."""
    return st.builds(
        Visit,
        id=_SLUG,
        name=_TEXT,
        day=st.integers(-60, 720),
        kind=st.sampled_from(VisitKind),
        window_days=st.integers(0, 14),
        crf_pages=st.integers(0, 40),
        procedures=st.lists(_TEXT, max_size=3).map(tuple),
        remote=st.booleans(),
    )


def _schedules(max_visits: int) -> st.SearchStrategy[tuple[Visit, ...]]:
    return st.lists(visits(), max_size=max_visits, unique_by=lambda v: v.id).map(
        lambda items: tuple(sorted(items, key=lambda v: v.day))
    )


def _country_codes(min_size: int, max_size: int) -> st.SearchStrategy[tuple[str, ...]]:
    """Distinct countries, each written as its alpha-2 or its alpha-3 code."""
    return st.lists(
        st.sampled_from(COUNTRIES), min_size=min_size, max_size=max_size, unique_by=lambda c: c.alpha2
    ).flatmap(lambda chosen: st.tuples(*(st.sampled_from((c.alpha2, c.alpha3)) for c in chosen)))


def _rates() -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=0, max_value=Decimal("0.95"), places=3)


def studies(
    *, registry: Registry | None = None, max_patients: int = 5000, max_visits: int = 8
) -> st.SearchStrategy[Study]:
    """Valid :class:`~crokit.Study` values whose ids come from *registry*."""
    reg = _registry(registry)

    @st.composite
    def build(draw: st.DrawFn) -> Study:
        patients = draw(st.integers(1, max_patients))
        start = draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2040, 1, 1)))
        end = draw(st.none() | st.integers(1, 3650).map(lambda days: start + timedelta(days=days)))
        return Study(
            name=draw(_TEXT),
            phase=draw(st.sampled_from(_STUDY_PHASES)),
            therapeutic_area=draw(st.sampled_from([a.id for a in reg.areas])),
            indication=draw(_TEXT),
            planned_patients=patients,
            sites=draw(st.integers(1, min(patients, 500))),
            countries=draw(_country_codes(1, 6)),
            start_date=start,
            end_date=end,
            currency=draw(currencies()),
            visits=draw(_schedules(max_visits)),
            screen_failure_rate=draw(_rates()),
            dropout_rate=draw(_rates()),
            required_services=tuple(
                draw(st.lists(st.sampled_from([s.id for s in reg.services]), unique=True, max_size=6))
            ),
            complexity=draw(st.sampled_from(Complexity)),
            protocol_id=draw(st.none() | _TEXT),
            sponsor=draw(st.none() | _TEXT),
        )

    return build()


def area_experiences(*, registry: Registry | None = None) -> st.SearchStrategy[AreaExperience]:
    """:class:`~crokit.AreaExperience` values."""
    reg = _registry(registry)
    return st.builds(
        AreaExperience,
        area=st.sampled_from([a.id for a in reg.areas]),
        phase=st.sampled_from(_STUDY_PHASES),
        studies=st.integers(0, 200),
        patients=st.none() | st.integers(0, 100_000),
        evidence=st.just("") | _TEXT,
    )


def technologies() -> st.SearchStrategy[Technology]:
    """:class:`~crokit.Technology` values."""
    return st.builds(
        Technology,
        kind=st.sampled_from(TechnologyKind),
        name=_TEXT,
        validated=st.booleans(),
        evidence=st.just("") | _TEXT,
    )


def team_experiences() -> st.SearchStrategy[TeamExperience]:
    """:class:`~crokit.TeamExperience` values."""
    return st.builds(
        TeamExperience,
        average_years=st.decimals(min_value=0, max_value=40, places=1),
        turnover_rate=st.decimals(min_value=0, max_value=1, places=2),
        named_staff=st.booleans(),
    )


def inspections(*, registry: Registry | None = None) -> st.SearchStrategy[Inspection]:
    """:class:`~crokit.Inspection` values."""
    reg = _registry(registry)
    return st.builds(
        Inspection,
        regulator=st.sampled_from([r.id for r in reg.regulators]),
        year=st.integers(1990, 2030),
        outcome=st.sampled_from(InspectionOutcome),
        note=st.just("") | _TEXT,
    )


def cro_profiles(*, registry: Registry | None = None) -> st.SearchStrategy[CroProfile]:
    """Valid :class:`~crokit.CroProfile` values whose ids come from *registry*."""
    reg = _registry(registry)
    return st.builds(
        CroProfile,
        id=_SLUG,
        name=_TEXT,
        kind=st.sampled_from(ProviderKind),
        categories=_ids([c.id for c in reg.categories]),
        size=st.sampled_from(SizeClass),
        services=_ids([s.id for s in reg.services]),
        countries=_country_codes(0, 8),
        regions=st.lists(st.sampled_from(sorted(REGIONS)), unique=True, max_size=3).map(tuple),
        experience=st.lists(area_experiences(registry=reg), max_size=4, unique_by=lambda e: (e.area, e.phase)).map(
            tuple
        ),
        technologies=st.lists(technologies(), max_size=4).map(tuple),
        team=st.none() | team_experiences(),
        inspections=st.lists(inspections(registry=reg), max_size=3).map(tuple),
        specialisms=_ids([a.id for a in reg.areas]),
    )


def _ids(items: list[str]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(items), unique=True, max_size=6).map(tuple)


def _stage_sets() -> st.SearchStrategy[frozenset[Stage]]:
    return st.frozensets(st.sampled_from(Stage), min_size=1)


def services(*, namespace: str | None = None) -> st.SearchStrategy[Service]:
    """:class:`~crokit.vocabulary.Service` entries, as an extension would register them."""
    return st.builds(
        Service,
        id=namespaced_ids(namespace=namespace),
        name=_TEXT,
        description=_TEXT,
        stages=_stage_sets(),
        categories=st.lists(namespaced_ids(), unique=True, max_size=3).map(tuple),
        unit_bases=st.frozensets(st.sampled_from(UnitBasis)),
    )


def cro_categories(*, namespace: str | None = None) -> st.SearchStrategy[CroCategory]:
    """:class:`~crokit.vocabulary.CroCategory` entries."""
    return st.builds(
        CroCategory,
        id=namespaced_ids(namespace=namespace),
        name=_TEXT,
        description=_TEXT,
        stages=_stage_sets(),
        typical_services=st.lists(namespaced_ids(), unique=True, max_size=3).map(tuple),
        focus_areas=st.lists(namespaced_ids(), unique=True, max_size=3).map(tuple),
    )


def therapeutic_areas(*, namespace: str | None = None) -> st.SearchStrategy[TherapeuticArea]:
    """:class:`~crokit.vocabulary.TherapeuticArea` entries."""
    return st.builds(
        TherapeuticArea,
        id=namespaced_ids(namespace=namespace),
        name=_TEXT,
        aliases=st.lists(_TEXT, unique=True, max_size=3).map(tuple),
        parent=st.none() | namespaced_ids(),
    )


def regulators(*, namespace: str | None = None) -> st.SearchStrategy[Regulator]:
    """:class:`~crokit.vocabulary.Regulator` entries."""
    return st.builds(
        Regulator,
        id=namespaced_ids(namespace=namespace),
        name=_TEXT,
        short_name=_TEXT,
        jurisdiction=st.lists(st.sampled_from([c.alpha2 for c in COUNTRIES]), unique=True, max_size=5).map(tuple),
    )


def submissions(*, namespace: str | None = None) -> st.SearchStrategy[Submission]:
    """:class:`~crokit.vocabulary.Submission` entries."""
    return st.builds(
        Submission,
        id=namespaced_ids(namespace=namespace),
        name=_TEXT,
        short_name=_TEXT,
        regulators=st.lists(namespaced_ids(), unique=True, min_size=1, max_size=3).map(tuple),
        gates=st.sampled_from(Stage),
    )


def engagement_models(*, namespace: str | None = None) -> st.SearchStrategy[EngagementModel]:
    """:class:`~crokit.vocabulary.EngagementModel` entries."""
    return st.builds(
        EngagementModel,
        id=namespaced_ids(namespace=namespace),
        name=_TEXT,
        description=_TEXT,
        parent=st.none() | namespaced_ids(),
    )
