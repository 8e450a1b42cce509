"""What the README's "What to try first" tells each role to do works on the seed data, and
its explanation of the empty releases page and feeds holds: a fresh seed has neither a
release nor a revision-log entry until a lead publishes and releases."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from cities.models import City
from compacts.models import Assessment, RevisionLogEntry, Stage
from releases.models import Release
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

NO_EVIDENCE = {
    "evidence-TOTAL_FORMS": "0",
    "evidence-INITIAL_FORMS": "0",
    "evidence-MIN_NUM_FORMS": "0",
    "evidence-MAX_NUM_FORMS": "25",
}


def test_a_fresh_seed_has_no_release_and_no_feed_entries(client, seeded):
    releases = client.get("/releases/")
    feed = client.get("/revisions.atom")

    assert Release.objects.count() == 0
    assert RevisionLogEntry.objects.count() == 0
    assert "No release has been made yet" in releases.content.decode()
    assert b"<entry>" not in feed.content


def test_the_anonymous_readers_first_pages_answer(client, seeded):
    for url in [
        "/dashboard/?as_of=2017-06",
        "/cities/boston/",
        "/cities/",
        "/research/",
        "/dashboard/timeline/?city=boston&city=denver",
        "/api/cities/",
        "/embed/figure-6/",
    ]:
        assert client.get(url).status_code == 200, url


def _rate(client, assessment: Assessment, stage: Stage) -> None:
    response = client.post(
        f"/workspace/assessments/{assessment.pk}/rating/",
        {
            "stage": stage.pk,
            "confidence": "medium",
            "rationale": "Heard in interviews.",
            **NO_EVIDENCE,
        },
    )
    assert response.status_code == 302, response.content.decode()


def test_the_funder_researcher_and_lead_walkthrough_ends_in_a_feed_entry_an_alert_and_a_release(
    client, seeded
):
    funder = user_with_role("funder", "demo-funder")
    researcher = user_with_role("researcher", "demo-researcher")
    lead = user_with_role("lead", "demo-lead")
    denver = City.objects.get(slug="denver")
    intermediate = Stage.objects.get(name="Intermediate")

    client.force_login(funder)
    for url in [
        "/dashboard/compare/?city=denver&city=boston&as_of=2017-06",
        "/dashboard/cohorts/?as_of=2017-06",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.post("/alerts/watch/denver/", {"watch": "1"}).status_code == 302

    client.force_login(researcher)
    client.post("/workspace/assessments/new/", {"city": denver.pk, "period": "2026"})
    assessment = Assessment.objects.get(city=denver, period_start__year=2026)
    _rate(client, assessment, intermediate)

    client.force_login(lead)
    _rate(client, assessment, intermediate)
    reconcile = f"/workspace/assessments/{assessment.pk}/reconcile/"
    assessment.refresh_from_db()
    client.post(reconcile, {"consensus_stage": intermediate.pk, "version": assessment.version})
    assessment.refresh_from_db()
    client.post(
        f"/workspace/assessments/{assessment.pk}/publish/",
        {
            "publish-reason": "Interviews in 2026.",
            "publish-override_reason": "A demonstration.",
            "publish-version": assessment.version,
        },
    )
    call_command("send_alerts", stdout=io.StringIO())
    client.post("/releases/new/", {"number": "2026.1", "note": "The first release."})

    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.PUBLISHED
    assert "Denver" in client.get("/revisions.atom").content.decode()
    assert [message.to for message in mail.outbox] == [[funder.email]]
    assert "2026.1" in client.get("/releases/").content.decode()
