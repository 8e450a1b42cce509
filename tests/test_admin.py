"""Every model is in the admin, and each admin list page answers for staff."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory

PROJECT_APPS = {"sources", "cities", "compacts", "workspace"}


def _project_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not model.__name__.startswith("Historical")
    ]


@pytest.mark.parametrize("model", _project_models(), ids=lambda m: m.__name__)
def test_every_model_is_registered_in_the_admin(model):
    assert admin.site.is_registered(model)


@pytest.mark.django_db
@pytest.mark.parametrize("model", _project_models(), ids=lambda m: m.__name__)
def test_each_admin_list_opens_for_a_superuser(client, model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_admin_sends_a_signed_in_non_staff_user_to_its_login(client):
    client.force_login(UserFactory())

    response = client.get(reverse("admin:workspace_interview_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
