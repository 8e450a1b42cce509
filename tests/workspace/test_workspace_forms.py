"""Workspace forms that protect a researcher from a slip: no stage is chosen for them, and
a destructive action looks like one."""

import re

import pytest
from django.urls import reverse

from compacts.models import Assessment
from tests.factories import AssessmentFactory, make_stages, user_with_role
from workspace.models import Rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    make_stages()
    return AssessmentFactory(status=Assessment.Status.DRAFT, published_at=None)


def test_the_rating_form_starts_with_no_stage_chosen(client, draft):
    client.force_login(user_with_role("researcher"))

    page = client.get(reverse("workspace:rating-edit", args=[draft.pk])).content.decode()

    (stage,) = re.findall(r'<select name="stage".*?</select>', page, re.S)
    assert re.findall(r"<option[^>]*selected[^>]*>([^<]*)", stage) == ["Choose a stage"]


def test_the_rating_form_refuses_to_save_without_a_stage(client, draft):
    client.force_login(user_with_role("researcher"))

    response = client.post(
        reverse("workspace:rating-edit", args=[draft.pk]),
        {
            "stage": "",
            "confidence": "high",
            "rationale": "Forgot to choose.",
            "version": "",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "Choose the stage this evidence supports." in response.content.decode()
    assert not Rating.objects.exists()


def test_unpublish_is_styled_as_a_destructive_action_unlike_publish(client):
    stages = make_stages()
    published = AssessmentFactory(consensus_stage=stages["Basic"])
    draft = AssessmentFactory(
        status=Assessment.Status.DRAFT, published_at=None, consensus_stage=stages["Basic"]
    )
    client.force_login(user_with_role("lead"))

    def page(assessment):
        url = reverse("workspace:assessment-reconcile", args=[assessment.pk])
        return client.get(url).content.decode()

    assert '<button type="submit" class="button--danger">Unpublish</button>' in page(published)
    assert '<button type="submit">Publish</button>' in page(draft)
