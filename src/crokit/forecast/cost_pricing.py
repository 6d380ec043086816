"""Exact vectorised pricing: a proposal priced over every simulated driver set at once.

:func:`price_simulated` prices a :class:`~crokit.pricing.Proposal` against
:class:`~crokit.forecast.cost_drivers.SimulatedDrivers`. Amounts are whole minor units
in NumPy ``int64`` arrays, one entry per trial, computed with the Decimal path's rules,
so every trial's total, buckets and months equal what
``proposal.price(study, drivers.at(i), registry=...)`` gives, to the minor unit:

- a line's amount is ``quantity x unit price`` rounded half-even once: with the unit
  price ``n x 10^e`` (``n`` a whole number) the amount in minor units is
  ``round_half_even(quantity x n x 10^(e + minor))``, computed in integers (floor
  division and the remainder), never in floating point;
- a rate adjustment's line is ``round_half_even(+-amount x rate)``, an escalation's
  ``round_half_even(year's sum x ((1 + r)^years - 1))`` with the same 34-digit factor;
- a line is spread over its months as :meth:`~crokit.pricing.LineItem.monthly` does:
  every month ``floor(|amount| / months)``, the earliest ``|amount| mod months`` months
  one minor unit more.

Every product is checked before it is formed: when it could leave ``int64`` it is
computed on Python integers instead (exact, slower), and a line amount above
:data:`MAX_UNITS` minor units is refused, so sums of lines cannot overflow.

Which models are vectorised: unit prices, pass-through costs, fixed fees, FTE time and
materials, investigator grants and every adjustment except a currency conversion. A
proposal with a :class:`~crokit.pricing.CurrencyConversion` is priced on the Decimal
path instead, once per distinct simulated driver set (exact, not vectorised).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from crokit._currencies import MINOR_UNITS
from crokit.errors import ValidationError
from crokit.forecast.cost_drivers import SimulatedDrivers
from crokit.money import FxTable, Money
from crokit.pricing.adjustments import (
    Contingency,
    CurrencyConversion,
    Escalation,
    ManagementFee,
    PercentDiscount,
    TieredDiscount,
)
from crokit.pricing.budget import Budget, CostBucket, LineItem, PricingKind
from crokit.pricing.cost_drivers import CostDrivers, Driver
from crokit.pricing.fixed_fee import FixedFee
from crokit.pricing.fte import FteTimeAndMaterials
from crokit.pricing.grants import InvestigatorGrants
from crokit.pricing.pass_through import PassThrough
from crokit.pricing.proposal import PricingModel, Proposal
from crokit.pricing.unit_price import UnitPrice
from crokit.registry import Registry
from crokit.vocabulary.lifecycle import Milestone, Stage
from crokit.vocabulary.terms import UnitBasis

__all__ = ["MAX_UNITS", "SimulatedBudget", "decimal_budget", "price_simulated", "scaled"]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

MAX_UNITS: Final = 10**15
"""The largest line amount priced, in minor units (10 trillion dollars in cents): with
up to 9,000 lines a sum stays inside ``int64``."""
_INT64_MAX: Final = 2**63 - 1
_MAX_LINES: Final = 9_000


def _read_only(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.setflags(write=False)
    return array


def _round_half_even(numerator: npt.NDArray[Any], denominator: int) -> npt.NDArray[Any]:
    """``numerator / denominator`` rounded half-even to a whole number (exact integer arithmetic)."""
    quotient, remainder = numerator // denominator, numerator % denominator
    twice = 2 * remainder
    up = (twice > denominator) | ((twice == denominator) & (quotient % 2 == 1))
    result: npt.NDArray[Any] = quotient + up.astype(quotient.dtype)
    return result


def scaled(values: Ints, number: Decimal, shift: int, *, path: str) -> Ints:
    """``round_half_even(values x number x 10^shift)`` per entry, exactly, as ``int64``.

    Args:
        values: Whole numbers (counts, or amounts in minor units).
        number: An exact Decimal factor (a price or a rate).
        shift: A power of ten applied as well.
        path: Where an out-of-range result is reported.

    Raises:
        ValidationError: At *path* if a result exceeds :data:`MAX_UNITS` minor units.
    """
    sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int):  # pragma: no cover - Money and rates are finite
        raise ValidationError.at(path, f"expected a finite number, got {number}")
    whole = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
    power = exponent + shift
    multiplier, divisor = (whole * 10**power, 1) if power >= 0 else (whole, 10**-power)
    largest = int(np.abs(values).max()) if values.size else 0
    if largest * abs(multiplier) <= _INT64_MAX and divisor <= _INT64_MAX:
        result: npt.NDArray[Any] = _round_half_even(values * multiplier, divisor)
    else:
        result = _round_half_even(values.astype(object) * multiplier, divisor)
    if result.size:
        _within_range(int(np.abs(result).max()), path)
    return np.asarray(result, dtype=np.int64)


def _within_range(units: int, path: str) -> None:
    """Refuse, at *path*, an amount of *units* minor units beyond :data:`MAX_UNITS` (in absolute value)."""
    if abs(units) > MAX_UNITS:
        raise ValidationError.at(
            path, f"an amount of {units} minor units is beyond the {MAX_UNITS} the exact int64 pricing accepts"
        )


@attrs.frozen(kw_only=True, eq=False)
class Months:
    """The study months a simulated line is spread over, in every trial.

    One of three forms: a span ``[low, high)`` per trial (most lines); a fixed mask
    (``months`` long, the same in every trial, or trials x months); or, for an
    escalation line, the months of its member lines that fall in one contract year.

    Attributes:
        width: The number of study months covered by the masks.
        low: First month of the span, per trial.
        high: One past the last month of the span, per trial.
        mask: A fixed mask.
        covered: The months of an escalation group's lines (computed when first asked).
        within: The contract year's months, for *covered*.
    """

    width: int
    low: Ints | None = None
    high: Ints | None = None
    mask: Bools | None = None
    covered: _Covered | None = None
    within: Bools | None = None

    def as_mask(self, trials: int) -> Bools:
        """A trials x months mask."""
        grid = np.arange(self.width, dtype=np.int64)[None, :]
        if self.low is not None and self.high is not None:
            span: Bools = (grid >= self.low[:, None]) & (grid < self.high[:, None])
            return span
        if self.mask is not None:
            return np.broadcast_to(self.mask, (trials, self.width))
        if self.covered is None or self.within is None:  # pragma: no cover - every Months has one form
            raise ValidationError.at("months", "expected a span, a mask or covered months")
        result: Bools = self.covered.mask() & self.within[None, :]
        return result


class _Covered:
    """The months any line of a group covers, in every trial: computed once, when first needed."""

    def __init__(self, members: tuple[SimulatedLine, ...], trials: int, width: int) -> None:
        self.members = members
        self.trials = trials
        self.width = width
        self.cached: Bools | None = None

    def mask(self) -> Bools:
        if self.cached is None:
            covered = np.zeros((self.trials, self.width), dtype=np.bool_)
            for line in self.members:
                covered |= line.months.as_mask(self.trials) & line.present[:, None]
            self.cached = covered
        return self.cached


@attrs.frozen(kw_only=True, eq=False)
class SimulatedLine:
    """One budget line over every trial: amounts in minor units and the months it falls in.

    Attributes:
        service: The service priced.
        stage: The lifecycle stage.
        kind: The pricing kind of the line.
        bucket: Who ends up with the money.
        description: The line's description (for a tiered discount, one tier's).
        item: The proposal item the line comes from (its index), or ``None`` for an
            adjustment of the proposal.
        amounts: Signed minor units per trial (0 where the line is absent).
        months: The study months the line is spread over.
        present: Whether the Decimal path has the line, per trial.
    """

    service: str
    stage: Stage
    kind: PricingKind
    bucket: CostBucket
    description: str
    item: int | None
    amounts: Ints
    months: Months
    present: Bools

    def _split(self, count: Ints) -> tuple[Ints, Ints]:
        base, left = np.divmod(np.abs(self.amounts), np.maximum(count, 1))
        return base, left

    def monthly(self) -> Ints:
        """The trials x months split of :attr:`amounts`, as :meth:`LineItem.monthly` splits one line."""
        months = self.months
        grid = np.arange(months.width, dtype=np.int64)[None, :]
        if months.low is not None and months.high is not None:
            rank = grid - months.low[:, None]
            mask = (rank >= 0) & (grid < months.high[:, None]) & self.present[:, None]
            base, left = self._split(months.high - months.low)
        else:
            mask = months.as_mask(self.amounts.size) & self.present[:, None]
            rank = np.cumsum(mask, axis=1) - 1
            base, left = self._split(mask.sum(axis=1))
        parts = np.where(mask, base[:, None] + (rank < left[:, None]), 0)
        signed: Ints = np.where(self.amounts[:, None] < 0, -parts, parts)
        return signed

    def sum_between(self, first: int, stop: int) -> Ints:
        """Per trial, the sum of the monthly split over study months ``[first, stop)``."""
        months = self.months
        if months.low is None or months.high is None:
            result: Ints = self.monthly()[:, first:stop].sum(axis=1)
            return result
        low, high = months.low, months.high
        base, left = self._split(high - low)
        overlap = np.maximum(0, np.minimum(high, stop) - np.maximum(low, first))
        extra = np.maximum(0, np.minimum(np.minimum(low + left, high), stop) - np.maximum(low, first))
        total = base * overlap + extra
        signed: Ints = np.where(self.amounts < 0, -total, total) * self.present
        return signed


@attrs.frozen(kw_only=True, eq=False)
class SimulatedBudget:
    """A proposal priced over every trial: its lines, totals and monthly sums in minor units.

    Attributes:
        currency: The budget's currency (after any conversion).
        minor: The currency's minor unit (2 for cents).
        lines: The lines, items first, then adjustments in order.
        trials: The number of trials.
    """

    currency: str
    minor: int
    lines: tuple[SimulatedLine, ...]
    trials: int

    @property
    def totals(self) -> Ints:
        """The total per trial, in minor units."""
        return _sum([line.amounts for line in self.lines], self.trials)

    def total_where(self, keep: Callable[[SimulatedLine], bool]) -> Ints:
        """The sum per trial of the lines *keep* selects."""
        return _sum([line.amounts for line in self.lines if keep(line)], self.trials)

    def by_month(self) -> Ints:
        """Trials x study months totals in minor units (each line split as the Decimal path does)."""
        width = max((line.months.width for line in self.lines), default=0)
        result = np.zeros((self.trials, width), dtype=np.int64)
        for line in self.lines:
            result += line.monthly()
        return result

    def between(self, ranges: list[tuple[int, int]]) -> Ints:
        """Trials x ranges sums of the monthly split over study months ``[first, stop)`` of each range.

        The same numbers as summing :meth:`by_month`'s columns, computed per range for
        lines spread over a span (without the trials x months matrix).
        """
        result = np.zeros((self.trials, len(ranges)), dtype=np.int64)
        for line in self.lines:
            months = line.months
            if months.low is not None and months.high is not None and type(line) is SimulatedLine:
                for column, (first, stop) in enumerate(ranges):
                    result[:, column] += line.sum_between(first, stop)
            else:
                monthly = line.monthly()
                for column, (first, stop) in enumerate(ranges):
                    result[:, column] += monthly[:, first:stop].sum(axis=1)
        return result

    def money(self, units: int) -> Money:
        """*units* minor units as Money in the budget's currency."""
        return Money(Decimal(units).scaleb(-self.minor), self.currency)


