"""How :func:`crokit.scenario.evaluate` prices a bid across currencies (kept out of scenario.py).

- :func:`comparison_date`: the one date every bid's money is compared at.
- :func:`price_bid`: the proposal priced, its other-currency items converted into its
  currency and the result into the study's, all at the comparison date, with the
  conversion records and the parts of the bid per currency it is paid in.
- :func:`cash_flow`: those parts scheduled in their own currencies and each payment
  converted at its due date, with a warning for rates taken from before a due date.
"""

from __future__ import annotations

import datetime as dt

import attrs

from crokit.errors import CrokitError, ValidationError
from crokit.money import FxTable
from crokit.pricing.budget import Budget, LineItem
from crokit.pricing.currency import Conversion, FxPurpose, convert_budget
from crokit.pricing.drivers import CostDrivers
from crokit.pricing.fixed_fee import FixedFee
from crokit.pricing.grants import InvestigatorGrants
from crokit.pricing.proposal import Proposal
from crokit.registry import Registry
from crokit.schedule.currency import fallback_warnings, schedule_in_currencies
from crokit.schedule.payments import PaymentSchedule
from crokit.schedule.terms import BillingTerms, MilestonePlan
from crokit.study import Study
from crokit.vocabulary.lifecycle import Milestone

__all__ = ["PricedBid", "cash_flow", "comparison_date", "price_bid"]

Part = tuple[Budget, tuple[FixedFee, ...], tuple[InvestigatorGrants, ...]]


def comparison_date(study: Study, milestones: MilestonePlan | None) -> dt.date:
    """The contract date: the scenario's planned contract signature, else the study's start date."""
    if milestones is not None:
        for planned in milestones.dates:
            if planned.milestone is Milestone.CONTRACT_SIGNED:
                return planned.date
    return study.start_date


@attrs.frozen(kw_only=True)
class PricedBid:
    """A bid priced in the study's currency at the comparison date, and what it is paid in."""

    budget: Budget
    conversions: tuple[Conversion, ...]
    parts: tuple[Part, ...]
    fixed_fees: tuple[FixedFee, ...]
    grants: tuple[InvestigatorGrants, ...]


def price_bid(
    proposal: Proposal, study: Study, drivers: CostDrivers, *, registry: Registry, fx: FxTable, on: dt.date
) -> PricedBid:
    """Price *proposal* into the study's currency at the rates in force on *on*.

    Raises:
        ValidationError: If an item does not price, or the proposal's currency has no
            rate into the study's (at ``currency``).
        MissingRateError: If an other-currency item has no rate into the proposal's.
    """
    own, used = proposal.price_converted(study, drivers, registry=registry, fx=fx, on=on)
    try:
        budget, record = convert_budget(own, study.currency, fx=fx, on=on, purpose=FxPurpose.COMPARISON)
    except CrokitError as exc:
        raise ValidationError.at(
            "currency",
            f"the proposal is in {own.currency} and the study budgets in {study.currency}: {exc} "
            "(add the rate to the scenario's fx table)",
        ) from None
    conversions = (*used, record) if record is not None else used
    fixed = tuple(item for item in proposal.items if isinstance(item, FixedFee))
    grants = tuple(item for item in proposal.items if isinstance(item, InvestigatorGrants))
    foreign: dict[str, list[LineItem]] = {}
    for index, item in enumerate(proposal.items):
        if item.currency != proposal.currency:
            priced = item.price(study, drivers, registry=registry, path=f"items[{index}]").lines
            foreign.setdefault(item.currency, []).extend(priced)
    keys = {line.key for lines in foreign.values() for line in lines}
    home = Budget(currency=own.currency, lines=[line for line in own.lines if line.key not in keys])
    parts: list[Part] = [
        (
            home,
            tuple(f for f in fixed if f.currency == home.currency == proposal.currency),
            tuple(g for g in grants if g.currency == home.currency),
        )
    ]
    for code, lines in foreign.items():
        parts.append(
            (
                Budget(currency=code, lines=lines),
                tuple(f for f in fixed if f.currency == code),
                tuple(g for g in grants if g.currency == code),
            )
        )
    return PricedBid(
        budget=budget,
        conversions=conversions,
        parts=tuple(parts),
        fixed_fees=tuple(f for f in fixed if f.currency == budget.currency == proposal.currency),
        grants=grants,
    )


def cash_flow(
    priced: PricedBid,
    to: str,
    *,
    fx: FxTable,
    contract_start: dt.date,
    milestones: MilestonePlan,
    terms: BillingTerms,
    who: str,
) -> tuple[PaymentSchedule | None, tuple[Conversion, ...], tuple[str, ...]]:
    """The bid's payments at each due date's rate, if any part is paid in another currency than *to*.

    Returns ``(None, (), ())`` when every part is paid in *to* (the schedule at the
    contract-date rates is then the cash flow itself).
    """
    if all(budget.currency == to for budget, _, _ in priced.parts):
        return None, (), ()
    schedule, records = schedule_in_currencies(
        priced.parts, to, fx=fx, contract_start=contract_start, milestones=milestones, terms=terms
    )
    return schedule, records, fallback_warnings(records, who=who)
