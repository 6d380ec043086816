"""Hypothesis strategies for every public crokit model: testing helpers are product.

Downstream packages property-test their own extensions with them::

    from hypothesis import given
    from crokit.testing import studies, proposals

    @given(studies())
    def test_my_pricing(study): ...

Every strategy returns ``st.SearchStrategy[T]``, takes keyword-only bounds, and where
ids matter draws them from a ``registry`` (crokit's built-ins by default), so every
value it makes is valid by construction. The core, pricing and schedule models are
also registered with Hypothesis' ``st.from_type`` through the ``hypothesis`` entry
point (``st.from_type(crokit.Money)`` works once crokit is installed); the selection
models are not, because registering them would import NumPy whenever Hypothesis
starts.

This package imports Hypothesis (install ``crokit[testing]``); ``import crokit`` does not
import this module.
"""

from __future__ import annotations

from crokit.testing._bids_grid import ahp_hierarchies, bid_grids, bids, grid_lines, grid_pass_throughs, grid_roles
from crokit.testing._core import (
    amounts,
    area_experiences,
    cro_categories,
    cro_profiles,
    currencies,
    engagement_models,
    fx_rates,
    fx_tables,
    inspections,
    money,
    namespaced_ids,
    regulators,
    services,
    studies,
    submissions,
    team_experiences,
    technologies,
    therapeutic_areas,
    visits,
)
from crokit.testing._pricing import (
    adjustments,
    assumptions,
    contingencies,
    currency_conversions,
    discount_tiers,
    escalations,
    fixed_fees,
    fte_allocations,
    fte_models,
    investigator_grants,
    management_fees,
    milestone_payments,
    pass_throughs,
    percent_discounts,
    performance_terms,
    pricing_models,
    proposals,
    rate_card_entries,
    rate_cards,
    site_activations,
    tiered_discounts,
    total_tiers,
    unit_prices,
    visit_fees,
    volume_discounts,
)
from crokit.testing._schedule import (
    billing_terms,
    change_orders,
    contract_starts,
    contracts,
    milestone_plans,
    payment_schedules,
    schedule_budgets,
)
from crokit.testing._selection import (
    answers,
    budgets,
    candidate_inputs,
    constraints,
    criterion_scores,
    custom_constraints,
    due_diligences,
    questions,
    rankings,
    selection_criteria,
    selection_settings,
    sponsor_preferences,
)

__all__ = [
    "adjustments",
    "ahp_hierarchies",
    "amounts",
    "answers",
    "area_experiences",
    "assumptions",
    "bid_grids",
    "bids",
    "billing_terms",
    "budgets",
    "candidate_inputs",
    "change_orders",
    "constraints",
    "contingencies",
    "contract_starts",
    "contracts",
    "criterion_scores",
    "cro_categories",
    "cro_profiles",
    "currencies",
    "currency_conversions",
    "custom_constraints",
    "discount_tiers",
    "due_diligences",
    "engagement_models",
    "escalations",
    "fixed_fees",
    "fte_allocations",
    "fte_models",
    "fx_rates",
    "fx_tables",
    "grid_lines",
    "grid_pass_throughs",
    "grid_roles",
    "inspections",
    "investigator_grants",
    "management_fees",
    "milestone_payments",
    "milestone_plans",
    "money",
    "namespaced_ids",
    "pass_throughs",
    "payment_schedules",
    "percent_discounts",
    "performance_terms",
    "pricing_models",
    "proposals",
    "questions",
    "rankings",
    "rate_card_entries",
    "rate_cards",
    "regulators",
    "schedule_budgets",
    "selection_criteria",
    "selection_settings",
    "services",
    "site_activations",
    "sponsor_preferences",
    "studies",
    "submissions",
    "team_experiences",
    "technologies",
    "therapeutic_areas",
    "tiered_discounts",
    "total_tiers",
    "unit_prices",
    "visit_fees",
    "visits",
    "volume_discounts",
]