def _sum(arrays: list[Ints], trials: int) -> Ints:
    result = np.zeros(trials, dtype=np.int64)
    for array in arrays:
        result += array
    return result


class _Timeline:
    """Month masks of the simulated timelines (trials x months), as :meth:`CostDrivers.months_for` gives."""

    def __init__(self, drivers: SimulatedDrivers, probe: CostDrivers, *, latest: int = 0) -> None:
        self.drivers = drivers
        self.width = max(int(drivers.total_months.max()), latest + 1)
        self.startup = drivers.startup_months
        self.enrolment_end = self.startup + drivers.enrolment_months
        self.treatment_end = drivers.treatment_end
        self.total = drivers.total_months
        profile = probe.sites_activated_per_month
        self.first = next(month for month, sites in enumerate(profile) if sites)
        self.site_months = tuple(month for month, sites in enumerate(profile) if sites)

    def span(self, low: Ints | int, high: Ints | int) -> Months:
        trials = self.drivers.trials
        return Months(
            width=self.width,
            low=np.broadcast_to(np.asarray(low, dtype=np.int64), (trials,)),
            high=np.broadcast_to(np.asarray(high, dtype=np.int64), (trials,)),
        )

    def fixed(self, months: tuple[int, ...]) -> Months:
        if months and list(months) == list(range(months[0], months[-1] + 1)):
            return self.span(months[0], months[-1] + 1)
        mask = np.zeros(self.width, dtype=np.bool_)
        mask[list(months)] = True
        return Months(width=self.width, mask=mask)

    def months_for(self, basis: UnitBasis | None) -> Months:  # noqa: PLR0911 - one return per span
        if basis is UnitBasis.PER_SITE:
            return self.fixed(self.site_months)
        if basis is UnitBasis.PER_COUNTRY:
            return self.span(0, self.startup)
        if basis in {UnitBasis.PER_ACTIVE_SITE_MONTH, UnitBasis.PER_MONITORING_VISIT}:
            return self.span(self.first, self.treatment_end)
        if basis in {UnitBasis.PER_PATIENT_SCREENED, UnitBasis.PER_PATIENT_ENROLLED}:
            return self.span(self.startup, self.enrolment_end)
        if basis is UnitBasis.PER_TABLE:
            if self.drivers.assumptions.closeout_months:
                return self.span(self.treatment_end, self.total)
            return self.span(self.total - 1, self.total)
        if basis in {
            UnitBasis.PER_PATIENT_VISIT,
            UnitBasis.PER_PATIENT_COMPLETED,
            UnitBasis.PER_PAGE,
            UnitBasis.PER_SAMPLE,
            UnitBasis.PASS_THROUGH,
        }:
            return self.span(self.startup, self.treatment_end)
        return self.span(0, self.total)

    def month_of(self, milestone: Milestone) -> Ints:
        last = self.total - 1
        database_lock = np.minimum(self.treatment_end, last)
        months: dict[Milestone, Ints | int] = {
            Milestone.CONTRACT_SIGNED: 0,
            Milestone.FIRST_SITE_ACTIVATED: self.first,
            Milestone.FIRST_PATIENT_IN: self.startup,
            Milestone.HALF_ENROLLED: self.startup + (self.drivers.enrolment_months + 1) // 2 - 1,
            Milestone.LAST_PATIENT_IN: self.enrolment_end - 1,
            Milestone.LAST_PATIENT_OUT: self.treatment_end - 1,
            Milestone.DATABASE_LOCK: database_lock,
            Milestone.TOPLINE_RESULTS: np.minimum(database_lock + 1, last),
        }
        result: Ints = np.minimum(months.get(milestone, last), last)
        return np.broadcast_to(result, (self.drivers.trials,))

    def counts(self, basis: UnitBasis, probe: CostDrivers) -> Ints:
        drivers = self.drivers
        varying: dict[UnitBasis, Ints] = {
            UnitBasis.PER_SITE_MONTH: drivers.planned_site_months,
            UnitBasis.PER_ACTIVE_SITE_MONTH: drivers.active_site_months,
            UnitBasis.PER_PATIENT_SCREENED: drivers.patients_screened,
            UnitBasis.PER_PATIENT_COMPLETED: drivers.patients_completed,
            UnitBasis.PER_PATIENT_VISIT: drivers.patient_visits,
            UnitBasis.PER_MONITORING_VISIT: drivers.monitoring_visits,
            UnitBasis.PER_PAGE: drivers.crf_pages,
            UnitBasis.PER_MONTH: drivers.total_months,
        }
        if basis in varying:
            return varying[basis]
        return np.full(drivers.trials, int(probe.get(basis).value), dtype=np.int64)


