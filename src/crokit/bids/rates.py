"""Rates compared across bids: each unit price against the median of the other bids.

Sponsors compare bids rate by rate: the price per monitoring visit, per CRF page, per
FTE month of a role. :func:`compare_rates` collects each bid's unit prices per service
and unit basis (lines priced by unit, FTE or investigator grants; fixed fees and
adjustments have no comparable unit) and flags a price more than ``factor`` times the
median of the other bids' prices for the same service and basis, or less than that
median divided by ``factor``. The default factor, 1.5, is a convention, not data.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from decimal import Decimal
from typing import Final, Literal

import attrs

from crokit import _text
from crokit._decimal import CONTEXT, in_crokit_context
from crokit._members import as_member
from crokit._typed import typed_fields
from crokit.errors import ValidationError
from crokit.money import Money
from crokit.pricing.budget import Budget
from crokit.pricing.line_item import PricingKind
from crokit.vocabulary.terms import UnitBasis

__all__ = ["DEFAULT_FACTOR", "RateFlag", "compare_rates"]

DEFAULT_FACTOR: Final = Decimal("1.5")
"""Flag a rate more than 1.5 times (or less than 1/1.5 of) the other bids' median: a convention."""

_COMPARABLE: Final = frozenset({PricingKind.UNIT, PricingKind.FTE, PricingKind.GRANTS})


def _as_unit_basis(value: object) -> object:
    """A converter: text (the value or name) to a UnitBasis member."""
    return as_member(UnitBasis, value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class RateFlag:
    """A bid's unit price far from the other bids' median for the same service and basis.

    Attributes:
        candidate: The bid's candidate id.
        service: The service.
        basis: The unit basis.
        unit_price: The bid's price per unit.
        median_of_others: The median of the other bids' prices per unit.
        ratio: ``unit_price / median_of_others``, exact to 34 digits.
        direction: ``above`` or ``below``.
    """

    candidate: str
    service: str
    basis: UnitBasis = attrs.field(converter=_as_unit_basis)
    unit_price: Money
    median_of_others: Money
    ratio: Decimal
    direction: Literal["above", "below"]

    def explain(self) -> str:
        """The flag in one sentence."""
        return (
            f"{self.candidate}: {self.service} at {_text.money(self.unit_price)} {self.basis.value} is "
            f"{self.ratio.quantize(Decimal('0.01'))} times the other bids' median {_text.money(self.median_of_others)}"
        )


def _rates(budget: Budget) -> dict[tuple[str, UnitBasis], Decimal]:
    found: dict[tuple[str, UnitBasis], Decimal] = {}
    for line in budget.lines:
        if line.kind in _COMPARABLE and line.basis is not None:
            found.setdefault((line.service, line.basis), line.unit_price.amount)
    return found


@in_crokit_context
def compare_rates(budgets: Mapping[str, Budget], *, factor: Decimal = DEFAULT_FACTOR) -> tuple[RateFlag, ...]:
    """Flag each bid's unit prices far from the other bids' median, per service and basis.

    All budgets must be in one currency (convert them first). A price is compared only
    where at least one other bid prices the same service on the same basis; the first
    line of a service and basis stands for the bid's rate.
    """
    if factor <= 1:
        raise ValidationError.at("factor", f"expected a factor above 1, got {factor}")
    currencies = {budget.currency for budget in budgets.values()}
    if len(currencies) > 1:
        raise ValidationError.at("budgets", f"expected budgets in one currency, got {sorted(currencies)}")
    rates = {candidate: _rates(budget) for candidate, budget in budgets.items()}
    flags: list[RateFlag] = []
    for candidate, own in rates.items():
        currency = budgets[candidate].currency
        for key, price in own.items():
            others = [theirs[key] for other, theirs in rates.items() if other != candidate and key in theirs]
            if not others:
                continue
            median = statistics.median(others)
            if median == 0:
                continue
            ratio = CONTEXT.divide(price, median)
            if ratio > factor or ratio * factor < 1:
                flags.append(
                    RateFlag(
                        candidate=candidate,
                        service=key[0],
                        basis=key[1],
                        unit_price=Money(price, currency),
                        median_of_others=Money(median, currency),
                        ratio=ratio,
                        direction="above" if ratio > 1 else "below",
                    )
                )
    return tuple(flags)
