"""Reads the dashboard needs, published data only.

Everything is computed from *published* assessments, whoever is signed in: drafts,
ratings and interviews never reach the dashboard, its tables, CSV or images. Each
function issues a fixed number of queries, whatever the number of cities or assessments.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    Count,
    Model,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.http import QueryDict

from cities.models import City, Event
from compacts.models import (
    Assessment,
    Citation,
    Initiative,
    InitiativeStatus,
    InitiativeType,
    PublishedFigure,
    Source,
    Stage,
    TrajectoryFinding,
)

from .filters import DashboardFilter
from .rows import (
    CityStage,
    Distribution,
    Finding,
    InitiativeRow,
    Matrix,
    PublishedCount,
    SourcesNote,
    Timeline,
    TimelineEvent,
    TimelinePoint,
    TypeCount,
)

TIMELINE_DEFAULT_CITIES = 4
TIMELINE_MAX_CITIES = 8
# Published counts with no single stage: "11 are in the earliest stages" (baseline, Emerging).
EARLIEST_STAGE_ORDERS = (0, 1)


def ids_in(ids: Sequence[int]) -> RawSQL:
    """``pk__in`` for many ids as one array parameter: a 1,000-id list would otherwise cost
    the ORM a thousand prepared values per query."""
    return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))


def source_titles(*targets: tuple[type[Model], object]) -> tuple[str, ...]:
    """Titles of the sources cited by the given rows: (model, queryset of pks) pairs."""
    cited = Q(pk__in=[])
    for model, pks in targets:
        content_type = ContentType.objects.get_for_model(model)
        cited |= Q(content_type=content_type, object_id__in=pks)
    return tuple(
        Source.objects.filter(pk__in=Citation.objects.filter(cited).values("source_id"))
        .order_by("published_on", "title")
        .values_list("title", flat=True)
    )


class DashboardSnapshot:
    """The filtered cities as of a date and everything the charts draw from them.

    Each part is computed when first read, so a CSV export runs only the queries its
    chart needs.
    """

    def __init__(self, *, params: QueryDict | dict, timeline_slugs: Sequence[str] = ()):
        self.filterset = DashboardFilter(params)
        self.timeline_slugs = list(timeline_slugs)[:TIMELINE_MAX_CITIES]

    @property
    def as_of(self) -> datetime.date:
        return self.filterset.as_of_date

    @property
    def stages(self) -> list[Stage]:
        return self.filterset.stages

    @cached_property
    def cities(self) -> list[CityStage]:
        """Figure 6's rows in the chosen order, with their trajectory findings up to as_of."""
        return _city_stages(self.filterset.qs, self.as_of, self.stages)

    @cached_property
    def city_ids(self) -> list[int]:
        return [city.pk for city in self.cities]

    def _assessments(self):
        return (
            Assessment.objects.published()
            .as_of(self.as_of)
            .filter(city_id__in=ids_in(self.city_ids))
        )

    @cached_property
    def distribution(self) -> Distribution:
        return _distribution(self.city_ids, self.as_of, self.stages)

    @cached_property
    def timeline(self) -> Timeline:
        by_slug = {city.slug: city for city in self.cities}
        chosen = [by_slug[slug] for slug in self.timeline_slugs if slug in by_slug]
        if not chosen:
            chosen = [city for city in self.cities if city.assessed][:TIMELINE_DEFAULT_CITIES]
        return _timeline(chosen, self.as_of)

    @cached_property
    def matrix(self) -> Matrix:
        return _matrix(
            self.city_ids,
            self.as_of,
            self.filterset.initiative_types,
            self.filterset.initiative_type_key,
        )

    @cached_property
    def published_counts(self) -> list[PublishedCount]:
        return _published_counts(self.as_of)

    @cached_property
    def assessment_sources(self) -> SourcesNote:
        """Sources behind Figure 6 and the distribution: the assessments and findings."""
        titles = source_titles(
            (Assessment, self._assessments().values("pk")),
            (TrajectoryFinding, self._findings().values("pk")),
        )
        # The distribution already holds every period of these assessments.
        periods = self.distribution.periods
        return SourcesNote(titles, periods[-1] if periods else None)

    @cached_property
    def timeline_sources(self) -> SourcesNote:
        return _timeline_sources(self.timeline)

    @cached_property
    def matrix_sources(self) -> SourcesNote:
        titles = source_titles(
            (InitiativeType, InitiativeType.objects.values("pk")),
            (Initiative, Initiative.objects.filter(city_id__in=ids_in(self.city_ids)).values("pk")),
        )
        return SourcesNote(titles, None)

    def _findings(self):
        return TrajectoryFinding.objects.filter(city_id__in=ids_in(self.city_ids)).filter(
            Q(period_start__lte=self.as_of) | Q(period_start__isnull=True)
        )


