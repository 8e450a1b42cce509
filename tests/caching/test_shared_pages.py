"""Signed-in visitors get each public page's shared part from the cache and their own parts
(header, messages, watch button) rendered per request: the same page as uncached, named for
them, never another visitor's; workspace pages never come from the cache."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from alerts.models import Watch
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    CompactFactory,
    make_stages,
    user_with_role,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "funder", "researcher", "lead"]
PUBLIC = [
    "/",
    "/cities/",
    "/cities/boston/",
    "/embed/cities/boston/timeline/",
    "/research/",
    "/dashboard/",
    "/dashboard/timeline/?city=boston",
    "/dashboard/data/progress.csv",
    "/releases/",
    "/api/cities/",
    "/api/cities/boston/",
    "/revisions.atom",
]
SIGNED_IN = ["/dashboard/compare/?city=boston", "/dashboard/cohorts/"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
# An empty feed's <updated> is the time it was rendered: different on every uncached render.
NOW = re.compile(r"<updated>[^<]+</updated>")


@pytest.fixture
def boston(db):
    stages = make_stages()
    city = CompactFactory(city=CityFactory(name="Boston", slug="boston")).city
    AssessmentFactory(
        city=city, period_start=datetime.date(2016, 1, 1), consensus_stage=stages["Basic"]
    )
    return city


def _client(role: str, name: str = "") -> Client:
    client = Client()
    if role == "anonymous":
        client.cookies["csrftoken"] = "x" * 32  # a cookie: past the anonymous cache
    else:
        client.force_login(user_with_role(role, name or f"the-{role}"))
    return client


def _page(client, url: str) -> tuple[int, str, str]:
    response = client.get(url)
    body = b"".join(response) if response.streaming else response.content
    page = NOW.sub("", CSRF.sub("csrf", body.decode()))
    return response.status_code, page, response.get("X-Cache", "")


def test_every_public_page_is_the_same_cached_or_not_for_every_role(boston, settings):
    assert reverse("cities:city-detail", args=["boston"]) in PUBLIC
    for role in ROLES:
        client = _client(role)
        urls = PUBLIC + (SIGNED_IN if role != "anonymous" else [])
        settings.PAGE_CACHE = False
        uncached = {url: _page(client, url)[:2] for url in urls}
        settings.PAGE_CACHE = True
        stored = {url: _page(client, url) for url in urls}
        served = {url: _page(client, url) for url in urls}

        for url in urls:
            assert stored[url][:2] == uncached[url], (role, url)
            assert served[url][:2] == uncached[url], (role, url)
        assert {url for url in urls if served[url][2] == "hit"} == set(urls), role


def test_the_next_visitor_sees_their_own_name_and_watch_state(boston, settings):
    settings.PAGE_CACHE = True
    ann, bob = _client("funder", "ann-funder"), _client("funder", "bob-funder")
    Watch.objects.create(user=user_with_role("funder", "ann-funder"), city=boston)

    first = ann.get("/cities/boston/")
    second = bob.get("/cities/boston/")

    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert "Signed in as ann-funder" in first.content.decode()
    assert "Stop watching Boston" in first.content.decode()
    page = second.content.decode()
    assert "Signed in as bob-funder" in page
    assert "ann-funder" not in page
    assert "Watch Boston: email me changes" in page
    assert "Stop watching" not in page


def test_a_role_never_sees_another_roles_shared_part(boston, settings):
    settings.PAGE_CACHE = True
    lead, funder = _client("lead"), _client("funder")

    assert "Make a release" in lead.get("/releases/").content.decode()
    assert "Make a release" not in funder.get("/releases/").content.decode()
    assert _client("funder").get("/dashboard/cohorts/").status_code == 200
    assert _client("anonymous").get("/dashboard/cohorts/").status_code == 302


def test_workspace_pages_never_come_from_the_cache(boston, settings):
    settings.PAGE_CACHE = True
    lead = _client("lead")
    for url in [reverse("workspace:workspace"), reverse("workspace:interview-list")]:
        lead.get(url)
        assert "X-Cache" not in lead.get(url), url


def test_a_new_data_version_replaces_the_shared_part(boston, settings):
    settings.PAGE_CACHE = True
    funder = _client("funder")
    funder.get("/cities/")
    assert funder.get("/cities/")["X-Cache"] == "hit"

    CompactFactory(city=CityFactory(name="Denver", slug="denver"))
    response = funder.get("/cities/")

    assert response["X-Cache"] == "miss"
    assert "Denver" in response.content.decode()


def test_a_message_is_shown_once_on_a_cached_page(boston, settings):
    settings.PAGE_CACHE = True
    funder = _client("funder")
    funder.get("/research/")  # the shared part is stored
    funder.cookies["messages"] = ""
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    storage = CookieStorage(HttpRequest())
    encoded = storage._encode([_message("Saved your watch list.")])
    funder.cookies["messages"] = encoded

    shown = funder.get("/research/").content.decode()
    again = funder.get("/research/").content.decode()

    assert "Saved your watch list." in shown
    assert "Saved your watch list." not in again


def _message(text: str):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message

    return Message(constants.SUCCESS, text)
