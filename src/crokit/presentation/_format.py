"""How numbers, dates and names are shown: the one formatting module of every human-facing output.

Text, Markdown and HTML reports, Excel headers, plot labels and explanations all write
money, percentages, ratios, dates, counts and registry names through these functions,
so they read the same everywhere. JSON keeps ids and exact decimals, and never comes
here.

- Money: thousands separators and at least the currency's minor units
  (``1,500,000.00 USD``, ``58,618 JPY``, ``0.00 USD``); digits below the minor unit
  only when they are not zero, so the number shown is the number held.
- Names: a registry entry's name, with its id in brackets only where two entries share
  that name.
- Width: text output fits the terminal (:func:`terminal_width`).

>>> from crokit.money import Money
>>> money(Money("1500000", "USD")), money(Money("58618", "JPY")), money(Money("0E-11", "USD"))
('1,500,000.00 USD', '58,618 JPY', '0.00 USD')
>>> plural(1, "site"), plural(3, "site"), percent(0.5521), ratio(Decimal("0.3712"))
('1 site', '3 sites', '55%', '0.37x')
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Final, TextIO

from crokit._decimal import few_decimals
from crokit.errors import ValidationError
from crokit.money import Money

if TYPE_CHECKING:
    from crokit.registry import Registry

__all__ = [
    "DEFAULT_WIDTH",
    "MIN_WIDTH",
    "MISSING",
    "amount",
    "date",
    "decimal",
    "distinct_names",
    "is_terminal",
    "method",
    "money",
    "money_number",
    "name",
    "names",
    "number",
    "percent",
    "plural",
    "quarter",
    "ratio",
    "score",
    "sentence",
    "terminal_width",
]

MISSING: Final = "-"
"""What a table cell shows for a value that does not exist (an excluded candidate's total)."""
DEFAULT_WIDTH: Final = 120
"""The width of text written to something that is not a terminal, when ``COLUMNS`` is unset."""
_ALL_DECIMALS: Final = 100
"""More decimals than any number crokit holds: :func:`number` never cuts."""
MIN_WIDTH: Final = 60
"""The narrowest text crokit writes: a narrower terminal still gets 60 columns."""


def money(value: Money | None) -> str:
    """*value* for people: ``'1,500,000.00 USD'``, ``'58,618 JPY'``, ``'0.00 USD'``; ``'-'`` for ``None``.

    Thousands separators, at least the currency's minor units, and digits below them
    only when they are not zero (``'0.125 USD'``): never rounded, never in exponent
    notation.
    """
    return MISSING if value is None else format(value, ",")


def money_number(value: Money | None, *, missing: str = MISSING) -> str:
    """*value*'s number as :func:`money` shows it, without the code, for a column whose header names the currency.

    >>> money_number(Money("1298263.3", "USD"))
    '1,298,263.30'
    """
    return missing if value is None else money(value).rpartition(" ")[0]


def amount(value: Decimal, currency: str) -> str:
    """An exact amount in *currency* as :func:`money` shows it: ``amount(Decimal("1298263.32"), "USD")``.

    Raises:
        InvalidAmountError: If *value* is not an exact amount (a float, NaN, ...).
        UnknownCurrencyError: If *currency* is not an active ISO 4217 code.
    """
    return money(Money(value, currency))


def number(value: int | Decimal) -> str:
    """A whole or exact number with thousands separators, trailing zeros dropped: ``'1,234.5'``, ``'60'``.

    Raises:
        ValidationError: If *value* is not an int or a finite Decimal.
    """
    checked: object = value
    if isinstance(checked, bool) or not isinstance(checked, int | Decimal) or not math.isfinite(checked):
        raise ValidationError.at("value", f"expected a whole number or a finite Decimal, got {value!r}")
    if isinstance(value, int):
        return f"{value:,}"
    shown = Decimal(few_decimals(value, places=_ALL_DECIMALS))
    places = -shown.as_tuple().exponent  # type: ignore[operator]  # finite: never 'n', 'N' or 'F'
    return f"{shown:,.{max(places, 0)}f}"


def decimal(value: Decimal, places: int = 4) -> str:
    """A computed number to at most *places* decimals, with ``…`` where more digits were cut.

    For quotients that do not terminate (``186.3333…``); the digits are cut, not
    rounded, so a ``ceil`` or a comparison read off the text stays right (the rule of
    the formulas the models write, ``crokit._decimal.few_decimals``).

    >>> decimal(Decimal(559) / Decimal(3)), decimal(Decimal("186.25")), decimal(Decimal(60))
    ('186.3333…', '186.25', '60')
    """
    return few_decimals(value, places)


def percent(value: float | Decimal | None, places: int = 0) -> str:
    """A share as a percentage: ``percent(0.5521)`` is ``'55%'``, ``percent(0.5521, 1)`` ``'55.2%'``."""
    if value is None:
        return MISSING
    return f"{float(value):.{places}%}"


def ratio(value: Decimal | float | None, places: int = 2) -> str:
    """A ratio of two amounts: ``'0.37x'``; ``'-'`` for ``None``."""
    if value is None:
        return MISSING
    return f"{float(value):,.{places}f}x" if isinstance(value, float) else f"{value:,.{places}f}x"


def score(value: float | None, places: int = 3) -> str:
    """A 0-to-1 score or a weight: ``'0.907'``; ``'-'`` for ``None``."""
    return MISSING if value is None else f"{value:.{places}f}"


def date(value: dt.date | None) -> str:
    """A date as ISO 8601 (``'2027-02-18'``), the one form every reader parses alike; ``'-'`` for ``None``."""
    return MISSING if value is None else value.isoformat()


def quarter(value: dt.date) -> str:
    """The calendar quarter of *value*: ``'2027-Q1'``."""
    return f"{value.year}-Q{(value.month - 1) // 3 + 1}"


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``'1 site'``, ``'3 sites'``, ``'0 sites'``; *plural_form* for irregular nouns (``'analyses'``)."""
    many = plural_form if plural_form is not None else f"{noun}s"
    return f"{count:,} {noun if count == 1 else many}"


def sentence(text: str) -> str:
    """*text* as the start of a sentence: its first letter upper case, the rest untouched."""
    return text[:1].upper() + text[1:]


_METHODS: Final = {"weighted-sum": "weighted sum", "weighted-product": "weighted product", "topsis": "TOPSIS"}


def method(value: str) -> str:
    """A scoring method's name for people: ``'weighted-sum'`` is ``'weighted sum'``; others as given."""
    return _METHODS.get(value, value)


def name(registry: Registry, id_: str, kind: str | None = None) -> str:
    """The name of registry entry *id_* (of *kind*, or of any kind); see :meth:`crokit.Registry.name_of`.

    The id follows in brackets only where the name is ambiguous; an unknown id comes
    back as it is.

    >>> from crokit import Registry
    >>> name(Registry.builtin(), "crokit:biostatistics", "service")
    'Biostatistics'
    """
    return registry.name_of(id_, kind)


def names(registry: Registry, ids: Iterable[str], kind: str | None = None) -> str:
    """The names of *ids*, joined with commas (``'Biostatistics, Data management'``)."""
    return ", ".join(name(registry, id_, kind) for id_ in ids)


def distinct_names(named: Mapping[str, str]) -> dict[str, str]:
    """Display names for ``{id: name}`` pairs: the name, with the id in brackets where names clash.

    For things that are not in a registry, such as the candidates of a scenario.

    >>> distinct_names({"a": "Acme", "b": "Acme", "c": "Beta"})
    {'a': 'Acme (a)', 'b': 'Acme (b)', 'c': 'Beta'}
    """
    counts: dict[str, int] = {}
    for text in named.values():
        counts[text.casefold()] = counts.get(text.casefold(), 0) + 1
    return {id_: text if counts[text.casefold()] == 1 else f"{text} ({id_})" for id_, text in named.items()}


def terminal_width(stream: TextIO | None = None, *, environ: Mapping[str, str] | None = None) -> int:
    """How many columns text output may use.

    ``COLUMNS`` when it is set to a whole number; else the terminal's width when
    *stream* (standard output, say) is a terminal; else :data:`DEFAULT_WIDTH` (120). Never below
    :data:`MIN_WIDTH` (60).

    >>> terminal_width(environ={"COLUMNS": "80"}), terminal_width(environ={"COLUMNS": "20"})
    (80, 60)
    """
    env = os.environ if environ is None else environ
    text = env.get("COLUMNS", "").strip()
    if text.isdigit() and int(text) > 0:
        return max(MIN_WIDTH, int(text))
    columns = _columns_of(stream)
    return DEFAULT_WIDTH if columns is None else max(MIN_WIDTH, columns)


def is_terminal(stream: TextIO | None) -> bool:
    """Whether *stream* writes to a terminal (text for a person: box-drawn tables are welcome)."""
    try:
        return stream is not None and bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def _columns_of(stream: TextIO | None) -> int | None:
    """The width of the terminal *stream* writes to, or ``None`` if it is not a terminal."""
    if not is_terminal(stream):
        return None
    try:
        return os.get_terminal_size(stream.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, OSError, ValueError):  # no fileno, a closed stream, not a terminal after all
        return None
