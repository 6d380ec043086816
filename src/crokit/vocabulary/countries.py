"""The ISO 3166-1 country table and the regions crokit groups countries into.

Sources:

- Codes and names: ISO 3166-1, every *officially assigned* alpha-2 code (249 of them)
  with its alpha-3 code and English short name, without the "(the)" ISO puts after
  some names (``"Bahamas"``, not ``"Bahamas (the)"``). Only current codes are listed: withdrawn or
  transitionally reserved codes (``AN``, ``CS``, ``YU``, ...) are not, and neither are
  user-assigned codes such as ``XK`` (Kosovo), which ISO 3166-1 does not assign.
- Regions and sub-regions: the UN M49 standard ("Standard country or area codes for
  statistical use"), at its region and sub-region levels (not the intermediate level:
  Mexico's sub-region is ``latin-america-and-the-caribbean``, not "central-america").

Codes are matched exactly: ``"us"`` and ``"Usa"`` are refused (crokit never silently
changes input) and the error suggests ``"US"`` / ``"USA"``.

>>> country("DE").name
'Germany'
>>> normalize_country("JPN")
'JP'
>>> "FR" in region_countries("eu")
True
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs

from crokit._typed import typed_fields
from crokit.errors import UnknownIdError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "COUNTRIES",
    "REGIONS",
    "Country",
    "country",
    "is_country_code",
    "normalize_country",
    "region_countries",
]


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Country:
    """One ISO 3166-1 country (or territory) with its UN M49 region.

    Attributes:
        alpha2: The ISO 3166-1 alpha-2 code (``"US"``).
        alpha3: The ISO 3166-1 alpha-3 code (``"USA"``).
        name: The ISO English short name (``"United States of America"``).
        region: The UN M49 region: ``"africa"``, ``"americas"``, ``"asia"``, ``"europe"``,
            ``"oceania"``, or ``"antarctica"`` for Antarctica (``AQ``), which M49 puts in no region.
        subregion: The UN M49 sub-region in lower case with hyphens (``"northern-america"``,
            ``"sub-saharan-africa"``, ...), or ``""`` where there is none (``AQ``).
    """

    alpha2: str
    alpha3: str
    name: str
    region: str
    subregion: str


# One row per country: alpha-2, alpha-3, M49 region, M49 sub-region, ISO short name.
# M49 itself places the uninhabited or remote territories: BV (Bouvet Island) and
# GS (South Georgia) in South America, so latin-america-and-the-caribbean; HM (Heard and
# McDonald Islands) in Australia and New Zealand; TF (French Southern Territories) and
# IO (British Indian Ocean Territory) in Eastern Africa, so sub-saharan-africa; UM (US
# Minor Outlying Islands) in Micronesia. Only AQ has no M49 region: crokit uses
# "antarctica" with no sub-region. TW is not listed by M49; it is placed in eastern-asia.
_TABLE = """
AD AND europe   southern-europe                 Andorra
AE ARE asia     western-asia                    United Arab Emirates
AF AFG asia     southern-asia                   Afghanistan
AG ATG americas latin-america-and-the-caribbean Antigua and Barbuda
AI AIA americas latin-america-and-the-caribbean Anguilla
AL ALB europe   southern-europe                 Albania
AM ARM asia     western-asia                    Armenia
AO AGO africa   sub-saharan-africa              Angola
AQ ATA antarctica -                             Antarctica
AR ARG americas latin-america-and-the-caribbean Argentina
AS ASM oceania  polynesia                       American Samoa
AT AUT europe   western-europe                  Austria
AU AUS oceania  australia-and-new-zealand       Australia
AW ABW americas latin-america-and-the-caribbean Aruba
AX ALA europe   northern-europe                 Åland Islands
AZ AZE asia     western-asia                    Azerbaijan
BA BIH europe   southern-europe                 Bosnia and Herzegovina
BB BRB americas latin-america-and-the-caribbean Barbados
BD BGD asia     southern-asia                   Bangladesh
BE BEL europe   western-europe                  Belgium
BF BFA africa   sub-saharan-africa              Burkina Faso
BG BGR europe   eastern-europe                  Bulgaria
BH BHR asia     western-asia                    Bahrain
BI BDI africa   sub-saharan-africa              Burundi
BJ BEN africa   sub-saharan-africa              Benin
BL BLM americas latin-america-and-the-caribbean Saint Barthélemy
BM BMU americas northern-america                Bermuda
BN BRN asia     south-eastern-asia              Brunei Darussalam
BO BOL americas latin-america-and-the-caribbean Bolivia (Plurinational State of)
BQ BES americas latin-america-and-the-caribbean Bonaire, Sint Eustatius and Saba
BR BRA americas latin-america-and-the-caribbean Brazil
BS BHS americas latin-america-and-the-caribbean Bahamas
BT BTN asia     southern-asia                   Bhutan
BV BVT americas latin-america-and-the-caribbean Bouvet Island
BW BWA africa   sub-saharan-africa              Botswana
BY BLR europe   eastern-europe                  Belarus
BZ BLZ americas latin-america-and-the-caribbean Belize
CA CAN americas northern-america                Canada
CC CCK oceania  australia-and-new-zealand       Cocos (Keeling) Islands
CD COD africa   sub-saharan-africa              Congo (the Democratic Republic of the)
CF CAF africa   sub-saharan-africa              Central African Republic
CG COG africa   sub-saharan-africa              Congo
CH CHE europe   western-europe                  Switzerland
CI CIV africa   sub-saharan-africa              Côte d'Ivoire
CK COK oceania  polynesia                       Cook Islands
CL CHL americas latin-america-and-the-caribbean Chile
CM CMR africa   sub-saharan-africa              Cameroon
CN CHN asia     eastern-asia                    China
CO COL americas latin-america-and-the-caribbean Colombia
CR CRI americas latin-america-and-the-caribbean Costa Rica
CU CUB americas latin-america-and-the-caribbean Cuba
CV CPV africa   sub-saharan-africa              Cabo Verde
CW CUW americas latin-america-and-the-caribbean Curaçao
CX CXR oceania  australia-and-new-zealand       Christmas Island
CY CYP asia     western-asia                    Cyprus
CZ CZE europe   eastern-europe                  Czechia
DE DEU europe   western-europe                  Germany
DJ DJI africa   sub-saharan-africa              Djibouti
DK DNK europe   northern-europe                 Denmark
DM DMA americas latin-america-and-the-caribbean Dominica
DO DOM americas latin-america-and-the-caribbean Dominican Republic
DZ DZA africa   northern-africa                 Algeria
EC ECU americas latin-america-and-the-caribbean Ecuador
EE EST europe   northern-europe                 Estonia
EG EGY africa   northern-africa                 Egypt
EH ESH africa   northern-africa                 Western Sahara
ER ERI africa   sub-saharan-africa              Eritrea
ES ESP europe   southern-europe                 Spain
ET ETH africa   sub-saharan-africa              Ethiopia
FI FIN europe   northern-europe                 Finland
FJ FJI oceania  melanesia                       Fiji
FK FLK americas latin-america-and-the-caribbean Falkland Islands (Malvinas)
FM FSM oceania  micronesia                      Micronesia (Federated States of)
FO FRO europe   northern-europe                 Faroe Islands
FR FRA europe   western-europe                  France
GA GAB africa   sub-saharan-africa              Gabon
GB GBR europe   northern-europe                 United Kingdom of Great Britain and Northern Ireland
GD GRD americas latin-america-and-the-caribbean Grenada
GE GEO asia     western-asia                    Georgia
GF GUF americas latin-america-and-the-caribbean French Guiana
GG GGY europe   northern-europe                 Guernsey
GH GHA africa   sub-saharan-africa              Ghana
GI GIB europe   southern-europe                 Gibraltar
GL GRL americas northern-america                Greenland
GM GMB africa   sub-saharan-africa              Gambia
GN GIN africa   sub-saharan-africa              Guinea
GP GLP americas latin-america-and-the-caribbean Guadeloupe
GQ GNQ africa   sub-saharan-africa              Equatorial Guinea
GR GRC europe   southern-europe                 Greece
GS SGS americas latin-america-and-the-caribbean South Georgia and the South Sandwich Islands
GT GTM americas latin-america-and-the-caribbean Guatemala
GU GUM oceania  micronesia                      Guam
GW GNB africa   sub-saharan-africa              Guinea-Bissau
GY GUY americas latin-america-and-the-caribbean Guyana
HK HKG asia     eastern-asia                    Hong Kong
HM HMD oceania  australia-and-new-zealand       Heard Island and McDonald Islands
HN HND americas latin-america-and-the-caribbean Honduras
HR HRV europe   southern-europe                 Croatia
HT HTI americas latin-america-and-the-caribbean Haiti
HU HUN europe   eastern-europe                  Hungary
ID IDN asia     south-eastern-asia              Indonesia
IE IRL europe   northern-europe                 Ireland
IL ISR asia     western-asia                    Israel
IM IMN europe   northern-europe                 Isle of Man
IN IND asia     southern-asia                   India
IO IOT africa   sub-saharan-africa              British Indian Ocean Territory
IQ IRQ asia     western-asia                    Iraq
IR IRN asia     southern-asia                   Iran (Islamic Republic of)
IS ISL europe   northern-europe                 Iceland
IT ITA europe   southern-europe                 Italy
JE JEY europe   northern-europe                 Jersey
JM JAM americas latin-america-and-the-caribbean Jamaica
JO JOR asia     western-asia                    Jordan
JP JPN asia     eastern-asia                    Japan
KE KEN africa   sub-saharan-africa              Kenya
KG KGZ asia     central-asia                    Kyrgyzstan
KH KHM asia     south-eastern-asia              Cambodia
KI KIR oceania  micronesia                      Kiribati
KM COM africa   sub-saharan-africa              Comoros
KN KNA americas latin-america-and-the-caribbean Saint Kitts and Nevis
KP PRK asia     eastern-asia                    Korea (the Democratic People's Republic of)
KR KOR asia     eastern-asia                    Korea (the Republic of)
KW KWT asia     western-asia                    Kuwait
KY CYM americas latin-america-and-the-caribbean Cayman Islands
KZ KAZ asia     central-asia                    Kazakhstan
LA LAO asia     south-eastern-asia              Lao People's Democratic Republic
LB LBN asia     western-asia                    Lebanon
LC LCA americas latin-america-and-the-caribbean Saint Lucia
LI LIE europe   western-europe                  Liechtenstein
LK LKA asia     southern-asia                   Sri Lanka
LR LBR africa   sub-saharan-africa              Liberia
LS LSO africa   sub-saharan-africa              Lesotho
LT LTU europe   northern-europe                 Lithuania
LU LUX europe   western-europe                  Luxembourg
LV LVA europe   northern-europe                 Latvia
LY LBY africa   northern-africa                 Libya
MA MAR africa   northern-africa                 Morocco
MC MCO europe   western-europe                  Monaco
MD MDA europe   eastern-europe                  Moldova (the Republic of)
ME MNE europe   southern-europe                 Montenegro
MF MAF americas latin-america-and-the-caribbean Saint Martin (French part)
MG MDG africa   sub-saharan-africa              Madagascar
MH MHL oceania  micronesia                      Marshall Islands
MK MKD europe   southern-europe                 North Macedonia
ML MLI africa   sub-saharan-africa              Mali
MM MMR asia     south-eastern-asia              Myanmar
MN MNG asia     eastern-asia                    Mongolia
MO MAC asia     eastern-asia                    Macao
MP MNP oceania  micronesia                      Northern Mariana Islands
MQ MTQ americas latin-america-and-the-caribbean Martinique
MR MRT africa   sub-saharan-africa              Mauritania
MS MSR americas latin-america-and-the-caribbean Montserrat
MT MLT europe   southern-europe                 Malta
MU MUS africa   sub-saharan-africa              Mauritius
MV MDV asia     southern-asia                   Maldives
MW MWI africa   sub-saharan-africa              Malawi
MX MEX americas latin-america-and-the-caribbean Mexico
MY MYS asia     south-eastern-asia              Malaysia
MZ MOZ africa   sub-saharan-africa              Mozambique
NA NAM africa   sub-saharan-africa              Namibia
NC NCL oceania  melanesia                       New Caledonia
NE NER africa   sub-saharan-africa              Niger
NF NFK oceania  australia-and-new-zealand       Norfolk Island
NG NGA africa   sub-saharan-africa              Nigeria
NI NIC americas latin-america-and-the-caribbean Nicaragua
NL NLD europe   western-europe                  Netherlands (Kingdom of the)
NO NOR europe   northern-europe                 Norway
NP NPL asia     southern-asia                   Nepal
NR NRU oceania  micronesia                      Nauru
NU NIU oceania  polynesia                       Niue
NZ NZL oceania  australia-and-new-zealand       New Zealand
OM OMN asia     western-asia                    Oman
PA PAN americas latin-america-and-the-caribbean Panama
PE PER americas latin-america-and-the-caribbean Peru
PF PYF oceania  polynesia                       French Polynesia
PG PNG oceania  melanesia                       Papua New Guinea
PH PHL asia     south-eastern-asia              Philippines
PK PAK asia     southern-asia                   Pakistan
PL POL europe   eastern-europe                  Poland
PM SPM americas northern-america                Saint Pierre and Miquelon
PN PCN oceania  polynesia                       Pitcairn
PR PRI americas latin-america-and-the-caribbean Puerto Rico
PS PSE asia     western-asia                    Palestine, State of
PT PRT europe   southern-europe                 Portugal
PW PLW oceania  micronesia                      Palau
PY PRY americas latin-america-and-the-caribbean Paraguay
QA QAT asia     western-asia                    Qatar
RE REU africa   sub-saharan-africa              Réunion
RO ROU europe   eastern-europe                  Romania
RS SRB europe   southern-europe                 Serbia
RU RUS europe   eastern-europe                  Russian Federation
RW RWA africa   sub-saharan-africa              Rwanda
SA SAU asia     western-asia                    Saudi Arabia
SB SLB oceania  melanesia                       Solomon Islands
SC SYC africa   sub-saharan-africa              Seychelles
SD SDN africa   northern-africa                 Sudan
SE SWE europe   northern-europe                 Sweden
SG SGP asia     south-eastern-asia              Singapore
SH SHN africa   sub-saharan-africa              Saint Helena, Ascension and Tristan da Cunha
SI SVN europe   southern-europe                 Slovenia
SJ SJM europe   northern-europe                 Svalbard and Jan Mayen
SK SVK europe   eastern-europe                  Slovakia
SL SLE africa   sub-saharan-africa              Sierra Leone
SM SMR europe   southern-europe                 San Marino
SN SEN africa   sub-saharan-africa              Senegal
SO SOM africa   sub-saharan-africa              Somalia
SR SUR americas latin-america-and-the-caribbean Suriname
SS SSD africa   sub-saharan-africa              South Sudan
ST STP africa   sub-saharan-africa              Sao Tome and Principe
SV SLV americas latin-america-and-the-caribbean El Salvador
SX SXM americas latin-america-and-the-caribbean Sint Maarten (Dutch part)
SY SYR asia     western-asia                    Syrian Arab Republic
SZ SWZ africa   sub-saharan-africa              Eswatini
TC TCA americas latin-america-and-the-caribbean Turks and Caicos Islands
TD TCD africa   sub-saharan-africa              Chad
TF ATF africa   sub-saharan-africa              French Southern Territories
TG TGO africa   sub-saharan-africa              Togo
TH THA asia     south-eastern-asia              Thailand
TJ TJK asia     central-asia                    Tajikistan
TK TKL oceania  polynesia                       Tokelau
TL TLS asia     south-eastern-asia              Timor-Leste
TM TKM asia     central-asia                    Turkmenistan
TN TUN africa   northern-africa                 Tunisia
TO TON oceania  polynesia                       Tonga
TR TUR asia     western-asia                    Türkiye
TT TTO americas latin-america-and-the-caribbean Trinidad and Tobago
TV TUV oceania  polynesia                       Tuvalu
TW TWN asia     eastern-asia                    Taiwan (Province of China)
TZ TZA africa   sub-saharan-africa              Tanzania, the United Republic of
UA UKR europe   eastern-europe                  Ukraine
UG UGA africa   sub-saharan-africa              Uganda
UM UMI oceania  micronesia                      United States Minor Outlying Islands
US USA americas northern-america                United States of America
UY URY americas latin-america-and-the-caribbean Uruguay
UZ UZB asia     central-asia                    Uzbekistan
VA VAT europe   southern-europe                 Holy See
VC VCT americas latin-america-and-the-caribbean Saint Vincent and the Grenadines
VE VEN americas latin-america-and-the-caribbean Venezuela (Bolivarian Republic of)
VG VGB americas latin-america-and-the-caribbean Virgin Islands (British)
VI VIR americas latin-america-and-the-caribbean Virgin Islands (U.S.)
VN VNM asia     south-eastern-asia              Viet Nam
VU VUT oceania  melanesia                       Vanuatu
WF WLF oceania  polynesia                       Wallis and Futuna
WS WSM oceania  polynesia                       Samoa
YE YEM asia     western-asia                    Yemen
YT MYT africa   sub-saharan-africa              Mayotte
ZA ZAF africa   sub-saharan-africa              South Africa
ZM ZMB africa   sub-saharan-africa              Zambia
ZW ZWE africa   sub-saharan-africa              Zimbabwe
"""


def _parse(table: str) -> tuple[Country, ...]:
    rows: list[Country] = []
    for line in table.strip().splitlines():
        alpha2, alpha3, region, subregion, name = line.split(maxsplit=4)
        rows.append(
            Country(
                alpha2=alpha2,
                alpha3=alpha3,
                name=name,
                region=region,
                subregion="" if subregion == "-" else subregion,
            )
        )
    return tuple(sorted(rows, key=lambda c: c.alpha2))


COUNTRIES: Final[tuple[Country, ...]] = _parse(_TABLE)
"""Every officially assigned ISO 3166-1 country, sorted by alpha-2 code."""

_BY_ALPHA2: Final[dict[str, Country]] = {c.alpha2: c for c in COUNTRIES}
_BY_ALPHA3: Final[dict[str, Country]] = {c.alpha3: c for c in COUNTRIES}
_BY_CODE: Final[dict[str, Country]] = {**_BY_ALPHA2, **_BY_ALPHA3}


def _in_region(region: str) -> frozenset[str]:
    return frozenset(c.alpha2 for c in COUNTRIES if c.region == region)


def _in_subregion(subregion: str) -> frozenset[str]:
    return frozenset(c.alpha2 for c in COUNTRIES if c.subregion == subregion)


_EU: Final = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip

# Working definition, not a standard: M49 "northern-africa" (DZ, EG, EH, LY, MA, SD, TN),
# M49 "western-asia" without the South Caucasus (AM, AZ, GE) and Cyprus (CY), plus Iran (IR).
_MENA: Final = frozenset(
    {
        "DZ", "EG", "EH", "LY", "MA", "SD", "TN",
        "AE", "BH", "IL", "IQ", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR", "YE",
        "IR",
    }
)  # fmt: skip

REGIONS: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        # UN M49 regions.
        "africa": _in_region("africa"),
        "americas": _in_region("americas"),
        "asia": _in_region("asia"),
        "europe": _in_region("europe"),
        "oceania": _in_region("oceania"),
        # Not an M49 region: Antarctica (AQ) belongs to none, so it gets its own.
        "antarctica": _in_region("antarctica"),
        # Working definition, not a standard: M49 "northern-america" (BM, CA, GL, PM, US) plus Mexico.
        "north-america": _in_subregion("northern-america") | {"MX"},
        # M49 sub-region "latin-america-and-the-caribbean" (includes Mexico).
        "latin-america": _in_subregion("latin-america-and-the-caribbean"),
        # The 27 member states of the European Union (as of 2026).
        "eu": _EU,
        # European Economic Area: the EU plus Iceland, Liechtenstein and Norway.
        "eea": _EU | {"IS", "LI", "NO"},
        # Working definition, not a standard: M49 Asia and Oceania without M49 "western-asia".
        "apac": (_in_region("asia") | _in_region("oceania")) - _in_subregion("western-asia"),
        # Working definition, not a standard: see _MENA above.
        "mena": _MENA,
        # Every country in COUNTRIES.
        "global": frozenset(_BY_ALPHA2),
    }
)
"""Region id mapped to the alpha-2 codes of its countries.

``africa``, ``americas``, ``asia``, ``europe`` and ``oceania`` are the UN M49 regions;
``antarctica`` holds AQ, which M49 puts in no region. ``latin-america`` is M49's
"Latin America and the Caribbean"; ``eu`` is the 27 EU member states (as of 2026) and
``eea`` adds Iceland, Liechtenstein and Norway; ``global`` is every country. The rest
are crokit's working definitions, not standards: ``north-america`` is M49 "Northern
America" (BM, CA, GL, PM, US) plus MX; ``apac`` is M49 Asia and Oceania without Western
Asia; ``mena`` is M49 Northern Africa (DZ, EG, EH, LY, MA, SD, TN), M49 Western Asia
without AM, AZ, GE and CY, plus IR.
"""


def _not_a_code(value: object, path: str) -> ValidationError:
    return ValidationError.at(path, f"expected an ISO 3166 country code such as 'US' or 'USA', got {value!r}")


def _lookup(code: object, path: str) -> Country:
    if not isinstance(code, str):
        raise _not_a_code(code, path)
    found = _BY_CODE.get(code)
    if found is None:
        upper = code.upper()
        # Wrong case only: suggest just the upper-case code, which is what was meant.
        choices = (upper,) if upper in _BY_CODE else _BY_CODE
        raise UnknownIdError("country", code, choices=choices, path=path)
    return found


def country(code: str, *, path: str = "country") -> Country:
    """Return the country with ISO 3166-1 alpha-2 or alpha-3 *code*.

    Args:
        code: An upper-case alpha-2 (``"US"``) or alpha-3 (``"USA"``) code.
        path: Where *code* came from in the input, for error messages.

    Returns:
        The :class:`Country`.

    Raises:
        UnknownIdError: *code* is not an assigned code (including a code in the wrong case;
            the error then suggests the upper-case code).
        ValidationError: *code* is not a string.

    >>> country("USA").alpha2
    'US'
    """
    return _lookup(code, path)


def normalize_country(code: object, *, path: str = "country") -> str:
    """Return the alpha-2 code for an ISO 3166-1 alpha-2 or alpha-3 *code*.

    Args:
        code: An upper-case alpha-2 (``"GB"``) or alpha-3 (``"GBR"``) code.
        path: Where *code* came from in the input, for error messages.

    Returns:
        The alpha-2 code.

    Raises:
        UnknownIdError: *code* is not an assigned code (including a code in the wrong case;
            the error then suggests the upper-case code).
        ValidationError: *code* is not a string.

    >>> normalize_country("GBR")
    'GB'
    """
    return _lookup(code, path).alpha2


def is_country_code(code: object) -> bool:
    """Say whether *code* is an assigned upper-case ISO 3166-1 alpha-2 or alpha-3 code.

    Args:
        code: Any value.

    Returns:
        ``True`` exactly when :func:`normalize_country` would accept *code*.

    >>> is_country_code("CH"), is_country_code("CHE"), is_country_code("ch"), is_country_code("XK")
    (True, True, False, False)
    """
    return isinstance(code, str) and code in _BY_CODE


def region_countries(region: str, *, path: str = "region") -> frozenset[str]:
    """Return the alpha-2 codes of the countries in *region*.

    Args:
        region: A key of :data:`REGIONS` (``"europe"``, ``"eu"``, ``"apac"``, ...).
        path: Where *region* came from in the input, for error messages.

    Returns:
        The alpha-2 codes.

    Raises:
        UnknownIdError: *region* is not a key of :data:`REGIONS`.

    >>> sorted(region_countries("north-america"))
    ['BM', 'CA', 'GL', 'MX', 'PM', 'US']
    """
    found = REGIONS.get(region)
    if found is None:
        raise UnknownIdError("region", str(region), choices=REGIONS, path=path)
    return found
