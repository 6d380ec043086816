from __future__ import annotations

import pytest

from crokit.errors import CrokitError, UnknownIdError, ValidationError
from crokit.vocabulary.countries import (
    COUNTRIES,
    REGIONS,
    Country,
    country,
    is_country_code,
    normalize_country,
    region_countries,
)

M49_REGIONS = {"africa", "americas", "asia", "europe", "oceania"}
M49_SUBREGIONS = {
    "northern-africa",
    "sub-saharan-africa",
    "latin-america-and-the-caribbean",
    "northern-america",
    "central-asia",
    "eastern-asia",
    "south-eastern-asia",
    "southern-asia",
    "western-asia",
    "eastern-europe",
    "northern-europe",
    "southern-europe",
    "western-europe",
    "australia-and-new-zealand",
    "melanesia",
    "micronesia",
    "polynesia",
}


def test_counts_and_unique_codes() -> None:
    assert len(COUNTRIES) >= 249
    assert len({c.alpha2 for c in COUNTRIES}) == len(COUNTRIES)
    assert len({c.alpha3 for c in COUNTRIES}) == len(COUNTRIES)


def test_sorted_by_alpha2() -> None:
    codes = [c.alpha2 for c in COUNTRIES]
    assert codes == sorted(codes)


def test_code_shapes() -> None:
    for c in COUNTRIES:
        assert len(c.alpha2) == 2
        assert c.alpha2.isascii()
        assert c.alpha2.isupper()
        assert len(c.alpha3) == 3
        assert c.alpha3.isascii()
        assert c.alpha3.isupper()
        assert c.name
        assert c.name == c.name.strip()


@pytest.mark.parametrize(
    ("alpha2", "alpha3", "region", "subregion"),
    [
        ("US", "USA", "americas", "northern-america"),
        ("GB", "GBR", "europe", "northern-europe"),
        ("DE", "DEU", "europe", "western-europe"),
        ("JP", "JPN", "asia", "eastern-asia"),
        ("CN", "CHN", "asia", "eastern-asia"),
        ("BR", "BRA", "americas", "latin-america-and-the-caribbean"),
        ("AU", "AUS", "oceania", "australia-and-new-zealand"),
        ("ZA", "ZAF", "africa", "sub-saharan-africa"),
        ("CH", "CHE", "europe", "western-europe"),
    ],
)
def test_known_rows(alpha2: str, alpha3: str, region: str, subregion: str) -> None:
    c = country(alpha2)
    assert c.alpha2 == alpha2
    assert c.alpha3 == alpha3
    assert c.region == region
    assert c.subregion == subregion
    assert country(alpha3) is c


def test_known_names() -> None:
    assert country("US").name == "United States of America"
    assert country("DE").name == "Germany"
    assert country("CH").name == "Switzerland"


def test_country_is_frozen() -> None:
    c = country("US")
    assert isinstance(c, Country)
    with pytest.raises(AttributeError):
        c.name = "Elsewhere"  # type: ignore[misc]


def test_regions_and_subregions_are_m49() -> None:
    for c in COUNTRIES:
        if c.alpha2 == "AQ":
            assert c.region == "antarctica"
            assert c.subregion == ""
        else:
            assert c.region in M49_REGIONS, c
            assert c.subregion in M49_SUBREGIONS, c


def test_current_codes_only() -> None:
    for code in ("SS", "CW", "SX", "BQ"):
        assert is_country_code(code)
    for code in ("AN", "CS", "YU", "XK", "SU", "TP", "ZR"):
        assert not is_country_code(code)


def test_alpha3_normalization() -> None:
    assert normalize_country("USA") == "US"
    assert normalize_country("GBR") == "GB"
    assert normalize_country("CHE") == "CH"
    assert normalize_country("US") == "US"
    for c in COUNTRIES:
        assert normalize_country(c.alpha3) == c.alpha2
        assert normalize_country(c.alpha2) == c.alpha2


