"""Plain-text pieces for reprs and explanations: below the presentation layer, so models may use them.

Large results (an :class:`~crokit.scenario.Evaluation` holds every candidate's budget,
payment schedule and scores, hundreds of kilobytes field by field) set ``repr=False`` on
attrs and define ``__repr__`` with :func:`summary`, naming the class and what a reader
looks for first:

>>> summary("Budget", "currency='USD'", count(21, "line"), "total=1298263.32 USD")
"Budget(currency='USD', 21 lines, total=1298263.32 USD)"

The full content stays one call away: ``crokit.dumps(value)`` (a JSON document) or
``attrs.asdict(value)`` (nested dicts).

Explanations (``explain()`` methods) write money and numbers with :func:`money` and
:func:`number`, which never use an exponent spelling:

>>> from decimal import Decimal
>>> from crokit.money import Money
>>> money(Money(Decimal("0E-11"), "USD")), money(Money("1.5", "USD")), number(Decimal("0E-11"))
('0.00 USD', '1.50 USD', '0')
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crokit.money import Money

__all__ = ["count", "money", "number", "summary"]


def summary(name: str, *parts: str) -> str:
    """``name(part, part, ...)``: a one-line repr."""
    return f"{name}({', '.join(parts)})"


def count(number: int, noun: str, plural: str | None = None) -> str:
    """``1 line``, ``21 lines``: *number* and *noun*, pluralised."""
    return f"{number} {noun if number == 1 else plural or f'{noun}s'}"


def number(value: Decimal) -> str:
    """*value* as written, unless that is an exponent spelling (``0E-11``, ``1E+3``): then in plain digits."""
    text = str(value)
    if "E" not in text:
        return text
    plain = f"{value:f}"  # exact: formatting, unlike normalize(), never rounds to the context's precision
    return plain.rstrip("0").rstrip(".") if "." in plain else plain


def money(amount: Money | None) -> str:
    """``1298263.32 USD``: at the currency's minor units when exact there (``0.00 USD``, not ``0E-11 USD``).

    An amount with more places than the minor units keeps them, in plain digits
    (``186.3333 USD``); ``None`` is ``"None"``.
    """
    if amount is None:
        return "None"
    if amount.minor_unit is not None and amount.is_rounded():
        return str(amount.rounded())
    return f"{number(amount.amount)} {amount.currency}"
