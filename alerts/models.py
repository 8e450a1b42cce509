"""Who watches which cities, how often they want mail, and what was sent (the ledger).

What counts as a change is what researchers publish: the public revision log (publish,
withdrawal, a lead's change of a published stage) and trajectory findings a lead adds in
the admin (FindingAdded). A `seed` run writes neither, so it never mails anyone.
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
    """A trajectory finding a lead added by hand (the admin records it; `seed` does not)."""

    finding = models.OneToOneField(
        "compacts.TrajectoryFinding", on_delete=models.CASCADE, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.finding)


class Delivery(models.Model):
    """The ledger: one row per (user, change) mailed. Claimed by inserting it in the
    transaction that sends the mail, so two runs at once never send the same change twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    change_key = models.CharField(max_length=40)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [models.UniqueConstraint(fields=["user", "change_key"], name="delivery_once")]

    def __str__(self) -> str:
        return f"{self.change_key} to {self.user}"
