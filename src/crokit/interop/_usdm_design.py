"""The study-level facts of a USDM version and design: phase, area, enrolment, sites, dates.

These readers take the phase from the NCI code of ``studyPhase``, the therapeutic area
and indication from the design's coded areas and indications, the planned enrolment from
the population (or its cohorts), the sites and countries from the organisations' study
sites and the geographic scopes, and the start date from the governance dates of the
version or its protocol document; each records how it read a value, or the default it
fell back on, in the import's :class:`~crokit.interop._collect.Collector`.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from crokit.errors import CrokitError
from crokit.interop._area_codes import area_table
from crokit.interop._collect import Collector
from crokit.interop._lookup import area_from_keywords, country_from_name, resolve_area
from crokit.interop._node import Node, first_text, unique_texts
from crokit.interop._usdm_code import is_code, read_code
from crokit.registry import Registry
from crokit.vocabulary.codes import stage_from_nci
from crokit.vocabulary.countries import is_country_code, normalize_country
from crokit.vocabulary.lifecycle import Stage
from crokit.vocabulary.terms import TherapeuticArea

__all__ = [
    "read_area",
    "read_indication",
    "read_patients",
    "read_phase",
    "read_sites_and_countries",
    "read_start_date",
]

_COUNTRY_SCOPE: Final = "C25464"  # NCI: Country
_REGION_SCOPE: Final = "C41129"  # NCI: Region
_GLOBAL_SCOPE: Final = "C68846"  # NCI: Global

# ------------------------------------------------------------ phase


def read_phase(design: Node, version: Node, collect: Collector) -> Stage:
    """The phase from the NCI code of ``studyPhase`` (design, else version), else the default."""
    for holder in (design, version):
        node = holder["studyPhase"]
        if node.mapping() is None:
            continue
        code_node = node["standardCode"] if node.has("standardCode") else node
        code, decode = read_code(node)
        if code is None:
            continue
        stage = stage_from_nci(code, path=code_node["code"].path)
        collect.notes.append(f"phase {stage.label} from NCI code {code} ({decode or 'no decode'})")
        return stage
    return collect.phase(design["studyPhase"].path)


# ------------------------------------------------------------ area and indication


def _indication_texts(design: Node) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    for ind in design["indications"].objects():
        for key in ("label", "description", "name"):
            text = ind[key].text()
            if text is not None:
                texts.append((ind[key].path, text))
        for code in ind["codes"].objects():
            _, decode = read_code(code)
            if decode is not None:
                texts.append((code["decode"].path, decode))
    return texts


def read_indication(design: Node, collect: Collector) -> str:
    """The indications' names joined by "; ", else the default."""
    names = []
    for ind in design["indications"].objects():
        codes = [read_code(c)[1] for c in ind["codes"].objects()]
        names.append(first_text(ind["label"], ind["description"], ind["name"]) or next(filter(None, codes), None))
    found = unique_texts(names)
    if found:
        return "; ".join(found)
    return collect.indication(design["indications"].path)


def _coded(design: Node) -> list[tuple[str, str | None, str | None]]:
    """``(path, codeSystem, code)`` of the design's coded areas, then of its indications' codes."""
    found: list[tuple[str, str | None, str | None]] = []
    nodes = [*design["therapeuticAreas"].objects()]
    for ind in design["indications"].objects():
        nodes.extend(ind["codes"].objects())
    for node in nodes:
        code_node = node["standardCode"] if node.has("standardCode") else node
        found.append((code_node.path, code_node["codeSystem"].text(), code_node["code"].text()))
    return found


def _rare_flags(design: Node) -> list[str]:
    """The paths of the indications flagged ``isRareDisease``."""
    return [
        f"{ind.path}.isRareDisease" for ind in design["indications"].objects() if ind["isRareDisease"].value is True
    ]


def _area_from_file(design: Node, version: Node, registry: Registry) -> tuple[TherapeuticArea, str, str | None] | None:
    """The area the file names or codes, or a keyword suggests: how it was found, and why it is an inference."""
    coded: list[tuple[str, str]] = []
    for holder, key in ((design, "therapeuticAreas"), (version, "businessTherapeuticAreas")):
        for item in holder[key].objects():
            coded.extend((item.path, text) for text in reversed(read_code(item)) if text is not None)
    for path, text in coded:
        area = resolve_area(registry, text)
        if area is not None:
            return area, f"from {path} {text!r}", None
    table = area_table()
    for path, system, code in _coded(design):
        row = table.match(system, code)
        area = resolve_area(registry, row.area) if row is not None else None
        if row is not None and area is not None:
            how = f"from {path}: {row} in crokit's area code table ({row.source})"
            return area, how, f"{row} at {path} falls under {area.id} in crokit's area code table"
    candidates = [(p, t) for p, t in coded if p.split(".")[-1].startswith("therapeuticAreas")]
    for path, text in [*candidates, *_indication_texts(design)]:
        match = area_from_keywords(registry, text)
        if match is not None:
            area, word = match
            how = (
                f"mapped from the word {word!r} in {path} {text!r} "
                "(crokit's keyword table: the file names no area or code crokit knows)"
            )
            return area, how, f"the word {word!r} in {path} suggests {area.id} (crokit's keyword table)"
    return None


