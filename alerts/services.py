"""Watching cities and sending the alert emails."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.urls import reverse

from . import selectors
from .models import Frequency, Subscription, Watch

UNSUBSCRIBE_SALT = "alerts.unsubscribe"
NOT_SIGNED_IN = "Sign in to watch cities."


def subscription_for(user_id: int) -> Subscription:
    """A user's alert settings, made with the defaults (immediate, on) the first time."""
    return Subscription.objects.get_or_create(user_id=user_id)[0]


def watch(*, user, city) -> Watch:
    """Start watching ``city``; the user's alerts are switched on (immediate by default)."""
    subscription = subscription_for(user.pk)
    if not subscription.active:
        subscription.active = True
        subscription.save(update_fields=["active", "changed_at"])
    return Watch.objects.get_or_create(user=user, city=city)[0]


def unwatch(*, user, city) -> None:
    Watch.objects.filter(user=user, city=city).delete()


def set_frequency(*, user, frequency: str) -> Subscription:
    subscription = subscription_for(user.pk)
    subscription.frequency = Frequency(frequency)
    subscription.active = True
    subscription.full_clean()
    subscription.save()
    return subscription


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe(*, token: str) -> Subscription:
    """Stop every alert email to the token's user. Raises signing.BadSignature."""
    user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    subscription = subscription_for(user_id)
    subscription.active = False
    subscription.save(update_fields=["active", "changed_at"])
    return subscription


@dataclass(frozen=True)
class SendReport:
    emails: int
    changes: int


def send_alerts(*, frequency: str) -> SendReport:
    """Mail every active subscriber of ``frequency`` the changes they have not been told.

    Each user's changes are claimed in the ledger and mailed in one transaction: a second
    run at the same time waits for the claim and then finds nothing left to send; a failed
    send rolls the claim back, so the next run tries again.
    """
    emails = changes = 0
    for subscription in selectors.subscriptions_due(frequency=frequency):
        with transaction.atomic():
            pending = selectors.pending_changes(user=subscription.user)
            claimed = _claim(subscription.user, [c.key for c in pending])
            pending = [c for c in pending if c.key in claimed]
            if not pending:
                continue
            _message(subscription.user, pending).send()
            emails += 1
            changes += len(pending)
    return SendReport(emails=emails, changes=changes)


def _claim(user, keys: list[str]) -> set[str]:
    """Insert ledger rows for ``keys``; the ones this transaction inserted are its to send."""
    if not keys:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO alerts_delivery (user_id, change_key, sent_at)"
            " SELECT %s, key, now() FROM unnest(%s::varchar[]) AS key"
            " ON CONFLICT (user_id, change_key) DO NOTHING RETURNING change_key",
            [user.pk, keys],
        )
        return {row[0] for row in cursor.fetchall()}


def _message(user, changes: list[selectors.Change]) -> EmailMessage:
    site = settings.SITE_URL.rstrip("/")
    unsubscribe_url = site + reverse("alerts:unsubscribe", args=[unsubscribe_token(user)])
    cities = sorted({c.city_name for c in changes})
    lines = ["Published changes in the cities you watch on Compact Tracker:", ""]
    for change in changes:
        lines += [f"{change.city_name}: {change.text}", f"  {site}{change.city_path}", ""]
    for slide in selectors.backslides(city_ids={c.city_id for c in changes}):
        lines += [
            f"{slide.city_name} now stands below its peak: {slide.current} (peak {slide.peak}).",
            "",
        ]
    lines += [
        f"Your watch list: {site}{reverse('alerts:watch-list')}",
        f"Stop these emails: {unsubscribe_url}",
    ]
    return EmailMessage(
        subject=f"Compact Tracker: news from {', '.join(cities)}",
        body="\n".join(lines),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
