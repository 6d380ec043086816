"""The vocabulary crokit ships with: CRO categories, services, therapeutic areas, agencies.

These built-in entries give every crokit user the same starting words for what CROs
sell, how they are organised, which therapeutic areas the published benchmark sources
name, which agencies regulate the work and which submissions gate each stage. All ids
live in the ``crokit:`` namespace. The descriptions are crokit's own wording, written
for people who buy or sell CRO services; they summarise common industry practice and
are not quotations from any agency or vendor.

The set is open: a downstream package adds its own services, areas, categories,
agencies or engagement models (in its own namespace, ``acme:vector-shedding``) by
registering new instances through the :class:`~crokit.Registry`. Nothing here is meant
to be subclassed or edited in place; every constant is an immutable tuple of frozen
values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from crokit.vocabulary.ids import (
    AreaId,
    CategoryId,
    EngagementModelId,
    RegulatorId,
    ServiceId,
    SubmissionId,
)
from crokit.vocabulary.lifecycle import Stage
from crokit.vocabulary.terms import (
    CroCategory,
    EngagementModel,
    Regulator,
    Service,
    Submission,
    TherapeuticArea,
    UnitBasis,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "BUILTIN_AREAS",
    "BUILTIN_CATEGORIES",
    "BUILTIN_ENGAGEMENT_MODELS",
    "BUILTIN_REGULATORS",
    "BUILTIN_SERVICES",
    "BUILTIN_SUBMISSIONS",
]


# The entry classes convert their collection fields with ``converter=tuple`` or
# ``converter=frozenset``, which mypy's attrs plugin types as an unbound
# ``Iterable[_T_co]`` that no argument satisfies. These factories give each field its
# real type and hand the converted collections over untyped.


def _service(
    *,
    id: str,  # noqa: A002 - "id" is the field's name
    name: str,
    description: str,
    stages: Iterable[Stage],
    categories: Iterable[CategoryId],
    unit_bases: Iterable[UnitBasis],
) -> Service:
    collections: dict[str, Any] = {
        "stages": frozenset(stages),
        "categories": tuple(categories),
        "unit_bases": frozenset(unit_bases),
    }
    return Service(id=ServiceId(id), name=name, description=description, **collections)


def _category(
    *,
    id: CategoryId,  # noqa: A002 - "id" is the field's name
    name: str,
    description: str,
    stages: Iterable[Stage],
    typical_services: Iterable[ServiceId],
    focus_areas: Iterable[AreaId] = (),
) -> CroCategory:
    collections: dict[str, Any] = {
        "stages": frozenset(stages),
        "typical_services": tuple(typical_services),
        "focus_areas": tuple(focus_areas),
    }
    return CroCategory(id=id, name=name, description=description, **collections)


def _area(
    *,
    id: str,  # noqa: A002 - "id" is the field's name
    name: str,
    aliases: Iterable[str],
    parent: AreaId | None = None,
) -> TherapeuticArea:
    collections: dict[str, Any] = {"aliases": tuple(aliases)}
    return TherapeuticArea(id=AreaId(id), name=name, parent=parent, **collections)


def _regulator(
    *,
    id: str,  # noqa: A002 - "id" is the field's name
    name: str,
    short_name: str,
    jurisdiction: Iterable[str],
) -> Regulator:
    collections: dict[str, Any] = {"jurisdiction": tuple(jurisdiction)}
    return Regulator(id=RegulatorId(id), name=name, short_name=short_name, **collections)


def _submission(
    *,
    id: str,  # noqa: A002 - "id" is the field's name
    name: str,
    short_name: str,
    regulators: Iterable[str],
    gates: Stage,
) -> Submission:
    collections: dict[str, Any] = {"regulators": tuple(RegulatorId(item) for item in regulators)}
    return Submission(id=SubmissionId(id), name=name, short_name=short_name, gates=gates, **collections)


def _services(*ids: str) -> tuple[ServiceId, ...]:
    return tuple(ServiceId(item) for item in ids)


def _areas(*ids: str) -> tuple[AreaId, ...]:
    return tuple(AreaId(item) for item in ids)


# --- stage groups ---------------------------------------------------------------------

_EARLY: Final = frozenset({Stage.DISCOVERY, Stage.PRECLINICAL})
_PHASES_1_TO_3: Final = frozenset({Stage.PHASE_1, Stage.PHASE_1_2, Stage.PHASE_2, Stage.PHASE_2_3, Stage.PHASE_3})
_CLINICAL: Final = _PHASES_1_TO_3 | {Stage.PHASE_4}
_POST_APPROVAL: Final = frozenset({Stage.APPROVAL, Stage.PHASE_4})

# --- category ids (used by the services below) ----------------------------------------

_FULL_SERVICE: Final = CategoryId("crokit:full-service")
_SPECIALTY: Final = CategoryId("crokit:specialty")
_PRECLINICAL: Final = CategoryId("crokit:preclinical")
_CLINICAL_OPERATIONS: Final = CategoryId("crokit:clinical-operations")
_POST_MARKET: Final = CategoryId("crokit:post-market")

# --- services -------------------------------------------------------------------------

_DESIGN_AND_WRITING: Final = (
    _service(
        id="crokit:protocol-design",
        name="Study and protocol design",
        description=(
            "Shaping the scientific and operational design of a study: objectives and endpoints, population, "
            "comparators, visit schedule, sample size and the feasibility of all of it at real sites."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _SPECIALTY),
        unit_bases={UnitBasis.PER_STUDY, UnitBasis.PER_HOUR},
    ),
    _service(
        id="crokit:protocol-writing",
        name="Protocol writing",
        description=(
            "Drafting the protocol document and its amendments to the ICH structure, including the synopsis, "
            "schedule of assessments and statistical section, ready for ethics and regulatory review."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _SPECIALTY),
        unit_bases={UnitBasis.PER_STUDY, UnitBasis.PER_HOUR},
    ),
    _service(
        id="crokit:medical-writing",
        name="Medical writing",
        description=(
            "Writing the regulated documents around a study and a dossier other than the protocol and the study "
            "report: investigator's brochures, informed consent forms, safety narratives and CTD summaries."
        ),
        stages=_CLINICAL | {Stage.PRECLINICAL, Stage.SUBMISSION},
        categories=(_FULL_SERVICE, _SPECIALTY, _POST_MARKET),
        unit_bases={UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH},
    ),
    _service(
        id="crokit:clinical-study-report",
        name="Clinical study report",
        description=(
            "Writing the ICH E3 clinical study report after database lock, from the statistical outputs, "
            "narratives and appendices, through review rounds to a signed final report."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _SPECIALTY),
        unit_bases={UnitBasis.PER_STUDY, UnitBasis.PER_HOUR},
    ),
)

_REGULATORY: Final = (
    _service(
        id="crokit:regulatory-strategy",
        name="Regulatory strategy",
        description=(
            "Planning the regulatory path of a program: which agencies and pathways, what evidence each expects, "
            "expedited or orphan designations, and preparing for scientific advice meetings."
        ),
        stages=_CLINICAL | {Stage.PRECLINICAL, Stage.SUBMISSION},
        categories=(_FULL_SERVICE, _SPECIALTY, _PRECLINICAL),
        unit_bases={UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH},
    ),
    _service(
        id="crokit:regulatory-submissions",
        name="Regulatory submissions",
        description=(
            "Compiling, publishing and filing applications to agencies and ethics committees (IND, CTA, "
            "marketing applications, amendments and annual reports), usually in eCTD format, and answering "
            "the agencies' questions."
        ),
        stages=_CLINICAL | {Stage.PRECLINICAL, Stage.SUBMISSION},
        categories=(_FULL_SERVICE, _SPECIALTY),
        unit_bases={UnitBasis.PER_COUNTRY, UnitBasis.PER_STUDY},
    ),
)

_SITES_AND_PATIENTS: Final = (
    _service(
        id="crokit:site-feasibility",
        name="Site feasibility",
        description=(
            "Testing whether a protocol can be run where planned: surveying countries and sites on patient "
            "numbers, competing studies, equipment and staff, and turning the answers into an enrolment forecast."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _SPECIALTY, _CLINICAL_OPERATIONS),
        unit_bases={UnitBasis.PER_SITE, UnitBasis.PER_COUNTRY, UnitBasis.PER_STUDY},
    ),
    _service(
        id="crokit:site-selection",
        name="Site selection",
        description=(
            "Choosing and qualifying the sites that will run the study, from shortlisting on past performance "
            "to qualification visits that check investigators, facilities and patient access."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _SPECIALTY, _CLINICAL_OPERATIONS),
        unit_bases={UnitBasis.PER_SITE},
    ),
    _service(
        id="crokit:site-start-up",
        name="Site start-up and contracting",
        description=(
            "Getting selected sites ready to enrol: ethics and institutional approvals, site contracts and "
            "budgets, essential documents, and the initiation visit that activates each site."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _CLINICAL_OPERATIONS),
        unit_bases={UnitBasis.PER_SITE, UnitBasis.PER_COUNTRY},
    ),
    _service(
        id="crokit:patient-recruitment",
        name="Patient recruitment",
        description=(
            "Finding and enrolling eligible patients beyond the sites' own lists: database and referral "
            "searches, advertising campaigns, pre-screening and support to sites that fall behind."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _SPECIALTY, _CLINICAL_OPERATIONS),
        unit_bases={
            UnitBasis.PER_PATIENT_SCREENED,
            UnitBasis.PER_PATIENT_ENROLLED,
            UnitBasis.PER_MONTH,
            UnitBasis.PASS_THROUGH,
        },
    ),
    _service(
        id="crokit:patient-retention",
        name="Patient retention",
        description=(
            "Keeping enrolled patients in the study to its end: visit reminders, travel and reimbursement "
            "support, patient materials and follow-up of those at risk of dropping out."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _CLINICAL_OPERATIONS),
        unit_bases={UnitBasis.PER_PATIENT_ENROLLED, UnitBasis.PER_MONTH, UnitBasis.PASS_THROUGH},
    ),
    _service(
        id="crokit:phase-1-unit",
        name="Phase 1 clinical pharmacology unit",
        description=(
            "Running first-in-human and other clinical pharmacology studies in the CRO's own inpatient unit, "
            "often in healthy volunteers, from dosing and intensive sampling to safety follow-up."
        ),
        stages={Stage.PHASE_1, Stage.PHASE_1_2},
        categories=(_FULL_SERVICE, _SPECIALTY),
        unit_bases={UnitBasis.PER_PATIENT_ENROLLED, UnitBasis.PER_STUDY},
    ),
)

_MONITORING_AND_MANAGEMENT: Final = (
    _service(
        id="crokit:on-site-monitoring",
        name="On-site monitoring",
        description=(
            "Clinical research associates visiting each site to verify source data, check consent and protocol "
            "compliance, review drug accountability and follow up issues with the site team."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _SPECIALTY, _CLINICAL_OPERATIONS),
        unit_bases={UnitBasis.PER_MONITORING_VISIT, UnitBasis.PER_ACTIVE_SITE_MONTH},
    ),
    _service(
        id="crokit:remote-monitoring",
        name="Remote monitoring",
        description=(
            "Monitoring a site without travelling to it: reviewing data and, where allowed, source documents "
            "through remote access, with regular calls to the site staff."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _CLINICAL_OPERATIONS),
        unit_bases={UnitBasis.PER_MONITORING_VISIT, UnitBasis.PER_ACTIVE_SITE_MONTH},
    ),
    _service(
        id="crokit:risk-based-monitoring",
        name="Risk-based monitoring (RBM)",
        description=(
            "Directing monitoring effort at what matters most for patient safety and data reliability, in the "
            "spirit of ICH E6: risk assessment, key risk indicators and central statistical review of all sites' "
            "data, which decide where and how often sites are visited."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _CLINICAL_OPERATIONS),
        unit_bases={UnitBasis.PER_STUDY, UnitBasis.PER_MONTH, UnitBasis.PER_ACTIVE_SITE_MONTH},
    ),
    _service(
        id="crokit:project-management",
        name="Project management",
        description=(
            "Leading the study or program for the sponsor: plans, timelines, budget tracking, vendor oversight, "
            "risk and issue management, and regular reporting to the sponsor's team."
        ),
        stages=_CLINICAL | {Stage.PRECLINICAL},
        categories=(_FULL_SERVICE, _SPECIALTY, _PRECLINICAL, _CLINICAL_OPERATIONS, _POST_MARKET),
        unit_bases={UnitBasis.PER_MONTH, UnitBasis.PER_FTE_MONTH},
    ),
    _service(
        id="crokit:medical-monitoring",
        name="Medical monitoring",
        description=(
            "Physician oversight of the study's medical conduct: answering eligibility and dosing questions from "
            "sites, reviewing adverse events and laboratory trends, and escalating safety concerns."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _SPECIALTY),
        unit_bases={UnitBasis.PER_MONTH, UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH},
    ),
    _service(
        id="crokit:dmc-support",
        name="Data monitoring committee support",
        description=(
            "Setting up and running an independent data monitoring committee: charter, member contracts, "
            "unblinded interim outputs from a separate statistician, and meeting logistics and minutes."
        ),
        stages=_CLINICAL - {Stage.PHASE_1},
        categories=(_FULL_SERVICE, _SPECIALTY),
        unit_bases={UnitBasis.PER_STUDY, UnitBasis.PER_HOUR, UnitBasis.PASS_THROUGH},
    ),
    _service(
        id="crokit:site-payments",
        name="Investigator grant management and site payments",
        description=(
            "Administering what sites are owed: turning the site budgets into a payment schedule, reconciling "
            "visits against the database, paying sites on time in their currency and reporting accruals."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _CLINICAL_OPERATIONS),
        unit_bases={UnitBasis.PER_MONTH, UnitBasis.PER_ACTIVE_SITE_MONTH},
    ),
    _service(
        id="crokit:etmf",
        name="Trial master file (eTMF) management",
        description=(
            "Keeping the trial master file complete and inspection-ready: filing, indexing and quality-checking "
            "essential documents in an electronic TMF through the study and handing it over at close."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _CLINICAL_OPERATIONS),
        unit_bases={UnitBasis.PER_STUDY, UnitBasis.PER_MONTH},
    ),
    _service(
        id="crokit:quality-assurance",
        name="Quality assurance and audits",
        description=(
            "Independent checks that work follows GLP, GCP and the agreed procedures: site, vendor, system and "
            "document audits, corrective action follow-up and readiness for regulatory inspections."
        ),
        stages=_CLINICAL | {Stage.PRECLINICAL, Stage.SUBMISSION},
        categories=(_FULL_SERVICE, _SPECIALTY, _PRECLINICAL, _CLINICAL_OPERATIONS, _POST_MARKET),
        unit_bases={UnitBasis.PER_SITE, UnitBasis.PER_HOUR, UnitBasis.PER_STUDY},
    ),
)

_DATA_AND_TECHNOLOGY: Final = (
    _service(
        id="crokit:data-management",
        name="Data management",
        description=(
            "Turning what sites record into a clean, locked database: case report form and edit-check design, "
            "data review and queries, medical coding, external data reconciliation and database lock."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _SPECIALTY, _POST_MARKET),
        unit_bases={UnitBasis.PER_PAGE, UnitBasis.PER_MONTH, UnitBasis.PER_FTE_MONTH},
    ),
    _service(
        id="crokit:edc",
        name="Electronic data capture (EDC)",
        description=(
            "Building, validating, hosting and supporting the electronic case report forms that sites enter "
            "study data into, with licences and helpdesk for the study's duration."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _POST_MARKET),
        unit_bases={UnitBasis.PER_STUDY, UnitBasis.PER_MONTH, UnitBasis.PER_PATIENT_ENROLLED},
    ),
    _service(
        id="crokit:ecoa",
        name="Electronic clinical outcome assessment (eCOA/ePRO)",
        description=(
            "Capturing questionnaires and diaries electronically from patients, clinicians and observers, "
            "including licensed instrument migration, translations, devices or app provisioning, and compliance "
            "tracking."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE,),
        unit_bases={UnitBasis.PER_STUDY, UnitBasis.PER_MONTH, UnitBasis.PER_PATIENT_ENROLLED},
    ),
    _service(
        id="crokit:irt",
        name="Interactive response technology (IRT)",
        description=(
            "The system that randomises patients, assigns blinded kits at each visit and drives resupply of "
            "investigational product to sites and depots."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE,),
        unit_bases={UnitBasis.PER_STUDY, UnitBasis.PER_MONTH, UnitBasis.PER_PATIENT_ENROLLED},
    ),
    _service(
        id="crokit:dct-tools",
        name="Decentralised-trial (DCT) tools",
        description=(
            "Tools and services that move study activities closer to patients: electronic consent, "
            "telemedicine visits, home nursing, wearables and shipping study drug direct to patients."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _CLINICAL_OPERATIONS),
        unit_bases={UnitBasis.PER_STUDY, UnitBasis.PER_MONTH, UnitBasis.PER_PATIENT_VISIT},
    ),
)

_SUPPLY_AND_LABS: Final = (
    _service(
        id="crokit:clinical-trial-supply",
        name="Clinical trial supply and logistics",
        description=(
            "Getting investigational product and comparators to sites under the right conditions: comparator "
            "sourcing, depot storage, temperature-controlled distribution, returns and destruction."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _CLINICAL_OPERATIONS),
        unit_bases={UnitBasis.PER_MONTH, UnitBasis.PER_SITE, UnitBasis.PASS_THROUGH},
    ),
    _service(
        id="crokit:central-lab",
        name="Central laboratory",
        description=(
            "One laboratory network analysing the study's safety and routine samples from every site with the "
            "same methods and reference ranges, supplying the sample kits and the results feed."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE,),
        unit_bases={UnitBasis.PER_SAMPLE, UnitBasis.PER_PATIENT_VISIT, UnitBasis.PASS_THROUGH},
    ),
    _service(
        id="crokit:specialty-lab",
        name="Specialty laboratory",
        description=(
            "Analyses beyond routine safety tests: biomarkers, genomics, flow cytometry, immunogenicity and "
            "other esoteric assays, in nonclinical or clinical samples."
        ),
        stages=_PHASES_1_TO_3 | {Stage.PRECLINICAL},
        categories=(_SPECIALTY, _PRECLINICAL),
        unit_bases={UnitBasis.PER_SAMPLE, UnitBasis.PER_STUDY},
    ),
    _service(
        id="crokit:medical-imaging",
        name="Medical imaging",
        description=(
            "Central handling of study scans: qualifying site scanners, collecting and checking images, and "
            "independent blinded reads against criteria such as RECIST."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _SPECIALTY),
        unit_bases={UnitBasis.PER_PATIENT_VISIT, UnitBasis.PER_SITE, UnitBasis.PER_MONTH},
    ),
)

_BIOMETRICS: Final = (
    _service(
        id="crokit:biostatistics",
        name="Biostatistics",
        description=(
            "Statistical input from design to results: sample size, randomisation scheme, the statistical "
            "analysis plan, interim and final analyses, and interpretation for reports and submissions."
        ),
        stages=_CLINICAL | {Stage.SUBMISSION},
        categories=(_FULL_SERVICE, _SPECIALTY, _POST_MARKET),
        unit_bases={UnitBasis.PER_TABLE, UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH},
    ),
    _service(
        id="crokit:statistical-programming",
        name="Statistical programming",
        description=(
            "Programming the analysis: CDISC SDTM and ADaM datasets, the tables, listings and figures, their "
            "independent validation, and the define files a submission needs."
        ),
        stages=_CLINICAL | {Stage.SUBMISSION},
        categories=(_FULL_SERVICE, _SPECIALTY, _POST_MARKET),
        unit_bases={UnitBasis.PER_TABLE, UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH},
    ),
)

_SAFETY_AND_POST_MARKET: Final = (
    _service(
        id="crokit:pharmacovigilance",
        name="Pharmacovigilance (clinical safety)",
        description=(
            "Handling safety information from clinical studies: serious adverse event intake and assessment, "
            "expedited reporting of suspected unexpected serious reactions, and annual safety reports."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _SPECIALTY, _POST_MARKET),
        unit_bases={UnitBasis.PER_MONTH, UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH},
    ),
    _service(
        id="crokit:post-marketing-pharmacovigilance",
        name="Post-marketing pharmacovigilance",
        description=(
            "Safety surveillance of a marketed product: case processing from spontaneous and literature "
            "reports, periodic safety reports, signal management, risk management plans and the qualified "
            "person for pharmacovigilance role."
        ),
        stages=_POST_APPROVAL,
        categories=(_FULL_SERVICE, _POST_MARKET),
        unit_bases={UnitBasis.PER_MONTH, UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH},
    ),
    _service(
        id="crokit:real-world-evidence",
        name="Real-world evidence",
        description=(
            "Evidence from data collected outside trials, such as health records, claims and registries, to "
            "describe use, safety and value after launch, or to build external comparators for a submission."
        ),
        stages={Stage.SUBMISSION, Stage.APPROVAL, Stage.PHASE_4},
        categories=(_FULL_SERVICE, _POST_MARKET),
        unit_bases={UnitBasis.PER_STUDY, UnitBasis.PER_MONTH, UnitBasis.PER_FTE_MONTH},
    ),
    _service(
        id="crokit:registries",
        name="Registries and observational studies",
        description=(
            "Running non-interventional studies and patient registries, including post-authorisation safety "
            "studies, in which patients are treated as in routine care and only observed."
        ),
        stages={Stage.PHASE_4},
        categories=(_FULL_SERVICE, _POST_MARKET),
        unit_bases={UnitBasis.PER_PATIENT_ENROLLED, UnitBasis.PER_ACTIVE_SITE_MONTH, UnitBasis.PER_MONTH},
    ),
)

_NONCLINICAL: Final = (
    _service(
        id="crokit:toxicology",
        name="Toxicology",
        description=(
            "GLP safety studies that support first dosing in humans and later trials: single and repeat-dose "
            "toxicity, genotoxicity and, as a program advances, reproductive and carcinogenicity studies."
        ),
        stages={Stage.PRECLINICAL},
        categories=(_PRECLINICAL,),
        unit_bases={UnitBasis.PER_STUDY},
    ),
    _service(
        id="crokit:safety-pharmacology",
        name="Safety pharmacology",
        description=(
            "Studies of a candidate's effect on vital functions, chiefly the cardiovascular, respiratory and "
            "central nervous systems, as a regulator expects before first dosing in humans."
        ),
        stages={Stage.PRECLINICAL},
        categories=(_PRECLINICAL,),
        unit_bases={UnitBasis.PER_STUDY},
    ),
    _service(
        id="crokit:animal-studies",
        name="Animal studies (in vivo pharmacology)",
        description=(
            "Testing a candidate in animal disease models to show that it works and to find active doses, "
            "before and alongside the regulated safety studies."
        ),
        stages=_EARLY,
        categories=(_PRECLINICAL,),
        unit_bases={UnitBasis.PER_STUDY},
    ),
    _service(
        id="crokit:assay-development",
        name="Assay development",
        description=(
            "Creating and validating the laboratory methods that measure a drug, its effect or a biomarker, so "
            "that later nonclinical and clinical samples can be analysed reliably."
        ),
        stages=_EARLY | _PHASES_1_TO_3,
        categories=(_SPECIALTY, _PRECLINICAL),
        unit_bases={UnitBasis.PER_STUDY, UnitBasis.PER_HOUR, UnitBasis.PER_FTE_MONTH},
    ),
    _service(
        id="crokit:bioanalysis",
        name="Bioanalysis",
        description=(
            "Measuring drug, metabolite and anti-drug antibody levels in nonclinical and clinical samples under "
            "GLP or GCP, with validated methods, to support pharmacokinetic and immunogenicity analyses."
        ),
        stages=_PHASES_1_TO_3 | {Stage.PRECLINICAL},
        categories=(_SPECIALTY, _PRECLINICAL),
        unit_bases={UnitBasis.PER_SAMPLE, UnitBasis.PER_STUDY},
    ),
    _service(
        id="crokit:dmpk",
        name="Drug metabolism and pharmacokinetics (DMPK)",
        description=(
            "In vitro and in vivo studies of how a candidate is absorbed, distributed, metabolised and "
            "excreted, used to pick candidates and predict human doses and drug interactions."
        ),
        stages=_EARLY,
        categories=(_PRECLINICAL,),
        unit_bases={UnitBasis.PER_STUDY, UnitBasis.PER_SAMPLE},
    ),
)

_PASS_THROUGH: Final = (
    _service(
        id="crokit:investigator-grants",
        name="Investigator grants",
        description=(
            "What sites are paid for the work they do per patient (procedures, visits, screen failures) and for "
            "start-up and close-out; the CRO passes the cost to the sponsor at cost, often with a management fee."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _SPECIALTY, _CLINICAL_OPERATIONS),
        unit_bases={UnitBasis.PASS_THROUGH, UnitBasis.PER_PATIENT_VISIT},
    ),
    _service(
        id="crokit:pass-through-expenses",
        name="Pass-through expenses",
        description=(
            "Third-party costs the CRO incurs for the study and bills at cost: staff travel, lab kits, couriers, "
            "translations, meeting costs and similar, sometimes with a handling fee."
        ),
        stages=_CLINICAL,
        categories=(_FULL_SERVICE, _SPECIALTY, _CLINICAL_OPERATIONS, _POST_MARKET),
        unit_bases={UnitBasis.PASS_THROUGH},
    ),
)

BUILTIN_SERVICES: Final[tuple[Service, ...]] = (
    *_DESIGN_AND_WRITING,
    *_REGULATORY,
    *_SITES_AND_PATIENTS,
    *_MONITORING_AND_MANAGEMENT,
    *_DATA_AND_TECHNOLOGY,
    *_SUPPLY_AND_LABS,
    *_BIOMETRICS,
    *_SAFETY_AND_POST_MARKET,
    *_NONCLINICAL,
    *_PASS_THROUGH,
)
"""The services CROs sell, from toxicology to post-marketing pharmacovigilance, with the
stages each applies to, the categories that usually offer it and how it is usually priced."""

# --- categories -----------------------------------------------------------------------

BUILTIN_CATEGORIES: Final[tuple[CroCategory, ...]] = (
    _category(
        id=_FULL_SERVICE,
        name="Full-service CRO",
        description=(
            "Runs clinical studies end to end from Phase 1 to Phase 4, from protocol and sites through data, "
            "statistics and safety to the study report and submission support, under one contract."
        ),
        stages=_CLINICAL | {Stage.SUBMISSION},
        typical_services=_services(
            "crokit:protocol-design",
            "crokit:protocol-writing",
            "crokit:medical-writing",
            "crokit:clinical-study-report",
            "crokit:regulatory-strategy",
            "crokit:regulatory-submissions",
            "crokit:site-feasibility",
            "crokit:site-selection",
            "crokit:site-start-up",
            "crokit:patient-recruitment",
            "crokit:patient-retention",
            "crokit:phase-1-unit",
            "crokit:on-site-monitoring",
            "crokit:remote-monitoring",
            "crokit:risk-based-monitoring",
            "crokit:project-management",
            "crokit:medical-monitoring",
            "crokit:dmc-support",
            "crokit:site-payments",
            "crokit:etmf",
            "crokit:quality-assurance",
            "crokit:data-management",
            "crokit:edc",
            "crokit:ecoa",
            "crokit:irt",
            "crokit:dct-tools",
            "crokit:clinical-trial-supply",
            "crokit:central-lab",
            "crokit:medical-imaging",
            "crokit:biostatistics",
            "crokit:statistical-programming",
            "crokit:pharmacovigilance",
            "crokit:post-marketing-pharmacovigilance",
            "crokit:real-world-evidence",
            "crokit:registries",
            "crokit:investigator-grants",
            "crokit:pass-through-expenses",
        ),
    ),
    _category(
        id=_SPECIALTY,
        name="Specialty (niche) CRO",
        description=(
            "Concentrates on one therapeutic area, modality or technique, such as oncology, rare disease, cell "
            "and gene therapy or medical imaging, and brings investigators, endpoints and laboratory methods "
            "that a generalist may lack."
        ),
        stages=_CLINICAL | {Stage.PRECLINICAL, Stage.SUBMISSION},
        typical_services=_services(
            "crokit:protocol-design",
            "crokit:protocol-writing",
            "crokit:medical-writing",
            "crokit:clinical-study-report",
            "crokit:regulatory-strategy",
            "crokit:regulatory-submissions",
            "crokit:site-feasibility",
            "crokit:site-selection",
            "crokit:patient-recruitment",
            "crokit:phase-1-unit",
            "crokit:on-site-monitoring",
            "crokit:project-management",
            "crokit:medical-monitoring",
            "crokit:dmc-support",
            "crokit:quality-assurance",
            "crokit:data-management",
            "crokit:specialty-lab",
            "crokit:medical-imaging",
            "crokit:biostatistics",
            "crokit:statistical-programming",
            "crokit:pharmacovigilance",
            "crokit:assay-development",
            "crokit:bioanalysis",
            "crokit:investigator-grants",
            "crokit:pass-through-expenses",
        ),
        focus_areas=_areas(
            "crokit:oncology",
            "crokit:rare-disease",
            "crokit:cell-and-gene-therapy",
            "crokit:central-nervous-system",
            "crokit:infectious-disease",
            "crokit:vaccines",
            "crokit:dermatology",
            "crokit:ophthalmology",
            "crokit:medical-devices",
        ),
    ),
    _category(
        id=_PRECLINICAL,
        name="Preclinical CRO",
        description=(
            "Laboratory and animal work before and around first dosing in humans: pharmacology models, DMPK, "
            "GLP toxicology and safety pharmacology, assay development and bioanalysis."
        ),
        stages=_EARLY,
        typical_services=_services(
            "crokit:regulatory-strategy",
            "crokit:project-management",
            "crokit:quality-assurance",
            "crokit:specialty-lab",
            "crokit:toxicology",
            "crokit:safety-pharmacology",
            "crokit:animal-studies",
            "crokit:assay-development",
            "crokit:bioanalysis",
            "crokit:dmpk",
        ),
    ),
    _category(
        id=_CLINICAL_OPERATIONS,
        name="Clinical operations / site management (SMO-like)",
        description=(
            "The hands-on running of trials at sites: feasibility and site selection, start-up, patient "
            "recruitment and retention, monitoring, site payments and trial logistics, often alongside a "
            "sponsor or another CRO that owns data and statistics."
        ),
        stages=_CLINICAL,
        typical_services=_services(
            "crokit:site-feasibility",
            "crokit:site-selection",
            "crokit:site-start-up",
            "crokit:patient-recruitment",
            "crokit:patient-retention",
            "crokit:on-site-monitoring",
            "crokit:remote-monitoring",
            "crokit:risk-based-monitoring",
            "crokit:project-management",
            "crokit:site-payments",
            "crokit:etmf",
            "crokit:quality-assurance",
            "crokit:dct-tools",
            "crokit:clinical-trial-supply",
            "crokit:investigator-grants",
            "crokit:pass-through-expenses",
        ),
    ),
    _category(
        id=_POST_MARKET,
        name="Post-market CRO",
        description=(
            "Work after approval: Phase 4 and observational studies, registries, real-world evidence and the "
            "pharmacovigilance a marketed product needs."
        ),
        stages=_POST_APPROVAL,
        typical_services=_services(
            "crokit:medical-writing",
            "crokit:project-management",
            "crokit:quality-assurance",
            "crokit:data-management",
            "crokit:edc",
            "crokit:biostatistics",
            "crokit:statistical-programming",
            "crokit:pharmacovigilance",
            "crokit:post-marketing-pharmacovigilance",
            "crokit:real-world-evidence",
            "crokit:registries",
            "crokit:pass-through-expenses",
        ),
    ),
)
"""Kinds of CRO. Not exclusive: one provider may belong to several (a specialty oncology
CRO is usually clinical too). A CDMO is not a CRO category; see
:class:`~crokit.vocabulary.ProviderKind`."""

# --- therapeutic areas ----------------------------------------------------------------

_ONCOLOGY: Final = AreaId("crokit:oncology")
_CNS: Final = AreaId("crokit:central-nervous-system")
_GASTROENTEROLOGY: Final = AreaId("crokit:gastroenterology")

BUILTIN_AREAS: Final[tuple[TherapeuticArea, ...]] = (
    _area(id=_ONCOLOGY, name="Oncology", aliases=("oncology", "cancer")),
    _area(
        id="crokit:solid-tumors",
        name="Solid tumors",
        aliases=("solid-tumors", "solid tumors", "solid tumours"),
        parent=_ONCOLOGY,
    ),
    _area(
        id="crokit:hematologic-cancers",
        name="Hematologic cancers",
        aliases=(
            "hematologic-cancers",
            "hematologic malignancies",
            "haematological malignancies",
            "blood cancers",
            "hemato-oncology",
        ),
        parent=_ONCOLOGY,
    ),
    # Non-malignant blood disorders (anaemias, haemophilia, ...): the BIO and Sertkaya
    # sources list hematology apart from oncology, which holds the blood cancers.
    _area(
        id="crokit:hematology",
        name="Hematology",
        aliases=("hematology", "haematology", "non-malignant hematology", "benign hematology"),
    ),
    _area(
        id=_CNS,
        name="Central nervous system",
        aliases=("central-nervous-system", "central nervous system", "CNS", "neuroscience", "neurosciences"),
    ),
    _area(id="crokit:neurology", name="Neurology", aliases=("neurology", "neurological"), parent=_CNS),
    _area(
        id="crokit:psychiatry",
        name="Psychiatry",
        aliases=("psychiatry", "psychiatric", "mental health"),
        parent=_CNS,
    ),
    _area(
        id="crokit:infectious-disease",
        name="Infectious disease",
        aliases=(
            "anti-infective",
            "anti-infectives",
            "infectious-disease",
            "Infectious Disease",
            "infectious diseases",
        ),
    ),
    _area(id="crokit:vaccines", name="Vaccines", aliases=("vaccine",)),
    _area(
        id="crokit:immunology",
        name="Immunology and inflammation",
        aliases=(
            "autoimmune-immunology",
            "immunomodulation",
            "immunology",
            "autoimmune",
            "autoimmune disease",
            "immunology and inflammation",
            "I&I",
        ),
    ),
    _area(
        id=_GASTROENTEROLOGY,
        name="Gastroenterology",
        aliases=("gastroenterology", "gastrointestinal", "GI", "digestive diseases"),
    ),
    _area(
        id="crokit:hepatology",
        name="Hepatology",
        aliases=("hepatology", "liver disease"),
        parent=_GASTROENTEROLOGY,
    ),
    _area(id="crokit:metabolic", name="Metabolic", aliases=("metabolic", "metabolism", "metabolic disorders")),
    _area(id="crokit:endocrine", name="Endocrine", aliases=("endocrine", "endocrinology")),
    _area(id="crokit:cardiovascular", name="Cardiovascular", aliases=("cardiovascular", "cardiology", "CV")),
    _area(id="crokit:respiratory", name="Respiratory", aliases=("respiratory", "pulmonology", "pulmonary")),
    _area(id="crokit:nephrology", name="Nephrology", aliases=("nephrology", "renal", "kidney disease")),
    _area(id="crokit:genitourinary", name="Genitourinary", aliases=("genitourinary", "GU", "urology")),
    _area(
        id="crokit:womens-health",
        name="Women's health",
        aliases=("women's health", "womens health", "obstetrics and gynecology", "OB/GYN"),
    ),
    _area(id="crokit:musculoskeletal", name="Musculoskeletal", aliases=("musculoskeletal", "MSK")),
    _area(
        id="crokit:pain-and-anesthesia",
        name="Pain and anesthesia",
        aliases=("pain-and-anesthesia", "pain and anesthesia", "pain and anaesthesia", "pain", "analgesia"),
    ),
    _area(id="crokit:dermatology", name="Dermatology", aliases=("dermatology",)),
    _area(id="crokit:ophthalmology", name="Ophthalmology", aliases=("ophthalmology", "ophthalmic", "eye")),
    # Cross-cutting groups that sources and CROs treat as areas of expertise.
    _area(
        id="crokit:rare-disease",
        name="Rare disease",
        aliases=("rare-disease", "rare diseases", "orphan diseases", "orphan"),
    ),
    _area(
        id="crokit:cell-and-gene-therapy",
        name="Cell and gene therapy",
        aliases=(
            "cell and gene therapy",
            "CGT",
            "gene therapy",
            "cell therapy",
            "ATMP",
            "advanced therapies",
        ),
    ),
    _area(
        id="crokit:medical-devices",
        name="Medical devices",
        aliases=("medical devices", "medical device", "medtech", "devices"),
    ),
)
"""Therapeutic areas, one canonical id each. The aliases hold the literal names the
shipped reference sources use (BIO 2016 and 2021 success-rate reports, Sertkaya et al.
2024) so that a lookup by a source's own name finds the canonical area."""