def read_area(design: Node, version: Node, registry: Registry, collect: Collector) -> TherapeuticArea:
    """The therapeutic area: rare-disease flag, else named area, else code table, else keyword, else the default."""
    found = _area_from_file(design, version, registry)
    flags = _rare_flags(design)
    rare = resolve_area(registry, "crokit:rare-disease") if flags else None
    if rare is not None:
        other = f"; the area from the codes would be {found[0].id} ({found[1]})" if found is not None else ""
        verb = "is" if len(flags) == 1 else "are"
        collect.notes.append(f"therapeutic_area {rare.id}: {', '.join(flags)} {verb} true{other}")
        collect.assume("therapeutic_area", rare.id, f"{flags[0]} is true: a rare disease is crokit's rare-disease area")
        return rare
    if found is not None:
        area, how, inferred = found
        collect.notes.append(f"therapeutic_area {area.id} {how}")
        if inferred is not None:
            collect.assume("therapeutic_area", area.id, inferred)
        return area
    fallback = collect.defaults.therapeutic_area
    if fallback is None:
        raise design["therapeuticAreas"].fail(
            "no therapeutic area crokit knows, and none could be mapped from the codes or indications; "
            "pass defaults=ImportDefaults(therapeutic_area=...) (crokit import --area ID)"
        )
    area = registry.area(fallback, path="defaults.therapeutic_area")
    collect.assume("therapeutic_area", area.id, "the file names no area crokit knows; taken from the defaults")
    return area


# ------------------------------------------------------------ enrolment, sites, countries


def _count(node: Node) -> tuple[int | None, str]:
    """A count given as a number, a Quantity (``value``) or a Range (``minValue``/``maxValue``)."""
    if node.missing:
        return None, ""
    if node.mapping() is None:
        return node.whole(minimum=1, maximum=10_000_000, what="a number of participants"), ""
    if node.has("value"):
        return node["value"].whole(minimum=1, maximum=10_000_000, what="a number of participants"), ""
    if node.has("maxValue") or node.has("minValue"):
        low, _ = _count(node["minValue"])
        high, _ = _count(node["maxValue"])
        if high is not None:
            return high, f" (a range {low if low is not None else '?'} to {high}: the maximum is used)"
        return low, " (a range with no maximum: the minimum is used)"
    raise node.fail("expected a number of participants: a number, a Quantity with 'value' or a Range")


def read_patients(design: Node, collect: Collector) -> int:
    """The planned enrolment of the population (else the sum over its cohorts), else the default."""
    population = design["population"]
    planned, detail = _count(population["plannedEnrollmentNumber"])
    if planned is not None:
        collect.notes.append(f"planned_patients {planned} from {population.path}.plannedEnrollmentNumber{detail}")
        return planned
    cohorts = [_count(c["plannedEnrollmentNumber"])[0] for c in population["cohorts"].objects()]
    if cohorts and all(c is not None for c in cohorts):
        total = sum(c for c in cohorts if c is not None)
        collect.notes.append(f"planned_patients {total}: the sum over {len(cohorts)} cohorts")
        return total
    completion, detail = _count(population["plannedCompletionNumber"])
    if completion is not None:
        collect.assume(
            "planned_patients",
            completion,
            f"no planned enrolment; the planned completion number is used{detail}, "
            "which undercounts patients who drop out",
        )
        return completion
    return collect.planned_patients(f"{population.path}.plannedEnrollmentNumber")


def _country(code_node: Node) -> tuple[str | None, str]:
    """The alpha-2 code of a Code/AliasCode naming a country, and a readable label."""
    code, decode = read_code(code_node)
    if code is not None and is_country_code(code):
        return normalize_country(code), decode or code
    if decode is not None:
        found = country_from_name(decode)
        if found is not None:
            return found, decode
    return None, decode or code or "?"


def _enrolment_scope(enrollment: Node, collect: Collector) -> Node | None:
    """The geographic scope of an amendment's enrolment, reporting the enrolment as not read.

    crokit has no per-country enrolment, so the number is only reported; a placeholder
    (0 participants, a name like ``XXX``) or an invalid value is listed as not read.
    """
    try:
        scope = enrollment["forGeographicScope"]
        if scope.mapping() is None:
            return None
        count = _count(enrollment["quantity"])[0]
        _, label = _country(scope["code"])
        if scope["code"].mapping() is None:
            label = f"the {(read_code(scope['type'])[1] or 'unnamed').lower()} scope"
    except CrokitError as error:
        collect.not_read(error, "an amendment's enrolment (crokit has no per-country enrolment)")
        return None
    collect.unread.append(
        f"{enrollment.path}: {count if count is not None else 'an unstated number of'} participants "
        f"planned for {label} under this amendment (crokit has no per-country enrolment)"
    )
    return scope


