"""Every version of a contract, priced month by month, with each change order's delta explained.

A change order takes effect from a date. Work in the study months before the effective
date's month stays priced as it was; from that month on, the contract is re-priced
under the amended proposal, study and planning assumptions. So version *n* of a
contract is, month by month::

    months before the effective month  ->  version n-1, unchanged to the minor unit
    the effective month and after      ->  the whole study priced under version n's terms

and the change order's **delta** is the re-priced remainder minus the old remainder.
Because change orders take effect in order, the old remainder is always the previous
version's own pricing. :func:`contract_versions` explains each delta line by line (a
line is a budget line's ``(service, description)``):

- **scope**: a line priced under only one of the two versions, its whole remainder;
- **volume**: the change in quantity at the old unit price, over the new remainder
  (for an adjustment such as escalation: the change in the base it applies to);
- **rate**: the change in unit price at the new quantity, over the new remainder
  (for an adjustment: the change in its percentage);
- **timing**: the old line's amount moved into or out of the remainder (a longer or
  shorter study spreads the same line over other months);
- **rounding**: what spreading each line over its months in whole minor units adds.

The five add up exactly to the line's delta, and the line deltas to the change order's
delta, so the contract's current value is the original value plus the deltas, exactly.
With a reporting ``currency`` other than the bid's, every amount is converted at the
scenario's rate on the contract date (the study's start), so a conversion never moves
months already priced; what converting each month rather than each line adds is shown
as the version's ``conversion_rounding``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import attrs

from crokit import _hypothesis_plugin
from crokit._convert import to_tuple
from crokit._decimal import in_crokit_context
from crokit._members import as_member
from crokit._typed import typed_fields
from crokit.change_orders import ChangeOrder, Contract
from crokit.errors import ValidationError
from crokit.money import FxTable, Money, total
from crokit.pricing.assumptions import Assumptions
from crokit.pricing.budget import Budget
from crokit.pricing.derive import derive_drivers
from crokit.pricing.diff import ChangeKind
from crokit.pricing.line_item import POLICY, LineItem, PricingKind
from crokit.pricing.proposal import Proposal
from crokit.registry import Registry
from crokit.schedule.payments import month_index
from crokit.study import Study

__all__ = ["ContractVersion", "DeltaLine", "contract_versions"]


def _as_change_kind(value: object) -> object:
    """A converter: text (the value or name) to a ChangeKind member."""
    return as_member(ChangeKind, value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class DeltaLine:
    """How one line's remainder changed under a change order.

    ``delta == scope + volume + rate + timing + rounding``.

    Attributes:
        key: The line's ``(service, description)``.
        change: Added, removed or changed.
        old_remainder: The old version's amount for the line from the effective month on.
        new_remainder: The new version's amount for the line from the effective month on.
        scope: The whole remainder of a line only one version prices.
        volume: Change in quantity at the old unit price, over the new remainder.
        rate: Change in unit price at the new quantity, over the new remainder.
        timing: The old amount moved into or out of the remainder months.
        rounding: The rest: spreading lines over months in whole minor units.
    """

    key: tuple[str, str]
    change: ChangeKind = attrs.field(converter=_as_change_kind)
    old_remainder: Money
    new_remainder: Money
    scope: Money
    volume: Money
    rate: Money
    timing: Money
    rounding: Money

    @property
    def delta(self) -> Money:
        """New remainder less old remainder."""
        return self.new_remainder - self.old_remainder

    def explain(self, registry: Registry | None = None) -> str:
        """The line's change in one line of text; the service named from *registry* when one is given."""
        service, description = self.key
        if registry is not None:
            service = registry.name_of(service, "service")
        head = f"{service} / {description}: {self.change.value} {self.old_remainder:,} -> {self.new_remainder:,}"
        parts = [
            f"{name} {amount:,}"
            for name, amount in (
                ("scope", self.scope),
                ("volume", self.volume),
                ("rate", self.rate),
                ("timing", self.timing),
                ("rounding", self.rounding),
            )
            if not amount.is_zero()
        ]
        return f"{head} ({self.delta:,}: {', '.join(parts)})" if parts else f"{head} ({self.delta:,})"


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ContractVersion:
    """One version of a contract: the original, or the contract after a change order.

    Attributes:
        number: 0 for the original, then 1, 2, ... after each change order.
        change_order: The change order that made this version (``None`` for the original).
        effective_month: The study month it takes effect from (0 for the original).
        proposal: The proposal in force.
        study: The study in force.
        assumptions: The planning assumptions in force.
        budget: The whole study priced under this version's terms, in the bid's currency.
        by_month: The contract's amount in each study month, in the reporting currency:
            earlier months as the previous version had them, later ones re-priced.
        value: The sum of :attr:`by_month`: the contract's value at this version.
        delta: This version's value less the previous one's (zero for the original).
        lines: The delta explained line by line (empty for the original).
        conversion_rounding: What converting month by month rather than line by line
            adds, in the reporting currency (zero without a conversion).
    """

    number: int
    change_order: ChangeOrder | None
    effective_month: int
    proposal: Proposal
    study: Study
    assumptions: Assumptions
    budget: Budget
    by_month: tuple[tuple[int, Money], ...] = attrs.field(converter=to_tuple)
    value: Money
    delta: Money
    lines: tuple[DeltaLine, ...] = attrs.field(converter=to_tuple)
    conversion_rounding: Money

    def explain(self, registry: Registry | None = None) -> str:
        """The version's delta and every changed line, one per line of text (services named from *registry*)."""
        if self.change_order is None:
            return f"original: {self.value:,}"
        head = (
            f"{self.change_order.id} (effective study month {self.effective_month}): "
            f"{self.value - self.delta:,} -> {self.value:,} ({self.delta:,})"
        )
        tail = [] if self.conversion_rounding.is_zero() else [f"conversion rounding {self.conversion_rounding:,}"]
        return "\n".join([head, *(line.explain(registry) for line in self.lines), *tail])


