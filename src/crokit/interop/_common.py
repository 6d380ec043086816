"""Shared machinery of the importers: located JSON access, area and country mapping.

Every reader walks untrusted JSON through :class:`Node`, which knows its JSON path
(``study.versions[0].studyDesigns[0].encounters[3]``) and raises
:class:`~crokit.errors.ValidationError` at that path when a value has the wrong shape,
so a malformed file never surfaces as a bare ``KeyError`` or ``TypeError``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final

import attrs

from crokit.errors import FormatError, UnknownIdError, ValidationError
from crokit.interop.report import Assumption, ImportDefaults
from crokit.registry import Registry
from crokit.study import Complexity
from crokit.vocabulary.countries import COUNTRIES
from crokit.vocabulary.lifecycle import Stage
from crokit.vocabulary.terms import TherapeuticArea

__all__ = [
    "AREA_KEYWORDS",
    "Collector",
    "Node",
    "area_from_keywords",
    "country_from_name",
    "describe",
    "first_text",
    "load_json",
    "resolve_area",
    "slugify",
    "unique_texts",
]

MAX_NUMBER: Final = 10**15
"""Numbers beyond this magnitude are refused wherever a count is expected."""


def describe(value: object) -> str:
    """A short description of *value* for error messages."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, int) and value.bit_length() > 200:  # noqa: PLR2004 - too long to print (or even to convert)
        return f"a number of about {int(value.bit_length() * 0.30103)} digits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."  # noqa: PLR2004 - keep messages short


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number JSON allows")


