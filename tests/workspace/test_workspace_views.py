"""Workspace pages: what each role sees, blindness, forms, query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compacts.models import RevisionLogEntry
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    InterviewFactory,
    RatingFactory,
    RevisionLogEntryFactory,
    SourceFactory,
    user_with_role,
)
from workspace import services
from workspace.models import Rating, RevisionRecord

pytestmark = pytest.mark.django_db


def _signed_in(client, role, username=None):
    user = user_with_role(role, username)
    client.force_login(user)
    return user


def _h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


def test_a_researcher_does_not_see_others_ratings_until_they_rate(client, draft, stages):
    RatingFactory(assessment=draft, stage=stages["Advanced"], rationale="Colleague's view XYZ")
    me = _signed_in(client, "researcher")
    url = reverse("workspace:assessment-detail", args=[draft.pk])

    before = client.get(url).content.decode()
    assert "Colleague&#x27;s view XYZ" not in before
    assert "Colleague's view XYZ" not in before
    assert "Blind rating" in before

    RatingFactory(assessment=draft, rater=me, stage=stages["Basic"])
    after = client.get(url).content.decode()
    assert "Colleague" in after


def test_blindness_holds_in_the_history_too(client, draft, stages):
    other = RatingFactory(assessment=draft, stage=stages["Embedded"])
    other.rationale = "Edited by colleague"
    other.save()
    _signed_in(client, "researcher")
    html = client.get(reverse("workspace:assessment-detail", args=[draft.pk])).content.decode()
    assert "Embedded" not in html
    assert "Edited by colleague" not in html


def test_a_researcher_records_a_rating_with_evidence_through_the_form(client, draft, stages):
    me = _signed_in(client, "researcher")
    interview = InterviewFactory(city=draft.city, sector="district")
    source = SourceFactory()
    response = client.post(
        reverse("workspace:rating-edit", args=[draft.pk]),
        {
            "stage": stages["Basic"].pk,
            "confidence": "high",
            "rationale": "District and charters share enrollment.",
            "version": "",
            "evidence-TOTAL_FORMS": "2",
            "evidence-INITIAL_FORMS": "0",
            "evidence-0-interview": interview.pk,
            "evidence-1-source": source.pk,
            "evidence-1-quote": "They share enrollment across every district and charter school.",
            "evidence-1-location": "p. 2",
        },
    )
    assert response.status_code == 302
    rating = Rating.objects.get(rater=me)
    assert rating.evidence.count() == 2
    assert rating.history.get().history_user == me


def test_a_stale_rating_form_shows_what_changed(client, draft, stages):
    me = _signed_in(client, "researcher")
    rating = RatingFactory(assessment=draft, rater=me, stage=stages["Basic"])
    services.rating_submit(
        user=me,
        assessment=draft,
        stage=stages["Advanced"],
        rationale="Newer view",
        confidence="high",
        evidence=[],
        expected_version=rating.version,
    )
    response = client.post(
        reverse("workspace:rating-edit", args=[draft.pk]),
        {
            "stage": stages["Emerging"].pk,
            "confidence": "low",
            "rationale": "Old tab",
            "version": 1,
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this rating" in html
    assert "stage: Basic → Advanced" in html
    assert Rating.objects.get().stage == stages["Advanced"]


def test_the_rating_form_of_a_published_assessment_says_it_is_locked(client, stages):
    _signed_in(client, "researcher")
    published = AssessmentFactory(consensus_stage=stages["Basic"])
    html = client.get(reverse("workspace:rating-edit", args=[published.pk])).content.decode()
    assert services.RATING_LOCKED in html


def test_a_lead_publishes_through_the_reconcile_page(client, draft, stages):
    lead = _signed_in(client, "lead")
    RatingFactory(assessment=draft, stage=stages["Basic"])
    url = reverse("workspace:assessment-reconcile", args=[draft.pk])
    client.post(url, {"consensus_stage": stages["Basic"].pk, "consensus_note": "", "version": 1})
    page = client.get(url).content.decode()
    assert "not enough" in page
    refused = client.post(
        reverse("workspace:assessment-publish", args=[draft.pk]),
        {"publish-reason": "Done.", "publish-version": 2},
    )
    assert "Publishing needs evidence" in refused.content.decode()
    response = client.post(
        reverse("workspace:assessment-publish", args=[draft.pk]),
        {
            "publish-reason": "Done.",
            "publish-override_reason": "Board minutes.",
            "publish-version": 2,
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    assert RevisionRecord.objects.get(entry=RevisionLogEntry.objects.get()).recorded_by == lead


def test_the_city_page_shows_the_revision_log_in_one_extra_query(
    client, stages, django_assert_max_num_queries
):
    city = CityFactory()
    client.get(city.get_absolute_url())  # warm up
    with CaptureQueriesContext(connection) as empty:
        client.get(city.get_absolute_url())
    for n in range(12):
        RevisionLogEntryFactory(city=city, reason=f"Reason {n}", period_label=str(2010 + n))
    with django_assert_max_num_queries(len(empty.captured_queries) + 1):
        html = client.get(city.get_absolute_url()).content.decode()
    assert "Revision log" in html
    assert "Reason 11" in html


@pytest.mark.parametrize("rows", [1, 30])
def test_workspace_lists_keep_a_flat_query_count(
    client, stages, rows, django_assert_max_num_queries
):
    _signed_in(client, "lead")
    for _ in range(rows):
        assessment = AssessmentFactory(status="draft", published_at=None, city=CityFactory())
        RatingFactory(assessment=assessment, stage=stages["Basic"])
        InterviewFactory(city=assessment.city)
    for name in ["workspace:workspace", "workspace:interview-list", "workspace:agreement"]:
        with django_assert_max_num_queries(12):
            assert client.get(reverse(name)).status_code == 200


def test_workspace_pages_have_one_h1(client, draft, stages):
    me = _signed_in(client, "lead")
    interview = InterviewFactory(city=draft.city)
    RatingFactory(assessment=draft, rater=me, stage=stages["Basic"])
    urls = [
        reverse("workspace:workspace"),
        reverse("workspace:interview-list"),
        reverse("workspace:interview-create"),
        reverse("workspace:interview-detail", args=[interview.pk]),
        reverse("workspace:interview-edit", args=[interview.pk]),
        reverse("workspace:interview-delete", args=[interview.pk]),
        reverse("workspace:assessment-create"),
        reverse("workspace:assessment-detail", args=[draft.pk]),
        reverse("workspace:rating-edit", args=[draft.pk]),
        reverse("workspace:assessment-reconcile", args=[draft.pk]),
        reverse("workspace:agreement"),
        reverse("workspace:import"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _h1_count(response.content.decode()) == 1, url


def test_interviews_are_searchable(client):
    _signed_in(client, "researcher")
    InterviewFactory(interviewee_role="Charter network CEO", notes="talked about enrollment")
    InterviewFactory(interviewee_role="Board member", notes="budget cuts")
    html = client.get(reverse("workspace:interview-list"), {"q": "enrollment"}).content.decode()
    assert "Charter network CEO" in html
    assert "Board member" not in html


def test_the_workspace_link_shows_only_for_researchers(client):
    assert "Workspace" not in client.get("/").content.decode()
    _signed_in(client, "funder")
    assert ">Workspace<" not in client.get("/").content.decode()
    _signed_in(client, "researcher")
    assert ">Workspace<" in client.get("/").content.decode()


@pytest.mark.parametrize(
    "name", ["login", "password_reset", "password_reset_done", "password_reset_complete"]
)
def test_account_pages_use_the_site_layout_with_one_h1(client, name):
    html = client.get(reverse(name)).content.decode()
    assert _h1_count(html) == 1
    assert "Compact Tracker" in html


def test_the_assessment_page_shows_researchers_who_overrode_evidence_coverage_and_why(
    client, stages
):
    assessment = AssessmentFactory(consensus_stage=stages["Basic"])
    RevisionRecord.objects.create(
        entry=RevisionLogEntryFactory(city=assessment.city, assessment=assessment),
        recorded_by=user_with_role("lead", "ana"),
        coverage_override_reason="The charter leaders declined interviews; two sources agree.",
    )
    _signed_in(client, "researcher")

    html = client.get(reverse("workspace:assessment-detail", args=[assessment.pk])).content.decode()

    assert "Publication log" in html
    assert "by ana" in html
    assert "The charter leaders declined interviews; two sources agree." in html


def test_the_workspace_list_pages_first_and_counts_ratings_on_its_page_only(client, stages):
    """The list picks its 25 rows, then computes their rating figures: the second page
    holds the 26th assessment in order with its own figures."""
    _signed_in(client, "lead")
    cities = [CityFactory(name=f"City {n:02d}") for n in range(26)]
    for city in cities:
        AssessmentFactory(status="draft", published_at=None, city=city)
    last = cities[-1].assessments.get()
    RatingFactory(assessment=last, stage=stages["Basic"])
    RatingFactory(assessment=last, stage=stages["Advanced"])

    page = client.get(reverse("workspace:workspace") + "?page=2").context["page"]

    assert [row.pk for row in page.object_list] == [last.pk]
    assert page.paginator.count == 26
    assert page.object_list[0].rating_count == 2


def test_the_city_filter_lists_every_city_escaped_with_the_chosen_one_selected(client):
    CityFactory(name='Odd "Quoted" <b>City</b>', slug="odd", state="TX")
    CityFactory(name="Boston", slug="boston", state="MA")
    _signed_in(client, "lead")

    for name in ("workspace:workspace", "workspace:interview-list"):
        html = client.get(reverse(name), {"city": "odd"}).content.decode()

        assert '<option value="">All cities</option>' in html
        assert '<option value="boston">Boston, MA</option>' in html
        assert (
            '<option value="odd" selected>Odd &quot;Quoted&quot; &lt;b&gt;City&lt;/b&gt;, TX'
            "</option>" in html
        )
        assert "<b>City</b>" not in html


def test_a_city_filter_naming_no_city_says_so_instead_of_showing_an_empty_list(client, draft):
    _signed_in(client, "lead")

    for name in ("workspace:workspace", "workspace:interview-list"):
        html = client.get(reverse(name), {"city": "atlantis"}).content.decode()

        assert "No city has the slug “atlantis”" in html
        assert "Create the first one" not in html
