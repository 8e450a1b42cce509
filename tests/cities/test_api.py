import pytest
from django.urls import reverse

from compacts.stored import refresh_stale
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    CompactFactory,
    InitiativeFactory,
    InitiativeStatusFactory,
    make_stages,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def stages():
    return make_stages()


def test_the_city_list_gives_each_city_with_its_compact_and_current_stage(client, stages):
    city = CompactFactory(city=CityFactory(name="Boston", slug="boston"), signing_year=2011).city
    AssessmentFactory(city=city, consensus_stage=stages["Advanced"])

    data = client.get(reverse("cities:api-city-list")).json()

    assert data["count"] == 1
    (boston,) = data["results"]
    assert boston["slug"] == "boston"
    assert boston["compact"]["signing_year"] == 2011
    assert boston["current_stage"] == "Advanced"
    assert boston["url"] == "http://testserver/cities/boston/"


def test_the_city_list_is_paginated_with_links(client):
    for number in range(5):
        CityFactory(name=f"City {number}")

    first = client.get(reverse("cities:api-city-list"), {"page_size": 2}).json()
    last = client.get(reverse("cities:api-city-list"), {"page_size": 2, "page": 3}).json()

    assert first["count"] == 5
    assert [c["name"] for c in first["results"]] == ["City 0", "City 1"]
    assert first["next"] == "http://testserver/api/cities/?page_size=2&page=2"
    assert first["previous"] is None
    assert [c["name"] for c in last["results"]] == ["City 4"]
    assert last["next"] is None


@pytest.mark.parametrize("params", [{"page": "x"}, {"page_size": "0"}, {"page_size": "-3"}])
def test_bad_paging_gets_a_clear_400(client, params):
    response = client.get(reverse("cities:api-city-list"), params)

    assert response.status_code == 400
    assert "positive whole numbers" in response.json()["error"]


def test_a_page_past_the_end_is_not_found(client):
    assert client.get(reverse("cities:api-city-list"), {"page": 9}).status_code == 404


def test_assessments_are_published_only(client, stages):
    city = CityFactory(slug="denver")
    AssessmentFactory(city=city, period_start="2013-01-01", consensus_stage=stages["Basic"])
    AssessmentFactory(
        city=city,
        period_start="2016-01-01",
        consensus_stage=stages["Embedded"],
        status="draft",
        published_at=None,
    )

    results = client.get(reverse("cities:api-assessment-list"), {"city": "denver"}).json()[
        "results"
    ]

    assert [a["stage"] for a in results] == ["Basic"]


def test_initiatives_carry_their_latest_status_and_cost_benefit_placement(client):
    initiative = InitiativeFactory(city=CityFactory(slug="new-orleans"), title="OneApp")
    InitiativeStatusFactory(initiative=initiative, status="active", as_of_year=2012)
    InitiativeStatusFactory(initiative=initiative, status="achieved", as_of_year=2016)

    (result,) = client.get(reverse("cities:api-initiative-list")).json()["results"]

    assert result["title"] == "OneApp"
    assert result["status"] == "achieved"
    assert (result["cost"], result["benefit"]) == ("high", "high")


def test_a_city_in_detail_has_its_published_assessments_and_initiatives(client, stages):
    city = CityFactory(slug="chicago")
    AssessmentFactory(city=city, consensus_stage=stages["Intermediate"])
    InitiativeFactory(city=city)

    data = client.get(reverse("cities:api-city-detail", kwargs={"slug": "chicago"})).json()

    assert [a["stage"] for a in data["assessments"]] == ["Intermediate"]
    assert len(data["initiatives"]) == 1


def test_an_unknown_city_is_not_found(client):
    response = client.get(reverse("cities:api-city-detail", kwargs={"slug": "atlantis"}))
    assert response.status_code == 404


@pytest.mark.parametrize("count", [3, 40])
def test_api_lists_need_the_same_queries_however_long(
    client, stages, count, django_assert_max_num_queries
):
    for number in range(count):
        city = CityFactory(name=f"City {number:03d}")
        AssessmentFactory(city=city, consensus_stage=stages["Basic"])
        InitiativeFactory(city=city)

    refresh_stale()  # the stored standings current, as after the first read since a change
    # The count, the page and (for cities) the claims of their current stages; the cities
    # also one check that the stored standings are current.
    for name in ["api-city-list", "api-assessment-list", "api-initiative-list"]:
        with django_assert_max_num_queries(5 if name == "api-city-list" else 3):
            assert client.get(reverse(f"cities:{name}"), {"page_size": 200}).status_code == 200
