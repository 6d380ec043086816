"""Governance KPIs: indicators with thresholds, evaluated from the actuals.

Sponsors oversee a CRO through a handful of indicators reviewed at every governance
meeting. crokit computes three from what :class:`~crokit.engagement.Actuals` records
against the plan, and takes the others as observed values the sponsor records:

- ``crokit:enrolment-vs-plan`` (computed): patients enrolled to date over patients
  planned to date, the plan spreading enrolment evenly over the enrolment months.
- ``crokit:site-activation-vs-plan`` (computed): sites activated to date over sites the
  activation plan opens by then.
- ``crokit:invoice-accuracy`` (computed): the share of invoice lines that match the
  contract (see :func:`~crokit.engagement.accruals.engagement_status`).
- ``crokit:site-activation-cycle-days``, ``crokit:query-turnaround-days``,
  ``crokit:protocol-deviations-per-100-patients`` (observed): the latest
  :class:`KpiObservation` recorded.

crokit ships no thresholds: what counts as on track is the sponsor's choice, written
as a :class:`KpiThreshold` in the engagement.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Final

import attrs

from crokit import _hypothesis_plugin
from crokit._decimal import CONTEXT, to_decimal
from crokit._typed import typed_fields
from crokit.engagement.accruals import EngagementStatus
from crokit.engagement.actuals import Actuals
from crokit.errors import CrokitError, Problem, UnknownIdError, ValidationError
from crokit.pricing.cost_drivers import CostDrivers
from crokit.schedule.payments import month_index
from crokit.vocabulary.ids import check_id
from crokit.vocabulary.terms import UnitBasis

__all__ = ["KPIS", "Direction", "Kpi", "KpiObservation", "KpiResult", "KpiThreshold", "evaluate_kpis"]


class Direction(enum.Enum):
    """Whether a KPI is on track at or above its threshold, or at or below it."""

    AT_LEAST = "at-least"
    AT_MOST = "at-most"


def _decimal(value: object) -> Decimal:
    try:
        return to_decimal(value, what="value")
    except CrokitError as exc:
        raise ValidationError.at("value", str(exc)) from None


def _id(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_id(value, path=attribute.name)


def _direction(value: object) -> Direction:
    try:
        return value if isinstance(value, Direction) else Direction(value)
    except ValueError:
        raise ValidationError.at("direction", f"expected 'at-least' or 'at-most', got {value!r}") from None


def _month(value: object) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.replace(day=1)
    raise ValidationError.at("month", f"expected a date in the month, got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Kpi:
    """A governance indicator.

    Attributes:
        id: Namespaced id (``crokit:query-turnaround-days``).
        name: Readable name.
        unit: What the value counts (``ratio``, ``days``).
        computed: Whether crokit computes it from the actuals (else it is observed).
        description: How it is measured.
    """

    id: str = attrs.field(validator=_id)
    name: str
    unit: str
    computed: bool
    description: str


KPIS: Final[Mapping[str, Kpi]] = {
    kpi.id: kpi
    for kpi in (
        Kpi(
            id="crokit:enrolment-vs-plan",
            name="Enrolment against plan",
            unit="ratio",
            computed=True,
            description="patients enrolled to date / patients planned to date (even over the enrolment months)",
        ),
        Kpi(
            id="crokit:site-activation-vs-plan",
            name="Site activation against plan",
            unit="ratio",
            computed=True,
            description="sites activated to date / sites the activation plan opens by then",
        ),
        Kpi(
            id="crokit:invoice-accuracy",
            name="Invoice accuracy",
            unit="ratio",
            computed=True,
            description="invoice lines matching the contract / invoice lines",
        ),
        Kpi(
            id="crokit:site-activation-cycle-days",
            name="Site activation cycle time",
            unit="days",
            computed=False,
            description="days from site selection to site activation, as the sponsor records it",
        ),
        Kpi(
            id="crokit:query-turnaround-days",
            name="Query turnaround",
            unit="days",
            computed=False,
            description="days from a data query raised to its resolution, as the sponsor records it",
        ),
        Kpi(
            id="crokit:protocol-deviations-per-100-patients",
            name="Protocol deviations",
            unit="per 100 patients",
            computed=False,
            description="important protocol deviations per 100 enrolled patients, as the sponsor records it",
        ),
    )
}
"""The built-in KPIs, by id."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class KpiThreshold:
    """The sponsor's threshold for one KPI.

    Attributes:
        kpi: The KPI's id.
        threshold: The value that separates on track from not.
        direction: ``at-least`` (on track at or above) or ``at-most``.
    """

    kpi: str = attrs.field(validator=_id)
    threshold: Decimal = attrs.field(converter=_decimal)
    direction: Direction = attrs.field(converter=_direction)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class KpiObservation:
    """A value of an observed KPI, recorded for a month.

    Attributes:
        kpi: The KPI's id.
        month: The month it describes (stored as its first day).
        value: The value recorded.
    """

    kpi: str = attrs.field(validator=_id)
    month: dt.date = attrs.field(converter=_month)
    value: Decimal = attrs.field(converter=_decimal)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class KpiResult:
    """One KPI evaluated against its threshold.

    Attributes:
        kpi: The KPI.
        value: Its value, or ``None`` where nothing measures it yet.
        threshold: The sponsor's threshold.
        on_track: Whether the value is on the right side of the threshold (``None``
            without a value).
        basis: How the value was obtained, in words.
    """

    kpi: Kpi
    value: Decimal | None
    threshold: KpiThreshold
    on_track: bool | None
    basis: str


