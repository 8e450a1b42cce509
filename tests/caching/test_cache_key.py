"""The page cache keys on what a page depends on, and on nothing else: the host it names in
its links, the query parameters its view reads (in any order, junk dropped), never on a
cookie that changes nothing (caching/keys.py)."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from caching.keys import normal_query
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    CompactFactory,
    make_stages,
    user_with_role,
)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True
    settings.ALLOWED_HOSTS = ["a.example", "b.example", "testserver"]


@pytest.fixture
def denver(db):
    stages = make_stages()
    city = CompactFactory(city=CityFactory(name="Denver", slug="denver", state="CO")).city
    AssessmentFactory(
        city=city, period_start=datetime.date(2016, 1, 1), consensus_stage=stages["Basic"]
    )
    return city


@pytest.mark.parametrize("url", ["/sitemap.xml", "/revisions.atom", "/api/cities/?page_size=1"])
def test_a_page_rendered_for_one_host_is_never_served_to_another(client, denver, url):
    CompactFactory(city=CityFactory(name="Austin", slug="austin"))  # a second API page
    first = client.get(url, HTTP_HOST="a.example")
    second = client.get(url, HTTP_HOST="b.example")
    again = client.get(url, HTTP_HOST="b.example")

    assert (first["X-Cache"], second["X-Cache"], again["X-Cache"]) == ("miss", "miss", "hit")
    assert "b.example" in second.content.decode()
    assert "a.example" not in second.content.decode()
    assert first["ETag"] != second["ETag"]


def test_a_cookie_that_changes_nothing_is_answered_from_the_cache(client, denver):
    client.get("/dashboard/")
    client.cookies["x"] = "1"
    client.cookies["_ga"] = "GA1.1.123"

    response = client.get("/dashboard/")

    assert response["X-Cache"] == "hit"


@pytest.mark.parametrize("cookie", ["sessionid", "csrftoken", "messages"])
def test_the_cookies_a_page_depends_on_still_reach_the_view(client, denver, cookie):
    """Never the anonymous visitor's stored page: the shared part's own entry, its per-user
    parts rendered for this request (caching/shared.py)."""
    client.get("/dashboard/")
    client.cookies[cookie] = "something"

    assert client.get("/dashboard/")["X-Cache"] == "miss"


def test_junk_and_reordered_parameters_share_one_cache_entry(client, denver):
    first = client.get("/dashboard/?state=CO&sort=name")
    junk = client.get("/dashboard/?zzz=1&sort=name&utm_source=x&state=CO")

    assert (first["X-Cache"], junk["X-Cache"]) == ("miss", "hit")
    assert junk.content == first.content


def test_a_first_request_with_junk_stores_the_page_without_it(client, denver):
    """The view sees only the parameters it reads: what it stores echoes no junk."""
    junk = client.get("/dashboard/?state=CO&zzz=planted")
    plain = client.get("/dashboard/?state=CO")

    assert (junk["X-Cache"], plain["X-Cache"]) == ("miss", "hit")
    assert "planted" not in plain.content.decode()


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("/dashboard/?state=CO", "/dashboard/?state=MA"),
        ("/dashboard/?city=denver&city=austin", "/dashboard/?city=austin&city=denver"),
        ("/cities/?q=den", "/cities/?q=bos"),
        ("/api/assessments/?city=denver", "/api/assessments/?city=boston"),
    ],
)
def test_a_parameter_the_page_reads_still_changes_the_key(client, denver, one, other):
    client.get(one)
    assert client.get(other)["X-Cache"] == "miss"


def test_a_signed_in_dashboard_with_junk_reuses_the_cached_parts(client, denver):
    client.force_login(user_with_role("funder"))
    client.get("/dashboard/?state=CO")  # fills the parts
    with CaptureQueriesContext(connection) as plain:
        client.get("/dashboard/?state=CO")
    with CaptureQueriesContext(connection) as junk:
        client.get("/dashboard/?zzz=1&state=CO")
    assert len(junk) == len(plain)


def test_the_normal_query_keeps_known_parameters_in_a_fixed_order():
    query = QueryDict("sort=name&zzz=1&city=b&state=CO&city=a")
    assert normal_query(query, ["state", "city", "sort"]) == "city=b&city=a&sort=name&state=CO"
    assert normal_query({"state": "CO", "x": "1"}, ["state"]) == "state=CO"


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/timeline/", "/cities/"])
def test_every_parameter_a_public_pages_own_links_and_forms_use_is_one_its_key_reads(
    client, denver, url
):
    """A parameter missing from the view's ``public_page`` list would be dropped for
    anonymous visitors: the page's own filters and pagers must all be on it."""
    import re
    from urllib.parse import parse_qsl, urlsplit

    from django.urls import resolve

    known = set(resolve(url).func.public_query)
    html = client.get(url + "?cities_page=1&page=1").content.decode().replace("&amp;", "&")
    used = set()
    for form in re.finditer(r"<form\b(?![^>]*method=\"post\")[^>]*>(.*?)</form>", html, re.S):
        used |= set(re.findall(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', form[1]))
    for href in re.findall(r'href="([^"]*\?[^"]*)"', html):
        parts = urlsplit(href)
        if parts.path in ("", url):
            used |= {name for name, _ in parse_qsl(parts.query)}
    assert used, "found nothing to check"
    assert used <= known, used - known
