"""Exact decimal input: the one door every number from a user passes through.

``to_decimal`` accepts ``int``, ``Decimal`` and decimal text, and refuses ``float``,
``bool``, NaN, infinities and numbers too large or too small to be a price, a rate or a
count, with an :class:`~crokit.errors.InvalidAmountError` that says why. Arithmetic runs
in crokit's own decimal contexts, so results never depend on the caller's decimal
settings: :data:`CONTEXT` (34 digits) for rates, ratios and factors, :data:`MONEY`
(62 digits) for money products and quotients, and :data:`EXACT` for sums, which are
exact or refused (:func:`exact_add`, :func:`exact_sum`).
"""

from __future__ import annotations

import decimal
import functools
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Final, ParamSpec, TypeVar

from crokit.errors import InvalidAmountError

__all__ = [
    "CONTEXT",
    "EXACT",
    "EXACT_DIGITS",
    "MAX_EXPONENT",
    "MONEY",
    "MONEY_DIGITS",
    "exact_add",
    "exact_sum",
    "few_decimals",
    "in_crokit_context",
    "to_decimal",
]

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

TOO_LARGE: Final = 10 ** (MAX_EXPONENT + 1)
"""The smallest magnitude refused (10**31): every accepted number is below it."""

MONEY_DIGITS: Final = 2 * (MAX_EXPONENT + 1)
"""Significant digits of money products and quotients (62): every amount of the range
(below 10**31) keeps 31 digits after the point, far below any currency's minor unit
(CLF and UYW have the smallest, 0.0001), so rounding to the minor unit afterwards is
right at every magnitude."""

MONEY: Final = decimal.Context(
    prec=MONEY_DIGITS,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
"""The context of money products, quotients and rounding: :data:`MONEY_DIGITS` digits."""

EXACT_DIGITS: Final = 100
"""Sums of money are exact; one that would need more significant digits than this
(only possible with amounts of absurdly many digits) is refused rather than rounded."""

EXACT: Final = decimal.Context(
    prec=EXACT_DIGITS,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact],
)
"""The context of sums and differences: :data:`EXACT_DIGITS` digits, and an inexact
result raises instead of being rounded (use :func:`exact_add` and :func:`exact_sum`)."""

_DECIMAL_TEXT: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""Decimal text crokit reads: ASCII digits, an optional point and exponent. Python's
``Decimal()`` also takes ``1_000`` and digits of other scripts (Arabic-Indic or full-width); a
file is never read that way, so neither is decimal text."""

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
        if abs(value) >= TOO_LARGE:
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
        # ASCII text without "_" that Decimal() reads as a finite number is decimal text
        # (Decimal's grammar less its "_" separators and other scripts' digits): the
        # pattern is needed only for the rest.
        if result.is_finite() and not (text.isascii() and "_" not in text) and not _DECIMAL_TEXT.fullmatch(text):
            raise InvalidAmountError(
                value, f"expected a decimal number such as '12.50' for the {what} (ASCII digits, no '_' separators)"
            )
    else:
        raise InvalidAmountError(
            value, f"expected a decimal number as text, int or Decimal, got {type(value).__name__}"
        )
    if not result.is_finite():
        raise InvalidAmountError(value, f"the {what} must be a finite number")
    if result and not -MAX_EXPONENT <= result.adjusted() <= MAX_EXPONENT:
        raise InvalidAmountError(value, f"the {what} is out of range (magnitudes from 1e-30 to below 1e31)")
    return result


def exact_add(left: Decimal, right: Decimal, *, what: str = "sum") -> Decimal:
    """``left + right``, exactly, whatever the caller's decimal context.

    Raises:
        InvalidAmountError: If the exact result needs more than :data:`EXACT_DIGITS`
            significant digits (it is refused, never rounded).

    >>> exact_add(Decimal("1E+30"), Decimal("0.0001"))
    Decimal('1000000000000000000000000000000.0001')
    """
    try:
        return EXACT.add(left, right)
    except decimal.Inexact:
        raise InvalidAmountError(
            f"{left} + {right}",
            f"the {what} needs more than {EXACT_DIGITS} significant digits to be exact; "
            "round the amounts to their minor unit first",
        ) from None


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of *values*, whatever the caller's decimal context.

    Use this instead of ``sum(values, Decimal(0))``, which adds in the thread's current
    context (28 digits by default, and whatever a caller set) and rounds silently.

    Raises:
        InvalidAmountError: If the sum needs more than :data:`EXACT_DIGITS` significant
            digits to be exact.

    >>> exact_sum([Decimal("0.1"), Decimal("0.2")])
    Decimal('0.3')
    >>> exact_sum([Decimal("1E+30"), Decimal("0.0001"), Decimal("-1E+30")])
    Decimal('0.0001')
    """
    result = Decimal(0)
    for value in values:
        result = exact_add(result, value)
    return result


P = ParamSpec("P")
R = TypeVar("R")


def few_decimals(value: Decimal, places: int = 4) -> str:
    """*value* for people, to at most *places* decimals, ending in ``…`` where digits were cut.

    For computed quotients that do not terminate (``186.3333…`` rather than 34 digits).
    The extra digits are cut, not rounded, so a ``ceil`` or a comparison read off the
    text stays right; a value with few enough decimals is shown exactly, without
    trailing zeros and never in exponent notation.

    >>> few_decimals(Decimal(559) / Decimal(3)), few_decimals(Decimal("186.250")), few_decimals(Decimal("8E+1"))
    ('186.3333…', '186.25', '80')
    """
    if not value:
        return "0"
    _sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        return str(value)
    decimals = max(-exponent, 0)
    significant = list(digits)
    while decimals and significant and significant[-1] == 0:
        significant.pop()
        decimals -= 1
    if decimals <= places:
        return f"{value.quantize(Decimal(1).scaleb(-decimals), context=EXACT):f}"
    cut = value.quantize(Decimal(1).scaleb(-places), rounding=decimal.ROUND_DOWN, context=CONTEXT)
    return f"{cut:f}…"


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
