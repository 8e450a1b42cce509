"""Every view that follows a ``next`` sends people only to a page of this site: one helper
(accounts.redirects) decides, so a crafted link is never an open redirect."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.redirects import is_safe_next
from tests.factories import CityFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
ELSEWHERE = [
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil.example/x",
    "http:/evil.example",
    "javascript:alert(1)",
    "workspace:workspace",
    "0",
    "/x\r\nSet-Cookie: a=b",
]
HERE = "/cities/?state=CO"


def _source(client, next_url):
    client.force_login(user_with_role("researcher"))
    url = reverse("workspace:source-create") + "?" + _query(next_url)
    return client.post(url, {"title": "A report", "kind": "report", "text": ""})


def _watch(client, next_url):
    city = CityFactory(slug="boston")
    client.force_login(user_with_role("funder"))
    url = reverse("alerts:watch-toggle", args=[city.slug])
    return client.post(url, {"watch": "1", "next": next_url})


def _login(client, next_url):
    UserFactory(username="lena")
    return client.post(
        reverse("login"), {"username": "lena", "password": "a-long-test-password", "next": next_url}
    )


def _logout(client, next_url):
    client.force_login(UserFactory())
    return client.post(reverse("logout"), {"next": next_url})


def _query(next_url):
    from urllib.parse import urlencode

    return urlencode({"next": next_url})


# Each view that takes a "next", and where it goes without one.
VIEWS = {
    "source-create": (_source, "/workspace/"),
    "watch-toggle": (_watch, "/cities/boston/"),
    "login": (_login, "/dashboard/"),
    "logout": (_logout, "/"),
}


@pytest.mark.parametrize("next_url", ELSEWHERE)
@pytest.mark.parametrize("view", VIEWS)
def test_a_next_leading_off_the_site_is_ignored_for_the_views_own_default(client, view, next_url):
    act, default = VIEWS[view]
    response = act(client, next_url)
    assert (response.status_code, response["Location"]) == (302, default)


@pytest.mark.parametrize("view", VIEWS)
def test_a_next_on_this_site_is_followed(client, view):
    act, _ = VIEWS[view]
    response = act(client, HERE)
    assert (response.status_code, response["Location"]) == (302, HERE)


def test_the_sign_in_form_carries_only_a_safe_next(client):
    def carried(next_url):
        html = client.get(reverse("login"), {"next": next_url}).content.decode()
        return re.search(r'name="next" value="([^"]*)"', html)[1]

    assert (carried("https://evil.example/"), carried("/dashboard/")) == ("", "/dashboard/")


def test_a_path_of_this_site_is_safe_and_another_host_is_not(rf):
    request = rf.get("/")
    assert is_safe_next(request, "/cities/boston/")
    assert not is_safe_next(request, "https://testserver/cities/")  # a path, not a URL
    assert not is_safe_next(request, None)


APPS = ["accounts", "alerts", "cities", "compacts", "dashboard", "releases", "sources"]
APPS += ["workspace", "caching", "config", "charts"]


def test_no_view_reads_a_next_except_through_the_helper():
    readers = [
        path.relative_to(ROOT)
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if re.search(r"""(GET|POST)(\.get\(|\[)["']next["']""", path.read_text())
    ]
    assert readers == [], "read 'next' through accounts.redirects.next_url"
