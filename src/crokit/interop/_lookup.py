"""Map a source's free text onto crokit's terms: therapeutic areas, countries and visit ids.

Sources name therapeutic areas, countries and visits in their own words:
:func:`resolve_area` and :func:`area_from_keywords` (with its small table
:data:`AREA_KEYWORDS`) find the registry's therapeutic area for a text,
:func:`country_from_name` the ISO alpha-2 code for a country name (ISO short names and
the names registries such as ClinicalTrials.gov use), and :func:`slugify` a unique visit
id for a visit name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from crokit.errors import UnknownIdError
from crokit.registry import Registry
from crokit.vocabulary.countries import COUNTRIES
from crokit.vocabulary.terms import TherapeuticArea

__all__ = [
    "AREA_KEYWORDS",
    "area_from_keywords",
    "country_from_name",
    "resolve_area",
    "slugify",
]


# ---------------------------------------------------------------- therapeutic areas

AREA_KEYWORDS: Final[tuple[tuple[str, str], ...]] = (
    # Neurology (crokit:neurology, under crokit:central-nervous-system).
    ("alzheimer", "neurology"),
    ("dementia", "neurology"),
    ("parkinson", "neurology"),
    ("multiple sclerosis", "neurology"),
    ("epilep", "neurology"),
    ("migraine", "neurology"),
    ("huntington", "neurology"),
    ("amyotrophic lateral sclerosis", "neurology"),
    ("stroke", "neurology"),
    ("neuropath", "neurology"),
    # Psychiatry.
    ("schizophren", "psychiatry"),
    ("depress", "psychiatry"),
    ("bipolar", "psychiatry"),
    ("anxiety", "psychiatry"),
    ("attention deficit", "psychiatry"),
    # Cancers: blood cancers before the generic words.
    ("leukemia", "hematologic-cancers"),
    ("leukaemia", "hematologic-cancers"),
    ("lymphoma", "hematologic-cancers"),
    ("myeloma", "hematologic-cancers"),
    ("cancer", "oncology"),
    ("carcinoma", "oncology"),
    ("tumor", "oncology"),
    ("tumour", "oncology"),
    ("neoplasm", "oncology"),
    ("melanoma", "oncology"),
    ("sarcoma", "oncology"),
    # Others.
    ("diabetes", "metabolic"),
    ("obesity", "metabolic"),
    ("heart failure", "cardiovascular"),
    ("hypertension", "cardiovascular"),
    ("atrial fibrillation", "cardiovascular"),
    ("coronary", "cardiovascular"),
    ("myocardial", "cardiovascular"),
    ("asthma", "respiratory"),
    ("chronic obstructive pulmonary", "respiratory"),
    ("copd", "respiratory"),
    ("hiv", "infectious-disease"),
    ("influenza", "infectious-disease"),
    ("covid", "infectious-disease"),
    ("tuberculosis", "infectious-disease"),
    ("malaria", "infectious-disease"),
    ("infection", "infectious-disease"),
    ("rheumatoid arthritis", "immunology"),
    ("lupus", "immunology"),
    ("crohn", "gastroenterology"),
    ("ulcerative colitis", "gastroenterology"),
    ("cirrhosis", "hepatology"),
    ("chronic kidney disease", "nephrology"),
    ("macular degeneration", "ophthalmology"),
    ("glaucoma", "ophthalmology"),
    ("atopic dermatitis", "dermatology"),
    ("psoriasis", "dermatology"),
    ("osteoarthritis", "musculoskeletal"),
    ("osteoporosis", "musculoskeletal"),
    ("pain", "pain-and-anesthesia"),
)
"""Words in a condition or indication, and the therapeutic area (id or alias) they
suggest, tried in order (so "lymphoma" wins over "cancer"). Used only when a source
names no therapeutic area crokit knows; a match is always reported in the notes. The
table is deliberately small: extend the registry's area aliases for anything else."""


def resolve_area(registry: Registry, text: str) -> TherapeuticArea | None:
    """The area *text* names (id, alias or local id), or ``None``."""
    try:
        return registry.area(text)
    except UnknownIdError:
        return None


def area_from_keywords(registry: Registry, text: str) -> tuple[TherapeuticArea, str] | None:
    """The first area of :data:`AREA_KEYWORDS` whose word occurs in *text*, with the word."""
    lowered = text.lower()
    for word, area in AREA_KEYWORDS:
        if re.search(rf"\b{re.escape(word)}", lowered):
            found = resolve_area(registry, area)
            if found is not None:
                return found, word
    return None


# ---------------------------------------------------------------- countries

_COUNTRY_ALIASES: Final[Mapping[str, str]] = {
    # Names ClinicalTrials.gov and other registries use that differ from the ISO short names.
    "united states": "US",
    "usa": "US",
    "united kingdom": "GB",
    "great britain": "GB",
    "korea, republic of": "KR",
    "south korea": "KR",
    "republic of korea": "KR",
    "korea, democratic people's republic of": "KP",
    "north korea": "KP",
    "iran, islamic republic of": "IR",
    "moldova, republic of": "MD",
    "czech republic": "CZ",
    "turkey": "TR",
    "turkiye": "TR",
    "taiwan": "TW",
    "netherlands": "NL",
    "russia": "RU",
    "vietnam": "VN",
    "tanzania": "TZ",
    "congo, the democratic republic of the": "CD",
    "democratic republic of the congo": "CD",
    "macedonia, the former yugoslav republic of": "MK",
    "bolivia": "BO",
    "venezuela": "VE",
    "syria": "SY",
    "laos": "LA",
    "micronesia, federated states of": "FM",
    "palestinian territory, occupied": "PS",
    "palestinian territories": "PS",
    "cote d'ivoire": "CI",
    "ivory coast": "CI",
    "reunion": "RE",
    "curacao": "CW",
    "virgin islands (u.s.)": "VI",
    "hong kong": "HK",
    "macau": "MO",
    "swaziland": "SZ",
    "cape verde": "CV",
}


def _country_key(name: str) -> str:
    return " ".join(name.replace("\u2019", "'").lower().split())


def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    short: dict[str, list[str]] = {}
    for country in COUNTRIES:
        index[_country_key(country.name)] = country.alpha2
        stripped = re.sub(r"\s*\(.*\)$", "", country.name)
        if stripped != country.name:
            short.setdefault(_country_key(stripped), []).append(country.alpha2)
    for key, codes in short.items():
        if len(codes) == 1:  # "Bolivia" is unique; "Congo" (CD and CG) and "Korea" (KP and KR) are not.
            index.setdefault(key, codes[0])
    for key, code in _COUNTRY_ALIASES.items():
        index.setdefault(key, code)
    return index


_COUNTRY_INDEX: Final = _country_index()


def country_from_name(name: str) -> str | None:
    """The ISO alpha-2 code of a country name (ISO short name or a common registry name), or ``None``.

    >>> country_from_name("United States"), country_from_name("Korea, Republic of"), country_from_name("Atlantis")
    ('US', 'KR', None)
    """
    return _COUNTRY_INDEX.get(_country_key(name))


# ---------------------------------------------------------------- ids

_NOT_SLUG: Final = re.compile(r"[^a-z0-9]+")


def slugify(text: str, taken: set[str], *, fallback: str) -> str:
    """A visit id for *text*, not in *taken* (which it is added to)."""
    base = _NOT_SLUG.sub("-", text.lower()).strip("-")[:60].strip("-") or fallback
    candidate = base
    counter = 2
    while candidate in taken:
        candidate = f"{base}-{counter}"
        counter += 1
    taken.add(candidate)
    return candidate
