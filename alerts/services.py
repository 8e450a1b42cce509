"""Watching cities, alert settings, unsubscribing, and the send_alerts run.

How a run claims and sends mail (the outbox) is in outbox.py; docs/alerts.md tells the story.
"""

import datetime
import hashlib
import logging

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import outbox
from .models import Frequency, Subscription, Watch
from .tokens import read_unsubscribe_token, unsubscribe_url

logger = logging.getLogger(__name__)

# One fresh unsubscribe link per address this often, whoever asks.
UNSUBSCRIBE_LINK_COOLDOWN = datetime.timedelta(minutes=15)

NO_EMAIL = (
    "Watching a city needs an email address on your account, and yours has none: "
    "alerts would reach nobody."
)


def _locked_subscription(user_id: int) -> Subscription:
    """A user's alert settings, locked for the change at hand; made with the defaults
    (immediate, on) the first time. Only writes call this."""
    Subscription.objects.get_or_create(user_id=user_id)
    return Subscription.objects.select_for_update().get(user_id=user_id)


def _switch_on(subscription: Subscription) -> None:
    """Re-subscribing bumps the version: links made before it no longer unsubscribe."""
    if not subscription.active:
        subscription.active = True
        subscription.version += 1


def watch(*, user, city) -> Watch:
    """Start watching ``city``; the user's alerts are switched on (immediate by default).

    Raises ValidationError(NO_EMAIL) when the account has no email address."""
    if not user.email:
        raise ValidationError(NO_EMAIL)
    with transaction.atomic():
        subscription = _locked_subscription(user.pk)
        if not subscription.active:
            _switch_on(subscription)
            subscription.save(update_fields=["active", "version", "changed_at"])
        return Watch.objects.get_or_create(user=user, city=city)[0]


def unwatch(*, user, city) -> None:
    Watch.objects.filter(user=user, city=city).delete()


def set_frequency(*, user, frequency: str) -> Subscription:
    with transaction.atomic():
        subscription = _locked_subscription(user.pk)
        subscription.frequency = Frequency(frequency)
        _switch_on(subscription)
        subscription.full_clean()
        subscription.save()
    return subscription


def unsubscribe(*, token: str) -> bool:
    """Stop every alert email to the token's user, if the token names the subscription's
    current version; True if it did. A token from before the latest subscribe or
    unsubscribe changes nothing (False). Raises signing.BadSignature
    (and its SignatureExpired)."""
    user_id, version = read_unsubscribe_token(token)
    updated = Subscription.objects.filter(user_id=user_id, version=version, active=True).update(
        active=False, version=F("version") + 1, changed_at=timezone.now()
    )
    return updated == 1


def unsubscribe_link_send(*, email: str) -> None:
    """Mail a fresh unsubscribe link to each subscribed account with ``email``.

    The caller answers the same whether or not such an account exists, and whether or not
    a link was sent: at most one link per address per UNSUBSCRIBE_LINK_COOLDOWN, so the
    form cannot be used to flood an inbox. A mail server failure is logged, not shown."""
    email = email.strip()
    digest = hashlib.sha256(email.lower().encode()).hexdigest()
    if not cache.add(
        f"alerts:unsubscribe-link:{digest}", 1, UNSUBSCRIBE_LINK_COOLDOWN.total_seconds()
    ):
        return
    subscriptions = Subscription.objects.filter(
        user__email__iexact=email, active=True
    ).select_related("user")
    for subscription in subscriptions:
        body = (
            "Someone (we hope you) asked for a fresh link to stop the alert emails from"
            " Compact Tracker.\n\n"
            f"Stop these emails: {unsubscribe_url(subscription)}\n\n"
            "If you did not ask, ignore this email: nothing changes."
        )
        try:
            send_mail(
                "Compact Tracker: your unsubscribe link",
                body,
                None,
                [subscription.user.email],
            )
        except Exception:
            logger.exception("Could not send an unsubscribe link to user %s", subscription.user_id)


def send_alerts(*, frequency: str) -> outbox.SendReport:
    """Claim the changes each active subscriber of ``frequency`` has not been told into
    the outbox (committed per user), then send every message that is due, this run's and
    earlier runs' retries alike, outside any transaction.

    Delivery is at least once: if the database fails after the mail server accepted a
    message, the message is sent again later, with the same Message-ID."""
    outbox.claim(frequency=frequency)
    return outbox.deliver_due()
