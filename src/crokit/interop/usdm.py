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
- ``therapeutic_area``: a ``therapeuticAreas`` or ``businessTherapeuticAreas`` code or
  decode the registry knows as an area; otherwise a word of
  :data:`~crokit.interop._common.AREA_KEYWORDS` in those decodes or in the indications
  (reported in the notes);
- ``indication``: the indications' labels (else descriptions, names, code decodes);
- ``planned_patients``: ``population.plannedEnrollmentNumber`` (a number, a Quantity,
  or a Range, of which the maximum is used), else the sum over the population's cohorts;
- ``sites`` and ``countries``: the organisations' ``managedSites`` (USDM v4 study sites)
  and every geographic scope of type Country; regions and "Global" are reported, not
  turned into countries;
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
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final

import attrs

from crokit.errors import ValidationError
from crokit.interop._common import (
    Collector,
    Node,
    area_from_keywords,
    country_from_name,
    describe,
    first_text,
    load_json,
    resolve_area,
    slugify,
    unique_texts,
)
from crokit.interop.report import ImportDefaults, ImportReport
from crokit.registry import Registry, default_registry
from crokit.serialization import read_text
from crokit.study import Study, Visit, VisitKind
from crokit.vocabulary.codes import stage_from_nci
from crokit.vocabulary.countries import is_country_code, normalize_country
from crokit.vocabulary.lifecycle import Stage
from crokit.vocabulary.terms import TherapeuticArea

__all__ = ["SUPPORTED_VERSIONS", "UsdmDefaults", "load_usdm", "read_usdm"]

SUPPORTED_VERSIONS: Final = ("3.", "4.")
"""The ``usdmVersion`` prefixes this reader understands."""

UsdmDefaults = ImportDefaults
"""The defaults of :func:`read_usdm`: the same :class:`~crokit.interop.ImportDefaults` every reader takes."""

