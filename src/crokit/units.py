"""The unit of every rate and share in crokit: a fraction, where ``0.05`` means 5%.

Every rate or share a model takes (a management fee, a discount, a contingency, an
escalation rate, a holdback, a fixed fee's milestone share, staff turnover, screen
failure and dropout rates, the answers to the percentage questions of the due-diligence
questionnaire) is a :data:`Fraction`: an exact :class:`~decimal.Decimal`, written as
text in files (``"0.05"``), where 1 is the whole. Percentages appear only in what crokit
*writes* for people (``"Discount 5%"``).

A value that is plausible as a percentage but not as a fraction (a management fee of
``5``) is refused with a "did you mean" hint naming the fraction:

>>> from decimal import Decimal
>>> check_fraction(Decimal("5"), "management_fee")
Traceback (most recent call last):
...
crokit.errors.ValidationError: management_fee: 5 is not a fraction between 0 and 1; did you mean 0.05 (5%)?
>>> percent_text(Decimal("0.05")), percent_text(Decimal("0.125"))
('5', '12.5')
>>> from_percent("12.5")
Decimal('0.125')
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, TypeAlias

import attrs

from crokit._decimal import to_decimal
from crokit.errors import ValidationError

__all__ = [
    "ONE",
    "Fraction",
    "check_fraction",
    "fraction",
    "fraction_validator",
    "from_percent",
    "percent_text",
]

Fraction: TypeAlias = Decimal
"""A rate or share as an exact fraction of the whole: ``Decimal("0.05")`` means 5%.

Written as text in files (``"0.05"``), never as a float. Each field says its own range
(most are from 0 up to but not including 1); see :func:`check_fraction`."""

ONE: Final = Decimal(1)
"""The whole: 100%."""

_HUNDRED: Final = Decimal(100)


def fraction(value: object) -> Decimal:
    """An attrs converter: *value* (a ``Decimal``, ``int`` or decimal text) as an exact fraction.

    Raises:
        InvalidAmountError: For floats and anything that is not an exact number.
    """
    return to_decimal(value, what="fraction (0.05 for 5%)")


def from_percent(value: object) -> Decimal:
    """The fraction of a percentage, exactly: ``"5"`` -> ``Decimal("0.05")``.

    Only the decimal exponent moves (:meth:`~decimal.Decimal.scaleb`), so no digit is
    ever rounded and no float is involved.

    Raises:
        InvalidAmountError: For floats and anything that is not an exact number.
    """
    return to_decimal(value, what="percentage").scaleb(-2)


def percent_text(value: Decimal) -> str:
    """*value*, a fraction, as a percentage without trailing zeros or exponent (``0.10`` -> ``"10"``)."""
    text = format(value.scaleb(2).normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def _range(minimum: Decimal, maximum: Decimal, *, above_minimum: bool, below_maximum: bool) -> str:
    low = f"above {minimum}" if above_minimum else f"from {minimum}"
    high = f"up to but not including {maximum}" if below_maximum else f"to {maximum}"
    return f"{low} {high} ({percent_text(maximum)}%)"


def check_fraction(
    value: Decimal,
    path: str,
    *,
    maximum: Decimal = ONE,
    above_zero: bool = False,
    below_maximum: bool = False,
) -> None:
    """Refuse *value* unless it is a fraction in the field's range, with a "did you mean" hint.

    A value from 1 up to 100 that would fit the range once divided by 100 is taken for
    a percentage written by mistake, and the error names the fraction it probably
    meant. The message always says the unit (``0.05 means 5%``).

    Args:
        value: The fraction to check.
        path: The field's path, the start of the error message.
        maximum: The largest plausible value (1 for a share of a whole; less for a
            rate, such as 0.5 for an annual escalation).
        above_zero: Whether 0 is refused.
        below_maximum: Whether *maximum* itself is refused.

    Raises:
        ValidationError: If *value* is outside the range.
    """
    too_low = value <= 0 if above_zero else value < 0
    too_high = value >= maximum if below_maximum else value > maximum
    if not (too_low or too_high):
        return
    expected = _range(Decimal(0), maximum, above_minimum=above_zero, below_maximum=below_maximum)
    meant = value.scaleb(-2)
    if too_high and ONE <= value <= _HUNDRED and not (meant >= maximum if below_maximum else meant > maximum):
        if maximum == ONE:
            message = f"{value} is not a fraction between 0 and 1; did you mean {meant} ({percent_text(meant)}%)?"
        else:
            message = (
                f"{value} is not a plausible fraction (expected {expected}); "
                f"did you mean {meant} ({percent_text(meant)}%)?"
            )
        raise ValidationError.at(path, message)
    raise ValidationError.at(path, f"expected a fraction {expected}, where 0.05 means 5%, got {value}")


def fraction_validator(
    *, maximum: Decimal = ONE, above_zero: bool = False, below_maximum: bool = False
) -> Callable[[object, attrs.Attribute[Any], Decimal | None], None]:
    """An attrs validator running :func:`check_fraction` on the field (``None`` passes)."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: Decimal | None) -> None:
        if value is not None:
            check_fraction(value, attribute.name, maximum=maximum, above_zero=above_zero, below_maximum=below_maximum)

    return check