def _planned_enrolled(drivers: CostDrivers, last: int) -> Decimal:
    start, months = int(drivers.startup_months.value), int(drivers.enrolment_months.value)
    elapsed = min(max(last - start + 1, 0), months)
    return CONTEXT.divide(CONTEXT.multiply(Decimal(drivers.patients_enrolled.value), Decimal(elapsed)), Decimal(months))


def _recorded(actuals: Actuals, basis: UnitBasis) -> Decimal:
    return sum((done.quantity for done in actuals.work if done.basis is basis), Decimal(0))


def _ratio(done: Decimal, planned: Decimal) -> Decimal | None:
    return CONTEXT.divide(done, planned) if planned else None


def evaluate_kpis(
    thresholds: Iterable[KpiThreshold],
    *,
    actuals: Actuals,
    drivers: CostDrivers,
    start: dt.date,
    status: EngagementStatus | None = None,
    observations: Iterable[KpiObservation] = (),
    kpis: Mapping[str, Kpi] = KPIS,
) -> tuple[KpiResult, ...]:
    """Each threshold's KPI evaluated from *actuals* against the plan in *drivers*.

    Args:
        thresholds: The sponsor's thresholds, one per KPI to evaluate.
        actuals: What happened, as of its date.
        drivers: The plan's cost drivers (enrolment and activation profiles).
        start: The study's start (month 0).
        status: The engagement status, for invoice accuracy.
        observations: Recorded values of the observed KPIs; the latest up to the
            as-of date counts.
        kpis: The KPI definitions (the built-ins by default).

    Raises:
        ValidationError: For a threshold or observation naming an unknown KPI, with its path.
    """
    listed = list(thresholds)
    noted = list(observations)
    named: list[tuple[str, str]] = [(f"kpis[{i}].kpi", item.kpi) for i, item in enumerate(listed)]
    named += [(f"observations[{i}].kpi", item.kpi) for i, item in enumerate(noted)]
    problems = [
        Problem(path=path, message=str(UnknownIdError("kpi", kpi_id, choices=kpis)))
        for path, kpi_id in named
        if kpi_id not in kpis
    ]
    if problems:
        raise ValidationError(problems)
    last = month_index(start, actuals.as_of)
    results = []
    for threshold in listed:
        kpi = kpis[threshold.kpi]
        value: Decimal | None
        if kpi.id == "crokit:enrolment-vs-plan":
            planned = _planned_enrolled(drivers, last)
            done = _recorded(actuals, UnitBasis.PER_PATIENT_ENROLLED)
            value, basis = _ratio(done, planned), f"{done} enrolled against {planned.normalize():f} planned"
        elif kpi.id == "crokit:site-activation-vs-plan":
            planned = Decimal(sum(drivers.sites_activated_per_month[: max(last + 1, 0)]))
            done = _recorded(actuals, UnitBasis.PER_SITE)
            value, basis = _ratio(done, planned), f"{done} sites activated against {planned} planned"
        elif kpi.id == "crokit:invoice-accuracy":
            lines = sum(len(invoice.lines) for invoice in actuals.invoices)
            flagged = len({(f.invoice, f.line) for f in status.invoice_findings}) if status is not None else 0
            value = _ratio(Decimal(lines - flagged), Decimal(lines))
            basis = f"{lines - flagged} of {lines} invoice lines match the contract"
        else:
            seen = [o for o in noted if o.kpi == kpi.id and o.month <= actuals.as_of]
            latest = max(seen, key=lambda o: o.month) if seen else None
            value = latest.value if latest is not None else None
            basis = f"recorded for {latest.month:%Y-%m}" if latest is not None else "nothing recorded yet"
        on_track = None
        if value is not None:
            on_track = (
                value >= threshold.threshold
                if threshold.direction is Direction.AT_LEAST
                else (value <= threshold.threshold)
            )
        results.append(KpiResult(kpi=kpi, value=value, threshold=threshold, on_track=on_track, basis=basis))
    return tuple(results)


# Registers this module's models with Hypothesis' st.from_type if Hypothesis is in use.
_hypothesis_plugin.imported(__name__)
