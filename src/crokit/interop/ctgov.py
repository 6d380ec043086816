"""Read a ClinicalTrials.gov API v2 study record into a Study.

A record (``GET https://clinicaltrials.gov/api/v2/studies/{nctId}``) holds a
``protocolSection``; this reader takes:

- ``name``: ``identificationModule.briefTitle``, else the official title, acronym or NCT id;
- ``protocol_id``: ``identificationModule.orgStudyIdInfo.id`` (the sponsor's number);
- ``sponsor``: ``sponsorCollaboratorsModule.leadSponsor.name``;
- ``phase``: ``designModule.phases`` through :func:`~crokit.vocabulary.codes.stage_from_ctgov`
  (``["PHASE1", "PHASE2"]`` is Phase 1/2);
- ``indication``: ``conditionsModule.conditions``, joined with ``"; "``;
- ``therapeutic_area``: ``crokit:rare-disease`` if ClinicalTrials.gov files the record
  under its derived "Rare Diseases" browse branch
  (``derivedSection.conditionBrowseModule.browseBranches``); else a condition or keyword
  the registry knows as an area; else the condition MeSH terms
  (``conditionBrowseModule.meshes``, then ``ancestors``) through crokit's cited area code
  table (``crokit/interop/area_codes.toml``); else a word of
  :data:`~crokit.interop._lookup.AREA_KEYWORDS` in them (each reported in the notes);
- ``planned_patients``: ``designModule.enrollmentInfo.count``;
- ``sites`` and ``countries``: ``contactsLocationsModule.locations``; each distinct
  facility (facility, city, state, country) is a site, and each country name is turned
  into its ISO code (unknown names are reported in ``unread``, never dropped silently);
- ``start_date`` and ``end_date``: ``statusModule.startDateStruct`` and
  ``completionDateStruct`` (else ``primaryCompletionDateStruct``). A month-only date
  (``"2021-03"``) becomes the 1st of the month, reported as an assumption.

Records carry no visit schedule, budget currency, rates or CRF pages: those are filled
from :class:`~crokit.interop.ImportDefaults` and reported.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Final

import attrs

from crokit.errors import CrokitError, ValidationError
from crokit.interop._area_codes import area_table
from crokit.interop._collect import Collector
from crokit.interop._lookup import area_from_keywords, country_from_name, resolve_area
from crokit.interop._node import Node, describe, first_text, load_json
from crokit.interop.report import ImportDefaults, ImportReport
from crokit.registry import Registry, default_registry
from crokit.serialization import read_text
from crokit.study import Study
from crokit.vocabulary.codes import stage_from_ctgov
from crokit.vocabulary.lifecycle import Stage
from crokit.vocabulary.terms import TherapeuticArea

__all__ = ["FORMAT", "load_ctgov", "read_ctgov"]

FORMAT: Final = "ClinicalTrials.gov API v2"
"""The format name :func:`read_ctgov` reports."""

_MONTH: Final = re.compile(r"^(\d{4})-(\d{2})$")


def load_ctgov(
    path: str | os.PathLike[str],
    *,
    registry: Registry | None = None,
    defaults: ImportDefaults | None = None,
) -> ImportReport:
    """Read a ClinicalTrials.gov API v2 study record from a JSON file; see :func:`read_ctgov`.

    Raises:
        InputFileError: If the file is missing, a directory, unreadable or empty.
        FormatError: If it is not JSON.
        ValidationError: If it is not a study record, or a value has the wrong shape
            (with its JSON path).
    """
    return read_ctgov(read_text(path), registry=registry, source=str(path), defaults=defaults)


def read_ctgov(
    data: Mapping[str, Any] | str | bytes,
    *,
    registry: Registry | None = None,
    source: str = "",
    defaults: ImportDefaults | None = None,
) -> ImportReport:
    """Build a :class:`~crokit.Study` from a ClinicalTrials.gov API v2 study record.

    Args:
        data: The record: parsed JSON, or its text or bytes.
        registry: The registry therapeutic areas are resolved in (default: the
            built-ins plus installed extensions).
        source: Where the record came from, for messages and the report.
        defaults: The values used for what the record does not say.

    Returns:
        The study, with every assumption made, the data not used (such as unknown
        country names), and notes on how values were read.

    Raises:
        FormatError: If text or bytes are not JSON.
        ValidationError: If the record has no ``protocolSection``, a value has the
            wrong shape, or a fact crokit cannot default (phase, area, condition,
            enrolment) is missing; each problem has its JSON path.
        UnknownIdError: If a phase is not a ClinicalTrials.gov phase.
    """
    raw = load_json(data, source=source, what="a ClinicalTrials.gov study record")
    reader = _CtgovReader(
        root=Node(raw, ""),
        registry=registry if registry is not None else default_registry(),
        collect=Collector(defaults if defaults is not None else ImportDefaults()),
    )
    study = reader.read()
    return ImportReport(
        source=source,
        format=FORMAT,
        study=study,
        filled=reader.collect.filled,
        unread=reader.collect.unread,
        notes=reader.collect.notes,
    )


@attrs.define
class _CtgovReader:
    root: Node
    registry: Registry
    collect: Collector

    def read(self) -> Study:
        mapping = self.root.mapping()
        if mapping is None:
            raise ValidationError.at("", "expected a ClinicalTrials.gov API v2 study record (an object)")
        if "studies" in mapping and "protocolSection" not in mapping:
            raise ValidationError.at(
                "studies", "this is a list of study records (a search result): pass one record, studies[i]"
            )
        section = self.root["protocolSection"]
        if section.mapping() is None:
            keys = ", ".join(sorted(str(k) for k in mapping)[:8]) or "none"
            raise section.fail(
                "missing: expected a ClinicalTrials.gov API v2 study record with a protocolSection "
                f"(keys found: {keys})"
            )
        ident = section["identificationModule"]
        nct_id = ident["nctId"].text()
        name = first_text(ident["briefTitle"], ident["officialTitle"], ident["acronym"], ident["nctId"])
        if name is None:
            raise ident["briefTitle"].fail("missing: expected the study's brief title")
        if nct_id is not None:
            self.collect.notes.append(f"ClinicalTrials.gov id {nct_id} (not stored: protocol_id is the sponsor's id)")
        protocol_id = ident["orgStudyIdInfo"]["id"].text()
        sponsor = section["sponsorCollaboratorsModule"]["leadSponsor"]["name"].text()
        if sponsor is None:
            self.collect.notes.append("sponsor left empty: no lead sponsor is named")

        design = section["designModule"]
        phase = self._phase(design)
        conditions = self._conditions(section["conditionsModule"])
        indication = (
            "; ".join(c for _, c in conditions)
            if conditions
            else self.collect.indication(f"{section.path}.conditionsModule.conditions")
        )
        area = self._area(section["conditionsModule"], conditions)
        patients = self._patients(design)
        sites, countries = self._locations(section["contactsLocationsModule"], patients)
        start, end = self._dates(section["statusModule"])
        self._note_arms(section["armsInterventionsModule"]["armGroups"])
        self.collect.assume(
            "visits", "(none)", "ClinicalTrials.gov records have no visit schedule; add visits to price per-visit work"
        )
        complexity = self.collect.complexity(adaptive=False)
        currency = self.collect.currency()
        self.collect.rates_and_services()
        return Study(
            name=name,
            phase=phase,
            therapeutic_area=area.id,
            indication=indication,
            planned_patients=patients,
            sites=sites,
            countries=countries,
            start_date=start,
            end_date=end,
            currency=currency,
            complexity=complexity,
            protocol_id=protocol_id,
            sponsor=sponsor,
        )

    def _note_arms(self, groups: Node) -> None:
        """Note the arm groups: a crokit Study has none, so groups of the wrong shape are only listed as not read."""
        try:
            arms = [first_text(a["label"]) for a in groups.objects()]
        except CrokitError as error:
            self.collect.not_read(error, "the arm groups (a crokit Study has no arms)")
            return
        if arms:
            names = ", ".join(a for a in arms if a)
            self.collect.notes.append(f"{len(arms)} arm groups: {names} (a crokit Study has no arms)")

    def _phase(self, design: Node) -> Stage:
        phases = design["phases"]
        values = [item.text() or "" for item in phases.items()]
        stage = stage_from_ctgov(values, path=phases.path) if values else None
        if stage is None:
            return self.collect.phase(phases.path)
        self.collect.notes.append(f"phase {stage.label} from {phases.path} {values}")
        return stage

    def _conditions(self, module: Node) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        seen: set[str] = set()
        for item in module["conditions"].items():
            text = item.text()
            if text is not None and text.lower() not in seen:
                seen.add(text.lower())
                found.append((item.path, text))
        return found

    def _mesh_area(self) -> tuple[TherapeuticArea, str, str | None] | None:
        """The area of the record's condition MeSH terms (in order), else of their ancestors (most specific row)."""
        browse = self.root["derivedSection"]["conditionBrowseModule"]
        table = area_table()
        for mesh in browse["meshes"].objects():
            row = table.match("MeSH", mesh["id"].text())
            area = resolve_area(self.registry, row.area) if row is not None else None
            if row is not None and area is not None:
                how = f"from {mesh.path}: {row} in crokit's area code table ({row.source})"
                return area, how, f"{row} at {mesh.path} falls under {area.id} in crokit's area code table"
        ranked: list[tuple[int, TherapeuticArea, str, str]] = []
        for ancestor in browse["ancestors"].objects():
            row = table.match("MeSH", ancestor["id"].text())
            area = resolve_area(self.registry, row.area) if row is not None else None
            if row is not None and area is not None:
                how = f"from {ancestor.path}: {row} in crokit's area code table ({row.source})"
                why = f"the condition's MeSH ancestor {row} falls under {area.id} in crokit's area code table"
                ranked.append((row.rank, area, how, why))
        if ranked:
            _, area, how, why = min(ranked, key=lambda entry: entry[0])
            return area, how, why
        return None

    def _rare_flag(self) -> str | None:
        """The path of the derived "Rare Diseases" browse branch, if the record has one."""
        branches = self.root["derivedSection"]["conditionBrowseModule"]["browseBranches"]
        for branch in branches.objects():
            name = branch["name"].text()
            if name is not None and name.casefold() == "rare diseases":
                return branch.path
        return None

    def _area_from_record(
        self, module: Node, conditions: list[tuple[str, str]]
    ) -> tuple[TherapeuticArea, str, str | None] | None:
        keywords = [(item.path, text) for item in module["keywords"].items() if (text := item.text()) is not None]
        candidates = [*conditions, *keywords]
        for path, text in candidates:
            area = resolve_area(self.registry, text)
            if area is not None:
                return area, f"from {path} {text!r}", None
        found = self._mesh_area()
        if found is not None:
            return found
        for path, text in candidates:
            match = area_from_keywords(self.registry, text)
            if match is not None:
                area, word = match
                how = (
                    f"mapped from the word {word!r} in {path} {text!r} "
                    "(crokit's keyword table: the record names no area or MeSH term crokit knows)"
                )
                return area, how, f"the word {word!r} in {path} suggests {area.id} (crokit's keyword table)"
        return None

    def _area(self, module: Node, conditions: list[tuple[str, str]]) -> TherapeuticArea:
        found = self._area_from_record(module, conditions)
        flag = self._rare_flag()
        rare = resolve_area(self.registry, "crokit:rare-disease") if flag is not None else None
        if rare is not None:
            other = f"; the conditions alone would give {found[0].id} ({found[1]})" if found is not None else ""
            self.collect.notes.append(
                f"therapeutic_area {rare.id}: {flag} is ClinicalTrials.gov's 'Rare Diseases' category{other}"
            )
            self.collect.assume(
                "therapeutic_area",
                rare.id,
                f"{flag} files the record under 'Rare Diseases': crokit's rare-disease area",
            )
            return rare
        if found is not None:
            area, how, inferred = found
            self.collect.notes.append(f"therapeutic_area {area.id} {how}")
            if inferred is not None:
                self.collect.assume("therapeutic_area", area.id, inferred)
            return area
        fallback = self.collect.defaults.therapeutic_area
        if fallback is None:
            raise module["conditions"].fail(
                "no therapeutic area could be mapped from the conditions, keywords or MeSH terms; "
                "pass defaults=ImportDefaults(therapeutic_area=...) (crokit import --area ID)"
            )
        area = self.registry.area(fallback, path="defaults.therapeutic_area")
        self.collect.assume("therapeutic_area", area.id, "no area could be mapped from the conditions; the defaults")
        return area

    def _patients(self, design: Node) -> int:
        info = design["enrollmentInfo"]
        count = info["count"].whole(minimum=1, maximum=10_000_000, what="a number of participants")
        if count is None:
            return self.collect.planned_patients(f"{info.path}.count")
        kind = info["type"].text()
        self.collect.notes.append(
            f"planned_patients {count} from {info.path}.count ({(kind or 'type not given').lower()})"
        )
        return count

    def _locations(self, module: Node, patients: int) -> tuple[int, tuple[str, ...]]:
        sites: set[tuple[str, ...]] = set()
        countries: list[str] = []
        unnamed = 0
        for location in module["locations"].objects():
            facility = location["facility"].text()
            city, state = location["city"].text(), location["state"].text()
            country_name = location["country"].text()
            if facility is None:
                unnamed += 1
            sites.add(tuple((part or "").lower() for part in (facility, city, state, country_name)))
            if country_name is None:
                self.collect.unread.append(f"{location.path}: a location with no country")
                continue
            code = country_from_name(country_name)
            if code is None:
                self.collect.unread.append(
                    f"{location.path}.country: {country_name!r} is not a country name crokit knows "
                    "(the site is counted; its country is not)"
                )
            else:
                countries.append(code)
        unique = tuple(dict.fromkeys(countries))
        if sites:
            count = len(sites)
            detail = f", {unnamed} without a facility name" if unnamed else ""
            self.collect.notes.append(f"sites {count}: distinct facilities in {module.path}.locations{detail}")
            if count > patients:
                self.collect.assume(
                    "sites",
                    patients,
                    f"the record lists {count} locations for {patients} patients; crokit needs a patient per site",
                )
                count = patients
        else:
            count = self.collect.sites(patients)
        if not unique:
            unique = self.collect.countries()
        return count, unique

    def _date(self, node: Node, field: str) -> date | None:
        text = node["date"].text()
        if text is None:
            return None
        month = _MONTH.match(text)
        if month is not None:
            year, number = int(month.group(1)), int(month.group(2))
            try:
                value = date(year, number, 1)
            except ValueError:
                raise node["date"].fail(f"expected a date like 2021-03 or 2021-03-15, got {describe(text)}") from None
            self.collect.assume(field, value, f"{node.path}.date gives the month only ({text}); the 1st is used")
            return value
        return node["date"].date()

    def _dates(self, status: Node) -> tuple[date, date | None]:
        start = self._date(status["startDateStruct"], "start_date")
        if start is None:
            start = self.collect.start_date(f"{status.path}.startDateStruct")
        else:
            kind = status["startDateStruct"]["type"].text()
            self.collect.notes.append(f"start_date {start} ({(kind or 'type not given').lower()})")
        end: date | None = None
        for key in ("completionDateStruct", "primaryCompletionDateStruct"):
            if status[key]["date"].text() is not None:
                end = self._date(status[key], "end_date")
                self.collect.notes.append(f"end_date {end} from {status[key].path}")
                break
        if end is not None and end <= start:
            self.collect.unread.append(f"{status.path}: completion date {end} is not after the start {start}; dropped")
            end = None
        return start, end
