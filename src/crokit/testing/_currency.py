"""Strategies for currency conversions (:mod:`crokit.pricing.currency`)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from crokit._decimal import MONEY
from crokit.money import Money
from crokit.pricing import Conversion, FxPurpose
from crokit.pricing.line_item import POLICY
from crokit.testing._core import amounts, currencies

__all__ = ["conversions"]


def conversions(*, purpose: FxPurpose | None = None) -> st.SearchStrategy[Conversion]:
    """:class:`~crokit.pricing.Conversion` records that reconcile (``converted == amount x rate``, rounded)."""

    @st.composite
    def build(draw: st.DrawFn) -> Conversion:
        base = draw(currencies())
        quote = draw(currencies().filter(lambda code: code != base))
        rate = draw(amounts(min_value=Decimal("0.0001"), max_value=Decimal(10000), places=6))
        on = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
        rate_date = on - timedelta(days=draw(st.integers(0, 400)))
        amount = draw(amounts(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=0))
        money = Money(amount, base).rounded(POLICY) if amount else Money.zero(base).rounded(POLICY)
        converted = Money(MONEY.multiply(money.amount, rate), quote).rounded(POLICY)
        return Conversion(
            base=base,
            quote=quote,
            on=on,
            rate=rate,
            rate_date=rate_date,
            source=draw(st.sampled_from(("ECB reference rate", "contract clause 7.2", "illustrative"))),
            purpose=purpose if purpose is not None else draw(st.sampled_from(FxPurpose)),
            amount=money,
            converted=converted,
        )

    return build()