# --- regulators -----------------------------------------------------------------------

# fmt: off
_EU_MEMBER_STATES: Final = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
)
# fmt: on
"""The 27 EU member states as ISO 3166 alpha-2 codes (Greece is ``GR`` in ISO, ``EL`` in EU usage)."""
_EEA_EFTA_STATES: Final = ("IS", "LI", "NO")
"""Iceland, Liechtenstein and Norway, which follow the EU medicines framework through the EEA."""

BUILTIN_REGULATORS: Final[tuple[Regulator, ...]] = (
    _regulator(id="crokit:fda", name="Food and Drug Administration", short_name="FDA", jurisdiction=("US",)),
    # The EMA evaluates centralised marketing applications; clinical trials in the EU are
    # authorised by the member states' national competent authorities through CTIS.
    _regulator(
        id="crokit:ema",
        name="European Medicines Agency",
        short_name="EMA",
        jurisdiction=(*_EU_MEMBER_STATES, *_EEA_EFTA_STATES),
    ),
    _regulator(
        id="crokit:mhra",
        name="Medicines and Healthcare products Regulatory Agency",
        short_name="MHRA",
        jurisdiction=("GB",),
    ),
    # The PMDA reviews applications; the Ministry of Health, Labour and Welfare (MHLW)
    # grants the approval on the PMDA's review.
    _regulator(
        id="crokit:pmda",
        name="Pharmaceuticals and Medical Devices Agency",
        short_name="PMDA",
        jurisdiction=("JP",),
    ),
    _regulator(id="crokit:health-canada", name="Health Canada", short_name="Health Canada", jurisdiction=("CA",)),
    _regulator(
        id="crokit:nmpa",
        name="National Medical Products Administration",
        short_name="NMPA",
        jurisdiction=("CN",),
    ),
    _regulator(id="crokit:tga", name="Therapeutic Goods Administration", short_name="TGA", jurisdiction=("AU",)),
    _regulator(
        id="crokit:swissmedic",
        name="Swiss Agency for Therapeutic Products",
        short_name="Swissmedic",
        jurisdiction=("CH",),
    ),
    _regulator(
        id="crokit:anvisa",
        name="Brazilian Health Regulatory Agency (Agência Nacional de Vigilância Sanitária)",
        short_name="ANVISA",
        jurisdiction=("BR",),
    ),
    _regulator(
        id="crokit:cdsco",
        name="Central Drugs Standard Control Organisation",
        short_name="CDSCO",
        jurisdiction=("IN",),
    ),
)
"""Agencies that regulate clinical research and marketing authorisation, with the
countries each covers (ISO 3166 alpha-2)."""

