"""Honest citation: once the public data changed after the newest release (a publication,
withdrawal or stage change in the revision log, or a seed run that changed public rows;
never a draft), "Cite this" cites the live data with the date it was retrieved and names
the release separately, and the releases page tells a lead what is unreleased."""

import datetime

import pytest
from django.urls import reverse

from compacts.models import PublicDataChange, Stage
from releases import services as releases
from tests.factories import AssessmentFactory, CityFactory, make_stages, user_with_role
from workspace import services as workspace

pytestmark = pytest.mark.django_db

CHANGED = "Changed since release 2026.1"
AS_IT_STOOD = 'The data as it stood: <a href="/releases/2026.1/">release 2026.1</a>'


@pytest.fixture
def lead():
    return user_with_role("lead", "release-lead")


@pytest.fixture
def denver():
    stages = make_stages()
    city = CityFactory(name="Denver", slug="denver")
    AssessmentFactory(
        city=city, period_start=datetime.date(2016, 1, 1), consensus_stage=stages["Basic"]
    )
    return city


def _publish(lead, city, *, stage="Intermediate"):
    draft = AssessmentFactory(
        city=city,
        period_start=datetime.date(2026, 6, 1),
        status="draft",
        published_at=None,
        consensus_stage=Stage.objects.get(name=stage),
    )
    return workspace.assessment_publish(
        user=lead,
        assessment=draft,
        reason="Interviews in June",
        expected_version=draft.version,
        override_reason="Test data",
    )


def _page(client, url="/cities/denver/") -> str:
    return client.get(url).content.decode()


def test_a_publication_after_the_newest_release_makes_the_box_cite_the_live_data(
    client, lead, denver
):
    releases.release_create(user=lead, number="2026.1", note="First.")
    _publish(lead, denver)

    page = _page(client)

    assert CHANGED in page
    assert AS_IT_STOOD not in page
    assert "live data changed since data release 2026.1. Retrieved" in page
    assert "note = {Live data, changed since data release 2026.1}" in page
    assert "note = {Data release 2026.1}" not in page
    assert 'cite <a href="/releases/2026.1/">release 2026.1</a> itself' in page
    assert 'Permalink: <a href="http://testserver/cities/denver/">' in page


def test_the_retrieved_date_is_marked_for_the_visitors_browser_to_fill_in(client, lead, denver):
    releases.release_create(user=lead, number="2026.1", note="First.")
    _publish(lead, denver)

    page = _page(client)

    assert '<span data-cite-date="long">' in page
    assert '<span data-cite-date="iso">' in page
    assert "/static/js/cite-date.js" in page
    assert "<script>" not in page  # the CSP allows no inline script


def test_a_withdrawal_after_the_newest_release_counts_as_a_change(client, lead, denver):
    published = _publish(lead, denver)
    releases.release_create(user=lead, number="2026.1", note="First.")
    assert CHANGED not in _page(client)

    workspace.assessment_unpublish(
        user=lead, assessment=published, reason="Withdrawn", expected_version=published.version
    )

    assert CHANGED in _page(client)


def test_a_draft_saved_after_the_newest_release_changes_nothing_cited(client, lead, denver):
    releases.release_create(user=lead, number="2026.1", note="First.")
    researcher = user_with_role("researcher")

    workspace.assessment_create(
        user=researcher,
        city=denver,
        period_start=datetime.date(2026, 6, 1),
        period_precision="month",
    )

    page = _page(client)
    assert CHANGED not in page
    assert AS_IT_STOOD in page
    assert "note = {Data release 2026.1}" in page


def test_a_publication_before_the_newest_release_is_in_it(client, lead, denver):
    _publish(lead, denver)
    releases.release_create(user=lead, number="2026.1", note="First.")

    page = _page(client)

    assert CHANGED not in page
    assert AS_IT_STOOD in page


def test_a_seed_change_after_the_newest_release_makes_the_box_cite_the_live_data(
    client, lead, denver
):
    releases.release_create(user=lead, number="2026.1", note="First.")

    PublicDataChange.objects.create(
        kind="seed", at=datetime.datetime.now(datetime.UTC), summary="1 updated"
    )

    assert CHANGED in _page(client)


def test_without_a_release_the_box_claims_neither_way(client, lead, denver):
    _publish(lead, denver)

    page = _page(client)

    assert "Cite this" in page
    assert "Changed since" not in page
    assert "The data as it stood" not in page
    assert "release" not in page.split("Cite this", 1)[1].split("</details>", 1)[0].lower()


def test_a_release_page_cites_its_own_frozen_data_even_after_changes(client, lead, denver):
    releases.release_create(user=lead, number="2026.1", note="First.")
    _publish(lead, denver)

    page = _page(client, "/releases/2026.1/")

    assert "Changed since" not in page
    assert "note = {Data release 2026.1}" in page


def test_the_box_stays_right_on_a_page_served_from_the_cache(client, lead, denver, settings):
    settings.PAGE_CACHE = True
    releases.release_create(user=lead, number="2026.1", note="First.")
    assert CHANGED not in _page(client)  # now cached for anonymous visitors

    _publish(lead, denver)

    assert CHANGED in _page(client)


def test_the_releases_page_tells_a_lead_what_is_unreleased(client, lead, denver):
    releases.release_create(user=lead, number="2026.1", note="First.")
    _publish(lead, denver)
    _publish(lead, CityFactory(name="Camden", slug="camden"), stage="Emerging")
    PublicDataChange.objects.create(
        kind="seed",
        at=datetime.datetime(2030, 1, 2, 3, 4, tzinfo=datetime.UTC),
        summary="1 updated",
    )
    client.force_login(lead)

    page = _page(client, reverse("releases:release-list"))

    assert "Unreleased changes:" in page
    assert "2 revision-log entries (publications, withdrawals, stage changes)" in page
    assert "The seed changed public data on 2 January 2030" in page


def test_the_releases_page_tells_a_lead_when_nothing_is_unreleased(client, lead, denver):
    releases.release_create(user=lead, number="2026.1", note="First.")
    client.force_login(lead)

    page = _page(client, reverse("releases:release-list"))

    assert "Unreleased changes:" not in page
    assert "No unreleased changes: release 2026.1 holds the published data" in page


def test_anonymous_visitors_see_no_lead_notice_on_the_releases_page(client, lead, denver):
    releases.release_create(user=lead, number="2026.1", note="First.")
    _publish(lead, denver)

    page = _page(client, reverse("releases:release-list"))

    assert "Unreleased changes:" not in page
    assert "No unreleased changes" not in page
