"""Governance KPIs from the actuals, against the plan, with the sponsor's thresholds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crokit import ValidationError
from crokit.engagement.accruals import engagement_status
from crokit.engagement.actuals import Actuals, WorkDone
from crokit.engagement.kpis import KPIS, KpiObservation, KpiThreshold, evaluate_kpis
from crokit.pricing.derive import derive_drivers
from tests.engagement.test_accruals import ACTUALS, BUDGET, SCENARIO, START

DRIVERS = derive_drivers(SCENARIO.study, SCENARIO.assumptions)


def thresholds(*pairs: tuple[str, str, str]) -> list[KpiThreshold]:
    return [KpiThreshold(kpi=kpi, threshold=value, direction=direction) for kpi, value, direction in pairs]


def test_enrolment_and_activation_against_plan() -> None:
    actuals = Actuals(
        as_of=dt.date(2027, 8, 31),
        work=[
            WorkDone(month="2027-02", basis="per-site", quantity="6"),
            WorkDone(month="2027-06", basis="per-patient-enrolled", quantity="4"),
            WorkDone(month="2027-08", basis="per-patient-enrolled", quantity="5"),
        ],
    )
    results = evaluate_kpis(
        thresholds(
            ("crokit:enrolment-vs-plan", "0.9", "at-least"), ("crokit:site-activation-vs-plan", "0.9", "at-least")
        ),
        actuals=actuals,
        drivers=DRIVERS,
        start=START,
    )
    enrolment, activation = results
    # 60 patients over the 12 enrolment months from month 4: 4 months (4 to 7) planned by August.
    assert enrolment.value == Decimal(9) / Decimal(20)
    assert enrolment.on_track is False
    assert enrolment.basis == "9 enrolled against 20 planned"
    assert activation.value == Decimal(6) / Decimal(12)
    assert activation.on_track is False


def test_invoice_accuracy_and_observed_kpis() -> None:
    status = engagement_status(BUDGET, ACTUALS, start=START)
    results = evaluate_kpis(
        thresholds(
            ("crokit:invoice-accuracy", "0.95", "at-least"),
            ("crokit:query-turnaround-days", "10", "at-most"),
            ("crokit:protocol-deviations-per-100-patients", "5", "at-most"),
        ),
        actuals=ACTUALS,
        drivers=DRIVERS,
        start=START,
        status=status,
        observations=[
            KpiObservation(kpi="crokit:query-turnaround-days", month=dt.date(2027, 5, 1), value="12"),
            KpiObservation(kpi="crokit:query-turnaround-days", month=dt.date(2027, 6, 1), value="8.5"),
            KpiObservation(kpi="crokit:query-turnaround-days", month=dt.date(2027, 9, 1), value="30"),
        ],
    )
    accuracy, queries, deviations = results
    assert accuracy.value == Decimal(1) / Decimal(4)
    assert accuracy.on_track is False
    assert queries.value == Decimal("8.5")
    assert queries.on_track is True
    assert queries.basis == "recorded for 2027-06"
    assert deviations.value is None
    assert deviations.on_track is None


def test_unknown_kpis_are_refused_with_their_path() -> None:
    with pytest.raises(ValidationError) as caught:
        evaluate_kpis(
            thresholds(("crokit:query-turnaround", "10", "at-most")),
            actuals=ACTUALS,
            drivers=DRIVERS,
            start=START,
            observations=[KpiObservation(kpi="crokit:nothing", month=dt.date(2027, 1, 1), value="1")],
        )
    assert [p.path for p in caught.value.problems] == ["kpis[0].kpi", "observations[0].kpi"]
    assert "crokit:query-turnaround-days" in caught.value.problems[0].message
    with pytest.raises(ValidationError, match="'at-least' or 'at-most'"):
        KpiThreshold(kpi="crokit:invoice-accuracy", threshold="1", direction="above")
    assert all(kpi.id.startswith("crokit:") for kpi in KPIS.values())
