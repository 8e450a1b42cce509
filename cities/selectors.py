"""Reads the city pages need."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from common import dates
from compacts.models import Assessment, Initiative, InitiativeStatus, TrajectoryFinding
from sources.selectors import attach_citations

from .models import City, Event


def city_directory(*, as_of: datetime.date | None = None) -> QuerySet[City]:
    """Every city with its compact and its latest published stage as of ``as_of`` (today)."""
    as_of = as_of or dates.current_month_end()
    return City.objects.with_compact().with_stage_as_of(as_of).order_by("name")


def city_profile(*, slug: str) -> City:
    """One city with everything its public page shows, published data only.

    Raises Http404 for an unknown slug.
    """
    as_of = dates.current_month_end()
    # with_stage_as_of: how sure a loss is this month (loss_status), as everywhere.
    queryset = (
        City.objects.with_compact()
        .with_stage_as_of(as_of)
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.published()
                .with_claims()
                .select_related("consensus_stage")
                .order_by("period_start"),
                to_attr="published_assessments",
            ),
            # Documents dated later, or periods not yet over, wait for their month (as everywhere).
            Prefetch("trajectory_findings", queryset=TrajectoryFinding.objects.known_by(as_of)),
            Prefetch(
                "initiatives",
                queryset=Initiative.objects.select_related("type").prefetch_related(
                    "figures",
                    Prefetch(
                        "statuses",
                        queryset=InitiativeStatus.objects.all(),
                        to_attr="status_history",
                    ),
                ),
            ),
            Prefetch("events", queryset=Event.objects.known_by(as_of)),
            "context_factors",
            "notes",
        )
    )
    city = get_object_or_404(queryset, slug=slug)
    compact = getattr(city, "compact", None)  # None without a compact
    # Every citation the page shows, of every kind of record, in one query.
    attach_citations(
        [
            city,
            *([compact] if compact else []),
            *city.published_assessments,
            *city.trajectory_findings.all(),
            *city.initiatives.all(),
            *city.events.all(),
            *city.context_factors.all(),
            *city.notes.all(),
        ]
    )
    return city


def published_assessment_list(*, city_slug: str | None = None) -> QuerySet[Assessment]:
    """Published assessments only, oldest period first, optionally for one city, each with
    what its claim needs (``with_claims``)."""
    queryset = (
        Assessment.objects.published()
        .with_claims()
        .select_related("city", "consensus_stage")
        .order_by("city__name", "period_start")
    )
    if city_slug:
        queryset = queryset.filter(city__slug=city_slug)
    return queryset


def initiative_list(*, city_slug: str | None = None) -> QuerySet[Initiative]:
    """Initiatives with their type, figures and current status (the latest one recorded)."""
    queryset = (
        Initiative.objects.select_related("city", "type")
        .prefetch_related("figures")
        .with_current_status()
        .order_by("city__name", "title")
    )
    if city_slug:
        queryset = queryset.filter(city__slug=city_slug)
    return queryset
