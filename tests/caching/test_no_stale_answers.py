"""Anonymous pages, the API and the CSVs are served from the cache until public data
changes, however it changes; the next request after a change shows it."""

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caching import versions
from cities.models import City
from compacts.models import Assessment
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    CompactFactory,
    UserFactory,
    make_stages,
    user_with_role,
)
from workspace import services

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True


@pytest.fixture
def denver(db):
    stages = make_stages()
    city = CompactFactory(city=CityFactory(name="Denver", slug="denver")).city
    assessment = AssessmentFactory(
        city=city, period_start=datetime.date(2016, 1, 1), consensus_stage=stages["Basic"]
    )
    return city, assessment, stages


def _urls(slug: str) -> list[str]:
    return [
        reverse("cities:city-detail", args=[slug]),
        reverse("dashboard:dashboard") + f"?city={slug}",
        reverse("cities:api-city-detail", args=[slug]),
        reverse("dashboard:chart-csv", args=["progress"]),
    ]


def _fetch_all(client, slug: str) -> dict[str, tuple[str, str]]:
    """Each URL's body and whether the cache answered it."""
    pages = {}
    for url in _urls(slug):
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = (response.content.decode(), response.get("X-Cache", ""))
    return pages


def _warm(client, slug: str) -> None:
    _fetch_all(client, slug)
    assert {hit for _, hit in _fetch_all(client, slug).values()} == {"hit"}


def test_a_second_anonymous_request_is_answered_from_the_cache(client, denver):
    first = _fetch_all(client, "denver")
    second = _fetch_all(client, "denver")

    assert {hit for _, hit in first.values()} == {"miss"}
    assert {hit for _, hit in second.values()} == {"hit"}
    assert {url: body for url, (body, _) in first.items()} == {
        url: body for url, (body, _) in second.items()
    }


def test_publishing_unpublishing_and_a_leads_change_show_at_once(client, denver):
    city, _, stages = denver
    lead = user_with_role("lead")
    draft = AssessmentFactory(
        city=city,
        period_start=datetime.date(2018, 1, 1),
        status=Assessment.Status.DRAFT,
        published_at=None,
        consensus_stage=stages["Advanced"],
    )
    _warm(client, "denver")

    draft = services.assessment_publish(
        user=lead,
        assessment=draft,
        reason="New interviews",
        expected_version=1,
        override_reason="Test: no evidence needed",
    )
    assert all("Advanced" in body for body, _ in _fetch_all(client, "denver").values())

    _warm(client, "denver")
    draft = services.assessment_reconcile(
        user=lead,
        assessment=draft,
        consensus_stage=stages["Embedded"],
        consensus_note="",
        expected_version=draft.version,
        reason="Re-read the interviews",
    )
    assert all("Embedded" in body for body, _ in _fetch_all(client, "denver").values())

    _warm(client, "denver")
    before = _fetch_all(client, "denver")
    services.assessment_unpublish(
        user=lead, assessment=draft, reason="Withdrawn", expected_version=draft.version
    )
    pages = _fetch_all(client, "denver")
    city_page, dashboard, api, csv = (pages[url][0] for url in _urls("denver"))
    assert "Withdrawn" in city_page  # the revision log names the withdrawal
    assert '"current_stage": "Basic"' in api
    assert ",Basic," in csv
    assert ",Embedded," not in csv
    assert dashboard != before[_urls("denver")[1]][0]


def test_a_bulk_update_and_an_admin_edit_show_at_once(client, denver):
    city, _, _ = denver
    _warm(client, "denver")

    City.objects.filter(pk=city.pk).update(name="Mile High")
    assert all("Mile High" in body for body, _ in _fetch_all(client, "denver").values())

    _warm(client, "denver")
    staff = UserFactory(is_staff=True, is_superuser=True)
    editor = client_class_for(client)
    editor.force_login(staff)
    change = reverse("admin:cities_city_change", args=[city.pk])
    form = {
        "slug": "denver",
        "name": "Queen City",
        "state": "CO",
        "entity_name": city.entity_name,
        "kind": city.kind,
        "collaboration_summary": "",
        **_empty_inlines(editor, change),
    }
    assert editor.post(change, form).status_code == 302
    assert all("Queen City" in body for body, _ in _fetch_all(client, "denver").values())


def client_class_for(client):
    return type(client)()


def _empty_inlines(editor, url) -> dict:
    """The management forms of the change page's inlines, with no rows."""
    html = editor.get(url).content.decode()
    data = {}
    for prefix in _inline_prefixes(html):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