# --- submissions ----------------------------------------------------------------------

BUILTIN_SUBMISSIONS: Final[tuple[Submission, ...]] = (
    _submission(
        id="crokit:ind",
        name="Investigational New Drug application",
        short_name="IND",
        regulators=("crokit:fda",),
        gates=Stage.PHASE_1,
    ),
    # In the EU the CTA goes through CTIS to the member states concerned; the UK and
    # Canada also call their trial application a CTA.
    _submission(
        id="crokit:cta",
        name="Clinical Trial Application",
        short_name="CTA",
        regulators=("crokit:ema", "crokit:mhra", "crokit:health-canada"),
        gates=Stage.PHASE_1,
    ),
    _submission(
        id="crokit:ctn",
        name="Clinical Trial Notification",
        short_name="CTN",
        regulators=("crokit:tga",),
        gates=Stage.PHASE_1,
    ),
    _submission(
        id="crokit:nda",
        name="New Drug Application",
        short_name="NDA",
        regulators=("crokit:fda",),
        gates=Stage.APPROVAL,
    ),
    _submission(
        id="crokit:bla",
        name="Biologics License Application",
        short_name="BLA",
        regulators=("crokit:fda",),
        gates=Stage.APPROVAL,
    ),
    _submission(
        id="crokit:maa",
        name="Marketing Authorisation Application",
        short_name="MAA",
        regulators=("crokit:ema", "crokit:mhra"),
        gates=Stage.APPROVAL,
    ),
    _submission(
        id="crokit:j-nda",
        name="Japanese New Drug Application",
        short_name="J-NDA",
        regulators=("crokit:pmda",),
        gates=Stage.APPROVAL,
    ),
    _submission(
        id="crokit:nds",
        name="New Drug Submission",
        short_name="NDS",
        regulators=("crokit:health-canada",),
        gates=Stage.APPROVAL,
    ),
)
"""Submissions that gate a stage: the trial applications that open Phase 1 in a
jurisdiction and the marketing applications that lead to approval."""

