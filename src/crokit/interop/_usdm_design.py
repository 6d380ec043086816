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


def read_area(design: Node, version: Node, registry: Registry, collect: Collector) -> TherapeuticArea:
    """The therapeutic area from the coded areas, else a keyword of the areas or indications, else the default."""
    coded: list[tuple[str, str]] = []
    for holder, key in ((design, "therapeuticAreas"), (version, "businessTherapeuticAreas")):
        for item in holder[key].objects():
            coded.extend((item.path, text) for text in reversed(read_code(item)) if text is not None)
    for path, text in coded:
        area = resolve_area(registry, text)
        if area is not None:
            collect.notes.append(f"therapeutic_area {area.id} from {path} {text!r}")
            return area
    candidates = [(p, t) for p, t in coded if p.split(".")[-1].startswith("therapeuticAreas")]
    for path, text in [*candidates, *_indication_texts(design)]:
        match = area_from_keywords(registry, text)
        if match is not None:
            area, word = match
            collect.notes.append(
                f"therapeutic_area {area.id} mapped from the word {word!r} in {path} {text!r} "
                "(crokit's keyword table: the file names no therapeutic area crokit knows)"
            )
            return area
    fallback = collect.defaults.therapeutic_area
    if fallback is None:
        raise design["therapeuticAreas"].fail(
            "no therapeutic area crokit knows, and none could be mapped from the indications; "
            "pass defaults=ImportDefaults(therapeutic_area=...)"
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


def _scopes(version: Node, collect: Collector) -> list[Node]:
    scopes: list[Node] = []
    for dated in version["dateValues"].objects():
        scopes.extend(dated["geographicScopes"].objects())
    for amendment in version["amendments"].objects():
        scopes.extend(amendment["geographicScopes"].objects())
        for enrollment in amendment["enrollments"].objects():
            scope = enrollment["forGeographicScope"]
            if scope.mapping() is not None:
                scopes.append(scope)
                count = _count(enrollment["quantity"])[0]
                _, label = _country(scope["code"])
                collect.unread.append(
                    f"{enrollment.path}: {count if count is not None else 'an unstated number of'} participants "
                    f"planned for {label} under this amendment (crokit has no per-country enrolment)"
                )
    return scopes


def read_sites_and_countries(
    version: Node, organizations: dict[str, Node], patients: int, collect: Collector
) -> tuple[int, tuple[str, ...]]:
    """The number of sites and the countries, from the study sites and geographic scopes, else the defaults."""
    countries: list[str] = []
    sites: list[str] = []
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
            else:
                countries.append(alpha2)
            collect.notes.append(f"study site {name!r} ({site.path}) in {alpha2 or 'an unknown country'}")
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
    unique = tuple(dict.fromkeys(countries))
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