class _Pricer:
    """Prices one proposal's items and adjustments over every trial."""

    def __init__(
        self,
        proposal: Proposal,
        drivers: SimulatedDrivers,
        registry: Registry,
        converted: dict[tuple[str, str], LineItem] | None = None,
    ) -> None:
        self.proposal = proposal
        # Lines of items in another currency, converted once (their amounts are the same
        # in every trial, so their conversion is too): key -> line in the proposal's currency.
        self.converted = converted or {}
        self.drivers = drivers
        self.registry = registry
        self.study = drivers.study
        self.probe = _probe(drivers)
        booked = [
            month
            for item in proposal.items
            if isinstance(item, FteTimeAndMaterials)
            for allocation in item.allocations
            for month in allocation.months
        ]
        self.timeline = _Timeline(drivers, self.probe, latest=max(booked, default=0))
        self.minor = MINOR_UNITS[proposal.currency] or 0
        self.trials = drivers.trials

    def constant(self, line: LineItem, item: int | None, months: Months) -> SimulatedLine:
        line = self.converted.get(line.key, line)
        units = int(line.amount.amount.scaleb(self.minor))
        _within_range(units, "items" if item is None else f"items[{item}]")
        return self.line(line, item, np.full(self.trials, units, dtype=np.int64), months)

    def line(
        self, line: LineItem, item: int | None, amounts: Ints, months: Months, present: Bools | None = None
    ) -> SimulatedLine:
        return SimulatedLine(
            service=line.service,
            stage=line.stage,
            kind=line.kind,
            bucket=line.bucket,
            description=line.description,
            item=item,
            amounts=amounts,
            months=months,
            present=np.ones(self.trials, dtype=np.bool_) if present is None else present,
        )

    def times(self, counts: Ints, price: Money, path: str) -> Ints:
        return scaled(counts, price.amount, self.minor, path=path)

    def item(self, index: int, item: PricingModel) -> list[SimulatedLine]:
        path = f"items[{index}]"
        probe = item.price(self.study, self.probe, registry=self.registry, path=path).lines
        timeline = self.timeline
        if isinstance(item, UnitPrice):
            (line,) = probe
            months = timeline.months_for(item.basis)
            if item.quantity is not None:
                return [self.constant(line, index, months)]
            counts = timeline.counts(item.basis, self.probe)
            return [self.line(line, index, self.times(counts, item.rate, path), months)]
        if isinstance(item, PassThrough):
            months = timeline.months_for(UnitBasis.PASS_THROUGH)
            return [self.constant(line, index, months) for line in probe]
        if isinstance(item, FixedFee):
            result = []
            for payment, line in zip(item.milestones, probe, strict=True):
                month = timeline.month_of(payment.milestone)
                result.append(self.constant(line, index, timeline.span(month, month + 1)))
            return result
        if isinstance(item, FteTimeAndMaterials):
            return [self.constant(line, index, timeline.fixed(line.months)) for line in probe]
        return self.grants(index, item, probe, path)

    def grants(
        self, index: int, item: InvestigatorGrants, probe: tuple[LineItem, ...], path: str
    ) -> list[SimulatedLine]:
        """Grants: visits and overrides fixed, screen failures and early terminations varying, start-up fixed."""
        timeline = self.timeline
        drivers = self.drivers
        enrolled = self.study.planned_patients
        *patients, screen_failures, terminations, start_up = probe
        conduct = timeline.months_for(UnitBasis.PER_PATIENT_VISIT)
        failed = drivers.patients_screened - enrolled
        left = enrolled - drivers.patients_completed
        return [
            *(self.constant(line, index, conduct) for line in patients),
            self.line(
                screen_failures,
                index,
                self.times(failed, item.screen_failure_fee, path),
                timeline.months_for(UnitBasis.PER_PATIENT_SCREENED),
                failed != 0,
            ),
            self.line(terminations, index, self.times(left, item.early_termination_fee, path), conduct, left != 0),
            self.constant(start_up, index, timeline.months_for(UnitBasis.PER_SITE)),
        ]

    def per_line(
        self,
        lines: list[SimulatedLine],
        *,
        label: str,
        rate: Decimal,
        sign: int,
        applies_to: CostBucket | None,
        bucket: CostBucket | None = None,
        where: Bools | None = None,
        path: str,
    ) -> list[SimulatedLine]:
        added = []
        for line in lines:
            if applies_to is not None and line.bucket is not applies_to:
                continue
            amounts = scaled(sign * line.amounts, rate, 0, path=path)
            if where is not None:
                amounts = np.where(where, amounts, 0)
            added.append(
                attrs.evolve(
                    line,
                    kind=PricingKind.ADJUSTMENT,
                    bucket=bucket or line.bucket,
                    description=f"{label}: {line.description}",
                    item=None,
                    amounts=amounts,
                    present=amounts != 0,
                )
            )
        return added

    def adjust(self, lines: list[SimulatedLine], index: int, adjustment: object) -> list[SimulatedLine]:
        path = f"adjustments[{index}]"
        if isinstance(adjustment, PercentDiscount | Contingency | ManagementFee):
            label = type(adjustment).__name__
            bucket = CostBucket.CRO_DIRECT_FEES if isinstance(adjustment, ManagementFee) else None
            sign = -1 if isinstance(adjustment, PercentDiscount) else 1
            return self.per_line(
                lines,
                label=label,
                rate=adjustment.rate,
                sign=sign,
                applies_to=adjustment.applies_to,
                bucket=bucket,
                path=path,
            )
        if isinstance(adjustment, TieredDiscount):
            totals = _sum([line.amounts for line in lines], self.trials)
            reached = np.full(self.trials, -1, dtype=np.int64)
            for tier_index, tier in enumerate(adjustment.tiers):
                threshold = int(tier.min_total.rounded().amount.scaleb(self.minor))
                exact = tier.min_total.amount.scaleb(self.minor)
                # a threshold with digits below the minor unit: total >= exact iff total >= ceil(exact)
                threshold = threshold if Decimal(threshold) >= exact else threshold + 1
                reached = np.where(totals >= threshold, tier_index, reached)
            added = []
            for tier_index, tier in enumerate(adjustment.tiers):
                added.extend(
                    self.per_line(
                        lines,
                        label=f"Tiered discount tier {tier_index + 1}",
                        rate=tier.rate,
                        sign=-1,
                        applies_to=adjustment.applies_to,
                        where=reached == tier_index,
                        path=path,
                    )
                )
            return added
        if isinstance(adjustment, Escalation):
            return self.escalate(lines, adjustment, path)
        raise ValidationError.at(path, f"cannot vectorise {adjustment!r}")  # pragma: no cover - routed earlier

    def escalate(self, lines: list[SimulatedLine], escalation: Escalation, path: str) -> list[SimulatedLine]:
        width = self.timeline.width
        years = [escalation.year_of(month) for month in range(width)]
        groups: dict[tuple[str, Stage, CostBucket], list[SimulatedLine]] = {}
        for line in lines:
            if line.bucket is escalation.applies_to:
                groups.setdefault((line.service, line.stage, line.bucket), []).append(line)
        added = []
        for (service, stage, bucket), members in groups.items():
            covered = _Covered(tuple(members), self.trials, width)
            for year in sorted({year for year in years if year}):
                first, stop = years.index(year), width - years[::-1].index(year)
                base = _sum([line.sum_between(first, stop) for line in members], self.trials)
                amounts = scaled(base, escalation.factor(year), 0, path=path)
                within = np.zeros(width, dtype=np.bool_)
                within[first:stop] = True
                added.append(
                    SimulatedLine(
                        service=service,
                        stage=stage,
                        kind=PricingKind.ADJUSTMENT,
                        bucket=bucket,
                        description=f"Escalation, contract year {year + 1}",
                        item=None,
                        amounts=amounts,
                        months=Months(width=width, covered=covered, within=within),
                        present=amounts != 0,
                    )
                )
        return added

    def price(self) -> SimulatedBudget:
        lines: list[SimulatedLine] = []
        for index, item in enumerate(self.proposal.items):
            lines.extend(self.item(index, item))
        for index, adjustment in enumerate(self.proposal.adjustments):
            lines.extend(self.adjust(lines, index, adjustment))
        if len(lines) > _MAX_LINES:
            raise ValidationError.at("items", f"expected at most {_MAX_LINES} lines to price exactly, got {len(lines)}")
        return SimulatedBudget(
            currency=self.proposal.currency, minor=self.minor, lines=tuple(lines), trials=self.trials
        )