# --- engagement models ----------------------------------------------------------------

_FSP: Final = EngagementModelId("crokit:fsp")

BUILTIN_ENGAGEMENT_MODELS: Final[tuple[EngagementModel, ...]] = (
    EngagementModel(
        id=EngagementModelId("crokit:fso"),
        name="Full-service outsourcing (FSO)",
        description=(
            "The CRO runs a whole study, or a program of studies, across functions under its own processes and "
            "systems, priced per unit or by milestone. The CRO carries the risk of delivering the contracted "
            "scope on time and within budget; the sponsor carries the risk of scope changes, which come back "
            "as change orders, and remains legally responsible for the study."
        ),
    ),
    EngagementModel(
        id=_FSP,
        name="Functional service provision (FSP)",
        description=(
            "The CRO provides one function, such as biostatistics, data management or monitoring, across many "
            "of the sponsor's studies under a multi-year agreement, while the sponsor keeps study leadership. "
            "The sponsor carries study delivery risk; the CRO carries the risk of staffing and running the "
            "function."
        ),
    ),
    EngagementModel(
        id=EngagementModelId("crokit:fsp-functional"),
        name="Functional outsourcing (outcome-based FSP)",
        description=(
            "The CRO takes over a whole function and is paid for its output, per deliverable or unit, with "
            "service levels on quality and turnaround. The CRO carries the risk of producing the function's "
            "deliverables as agreed; the sponsor carries the volume of work and the hand-offs between this "
            "function and the rest of each study."
        ),
        parent=_FSP,
    ),
    EngagementModel(
        id=EngagementModelId("crokit:fsp-staff-augmentation"),
        name="Staff augmentation (FTE-based FSP)",
        description=(
            "The CRO supplies people who work inside the sponsor's processes and systems under the sponsor's "
            "direction, billed per full-time equivalent at role rates. The sponsor carries the delivery risk; "
            "the CRO carries the risk of filling roles with qualified staff, replacing leavers and keeping them "
            "utilised."
        ),
        parent=_FSP,
    ),
    EngagementModel(
        id=EngagementModelId("crokit:hybrid"),
        name="Hybrid outsourcing",
        description=(
            "A mix of the two in one sponsor's portfolio: some studies outsourced full-service, while functions "
            "of other studies, or carved-out functions of the same studies, are bought as FSP. Each provider "
            "carries the risk of the model it works under for its part; the sponsor carries the integration "
            "risk across providers and its own in-house teams."
        ),
    ),
)
"""How sponsors engage CROs: full-service, functional service provision and its two
usual variants, and the hybrid of the two."""
