"""Input no page can use (NUL bytes, bytes that are not UTF-8) gets a 400 with a message,
never a 500; the API's paging answers 400 for bad numbers, as docs/api.md promises."""

import pytest
from django.urls import reverse

from tests.factories import InterviewFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def researcher_client(client):
    client.force_login(user_with_role("researcher"))
    return client


@pytest.mark.parametrize(
    "url",
    ["/workspace/?city=%00", "/workspace/interviews/?q=%00", "/workspace/interviews/?q=a%00b"],
)
def test_a_nul_in_a_workspace_query_gets_a_400_saying_so(researcher_client, url):
    InterviewFactory()
    response = researcher_client.get(url)
    assert response.status_code == 400
    assert "contains a NUL character" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/cities/?q=%00", "/dashboard/?state=%00", "/?x%00=1", "/dashboard/?as_of=%ff%fe"]
)
def test_public_pages_refuse_bad_bytes_too(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_the_api_says_which_parameter_holds_a_nul(client):
    response = client.get("/api/assessments/?city=%00")
    assert response.status_code == 400
    assert response.json() == {
        "error": "The query parameter 'city' contains a NUL character (%00), "
        "which no page here accepts."
    }


def test_bytes_that_are_not_utf8_are_named(client):
    response = client.get("/api/cities/?page=%ff")
    assert response.status_code == 400
    assert response.json()["error"] == "The query parameter 'page' is not UTF-8 text."


def test_a_nul_in_a_posted_form_gets_a_400(researcher_client):
    response = researcher_client.post(
        reverse("workspace:interview-create"), {"interviewee_role": "Chief\x00", "sector": "x"}
    )
    assert response.status_code == 400
    assert "'interviewee_role' contains a NUL character" in response.content.decode()


@pytest.mark.parametrize("page", ["-1", "0"])
def test_a_page_below_one_is_a_bad_request_not_a_missing_page(client, page):
    response = client.get(reverse("cities:api-city-list"), {"page": page})
    assert response.status_code == 400
    assert "positive whole numbers" in response.json()["error"]


def test_ordinary_text_with_percent_signs_and_accents_passes(client):
    assert client.get("/cities/?q=S%C3%A3o+Paulo%2520").status_code == 200


@pytest.mark.parametrize("next_url", ["0", "https://evil.example/", "//evil.example/x"])
def test_the_watch_button_returns_only_to_a_page_of_this_site(client, next_url):
    """Found by the property tests: a crafted "next" gave a server error (and was an open
    redirect)."""
    from tests.factories import CityFactory

    city = CityFactory(slug="boston")
    client.force_login(user_with_role("funder"))
    response = client.post(
        reverse("alerts:watch-toggle", args=[city.slug]), {"watch": "1", "next": next_url}
    )
    assert (response.status_code, response["Location"]) == (302, city.get_absolute_url())


AS_OF_PAGES = [
    "/dashboard/",
    "/dashboard/timeline/",
    "/embed/figure-6/",
    "/embed/timeline/",
    "/dashboard/data/progress.csv",
    "/dashboard/compare/",
    "/dashboard/cohorts/",
    "/dashboard/compare/data.csv",
]


@pytest.mark.parametrize("url", AS_OF_PAGES)
def test_the_last_month_of_the_calendar_is_refused_like_any_month_after_this_one(client, url):
    """December 9999 has no month after it: working out its last day overflowed (500)."""
    client.force_login(user_with_role("funder"))
    far = client.get(url, {"as_of": "9999-12"})
    later = client.get(url, {"as_of": "2999-01"})
    if url.endswith(".csv"):  # a CSV refuses what it cannot export, saying so
        assert (far.status_code, later.status_code) == (400, 400)
        assert far.content == later.content
        return
    assert (far.status_code, later.status_code) == (200, 200)
    if "/embed/" in url:  # no form: this month, as for any later
        assert far.content.replace(b"9999-12", b"2999-01") == later.content
    else:  # the form says why
        refused = "Choose this month or an earlier one"
        assert refused in far.content.decode()
        assert refused in later.content.decode()


@pytest.mark.parametrize(
    "url", [*AS_OF_PAGES, "/dashboard/map/", "/api/cities/", "/api/cities/boston/"]
)
def test_the_first_months_of_the_calendar_show_that_nothing_was_known_yet(client, url):
    """January of year 1 has no month eleven months before it: working out which yearly
    periods had ended overflowed (500)."""
    from tests.factories import CityFactory

    CityFactory(slug="boston")
    client.force_login(user_with_role("funder"))

    for month in ("0001-01", "0001-11"):
        assert client.get(url, {"as_of": month}).status_code == 200, month


def test_the_month_end_reaches_the_end_of_the_calendar():
    import datetime

    from common.dates import month_end

    assert month_end(datetime.date(9999, 12, 5)) == datetime.date(9999, 12, 31)
    assert month_end(datetime.date(2024, 2, 1)) == datetime.date(2024, 2, 29)


@pytest.mark.parametrize("path", ["/releases/%00/", "/releases/2026.1/files/data%00.csv"])
def test_a_nul_in_the_path_gets_a_400_saying_so(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "The address contains a NUL character" in response.content.decode()


def test_a_nul_in_an_api_path_is_refused_in_json(client):
    response = client.get("/api/cities/a%00b/")
    assert response.status_code == 400
    assert "NUL" in response.json()["error"]


def test_the_browsers_favicon_request_finds_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


@pytest.mark.parametrize("query", ["as_of=zzz", "as_of=2999-01", "stage=nope"])
def test_a_chart_csv_refuses_a_value_it_cannot_read_instead_of_exporting_other_data(client, query):
    response = client.get(f"/dashboard/data/progress.csv?{query}")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "nothing exported" in response.content.decode()


@pytest.mark.parametrize("debug", [True, False])
def test_more_query_parameters_than_django_reads_get_a_400_saying_so(client, settings, debug):
    # In development the debug page read the parameters again and answered 500 after seconds.
    settings.DEBUG = debug
    many = "&".join(f"city=c{n}" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))

    page = client.get(f"/dashboard/timeline/?{many}")
    api = client.get(f"/api/cities/?{many}")
    allowed = client.get("/dashboard/timeline/?" + many.rsplit("&", 1)[0])

    assert page.status_code == 400
    assert "carries 1,001 query parameters; no page here reads more than 1,000" in (
        page.content.decode()
    )
    assert api.status_code == 400
    assert "1,001 query parameters" in api.json()["error"]
    assert allowed.status_code == 200