def test_is_country_code() -> None:
    assert is_country_code("US")
    assert is_country_code("USA")
    assert not is_country_code("us")
    assert not is_country_code("Usa")
    assert not is_country_code("")
    assert not is_country_code(None)
    assert not is_country_code(840)


@pytest.mark.parametrize(("given", "meant"), [("us", "US"), ("Usa", "USA"), ("usa", "USA"), ("gb", "GB")])
def test_lower_case_refused_with_suggestion(given: str, meant: str) -> None:
    with pytest.raises(UnknownIdError) as info:
        normalize_country(given, path="sites[0].country")
    assert info.value.suggestions == (meant,)
    assert info.value.kind == "country"
    assert info.value.id == given
    message = str(info.value)
    assert repr(meant) in message
    assert "sites[0].country" in message
    with pytest.raises(UnknownIdError):
        country(given)


def test_unknown_code_is_key_error_and_crokit_error() -> None:
    with pytest.raises(KeyError):
        country("ZZ")
    with pytest.raises(CrokitError) as info:
        normalize_country("XK")
    assert isinstance(info.value, UnknownIdError)
    assert info.value.path == "country"


def test_non_string_is_validation_error() -> None:
    with pytest.raises(ValidationError) as info:
        normalize_country(840, path="site.country")
    assert info.value.problems[0].path == "site.country"
    assert "840" in str(info.value)
    with pytest.raises(ValidationError):
        country(None)  # type: ignore[arg-type]


def test_required_regions_present() -> None:
    required = M49_REGIONS | {"north-america", "latin-america", "eu", "eea", "apac", "mena", "global"}
    assert required <= set(REGIONS)


def test_region_members_are_known_codes() -> None:
    known = {c.alpha2 for c in COUNTRIES}
    for name, members in REGIONS.items():
        assert members, name
        assert members <= known, (name, members - known)


def test_every_country_region_is_a_region() -> None:
    for c in COUNTRIES:
        assert c.alpha2 in REGIONS[c.region]


def test_eu_has_27_members() -> None:
    eu = region_countries("eu")
    assert len(eu) == 27
    assert "GB" not in eu
    assert {"DE", "FR", "IT", "HR", "CY"} <= eu


def test_eea() -> None:
    assert region_countries("eea") == region_countries("eu") | {"IS", "LI", "NO"}


def test_global_covers_all() -> None:
    assert region_countries("global") == {c.alpha2 for c in COUNTRIES}


def test_m49_regions_partition_the_table() -> None:
    union: set[str] = set()
    for name in M49_REGIONS:
        members = region_countries(name)
        assert not union & members
        union |= members
    assert union == {c.alpha2 for c in COUNTRIES} - {"AQ"}


def test_north_and_latin_america() -> None:
    assert region_countries("north-america") == {"BM", "CA", "GL", "PM", "US", "MX"}
    latin = region_countries("latin-america")
    assert {"MX", "BR", "AR", "CU"} <= latin
    assert "US" not in latin


def test_apac() -> None:
    apac = region_countries("apac")
    assert {"JP", "CN", "IN", "AU", "NZ", "SG", "KR"} <= apac
    assert not apac & {"SA", "IL", "TR", "AE"}
    assert apac <= region_countries("asia") | region_countries("oceania")


def test_mena() -> None:
    mena = region_countries("mena")
    assert {"EG", "MA", "SA", "AE", "IL", "IR", "IQ"} <= mena
    assert not mena & {"CY", "GE", "AM", "AZ"}


def test_regions_are_read_only() -> None:
    with pytest.raises(TypeError):
        REGIONS["new"] = frozenset()  # type: ignore[index]


def test_unknown_region() -> None:
    with pytest.raises(UnknownIdError) as info:
        region_countries("Europe")
    assert info.value.kind == "region"
    assert info.value.suggestions == ("europe",)
    assert info.value.path == "region"
    assert isinstance(info.value, KeyError)
    assert isinstance(info.value, CrokitError)
