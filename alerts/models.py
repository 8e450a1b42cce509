"""Who watches which cities, how often they want mail, and what was sent (the ledger).

What counts as a change is what researchers publish: the public revision log (publish,
withdrawal, a lead's change of a published stage) and trajectory findings a lead adds
(FindingAdded, written by a database trigger: alerts/triggers.py). A `seed` run writes
neither, so it never mails anyone.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "As soon as it happens"
    WEEKLY = "weekly", "A weekly summary"


class Subscription(models.Model):
    """A user's alert settings: how often, and whether they unsubscribed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_subscription"
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    active = models.BooleanField(default=True)
    # Bumped on every subscribe and unsubscribe: an unsubscribe link names the version it
    # was made for, so a link from before a re-subscribe does nothing.
    version = models.PositiveIntegerField(default=1)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="alert_frequency_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.frequency}{'' if self.active else ' (unsubscribed)'}"


class Watch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches"
    )
    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["city__name"]
        constraints = [models.UniqueConstraint(fields=["user", "city"], name="watch_once_per_city")]

    def __str__(self) -> str:
        return f"{self.user} watches {self.city}"


class FindingAdded(models.Model):
    """A trajectory finding added by hand (a trigger records it, alerts/triggers.py; `seed`'s
    findings are not recorded)."""

    finding = models.OneToOneField(
        "compacts.TrajectoryFinding", on_delete=models.CASCADE, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.finding)


class MessageStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Gave up after repeated failures"
    CANCELLED = "cancelled", "Not sent: unsubscribed or no address"


class AlertMessageQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(status=MessageStatus.PENDING, next_attempt_at__lte=now)

    def given_up(self):
        return self.filter(status=MessageStatus.FAILED)


class AlertMessage(models.Model):
    """The outbox: one email to one user about one set of changes.

    Written (with the ledger rows of its changes) in the transaction that claims them, and
    sent after that commits, outside any transaction. A failed send is tried again later
    (``next_attempt_at``); after MAX_ATTEMPTS the message is given up and shown to the user
    and to staff. The Message-ID stays the same on every attempt."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_messages"
    )
    message_id = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    unsubscribe_url = models.CharField(max_length=500)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = AlertMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="alert_message_due",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MessageStatus.values), name="alert_message_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False)
                | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="alert_message_sent_at_iff_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {self.user} ({self.get_status_display()})"


class Delivery(models.Model):
    """The ledger: one row per (user, change), claimed into one outbox message.

    The unique row is the claim: two runs at once never put a change into two messages.
    Rows from before the outbox have no message (they were sent when claimed)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    change_key = models.CharField(max_length=40)
    message = models.ForeignKey(
        AlertMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [models.UniqueConstraint(fields=["user", "change_key"], name="delivery_once")]

    def __str__(self) -> str:
        return f"{self.change_key} to {self.user}"
