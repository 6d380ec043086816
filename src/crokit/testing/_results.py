"""Hypothesis strategies for crokit's result and reference models, made by crokit itself.

Public through :mod:`crokit.testing`; see there. Where crokit computes a model (cost
drivers, budget differences, payments, cash flows, benchmark checks) the strategy
draws the inputs and runs the real computation, so every value is one crokit could
return. The rest (problems, import reports, registry records) are drawn field by
field within what their constructors accept.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from crokit.errors import Problem
from crokit.interop.report import Assumption, ImportDefaults, ImportReport
from crokit.money import Money
from crokit.pricing.budget import Budget
from crokit.pricing.cost_drivers import CostDrivers, Driver
from crokit.pricing.derive import derive_drivers
from crokit.pricing.diff import BudgetDiff, LineChange, ServiceChange
from crokit.pricing.line_item import LineItem
from crokit.pricing.performance import PerformanceOutcome, performance_outcome
from crokit.reference.check import BenchmarkCheck, NoBenchmark, check_cost_per_patient
from crokit.reference.figures import Figure
from crokit.reference.loading import load_published
from crokit.reference.sources import Citation
from crokit.reference.table import BenchmarkTable
from crokit.registry import ExtensionInfo, Registry
from crokit.schedule.cashflow import CashFlowRow, cash_flow
from crokit.schedule.payments import Payment
from crokit.schedule.terms import MilestoneDate
from crokit.serialization import DocumentSpec
from crokit.study import Complexity
from crokit.testing._core import currencies, studies
from crokit.testing._pricing import assumptions, performance_terms
from crokit.testing._schedule import CURRENCIES, _line, milestone_plans, payment_schedules
from crokit.testing._selection import budgets
from crokit.vocabulary.countries import COUNTRIES, Country
from crokit.vocabulary.ids import RegistryKind
from crokit.vocabulary.lifecycle import Stage

__all__ = [
    "benchmark_checks",
    "benchmark_tables",
    "budget_diffs",
    "cash_flow_rows",
    "citations",
    "cost_drivers",
    "countries",
    "document_specs",
    "drivers",
    "extension_infos",
    "figures",
    "import_assumptions",
    "import_defaults",
    "import_reports",
    "line_changes",
    "line_items",
    "milestone_dates",
    "no_benchmarks",
    "payments",
    "performance_outcomes",
    "problems",
    "registries",
    "registry_kinds",
    "service_changes",
]

_SLUG = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,15}\Z")
_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    str.strip
)
_TEXTS = st.lists(_TEXT, max_size=3).map(tuple)


def problems() -> st.SearchStrategy[Problem]:
    """Problems with a path (maybe empty) and a message."""
    return st.builds(Problem, path=st.just("") | st.from_regex(r"\A[a-z_]{1,10}(\[[0-9]\])?\Z"), message=_TEXT)


def countries() -> st.SearchStrategy[Country]:
    """The ISO 3166 countries crokit knows."""
    return st.sampled_from(COUNTRIES)


def registry_kinds() -> st.SearchStrategy[RegistryKind]:
    """Markers of the registry kinds."""
    return st.sampled_from(("service", "category", "area", "regulator", "submission", "engagement-model")).map(
        RegistryKind
    )


def registries() -> st.SearchStrategy[Registry]:
    """The empty registry and crokit's built-in registry."""
    return st.sampled_from((Registry(), Registry.builtin()))


def extension_infos() -> st.SearchStrategy[ExtensionInfo]:
    """Records of loaded extensions."""
    return st.builds(
        ExtensionInfo,
        name=_SLUG,
        value=_SLUG.map(lambda name: f"{name.replace('-', '_')}:register"),
        distribution=_SLUG,
        version=st.from_regex(r"\A[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}\Z"),
    )


def document_specs() -> st.SearchStrategy[DocumentSpec]:
    """Document specs of version 1 to 5, each older version with a migration to the next."""

    def build(name: str, version: int) -> DocumentSpec:
        return DocumentSpec(name=name, version=version, migrations=dict.fromkeys(range(1, version), dict))

    return st.builds(build, st.from_regex(r"\A[a-z][a-z_]{0,15}\Z"), st.integers(1, 5))


def line_items(*, currency: str | None = None) -> st.SearchStrategy[LineItem]:
    """Budget lines of every pricing kind, with months and a derivation."""

    @st.composite
    def build(draw: st.DrawFn) -> LineItem:
        code = currency if currency is not None else draw(st.sampled_from(CURRENCIES))
        return _line(draw, code, draw(st.integers(0, 99)))

    return build()


def cost_drivers() -> st.SearchStrategy[CostDrivers]:
    """The cost drivers :func:`~crokit.pricing.derive_drivers` derives from a drawn study and assumptions."""
    return st.builds(derive_drivers, studies(max_visits=3), assumptions())


def drivers() -> st.SearchStrategy[Driver]:
    """Single cost drivers, each with its formula and inputs."""
    names = ("countries", "sites", "patients_enrolled", "patient_visits", "monitoring_visits", "crf_pages")
    return st.builds(getattr, cost_drivers(), st.sampled_from(names))


def budget_diffs(*, currency: str | None = None) -> st.SearchStrategy[BudgetDiff]:
    """Differences between two drawn budgets in the same currency (:meth:`~crokit.pricing.Budget.diff`)."""
    codes = st.just(currency) if currency is not None else st.sampled_from(("USD", "EUR", "JPY"))
    return codes.flatmap(
        lambda code: st.builds(Budget.diff, budgets(currency=code, max_lines=3), budgets(currency=code, max_lines=3))
    )