def dashboard_snapshot(
    *, params: QueryDict | dict, timeline_slugs: Sequence[str] = ()
) -> DashboardSnapshot:
    """The dashboard's data for the filters and as-of date in ``params`` (a GET query)."""
    return DashboardSnapshot(params=params, timeline_slugs=timeline_slugs)


def city_timeline(
    *, slugs: Sequence[str], as_of: datetime.date
) -> tuple[Timeline, list[Stage], SourcesNote]:
    """Stage timelines of the named cities (in the order named) with their events, the
    stages for the axis and the sources behind them."""
    stages = list(Stage.objects.order_by("order"))
    queryset = City.objects.filter(slug__in=list(slugs)[:TIMELINE_MAX_CITIES]).with_stage_as_of(
        as_of
    )
    position = {slug: index for index, slug in enumerate(slugs)}
    cities = sorted(_city_stages(queryset, as_of, stages), key=lambda c: position[c.slug])
    timeline = _timeline(cities, as_of)
    return timeline, stages, _timeline_sources(timeline)


def _timeline_sources(timeline: Timeline) -> SourcesNote:
    ids = [city.pk for city in timeline.cities]
    assessments = Assessment.objects.published().as_of(timeline.as_of).filter(city_id__in=ids)
    titles = source_titles(
        (Assessment, assessments.values("pk")),
        (Event, Event.objects.filter(cities__in=ids).values("pk")),
    )
    return SourcesNote(titles, max((p.period_start for p in timeline.points), default=None))


def _city_stages(queryset, as_of: datetime.date, stages: list[Stage]) -> list[CityStage]:
    """CityStage rows from a queryset annotated by ``with_stage_as_of``: two queries."""
    stage_names = {s.order: s.name for s in stages}
    rows = list(
        queryset.values(
            "pk",
            "name",
            "slug",
            "state",
            "compact__signing_year",
            "current_stage_order",
            "current_stage_name",
            "current_period_start",
            "current_stage_provenance",
            "peak_stage_order",
            "backslid",
        )
    )
    findings = _findings_by_city([row["pk"] for row in rows], as_of)
    return [
        CityStage(
            pk=row["pk"],
            name=row["name"],
            slug=row["slug"],
            state=row["state"],
            signing_year=row["compact__signing_year"],
            current_order=row["current_stage_order"],
            current_name=row["current_stage_name"],
            current_period=row["current_period_start"],
            current_inferred=row["current_stage_provenance"] == "inferred",
            peak_order=row["peak_stage_order"],
            peak_name=stage_names.get(row["peak_stage_order"]),
            backslid=bool(row["backslid"]),
            findings=findings.get(row["pk"], ()),
        )
        for row in rows
    ]