def _share(line: LineItem, first: int) -> Fraction:
    return Fraction(sum(1 for month in line.months if month >= first), len(line.months))


def _remainder(line: LineItem, first: int) -> Money:
    parts = [part for month, part in line.monthly().items() if month >= first]
    return sum(parts[1:], parts[0]) if parts else Money.zero(line.amount.currency)


def _times(money: Money, factor: Fraction) -> Money:
    return (money * Decimal(factor.numerator) / Decimal(factor.denominator)).rounded(POLICY)


class _Converter:
    def __init__(self, source: str, target: str, fx: FxTable | None, on: dt.date) -> None:
        self.target = target
        self.rate = Decimal(1)
        if source != target:
            if fx is None:
                raise ValidationError.at(
                    "fx", f"the bid is in {source} and the contract reports in {target}: give the exchange rates"
                )
            self.rate = fx.rate(source, target, on)

    def __call__(self, money: Money) -> Money:
        if money.currency == self.target:
            return money
        return Money(money.amount * self.rate, self.target).rounded(POLICY)


def _explain(old: Budget, new: Budget, first: int, convert: _Converter) -> list[DeltaLine]:
    before = {line.key: line for line in old.lines}
    after = {line.key: line for line in new.lines}
    zero = convert(Money.zero(new.currency))
    found: list[DeltaLine] = []
    for key in [*before, *(key for key in after if key not in before)]:
        was, now = before.get(key), after.get(key)
        old_rem = convert(_remainder(was, first)) if was is not None else zero
        new_rem = convert(_remainder(now, first)) if now is not None else zero
        if was is None or now is None:
            if old_rem == new_rem:
                continue
            change = ChangeKind.ADDED if was is None else ChangeKind.REMOVED
            found.append(
                DeltaLine(
                    key=key,
                    change=change,
                    old_remainder=old_rem,
                    new_remainder=new_rem,
                    scope=new_rem - old_rem,
                    volume=zero,
                    rate=zero,
                    timing=zero,
                    rounding=zero,
                )
            )
            continue
        if old_rem == new_rem and (was.quantity, was.unit_price) == (now.quantity, now.unit_price):
            continue
        share_old, share_new = _share(was, first), _share(now, first)
        volume = convert(_times(was.unit_price * (now.quantity - was.quantity), share_new))
        rate = convert(_times((now.unit_price - was.unit_price) * now.quantity, share_new))
        if now.kind is PricingKind.ADJUSTMENT:
            # An adjustment's quantity is its percentage and its unit price the base it
            # applies to: a new base is volume, a new percentage is rate.
            volume, rate = rate, volume
        timing = convert(_times(was.unit_price * was.quantity, share_new - share_old))
        delta = new_rem - old_rem
        found.append(
            DeltaLine(
                key=key,
                change=ChangeKind.CHANGED,
                old_remainder=old_rem,
                new_remainder=new_rem,
                scope=zero,
                volume=volume,
                rate=rate,
                timing=timing,
                rounding=delta - volume - rate - timing,
            )
        )
    return found


