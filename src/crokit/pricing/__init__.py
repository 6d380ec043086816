"""Pricing CRO proposals exactly: cost drivers, pricing models and budgets.

Derive the counts a study is priced on (:func:`derive_drivers` from a
:class:`~crokit.Study` and explicit :class:`Assumptions`), price a CRO's
:class:`Proposal` of :class:`UnitPrice`, :class:`PassThrough` and :class:`FixedFee`
items against them, and read the resulting :class:`Budget` by service, stage, cost
bucket, pricing kind or month, or compare two budgets with :meth:`Budget.diff`.
Every amount is an exact :class:`~crokit.Money`; each line is rounded once,
half-even, to the currency's minor unit, and every roll-up sums exactly to the total.
"""

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
from crokit.pricing.drivers import Assumptions, CostDrivers, Driver, SiteActivation, derive_drivers
from crokit.pricing.models import FixedFee, MilestonePayment, PassThrough, PricingModel, Proposal, UnitPrice

__all__ = [
    "Assumptions",
    "Budget",
    "BudgetDiff",
    "ChangeKind",
    "CostBucket",
    "CostDrivers",
    "Driver",
    "FixedFee",
    "LineChange",
    "LineItem",
    "MilestonePayment",
    "PassThrough",
    "PricingKind",
    "PricingModel",
    "Proposal",
    "ServiceChange",
    "SiteActivation",
    "UnitPrice",
    "derive_drivers",
]
