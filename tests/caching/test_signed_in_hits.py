"""A signed-in visitor's cached page costs one query (their user, roles and the data version
together), and is still theirs: a role removed, a sign-out or a new token shows at once."""

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.factories import (
    AssessmentFactory,
    CityFactory,
    CompactFactory,
    make_stages,
    user_with_role,
)

pytestmark = pytest.mark.django_db
FUNDER_LINKS = "compare the timeline's cities side by side"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def cached(db, settings):
    settings.PAGE_CACHE = True
    stages = make_stages()
    city = CompactFactory(city=CityFactory(name="Boston", slug="boston")).city
    AssessmentFactory(
        city=city, period_start=datetime.date(2016, 1, 1), consensus_stage=stages["Basic"]
    )


def _funder(name: str = "ann-funder"):
    user = user_with_role("funder", name)
    client = Client()
    client.force_login(user)
    return user, client


@pytest.mark.usefixtures("cached")
def test_a_signed_in_visitors_cached_page_costs_one_query(django_assert_num_queries):
    _, client = _funder()
    client.get("/dashboard/")

    with django_assert_num_queries(1):
        response = client.get("/dashboard/")

    assert response["X-Cache"] == "hit"
    assert FUNDER_LINKS in response.content.decode()


@pytest.mark.usefixtures("cached")
def test_a_role_removed_takes_effect_on_the_next_request():
    user, client = _funder()
    assert FUNDER_LINKS in client.get("/dashboard/").content.decode()
    assert client.get("/dashboard/cohorts/").status_code == 200

    user.groups.clear()
    page = client.get("/dashboard/")

    assert FUNDER_LINKS not in page.content.decode()
    assert ">Compare</a>" not in page.content.decode()
    assert client.get("/dashboard/cohorts/").status_code == 403


@pytest.mark.usefixtures("cached")
def test_after_signing_out_the_old_session_cookie_gets_no_signed_in_part():
    _, client = _funder()
    client.get("/dashboard/")
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    client.post("/accounts/logout/")
    stale = Client()
    stale.cookies[django_settings.SESSION_COOKIE_NAME] = cookie
    page = stale.get("/dashboard/").content.decode()

    assert "ann-funder" not in page
    assert FUNDER_LINKS not in page
    assert "Sign in" in page


@pytest.mark.usefixtures("cached")
def test_each_visitor_gets_their_own_name_and_a_fresh_token_in_the_header():
    _, ann = _funder("ann-funder")
    _, bob = _funder("bob-funder")

    first, second = ann.get("/dashboard/"), ann.get("/dashboard/")
    bobs = bob.get("/dashboard/").content.decode()

    tokens = [TOKEN.search(r.content.decode())[1] for r in (first, second)]
    assert tokens[0] != tokens[1]
    assert all(len(token) == 64 for token in tokens)
    assert "Signed in as bob-funder" in bobs
    assert "ann-funder" not in bobs
