"""Exact decimal input: the one door every number from a user passes through.

``to_decimal`` accepts ``int``, ``Decimal`` and decimal text, and refuses ``float``,
``bool``, NaN, infinities and numbers too large or too small to be a price, a rate or a
count, with an :class:`~crokit.errors.InvalidAmountError` that says why. Arithmetic runs
in :data:`CONTEXT`, crokit's own decimal context, so results never depend on the
caller's global decimal settings.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Final, ParamSpec, TypeVar

from crokit.errors import InvalidAmountError

__all__ = ["CONTEXT", "MAX_EXPONENT", "exact_sum", "in_crokit_context", "to_decimal"]

CONTEXT: Final = decimal.Context(
    prec=34,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
"""The decimal context crokit computes in: 34 significant digits (IEEE decimal128),
half-even rounding of the 35th digit, and traps on invalid operations, division by
zero and overflow."""

MAX_EXPONENT: Final = 30
"""Numbers whose magnitude is at or beyond 10**31, or non-zero and below 10**-30, are
refused: no price, rate or count in this domain is that large or that small, and
allowing them would let a typo silently exhaust decimal precision."""

NumberLike = int | str | Decimal
"""What crokit accepts wherever it needs an exact number."""


def to_decimal(value: object, *, what: str = "amount") -> Decimal:
    """Convert *value* to a finite Decimal, refusing anything inexact.

    Args:
        value: An ``int``, a ``Decimal`` or decimal text such as ``"12.50"``.
        what: A word for the error message (``"amount"``, ``"rate"``, ...).

    Raises:
        InvalidAmountError: For floats, bools, NaN, infinities, unparsable text,
            other types, and magnitudes outside the supported range.

    >>> to_decimal("0.10")
    Decimal('0.10')
    >>> to_decimal(0.1)
    Traceback (most recent call last):
    ...
    crokit.errors.InvalidAmountError: invalid amount 0.1: a float is inexact ...
    """
    if isinstance(value, bool):
        raise InvalidAmountError(value, f"a bool is not a number; give the {what} as text or an int")
    if isinstance(value, float):
        raise InvalidAmountError(
            value,
            f"a float is inexact (0.1 is stored as 0.1000000000000000055...); give the {what} "
            f"as text like '{value!r}' or as a Decimal",
        )
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        if abs(value) >= 10 ** (MAX_EXPONENT + 1):
            raise InvalidAmountError(value, f"the {what} is too large (at most 31 digits)")
        return Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > 100:  # noqa: PLR2004 - longest sensible decimal text
            raise InvalidAmountError(value, f"the {what} text is too long to be a number")
        try:
            result = Decimal(text)
        except decimal.InvalidOperation:
            raise InvalidAmountError(value, f"expected a decimal number such as '12.50' for the {what}") from None
    else:
        raise InvalidAmountError(
            value, f"expected a decimal number as text, int or Decimal, got {type(value).__name__}"
        )
    if not result.is_finite():
        raise InvalidAmountError(value, f"the {what} must be a finite number")
    if result and not -MAX_EXPONENT <= result.adjusted() <= MAX_EXPONENT:
        raise InvalidAmountError(value, f"the {what} is out of range (magnitude 1e-30 to 1e30)")
    return result


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """The sum of *values* in :data:`CONTEXT`, whatever the caller's decimal context.

    Use this instead of ``sum(values, Decimal(0))``, which adds in the thread's current
    context (28 digits by default, and whatever a caller set).

    >>> exact_sum([Decimal("0.1"), Decimal("0.2")])
    Decimal('0.3')
    """
    result = Decimal(0)
    for value in values:
        result = CONTEXT.add(result, value)
    return result


P = ParamSpec("P")
R = TypeVar("R")


def in_crokit_context(function: Callable[P, R]) -> Callable[P, R]:
    """Run *function* with :data:`CONTEXT` as the current decimal context.

    Applied to crokit's public computations (pricing, adjustments, schedules, selection,
    the whole evaluation), so every ``Decimal`` operator inside them computes to 34
    digits with crokit's traps, whatever decimal context the caller has set.
    """

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with decimal.localcontext(CONTEXT):
            return function(*args, **kwargs)

    return wrapper
