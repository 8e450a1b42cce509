"""Reads the city pages need."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from compacts.models import Assessment, Initiative, InitiativeStatus, TrajectoryFinding
from sources.models import Citation

from .models import City, CityNote, ContextFactor, Event

_CITATIONS = Prefetch("citations", queryset=Citation.objects.select_related("source"))


def city_directory(*, as_of: datetime.date | None = None) -> QuerySet[City]:
    """Every city with its compact and its latest published stage as of ``as_of`` (today)."""
    as_of = as_of or timezone.localdate()
    return City.objects.with_compact().with_stage_as_of(as_of).order_by("name")


def city_profile(*, slug: str) -> City:
    """One city with everything its public page shows, published data only.

    Raises Http404 for an unknown slug.
    """
    queryset = City.objects.with_compact().prefetch_related(
        Prefetch("compact__citations", queryset=Citation.objects.select_related("source")),
        _CITATIONS,
        Prefetch(
            "assessments",
            queryset=Assessment.objects.published()
            .select_related("consensus_stage")
            .prefetch_related(_CITATIONS)
            .order_by("period_start"),
            to_attr="published_assessments",
        ),
        Prefetch(
            "trajectory_findings",
            queryset=TrajectoryFinding.objects.prefetch_related(_CITATIONS),
        ),
        Prefetch(
            "initiatives",
            queryset=Initiative.objects.select_related("type").prefetch_related(
                _CITATIONS,
                "figures",
                Prefetch(
                    "statuses", queryset=InitiativeStatus.objects.all(), to_attr="status_history"
                ),
            ),
        ),
        Prefetch("events", queryset=Event.objects.prefetch_related(_CITATIONS)),
        Prefetch("context_factors", queryset=ContextFactor.objects.prefetch_related(_CITATIONS)),
        Prefetch("notes", queryset=CityNote.objects.prefetch_related(_CITATIONS)),
    )
    return get_object_or_404(queryset, slug=slug)


def published_assessment_list(*, city_slug: str | None = None) -> QuerySet[Assessment]:
    """Published assessments only, oldest period first, optionally for one city."""
    queryset = (
        Assessment.objects.published()
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
