"""Blind rating holds everywhere: the page, the history, the list and the CSV export all
ask one rule (``selectors.visible_ratings_for``)."""

import csv
import io

import pytest
from django.urls import reverse

from compacts.models import Assessment
from tests.factories import AssessmentFactory, RatingFactory, user_with_role
from workspace import selectors
from workspace.models import Rating

pytestmark = pytest.mark.django_db

SECRET = "Colleague rationale QX7"


@pytest.fixture
def rated_by_colleague(stages):
    draft = AssessmentFactory(status=Assessment.Status.DRAFT, published_at=None)
    colleague = user_with_role("researcher", "colleague")
    RatingFactory(assessment=draft, rater=colleague, stage=stages["Embedded"], rationale=SECRET)
    return draft


def _export(client) -> list[dict]:
    response = client.get(reverse("workspace:export"))
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_hides_a_colleagues_rating_from_a_researcher_who_has_not_rated(
    client, rated_by_colleague
):
    client.force_login(user_with_role("researcher", "me"))
    rows = _export(client)
    assert SECRET not in str(rows)
    assert all(row["rater"] != "colleague" for row in rows)
    # The assessment itself is listed (researchers see drafts), with no rating in it.
    mine = [row for row in rows if row["city"] == rated_by_colleague.city.slug]
    assert [(row["status"], row["rater"], row["stage"]) for row in mine] == [("draft", "", "")]


def test_the_export_shows_a_colleagues_rating_once_the_researcher_has_rated(
    client, rated_by_colleague, stages
):
    me = user_with_role("researcher", "me")
    RatingFactory(assessment=rated_by_colleague, rater=me, stage=stages["Basic"])
    client.force_login(me)
    rows = _export(client)
    assert sorted((row["rater"], row["stage"]) for row in rows) == [
        ("colleague", "Embedded"),
        ("me", "Basic"),
    ]
    assert SECRET in {row["rationale"] for row in rows}


def test_a_lead_exports_every_rating_without_rating_first(client, rated_by_colleague):
    client.force_login(user_with_role("lead"))
    assert [row["rationale"] for row in _export(client)] == [SECRET]


def test_the_count_and_stage_range_of_the_assessment_list_count_only_visible_ratings(
    rated_by_colleague, stages
):
    me = user_with_role("researcher", "me")
    row = selectors.workspace_assessments(user=me).get()
    assert (row.rating_count, row.lowest_order, row.highest_order) == (0, None, None)
    lead = user_with_role("lead")
    row = selectors.workspace_assessments(user=lead).get()
    assert (row.rating_count, row.lowest_order, row.highest_order) == (1, 5, 5)


def test_the_rule_shows_nobody_without_a_research_role_any_rating(rated_by_colleague):
    assert not selectors.visible_ratings_for(user=user_with_role("funder")).exists()


def test_the_history_shows_a_colleagues_edits_only_after_rating(client, rated_by_colleague, stages):
    colleague_rating = Rating.objects.get(assessment=rated_by_colleague)
    colleague_rating.rationale = "Second thoughts QX8"
    colleague_rating.save()
    me = user_with_role("researcher", "me")
    client.force_login(me)
    url = reverse("workspace:assessment-detail", args=[rated_by_colleague.pk])
    assert "QX8" not in client.get(url).content.decode()
    RatingFactory(assessment=rated_by_colleague, rater=me, stage=stages["Basic"])
    assert "QX8" in client.get(url).content.decode()
