"""Payment schedules: invoices, payment terms, holdbacks and cash flow over real dates.

Plan the milestones (:class:`MilestonePlan`), state the :class:`BillingTerms`, and
:func:`build_schedule` lays a priced :class:`~crokit.pricing.Budget` over calendar
dates as a :class:`PaymentSchedule`: fixed fees on their milestones, service fees per
billing period, pass-through costs as incurred, and any holdback released on its
milestone. The payments always sum exactly to the budget's total, none is due before
the contract starts, and :func:`cash_flow` reads them month by month.
:func:`convert_schedule` converts each payment at the rate of its due date, and
:func:`schedule_in_currencies` schedules a bid paid in several currencies.
"""

from crokit.schedule.build import billing_period, build_schedule
from crokit.schedule.cashflow import CashFlowRow, cash_flow
from crokit.schedule.currency import convert_schedule, fallback_warnings, schedule_in_currencies
from crokit.schedule.payments import DAYS_PER_YEAR, Payment, PaymentKind, PaymentSchedule, month_start
from crokit.schedule.terms import BillingFrequency, BillingTerms, MilestoneDate, MilestonePlan

__all__ = [
    "DAYS_PER_YEAR",
    "BillingFrequency",
    "BillingTerms",
    "CashFlowRow",
    "MilestoneDate",
    "MilestonePlan",
    "Payment",
    "PaymentKind",
    "PaymentSchedule",
    "billing_period",
    "build_schedule",
    "cash_flow",
    "convert_schedule",
    "fallback_warnings",
    "month_start",
    "schedule_in_currencies",
]
