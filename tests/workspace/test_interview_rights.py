"""Who may change an interview: its interviewer and lead researchers; other researchers
read it only (docs/research-workflow.md: Who may do what)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import InterviewFactory, user_with_role
from workspace import services
from workspace.models import Interview

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview():
    return InterviewFactory(interviewer=user_with_role("researcher", "ines"), notes="Original.")


def test_another_researcher_may_read_but_not_edit_or_delete_an_interview(client, interview):
    client.force_login(user_with_role("researcher", "otto"))
    detail = client.get(reverse("workspace:interview-detail", args=[interview.pk]))
    assert detail.status_code == 200
    assert "Only its interviewer, ines, and lead researchers may edit" in detail.content.decode()
    edit = reverse("workspace:interview-edit", args=[interview.pk])
    delete = reverse("workspace:interview-delete", args=[interview.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"notes": "Overwritten.", "version": 1}).status_code == 403
    assert client.post(delete).status_code == 403
    interview.refresh_from_db()
    assert (interview.notes, interview.version) == ("Original.", 1)


def test_the_services_refuse_another_researcher(interview):
    otto = user_with_role("researcher", "otto")
    with pytest.raises(PermissionDenied):
        services.interview_update(user=otto, interview=interview, expected_version=1, notes="x")
    with pytest.raises(PermissionDenied):
        services.interview_delete(user=otto, interview=interview)
    assert Interview.objects.get().notes == "Original."


@pytest.mark.parametrize("who", ["interviewer", "lead"])
def test_the_interviewer_and_a_lead_may_edit_and_delete(client, interview, who):
    user = interview.interviewer if who == "interviewer" else user_with_role("lead")
    client.force_login(user)
    page = client.get(reverse("workspace:interview-detail", args=[interview.pk]))
    assert reverse("workspace:interview-edit", args=[interview.pk]) in page.content.decode()
    services.interview_update(user=user, interview=interview, expected_version=1, notes="New.")
    assert Interview.objects.get().notes == "New."
    response = client.post(reverse("workspace:interview-delete", args=[interview.pk]))
    assert response.status_code == 302
    assert not Interview.objects.exists()