def load_json(data: object, *, source: str, what: str) -> object:
    """Parse *data* (text, bytes or already-parsed JSON) into plain data.

    Floats are read as :class:`~decimal.Decimal`, never binary floats.

    Raises:
        FormatError: If text or bytes are not JSON (invalid UTF-8, bad syntax, empty,
            nested too deeply, a number too long to read).
        ValidationError: If *data* is of no type a JSON document can be.
    """
    if isinstance(data, Mapping):
        return data
    if isinstance(data, bytes | bytearray | memoryview):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FormatError("json", f"not UTF-8 text ({exc.reason} at byte {exc.start})", source=source) from None
    if not isinstance(data, str):
        raise ValidationError.at("", f"expected {what} as a JSON object, text or bytes, got {describe(data)}")
    if not data.strip():
        raise FormatError("json", "the document is empty", source=source)
    try:
        return json.loads(data, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise FormatError("json", f"{exc.msg} at line {exc.lineno} column {exc.colno}", source=source) from None
    except RecursionError:
        raise FormatError("json", "the document is nested too deeply", source=source) from None
    except ValueError as exc:  # a number too long to convert, or NaN / Infinity
        raise FormatError("json", str(exc).splitlines()[0], source=source) from None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


@attrs.frozen
class Node:
    """A value of an untrusted JSON document together with its path.

    Missing values are ``None``; asking for a key of ``None`` gives ``None`` again, so
    optional chains (``design["population"]["plannedEnrollmentNumber"]``) need no
    checks. A value of the wrong type raises :class:`ValidationError` at its path.
    """

    value: object
    path: str = ""

    def fail(self, message: str) -> ValidationError:
        """A :class:`ValidationError` at this node's path."""
        return ValidationError.at(self.path, message)

    @property
    def missing(self) -> bool:
        """Whether the value is absent (``null`` or not given)."""
        return self.value is None

    def __getitem__(self, key: str) -> Node:
        """The child at *key* of this object (``None`` if this node or the key is missing)."""
        if self.value is None:
            return Node(None, _join(self.path, key))
        if not isinstance(self.value, Mapping):
            raise self.fail(f"expected an object with {key!r}, got {describe(self.value)}")
        return Node(self.value.get(key), _join(self.path, key))

    def has(self, key: str) -> bool:
        """Whether this node is an object with a non-null *key*."""
        return isinstance(self.value, Mapping) and self.value.get(key) is not None

    def require(self, what: str) -> Node:
        """This node, or an error saying *what* is missing."""
        if self.value is None:
            raise self.fail(f"missing: expected {what}")
        return self

    def mapping(self) -> Mapping[str, Any] | None:
        """The value as an object, ``None`` if missing; an error for any other type."""
        if self.value is None:
            return None
        if not isinstance(self.value, Mapping):
            raise self.fail(f"expected an object, got {describe(self.value)}")
        return self.value

    def items(self) -> list[Node]:
        """The items of a list (empty if missing); an error for any other type."""
        if self.value is None:
            return []
        if not isinstance(self.value, list | tuple):
            raise self.fail(f"expected a list, got {describe(self.value)}")
        return [Node(item, f"{self.path}[{index}]") for index, item in enumerate(self.value)]

    def objects(self) -> list[Node]:
        """The items of a list of objects (null items skipped); an error for any other item."""
        return [item for item in self.items() if item.mapping() is not None]

    def text(self) -> str | None:
        """The value as stripped text, ``None`` if missing or blank; an error for a non-text."""
        if self.value is None:
            return None
        if not isinstance(self.value, str):
            raise self.fail(f"expected text, got {describe(self.value)}")
        return self.value.strip() or None

    def whole(self, *, minimum: int = 0, maximum: int = MAX_NUMBER, what: str = "a whole number") -> int | None:
        """The value as a whole number in [*minimum*, *maximum*], ``None`` if missing.

        Integral decimals (``300.0``) and integral floats count as whole numbers; text,
        booleans, fractions, NaN and numbers out of range are errors.
        """
        value = self.value
        if value is None:
            return None
        if isinstance(value, bool):
            raise self.fail(f"expected {what}, got {describe(value)}")
        if isinstance(value, int):
            if not minimum <= value <= maximum:
                raise self.fail(f"expected {what} from {minimum} to {maximum}, got {describe(value)}")
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                raise self.fail(f"expected {what}, got {describe(value)}")
            value = Decimal(value)
        if not isinstance(value, Decimal) or not value.is_finite() or value != value.to_integral_value():
            raise self.fail(f"expected {what}, got {describe(value)}")
        if not minimum <= value <= maximum:
            raise self.fail(f"expected {what} from {minimum} to {maximum}, got {describe(value)}")
        return int(value)

    def date(self) -> date | None:
        """The value as an ISO calendar date, ``None`` if missing; an error for anything else."""
        text = self.text()
        if text is None:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise self.fail(f"expected a date like 2021-03-15, got {describe(self.value)}") from None


@attrs.define
class Collector:
    """Gathers the assumptions, unread items and notes of one import."""

    defaults: ImportDefaults
    filled: list[Assumption] = attrs.field(factory=list)
    unread: list[str] = attrs.field(factory=list)
    notes: list[str] = attrs.field(factory=list)

    def assume(self, field: str, value: object, reason: str) -> None:
        """Record that *field* was filled with *value* because of *reason*."""
        self.filled.append(Assumption(field=field, value=str(value), reason=reason))

    def phase(self, path: str) -> Stage:
        """The default phase, recorded as an assumption, or an error at *path*."""
        if self.defaults.phase is None:
            raise ValidationError.at(
                path, "missing: no study phase found; pass defaults=ImportDefaults(phase=...) to state one"
            )
        self.assume("phase", self.defaults.phase.value, "the source gives no phase; taken from the defaults")
        return self.defaults.phase

    def indication(self, path: str) -> str:
        """The default indication, recorded as an assumption, or an error at *path*."""
        if self.defaults.indication is None:
            raise ValidationError.at(
                path, "missing: no indication or condition found; pass defaults=ImportDefaults(indication=...)"
            )
        self.assume("indication", self.defaults.indication, "the source names no indication; taken from the defaults")
        return self.defaults.indication

    def planned_patients(self, path: str) -> int:
        """The default enrolment, recorded as an assumption, or an error at *path*."""
        if self.defaults.planned_patients is None:
            raise ValidationError.at(
                path, "missing: no planned enrolment found; pass defaults=ImportDefaults(planned_patients=...)"
            )
        self.assume(
            "planned_patients",
            self.defaults.planned_patients,
            "the source gives no planned enrolment; taken from the defaults",
        )
        return self.defaults.planned_patients

    def sites(self, patients: int) -> int:
        """The default number of sites for *patients*, recorded as an assumption."""
        if self.defaults.sites is not None:
            self.assume("sites", self.defaults.sites, "the source lists no sites; taken from the defaults")
            return self.defaults.sites
        per_site = self.defaults.patients_per_site
        sites = max(1, min(patients, math.ceil(patients / per_site)))
        self.assume(
            "sites",
            sites,
            f"the source lists no sites; {patients} patients at {per_site} patients per site "
            "(ImportDefaults.patients_per_site), rounded up",
        )
        return sites

    def countries(self) -> tuple[str, ...]:
        """The default countries, recorded as an assumption."""
        countries = self.defaults.countries
        self.assume("countries", ", ".join(countries), "the source names no country; taken from the defaults")
        return countries

    def start_date(self, path: str) -> date:
        """The default start date, recorded as an assumption, or an error at *path*.

        crokit has no hidden "today": a study without a usable date needs one stated.
        """
        if self.defaults.start_date is None:
            raise ValidationError.at(
                path, "missing: no usable study date found; pass defaults=ImportDefaults(start_date=...)"
            )
        self.assume("start_date", self.defaults.start_date, "the source gives no usable date; taken from the defaults")
        return self.defaults.start_date

    def currency(self) -> str:
        """The budget currency, always an assumption: sources never state one."""
        self.assume("currency", self.defaults.currency, "the source states no budget currency; taken from the defaults")
        return self.defaults.currency

    def complexity(self, *, adaptive: bool) -> Complexity:
        """The protocol complexity, always an assumption."""
        if self.defaults.complexity is not None:
            self.assume("complexity", self.defaults.complexity.value, "taken from the defaults")
            return self.defaults.complexity
        if adaptive:
            self.assume(
                "complexity",
                Complexity.HIGH.value,
                "the source states no complexity; the design is marked adaptive, which crokit's "
                "Complexity scale puts at high",
            )
            return Complexity.HIGH
        self.assume("complexity", Complexity.MODERATE.value, "the source states no complexity; crokit's default")
        return Complexity.MODERATE

    def rates_and_services(self) -> None:
        """Record the Study fields no protocol or registry record states."""
        self.assume(
            "screen_failure_rate", "0", "the source states no expected screen-failure rate; 0 screens only enrolees"
        )
        self.assume(
            "dropout_rate", "0", "the source states no expected dropout rate; 0 assumes every patient completes"
        )
        self.assume(
            "required_services", "(none)", "the source does not say which services the sponsor needs from a CRO"
        )


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


def first_text(*nodes: Node) -> str | None:
    """The first non-blank text among *nodes*."""
    for node in nodes:
        text = node.text()
        if text is not None:
            return text
    return None


def unique_texts(texts: Iterator[str | None] | list[str | None]) -> list[str]:
    """The non-empty texts, each once (case-insensitively), in order."""
    seen: set[str] = set()
    result: list[str] = []
    for text in texts:
        if text and text.lower() not in seen:
            seen.add(text.lower())
            result.append(text)
    return result
