"""The precision numbers are shown at: money at its currency's minor units, ratios at four places."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Final

from crokit._decimal import CONTEXT

if TYPE_CHECKING:
    from crokit.money import Money

__all__ = ["RATIO_PLACES", "at_minor_units", "rounded_ratio"]

RATIO_PLACES: Final = 4
"""Decimal places of a shown ratio (``benchmark_ratio``): rounded half-even, ``0.3691``."""

_RATIO: Final = Decimal(1).scaleb(-RATIO_PLACES)


def at_minor_units(money: Money) -> Decimal:
    """*money*'s amount written at its currency's minor units: ``54000.00``, ``0.00`` (never ``0E-11``).

    An amount with more places than the minor units (a unit price of ``186.3333 USD``) keeps
    them: the padding never rounds.
    """
    padded = money.amount.quantize(Decimal(1).scaleb(-(money.minor_unit or 0)), context=CONTEXT)
    return padded if padded == money.amount else money.amount


def rounded_ratio(value: Decimal) -> Decimal:
    """*value* rounded half-even to :data:`RATIO_PLACES` places."""
    return value.quantize(_RATIO, context=CONTEXT)
