"""Alert mail is claimed into an outbox, then sent outside any transaction: a refused
recipient, a silent mail server or a database failure loses no one's mail and blocks nobody."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.mail import get_connection
from django.core.management.base import CommandError
from django.db import OperationalError, connection, connections
from django.urls import reverse
from django.utils import timezone

from alerts import outbox, services
from alerts.models import AlertMessage, Delivery, MessageStatus
from tests.alerts.fake_smtp import silent_smtp_server, smtp_server
from tests.alerts.helpers import publish, send
from tests.factories import CityFactory, TrajectoryFindingFactory, user_with_role

pytestmark = pytest.mark.django_db


def _watchers(city, *names):
    users = [user_with_role("funder", name) for name in names]
    for user in users:
        services.watch(user=user, city=city)
    return users


def _time_passes():
    """Every waiting message is due now (as if its retry delay or lease had run out)."""
    AlertMessage.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))


def test_a_refused_recipient_does_not_stop_mail_to_the_others(settings, denver_at_advanced):
    city, draft = denver_at_advanced
    _watchers(city, "gone", "ana", "ben")
    publish(draft)

    with smtp_server(settings, refuse={"gone@example.org"}) as mailbox:
        output = send()

    assert sorted(m["To"] for m in mailbox.received) == ["ana@example.org", "ben@example.org"]
    assert "Sent 2 email(s) covering 2 change(s) (immediate); 1 failed" in output
    refused = AlertMessage.objects.get(user__username="gone")
    assert refused.status == MessageStatus.PENDING
    assert refused.attempts == 1
    assert refused.last_error == "gone@example.org refused: 550 5.1.1 No such user here"
    assert refused.next_attempt_at > timezone.now()


def test_a_refused_recipient_is_retried_with_growing_delays_then_shown_as_given_up(
    client, settings, denver_at_advanced
):
    city, draft = denver_at_advanced
    (gone,) = _watchers(city, "gone")
    publish(draft)
    tries, delays = [], []

    with smtp_server(settings, refuse={"gone@example.org"}) as mailbox:
        mailbox.on_recipient = tries.append
        send()
        for _ in range(6):
            message = AlertMessage.objects.get()
            delays.append(message.next_attempt_at - timezone.now())
            _time_passes()
            send()

    assert len(tries) == 5  # and no sixth attempt
    assert delays[0] < delays[1] < delays[2] < delays[3]
    assert AlertMessage.objects.get().status == MessageStatus.FAILED
    client.force_login(gone)
    page = client.get(reverse("alerts:watch-list")).content.decode()
    assert "Alert emails we could not deliver" in page
    assert "Compact Tracker: news from Denver" in page
    assert "gone@example.org refused: 550" in page


def test_staff_find_the_given_up_emails_with_the_admin_filter(admin_client, denver_at_advanced):
    city, draft = denver_at_advanced
    ana, _ = _watchers(city, "ana", "ben")
    publish(draft)
    outbox.claim(frequency="immediate")
    AlertMessage.objects.filter(user=ana).update(
        status=MessageStatus.FAILED, last_error="ana@example.org refused: 550"
    )

    page = admin_client.get(
        reverse("admin:alerts_alertmessage_changelist"), {"status__exact": "failed"}
    ).content.decode()

    assert "ana@example.org refused: 550" in page
    assert "Gave up after repeated failures" in page
    assert ">ben<" not in page


def test_staff_put_a_given_up_email_back_in_the_queue(admin_client, denver_at_advanced):
    city, draft = denver_at_advanced
    _watchers(city, "ana")
    publish(draft)
    outbox.claim(frequency="immediate")
    AlertMessage.objects.update(status=MessageStatus.FAILED, attempts=5)

    admin_client.post(
        reverse("admin:alerts_alertmessage_changelist"),
        {"action": "try_again", "_selected_action": [AlertMessage.objects.get().pk]},
    )
    send()

    assert AlertMessage.objects.get().status == MessageStatus.SENT
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_an_email_about_many_cities_names_three_in_its_subject():
    ana = user_with_role("funder", "ana")
    cities = [CityFactory(name=f"Town {n}") for n in range(5)]
    for city in cities:
        services.watch(user=ana, city=city)
        TrajectoryFindingFactory(city=city)  # a trigger records it as news

    send()

    assert mail.outbox[0].subject == "Compact Tracker: news from Town 0, Town 1, Town 2 and 2 more"


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_the_mail_server_is_talked_to(settings, denver_at_advanced):
    city, draft = denver_at_advanced
    _watchers(city, "ana")
    publish(draft)
    open_transactions = []

    def count_open_transactions(recipient):
        # Runs in the mail server's thread, on a connection of its own.
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()"
                )
                open_transactions.append(cursor.fetchone()[0])
        finally:
            connections.close_all()

    with smtp_server(settings) as mailbox:
        mailbox.on_recipient = count_open_transactions
        send()

    assert len(mailbox.received) == 1
    assert open_transactions == [0]


def test_the_smtp_timeout_is_ten_seconds_unless_set(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

    assert get_connection().timeout == 10


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_never_answers_times_out_and_ends_the_run(settings, denver_at_advanced):
    city, draft = denver_at_advanced
    _watchers(city, "ana", "ben")
    publish(draft)
    settings.EMAIL_TIMEOUT = 0.5
    outcome = []

    def run():
        try:
            send()
        except CommandError as error:
            outcome.append(str(error))
        finally:
            connections.close_all()

    with silent_smtp_server(settings):
        runner = threading.Thread(target=run, daemon=True)
        runner.start()
        # Not a speed test: a guard so a hanging send fails the test instead of hanging it.
        runner.join(timeout=120)
        assert not runner.is_alive(), "send_alerts hung on a mail server that never answers"

    assert outcome[0].startswith("The mail server failed")
    assert "timed out" in outcome[0]
    # Both messages are claimed and committed; the one tried waits for a retry, the other
    # was not tried against a dead server.
    assert sorted(AlertMessage.objects.values_list("attempts", flat=True)) == [0, 1]
    assert AlertMessage.objects.filter(status=MessageStatus.PENDING).count() == 2


def test_a_message_sent_again_after_a_database_failure_has_the_same_message_id(
    monkeypatch, denver_at_advanced
):
    city, draft = denver_at_advanced
    _watchers(city, "ana")
    publish(draft)

    # The mail server accepted; then the database failed before the message was marked sent.
    with monkeypatch.context() as patch:
        patch.setattr(
            "alerts.outbox._mark_sent", _raise(OperationalError("server closed the connection"))
        )
        with pytest.raises(OperationalError):
            send()
    assert "Sent 0 email(s)" in send()  # the message is leased: no run sends it at once
    _time_passes()  # ... until the lease runs out
    send()
    send()

    first, repeat = mail.outbox
    assert first.message()["Message-ID"] == repeat.message()["Message-ID"]
    assert first.message()["Message-ID"].startswith("<alerts.")
    assert first.body == repeat.body
    assert AlertMessage.objects.get().status == MessageStatus.SENT


def test_each_user_and_change_set_has_a_message_id_of_its_own(denver_at_advanced):
    city, draft = denver_at_advanced
    _watchers(city, "ana", "ben")
    publish(draft)
    send()

    assert len({m.message()["Message-ID"] for m in mail.outbox}) == 2


def test_a_watcher_without_an_email_address_is_never_marked_sent(denver_at_advanced):
    city, draft = denver_at_advanced
    (ana,) = _watchers(city, "ana")
    ana.email = ""  # removed after she began watching
    ana.save()
    publish(draft)

    assert "Sent 0 email(s)" in send()
    assert not Delivery.objects.filter(user=ana).exists()

    ana.email = "ana@example.net"
    ana.save()
    send()
    assert [m.to for m in mail.outbox] == [["ana@example.net"]]
    assert "Denver: January 2018 published at Basic" in mail.outbox[0].body


def test_a_watcher_who_unsubscribes_before_the_send_gets_nothing(denver_at_advanced):
    city, draft = denver_at_advanced
    _watchers(city, "ana")
    publish(draft)
    outbox.claim(frequency="immediate")
    services.unsubscribe(token=AlertMessage.objects.get().unsubscribe_url.rsplit("/", 2)[-2])
    send()

    assert mail.outbox == []
    assert AlertMessage.objects.get().status == MessageStatus.CANCELLED


def _raise(error):
    def fail(*args, **kwargs):
        raise error

    return fail
