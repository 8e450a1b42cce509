"""Publishing snapshots into the public record how sure the stage is: how many researchers
rated it, their lowest and highest stage, their agreement and the evidence per side; never
who rated what, never a rationale or an interviewee."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from compacts.models import Assessment
from tests.claims import RATIONALES, publish_rated_range
from tests.factories import AssessmentFactory, make_stages, user_with_role
from workspace import services

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_publishing_two_different_ratings_snapshots_their_range_and_evidence():
    published = publish_rated_range(low="Basic", high="Intermediate")
    published.refresh_from_db()
    assert (published.rater_count, published.rating_low_order, published.rating_high_order) == (
        2,
        2,
        3,
    )
    assert published.rating_agreement == "one_stage_apart"
    assert (
        published.evidence_district_interviews,
        published.evidence_charter_interviews,
        published.evidence_sources,
    ) == (1, 1, 0)


def test_the_snapshot_holds_no_name_rationale_note_or_interviewee():
    published = publish_rated_range()
    row = Assessment.objects.filter(pk=published.pk).values().get()
    assert row["rater_count"] == 2
    public = " ".join(str(value) for value in row.values())
    for secret in (*RATIONALES, "Secret note", "Jane Secret"):
        assert secret not in public
    users = [f.name for f in Assessment._meta.concrete_fields if f.related_model is User]
    assert users == []


def test_unpublishing_clears_the_snapshot_and_republishing_rewrites_it():
    published = publish_rated_range()
    lead = user_with_role("lead")
    draft = services.assessment_unpublish(
        user=lead, assessment=published, reason="Rechecking.", expected_version=published.version
    )
    draft.refresh_from_db()
    assert (draft.rater_count, draft.rating_low_order, draft.rating_agreement) == (None, None, "")
    again = services.assessment_publish(
        user=lead, assessment=draft, reason="Rechecked.", expected_version=draft.version
    )
    again.refresh_from_db()
    assert (again.rater_count, again.rating_low_order, again.rating_high_order) == (2, 2, 3)


def test_changing_a_published_stated_stage_snapshots_the_ratings_as_they_stand():
    stages = make_stages()
    stated = AssessmentFactory(consensus_stage=stages["Advanced"], stage_provenance="stated")
    assert stated.rater_count is None  # a seed stage: not rated, never 0
    changed = services.assessment_reconcile(
        user=user_with_role("lead"),
        assessment=stated,
        consensus_stage=stages["Basic"],
        consensus_note="",
        expected_version=stated.version,
        reason="New interviews.",
    )
    changed.refresh_from_db()
    assert (changed.stage_provenance, changed.rater_count, changed.rating_agreement) == (
        "rated",
        0,
        "",
    )


@pytest.mark.parametrize(
    "snapshot",
    [
        {"rater_count": 2, "rating_low_order": 3, "rating_high_order": 2},  # low above high
        {"rater_count": 2, "rating_low_order": 2, "rating_high_order": None},  # half a range
        {"rater_count": 0, "rating_low_order": 2, "rating_high_order": 2},  # range, no rating
        {"rater_count": 2, "rating_low_order": 2, "rating_high_order": 4},  # "all agree"?
    ],
)
def test_the_database_refuses_an_inconsistent_snapshot(snapshot):
    stages = make_stages()
    assessment = AssessmentFactory(consensus_stage=stages["Basic"])
    values = {
        "rating_agreement": "all_agree",
        "evidence_district_interviews": 0,
        "evidence_charter_interviews": 0,
        "evidence_sources": 1,
        **snapshot,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(**values)


def test_a_draft_carries_no_snapshot():
    stages = make_stages()
    draft = AssessmentFactory(consensus_stage=stages["Basic"], status="draft", published_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=draft.pk).update(
            rater_count=0,
            evidence_district_interviews=0,
            evidence_charter_interviews=0,
            evidence_sources=0,
        )
