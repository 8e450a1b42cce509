import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_a_forgotten_password_sends_a_reset_link_by_mail(client):
    UserFactory(username="lena", email="lena@example.org")

    response = client.post(reverse("password_reset"), {"email": "lena@example.org"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert mail.outbox == []


PASSWORD = "a-long-test-password"  # UserFactory's


def _sign_in(client, username, next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


@pytest.mark.parametrize(
    ("role", "lands_on"),
    [
        ("researcher", "workspace:workspace"),
        ("lead", "workspace:workspace"),
        ("funder", "dashboard:dashboard"),
    ],
)
def test_signing_in_lands_on_the_page_for_the_users_role(client, role, lands_on):
    user_with_role(role, f"a-{role}")

    response = _sign_in(client, f"a-{role}")

    assert response.status_code == 302
    assert response["Location"] == reverse(lands_on)


def test_signing_in_returns_to_the_page_the_user_came_from(client):
    user_with_role("funder", "a-funder")
    compare = reverse("dashboard:compare") + "?city=boston"

    response = _sign_in(client, "a-funder", next_url=compare)

    assert response["Location"] == compare


def test_a_user_with_no_role_lands_on_the_dashboard(client):
    UserFactory(username="no-role")

    assert _sign_in(client, "no-role")["Location"] == reverse("dashboard:dashboard")
