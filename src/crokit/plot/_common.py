"""Shared pieces of the charts: figures, the palette, money and date axes, wrapped names."""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal
from typing import TYPE_CHECKING

from crokit.errors import MissingDependencyError, ValidationError
from crokit.presentation import _format as fmt
from crokit.registry import Registry

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: The Okabe-Ito palette, distinguishable under the common colour-vision deficiencies:
#: M. Okabe and K. Ito, "Color Universal Design (CUD): How to make figures and
#: presentations that are friendly to colorblind people" (2008), https://jfly.uni-koeln.de/color/.
#: Black is left out (it is kept for lines and markers); the order puts the most
#: distinct colours first.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
)
#: Hatches that tell apart segments whose colour repeats once the palette is used up.
HATCHES = ("", "//", "..", "xx")

#: Characters per line of a wrapped name on a bar chart's axis.
NAME_WIDTH = 24


def colour(index: int) -> tuple[str, str]:
    """The colour and hatch of the *index*-th series: the palette, then the palette hatched."""
    return OKABE_ITO[index % len(OKABE_ITO)], HATCHES[(index // len(OKABE_ITO)) % len(HATCHES)]


def wrap(text: str, width: int = NAME_WIDTH) -> str:
    """*text* wrapped on word boundaries to lines of at most *width* characters (longer words split)."""
    return textwrap.fill(text, width=width, break_long_words=True, break_on_hyphens=False)


def money_text(amount: Decimal, currency: str) -> str:
    """An exact amount as every output shows it: ``'1,298,263.32 USD'`` (``crokit.presentation._format.amount``)."""
    return fmt.amount(amount, currency)


def compact_money(value: float, currency: str) -> str:
    """A tick label for a money axis: ``'1.25M USD'``, ``'450k USD'``, ``'0 USD'``; no offset, no exponent."""
    size = abs(value)
    for scale, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if size >= scale:
            number = f"{value / scale:,.2f}".rstrip("0").rstrip(".")
            return f"{number}{suffix} {currency}"
    return f"{value:,.0f} {currency}"


def money_axis(axes: Axes, currency: str, *, axis: str = "x") -> None:
    """Format the *axis* of *axes* as amounts in *currency*, at most six ticks, no offset text."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    target = axes.xaxis if axis == "x" else axes.yaxis
    target.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    target.set_major_formatter(FuncFormatter(lambda value, _: compact_money(value, currency)))


def date_axis(axes: Axes) -> None:
    """Format the x axis as dates, with concise tick labels and few enough ticks to fit."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(minticks=3, maxticks=6)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def dates(days: list[dt.date]) -> list[float]:
    """Matplotlib's float dates for *days*."""
    from matplotlib.dates import date2num

    return [float(date2num(day)) for day in days]  # type: ignore[no-untyped-call]


def axes_for(ax: Axes | None, *, width: float, height: float) -> Axes:
    """*ax*, or the single Axes of a new constrained-layout figure of the given size (inches), outside pyplot.

    Raises:
        MissingDependencyError: If matplotlib is not installed (extra ``plot``).
    """
    if ax is not None:
        return ax
    return new_figure(width=width, height=height).add_subplot()


def new_figure(*, width: float, height: float) -> Figure:
    """A new constrained-layout figure of the given size (inches), outside pyplot, that a notebook displays.

    Raises:
        MissingDependencyError: If matplotlib is not installed (extra ``plot``).
    """
    try:
        import matplotlib.figure  # noqa: F401 - checked first: _figure may be imported already

        from crokit.plot._figure import ChartFigure
    except ImportError:
        raise MissingDependencyError("matplotlib", "plot") from None
    return ChartFigure(figsize=(width, height), layout="constrained")


def figure_of(axes: Axes) -> Figure:
    """The top-level figure *axes* is drawn on.

    Raises:
        ValidationError: If *axes* belongs to no figure.
    """
    figure = axes.get_figure(root=True)
    if figure is None:
        raise ValidationError.at("ax", "the axes belong to no figure: make them with Figure.add_subplot")
    return figure


def bars_height(rows: int) -> float:
    """A figure height (inches) that gives each of *rows* wrapped names room to breathe."""
    return max(3.0, 0.55 * rows + 1.6)


def registry_or_builtin(registry: Registry | None) -> Registry:
    """*registry*, or crokit's built-in vocabulary (no extensions) when it is ``None``."""
    return Registry.builtin() if registry is None else registry


def service_name(registry: Registry, id_: str) -> str:
    """The registry name of service *id_*, or the id itself when the registry does not know it."""
    return fmt.name(registry, id_, "service")


def criterion_name(registry: Registry, id_: str) -> str:
    """The registry name of criterion *id_*, or the id itself when the registry does not know it."""
    return fmt.name(registry, id_, "criterion")
