"""Atom feeds of the public revision log: site-wide and per city.

Each entry is one revision-log entry (a publish, a withdrawal or a lead's change of a
published stage) with its public reason; who recorded it and any coverage override stay in
the workspace (RevisionLogEntry.objects.published()).
"""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from compacts.models import RevisionLogEntry

from .models import City

FEED_LENGTH = 100
# Why a feed can be empty: a fresh seed has stages but no revisions.
EMPTY_FEED = (
    "Nothing yet: entries appear when a lead researcher publishes, withdraws or changes a "
    "stage in the workspace. The stages taken from the reports by the seed data are the "
    "starting record, not revisions, so they make no entries."
)


def _entries():
    return (
        RevisionLogEntry.objects.published()
        .select_related("city", "stage_before", "stage_after")
        .order_by("-created_at", "-pk")
    )


class RevisionFeed(Feed):
    feed_type = Atom1Feed
    title = "Compact Tracker: revision log"

    def subtitle(self, obj=None) -> str:
        about = (
            "Every publication, withdrawal and change of a published cooperation stage, "
            "with its reason."
        )
        if self.items(obj) if obj is not None else self.items():
            return about
        return f"{about} {EMPTY_FEED}"

    def link(self):
        return reverse("cities:city-list")

    def items(self):
        return _entries()[:FEED_LENGTH]

    def item_title(self, item: RevisionLogEntry) -> str:
        return f"{item.city.name}: {item.summary}"

    def item_description(self, item: RevisionLogEntry) -> str:
        return f"{item.summary}. Reason: {item.reason}"

    def item_link(self, item: RevisionLogEntry) -> str:
        return f"{item.city.get_absolute_url()}#revision-{item.pk}"

    def item_guid(self, item: RevisionLogEntry) -> str:
        return f"compact-tracker:revision:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: RevisionLogEntry) -> datetime.datetime:
        return item.created_at

    def item_updateddate(self, item: RevisionLogEntry) -> datetime.datetime:
        return item.created_at


class CityRevisionFeed(RevisionFeed):
    def get_object(self, request, slug: str) -> City:
        return get_object_or_404(City, slug=slug)

    def title(self, city: City) -> str:
        return f"Compact Tracker: {city.name} revision log"

    def link(self, city: City) -> str:
        return city.get_absolute_url()

    def items(self, city: City):
        return _entries().filter(city=city)[:FEED_LENGTH]
