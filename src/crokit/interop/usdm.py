"""Read a CDISC USDM (Unified Study Definitions Model) v3 or v4 API JSON file into a Study.

USDM is the CDISC/TransCelerate Digital Data Flow model of a study protocol. Its API
JSON wraps one study: ``{"study": {...}, "usdmVersion": "4.0.0", ...}``. This reader
takes from the first study version and its first study design:

- ``name``: ``study.name``, else the brief or official title;
- ``protocol_id`` and ``sponsor``: the study identifier scoped by the sponsor
  organisation (the organisation of the ``Sponsor`` study role, else the one typed
  ``Clinical Study Sponsor``, NCI C70793); the sponsor's ``label``, else its ``name``;
- ``phase``: the NCI code of ``studyPhase`` (design, or version in USDM v3) through
  :func:`~crokit.vocabulary.codes.stage_from_nci`;
- ``therapeutic_area``: ``crokit:rare-disease`` if an indication is flagged
  ``isRareDisease``; else a ``therapeuticAreas`` or ``businessTherapeuticAreas`` code or
  decode the registry knows as an area; else a coded area or indication code (SNOMED
  CT, ICD-10, MeSH, MedDRA) through crokit's cited area code table
  (``crokit/interop/area_codes.toml``); otherwise a word of
  :data:`~crokit.interop._lookup.AREA_KEYWORDS` in those decodes or in the indications
  (each reported in the notes);
- ``indication``: the indications' labels (else descriptions, names, code decodes);
- ``planned_patients``: ``population.plannedEnrollmentNumber`` (a number, a Quantity,
  or a Range, of which the maximum is used), else the sum over the population's cohorts;
- ``sites`` and ``countries``: the organisations' ``managedSites`` (USDM v4 study sites)
  and every geographic scope of type Country; regions and "Global" are reported, not
  turned into countries; a site without a country is placed at its organisation's
  legal address, and a study with no country at all at the sponsor's (assumptions);
  an amendment's enrolments are only reported, and placeholders in them (0
  participants) are listed as not read;
- ``start_date``: a governance date (``dateValues``) of the version or of the protocol
  document, preferring a start date, then an approval date, then an effective date,
  then the earliest;
- ``visits``: the encounters in schedule order (their ``previousId``/``nextId`` chain).
  Study days come from the main schedule timeline's timings: the ``Fixed Reference``
  timing (usually first dose) is day 1, and offsets follow the SDTM study-day
  convention (no day 0: 14 days after day 1 is day 15, 14 days before it is day -14);
  a visit window is the larger of the timing's ``windowLower`` and ``windowUpper`` in
  whole days; the kind comes from the encounter's label and its epoch's type;
  procedures are the names of the activities scheduled at the encounter.

Everything else a Study needs (currency, rates, services, complexity, CRF pages) is not
in a protocol and is filled from :class:`~crokit.interop.ImportDefaults`, each as an
:class:`~crokit.interop.Assumption` in the report.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Final

import attrs

from crokit.errors import ValidationError
from crokit.interop._collect import Collector
from crokit.interop._node import Node, describe, first_text, load_json
from crokit.interop._usdm_code import is_code, read_code
from crokit.interop._usdm_design import (
    read_area,
    read_indication,
    read_patients,
    read_phase,
    read_sites_and_countries,
    read_start_date,
)
from crokit.interop._usdm_schedule import note_arms, read_visits
from crokit.interop.report import ImportDefaults, ImportReport
from crokit.registry import Registry, default_registry
from crokit.serialization import read_text
from crokit.study import Study

__all__ = ["SUPPORTED_VERSIONS", "UsdmDefaults", "load_usdm", "read_usdm"]

SUPPORTED_VERSIONS: Final = ("3.", "4.")
"""The ``usdmVersion`` prefixes this reader understands."""

UsdmDefaults = ImportDefaults
"""The defaults of :func:`read_usdm`: the same :class:`~crokit.interop.ImportDefaults` every reader takes."""

_SPONSOR: Final = "C70793"  # NCI: Clinical Study Sponsor (organisation type and study role)
_ADAPTIVE: Final = "C98704"  # NCI: Adaptive design


def load_usdm(
    path: str | os.PathLike[str],
    *,
    registry: Registry | None = None,
    defaults: ImportDefaults | None = None,
) -> ImportReport:
    """Read a USDM v3 or v4 API JSON file; see :func:`read_usdm`.

    Raises:
        InputFileError: If the file is missing, a directory, unreadable or empty.
        FormatError: If it is not JSON.
        ValidationError: If it is not USDM v3/v4, or a value has the wrong shape
            (with its JSON path).
    """
    return read_usdm(read_text(path), registry=registry, source=str(path), defaults=defaults)


def read_usdm(
    data: Mapping[str, Any] | str | bytes,
    *,
    registry: Registry | None = None,
    source: str = "",
    defaults: ImportDefaults | None = None,
) -> ImportReport:
    """Build a :class:`~crokit.Study` from a USDM v3 or v4 API JSON document.

    Args:
        data: The document: parsed JSON, or its text or bytes.
        registry: The registry therapeutic areas are resolved in (default: the
            built-ins plus installed extensions).
        source: Where the document came from, for messages and the report.
        defaults: The values used for what the document does not say.

    Returns:
        The study, with every assumption made, the data not used, and notes on how
        values were read.

    Raises:
        FormatError: If text or bytes are not JSON.
        ValidationError: If the document is not USDM v3/v4 (no ``study``, or a
            ``usdmVersion`` other than 3.x or 4.x), if a value has the wrong shape, or
            if a fact crokit cannot default (phase, area, indication, enrolment) is
            missing; each problem has its JSON path
            (``study.versions[0].studyDesigns[0].encounters[3]``).
        UnknownIdError: If the phase code is not an NCI trial phase code.
    """
    raw = load_json(data, source=source, what="a USDM document")
    reader = _UsdmReader(
        root=Node(raw, ""),
        registry=registry if registry is not None else default_registry(),
        collect=Collector(defaults if defaults is not None else ImportDefaults()),
    )
    version, study = reader.read()
    return ImportReport(
        source=source,
        format=f"USDM {version}",
        study=study,
        filled=reader.collect.filled,
        unread=reader.collect.unread,
        notes=reader.collect.notes,
    )


@attrs.define
class _UsdmReader:
    root: Node
    registry: Registry
    collect: Collector
    organizations: dict[str, Node] = attrs.field(factory=dict)

    # ------------------------------------------------------------ the whole document

    def read(self) -> tuple[str, Study]:
        version_text, study = self._envelope()
        versions = study["versions"].objects()
        if not versions:
            raise study["versions"].fail("expected at least one study version (an object with studyDesigns)")
        version = versions[0]
        for extra in versions[1:]:
            self.collect.unread.append(f"{extra.path}: only the first study version is read")
        designs = version["studyDesigns"].objects()
        if not designs:
            raise version["studyDesigns"].fail("expected at least one study design (with arms and encounters)")
        design = designs[0]
        for extra in designs[1:]:
            self.collect.unread.append(f"{extra.path}: only the first study design is read")
        self.organizations = self._organizations(version)

        name = self._name(study, version)
        sponsor_id, sponsor = self._sponsor(version)
        protocol_id = self._protocol_id(version, sponsor_id)
        phase = read_phase(design, version, self.collect)
        indication = read_indication(design, self.collect)
        area = read_area(design, version, self.registry, self.collect)
        patients = read_patients(design, self.collect)
        site_count, countries = read_sites_and_countries(
            version,
            self.organizations,
            patients,
            self.collect,
            sponsor=self.organizations.get(sponsor_id) if sponsor_id is not None else None,
        )
        start = read_start_date(study, version, self.collect)
        visits = read_visits(design, self.collect)
        note_arms(design, self.collect)
        adaptive = any(is_code(c, _ADAPTIVE, "adaptive") for c in design["characteristics"].objects())
        complexity = self.collect.complexity(adaptive=adaptive)
        currency = self.collect.currency()
        self.collect.rates_and_services()
        self.collect.notes.append("end_date left empty: USDM gives no planned end date")
        study_value = Study(
            name=name,
            phase=phase,
            therapeutic_area=area.id,
            indication=indication,
            planned_patients=patients,
            sites=site_count,
            countries=countries,
            start_date=start,
            currency=currency,
            visits=visits,
            complexity=complexity,
            protocol_id=protocol_id,
            sponsor=sponsor,
        )
        return version_text, study_value

    def _envelope(self) -> tuple[str, Node]:
        root = self.root
        mapping = root.mapping()
        if mapping is None:
            raise ValidationError.at("", "expected a USDM API JSON object {'study': {...}, 'usdmVersion': '4.0.0'}")
        if mapping.get("study") is None:
            keys = ", ".join(sorted(str(k) for k in mapping)[:8]) or "none"
            raise ValidationError.at(
                "study",
                f"missing: expected the USDM study object; this is not a USDM v3/v4 API JSON file (keys found: {keys})",
            )
        study = root["study"]
        if study.mapping() is None:  # pragma: no cover - a non-null non-object raises in mapping()
            raise study.fail("expected the USDM study object")
        version = root["usdmVersion"]
        text = version.text() if isinstance(version.value, str) else None
        if text is None:
            raise version.fail(
                f"expected the USDM version as text such as '4.0.0', got {describe(version.value)}; "
                "crokit reads USDM v3 and v4 API JSON"
            )
        if not text.startswith(SUPPORTED_VERSIONS):
            raise version.fail(f"crokit reads USDM v3 and v4 (3.x, 4.x), got version {text!r}")
        return text, study

    # ------------------------------------------------------------ identification

    def _organizations(self, version: Node) -> dict[str, Node]:
        found: dict[str, Node] = {}
        for org in version["organizations"].objects():
            org_id = org["id"].text()
            if org_id is not None:
                found.setdefault(org_id, org)
        for ident in version["studyIdentifiers"].objects():  # USDM v3 embeds the organisation
            scope = ident["studyIdentifierScope"]
            if scope.mapping() is not None:
                scope_id = scope["id"].text() or scope.path
                found.setdefault(scope_id, scope)
        return found

    def _name(self, study: Node, version: Node) -> str:
        name = study["name"].text()
        if name is not None:
            return name
        titles: dict[str, str] = {}
        for title in version["titles"].objects():
            _, decode = read_code(title["type"])
            text = title["text"].text()
            if text is not None:
                titles.setdefault((decode or "").lower(), text)
        for kind in ("brief study title", "official study title", "study acronym"):
            if kind in titles:
                self.collect.notes.append(f"name taken from the {kind}: study.name is empty")
                return titles[kind]
        if titles:
            return next(iter(titles.values()))
        raise study["name"].fail("missing: expected the study's name (or a title in study.versions[0].titles)")

    def _sponsor(self, version: Node) -> tuple[str | None, str | None]:
        sponsor_id: str | None = None
        for role in version["roles"].objects():
            if is_code(role["code"], _SPONSOR, "sponsor", "clinical study sponsor"):
                ids = [item.text() for item in role["organizationIds"].items()]
                sponsor_id = next((i for i in ids if i in self.organizations), None)
                if sponsor_id is not None:
                    break
        if sponsor_id is None:
            sponsor_id = next(
                (
                    org_id
                    for org_id, org in self.organizations.items()
                    if is_code(org["type"], _SPONSOR, "clinical study sponsor")
                    or is_code(org["organizationType"], _SPONSOR, "clinical study sponsor")
                ),
                None,
            )
        if sponsor_id is None:
            self.collect.notes.append("sponsor left empty: no organisation has the sponsor role or type")
            return None, None
        org = self.organizations[sponsor_id]
        name = first_text(org["label"], org["name"])
        if name is not None:
            self.collect.notes.append(f"sponsor {name!r} is organisation {sponsor_id} ({org.path})")
        return sponsor_id, name

    def _protocol_id(self, version: Node, sponsor_id: str | None) -> str | None:
        chosen: str | None = None
        others: list[str] = []
        for ident in version["studyIdentifiers"].objects():
            text = first_text(ident["text"], ident["studyIdentifier"])
            if text is None:
                continue
            scope = ident["scopeId"].text() or ident["studyIdentifierScope"]["id"].text()
            if chosen is None and sponsor_id is not None and scope == sponsor_id:
                chosen = text
            else:
                org = self.organizations.get(scope or "")
                owner = first_text(org["label"], org["name"]) if org is not None else None
                others.append(f"{text} ({owner})" if owner else text)
        if chosen is None and others:
            self.collect.notes.append("protocol_id left empty: no study identifier is scoped by the sponsor")
        if others:
            self.collect.notes.append("other study identifiers (not stored): " + ", ".join(others))
        return chosen
