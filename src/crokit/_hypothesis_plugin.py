"""Registers crokit's strategies with ``st.from_type``; called by Hypothesis' entry point.

Every public model is registered, each with a strategy that takes no arguments, so
``st.from_type(C)`` draws any crokit model and ``st.from_type(object)`` keeps working in
any environment crokit is installed in. Each strategy is built the first time
Hypothesis asks for it, from :mod:`crokit.testing`.

When Hypothesis starts, only the core model modules are imported (money, studies,
providers, vocabulary, pricing, schedules, change orders: what ``import crokit``
loads anyway). The modules of :data:`_DEFERRED` register their models at the end of
their own import instead, by calling :func:`imported`, so starting Hypothesis never
pays for importing selection, scenarios, reference data or importers; and none of the
model modules imports NumPy, pandas or Hypothesis.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any, Final

__all__ = ["imported", "setup"]

_TYPES: Final = {
    "crokit.errors": {"Problem": "problems"},
    "crokit.money": {"Money": "money", "FxRate": "fx_rates", "FxTable": "fx_tables"},
    "crokit.study": {"Visit": "visits", "Study": "studies"},
    "crokit.provider": {
        "AreaExperience": "area_experiences",
        "Technology": "technologies",
        "TeamExperience": "team_experiences",
        "Inspection": "inspections",
        "CroProfile": "cro_profiles",
    },
    "crokit.vocabulary": {
        "Obligation": "obligations",
        "Service": "services",
        "CroCategory": "cro_categories",
        "TherapeuticArea": "therapeutic_areas",
        "Regulator": "regulators",
        "Submission": "submissions",
        "EngagementModel": "engagement_models",
        "Country": "countries",
        "Question": "questions",
        "SelectionCriterion": "selection_criteria",
    },
    "crokit.vocabulary.ids": {"RegistryKind": "registry_kinds"},
    "crokit.registry": {"Registry": "registries", "ExtensionInfo": "extension_infos"},
    "crokit.pricing": {
        "UnitPrice": "unit_prices",
        "PassThrough": "pass_throughs",
        "MilestonePayment": "milestone_payments",
        "FixedFee": "fixed_fees",
        "RateCardEntry": "rate_card_entries",
        "RateCard": "rate_cards",
        "DiscountTier": "discount_tiers",
        "VolumeDiscount": "volume_discounts",
        "FteAllocation": "fte_allocations",
        "FteTimeAndMaterials": "fte_models",
        "VisitFee": "visit_fees",
        "InvestigatorGrants": "investigator_grants",
        "PerformanceTerm": "performance_terms",
        "PerformanceOutcome": "performance_outcomes",
        "Proposal": "proposals",
        "Assumptions": "assumptions",
        "SiteActivation": "site_activations",
        "PercentDiscount": "percent_discounts",
        "TotalTier": "total_tiers",
        "TieredDiscount": "tiered_discounts",
        "Escalation": "escalations",
        "Contingency": "contingencies",
        "ManagementFee": "management_fees",
        "CurrencyConversion": "currency_conversions",
        "Conversion": "conversions",
        "LineItem": "line_items",
        "Budget": "schedule_budgets",
        "BudgetDiff": "budget_diffs",
        "LineChange": "line_changes",
        "ServiceChange": "service_changes",
        "Driver": "drivers",
        "CostDrivers": "cost_drivers",
    },
    "crokit.schedule": {
        "MilestoneDate": "milestone_dates",
        "MilestonePlan": "milestone_plans",
        "BillingTerms": "billing_terms",
        "Payment": "payments",
        "PaymentSchedule": "payment_schedules",
        "CashFlowRow": "cash_flow_rows",
    },
    "crokit.change_orders": {
        "StudyChange": "study_changes",
        "Replacement": "replacements",
        "ChangeOrder": "change_orders",
        "Contract": "contracts",
    },
    "crokit.reference": {
        "Citation": "citations",
        "Figure": "figures",
        "BenchmarkTable": "benchmark_tables",
        "BenchmarkCheck": "benchmark_checks",
        "NoBenchmark": "no_benchmarks",
    },
    "crokit.interop": {
        "Assumption": "import_assumptions",
        "ImportDefaults": "import_defaults",
        "ImportReport": "import_reports",
    },
    "crokit.serialization": {"DocumentSpec": "document_specs"},
    "crokit.selection": {
        "AhpHierarchy": "ahp_hierarchies",
        "Criterion": "matrix_criteria",
        "DecisionMatrix": "decision_matrices",
        "NormalizedWeights": "normalized_weights",
        "MethodResult": "method_results",
        "AhpResult": "ahp_results",
        "RankAcceptability": "rank_acceptabilities",
        "WeightInterval": "weight_intervals",
        "Answer": "answers",
        "DueDiligence": "due_diligences",
        "QuestionScore": "question_scores",
        "CustomConstraint": "custom_constraints",
        "Constraints": "constraints",
        "SponsorPreferences": "sponsor_preferences",
        "CriterionScore": "criterion_scores",
        "ScoringContext": "scoring_contexts",
        "CandidateInput": "candidate_inputs",
        "SelectionSettings": "selection_settings",
        "Consistency": "consistencies",
        "Exclusion": "exclusions",
        "Interval": "intervals",
        "AcceptabilityRow": "acceptability_rows",
        "Scorecard": "scorecards",
        "Ranking": "rankings",
    },
    "crokit.scenario": {
        "Candidate": "candidates",
        "Scenario": "scenarios",
        "BenchmarkResult": "benchmark_results",
        "CandidateResult": "candidate_results",
        "Evaluation": "evaluations",
    },
    "crokit.sensitivity": {
        "AssumptionRange": "assumption_ranges",
        "SensitivitySettings": "sensitivity_settings",
        "CandidateSwing": "candidate_swings",
        "BreakEven": "break_evens",
        "AssumptionSensitivity": "assumption_sensitivities",
        "Tornado": "tornadoes",
    },
    "crokit.contract_versions": {"ContractVersion": "contract_version_values", "DeltaLine": "delta_lines"},
    "crokit.portfolio": {"Portfolio": "portfolios", "PortfolioRow": "portfolio_rows"},
    "crokit.bids": {
        "Bid": "bids",
        "BidGrid": "bid_grids",
        "GridLine": "grid_lines",
        "GridRole": "grid_roles",
        "GridPassThrough": "grid_pass_throughs",
        "AssumptionDifference": "assumption_differences",
        "BidAssumptions": "bid_assumptions",
        "CoverageRow": "coverage_rows",
        "OutsideScope": "outside_scopes",
        "ScopeCoverage": "scope_coverages",
        "Normalisation": "normalisations",
        "RateFlag": "rate_flags",
    },
    "crokit.engagement": {
        "Agreement": "agreements",
        "Party": "parties",
        "Transfer": "transfers",
        "ObligationLedger": "obligation_ledgers",
        "LedgerEntry": "ledger_entries",
        "TransferTable": "transfer_tables",
        "ScopeAssignment": "scope_assignments",
        "ScopeMatrix": "scope_matrices",
        "ScopeFinding": "scope_findings",
    },
    "crokit.engagement.actuals": {
        "WorkDone": "work_done",
        "MilestoneReached": "milestones_reached",
        "InvoiceLine": "invoice_lines",
        "Invoice": "invoices",
        "Actuals": "actuals",
    },
    "crokit.engagement.accruals": {
        "LineAccrual": "line_accruals",
        "ServiceVariance": "service_variances",
        "InvoiceFinding": "invoice_findings",
        "EngagementStatus": "engagement_statuses",
    },
    "crokit.engagement.kpis": {
        "Kpi": "kpis",
        "KpiThreshold": "kpi_thresholds",
        "KpiObservation": "kpi_observations",
        "KpiResult": "kpi_results",
    },
    "crokit.engagement.document": {
        "ProviderContract": "provider_contracts",
        "Engagement": "engagements",
        "ContractStatus": "contract_statuses",
        "EngagementReport": "engagement_reports",
    },
    "crokit.forecast": {
        "ActivateAt": "activate_ats",
        "ActivationWindow": "activation_windows",
        "ActivationList": "activation_lists",
        "SiteGroup": "site_groups",
        "SiteObservation": "site_observations",
        "EnrolmentModel": "enrolment_models",
        "PooledRateTime": "pooled_rate_times",
        "KnownRateTime": "known_rate_times",
        "Quantile": "quantiles",
        "MilestoneForecast": "milestone_forecasts",
        "CurvePoint": "curve_points",
        "EnrolmentForecast": "enrolment_forecasts",
        "ForecastSettings": "forecast_settings",
        "MoneyQuantile": "money_quantiles",
        "QuarterCost": "quarter_costs",
        "VarianceShare": "variance_shares",
        "CostForecast": "cost_forecasts",
        "CostForecastResult": "cost_forecast_results",
        "SitePosterior": "site_posteriors",
        "Reprojection": "reprojections",
        "SimulatedEnrolment": "simulated_enrolments",
        "SimulatedDrivers": "simulated_drivers",
        "SimulatedBudget": "simulated_budgets",
        "CashFlowItem": "cash_flow_items",
        "PhaseTransitions": "phase_transitions",
        "LikelihoodOfApproval": "likelihoods_of_approval",
        "Programme": "programmes",
        "ProgrammeStudy": "programme_studies",
        "RiskAdjustedCost": "risk_adjusted_costs",
    },
}
"""Every public model, by a module that exports it, with the name of its strategy in
:mod:`crokit.testing`. ``tests/test_public_models.py`` checks that this lists every
attrs class of every public module's ``__all__``."""