def _findings_by_city(city_ids: list[int], as_of: datetime.date) -> dict[int, tuple[Finding, ...]]:
    """Each city's trajectory findings up to ``as_of`` with their primary citation, in one
    query (the citation via subqueries, not a generic-relation prefetch)."""
    first_citation = Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(TrajectoryFinding), object_id=OuterRef("pk")
    ).order_by("-is_primary", "id")
    findings = (
        TrajectoryFinding.objects.filter(city_id__in=ids_in(city_ids))
        .filter(Q(period_start__lte=as_of) | Q(period_start__isnull=True))
        .annotate(
            quote=Subquery(first_citation.values("quote")[:1]),
            source_title=Subquery(first_citation.values("source__title")[:1]),
        )
        .order_by("city_id", "period_start", "key")
        .values(
            "city_id",
            "direction",
            "summary",
            "period_start",
            "period_as_written",
            "quote",
            "source_title",
        )
    )
    labels = dict(TrajectoryFinding.Direction.choices)
    by_city: dict[int, list[Finding]] = {}
    for row in findings:
        by_city.setdefault(row["city_id"], []).append(
            Finding(
                direction=row["direction"],
                direction_label=labels.get(row["direction"], row["direction"]),
                summary=row["summary"],
                period_label=row["period_as_written"]
                or (f"{row['period_start']:%Y-%m}" if row["period_start"] else "undated"),
                evidence=f"“{row['quote']}” ({row['source_title']})" if row["quote"] else "",
            )
        )
    return {city_id: tuple(items) for city_id, items in by_city.items()}


_DISTRIBUTION_SQL = """
WITH published AS (
    SELECT a.period_start, a.consensus_stage_id AS stage_id,
           LEAD(a.period_start) OVER (PARTITION BY a.city_id ORDER BY a.period_start) AS next_start
    FROM {assessment} a
    WHERE a.status = %(published)s AND a.period_start <= %(as_of)s AND a.city_id = ANY(%(ids)s)
), changes AS (
    SELECT period_start AS at, stage_id, 1 AS delta FROM published
    UNION ALL
    SELECT next_start, stage_id, -1 FROM published WHERE next_start IS NOT NULL
)
SELECT at, stage_id, SUM(delta) FROM changes GROUP BY at, stage_id ORDER BY at
"""


def _distribution(city_ids: list[int], as_of: datetime.date, stages: list[Stage]) -> Distribution:
    """Counts per stage per period, in one query: each assessment holds from its period to
    the city's next one (LEAD), so the database sums +1/-1 changes per period and stage."""
    sql = _DISTRIBUTION_SQL.format(assessment=connection.ops.quote_name(Assessment._meta.db_table))
    order_of = {stage.pk: stage.order for stage in stages}
    params = {"published": Assessment.Status.PUBLISHED, "as_of": as_of, "ids": list(city_ids)}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        changes = [(at, order_of[stage_id], delta) for at, stage_id, delta in cursor.fetchall()]
    periods = sorted({at for at, _, _ in changes})
    running = {s.order: 0 for s in stages}
    counts: dict[int, list[int]] = {s.order: [] for s in stages}
    position = 0
    for period in periods:
        while position < len(changes) and changes[position][0] == period:
            running[changes[position][1]] += int(changes[position][2])
            position += 1
        for order, series in counts.items():
            series.append(running[order])
    total = len(city_ids)
    not_assessed = tuple(
        total - sum(counts[s.order][i] for s in stages) for i in range(len(periods))
    )
    return Distribution(
        periods=tuple(periods),
        counts={order: tuple(series) for order, series in counts.items()},
        not_assessed=not_assessed,
        total=total,
    )


def _timeline(cities: list[CityStage], as_of: datetime.date) -> Timeline:
    slugs = [city.slug for city in cities]
    label_by_slug = {city.slug: city.label for city in cities}
    assessments = (
        Assessment.objects.published()
        .as_of(as_of)
        .filter(city__slug__in=slugs)
        .values(
            "city__slug",
            "period_start",
            "consensus_stage__order",
            "consensus_stage__name",
            "stage_provenance",
        )
        .order_by("city__slug", "period_start")
    )
    points = tuple(
        TimelinePoint(
            city_label=label_by_slug[row["city__slug"]],
            period_start=row["period_start"],
            stage_order=row["consensus_stage__order"],
            stage_name=row["consensus_stage__name"],
            inferred=row["stage_provenance"] == "inferred",
        )
        for row in assessments
    )
    links = (
        Event.cities.through.objects.filter(city__slug__in=slugs)
        .filter(Q(event__occurred_on__lte=as_of) | Q(event__occurred_on__isnull=True))
        .select_related("event", "city")
        .order_by("event__occurred_on", "event__key")
    )
    events = tuple(
        TimelineEvent(
            city_label=label_by_slug[link.city.slug],
            occurred_on=link.event.occurred_on,
            date_as_written=link.event.date_as_written,
            kind_label=link.event.get_kind_display(),
            title=link.event.title,
        )
        for link in links
    )
    return Timeline(cities=tuple(cities), points=points, events=events, as_of=as_of)


