"""Watching a city needs an email address on the account: the button says what is missing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from alerts import services
from alerts.models import Subscription, Watch
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_email():
    user = user_with_role("funder", "no-email")
    user.email = ""
    user.save()
    return user


def test_the_watch_button_says_an_email_address_is_missing_and_who_can_add_it(
    client, no_email, denver_at_advanced
):
    client.force_login(no_email)

    page = client.get("/cities/denver/").content.decode()

    assert "To watch Denver you need an email address on your account" in page
    assert "Ask a lead researcher or the site's administrator to add one" in page
    assert "Watch Denver: email me changes" not in page


def test_staff_who_may_edit_accounts_get_a_link_to_add_their_address(client, denver_at_advanced):
    admin = get_user_model().objects.create_superuser("admin", "", "pw")
    client.force_login(admin)

    page = client.get("/cities/denver/").content.decode()

    assert reverse("admin:auth_user_change", args=[admin.pk]) in page


def test_watching_without_an_email_address_is_refused(client, no_email, denver_at_advanced):
    city, _ = denver_at_advanced
    with pytest.raises(ValidationError, match="needs an email address"):
        services.watch(user=no_email, city=city)

    client.force_login(no_email)
    response = client.post(
        reverse("alerts:watch-toggle", args=["denver"]), {"watch": "1"}, follow=True
    )

    assert services.NO_EMAIL in response.content.decode()
    assert not Watch.objects.exists()


def test_the_watch_list_says_alerts_reach_nobody_without_an_address(client, no_email):
    client.force_login(no_email)

    page = client.get(reverse("alerts:watch-list")).content.decode()

    assert "Your account has no email address, so no alert can reach you" in page


def test_opening_the_watch_list_writes_nothing(client):
    user = user_with_role("funder", "reader")
    client.force_login(user)

    page = client.get(reverse("alerts:watch-list"))

    assert page.status_code == 200
    assert not Subscription.objects.filter(user=user).exists()


def test_the_private_watch_list_offers_nothing_to_cite(client):
    client.force_login(user_with_role("funder", "reader"))

    page = client.get(reverse("alerts:watch-list")).content.decode()

    assert "site-cite" not in page
    assert "Cite this" not in page
