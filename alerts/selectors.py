"""What a watcher has not been told yet: published changes of the cities they watch."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from cities.models import City
from common import dates
from common.choices import LossStatus
from compacts.models import RevisionLogEntry, Stage, TrajectoryFinding

from .models import AlertMessage, Delivery, FindingAdded, Subscription, Watch


@dataclass(frozen=True)
class Change:
    key: str  # "revision:12" or "finding:5": what the ledger records as sent
    city_id: int
    city_name: str
    city_path: str
    happened_at: datetime.datetime
    text: str


@dataclass(frozen=True)
class Backslide:
    city_name: str
    current: str
    peak: str
    status: str = LossStatus.YES  # yes or possible (compacts.standing's loss_status)

    @property
    def possible(self) -> bool:
        return self.status == LossStatus.POSSIBLE


def subscriptions_due(*, frequency: str) -> QuerySet[Subscription]:
    """Active subscriptions of ``frequency`` whose user has an email address: a user
    without one is never mailed, so nothing is marked sent for them."""
    return (
        Subscription.objects.filter(active=True, frequency=frequency)
        .exclude(user__email="")
        .select_related("user")
    )


def subscription_of(*, user_id: int) -> Subscription | None:
    return Subscription.objects.filter(user_id=user_id).first()


def settings_of(*, user) -> Subscription:
    """The user's alert settings as a page shows them: the stored ones, or the defaults
    (immediate, on), unsaved, for a user who never changed them. A read never writes."""
    return subscription_of(user_id=user.pk) or Subscription(user=user)


def messages_given_up(*, user) -> QuerySet[AlertMessage]:
    """The user's alert emails that failed MAX_ATTEMPTS times and are no longer tried."""
    return AlertMessage.objects.given_up().filter(user=user).order_by("-created_at")


def watched_cities(*, user) -> QuerySet[Watch]:
    return Watch.objects.filter(user=user).select_related("city")


def pending_changes(*, user) -> list[Change]:
    """Changes to the user's watched cities since each watch began, not yet mailed to them,
    oldest first."""
    since = {w.city_id: w.created_at for w in Watch.objects.filter(user=user)}
    if not since:
        return []
    sent = set(Delivery.objects.filter(user=user).values_list("change_key", flat=True))
    earliest = min(since.values())
    changes = []
    revisions = (
        RevisionLogEntry.objects.published()
        .filter(city_id__in=since, created_at__gte=earliest)
        .select_related("city", "stage_before", "stage_after")
    )
    for entry in revisions:
        changes.append(
            Change(
                key=f"revision:{entry.pk}",
                city_id=entry.city_id,
                city_name=entry.city.name,
                city_path=f"{entry.city.get_absolute_url()}#revision-{entry.pk}",
                happened_at=entry.created_at,
                text=f"{entry.summary}. Reason: {entry.reason}",
            )
        )
    findings = FindingAdded.objects.filter(
        finding__city_id__in=since, added_at__gte=earliest
    ).select_related("finding__city")
    for added in findings:
        finding: TrajectoryFinding = added.finding
        period = dates.finding_period_label(
            finding.period_as_written, finding.period_start, finding.period_precision
        )
        changes.append(
            Change(
                key=f"finding:{finding.pk}",
                city_id=finding.city_id,
                city_name=finding.city.name,
                city_path=finding.city.get_absolute_url(),
                happened_at=added.added_at,
                text=f"New finding ({finding.get_direction_display()}, {period}):"
                f" {finding.summary}",
            )
        )
    return sorted(
        (c for c in changes if c.key not in sent and c.happened_at >= since[c.city_id]),
        key=lambda c: (c.happened_at, c.key),
    )


def backslides(*, city_ids: set[int]) -> list[Backslide]:
    """The given cities that now stand below their peak stage: a firm loss, or a possible
    one (a stage inferred or of low confidence), as their status says."""
    names = dict(Stage.objects.values_list("order", "name"))
    cities = (
        City.objects.filter(pk__in=city_ids)
        .with_stage_as_of(dates.current_month_end())
        .filter(loss_status__in=[LossStatus.YES, LossStatus.POSSIBLE])
        .order_by("name")
    )
    return [
        Backslide(
            city.name, city.current_stage_name, names[city.peak_stage_order], city.loss_status
        )
        for city in cities
    ]
