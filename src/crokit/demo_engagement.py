"""The brief's story continued: the rare-disease Phase II study after signature (illustrative).

Lumen Bio signed Helix CRO for RD-201 on the demo scenario's terms. Helix runs the
study, the regulatory submissions and biometrics; the sponsor keeps medical writing.
Nine months in, a protocol amendment adds 12 patients and 2 sites (change order
``co-1``, effective from study month 9). Twelve months of actuals are recorded:
sites activated, patients enrolled, patient visits, monitoring visits, CRF pages,
milestones and invoices. Every company, count and price is invented for the
illustration; no figure is data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from crokit.change_orders import ChangeOrder, Contract, ReasonCode, StudyChange
from crokit.demo import demo_scenario
from crokit.engagement.actuals import Actuals, Invoice, InvoiceLine, MilestoneReached, WorkDone
from crokit.engagement.document import Engagement, ProviderContract
from crokit.engagement.kpis import KpiObservation, KpiThreshold
from crokit.engagement.ledger import Transfer
from crokit.engagement.parties import Agreement, Party
from crokit.engagement.scope import ScopeAssignment
from crokit.money import Money

__all__ = ["demo_engagement"]

_SPONSOR_ID = "lumen-bio"
_CRO_ID = "helix-cro"


def _work(start: dt.date) -> list[WorkDone]:
    """Twelve months of work: 12 sites by month 3, enrolment from month 4, visits and monitoring."""
    work: list[WorkDone] = []
    sites = {1: 3, 2: 4, 3: 5}
    enrolled = {4: 3, 5: 4, 6: 5, 7: 5, 8: 6, 9: 6, 10: 7, 11: 7}
    active = 0
    for month in range(12):
        day = start + relativedelta(months=month)
        if month in sites:
            work.append(WorkDone(month=day, basis="per-site", quantity=Decimal(sites[month])))
        active += sites.get(month, 0)
        if month in enrolled:
            work.append(WorkDone(month=day, basis="per-patient-enrolled", quantity=Decimal(enrolled[month])))
            visits = sum(enrolled[m] for m in enrolled if m <= month)
            work.append(WorkDone(month=day, basis="per-patient-visit", quantity=Decimal(visits)))
            work.append(WorkDone(month=day, basis="per-page", quantity=Decimal(visits * 10)))
        if active:
            work.append(WorkDone(month=day, basis="per-monitoring-visit", quantity=Decimal(active) * Decimal("0.7")))
    return work


def _invoices(start: dt.date) -> list[Invoice]:
    usd = "USD"
    return [
        Invoice(
            number="HX-2027-001",
            issued=start + relativedelta(days=10),
            currency=usd,
            lines=[
                InvoiceLine(
                    service="crokit:regulatory-submissions",
                    quantity="1",
                    unit_price=Money("54000.00", usd),
                    amount=Money("54000.00", usd),
                    description="Start-up and submissions: contract signed",
                )
            ],
            paid_on=start + relativedelta(days=55),
        ),
        Invoice(
            number="HX-2027-006",
            issued=start + relativedelta(months=6),
            currency=usd,
            lines=[
                InvoiceLine(
                    service="crokit:on-site-monitoring",
                    basis="per-monitoring-visit",
                    quantity="28",
                    unit_price=Money("1900.00", usd),
                    amount=Money("53200.00", usd),
                ),
                InvoiceLine(
                    service="crokit:pass-through-expenses",
                    basis="pass-through",
                    quantity="1",
                    unit_price=Money("12480.00", usd),
                    amount=Money("12480.00", usd),
                    description="Travel and lab kits, January to June",
                ),
            ],
            paid_on=start + relativedelta(months=7),
        ),
        Invoice(
            number="HX-2027-011",
            issued=start + relativedelta(months=11),
            currency=usd,
            lines=[
                InvoiceLine(
                    service="crokit:on-site-monitoring",
                    basis="per-monitoring-visit",
                    quantity="35",
                    unit_price=Money("1957.00", usd),
                    amount=Money("68495.00", usd),
                    description="Monitoring visits at the year-2 rate",
                )
            ],
        ),
    ]


def demo_engagement() -> Engagement:
    """RD-201 with Helix CRO: signed, amended once from month 9, twelve months of actuals (illustrative)."""
    scenario = demo_scenario()
    study = scenario.study
    start = study.start_date
    (proposal,) = [c.proposal for c in scenario.candidates if c.id == _CRO_ID and c.proposal is not None]
    month_9 = start + relativedelta(months=9)
    amendment = ChangeOrder(
        id="co-1",
        date=month_9 - relativedelta(days=14),
        effective=month_9,
        reason=ReasonCode.PROTOCOL_AMENDMENT,
        description="Protocol amendment 1: 12 more patients at 2 more sites from month 9",
        study=StudyChange(planned_patients=study.planned_patients + 12, sites=study.sites + 2),
    )
    as_of = start + relativedelta(months=12) - relativedelta(days=4)
    actuals = Actuals(
        as_of=as_of,
        work=_work(start),
        milestones=[
            MilestoneReached(milestone="contract-signed", on=start),
            MilestoneReached(milestone="first-site-activated", on=start + relativedelta(months=1, days=9)),
            MilestoneReached(milestone="first-patient-in", on=start + relativedelta(months=4, days=3)),
        ],
        invoices=_invoices(start),
    )
    sponsor = Party(id=_SPONSOR_ID, name="Lumen Bio (illustrative)", kind="sponsor", address="Boston, MA, US")
    helix = Party(
        id=_CRO_ID,
        name="Helix CRO (illustrative)",
        kind="cro",
        address="Cambridge, UK",
        agreement=Agreement(title="Master services agreement and work order 1", signed=start, reference="WO-1"),
    )
    scope = [
        ScopeAssignment(service=service, party=_CRO_ID, roles="RA")
        for service in study.required_services
        if service != "crokit:medical-writing"
    ]
    if "crokit:medical-writing" in study.required_services:
        scope.append(ScopeAssignment(service="crokit:medical-writing", party=_SPONSOR_ID, roles="RA"))
    oversight = "Monthly review of the CRO's reports at the joint operations committee"
    transfers = [
        Transfer(obligation=obligation, party=_CRO_ID, written_in="Work order 1, schedule C", oversight=[oversight])
        for obligation in (
            "crokit:select-monitors",
            "crokit:obtain-investigator-information",
            "crokit:review-ongoing-investigations",
            "crokit:keep-records",
        )
    ]
    transfers.append(
        Transfer(obligation="crokit:dispose-unused-supply", party=_CRO_ID, written_in="Work order 1, schedule C")
    )
    return Engagement(
        title="RD-201 with Helix CRO (illustrative demo: invented companies, counts and prices)",
        sponsor=sponsor,
        study=study,
        assumptions=scenario.assumptions,
        providers=[helix],
        contracts=[
            ProviderContract(
                provider=_CRO_ID, contract=Contract(original=proposal, change_orders=[amendment]), actuals=actuals
            )
        ],
        scope=scope,
        transfers=transfers,
        kpis=[
            KpiThreshold(kpi="crokit:enrolment-vs-plan", threshold="0.9", direction="at-least"),
            KpiThreshold(kpi="crokit:site-activation-vs-plan", threshold="0.9", direction="at-least"),
            KpiThreshold(kpi="crokit:invoice-accuracy", threshold="0.95", direction="at-least"),
            KpiThreshold(kpi="crokit:query-turnaround-days", threshold="10", direction="at-most"),
        ],
        observations=[
            KpiObservation(kpi="crokit:query-turnaround-days", month=start + relativedelta(months=10), value="9.5"),
            KpiObservation(kpi="crokit:query-turnaround-days", month=start + relativedelta(months=11), value="12"),
        ],
        fx=scenario.fx,
    )
