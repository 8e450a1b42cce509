"""Text as a reader sees it on the seeded data: no Markdown marks in tables, headings or
CSV; no heading that repeats itself; no fixture key where a reader reads prose; initiative
statuses dated; messages that name what changed."""

import re

import pytest
from django.urls import reverse

from compacts.models import Assessment
from dashboard.presenters import CSV_TABLES
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    RatingFactory,
    make_stages,
    user_with_role,
)

pytestmark = pytest.mark.django_db

MARKS = re.compile(r"(?<![\w*])\*\w[^*]*\*|\s\|\s")


def test_no_dashboard_csv_or_data_table_carries_markdown_marks(client, seeded):
    query = "?as_of=2018-06&initiative_type=co-location"
    page = client.get(reverse("dashboard:dashboard") + query).content.decode()
    tables = "".join(re.findall(r"<table.*?</table>", page, re.S))

    assert tables
    assert MARKS.findall(tables) == []
    for chart in CSV_TABLES:
        csv = client.get(reverse("dashboard:chart-csv", args=[chart]) + query).content.decode()
        assert MARKS.findall(csv) == [], chart


def test_the_published_counts_quote_its_emphasis_as_emphasis(client, seeded):
    page = client.get(reverse("dashboard:dashboard") + "?as_of=2018-06").content.decode()

    assert "<em>Advanced</em>" in page


def test_no_prose_a_city_page_shows_names_a_record_by_its_fixture_key(seeded):
    from cities.models import CityNote, ContextFactor, Event
    from compacts.models import Initiative, TrajectoryFinding

    keyed = (Initiative, TrajectoryFinding, Event)
    keys = {key for model in keyed for key in model.objects.values_list("key", flat=True)}
    prose = [
        *Initiative.objects.values_list("description", flat=True),
        *TrajectoryFinding.objects.values_list("summary", flat=True),
        *Event.objects.values_list("title", flat=True),
        *ContextFactor.objects.values_list("description", flat=True),
        *CityNote.objects.values_list("text", flat=True),
    ]

    assert [text for text in prose if any(f"({key})" in text for key in keys)] == []


def test_no_research_heading_repeats_itself(client, seeded):
    page = client.get(reverse("cities:research-findings")).content.decode()
    headings = re.findall(r"<strong>([^<:]+): ([^<]+)</strong>", page)

    assert "Transactional collaboration: access to resources and capacity" in page
    assert [h for h in headings if h[1].lower().startswith(h[0].lower())] == []


def test_initiative_statuses_say_the_year_they_were_recorded_for(client, seeded):
    dashboard = client.get(
        reverse("dashboard:dashboard") + "?initiative_type=co-location"
    ).content.decode()
    research = client.get(reverse("cities:research-findings")).content.decode()

    assert re.search(r"(Active|Achieved|Stalled|Abandoned) \(as of \d{4}\)", dashboard)
    assert re.search(r"status: Active \(reported in 2017\)", research)


def test_a_status_the_text_gives_no_year_is_dated_by_its_document_on_the_city_page(client, seeded):
    page = client.get(reverse("cities:city-detail", args=["philadelphia"])).content.decode()

    assert re.search(r'initiative-status">\w+ \((as of|reported in) \d{4}\)<', page)
    assert not re.search(r'initiative-status">\w+<', page)


def test_publishing_says_which_assessment_became_public(client):
    stages = make_stages()
    draft = AssessmentFactory(
        city=CityFactory(name="Boston", slug="boston"),
        period_start="2019-01-01",
        period_precision="year",
        status=Assessment.Status.DRAFT,
        published_at=None,
    )
    client.force_login(user_with_role("lead"))
    RatingFactory(assessment=draft, stage=stages["Intermediate"])
    client.post(
        reverse("workspace:assessment-reconcile", args=[draft.pk]),
        {"consensus_stage": stages["Intermediate"].pk, "consensus_note": "", "version": 1},
    )
    response = client.post(
        reverse("workspace:assessment-publish", args=[draft.pk]),
        {
            "publish-reason": "Done.",
            "publish-override_reason": "Board minutes.",
            "publish-version": 2,
        },
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert "Boston's 2019 assessment (Intermediate) is now public." in messages
