"""Pricing CRO proposals exactly: cost drivers, pricing models and budgets.

Derive the counts a study is priced on (:func:`derive_drivers` from a
:class:`~crokit.Study` and explicit :class:`Assumptions`), price a CRO's
:class:`Proposal` of :class:`UnitPrice`, :class:`PassThrough`, :class:`FixedFee`,
:class:`FteTimeAndMaterials` and :class:`InvestigatorGrants` items against them, with
its adjustments (discounts, escalation, contingency, management fees, currency
conversion) applied in order, and read the resulting :class:`Budget` by service, stage, cost
bucket, pricing kind or month, or compare two budgets with :meth:`Budget.diff`.
Every amount is an exact :class:`~crokit.Money`; each line is rounded once,
half-even, to the currency's minor unit, and every roll-up sums exactly to the total.
"""

from crokit.pricing.adjustments import (
    Adjustment,
    Contingency,
    CurrencyConversion,
    Escalation,
    ManagementFee,
    PercentDiscount,
    TieredDiscount,
    TotalTier,
    apply_adjustments,
)
from crokit.pricing.budget import (
    Budget,
    BudgetDiff,
    ChangeKind,
    CostBucket,
    LineChange,
    LineItem,
    PricingKind,
    ServiceChange,
)
from crokit.pricing.currency import Conversion, FxPurpose, convert_amounts, convert_budget, rate_in_force
from crokit.pricing.drivers import Assumptions, CostDrivers, Driver, SiteActivation, derive_drivers
from crokit.pricing.fte import (
    DEFAULT_HOURS_PER_FTE_MONTH,
    DiscountTier,
    FteAllocation,
    FteTimeAndMaterials,
    RateCard,
    RateCardEntry,
    RatePer,
    VolumeDiscount,
)
from crokit.pricing.grants import InvestigatorGrants, VisitFee
from crokit.pricing.models import FixedFee, MilestonePayment, PassThrough, PricingModel, Proposal, UnitPrice
from crokit.pricing.performance import (
    OutcomeStatus,
    PerformanceOutcome,
    PerformanceTerm,
    evaluate,
    performance_outcome,
)

__all__ = [
    "Adjustment",
    "Assumptions",
    "Budget",
    "BudgetDiff",
    "ChangeKind",
    "Contingency",
    "Conversion",
    "CostBucket",
    "CostDrivers",
    "CurrencyConversion",
    "DEFAULT_HOURS_PER_FTE_MONTH",
    "DiscountTier",
    "Driver",
    "Escalation",
    "FixedFee",
    "FteAllocation",
    "FteTimeAndMaterials",
    "FxPurpose",
    "InvestigatorGrants",
    "LineChange",
    "LineItem",
    "ManagementFee",
    "MilestonePayment",
    "OutcomeStatus",
    "PassThrough",
    "PercentDiscount",
    "PerformanceOutcome",
    "PerformanceTerm",
    "PricingKind",
    "PricingModel",
    "Proposal",
    "RateCard",
    "RateCardEntry",
    "RatePer",
    "ServiceChange",
    "SiteActivation",
    "TieredDiscount",
    "TotalTier",
    "UnitPrice",
    "VisitFee",
    "VolumeDiscount",
    "apply_adjustments",
    "convert_amounts",
    "convert_budget",
    "derive_drivers",
    "evaluate",
    "performance_outcome",
    "rate_in_force",
]
