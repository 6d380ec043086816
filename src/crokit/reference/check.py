"""Checking a cost per patient against the published benchmark: :func:`check_cost_per_patient`.

:func:`check_cost_per_patient` looks up the published cost per patient of a phase and
area (Sertkaya et al. 2024, 2018 US dollars, or a table of your own) and returns a
:class:`BenchmarkCheck` with the exact ratio and a message that names the source and
says no inflation adjustment was applied, or a :class:`NoBenchmark` naming the figures
that do exist when there is none to compare with.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from crokit._decimal import CONTEXT, in_crokit_context
from crokit._typed import typed_fields
from crokit.errors import Problem, ValidationError
from crokit.money import CURRENCIES, FxTable, Money
from crokit.reference.figures import COST_PER_PATIENT, Figure
from crokit.reference.loading import load_published
from crokit.reference.table import BenchmarkTable, _find
from crokit.registry import Registry
from crokit.vocabulary.lifecycle import Stage

__all__ = ["BenchmarkCheck", "NoBenchmark", "check_cost_per_patient"]


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class NoBenchmark:
    """No figure exists to compare with; *reason* says what does exist.

    Attributes:
        reason: Why there is no benchmark and which figures exist instead.
    """

    reason: str

    def __str__(self) -> str:
        """The reason."""
        return self.reason


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class BenchmarkCheck:
    """A cost per patient compared with a published figure.

    Attributes:
        ratio: ``cost_per_patient / benchmark.value``, exact to 34 significant digits
            (1.25 means 25% above the benchmark).
        cost_per_patient: The cost compared, in the benchmark's currency (after
            conversion, if one was needed).
        benchmark: The figure compared with.
        message: A sentence for people that names the source and says that no
            inflation adjustment was applied.
    """

    ratio: Decimal
    cost_per_patient: Money
    benchmark: Figure
    message: str

    def __str__(self) -> str:
        """The message."""
        return self.message


@in_crokit_context
def check_cost_per_patient(
    cost_per_patient: Money,
    phase: Stage,
    area: str | None,
    *,
    table: BenchmarkTable | None = None,
    source: str | None = None,
    fx: FxTable | None = None,
    on: date | None = None,
    registry: Registry | None = None,
) -> BenchmarkCheck | NoBenchmark:
    """Compare *cost_per_patient* with the published cost per patient of *phase* in *area*.

    The published figures (Sertkaya et al. 2024, Table 1) are in 2018 US dollars. A
    cost in another currency is converted with *fx* at the rate in force *on* the given
    date (rounded to the cent); without both, the comparison is refused rather than
    made across currencies. No inflation adjustment is applied in either case: the
    cost is compared as given with a 2018-dollar figure, and the message says so.

    Args:
        cost_per_patient: The cost per patient to check.
        phase: The phase (``Stage.PHASE_1`` to ``Stage.PHASE_3`` are published).
        area: An area id or alias, or ``"all"``/``None`` for the all-areas figure.
        table: The figures to compare with; :func:`load_published` by default.
        source: The source id, if the table has several for this measure.
        fx: Exchange rates, needed when the cost is not in the figure's currency.
        on: The date to convert at, needed with *fx*.
        registry: Resolves area aliases; :meth:`Registry.builtin` by default.

    Returns:
        A :class:`BenchmarkCheck`, or :class:`NoBenchmark` naming the figures that do
        exist when there is none for this phase and area.

    Raises:
        ValidationError: At ``cost_per_patient`` if its currency differs from the
            figure's and *fx* or *on* is missing.
        MissingRateError: If *fx* has no rate for the pair on *on*.
        UnknownIdError: If *area* is not a known area.

    >>> check = check_cost_per_patient(Money("157506", "USD"), Stage.PHASE_2, "oncology")
    >>> check.ratio
    Decimal('2')
    """
    registry = Registry.builtin() if registry is None else registry
    table = load_published() if table is None else table
    if COST_PER_PATIENT not in table.measures:
        return NoBenchmark(reason=f"{table.name} has no {COST_PER_PATIENT} figures")
    found = _find(table, COST_PER_PATIENT, phase, area, source=source, registry=registry)
    if isinstance(found, Problem):
        return NoBenchmark(reason=found.message)
    benchmark = found
    value = benchmark.value
    if value is None or value <= 0:
        return NoBenchmark(reason=f"the figure has no positive point value to compare with: {benchmark}")
    currency = benchmark.unit
    if currency not in CURRENCIES:
        return NoBenchmark(reason=f"the figure's unit {currency!r} is not an ISO 4217 currency: {benchmark}")
    compared = cost_per_patient
    conversion = ""
    if cost_per_patient.currency != currency:
        if fx is None or on is None:
            raise ValidationError.at(
                "cost_per_patient",
                f"the cost is in {cost_per_patient.currency} but {benchmark.source.short} gives {currency}"
                + (f" of {benchmark.dollar_year}" if benchmark.dollar_year else "")
                + ": pass fx (an FxTable) and on (the date to convert at) to compare; crokit does not "
                "compare amounts in different currencies",
            )
        compared = fx.convert(cost_per_patient, currency, on)
        conversion = f" (converted from {cost_per_patient:,} at the rate in force on {on})"
    ratio = CONTEXT.divide(compared.amount, value)
    shown = ratio.quantize(Decimal("0.01"), context=CONTEXT)
    year = f" in {benchmark.dollar_year} dollars" if benchmark.dollar_year else ""
    message = (
        f"{compared:,}{conversion} per patient is {shown} times the published {benchmark.phase_label} cost per "
        f"patient for {benchmark.area_label}, {Money(value, currency):,}{year} ({benchmark.source.short}). "
        "No inflation adjustment is applied: the cost is compared as given with a figure in "
        + (f"{benchmark.dollar_year} dollars." if benchmark.dollar_year else "dollars of an unstated year.")
    )
    if benchmark.caveat:
        message += " " + benchmark.caveat
    return BenchmarkCheck(ratio=ratio, cost_per_patient=compared, benchmark=benchmark, message=message)