_SPONSOR: Final = "C70793"  # NCI: Clinical Study Sponsor (organisation type and study role)
_COUNTRY_SCOPE: Final = "C25464"  # NCI: Country
_REGION_SCOPE: Final = "C41129"  # NCI: Region
_GLOBAL_SCOPE: Final = "C68846"  # NCI: Global
_ADAPTIVE: Final = "C98704"  # NCI: Adaptive design
_AFTER: Final = "C201356"
_BEFORE: Final = "C201357"
_FIXED: Final = "C201358"
_IN_PERSON: Final = "C175574"
_SECONDS_PER_DAY: Final = 86_400
_DURATION: Final = re.compile(
    r"^P(?!$)(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
_MAX_DAYS: Final = 36_500
_MAX_CHAIN: Final = 100  # timings relative to timings relative to ...: deeper chains are not followed


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


def _code(node: Node) -> tuple[str | None, str | None]:
    """The ``(code, decode)`` of a USDM Code, or of an AliasCode's standard code."""
    if node.mapping() is None:
        return None, None
    if node.has("standardCode"):
        node = node["standardCode"]
    return node["code"].text(), node["decode"].text()


def _is(node: Node, code: str, *decodes: str) -> bool:
    found, decode = _code(node)
    return found == code or (decode is not None and decode.lower() in decodes)


def _duration_seconds(text: str) -> Decimal | None:
    """Seconds in an ISO 8601 duration of weeks, days, hours, minutes and seconds; ``None`` otherwise.

    Years and months have no fixed length in days and are not read.
    """
    match = _DURATION.match(text.strip())
    if match is None:
        return None
    parts = {key: Decimal(value) if value else Decimal(0) for key, value in match.groupdict().items()}
    return (
        parts["weeks"] * 7 * _SECONDS_PER_DAY
        + parts["days"] * _SECONDS_PER_DAY
        + parts["hours"] * 3600
        + parts["minutes"] * 60
        + parts["seconds"]
    )


def _study_day(offset_seconds: Decimal) -> int:
    """The SDTM study day of an offset from the reference (day 1); there is no day 0."""
    days = int(offset_seconds / _SECONDS_PER_DAY)  # whole days, towards zero
    return days + 1 if days >= 0 else days


@attrs.frozen
class _Timing:
    day: int
    window: int


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
        phase = self._phase(design, version)
        indication = self._indication(design)
        area = self._area(design, version)
        patients = self._patients(design)
        site_count, countries = self._sites_and_countries(version, patients)
        start = self._start_date(study, version)
        visits = self._visits(design)
        self._arms(design)
        adaptive = any(_is(c, _ADAPTIVE, "adaptive") for c in design["characteristics"].objects())
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
            _, decode = _code(title["type"])
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
            if _is(role["code"], _SPONSOR, "sponsor", "clinical study sponsor"):
                ids = [item.text() for item in role["organizationIds"].items()]
                sponsor_id = next((i for i in ids if i in self.organizations), None)
                if sponsor_id is not None:
                    break
        if sponsor_id is None:
            sponsor_id = next(
                (
                    org_id
                    for org_id, org in self.organizations.items()
                    if _is(org["type"], _SPONSOR, "clinical study sponsor")
                    or _is(org["organizationType"], _SPONSOR, "clinical study sponsor")
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

    def _phase(self, design: Node, version: Node) -> Stage:
        for holder in (design, version):
            node = holder["studyPhase"]
            if node.mapping() is None:
                continue
            code_node = node["standardCode"] if node.has("standardCode") else node
            code, decode = _code(node)
            if code is None:
                continue
            stage = stage_from_nci(code, path=code_node["code"].path)
            self.collect.notes.append(f"phase {stage.label} from NCI code {code} ({decode or 'no decode'})")
            return stage
        return self.collect.phase(design["studyPhase"].path)

    # ------------------------------------------------------------ area and indication

    def _indication_texts(self, design: Node) -> list[tuple[str, str]]:
        texts: list[tuple[str, str]] = []
        for ind in design["indications"].objects():
            for key in ("label", "description", "name"):
                text = ind[key].text()
                if text is not None:
                    texts.append((ind[key].path, text))
            for code in ind["codes"].objects():
                _, decode = _code(code)
                if decode is not None:
                    texts.append((code["decode"].path, decode))
        return texts

    def _indication(self, design: Node) -> str:
        names = []
        for ind in design["indications"].objects():
            codes = [_code(c)[1] for c in ind["codes"].objects()]
            names.append(first_text(ind["label"], ind["description"], ind["name"]) or next(filter(None, codes), None))
        found = unique_texts(names)
        if found:
            return "; ".join(found)
        return self.collect.indication(design["indications"].path)

    def _area(self, design: Node, version: Node) -> TherapeuticArea:
        coded: list[tuple[str, str]] = []
        for holder, key in ((design, "therapeuticAreas"), (version, "businessTherapeuticAreas")):
            for item in holder[key].objects():
                coded.extend((item.path, text) for text in reversed(_code(item)) if text is not None)
        for path, text in coded:
            area = resolve_area(self.registry, text)
            if area is not None:
                self.collect.notes.append(f"therapeutic_area {area.id} from {path} {text!r}")
                return area
        candidates = [(p, t) for p, t in coded if p.split(".")[-1].startswith("therapeuticAreas")]
        for path, text in [*candidates, *self._indication_texts(design)]:
            match = area_from_keywords(self.registry, text)
            if match is not None:
                area, word = match
                self.collect.notes.append(
                    f"therapeutic_area {area.id} mapped from the word {word!r} in {path} {text!r} "
                    "(crokit's keyword table: the file names no therapeutic area crokit knows)"
                )
                return area
        fallback = self.collect.defaults.therapeutic_area
        if fallback is None:
            raise design["therapeuticAreas"].fail(
                "no therapeutic area crokit knows, and none could be mapped from the indications; "
                "pass defaults=ImportDefaults(therapeutic_area=...)"
            )
        area = self.registry.area(fallback, path="defaults.therapeutic_area")
        self.collect.assume("therapeutic_area", area.id, "the file names no area crokit knows; taken from the defaults")
        return area

    # ------------------------------------------------------------ enrolment, sites, countries

    def _count(self, node: Node) -> tuple[int | None, str]:
        """A count given as a number, a Quantity (``value``) or a Range (``minValue``/``maxValue``)."""
        if node.missing:
            return None, ""
        if node.mapping() is None:
            return node.whole(minimum=1, maximum=10_000_000, what="a number of participants"), ""
        if node.has("value"):
            return node["value"].whole(minimum=1, maximum=10_000_000, what="a number of participants"), ""
        if node.has("maxValue") or node.has("minValue"):
            low, _ = self._count(node["minValue"])
            high, _ = self._count(node["maxValue"])
            if high is not None:
                return high, f" (a range {low if low is not None else '?'} to {high}: the maximum is used)"
            return low, " (a range with no maximum: the minimum is used)"
        raise node.fail("expected a number of participants: a number, a Quantity with 'value' or a Range")

    def _patients(self, design: Node) -> int:
        population = design["population"]
        planned, detail = self._count(population["plannedEnrollmentNumber"])
        if planned is not None:
            self.collect.notes.append(
                f"planned_patients {planned} from {population.path}.plannedEnrollmentNumber{detail}"
            )
            return planned
        cohorts = [self._count(c["plannedEnrollmentNumber"])[0] for c in population["cohorts"].objects()]
        if cohorts and all(c is not None for c in cohorts):
            total = sum(c for c in cohorts if c is not None)
            self.collect.notes.append(f"planned_patients {total}: the sum over {len(cohorts)} cohorts")
            return total
        completion, detail = self._count(population["plannedCompletionNumber"])
        if completion is not None:
            self.collect.assume(
                "planned_patients",
                completion,
                f"no planned enrolment; the planned completion number is used{detail}, "
                "which undercounts patients who drop out",
            )
            return completion
        return self.collect.planned_patients(f"{population.path}.plannedEnrollmentNumber")

    def _country(self, code_node: Node) -> tuple[str | None, str]:
        """The alpha-2 code of a Code/AliasCode naming a country, and a readable label."""
        code, decode = _code(code_node)
        if code is not None and is_country_code(code):
            return normalize_country(code), decode or code
        if decode is not None:
            found = country_from_name(decode)
            if found is not None:
                return found, decode
        return None, decode or code or "?"

    def _scopes(self, version: Node) -> list[Node]:
        scopes: list[Node] = []
        for dated in version["dateValues"].objects():
            scopes.extend(dated["geographicScopes"].objects())
        for amendment in version["amendments"].objects():
            scopes.extend(amendment["geographicScopes"].objects())
            for enrollment in amendment["enrollments"].objects():
                scope = enrollment["forGeographicScope"]
                if scope.mapping() is not None:
                    scopes.append(scope)
                    count = self._count(enrollment["quantity"])[0]
                    _, label = self._country(scope["code"])
                    self.collect.unread.append(
                        f"{enrollment.path}: {count if count is not None else 'an unstated number of'} participants "
                        f"planned for {label} under this amendment (crokit has no per-country enrolment)"
                    )
        return scopes

    def _sites_and_countries(self, version: Node, patients: int) -> tuple[int, tuple[str, ...]]:
        countries: list[str] = []
        sites: list[str] = []
        for org in self.organizations.values():
            for site in org["managedSites"].objects():
                site_id = site["id"].text() or site.path
                if site_id in sites:
                    continue
                sites.append(site_id)
                alpha2, label = self._country(site["country"])
                name = first_text(site["label"], site["name"]) or site_id
                if alpha2 is None:
                    if not site["country"].missing:
                        self.collect.unread.append(f"{site.path}.country: {label!r} is not a country crokit knows")
                else:
                    countries.append(alpha2)
                self.collect.notes.append(f"study site {name!r} ({site.path}) in {alpha2 or 'an unknown country'}")
        for scope in self._scopes(version):
            if _is(scope["type"], _COUNTRY_SCOPE, "country"):
                alpha2, label = self._country(scope["code"])
                if alpha2 is None:
                    self.collect.unread.append(f"{scope.path}: {label!r} is not a country crokit knows")
                else:
                    countries.append(alpha2)
            elif _is(scope["type"], _REGION_SCOPE, "region"):
                _, label = self._country(scope["code"])
                self.collect.unread.append(f"{scope.path}: the region {label!r} is not turned into countries")
            elif not _is(scope["type"], _GLOBAL_SCOPE, "global"):
                _, kind = _code(scope["type"])
                self.collect.unread.append(f"{scope.path}: geographic scope of type {kind!r} not understood")
        unique = tuple(dict.fromkeys(countries))
        if sites:
            count = len(sites)
            self.collect.notes.append(
                f"sites {count}: the study sites the file lists (organizations[*].managedSites); "
                "check that the list is complete"
            )
            if count > patients:
                self.collect.assume(
                    "sites",
                    patients,
                    f"the file lists {count} sites for {patients} patients; crokit needs a patient per site",
                )
                count = patients
        else:
            count = self.collect.sites(patients)
        if not unique:
            unique = self.collect.countries()
        return count, unique

    # ------------------------------------------------------------ dates

    def _start_date(self, study: Node, version: Node) -> date:
        dated: list[tuple[int, date, str]] = []
        holders = [version]
        documents = study["documentedBy"]
        for document in documents.objects() if isinstance(documents.value, list) else [documents]:
            holders.extend(document["versions"].objects())
        for holder in holders:
            for item in holder["dateValues"].objects():
                value = item["dateValue"].date()
                if value is None:
                    continue
                _, decode = _code(item["type"])
                kind = (decode or first_text(item["label"], item["name"]) or "date").lower()
                rank = 0 if "start" in kind else 1 if "approv" in kind else 2 if "effective" in kind else 3
                dated.append((rank, value, f"{decode or kind} {value} ({item.path})"))
        if not dated:
            return self.collect.start_date(f"{version.path}.dateValues")
        dated.sort(key=lambda entry: (entry[0], entry[1]))
        rank, chosen, label = dated[0]
        if rank == 3:  # noqa: PLR2004 - the "any other date" rank
            self.collect.assume(
                "start_date", chosen, f"no start, approval or effective date; the earliest date {label}"
            )
        else:
            self.collect.notes.append(f"start_date from the {label}")
        others = [entry[2] for entry in dated[1:]]
        if others:
            self.collect.notes.append("other dates (not used): " + "; ".join(others))
        return chosen

    # ------------------------------------------------------------ arms and visits

    def _arms(self, design: Node) -> None:
        arms = [first_text(arm["label"], arm["name"]) or arm.path for arm in design["arms"].objects()]
        if arms:
            self.collect.notes.append(
                f"{len(arms)} arms: {', '.join(arms)} (a crokit Study has no arms; planned_patients covers them all)"
            )

    def _encounter_order(self, design: Node) -> list[Node]:
        encounters = design["encounters"].objects()
        by_id = {e["id"].text(): e for e in encounters if e["id"].text() is not None}
        starts = [e for e in encounters if e["previousId"].text() not in by_id]
        if len(starts) == 1 and len(by_id) == len(encounters):
            chain: list[Node] = []
            current: Node | None = starts[0]
            while current is not None and current not in chain and len(chain) <= len(encounters):
                chain.append(current)
                current = by_id.get(current["nextId"].text())
            if len(chain) == len(encounters):
                return chain
        if encounters:
            self.collect.notes.append("encounters taken in file order: their previousId/nextId chain is incomplete")
        return encounters

    def _main_timeline(self, design: Node) -> Node | None:
        timelines = design["scheduleTimelines"].objects()
        main = [t for t in timelines if t["mainTimeline"].value is True]
        candidates = main or timelines
        return candidates[0] if candidates else None

    def _timings(self, timeline: Node | None, encounters: list[Node]) -> dict[str, _Timing] | None:
        """Study day and window of each encounter id, or ``None`` if any cannot be derived."""
        if timeline is None:
            return None
        days = _TimelineDays(timeline)
        instances = timeline["instances"].objects()
        result: dict[str, _Timing] = {}
        for encounter in encounters:
            enc_id = encounter["id"].text() or encounter.path
            best: tuple[Decimal, Node | None] | None = None
            for instance in instances:
                instance_id = instance["id"].text()
                if instance["encounterId"].text() != enc_id or instance_id is None:
                    continue
                found = days.instance_offset(instance_id, frozenset())
                if found is not None and (best is None or found < best[0]):
                    best = (found, days.by_from.get(instance_id))
            if best is None:
                timing = days.by_id.get(encounter["scheduledAtId"].text())
                found = days.offset(timing, frozenset()) if timing is not None else None
                if found is not None:
                    best = (found, timing)
            if best is None:
                return None
            day = _study_day(best[0])
            if not -_MAX_DAYS <= day <= _MAX_DAYS:
                return None
            result[enc_id] = _Timing(day=day, window=_window(best[1]))
        return result

    def _visits(self, design: Node) -> tuple[Visit, ...]:
        encounters = self._encounter_order(design)
        if not encounters:
            self.collect.assume("visits", "(none)", "the design lists no encounters")
            return ()
        timeline = self._main_timeline(design)
        timings = self._timings(timeline, encounters)
        epochs = {e["id"].text(): e for e in design["epochs"].objects()}
        activities = {a["id"].text(): a for a in design["activities"].objects()}
        instances = timeline["instances"].objects() if timeline is not None else []
        taken: set[str] = set()
        planned: list[tuple[int, int, Visit]] = []
        for index, encounter in enumerate(encounters):
            enc_id = encounter["id"].text() or encounter.path
            mine = [i for i in instances if i["encounterId"].text() == enc_id]
            name = first_text(encounter["label"], encounter["name"], encounter["description"]) or f"Visit {index + 1}"
            timing = timings[enc_id] if timings is not None else _Timing(day=index + 1, window=0)
            epoch_types = [_code(epochs[e]["type"])[1] or "" for i in mine if (e := i["epochId"].text()) in epochs]
            procedures: list[str | None] = []
            for instance in mine:
                for activity_id in instance["activityIds"].items():
                    activity = activities.get(activity_id.text())
                    if activity is None:
                        self.collect.unread.append(f"{activity_id.path}: no activity {activity_id.value!r}")
                    else:
                        procedures.append(first_text(activity["label"], activity["name"]))
            modes = [_code(m) for m in encounter["contactModes"].objects()]
            remote = bool(modes) and not any(
                code == _IN_PERSON or (decode or "").lower() == "in person" for code, decode in modes
            )
            visit = Visit(
                id=slugify(name, taken, fallback=f"visit-{index + 1}"),
                name=name,
                day=timing.day,
                kind=_kind(encounter, epoch_types),
                window_days=timing.window,
                procedures=tuple(unique_texts(procedures)),
                remote=remote,
            )
            planned.append((visit.day, index, visit))
        ordered = sorted(planned, key=lambda entry: (entry[0], entry[1]))
        if [entry[1] for entry in ordered] != list(range(len(ordered))):
            self.collect.notes.append("visits sorted by study day: the encounter chain lists them in another order")
        if timings is None:
            self.collect.assume(
                "visits[*].day",
                f"1 to {len(encounters)}",
                "study days could not be derived from the schedule timings; visits are numbered in schedule order",
            )
        else:
            self.collect.notes.append(
                f"visit days from the timings of {timeline.path if timeline is not None else 'the main timeline'}: "
                "the Fixed Reference timing is day 1 (SDTM study days, no day 0); windows are the larger of "
                "windowLower/windowUpper in whole days"
            )
        self.collect.notes.append(
            "visit kinds from encounter labels (screening, baseline, follow-up, end of study) and epoch types"
        )
        self.collect.assume(
            "visits[*].crf_pages", 0, "USDM gives no CRF page counts; set them before pricing data management per page"
        )
        return tuple(entry[2] for entry in ordered)


class _TimelineDays:
    """Offsets from a timeline's Fixed Reference, following chains of relative timings."""

    def __init__(self, timeline: Node) -> None:
        timings = timeline["timings"].objects()
        self.by_from = {t["relativeFromScheduledInstanceId"].text(): t for t in timings}
        self.by_id = {t["id"].text(): t for t in timings}
        self._offsets: dict[str, Decimal | None] = {}

    def offset(self, timing: Node, seen: frozenset[str]) -> Decimal | None:
        """Seconds from the Fixed Reference to *timing*, or ``None`` if they cannot be derived."""
        if _is(timing["type"], _FIXED, "fixed reference"):
            return Decimal(0)
        sign = 1 if _is(timing["type"], _AFTER, "after") else -1 if _is(timing["type"], _BEFORE, "before") else 0
        text = timing["value"].text()
        amount = _duration_seconds(text) if text is not None else None
        if sign == 0 or amount is None:
            return None
        anchor = timing["relativeToScheduledInstanceId"].text()
        base = self.instance_offset(anchor, seen) if anchor is not None else None
        return None if base is None else base + sign * amount

    def instance_offset(self, instance_id: str, seen: frozenset[str]) -> Decimal | None:
        """Seconds from the Fixed Reference to a scheduled instance, or ``None``."""
        if instance_id in seen or len(seen) > _MAX_CHAIN:  # a cycle, or a chain too long to follow
            return None
        if instance_id not in self._offsets:
            timing = self.by_from.get(instance_id)
            self._offsets[instance_id] = None if timing is None else self.offset(timing, seen | {instance_id})
        return self._offsets[instance_id]


def _window(timing: Node | None) -> int:
    """The larger of a timing's lower and upper window, in whole days (0 if none)."""
    if timing is None:
        return 0
    widths = []
    for key in ("windowLower", "windowUpper"):
        text = timing[key].text()
        seconds = _duration_seconds(text) if text is not None else None
        if seconds is not None:
            widths.append(min(int(seconds / _SECONDS_PER_DAY), 3650))
    return max(widths, default=0)


def _kind(encounter: Node, epoch_types: list[str]) -> VisitKind:
    text = " ".join(filter(None, (encounter["label"].text(), encounter["name"].text()))).lower()
    for word, kind in (
        ("screen", VisitKind.SCREENING),
        ("baseline", VisitKind.BASELINE),
        ("end of study", VisitKind.END_OF_STUDY),
        ("end-of-study", VisitKind.END_OF_STUDY),
        ("follow", VisitKind.FOLLOW_UP),
    ):
        if word in text:
            return kind
    epochs = " ".join(epoch_types).lower()
    if "screen" in epochs:
        return VisitKind.SCREENING
    if "follow" in epochs:
        return VisitKind.FOLLOW_UP
    return VisitKind.TREATMENT