def line_changes() -> st.SearchStrategy[LineChange]:
    """Single line changes of a budget difference."""
    return budget_diffs().filter(lambda found: bool(found.lines)).flatmap(lambda found: st.sampled_from(found.lines))


def service_changes() -> st.SearchStrategy[ServiceChange]:
    """Single service changes of a budget difference."""
    return (
        budget_diffs().filter(lambda found: bool(found.services)).flatmap(lambda found: st.sampled_from(found.services))
    )


def performance_outcomes() -> st.SearchStrategy[PerformanceOutcome]:
    """Outcomes of a drawn performance term: pending, or reached on a drawn date."""
    return st.builds(
        lambda term, actual: performance_outcome([term], {} if actual is None else {term.milestone: actual})[0],
        performance_terms(),
        st.none() | st.dates(date(2025, 1, 1), date(2035, 12, 31)),
    )


def payments(*, currency: str | None = None) -> st.SearchStrategy[Payment]:
    """Single payments of a schedule built by :func:`~crokit.schedule.build_schedule`."""
    return (
        payment_schedules(currency=currency)
        .filter(lambda schedule: bool(schedule.payments))
        .flatmap(lambda schedule: st.sampled_from(schedule.payments))
    )


def cash_flow_rows(*, currency: str | None = None) -> st.SearchStrategy[CashFlowRow]:
    """Rows of the cash flow of a built schedule (:func:`~crokit.schedule.cash_flow`)."""
    return payment_schedules(currency=currency).map(cash_flow).filter(bool).flatmap(st.sampled_from)


def milestone_dates() -> st.SearchStrategy[MilestoneDate]:
    """Single dated milestones of a milestone plan."""
    return milestone_plans().filter(lambda plan: bool(plan.dates)).flatmap(lambda plan: st.sampled_from(plan.dates))


def figures() -> st.SearchStrategy[Figure]:
    """The published reference figures crokit ships, each with its citation."""
    return st.sampled_from(load_published().figures)


def citations() -> st.SearchStrategy[Citation]:
    """The citations of the published reference figures."""
    return figures().map(lambda figure: figure.source)


def benchmark_tables() -> st.SearchStrategy[BenchmarkTable]:
    """Tables of some of the published figures."""
    return st.builds(
        BenchmarkTable,
        figures=st.lists(figures(), max_size=5).map(tuple),
        name=_TEXT,
    )


def _cost_figures() -> tuple[Figure, ...]:
    return tuple(
        figure
        for figure in load_published().figures
        if figure.measure == "cost-per-patient" and figure.phase is not None and figure.value is not None
    )


def benchmark_checks() -> st.SearchStrategy[BenchmarkCheck]:
    """Checks of a drawn cost per patient against a published figure.

    Made by :func:`~crokit.reference.check_cost_per_patient`.
    """

    def check(figure: Figure, cost: Decimal) -> BenchmarkCheck | NoBenchmark:
        assert figure.phase is not None  # noqa: S101 - _cost_figures keeps only phased figures
        return check_cost_per_patient(
            Money(cost, "USD"), figure.phase, figure.therapeutic_area, source=figure.source.id
        )

    def only_checks(result: BenchmarkCheck | NoBenchmark) -> st.SearchStrategy[BenchmarkCheck]:
        return st.just(result) if isinstance(result, BenchmarkCheck) else st.nothing()

    found = st.builds(check, st.sampled_from(_cost_figures()), st.decimals("1", "1000000", places=2))
    return found.flatmap(only_checks)


def no_benchmarks() -> st.SearchStrategy[NoBenchmark]:
    """Reasons why no benchmark applies."""
    return st.builds(NoBenchmark, reason=_TEXT)


def import_assumptions() -> st.SearchStrategy[Assumption]:
    """Assumptions an importer records for a field its source did not give."""
    return st.builds(Assumption, field=st.from_regex(r"\A[a-z_]{1,20}\Z"), value=_TEXT, reason=_TEXT)


def import_defaults() -> st.SearchStrategy[ImportDefaults]:
    """Defaults for what an imported file lacks, each given or left out."""
    reg = Registry.builtin()
    return st.builds(
        ImportDefaults,
        phase=st.none() | st.sampled_from((Stage.PHASE_1, Stage.PHASE_2, Stage.PHASE_3)),
        therapeutic_area=st.none() | st.sampled_from(sorted(area.id for area in reg.areas)),
        indication=st.none() | _TEXT,
        planned_patients=st.none() | st.integers(1, 5000),
        sites=st.none() | st.integers(1, 200),
        patients_per_site=st.integers(1, 100),
        countries=st.lists(st.sampled_from([c.alpha2 for c in COUNTRIES]), unique=True, min_size=1, max_size=3).map(
            tuple
        ),
        start_date=st.none() | st.dates(date(2025, 1, 1), date(2035, 12, 31)),
        currency=currencies(),
        complexity=st.none() | st.sampled_from(Complexity),
    )


def import_reports() -> st.SearchStrategy[ImportReport]:
    """Reports of an import: the study built, what was assumed, left unread and noted."""
    return st.builds(
        ImportReport,
        source=st.just("") | _TEXT,
        format=st.sampled_from(("USDM 4.0.0", "ClinicalTrials.gov API v2")),
        study=studies(max_visits=3),
        filled=st.lists(import_assumptions(), max_size=3).map(tuple),
        unread=_TEXTS,
        notes=_TEXTS,
    )
