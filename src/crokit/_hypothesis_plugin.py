"""Registers crokit's strategies with ``st.from_type``; called by Hypothesis' entry point.

Only the model classes are imported when Hypothesis starts; each strategy is built the
first time Hypothesis asks for it, from :mod:`crokit.testing`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Final

__all__ = ["setup"]

_TYPES: Final = {
    "crokit.money": {"Money": "money", "FxRate": "fx_rates", "FxTable": "fx_tables"},
    "crokit.study": {"Visit": "visits", "Study": "studies"},
    "crokit.provider": {
        "AreaExperience": "area_experiences",
        "Technology": "technologies",
        "TeamExperience": "team_experiences",
        "Inspection": "inspections",
        "CroProfile": "cro_profiles",
    },
    "crokit.vocabulary.terms": {
        "Service": "services",
        "CroCategory": "cro_categories",
        "TherapeuticArea": "therapeutic_areas",
        "Regulator": "regulators",
        "Submission": "submissions",
        "EngagementModel": "engagement_models",
    },
    "crokit.pricing": {
        "UnitPrice": "unit_prices",
        "PassThrough": "pass_throughs",
        "MilestonePayment": "milestone_payments",
        "FixedFee": "fixed_fees",
        "RateCardEntry": "rate_card_entries",
        "RateCard": "rate_cards",
        "FteAllocation": "fte_allocations",
        "FteTimeAndMaterials": "fte_models",
        "InvestigatorGrants": "investigator_grants",
        "PerformanceTerm": "performance_terms",
        "Proposal": "proposals",
        "Assumptions": "assumptions",
        "SiteActivation": "site_activations",
        "PercentDiscount": "percent_discounts",
        "TieredDiscount": "tiered_discounts",
        "Escalation": "escalations",
        "Contingency": "contingencies",
        "ManagementFee": "management_fees",
        "CurrencyConversion": "currency_conversions",
    },
    "crokit.schedule": {
        "MilestonePlan": "milestone_plans",
        "BillingTerms": "billing_terms",
        "PaymentSchedule": "payment_schedules",
    },
    "crokit.change_orders": {"ChangeOrder": "change_orders", "Contract": "contracts"},
}


def _lazy(name: str) -> Callable[[type], Any]:
    def resolve(_type: type) -> Any:
        factory = getattr(importlib.import_module("crokit.testing"), name)
        return factory()

    return resolve


def setup() -> None:
    """Register a lazily built strategy for every core, pricing and schedule model."""
    from hypothesis import strategies as st

    for module_name, classes in _TYPES.items():
        module = importlib.import_module(module_name)
        for class_name, strategy in classes.items():
            st.register_type_strategy(getattr(module, class_name), _lazy(strategy))
