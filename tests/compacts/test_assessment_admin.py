"""The admin cannot publish around the workspace: a published assessment is read-only there,
and no admin save (form or history revert) changes whether an assessment is published.
Publishing goes through the workspace service, with its evidence check and its log entry."""

import re

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from compacts.models import Assessment, RevisionLogEntry
from tests.factories import AssessmentFactory, UserFactory, make_stages

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def stages():
    return make_stages()


@pytest.fixture
def draft(stages):
    return AssessmentFactory(
        status=Assessment.Status.DRAFT, published_at=None, consensus_stage=stages["Basic"]
    )


def _change_url(assessment) -> str:
    return reverse("admin:compacts_assessment_change", args=[assessment.pk])


def _form(client, assessment, **changes) -> dict:
    """The admin's change form as it stands, no inline rows, with ``changes``."""
    html = client.get(_change_url(assessment)).content.decode()
    prefixes = re.findall(r'name="([^"]+)-TOTAL_FORMS"', html)
    data = {k: "0" for p in prefixes for k in (f"{p}-TOTAL_FORMS", f"{p}-INITIAL_FORMS")}
    data |= {
        "city": assessment.city_id,
        "period_start": assessment.period_start.isoformat(),
        "period_precision": assessment.period_precision,
        "consensus_stage": assessment.consensus_stage_id or "",
        "stage_provenance": assessment.stage_provenance,
        "stage_reasoning": assessment.stage_reasoning,
        "stage_confidence": assessment.stage_confidence,
    }
    return data | changes


def test_the_admin_refuses_to_publish_a_draft(client, superuser, draft):
    page = client.get(_change_url(draft)).content.decode()
    assert 'name="status"' not in page  # shown, not editable
    response = client.post(
        _change_url(draft),
        _form(
            client, draft, status="published", published_at_0="2026-01-01", published_at_1="12:00"
        ),
    )
    assert response.status_code == 302  # the other fields saved; the status ignored
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (Assessment.Status.DRAFT, None)
    assert not RevisionLogEntry.objects.exists()


def test_no_admin_save_may_change_the_status(superuser, draft):
    model_admin = admin.site._registry[Assessment]
    request = RequestFactory().post("/")
    request.user = superuser
    draft.status = Assessment.Status.PUBLISHED
    with pytest.raises(PermissionDenied):
        model_admin.save_model(request, draft, form=None, change=True)
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT


def test_reverting_a_draft_to_its_published_past_is_refused(client, superuser, stages):
    assessment = AssessmentFactory(consensus_stage=stages["Basic"])  # published
    published_version = assessment.history.first().history_id
    assessment.status, assessment.published_at = Assessment.Status.DRAFT, None
    assessment.save()  # unpublished (as the workspace would)
    url = reverse(
        "admin:compacts_assessment_simple_history", args=[assessment.pk, published_version]
    )
    response = client.post(url, _form(client, assessment))
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_a_published_assessment_is_read_only_in_the_admin(client, superuser, stages):
    published = AssessmentFactory(consensus_stage=stages["Basic"])
    page = client.get(_change_url(published))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = client.post(
        _change_url(published), _form(client, published, consensus_stage=stages["Advanced"].pk)
    )
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.consensus_stage == stages["Basic"]
    delete = reverse("admin:compacts_assessment_delete", args=[published.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Assessment.objects.filter(pk=published.pk).exists()


def test_a_drafts_other_fields_stay_editable_and_its_version_moves_on(client, superuser, draft):
    response = client.post(
        _change_url(draft), _form(client, draft, stage_reasoning="The 2017 report says so.")
    )
    assert response.status_code == 302
    before = draft.version
    draft.refresh_from_db()
    assert draft.stage_reasoning == "The 2017 report says so."
    assert draft.version == before + 1
    assert draft.status == Assessment.Status.DRAFT
