"""Rates versus assumptions: a bid re-priced at its own rates under the sponsor's assumptions.

A bid's quoted total mixes two things: its rates and the quantities it assumed. To
compare bids like for like, sponsors re-price each bid at its own rates under one
common set of assumptions (the sponsor's), the *normalised* total. :func:`normalise`
prices a proposal both ways and explains the gap, line by line, as

- **volume**: the change in quantities the assumptions drive (more patients screened,
  more monitoring visits, a longer study), at the bid's unit prices (an adjustment
  such as escalation or a management fee applied to a larger or smaller base counts
  here too);
- **rate**: changes in unit prices, and in an adjustment's percentage;
- **scope**: lines priced under one set of assumptions and not the other;
- **rounding**: what rounding each line once to the minor unit adds,

and the four add up exactly to normalised minus quoted, to the minor unit.
"""

from __future__ import annotations

import attrs

from crokit import _text
from crokit._convert import to_tuple
from crokit._typed import typed_fields
from crokit.bids.assumptions import AssumptionDifference, BidAssumptions
from crokit.money import Money, total
from crokit.pricing.assumptions import Assumptions
from crokit.pricing.budget import Budget
from crokit.pricing.derive import derive_drivers
from crokit.pricing.diff import BudgetDiff, ChangeKind, LineChange
from crokit.pricing.line_item import PricingKind
from crokit.pricing.proposal import Proposal
from crokit.registry import Registry
from crokit.study import Study

__all__ = ["Normalisation", "normalise"]


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Normalisation:
    """A bid priced under its own assumptions and under the sponsor's.

    Attributes:
        cro_id: The bidding CRO.
        differences: Each assumption on which the bid differs from the sponsor's.
        quoted: The budget under the bid's own assumptions (what it quoted).
        normalised: The budget under the sponsor's assumptions, at the bid's rates.
        diff: Line by line, from quoted to normalised.
    """

    cro_id: str
    differences: tuple[AssumptionDifference, ...] = attrs.field(converter=to_tuple)
    quoted: Budget
    normalised: Budget
    diff: BudgetDiff

    @property
    def gap(self) -> Money:
        """Normalised total less quoted total; ``volume + rate + scope + rounding``."""
        return self.normalised.total - self.quoted.total

    @property
    def volume(self) -> Money:
        """Quantity changes of lines priced both ways at the bid's unit prices, and adjustments' changed bases."""
        return total(
            (
                change.rate_effect if self._adjustment(change) else change.volume_effect
                for change in self.diff.lines
                if change.change is ChangeKind.CHANGED
            ),
            currency=self.quoted.currency,
        )

    @property
    def rate(self) -> Money:
        """Unit-price changes of lines priced both ways, and adjustments' changed percentages."""
        return total(
            (
                change.volume_effect if self._adjustment(change) else change.rate_effect
                for change in self.diff.lines
                if change.change is ChangeKind.CHANGED
            ),
            currency=self.quoted.currency,
        )

    def _adjustment(self, change: LineChange) -> bool:
        """Whether *change* is of an adjustment line: its quantity is a percentage, its unit price a base."""
        line = next((line for line in self.normalised.lines if line.key == change.key), None)
        return line is not None and line.kind is PricingKind.ADJUSTMENT

    @property
    def scope(self) -> Money:
        """Lines priced under only one of the two sets of assumptions."""
        return total(
            (change.delta for change in self.diff.lines if change.change is not ChangeKind.CHANGED),
            currency=self.quoted.currency,
        )

    @property
    def rounding(self) -> Money:
        """What rounding each line added: the gap less volume, rate and scope."""
        return total(
            (change.rounding_effect for change in self.diff.lines if change.change is ChangeKind.CHANGED),
            currency=self.quoted.currency,
        )

    def explain(self) -> str:
        """The gap in one sentence, then each changed line."""
        money = _text.money
        head = (
            f"{self.cro_id}: quoted {money(self.quoted.total)}, normalised {money(self.normalised.total)} "
            f"(gap {money(self.gap)}: volume {money(self.volume)}, rate {money(self.rate)}, "
            f"scope {money(self.scope)}, rounding {money(self.rounding)})"
        )
        return "\n".join([head, *(change.explain() for change in self.diff.lines)])


def normalise(
    proposal: Proposal,
    *,
    quoted: BidAssumptions,
    study: Study,
    planning: Assumptions,
    registry: Registry,
) -> Normalisation:
    """Price *proposal* under the bid's own assumptions and under the sponsor's, and explain the gap.

    Args:
        proposal: The bid.
        quoted: What the bid assumed where it differs from the sponsor.
        study: The sponsor's study.
        planning: The sponsor's planning assumptions.
        registry: The vocabulary the proposal's ids come from.
    """
    own_study, own_planning = quoted.apply(study, planning)
    quoted_budget = proposal.price(own_study, derive_drivers(own_study, own_planning), registry=registry)
    normalised = proposal.price(study, derive_drivers(study, planning), registry=registry)
    return Normalisation(
        cro_id=proposal.cro_id,
        differences=quoted.differences(study, planning),
        quoted=quoted_budget,
        normalised=normalised,
        diff=quoted_budget.diff(normalised),
    )