def _lazy(name: str) -> Callable[[type], Any]:
    def resolve(_type: type) -> Any:
        factory = getattr(importlib.import_module("crokit.testing"), name)
        return factory()

    return resolve


_DEFERRED: Final = frozenset(
    {
        "crokit.bids",
        "crokit.contract_versions",
        "crokit.engagement",
        "crokit.engagement.accruals",
        "crokit.engagement.actuals",
        "crokit.engagement.document",
        "crokit.engagement.kpis",
        "crokit.forecast",
        "crokit.interop",
        "crokit.portfolio",
        "crokit.reference",
        "crokit.scenario",
        "crokit.selection",
        "crokit.sensitivity",
    }
)
"""Modules whose models are registered when the module is imported, not when Hypothesis starts."""

_STATE: Final = {"started": False}


def _register(module_name: str) -> None:
    from hypothesis import strategies as st

    module = sys.modules[module_name]
    for class_name, strategy in _TYPES[module_name].items():
        st.register_type_strategy(getattr(module, class_name), _lazy(strategy))


def setup() -> None:
    """Register a lazily built strategy for every public crokit model (the entry point Hypothesis calls)."""
    _STATE["started"] = True
    for module_name, classes in _TYPES.items():
        if module_name not in _DEFERRED:
            importlib.import_module(module_name)
        module = sys.modules.get(module_name)
        # A deferred module still being imported registers itself when it is done.
        if module is not None and all(hasattr(module, name) for name in classes):
            _register(module_name)


def imported(module_name: str) -> None:
    """Register the models of *module_name*, a module of :data:`_DEFERRED`, if Hypothesis has started.

    Each deferred module calls this as the last line of its import; it does nothing
    (and imports nothing) when Hypothesis is not in use.
    """
    if _STATE["started"]:
        _register(module_name)
