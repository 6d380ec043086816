"""One-way sensitivity (a tornado) of a scenario's totals and winner to its planning assumptions.

A scenario's optional ``sensitivity`` section (:class:`SensitivitySettings`) names the
assumptions to vary and their low and high values (:class:`AssumptionRange`); each
one left without a range gets the documented illustrative default of
:func:`default_range`. :func:`assumption_sensitivity` moves one assumption at a time to
its low and its high value, everything else as the scenario states it, and re-runs
:func:`crokit.evaluate` on the changed scenario (made with :func:`attrs.evolve`, never
mutated) to report, for each assumption (:class:`AssumptionSensitivity`):

- each priced candidate's total at the low, base and high value, and its swing
  (:class:`CandidateSwing`);
- the winner at each end, and where it differs from the winner at the base value, the
  break-even (:class:`BreakEven`): two values, one keeping the base winner and one
  changing it, found by bisection on the same :func:`~crokit.evaluate` path; adjacent
  whole numbers for whole-number assumptions (exact), at most ``tolerance`` times the
  range apart for the others.

The assumptions come from what crokit's study and assumptions state
(:class:`PlanningAssumption`): the screen-failure and dropout rates, the enrolment
period (the enrolment rate: ``patients / (sites x enrolment months)``), the number of
sites, the monitoring frequency (visits), the start-up, treatment and close-out
periods (study months), and the exchange rate of each proposal currency into the
study's currency. The result (:class:`Tornado`) lists them in tornado order, largest
swing first. :mod:`crokit.selection.sensitivity` is the other sensitivity: how far the
criterion *weights* can move.

This module sits beside :mod:`crokit.scenario` (it runs whole scenarios), not in
:mod:`crokit.forecast`, which stays below scenarios and never evaluates one.
"""

from __future__ import annotations

import enum
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from crokit import _hypothesis_plugin, _lazy
from crokit._convert import to_tuple
from crokit._decimal import CONTEXT, to_decimal
from crokit._members import as_member
from crokit._typed import typed_fields
from crokit._validators import is_member, listed_once, non_empty_text
from crokit.errors import ValidationError
from crokit.money import Money, validate_currency
from crokit.pricing.assumptions import MAX_MONTHS
from crokit.units import check_fraction

if TYPE_CHECKING:
    from crokit._tornado import assumption_sensitivity

_LAZY: Final = {"assumption_sensitivity": "crokit._tornado"}
"""Loaded on first use: the analysis runs :func:`crokit.evaluate`, whose module imports this one."""

__all__ = [
    "DEFAULT_TOLERANCE",
    "AssumptionRange",
    "AssumptionSensitivity",
    "BreakEven",
    "CandidateSwing",
    "PlanningAssumption",
    "SensitivitySettings",
    "Tornado",
    "assumption_sensitivity",
    "default_range",
]

DEFAULT_TOLERANCE: Final = Decimal("0.001")
"""Bisection stops when a break-even is bracketed within this share of the range's width."""

_RATE_STEP: Final = Decimal("0.10")
_RATE_CAP: Final = Decimal("0.95")
_WHOLE_DOWN: Final = Decimal("0.75")
_WHOLE_UP: Final = Decimal("1.25")
_FX_DOWN: Final = Decimal("0.90")
_FX_UP: Final = Decimal("1.10")


class PlanningAssumption(enum.Enum):
    """An assumption the tornado can vary; each names the study or assumptions field it moves.

    - ``screen-failure-rate``, ``dropout-rate``: the study's rates, in [0, 1).
    - ``enrolment-months``: the enrolment period; with the patients and sites fixed it
      sets the enrolment rate, ``patients / (sites x enrolment months)``.
    - ``sites``: the study's sites (only with sites opening evenly over start-up).
    - ``monitoring-interval-weeks``, ``monitoring-visits-per-site-month``: the
      monitoring frequency (monitoring visits), in the form the assumptions state it.
    - ``startup-months``, ``treatment-months``, ``closeout-months``: the other periods
      of the study's timeline (study months).
    - ``fx-rate``: the rate from a proposal's currency (:attr:`AssumptionRange.currency`)
      into the study's currency in force on the study's start date, the date
      :func:`~crokit.evaluate` converts on.
    """

    SCREEN_FAILURE_RATE = "screen-failure-rate"
    DROPOUT_RATE = "dropout-rate"
    ENROLMENT_MONTHS = "enrolment-months"
    SITES = "sites"
    MONITORING_INTERVAL_WEEKS = "monitoring-interval-weeks"
    MONITORING_VISITS_PER_SITE_MONTH = "monitoring-visits-per-site-month"
    STARTUP_MONTHS = "startup-months"
    TREATMENT_MONTHS = "treatment-months"
    CLOSEOUT_MONTHS = "closeout-months"
    FX_RATE = "fx-rate"

    @property
    def label(self) -> str:
        """A readable name (``"screen-failure rate"``)."""
        return _LABELS[self]

    @property
    def is_whole(self) -> bool:
        """Whether the assumption takes whole numbers only (sites, months, weeks)."""
        return self in _WHOLE


