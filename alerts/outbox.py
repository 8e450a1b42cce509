"""The outbox: claim changes into messages in a transaction, then send them outside one.

1. Claim (one transaction per user): insert the ledger rows of the user's unsent changes
   (a unique row per user and change, so two runs never claim one change twice) and one
   AlertMessage holding the email. Commit.
2. Send, one message at a time: lease it (attempts + 1, next_attempt_at pushed past the
   time a send can take) in a short transaction, send it with no transaction open, then mark
   it sent. A refused recipient is that message's failure only; it is retried with backoff
   and given up after MAX_ATTEMPTS. A mail server that fails as a whole (unreachable, timed
   out) ends the run: the rest wait for the next one.

If the process or the database dies between the mail server's acceptance and "mark sent",
the lease runs out and the message is sent again with the same Message-ID: at least once.
"""

import datetime
import hashlib
import logging
import smtplib
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from . import selectors
from .models import AlertMessage, Delivery, MessageStatus, Subscription
from .tokens import unsubscribe_url

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# After the n-th failed attempt the message waits RETRY_DELAYS[n - 1]; the last failure
# gives it up.
RETRY_DELAYS = (
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
)
# How long a leased message is left alone: far longer than a send can take (EMAIL_TIMEOUT
# per SMTP step), so only a run that died while sending leaves it to the next run.
LEASE = datetime.timedelta(minutes=15)
# Errors about one message (its recipient or content); any other error is the server's.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, ValueError)


@dataclass(frozen=True)
class SendReport:
    emails: int  # sent in this run (new ones and retries)
    changes: int  # the changes those emails told
    failed: int  # attempts that failed and wait for a retry (or were given up)
    mail_server_error: str  # why the run stopped early, or ""


def claim(*, frequency: str) -> int:
    """Put each active subscriber's unsent changes into an outbox message; the count made.

    Users without an email address are skipped: their changes stay unsent until they have
    one."""
    made = 0
    for subscription in selectors.subscriptions_due(frequency=frequency):
        with transaction.atomic():
            made += _claim_for(subscription) is not None
    return made


def _claim_for(subscription: Subscription) -> AlertMessage | None:
    user = subscription.user
    pending = selectors.pending_changes(user=user)
    claimed = _insert_ledger_rows(user, [c.key for c in pending])
    pending = [c for c in pending if c.key in claimed]
    if not pending:
        return None
    subject, body = _compose(pending)
    message = AlertMessage(
        user=user,
        message_id=_message_id(user, [c.key for c in pending]),
        subject=subject,
        body=body,
        unsubscribe_url=unsubscribe_url(subscription),
        next_attempt_at=timezone.now(),
    )
    message.full_clean()
    message.save()
    Delivery.objects.filter(pk__in=claimed.values()).update(message=message)
    return message


def _insert_ledger_rows(user, keys: list[str]) -> dict[str, int]:
    """Insert ledger rows for ``keys``; the ones this transaction inserted (key: row id)
    are its to send. A second run at the same time waits for this one's commit here and
    then inserts nothing."""
    if not keys:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO alerts_delivery (user_id, change_key, claimed_at)"
            " SELECT %s, key, now() FROM unnest(%s::varchar[]) AS key"
            " ON CONFLICT (user_id, change_key) DO NOTHING RETURNING change_key, id",
            [user.pk, keys],
        )
        return dict(cursor.fetchall())


def _message_id(user, keys: list[str]) -> str:
    """The same for the same user and change set, so a repeat is recognisable."""
    digest = hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:32]
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<alerts.{user.pk}.{digest}@{domain}>"


def _compose(changes: list[selectors.Change]) -> tuple[str, str]:
    site = settings.SITE_URL.rstrip("/")
    cities = sorted({c.city_name for c in changes})
    lines = ["Published changes in the cities you watch on Compact Tracker:", ""]
    for change in changes:
        lines += [f"{change.city_name}: {change.text}", f"  {site}{change.city_path}", ""]
    for slide in selectors.backslides(city_ids={c.city_id for c in changes}):
        if slide.possible:
            line = (
                f"{slide.city_name} may stand below its peak (a possible loss: a stage it rests"
                f" on is inferred or of low confidence): {slide.current} (peak {slide.peak})."
            )
        else:
            line = f"{slide.city_name} now stands below its peak:"
            line += f" {slide.current} (peak {slide.peak})."
        lines += [line, ""]
    lines += [f"Your watch list: {site}{reverse('alerts:watch-list')}"]
    named = ", ".join(cities[:3]) + (f" and {len(cities) - 3} more" if len(cities) > 3 else "")
    return f"Compact Tracker: news from {named}"[:300], "\n".join(lines)


def deliver_due() -> SendReport:
    """Send every due message, one at a time, outside any transaction."""
    emails = changes = failed = 0
    mail = get_connection()
    try:
        while message := _lease_next():
            try:
                sent = _send(mail, message)
            except MESSAGE_ERRORS as error:
                _record_failure(message, error)
                _close_quietly(mail)
                failed += 1
                continue
            except Exception as error:  # the mail server as a whole: stop, retry later
                _record_failure(message, error)
                return SendReport(emails, changes, failed + 1, _describe(error))
            if sent:
                _mark_sent(message)
                emails += 1
                changes += message.deliveries.count()
    finally:
        _close_quietly(mail)
    return SendReport(emails, changes, failed, "")


def _lease_next() -> AlertMessage | None:
    """The next due message, taken for this run: no other run picks it until LEASE ends."""
    now = timezone.now()
    with transaction.atomic():
        message = (
            AlertMessage.objects.due(now)
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if message is None:
            return None
        message.attempts += 1
        message.next_attempt_at = now + LEASE
        message.save(update_fields=["attempts", "next_attempt_at"])
    return message


def _send(mail, message: AlertMessage) -> bool:
    """Send ``message``; False (and cancelled) if its user unsubscribed or has no address."""
    user = message.user
    subscription = Subscription.objects.filter(user=user).first()
    if not user.email or subscription is None or not subscription.active:
        AlertMessage.objects.filter(pk=message.pk).update(status=MessageStatus.CANCELLED)
        return False
    mail.open()  # reuses the open connection, or opens one after a failure closed it
    EmailMessage(
        subject=message.subject,
        body=f"{message.body}\nStop these emails: {message.unsubscribe_url}",
        to=[user.email],
        headers={
            "Message-ID": message.message_id,
            "List-Unsubscribe": f"<{message.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=mail,
    ).send()
    return True


def _mark_sent(message: AlertMessage) -> None:
    AlertMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENT, sent_at=timezone.now(), last_error=""
    )


def _record_failure(message: AlertMessage, error: Exception) -> None:
    logger.warning("Alert %s to user %s failed: %s", message.pk, message.user_id, error)
    update = {"last_error": _describe(error)[:2000]}
    if message.attempts >= MAX_ATTEMPTS:
        update["status"] = MessageStatus.FAILED
    else:
        update["next_attempt_at"] = timezone.now() + RETRY_DELAYS[message.attempts - 1]
    AlertMessage.objects.filter(pk=message.pk).update(**update)


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address} refused: {code} {reply.decode(errors='replace')}"
            for address, (code, reply) in error.recipients.items()
        )
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _close_quietly(mail) -> None:
    try:
        mail.close()
    except Exception:
        logger.warning("Closing the mail connection failed", exc_info=True)