def _scopes(version: Node, collect: Collector) -> list[Node]:
    scopes: list[Node] = []
    for dated in version["dateValues"].objects():
        scopes.extend(dated["geographicScopes"].objects())
    for amendment in version["amendments"].objects():
        scopes.extend(amendment["geographicScopes"].objects())
        for enrollment in amendment["enrollments"].objects():
            scope = _enrolment_scope(enrollment, collect)
            if scope is not None:
                scopes.append(scope)
    return scopes


def _address_country(org: Node) -> tuple[str | None, str]:
    """The alpha-2 code of an organisation's legal address, and its path."""
    address = org["legalAddress"]
    if address.mapping() is None:
        return None, address.path
    alpha2, _ = _country(address["country"])
    return alpha2, f"{address.path}.country"


def _study_sites(organizations: dict[str, Node], collect: Collector) -> tuple[list[str], list[str], list[str]]:
    """The ids of the study sites, their countries, and the countries inferred from addresses."""
    countries: list[str] = []
    sites: list[str] = []
    inferred: list[str] = []
    for org in organizations.values():
        for site in org["managedSites"].objects():
            site_id = site["id"].text() or site.path
            if site_id in sites:
                continue
            sites.append(site_id)
            alpha2, label = _country(site["country"])
            name = first_text(site["label"], site["name"]) or site_id
            if alpha2 is None:
                if not site["country"].missing:
                    collect.unread.append(f"{site.path}.country: {label!r} is not a country crokit knows")
                alpha2, where = _address_country(org)
                if alpha2 is not None:
                    inferred.append(f"site {name!r} in {alpha2} from its organisation's address ({where})")
            if alpha2 is not None:
                countries.append(alpha2)
            collect.notes.append(f"study site {name!r} ({site.path}) in {alpha2 or 'an unknown country'}")
    return sites, countries, inferred


def _scope_countries(version: Node, collect: Collector) -> list[str]:
    """The countries of the geographic scopes of type Country; regions and other scopes are reported."""
    countries: list[str] = []
    for scope in _scopes(version, collect):
        if is_code(scope["type"], _COUNTRY_SCOPE, "country"):
            alpha2, label = _country(scope["code"])
            if alpha2 is None:
                collect.unread.append(f"{scope.path}: {label!r} is not a country crokit knows")
            else:
                countries.append(alpha2)
        elif is_code(scope["type"], _REGION_SCOPE, "region"):
            _, label = _country(scope["code"])
            collect.unread.append(f"{scope.path}: the region {label!r} is not turned into countries")
        elif not is_code(scope["type"], _GLOBAL_SCOPE, "global"):
            _, kind = read_code(scope["type"])
            collect.unread.append(f"{scope.path}: geographic scope of type {kind!r} not understood")
    return countries


def read_sites_and_countries(
    version: Node,
    organizations: dict[str, Node],
    patients: int,
    collect: Collector,
    *,
    sponsor: Node | None = None,
) -> tuple[int, tuple[str, ...]]:
    """The number of sites and the countries, from the study sites and geographic scopes, else the defaults.

    A site without a country is placed in the country of its organisation's legal
    address, and a study with no country at all in the sponsor's; each such inference
    is an assumption in the report.
    """
    sites, countries, inferred = _study_sites(organizations, collect)
    countries.extend(_scope_countries(version, collect))
    unique = tuple(dict.fromkeys(countries))
    if inferred:
        collect.assume("countries", ", ".join(unique), "; ".join(inferred) + ": the site itself names no country")
    if sites:
        count = len(sites)
        collect.notes.append(
            f"sites {count}: the study sites the file lists (organizations[*].managedSites); "
            "check that the list is complete"
        )
        if count > patients:
            collect.assume(
                "sites",
                patients,
                f"the file lists {count} sites for {patients} patients; crokit needs a patient per site",
            )
            count = patients
    else:
        count = collect.sites(patients)
    if not unique and sponsor is not None:
        alpha2, where = _address_country(sponsor)
        if alpha2 is not None:
            unique = (alpha2,)
            collect.assume(
                "countries",
                alpha2,
                f"the file names no study site or country; the sponsor's address ({where}) is used",
            )
    if not unique:
        unique = collect.countries()
    return count, unique


# ------------------------------------------------------------ dates


def read_start_date(study: Node, version: Node, collect: Collector) -> date:
    """The start date from the governance dates of the version or protocol document, else the default."""
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
            _, decode = read_code(item["type"])
            kind = (decode or first_text(item["label"], item["name"]) or "date").lower()
            rank = 0 if "start" in kind else 1 if "approv" in kind else 2 if "effective" in kind else 3
            dated.append((rank, value, f"{decode or kind} {value} ({item.path})"))
    if not dated:
        return collect.start_date(f"{version.path}.dateValues")
    dated.sort(key=lambda entry: (entry[0], entry[1]))
    rank, chosen, label = dated[0]
    if rank == 3:  # noqa: PLR2004 - the "any other date" rank
        collect.assume("start_date", chosen, f"no start, approval or effective date; the earliest date {label}")
    else:
        collect.notes.append(f"start_date from the {label}")
    others = [entry[2] for entry in dated[1:]]
    if others:
        collect.notes.append("other dates (not used): " + "; ".join(others))
    return chosen