_LABELS: Final = {
    PlanningAssumption.SCREEN_FAILURE_RATE: "screen-failure rate",
    PlanningAssumption.DROPOUT_RATE: "dropout rate",
    PlanningAssumption.ENROLMENT_MONTHS: "enrolment months",
    PlanningAssumption.SITES: "sites",
    PlanningAssumption.MONITORING_INTERVAL_WEEKS: "weeks between monitoring visits",
    PlanningAssumption.MONITORING_VISITS_PER_SITE_MONTH: "monitoring visits per site-month",
    PlanningAssumption.STARTUP_MONTHS: "start-up months",
    PlanningAssumption.TREATMENT_MONTHS: "treatment months",
    PlanningAssumption.CLOSEOUT_MONTHS: "close-out months",
    PlanningAssumption.FX_RATE: "exchange rate",
}
_RATES: Final = frozenset({PlanningAssumption.SCREEN_FAILURE_RATE, PlanningAssumption.DROPOUT_RATE})
#: Whole-number assumptions and their smallest and largest values.
_WHOLE: Final = {
    PlanningAssumption.ENROLMENT_MONTHS: (1, MAX_MONTHS),
    PlanningAssumption.SITES: (1, 100_000),
    PlanningAssumption.MONITORING_INTERVAL_WEEKS: (1, 520),
    PlanningAssumption.STARTUP_MONTHS: (1, MAX_MONTHS),
    PlanningAssumption.TREATMENT_MONTHS: (0, MAX_MONTHS),
    PlanningAssumption.CLOSEOUT_MONTHS: (0, MAX_MONTHS),
}


def _as_assumption(value: object) -> object:
    return as_member(PlanningAssumption, value)


def _optional_value(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, what="assumption value")


