"""Numbers between crokit and Excel: the exact-decimal rule both ways, formats and cell addresses.

Nothing here imports openpyxl.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Final

from crokit.money import minor_units

__all__ = [
    "EXCEL_DIGITS",
    "cell_ref",
    "column_letter",
    "decimal_from_cell",
    "describe",
    "display_decimals",
    "fits_excel",
    "fixed_decimals",
    "money_format",
    "plain",
    "sheet_ref",
]

EXCEL_DIGITS: Final = 15
"""Significant digits Excel keeps and shows: any decimal with at most this many survives a round trip."""

_WHOLE_LIMIT: Final = 10.0**EXCEL_DIGITS
"""Whole floats below this are taken as they are; larger ones keep only the digits Excel shows."""

# Text that does not change how many decimals a format shows: quoted text, escaped
# characters, [colour]/[locale] blocks, _x spacing and *x fill.
_LITERALS: Final = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
# A plain fixed-point format: optional affixes (no letters, digits, %, @, /), grouping,
# at least one 0 before the point, and only 0s after it.
_FIXED: Final = re.compile(r"[^\w.%#?@/]*[#,]*0[0,]*(?:\.(0*))?[^\w.%#?@/]*")


def fixed_decimals(number_format: str | None) -> int | None:
    """The decimals a number format always shows, or ``None`` if it does not fix them.

    Only the first (positive) section of the format is read; quoted text such as a
    currency code is ignored. ``General``, percentages, scientific, fraction, date and
    variable formats (``0.0#``) fix nothing.

    >>> fixed_decimals('#,##0.00 "USD"'), fixed_decimals("0"), fixed_decimals("General"), fixed_decimals("0.00%")
    (2, 0, None, None)
    """
    if not number_format:
        return None
    section = _LITERALS.sub("", number_format).split(";", 1)[0]
    match = _FIXED.fullmatch(section)
    if match is None:
        return None
    return len(match.group(1) or "")


def _significant_digits(value: Decimal) -> int:
    return len(value.normalize().as_tuple().digits) if value else 1


def decimal_from_cell(value: float | Decimal, number_format: str | None = None) -> Decimal:
    """Turn a number read from a worksheet cell into the exact decimal it stands for.

    Excel stores numbers as binary floats and shows at most 15 significant digits, so
    the decimal a person typed (or sees) is recovered from the float's text, never from
    its binary value (``Decimal(0.1)`` would be ``0.1000000000000000055...``):

    1. An ``int`` (or ``Decimal``) is taken as it is; a float with a whole value of
       at most 15 digits becomes that whole number (``2027.0`` -> ``2027``); a larger
       one is read by rule 2 (``1e300`` -> ``1E+300``, not its binary expansion).
    2. Otherwise the float's shortest round-trip text, ``repr(value)``, is read
       (``1850.1`` -> ``1850.1``). If that text has more than 15 significant digits,
       the extra digits are float noise from a calculation that Excel itself does
       not show, and the value is read from its 15-significant-digit text instead
       (``0.1 + 0.2`` -> ``0.3``, never ``0.30000000000000004``).
    3. If the cell's number format shows a fixed number of decimals (``0.00``,
       ``#,##0.00 "USD"``), the number is given that many decimals when this only
       adds zeros (``1850.1`` under ``0.00`` -> ``1850.10``, ``15000`` -> ``15000.00``).
       A number with more decimals than its format shows keeps all of them
       (``1850.125`` under ``0.00`` stays ``1850.125``): the format hides digits,
       it does not remove them. A number too long to pad (``1e300`` under ``0.00``)
       is left as it is.

    Raises:
        ValueError: For NaN or an infinity.

    >>> decimal_from_cell(0.1 + 0.2), decimal_from_cell(0.1 + 0.2, "0.00"), decimal_from_cell(2027.0)
    (Decimal('0.3'), Decimal('0.30'), Decimal('2027'))
    """
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number")
    elif value.is_integer() and abs(value) < _WHOLE_LIMIT:
        number = Decimal(int(value))
    else:
        number = Decimal(repr(value))
        if _significant_digits(number) > EXCEL_DIGITS:
            number = Decimal(format(value, f".{EXCEL_DIGITS}g"))
    decimals = fixed_decimals(number_format)
    if decimals is not None and number.is_finite():
        try:
            padded = number.quantize(Decimal(1).scaleb(-decimals))
        except InvalidOperation:  # too many digits to pad (1e300 under "0.00"): the number stays as it is
            return number
        if padded == number:
            return padded
    return number


def fits_excel(value: Decimal) -> bool:
    """Whether Excel can hold *value* exactly (at most 15 significant digits)."""
    return value.is_finite() and _significant_digits(value) <= EXCEL_DIGITS


def plain(value: Decimal) -> Decimal:
    """*value* without an exponent (``1E+3`` -> ``1000``), as openpyxl writes it to the file."""
    return Decimal(format(value, "f"))


def display_decimals(amount: Decimal, currency: str) -> int | None:
    """Decimals to show *amount* with: the currency's minor units, or more if it has more (``None``: no minor unit)."""
    minor = minor_units(currency)
    if minor is None:
        return None
    exponent = amount.as_tuple().exponent
    return max(minor, -exponent) if isinstance(exponent, int) else minor


def money_format(currency: str, decimals: int | None = None) -> str:
    """A number format showing the currency's minor units (or *decimals*) and its code.

    >>> money_format("USD"), money_format("JPY"), money_format("USD", 3)
    ('#,##0.00 "USD"', '#,##0 "JPY"', '#,##0.000 "USD"')
    """
    places = decimals if decimals is not None else minor_units(currency)
    if places is None:
        return f'#,##0.########## "{currency}"'
    return f'#,##0{"." + "0" * places if places else ""} "{currency}"'


def column_letter(column: int) -> str:
    """Excel's letters for a 1-based column number (1 -> ``A``, 27 -> ``AA``)."""
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def sheet_ref(sheet: str) -> str:
    """A sheet name as Excel writes it in a reference: quoted when it has more than letters, digits and ``_``."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


def cell_ref(sheet: str, column: int, row: int) -> str:
    """A cell address such as ``Rates!C7`` or ``'Budget lines'!J2``."""
    return f"{sheet_ref(sheet)}!{column_letter(column)}{row}"


def describe(value: object) -> str:
    """A cell's value for an error message: text in double quotes, numbers as they are."""
    if value is None:
        return "an empty cell"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."  # noqa: PLR2004 - a readable excerpt
        return '"' + text.replace('"', '\\"') + '"'
    return str(value)