@in_crokit_context
def contract_versions(
    contract: Contract,
    *,
    study: Study,
    assumptions: Assumptions,
    registry: Registry,
    currency: str | None = None,
    fx: FxTable | None = None,
) -> tuple[ContractVersion, ...]:
    """Every version of *contract*, from the original, priced month by month.

    Args:
        contract: The signed proposal and its change orders.
        study: The study as signed.
        assumptions: The planning assumptions as signed.
        registry: The vocabulary the proposals' ids come from.
        currency: The contract's reporting currency (default: the bid's).
        fx: Exchange rates, needed when *currency* differs from the bid's; amounts
            convert at the rate on the study's start date.

    Raises:
        ValidationError: If a change order takes effect before the study starts
            (``change_orders[n].effective``), or its study or assumption changes are
            invalid (``change_orders[n].study...``).
    """
    versions: list[ContractVersion] = []
    current_study, current_assumptions = study, assumptions
    previous: ContractVersion | None = None
    for number, proposal in enumerate(contract.history):
        order = contract.change_orders[number - 1] if number else None
        first = 0
        if order is not None:
            path = f"change_orders[{number - 1}]"
            effective = order.effective or order.date
            if effective < study.start_date:
                raise ValidationError.at(
                    f"{path}.effective", f"{effective} is before the study starts on {study.start_date}"
                )
            first = month_index(study.start_date, effective)
            try:
                if order.study is not None:
                    current_study = order.study.apply(current_study)
            except ValidationError as error:
                raise error.with_prefix(f"{path}.study") from None
            if order.assumptions is not None:
                current_assumptions = order.assumptions
        try:
            budget = proposal.price(
                current_study, derive_drivers(current_study, current_assumptions), registry=registry
            )
        except ValidationError as error:
            raise error.with_prefix(f"change_orders[{number - 1}]" if number else "original") from None
        convert = _Converter(budget.currency, currency or budget.currency, fx, study.start_date)
        new_months = {month: convert(amount) for month, amount in budget.by_month().items()}
        if previous is None:
            months = new_months
            lines: list[DeltaLine] = []
        else:
            kept = {month: amount for month, amount in previous.by_month if month < first}
            months = {**kept, **{month: amount for month, amount in new_months.items() if month >= first}}
            lines = _explain(previous.budget, budget, first, convert)
        target = convert.target
        value = total(months.values(), currency=target)
        delta = value - previous.value if previous is not None else Money.zero(target)
        version = ContractVersion(
            number=number,
            change_order=order,
            effective_month=first,
            proposal=proposal,
            study=current_study,
            assumptions=current_assumptions,
            budget=budget,
            by_month=tuple(sorted(months.items())),
            value=value,
            delta=delta,
            lines=lines,
            conversion_rounding=delta - total((line.delta for line in lines), currency=target) if previous else delta,
        )
        versions.append(version)
        previous = version
    return tuple(versions)


# Registers this module's models with Hypothesis' st.from_type if Hypothesis is in use.
_hypothesis_plugin.imported(__name__)