def _check_value(assumption: PlanningAssumption, value: Decimal, path: str) -> None:
    """Refuse *value* unless *assumption* can take it."""
    if assumption in _RATES:
        check_fraction(value, path, below_maximum=True)
    elif assumption.is_whole:
        low, high = _WHOLE[assumption]
        if value != value.to_integral_value() or not low <= value <= high:
            raise ValidationError.at(
                path, f"expected a whole number of {assumption.label} from {low} to {high}, got {value}"
            )
    elif assumption is PlanningAssumption.FX_RATE:
        if value <= 0:
            raise ValidationError.at(path, f"expected an exchange rate > 0, got {value}")
    elif value < 0:
        raise ValidationError.at(path, f"expected {assumption.label} >= 0, got {value}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class AssumptionRange:
    """One assumption to vary, and the low and high values to try.

    Attributes:
        assumption: What to vary.
        low: The low value; ``None`` takes the default of :func:`default_range`.
        high: The high value; ``None`` takes the default.
        currency: For ``fx-rate`` only: the proposal currency whose rate into the
            study's currency is varied (``None`` when the proposals use one other
            currency).

    >>> AssumptionRange(assumption="sites", low=9, high=16).high
    Decimal('16')
    >>> AssumptionRange(assumption="dropout-rate", low="0.3", high="0.2")
    Traceback (most recent call last):
    ...
    crokit.errors.ValidationError: high: expected a value >= low (0.3), got 0.2
    """

    assumption: PlanningAssumption = attrs.field(converter=_as_assumption, validator=is_member(PlanningAssumption))
    low: Decimal | None = attrs.field(default=None, converter=_optional_value)
    high: Decimal | None = attrs.field(default=None, converter=_optional_value)
    currency: str | None = None

    def __attrs_post_init__(self) -> None:
        """Check each value against the assumption, the order of the two, and the currency."""
        for name in ("low", "high"):
            value = getattr(self, name)
            if value is not None:
                _check_value(self.assumption, value, name)
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValidationError.at("high", f"expected a value >= low ({self.low}), got {self.high}")
        if self.currency is not None:
            if self.assumption is not PlanningAssumption.FX_RATE:
                raise ValidationError.at(
                    "currency", f"a currency is given only for fx-rate, not for {self.assumption.value}"
                )
            validate_currency(self.currency)

    @property
    def key(self) -> tuple[PlanningAssumption, str | None]:
        """What the range varies: the assumption and, for an exchange rate, the currency."""
        return self.assumption, self.currency


def _tolerance(_instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not Decimal(0) < value <= Decimal("0.5"):
        raise ValidationError.at(attribute.name, f"expected a share of the range above 0 and up to 0.5, got {value}")


def _decimal(value: object) -> Decimal:
    return to_decimal(value, what="tolerance")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class SensitivitySettings:
    """A scenario's ``sensitivity`` section: which assumptions to vary, over which ranges.

    Attributes:
        ranges: The assumptions to vary, each once; empty (the default) varies the
            default set (see :func:`assumption_sensitivity`) over default ranges.
        tolerance: Bisection stops when a break-even of a continuous assumption is
            bracketed within this share of the range's width (whole-number
            assumptions are bracketed exactly).

    >>> SensitivitySettings(ranges=(AssumptionRange(assumption="sites"),)).tolerance
    Decimal('0.001')
    """

    ranges: tuple[AssumptionRange, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=listed_once(
            AssumptionRange,
            lambda r: r.key,
            field="assumption",
            repeated=lambda r, at: f"{r.assumption.value} is already varied at {at}",
        ),
    )
    tolerance: Decimal = attrs.field(default=DEFAULT_TOLERANCE, converter=_decimal, validator=_tolerance)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CandidateSwing:
    """One candidate's total at the base, low and high value of an assumption.

    Attributes:
        candidate: The candidate's id.
        name: Its name.
        base: Its total at the scenario's value.
        low: Its total at the low value.
        high: Its total at the high value.
    """

    candidate: str = attrs.field(validator=non_empty_text)
    name: str = attrs.field(validator=non_empty_text)
    base: Money
    low: Money
    high: Money

    def __attrs_post_init__(self) -> None:
        """Require one currency."""
        for name in ("low", "high"):
            if getattr(self, name).currency != self.base.currency:
                raise ValidationError.at(
                    name, f"expected an amount in {self.base.currency}, got {getattr(self, name).currency}"
                )

    @property
    def swing(self) -> Money:
        """How far the total moves between the low and the high value: ``|high - low|``."""
        return abs(self.high - self.low)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class BreakEven:
    """Where the winner changes: between ``before`` (winner ``winner_before``) and ``after``.

    Attributes:
        before: The value nearest the change found to keep ``winner_before``.
        after: The value nearest the change found to give ``winner_after``.
        winner_before: The winner at ``before`` (the base winner when the range holds
            the scenario's value); ``None`` when no candidate is eligible.
        winner_after: The winner at ``after``, a different one or ``None``.
        exact: Whether ``before`` and ``after`` are adjacent whole numbers (nothing lies
            between them); otherwise they are within the tolerance of each other.
    """

    before: Decimal
    after: Decimal
    winner_before: str | None = None
    winner_after: str | None = None
    exact: bool = False

    def __attrs_post_init__(self) -> None:
        """Require a change of winner."""
        if self.winner_before == self.winner_after:
            raise ValidationError.at("winner_after", f"expected a winner other than {self.winner_before!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class AssumptionSensitivity:
    """What moving one assumption from its low to its high value does to totals and winner.

    Attributes:
        assumption: The assumption varied.
        currency: For an exchange rate, the currency whose rate was varied.
        base: The scenario's value.
        low: The low value tried.
        high: The high value tried.
        candidates: Each priced candidate's totals, in the base ranking's order.
        winner: The winner at the scenario's value (``None``: no eligible candidate).
        winner_low: The winner at the low value.
        winner_high: The winner at the high value.
        break_even_low: Where the winner changes between the base and the low value.
        break_even_high: Where it changes between the base and the high value.
    """

    assumption: PlanningAssumption = attrs.field(converter=_as_assumption, validator=is_member(PlanningAssumption))
    base: Decimal
    low: Decimal
    high: Decimal
    candidates: tuple[CandidateSwing, ...] = attrs.field(default=(), converter=to_tuple)
    winner: str | None = None
    winner_low: str | None = None
    winner_high: str | None = None
    break_even_low: BreakEven | None = None
    break_even_high: BreakEven | None = None
    currency: str | None = None

    @property
    def label(self) -> str:
        """The assumption's readable name, with the currency pair for an exchange rate."""
        return self.assumption.label if self.currency is None else f"{self.currency} exchange rate"

    @property
    def swing(self) -> Money | None:
        """The largest candidate swing (``None`` without a priced candidate): the tornado's order."""
        return max((row.swing for row in self.candidates), default=None)

    @property
    def winner_changes(self) -> bool:
        """Whether the winner at either end differs from the winner at the scenario's value."""
        return self.winner_low != self.winner or self.winner_high != self.winner


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Tornado:
    """The one-way sensitivity of a scenario: one row per assumption, largest swing first.

    Attributes:
        currency: The study's currency; every total is in it.
        winner: The winner at the scenario's values.
        tolerance: The bisection tolerance used (a share of each range's width).
        assumptions: One result per assumption varied, in tornado order.
        not_varied: Default assumptions left out, each with the reason.
    """

    currency: str = attrs.field(validator=lambda _i, _a, v: validate_currency(v))
    winner: str | None = None
    tolerance: Decimal = DEFAULT_TOLERANCE
    assumptions: tuple[AssumptionSensitivity, ...] = attrs.field(default=(), converter=to_tuple)
    not_varied: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)

    def __attrs_post_init__(self) -> None:
        """Require every total in the tornado's currency."""
        for index, row in enumerate(self.assumptions):
            for place, swing in enumerate(row.candidates):
                if swing.base.currency != self.currency:
                    raise ValidationError.at(
                        f"assumptions[{index}].candidates[{place}].base",
                        f"expected an amount in {self.currency}, got {swing.base.currency}",
                    )


def default_range(
    assumption: PlanningAssumption, base: Decimal, *, patients: int | None = None
) -> tuple[Decimal, Decimal]:
    """The illustrative default low and high values of *assumption* around the scenario's *base* value.

    These are crokit's conventions for a first look, NOT published figures; give the
    ranges your own data supports in the scenario's ``sensitivity`` section.

    - rates (screen failure, dropout): ``base - 0.10`` and ``base + 0.10``, kept within
      0 and 0.95;
    - whole numbers (sites, months, weeks between monitoring visits): 75% of the base
      rounded down and 125% rounded up, at least one step either way, kept within the
      assumption's limits (and sites within the study's *patients*);
    - monitoring visits per site-month: 75% and 125% of the base;
    - exchange rates: 90% and 110% of the rate in force.

    >>> default_range(PlanningAssumption.SITES, Decimal(12), patients=60)
    (Decimal('9'), Decimal('15'))
    >>> default_range(PlanningAssumption.DROPOUT_RATE, Decimal("0.05"))
    (Decimal('0'), Decimal('0.15'))
    """
    if assumption in _RATES:
        return max(Decimal(0), base - _RATE_STEP), min(_RATE_CAP, base + _RATE_STEP)
    if assumption.is_whole:
        least, most = _WHOLE[assumption]
        if assumption is PlanningAssumption.SITES and patients is not None:
            most = min(most, patients)
        low = min(CONTEXT.multiply(base, _WHOLE_DOWN).to_integral_value(ROUND_FLOOR), base - 1)
        high = max(CONTEXT.multiply(base, _WHOLE_UP).to_integral_value(ROUND_CEILING), base + 1)
        return max(Decimal(least), low), min(Decimal(most), high)
    if assumption is PlanningAssumption.FX_RATE:
        return CONTEXT.multiply(base, _FX_DOWN), CONTEXT.multiply(base, _FX_UP)
    return CONTEXT.multiply(base, _WHOLE_DOWN), CONTEXT.multiply(base, _WHOLE_UP)


def __getattr__(name: str) -> Any:
    """Load :func:`assumption_sensitivity` on first use."""
    return _lazy.load(__name__, _LAZY, globals(), name)


def __dir__() -> list[str]:
    """The public names, including the lazily loaded one."""
    return _lazy.public_names(globals(), __all__)


# Registers this module's models with Hypothesis' st.from_type if Hypothesis is in use.
_hypothesis_plugin.imported(__name__)
