import re

import pytest
from django.urls import reverse

from compacts.stored import refresh_stale
from tests.factories import AssessmentFactory, CityFactory, CompactFactory, make_stages

pytestmark = pytest.mark.django_db


@pytest.fixture
def stages():
    return make_stages()


@pytest.fixture
def cities(stages):
    """Boston (Advanced, 2011), Hartford (slid back Basic→Emerging, 2010), Oakland (no compact)."""
    boston = CompactFactory(city=CityFactory(name="Boston", state="MA"), signing_year=2011).city
    AssessmentFactory(city=boston, consensus_stage=stages["Advanced"])
    hartford = CompactFactory(city=CityFactory(name="Hartford", state="CT"), signing_year=2010).city
    AssessmentFactory(city=hartford, period_start="2013-01-01", consensus_stage=stages["Basic"])
    AssessmentFactory(city=hartford, period_start="2016-01-01", consensus_stage=stages["Emerging"])
    CityFactory(name="Oakland", state="CA")


def _listed(client, **params) -> list[str]:
    html = client.get(reverse("cities:city-directory"), params).content.decode()
    return re.findall(r'<th scope="row"><a href="/cities/[^"]+/">([^<]+)</a></th>', html)


@pytest.mark.usefixtures("cities")
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Boston", "Hartford", "Oakland"]),
        ({"q": "hart"}, ["Hartford"]),
        ({"state": "MA"}, ["Boston"]),
        ({"program": "none"}, ["Oakland"]),
        ({"program": "gates_dccc"}, ["Boston", "Hartford"]),
        ({"signing_year": "2010"}, ["Hartford"]),
        ({"stage": "advanced"}, ["Boston"]),
        ({"stage": "not-assessed"}, ["Oakland"]),
        ({"backslid": "yes"}, ["Hartford"]),
        # A city with no stage has no known loss: "unknown", never "no".
        ({"backslid": "no"}, ["Boston"]),
        ({"backslid": "unknown"}, ["Oakland"]),
        ({"sort": "-stage"}, ["Boston", "Hartford", "Oakland"]),
        ({"sort": "-state"}, ["Boston", "Hartford", "Oakland"]),
        ({"sort": "stage"}, ["Hartford", "Boston", "Oakland"]),
        ({"sort": "-signed"}, ["Boston", "Hartford", "Oakland"]),
    ],
)
def test_the_directory_filters_and_sorts(client, params, expected):
    assert _listed(client, **params) == expected


@pytest.mark.usefixtures("cities")
def test_each_row_shows_the_trend(client):
    html = client.get(reverse("cities:city-directory")).content.decode()
    rows = {
        name: row
        for row in html.split("<tr>")
        for name in ["Boston", "Hartford"]
        if f">{name}<" in row
    }

    assert "▼ Slid back" in rows["Hartford"]
    assert "Fewer than two published assessments" in rows["Boston"]


def test_the_trend_column_is_left_out_when_no_city_on_the_page_has_a_trend(client, stages):
    boston = CityFactory(name="Boston", state="MA")
    AssessmentFactory(city=boston, consensus_stage=stages["Advanced"])
    CityFactory(name="Oakland", state="CA")

    html = client.get(reverse("cities:city-directory")).content.decode()

    assert ">Trend<" not in html
    assert "Fewer than two published assessments" not in html


def test_no_match_gets_a_way_back_to_all_cities(client):
    html = client.get(reverse("cities:city-directory"), {"q": "Atlantis"}).content.decode()

    assert "No city matches these filters" in html


def test_a_long_directory_is_paginated_and_keeps_its_filters_across_pages(client):
    for number in range(45):
        CityFactory(name=f"Springfield {number:02d}", state="IL")

    first = client.get(reverse("cities:city-directory"), {"state": "IL"}).content.decode()
    third = _listed(client, state="IL", page=3)

    assert "page 1 of 3" in first
    assert "state=IL&amp;page=2" in first
    assert third == [f"Springfield {n}" for n in range(40, 45)]


@pytest.mark.parametrize("count", [5, 60])
def test_the_directory_needs_the_same_queries_for_few_or_many_cities(
    client, stages, count, django_assert_max_num_queries
):
    for number in range(count):
        city = CompactFactory(city=CityFactory(name=f"City {number:03d}")).city
        AssessmentFactory(city=city, consensus_stage=stages["Basic"])

    refresh_stale()  # the stored standings current, as after the first read since a change
    with django_assert_max_num_queries(7):
        assert client.get(reverse("cities:city-directory")).status_code == 200


def test_cities_that_tie_on_the_sorted_column_are_listed_by_name(client):
    for name in ["Tulsa", "Aldine", "Denver"]:
        CityFactory(name=name, state="TX")

    assert _listed(client, sort="-state") == ["Aldine", "Denver", "Tulsa"]


def test_the_sort_menu_lists_each_order_once(client):
    html = client.get(reverse("cities:city-directory")).content.decode()
    menu = html.split('name="sort"')[1].split("</select>")[0]
    labels = re.findall(r"<option[^>]*>([^<]+)</option>", menu)
    assert labels[0] == "Name"
    assert len(labels) == len(set(labels))


@pytest.mark.usefixtures("cities")
@pytest.mark.parametrize(
    "params",
    [{"state": "ZZ"}, {"stage": "<script>"}, {"backslid": "maybe"}, {"sort": "evil"}],
)
def test_a_value_the_directory_cannot_read_is_said_to_be_ignored(client, params):
    html = client.get(reverse("cities:city-directory"), params).content.decode()

    assert "Some values were not understood and were ignored." in html
    assert "Select a valid choice." in html
    assert "<script>" not in html.split('class="filters"')[1].split("</form>")[0]
    assert _listed(client, **params) == ["Boston", "Hartford", "Oakland"]  # every city


@pytest.mark.usefixtures("cities")
def test_values_the_directory_reads_raise_no_warning(client):
    html = client.get(reverse("cities:city-directory"), {"state": "MA", "sort": "-name"}).content
    assert b"not understood" not in html
