"""Unsubscribe links work for 90 days and only for the subscription they were sent for; a
link that no longer works still offers a way out."""

import time
from types import SimpleNamespace

import pytest
from django.core import mail, signing
from django.urls import reverse

from alerts import services
from alerts.models import Subscription
from tests.alerts.helpers import publish, send
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60


@pytest.fixture
def watcher(denver_at_advanced):
    city, _ = denver_at_advanced
    user = user_with_role("funder", "watcher")
    services.watch(user=user, city=city)
    return user


def _link(message) -> str:
    return (
        message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000")
    )


def _alert_link(draft, days_ago=0) -> str:
    """Publish, run send_alerts, and return the email's unsubscribe link, as if the email
    had been sent ``days_ago``."""
    publish(draft)
    with pytest.MonkeyPatch.context() as patch:
        then = time.time() - days_ago * DAY
        patch.setattr(signing, "time", SimpleNamespace(time=lambda: then))
        send()
    return _link(mail.outbox[-1])


def _active(user) -> bool:
    return Subscription.objects.get(user=user).active


def test_an_old_link_does_nothing_after_the_user_subscribes_again(
    client, watcher, denver_at_advanced
):
    _, draft = denver_at_advanced
    link = _alert_link(draft)
    client.post(link, {"List-Unsubscribe": "One-Click"})
    assert not _active(watcher)
    client.force_login(watcher)
    client.post(reverse("alerts:watch-list"), {"frequency": "immediate"})  # on again
    client.logout()

    response = client.post(link, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 400
    assert "sent before you last switched alerts on" in response.content.decode()
    assert _active(watcher)


def test_a_link_used_twice_says_the_user_is_unsubscribed(client, watcher, denver_at_advanced):
    _, draft = denver_at_advanced
    link = _alert_link(draft)

    client.post(link)
    response = client.post(link)  # a mail client retrying the one-click POST

    assert response.status_code == 200
    assert "You will get no more alert emails" in response.content.decode()
    assert not _active(watcher)


def test_a_link_works_for_89_days(client, watcher, denver_at_advanced):
    _, draft = denver_at_advanced
    link = _alert_link(draft, days_ago=89)

    assert client.post(link, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not _active(watcher)


def test_an_expired_link_changes_nothing_and_offers_a_way_out(client, watcher, denver_at_advanced):
    _, draft = denver_at_advanced
    link = _alert_link(draft, days_ago=91)

    posted = client.post(link, {"List-Unsubscribe": "One-Click"})
    page = client.get(link).content.decode()

    assert posted.status_code == 400
    assert _active(watcher)
    assert "This unsubscribe link has expired" in page
    assert f"{reverse('login')}?next={reverse('alerts:watch-list')}" in page
    assert f'action="{reverse("alerts:unsubscribe-link")}"' in page


def test_a_fresh_link_is_mailed_and_the_answer_is_the_same_for_an_unknown_address(client, watcher):
    url = reverse("alerts:unsubscribe-link")

    unknown = client.post(url, {"email": "nobody@example.org"})
    known = client.post(url, {"email": "WATCHER@example.org"})

    assert unknown.status_code == known.status_code == 200
    assert unknown.content == known.content
    assert "If an account with that address gets alert emails" in known.content.decode()
    (message,) = mail.outbox
    assert message.to == ["watcher@example.org"]
    fresh = message.body.split("Stop these emails: http://127.0.0.1:8000")[1].split()[0]
    client.post(fresh)
    assert not _active(watcher)


def test_a_fresh_link_is_mailed_at_most_once_in_a_quarter_hour(client, watcher):
    url = reverse("alerts:unsubscribe-link")

    first = client.post(url, {"email": "watcher@example.org"})
    second = client.post(url, {"email": "watcher@example.org"})

    assert first.content == second.content
    assert len(mail.outbox) == 1


def test_a_link_of_another_kind_is_refused_with_a_way_out(client, watcher):
    forged = signing.dumps(watcher.pk, salt="alerts.unsubscribe")  # the old, unversioned kind

    response = client.post(reverse("alerts:unsubscribe", args=[forged]))

    assert response.status_code == 400
    assert "This unsubscribe link is not valid" in response.content.decode()
    assert _active(watcher)
