import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

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