def _inline_prefixes(html: str) -> list[str]:
    import re

    return re.findall(r'name="([^"]+)-TOTAL_FORMS"', html)


def test_a_seed_run_shows_at_once(client, db):
    directory = reverse("cities:city-directory")
    assert "Boston" not in client.get(directory).content.decode()
    assert client.get(directory)["X-Cache"] == "hit"

    call_command("seed", stdout=io.StringIO())

    response = client.get(directory)
    assert response["X-Cache"] == "miss"
    assert "Boston" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_change_another_process_commits_shows_at_once(client, settings):
    make_stages()
    CompactFactory(city=CityFactory(name="Denver", slug="denver"))
    _warm(client, "denver")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env["EMBEDDED_PG_DATABASE"] = connection.settings_dict["NAME"]
    script = (
        "import django; django.setup(); from cities.models import City;"
        " City.objects.filter(slug='denver').update(name='Renamed Elsewhere')"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, timeout=60)

    assert all("Renamed Elsewhere" in b for b, _ in _fetch_all(client, "denver").values())


def test_an_unchanged_page_revalidates_with_304_until_the_data_changes(client, denver):
    city, _, _ = denver
    url = reverse("cities:city-detail", args=["denver"])
    etag = client.get(url)["ETag"]

    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    City.objects.filter(pk=city.pk).update(name="Mile High")
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert again["ETag"] != etag


def test_a_signed_in_user_never_gets_a_page_cached_for_someone_else(client, denver):
    _warm(client, "denver")
    funder = client_class_for(client)
    funder.force_login(user_with_role("funder", "cache-funder"))

    for url in _urls("denver"):
        response = funder.get(url)
        assert response.get("X-Cache") != "hit", url  # not the anonymous visitor's entry
    dashboard = funder.get(reverse("dashboard:dashboard")).content.decode()
    assert reverse("dashboard:compare") in dashboard  # the funder's own links


def test_a_funders_compare_page_never_reaches_an_anonymous_visitor(client, denver):
    funder = client_class_for(client)
    funder.force_login(user_with_role("funder", "compare-funder"))
    compare = reverse("dashboard:compare") + "?city=denver"
    assert funder.get(compare).status_code == 200

    anonymous = client.get(compare)

    assert anonymous.status_code == 302
    assert "X-Cache" not in anonymous


def test_a_new_deploy_never_serves_pages_the_old_code_rendered(client, denver, monkeypatch):
    url = reverse("cities:city-detail", args=["denver"])
    monkeypatch.setenv("APP_VERSION", "deploy-1")
    versions.code_version.cache_clear()
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"

    monkeypatch.setenv("APP_VERSION", "deploy-2")
    versions.code_version.cache_clear()

    assert client.get(url)["X-Cache"] == "miss"
    versions.code_version.cache_clear()


def test_development_serves_every_page_fresh(client, denver, settings):
    settings.PAGE_CACHE = False
    url = reverse("cities:city-detail", args=["denver"])
    client.get(url)

    assert "X-Cache" not in client.get(url)


def test_a_signed_in_dashboard_reuses_its_aggregates_until_the_data_changes(client, denver):
    city, _, _ = denver
    client.force_login(user_with_role("funder", "parts-funder"))
    url = reverse("dashboard:dashboard") + "?city=denver"
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        again = client.get(url)

    assert len(second) < len(first) - 5
    assert again["X-Cache"] == "hit"  # the shared part; the header is this user's
    assert "Signed in as parts-funder" in again.content.decode()

    City.objects.filter(pk=city.pk).update(name="Mile High")
    assert "Mile High" in client.get(url).content.decode()


def test_the_filters_choices_are_read_once_per_data_version(db, settings):
    from dashboard.filters import DashboardFilter, TimelineForm
    from tests.factories import CityFactory

    settings.PAGE_CACHE = True
    CityFactory(state="CO", slug="denver")
    DashboardFilter({})
    TimelineForm({})  # both read their choices and keep them
    with CaptureQueriesContext(connection) as again:
        kept = DashboardFilter({})
        TimelineForm({})

    assert not [q for q in again if "cities_city" in q["sql"] or "compacts_stage" in q["sql"]]
    assert kept.filters["state"].extra["choices"] == [("CO", "CO")]

    CityFactory(state="ZZ", slug="zed")  # a new data version
    assert ("ZZ", "ZZ") in DashboardFilter({}).filters["state"].extra["choices"]
    assert "zed" in dict(TimelineForm({}).city_choices)
