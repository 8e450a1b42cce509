"""The revision log as Atom feeds, site-wide and per city."""

import datetime
import re

import feedparser
import pytest
from django.urls import reverse

from tests.factories import AssessmentFactory, CityFactory, make_stages, user_with_role
from workspace import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_twice():
    """Denver published at Basic, then changed by a lead to Intermediate; Camden published."""
    stages = make_stages()
    lead = user_with_role("lead")
    entries = []
    for name, stage in [("Denver", "Basic"), ("Camden", "Emerging")]:
        draft = AssessmentFactory(
            city=CityFactory(name=name, slug=name.lower()),
            period_start=datetime.date(2016, 1, 1),
            status="draft",
            published_at=None,
            consensus_stage=stages[stage],
        )
        entries.append(
            services.assessment_publish(
                user=lead,
                assessment=draft,
                reason=f"Interviews in {name}",
                expected_version=draft.version,
                override_reason="Test data",
            )
        )
    services.assessment_reconcile(
        user=lead,
        assessment=entries[0],
        consensus_stage=stages["Intermediate"],
        consensus_note="",
        expected_version=entries[0].version,
        reason="A second reading",
    )
    return lead


def _parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_the_site_feed_has_one_entry_per_revision_log_entry_newest_first(client, published_twice):
    feed = _parse(client, reverse("cities:revision-feed"))

    assert feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert titles == [
        "Denver: January 2016 stage changed from Basic to Intermediate",
        "Camden: January 2016 published at Emerging",
        "Denver: January 2016 published at Basic",
    ]
    assert "Reason: A second reading" in feed.entries[0].summary
    assert re.search(r"/cities/denver/#revision-\d+$", feed.entries[0].link)


def test_a_city_feed_has_only_that_citys_entries(client, published_twice):
    feed = _parse(client, reverse("cities:city-revision-feed", args=["camden"]))

    assert [entry.title for entry in feed.entries] == ["Camden: January 2016 published at Emerging"]


def test_a_publish_shows_in_the_feed_on_the_next_request(client, published_twice):
    url = reverse("cities:revision-feed")
    assert len(_parse(client, url).entries) == 3
    draft = AssessmentFactory(
        city=CityFactory(name="Hartford", slug="hartford"),
        status="draft",
        published_at=None,
        consensus_stage=make_stages()["Basic"],
    )
    services.assessment_publish(
        user=published_twice,
        assessment=draft,
        reason="New",
        expected_version=draft.version,
        override_reason="Test data",
    )

    assert _parse(client, url).entries[0].title.startswith("Hartford:")


def test_the_feed_never_names_who_recorded_an_entry_or_an_override(client, published_twice):
    body = client.get(reverse("cities:revision-feed")).content.decode()

    assert "Test data" not in body  # the coverage override reason
    assert published_twice.username not in body


def test_pages_link_their_feeds(client, published_twice):
    home = client.get(reverse("cities:city-list")).content.decode()
    city = client.get(reverse("cities:city-detail", args=["denver"])).content.decode()

    site_feed = reverse("cities:revision-feed")
    assert f'title="Compact Tracker: revision log" href="{site_feed}"' in home
    assert reverse("cities:city-revision-feed", args=["denver"]) in city


def test_an_empty_feed_says_why_it_is_empty_and_what_fills_it(client):
    city = CityFactory(name="Tulsa", slug="tulsa")

    for url in (
        reverse("cities:revision-feed"),
        reverse("cities:city-revision-feed", args=[city.slug]),
    ):
        feed = feedparser.parse(client.get(url).content)

        assert feed.entries == []
        assert (
            "when a lead researcher publishes, withdraws or changes a stage" in feed.feed.subtitle
        )
        assert "the starting record, not revisions" in feed.feed.subtitle


def test_a_feed_with_entries_does_not_call_itself_empty(client, published_twice):
    feed = feedparser.parse(client.get(reverse("cities:revision-feed")).content)

    assert feed.entries
    assert "Nothing yet" not in feed.feed.subtitle
