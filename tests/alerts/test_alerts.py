"""Watchers hear once about what researchers publish for the cities they watch."""

import io
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from alerts import services
from alerts.models import FindingAdded, Frequency, Subscription
from cities.models import City
from compacts.models import Assessment, Stage
from tests.alerts.helpers import publish, send
from tests.factories import CityFactory, user_with_role
from workspace import services as workspace

pytestmark = pytest.mark.django_db


def test_a_published_backslide_mails_the_watcher_once_and_nobody_else(denver_at_advanced):
    city, draft = denver_at_advanced
    watcher = user_with_role("funder", "watcher")
    services.watch(user=watcher, city=city)
    services.watch(user=user_with_role("funder", "boston-fan"), city=CityFactory(slug="boston"))
    user_with_role("funder", "not-watching")

    publish(draft)
    first, second = send(), send()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [watcher.email]
    assert "Denver: January 2018 published at Basic. Reason: Interviews in 2018" in message.body
    assert "Denver now stands below its peak: Basic (peak Advanced)." in message.body
    assert "http://127.0.0.1:8000/cities/denver/#revision-" in message.body
    assert "Sent 1 email(s) covering 1 change(s)" in first
    assert "Sent 0 email(s)" in second


def test_an_email_has_one_click_unsubscribe_and_unsubscribing_stops_the_next(
    client, denver_at_advanced
):
    city, draft = denver_at_advanced
    watcher = user_with_role("funder", "watcher")
    services.watch(user=watcher, city=city)
    publish(draft)
    send()
    headers = mail.outbox[0].extra_headers
    url = headers["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # A mail scanner following the link changes nothing; the one-click POST does.
    assert client.get(url).status_code == 200
    assert Subscription.objects.get(user=watcher).active
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Subscription.objects.get(user=watcher).active

    workspace.assessment_unpublish(
        user=user_with_role("lead", "alerts-lead"),
        assessment=draft,
        reason="Withdrawn",
        expected_version=draft.__class__.objects.get(pk=draft.pk).version,
    )
    send()
    assert len(mail.outbox) == 1


def test_a_seed_run_never_mails_anyone(seeded):
    # `seeded` is the first seed's rows (restored, not seeded again); the run under test
    # is the second one.
    watcher = user_with_role("funder", "watcher")
    boston = City.objects.get(slug="boston")
    services.watch(user=watcher, city=boston)
    # Knock Boston's published stage off so the next seed changes it back: a real change
    # to published data, made by seed, not by a researcher.
    seeded = Assessment.objects.published().filter(city=boston)
    seeded_stages = list(seeded.values_list("consensus_stage__name", flat=True))
    seeded.update(consensus_stage=Stage.objects.get(order=0))

    call_command("seed", stdout=io.StringIO())

    assert list(seeded.values_list("consensus_stage__name", flat=True)) == seeded_stages
    assert "Sent 0 email(s)" in send()
    assert mail.outbox == []


def test_a_finding_a_lead_adds_in_the_admin_is_news(client, denver_at_advanced):
    city, _ = denver_at_advanced
    watcher = user_with_role("funder", "watcher")
    services.watch(user=watcher, city=city)
    client.force_login(get_user_model().objects.create_superuser("admin", "a@example.org", "pw"))

    response = client.post(
        reverse("admin:compacts_trajectoryfinding_add"),
        {
            "key": "denver-lost-ground-2019",
            "city": city.pk,
            "direction": "lost_ground",
            "naming": "named",
            "summary": "The district withdrew from the common enrollment system.",
            "period_start": "2019-01-01",
            "period_precision": "year",
            "period_as_written": "2019",
            **_no_inline_rows(client, reverse("admin:compacts_trajectoryfinding_add")),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert FindingAdded.objects.count() == 1
    send()

    assert "New finding (Lost ground, 2019): The district withdrew" in mail.outbox[0].body


def _no_inline_rows(client, url) -> dict:
    import re

    html = client.get(url).content.decode()
    prefixes = re.findall(r'name="([^"]+)-TOTAL_FORMS"', html)
    return {k: "0" for p in prefixes for k in (f"{p}-TOTAL_FORMS", f"{p}-INITIAL_FORMS")}


def test_weekly_watchers_hear_only_from_the_weekly_run(denver_at_advanced):
    city, draft = denver_at_advanced
    weekly = user_with_role("funder", "weekly")
    services.watch(user=weekly, city=city)
    services.set_frequency(user=weekly, frequency=Frequency.WEEKLY)
    publish(draft)

    send(Frequency.IMMEDIATE)
    assert mail.outbox == []
    send(Frequency.WEEKLY)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_send_each_change_once(denver_at_advanced):
    city, draft = denver_at_advanced
    for n in range(3):
        services.watch(user=user_with_role("funder", f"watcher{n}"), city=city)
    publish(draft)
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        try:
            services.send_alerts(frequency=Frequency.IMMEDIATE)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(m.to[0] for m in mail.outbox) == [f"watcher{n}@example.org" for n in range(3)]


def test_watching_needs_a_sign_in_and_a_post(client, denver_at_advanced):
    url = reverse("alerts:watch-toggle", args=["denver"])
    assert client.post(url, {"watch": "1"}).status_code == 302  # to the sign-in page
    client.force_login(user_with_role("funder", "watcher"))
    assert client.get(url).status_code == 405

    response = client.post(url, {"watch": "1"}, follow=True)

    assert "You are watching Denver" in response.content.decode()
    assert "Stop watching Denver" in response.content.decode()
