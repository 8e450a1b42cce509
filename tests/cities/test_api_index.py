import pytest
from django.urls import reverse

from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


def test_the_api_index_lists_every_endpoint_with_its_absolute_url_and_a_description(client):
    response = client.get("/api/")

    assert response.status_code == 200
    endpoints = {e["name"]: e for e in response.json()["endpoints"]}
    assert set(endpoints) == {
        "api-city-list",
        "api-city-detail",
        "api-assessment-list",
        "assessments-csv",
        "api-initiative-list",
    }
    assert endpoints["api-city-list"]["url"] == "http://testserver/api/cities/"
    assert endpoints["api-city-detail"]["url"] == "http://testserver/api/cities/{slug}/"
    assert endpoints["assessments-csv"]["url"] == "http://testserver/api/assessments.csv"
    assert all(e["description"] for e in endpoints.values())


def test_the_api_index_urls_answer(client):
    CityFactory(slug="boston")
    for endpoint in client.get("/api/").json()["endpoints"]:
        url = endpoint["url"].replace("{slug}", "boston")
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("path", ["/api/nothing/", "/api/cities/boston/extra/", "/api/x.csv"])
def test_an_unknown_api_address_answers_a_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "no such API endpoint" in response.json()["error"]


def test_an_unknown_city_answers_a_json_404(client):
    response = client.get(reverse("cities:api-city-detail", args=["atlantis"]))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "atlantis" in response.json()["error"]


def test_an_api_address_without_its_closing_slash_is_sent_to_it(client):
    response = client.get("/api/cities")

    assert response.status_code == 301
    assert response["Location"] == "/api/cities/"