def _probe(drivers: SimulatedDrivers) -> CostDrivers:
    """Trial 0's drivers with one screen failure and one early termination, so every grants line shows."""
    first = drivers.at(0)
    enrolled = drivers.study.planned_patients

    def count(name: str, value: int) -> Driver:
        return Driver(name=name, value=value, unit="patient", formula="probe", rounding="none")

    return attrs.evolve(
        first,
        patients_screened=count("patients screened", enrolled + 1),
        patients_completed=count("patients completed", enrolled - 1),
    )


def _decimal_fallback(
    proposal: Proposal,
    drivers: SimulatedDrivers,
    registry: Registry,
    *,
    fx: FxTable | None = None,
    on: date | None = None,
) -> SimulatedBudget:
    """Price each distinct driver set once on the Decimal path (for proposals with a currency conversion).

    Items in another currency than the proposal's are converted at the rates of *fx* in
    force on *on*, as :meth:`~crokit.pricing.Proposal.price` converts them.

    The result has one line per pricing kind and bucket, each keeping the Decimal
    path's amounts and monthly split.
    """
    keys = np.stack((drivers.enrolment_months, drivers.patients_screened, drivers.patients_completed), axis=1)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    budgets = [
        proposal.price(drivers.study, drivers.at(int(trial)), registry=registry, fx=fx, on=on) for trial in first
    ]
    currency = budgets[0].currency
    minor = MINOR_UNITS[currency] or 0
    width = max(
        int(drivers.total_months.max()),
        *(max(line.months) + 1 for budget in budgets for line in budget.lines if line.months),
    )
    sums: dict[tuple[PricingKind, CostBucket], tuple[LineItem, Ints, Ints]] = {}
    for row, budget in enumerate(budgets):
        for line in budget.lines:
            key = (line.kind, line.bucket)
            if key not in sums:
                sums[key] = (
                    line,
                    np.zeros(len(budgets), dtype=np.int64),
                    np.zeros((len(budgets), width), dtype=np.int64),
                )
            _, amounts, monthly = sums[key]
            amounts[row] += int(line.amount.amount.scaleb(minor))
            for month, part in line.monthly().items():
                monthly[row, month] += int(part.amount.scaleb(minor))
    index = inverse.reshape(-1)
    lines = tuple(
        _FallbackLine(
            service=line.service,
            stage=line.stage,
            kind=kind,
            bucket=bucket,
            description=f"{kind.value}, {bucket.value} (priced on the Decimal path)",
            item=None,
            amounts=amounts[index],
            months=Months(width=width, mask=monthly[index] != 0),
            present=np.ones(drivers.trials, dtype=np.bool_),
            split=monthly[index],
        )
        for (kind, bucket), (line, amounts, monthly) in sums.items()
    )
    return SimulatedBudget(currency=currency, minor=minor, lines=lines, trials=drivers.trials)