def _matrix(
    city_ids: list[int],
    as_of: datetime.date,
    types: list[InitiativeType],
    selected_key: str,
) -> Matrix:
    initiatives = (
        Initiative.objects.filter(city_id__in=ids_in(city_ids))
        .filter(Q(start_year__lte=as_of.year) | Q(start_year__isnull=True))
        .with_current_status(as_of)
    )
    counts: dict[int, dict[str, int]] = {}
    for row in initiatives.values("type_id", "current_status").annotate(n=Count("pk")).order_by():
        counts.setdefault(row["type_id"], {})[row["current_status"]] = row["n"]
    selected = next((t for t in types if t.key == selected_key), None)
    rows: tuple[InitiativeRow, ...] = ()
    if selected is not None:
        status_labels = dict(InitiativeStatus.Status.choices)
        rows = tuple(
            InitiativeRow(
                city_label=f"{i.city.name}, {i.city.state}",
                title=i.title,
                type_label=selected.label,
                status=status_labels.get(i.current_status, i.current_status),
                years=i.years_as_written
                or "\N{EN DASH}".join(str(y) for y in (i.start_year, i.end_year) if y),
            )
            for i in initiatives.filter(type=selected)
            .select_related("city")
            .order_by("city__name", "title")
        )
    return Matrix(
        types=tuple(TypeCount(t, counts.get(t.pk, {})) for t in types),
        selected_type=selected,
        initiatives=rows,
    )


def _published_counts(as_of: datetime.date) -> list[PublishedCount]:
    """The newest stage counts published on or before ``as_of``, each beside the number of
    compact cities recorded here at that stage on that date (published assessments)."""
    figures = list(
        PublishedFigure.objects.filter(as_of__lte=as_of, value__isnull=False)
        .filter(unit="cities")
        .filter(Q(stage__isnull=False) | Q(key__contains="earliest"))
        .select_related("stage")
        .prefetch_related(Prefetch("citations", queryset=Citation.objects.select_related("source")))
        .order_by("-as_of", "key")
    )
    if not figures:
        return []
    newest = figures[0].as_of
    figures = [f for f in figures if f.as_of == newest]
    month_end = _month_end(newest)
    # Each compact city's stage that month: one correlated LIMIT 1 lookup per city on the
    # (city, period_start) index; the peak is not needed here.
    latest = (
        Assessment.objects.published()
        .as_of(month_end)
        .filter(city=OuterRef("pk"))
        .order_by("-period_start")
        .values("consensus_stage__order")[:1]
    )
    recorded = dict(
        City.objects.compact_cities()
        .annotate(stage_order=Subquery(latest))
        .values("stage_order")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("stage_order", "n")
    )
    result = []
    for figure in figures:
        orders = (figure.stage.order,) if figure.stage else EARLIEST_STAGE_ORDERS
        label = figure.stage.name if figure.stage else "Earliest stages (baseline, Emerging)"
        citation = next(iter(figure.citations.all()), None)
        result.append(
            PublishedCount(
                label=label,
                stage_orders=orders,
                as_of=newest,
                as_of_label=figure.as_of_as_written or f"{newest:%Y-%m}",
                published=figure.value,
                recorded=sum(recorded.get(order, 0) for order in orders),
                source_title=citation.source.title if citation else "",
                quote=citation.quote if citation else "",
                # Counts worked out from other numbers, not printed in a report.
                derived=bool(citation and citation.provenance == "inferred"),
            )
        )
    return sorted(result, key=lambda count: count.stage_orders)


def _month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)
