"""Reads the city pages need."""

import dataclasses
import datetime
from collections import defaultdict

from django.db.models import QuerySet
from django.http import Http404

from charts import freshness
from common import dates
from common.choices import LossStatus
from common.prefetched import set_prefetched
from common.sql import kept_instances
from compacts.models import (
    Assessment,
    Initiative,
    InitiativeFigure,
    InitiativeStatus,
    ResearchFinding,
    RevisionLogEntry,
    Stage,
    TrajectoryFinding,
)
from compacts.stored import standing_instances
from sources.selectors import attach_citations

from .models import City, CityNote, ContextFactor, Event


def city_directory(*, as_of: datetime.date | None = None) -> QuerySet[City]:
    """Every city with its compact and its latest published stage as of ``as_of`` (today)."""
    as_of = as_of or dates.current_month_end()
    return City.objects.with_compact().with_stage_as_of(as_of).order_by("name")


HOME_CHANGES = 3
# The loss statuses as the home page counts cities: "5 at their peak".
LOSS_WORDS = {
    LossStatus.YES: "lost ground",
    LossStatus.POSSIBLE: "possible loss",
    LossStatus.REPORTED: "loss reported by a document",
    LossStatus.NO: "at their peak",
    LossStatus.UNKNOWN: "no stage to tell",
}


@dataclasses.dataclass(frozen=True)
class HomeOverview:
    """What the home page opens with: the cities by stage and by loss, how fresh the data
    is, the newest changes; then the cities with a stage and the others."""

    as_of: datetime.date
    by_stage: tuple[tuple[str, int], ...]  # stages some city is at, lowest first
    by_loss: tuple[tuple[str, int], ...]  # loss statuses some city has, surest first
    freshness: str
    changes: tuple[RevisionLogEntry, ...]
    staged: tuple[City, ...]
    unstaged: tuple[City, ...]


def home_overview(*, as_of: datetime.date | None = None) -> HomeOverview:
    """The home page's overview as of ``as_of`` (this month): three queries."""
    as_of = as_of or dates.current_month_end()
    cities = list(city_directory(as_of=as_of))
    stages = list(Stage.objects.order_by("order"))
    staged = [city for city in cities if city.current_stage_order is not None]
    by_stage = tuple(
        (stage.name, n)
        for stage in stages
        if (n := sum(1 for c in staged if c.current_stage_order == stage.order))
    )
    by_loss = tuple(
        (LOSS_WORDS[status], n)
        for status in LossStatus
        if (n := sum(1 for c in cities if c.loss_status == status))
    )
    newest = max(staged, key=lambda c: c.current_period_start, default=None)
    note = (
        freshness.freshness_note(
            newest.current_period_start,
            newest.current_period_precision,
            as_of,
            freshness.stale_after_years(),
        )
        if newest
        else "No published assessment yet."
    )
    changes = tuple(
        RevisionLogEntry.objects.published()
        .select_related("city", "stage_before", "stage_after")
        .order_by("-logged_on", "-created_at", "-pk")[:HOME_CHANGES]
    )
    return HomeOverview(
        as_of=as_of,
        by_stage=by_stage,
        by_loss=by_loss,
        freshness=note,
        changes=changes,
        staged=tuple(sorted(staged, key=lambda c: (-c.current_stage_order, c.name))),
        unstaged=tuple(city for city in cities if city.current_stage_order is None),
    )


def city_profile(*, slug: str) -> City:
    """One city with everything its public page shows, published data only.

    Each read is its own query, its SQL compiled once per process and month
    (``common.sql.kept_instances``) with the city as its parameter: compiling a dozen
    querysets cost more than running them. What they read lands where ``prefetch_related``
    would put it: ``city.trajectory_findings.all()`` and the like cost no query.

    Raises Http404 for an unknown slug.
    """
    as_of = dates.current_month_end()
    # with_stage_as_of: how sure a loss is this month (loss_status), as everywhere.
    found = standing_instances(
        ("city_profile", as_of),
        lambda slug: City.objects.with_compact().with_stage_as_of(as_of).filter(slug=slug),
        slug,
    )
    if not found:
        raise Http404("No city has that address.")
    city = found[0]

    def of_city(name: str, build) -> list:
        return kept_instances(("city_profile", name, as_of), build, city.pk)

    city.published_assessments = of_city(
        "assessments",
        lambda city_id: (
            Assessment.objects.published()
            .with_claims()
            .select_related("consensus_stage")
            .filter(city_id=city_id)
            .order_by("period_start")
        ),
    )
    # Documents dated later, or periods not yet over, wait for their month (as everywhere).
    findings = of_city(
        "findings", lambda city_id: TrajectoryFinding.objects.known_by(as_of).filter(city=city_id)
    )
    events = of_city("events", lambda city_id: Event.objects.known_by(as_of).filter(cities=city_id))
    factors = of_city("factors", lambda city_id: ContextFactor.objects.filter(city=city_id))
    notes = of_city("notes", lambda city_id: CityNote.objects.filter(city=city_id))
    # Named with a link only: none of their text.
    research = of_city(
        "research",
        lambda city_id: ResearchFinding.objects.filter(example_cities=city_id).only(
            "key", "kind", "group", "title"
        ),
    )
    initiatives = of_city(
        "initiatives",
        lambda city_id: Initiative.objects.select_related("type").filter(city=city_id),
    )
    figures = of_city(
        "figures", lambda city_id: InitiativeFigure.objects.filter(initiative__city=city_id)
    )
    statuses = of_city(
        "statuses",
        lambda city_id: InitiativeStatus.objects.with_reported().filter(initiative__city=city_id),
    )
    for name, related in (
        ("trajectory_findings", findings),
        ("events", events),
        ("context_factors", factors),
        ("notes", notes),
        ("initiatives", initiatives),
        ("research_findings", research),
    ):
        set_prefetched(city, name, related)
    figures_of, statuses_of = defaultdict(list), defaultdict(list)
    for figure in figures:
        figures_of[figure.initiative_id].append(figure)
    for status in statuses:
        statuses_of[status.initiative_id].append(status)
    for initiative in initiatives:
        set_prefetched(initiative, "figures", figures_of[initiative.pk])
        initiative.status_history = statuses_of[initiative.pk]
    compact = getattr(city, "compact", None)  # None without a compact
    # Every citation the page shows, of every kind of record, in one query.
    attach_citations(
        [
            city,
            *([compact] if compact else []),
            *city.published_assessments,
            *findings,
            *initiatives,
            *events,
            *factors,
            *notes,
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