@attrs.frozen(kw_only=True, eq=False)
class _FallbackLine(SimulatedLine):
    """Sums of the Decimal path's lines, with their exact monthly split kept as given."""

    split: Ints

    def monthly(self) -> Ints:
        """The monthly split the Decimal path gave."""
        return self.split


def price_simulated(
    proposal: Proposal,
    drivers: SimulatedDrivers,
    *,
    registry: Registry,
    fx: FxTable | None = None,
    on: date | None = None,
) -> SimulatedBudget:
    """Price *proposal* over every simulated driver set (see the module doc for the rules).

    A proposal with a currency conversion, or with items in another currency (converted
    with *fx* at the rates in force on *on*), is priced on the Decimal path once per
    distinct driver set: exact, not vectorised.

    Raises:
        UnknownIdError, ValidationError: As :meth:`Proposal.price` would, for any item or
            adjustment that does not fit (checked once, on a probe set); and at
            ``items[i]`` or ``adjustments[i]`` when an amount leaves the exact range.
    """
    foreign = [item for item in proposal.items if item.currency != proposal.currency]
    if any(isinstance(adjustment, CurrencyConversion) for adjustment in proposal.adjustments) or not all(
        _constant_amounts(item) for item in foreign
    ):
        return _decimal_fallback(proposal, drivers, registry, fx=fx, on=on)
    probe = _probe(drivers)
    # Every check of the Decimal path, once; and the other-currency lines it converted.
    budget = proposal.price(drivers.study, probe, registry=registry, fx=fx, on=on)
    keys = {line.key for item in foreign for line in item.price(drivers.study, probe, registry=registry).lines}
    converted = {line.key: line for line in budget.lines if line.key in keys}
    return _Pricer(proposal, drivers, registry, converted).price()


def _constant_amounts(item: PricingModel) -> bool:
    """Whether *item* prices to the same lines and amounts in every trial (only its months may move).

    Such an item in another currency is converted once, as the Decimal path converts it
    in each trial; any other item in another currency is priced on the Decimal path.
    """
    if isinstance(item, UnitPrice):
        return item.quantity is not None
    return isinstance(item, PassThrough | FixedFee | FteTimeAndMaterials)


def decimal_budget(proposal: Proposal, drivers: SimulatedDrivers, trial: int, *, registry: Registry) -> Budget:
    """The Decimal-path budget of one trial (the reference the vectorised pricing equals)."""
    return proposal.price(drivers.study, drivers.at(trial), registry=registry)
