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
from django.db.models import Count, Subquery
from django.http import QueryDict

from caching.keys import normal_query
from caching.parts import Parts
from charts.rows import (
    CityStage,
    DistributionRow,
    InitiativeRow,
    InitiativeTypeRow,
    Matrix,
    PublishedCount,
    SourcesNote,
    Timeline,
    TypeCount,
)
from cities.models import City
from cities.timelines import (
    CITY_STAGE_VALUES,
    TIMELINE_MAX_CITIES,
    city_stages_of_rows,
    known_findings,
    stage_timeline,
    timeline_source_targets,
    timeline_sources,
    timeline_sources_note,
    with_details,
)
from common import dates
from common.dates import month_end
from common.labels import city_label
from common.sql import ids_in, values_rows
from compacts.models import (
    Assessment,
    Initiative,
    InitiativeType,
    PublishedFigure,
    Stage,
    TrajectoryFinding,
)
from compacts.standing import EARLIEST_STAGE_ORDERS
from compacts.stored import standing_rows
from sources.models import citations_of_outer_row
from sources.selectors import source_title_groups, source_titles

from .distribution_selectors import stage_distribution_rows
from .filters import SNAPSHOT_QUERY, DashboardFilter

TIMELINE_DEFAULT_CITIES = 4


class DashboardSnapshot:
    """The filtered cities as of a date and everything the charts draw from them.

    Each part is computed when first read, so a CSV export runs only the queries its
    chart needs.
    """

    def __init__(self, *, params: QueryDict | dict, timeline_slugs: Sequence[str] = ()):
        self.filterset = DashboardFilter(params)
        self.timeline_slugs = list(timeline_slugs)[:TIMELINE_MAX_CITIES]
        # Aggregates are cached under the data version: the same filters, the same answer
        # (and parameters no filter reads make no new entries).
        filters = normal_query(params, SNAPSHOT_QUERY)
        self._parts = Parts("dashboard", repr((filters, self.timeline_slugs)))

    @property
    def as_of(self) -> datetime.date:
        return self.filterset.as_of_date

    @property
    def stages(self) -> list[Stage]:
        return self.filterset.stages

    @cached_property
    def cities(self) -> list[CityStage]:
        """Figure 6's rows in the chosen order, without their findings and claims
        (``with_details`` attaches them to the rows a page draws or a CSV exports)."""
        return self._parts.get(
            "cities",
            lambda: city_stages_of_rows(
                # Its SQL kept per set of filters: building the filtered, annotated queryset
                # cost more than running it.
                standing_rows(
                    ("dashboard_cities", self.filterset.query_key),
                    lambda: self.filterset.qs.values(*CITY_STAGE_VALUES),
                ),
                self.as_of,
                self.stages,
                details=False,
                finding_cities={row["city_id"] for row in self.known_findings},
            ),
        )

    @cached_property
    def known_findings(self) -> list[dict]:
        """Every city's trajectory findings known by the date (``known_findings`` rows):
        Figure 6's rows, its sources and the lost-ground counts beside it read them from
        this one query."""
        return self._parts.get("known_findings", lambda: known_findings(self.as_of))

    def with_details(self, cities: list[CityStage]) -> list[CityStage]:
        """``cities`` (some of ``self.cities``) with their trajectory findings up to the date
        and how sure each current stage is."""
        return with_details(cities, self.known_findings)

    @cached_property
    def city_ids(self) -> list[int]:
        return [city.pk for city in self.cities]

    @cached_property
    def _chosen_ids(self) -> tuple[int, ...] | None:
        """The chosen cities' ids, or None when no filter narrows them (every city)."""
        return None if self.filterset.every_city else tuple(self.city_ids)

    @property
    def _chosen_cities(self):
        """The chosen cities' ids for a ``city_id__in`` filter: with no filter, every city's
        as a subquery (5,000 ids sent as an array cost PostgreSQL 7 ms to plan a query
        around them); else the ids themselves."""
        if self._chosen_ids is None:
            return City.objects.values("pk")
        return ids_in(self._chosen_ids)

    def _assessments(self):
        return (
            Assessment.objects.published().as_of(self.as_of).filter(city_id__in=self._chosen_cities)
        )

    @cached_property
    def distribution_rows(self) -> list[DistributionRow]:
        """The distribution over time (year by year): plain rows, so the chart does not care
        where they come from."""
        return self._parts.get(
            "distribution_rows",
            lambda: stage_distribution_rows(city_ids=self.city_ids, as_of=self.as_of),
        )

    @cached_property
    def timeline(self) -> Timeline:
        by_slug = {city.slug: city for city in self.cities}
        chosen = [by_slug[slug] for slug in self.timeline_slugs if slug in by_slug]
        if not chosen:
            chosen = [city for city in self.cities if city.assessed][:TIMELINE_DEFAULT_CITIES]
        return self._parts.get("timeline", lambda: stage_timeline(chosen, self.as_of))

    @property
    def timeline_empty_message(self) -> str:
        """Why the timeline has no city, in words that match what the reader sees."""
        if not self.cities:
            return "No cities match these filters."
        if self.timeline_slugs:
            return "None of the cities chosen for the timeline match these filters."
        which = (
            "The one matching city"
            if len(self.cities) == 1
            else f"None of the {len(self.cities)} matching cities"
        )
        verb = " had no" if len(self.cities) == 1 else " had a"
        return (
            f"{which}{verb} published assessment by {dates.month_label(self.as_of)}. Tick"
            " cities in the filters above to see their events."
        )

    @cached_property
    def matrix(self) -> Matrix:
        return self._parts.get(
            "matrix",
            lambda: _matrix(
                self._chosen_cities,
                self.as_of,
                self.filterset.initiative_types,
                self.filterset.initiative_type_key,
            ),
        )

    @cached_property
    def known_figures(self) -> list[dict]:
        """The published figures known by the date (``known_figures``): the stage counts
        and the lost-ground counts beside Figure 6 read them from this one query."""
        return self._parts.get("known_figures", lambda: known_figures(self.as_of))

    @cached_property
    def published_counts(self) -> list[PublishedCount]:
        return self._parts.get("published_counts", lambda: _published_counts(self.known_figures))

    def read_sources(self) -> None:
        """Read the sources notes of Figure 6, the timeline and the matrix in one query (the
        dashboard shows all three; a page that shows one reads only it)."""
        notes = self._parts.get("sources", self._all_sources)
        self.__dict__.update(notes)  # what the cached properties below would hold

    def _all_sources(self) -> dict[str, SourcesNote]:
        titles = source_title_groups(
            {
                "assessment_sources": self._assessment_source_targets(),
                "timeline_sources": timeline_source_targets(self.timeline),
                "matrix_sources": self._matrix_source_targets(),
            },
            # Everything the three groups' rows depend on: the date, the chosen cities,
            # their findings, what the timeline draws.
            key=(
                "dashboard_sources",
                self.as_of,
                self._chosen_ids,
                self._chosen_findings,
                self.timeline.assessment_ids,
                self.timeline.event_ids,
            ),
        )
        return {
            "assessment_sources": self._assessment_note(titles["assessment_sources"]),
            "timeline_sources": timeline_sources_note(self.timeline, titles["timeline_sources"]),
            "matrix_sources": SourcesNote(titles["matrix_sources"], None),
        }

    @cached_property
    def assessment_sources(self) -> SourcesNote:
        """Sources behind Figure 6 and the distribution: the assessments and findings."""
        return self._parts.get(
            "assessment_sources",
            lambda: self._assessment_note(source_titles(*self._assessment_source_targets())),
        )

    def _assessment_source_targets(self) -> tuple:
        return (
            (Assessment, self._assessments().values("pk")),
            (TrajectoryFinding, ids_in(self._chosen_findings)),
        )

    @cached_property
    def _chosen_findings(self) -> tuple[int, ...]:
        chosen = set(self.city_ids)
        return tuple(row["pk"] for row in self.known_findings if row["city_id"] in chosen)

    def _assessment_note(self, titles: tuple[str, ...]) -> SourcesNote:
        # Each city's current assessment is its newest by the date: the newest among them
        # is the newest period behind the figure.
        newest = max(
            (city for city in self.cities if city.current_period),
            key=lambda city: city.current_period,
            default=None,
        )
        if newest is None:
            return SourcesNote(titles, None)
        return SourcesNote(titles, newest.current_period, newest.current_precision)

    @cached_property
    def timeline_sources(self) -> SourcesNote:
        return self._parts.get("timeline_sources", lambda: timeline_sources(self.timeline))

    @cached_property
    def matrix_sources(self) -> SourcesNote:
        return self._parts.get(
            "matrix_sources",
            lambda: SourcesNote(source_titles(*self._matrix_source_targets()), None),
        )

    def _matrix_source_targets(self) -> tuple:
        return (
            (InitiativeType, InitiativeType.objects.values("pk")),
            (Initiative, Initiative.objects.filter(city_id__in=self._chosen_cities).values("pk")),
        )


def dashboard_snapshot(
    *, params: QueryDict | dict, timeline_slugs: Sequence[str] = ()
) -> DashboardSnapshot:
    """The dashboard's data for the filters and as-of date in ``params`` (a GET query)."""
    return DashboardSnapshot(params=params, timeline_slugs=timeline_slugs)


def _matrix(
    chosen_cities,
    as_of: datetime.date,
    types: list[InitiativeType],
    selected_key: str,
) -> Matrix:
    """Figure 7 of the chosen cities (``DashboardSnapshot._chosen_cities``)."""
    initiatives = Initiative.objects.filter(city_id__in=chosen_cities)
    counts = initiatives.status_counts(as_of, per="type_id")
    type_rows = [
        InitiativeTypeRow(pk=t.pk, key=t.key, label=t.label, cost=t.cost, benefit=t.benefit)
        for t in types
    ]
    selected = next((t for t in type_rows if t.key == selected_key), None)
    rows: tuple[InitiativeRow, ...] = ()
    if selected is not None:
        rows = tuple(
            InitiativeRow(
                city_label=city_label(i.city.name, i.city.state),
                title=i.title,
                type_label=selected.label,
                status=i.status_label,
                years=i.years_as_written
                or "\N{EN DASH}".join(str(y) for y in (i.start_year, i.end_year) if y),
            )
            for i in initiatives.started_by(as_of)
            .with_current_status(as_of)
            .filter(type_id=selected.pk)
            .select_related("city")
            .order_by("city__name", "title")
        )
    return Matrix(
        types=tuple(TypeCount(t, counts.get(t.pk, {})) for t in type_rows),
        selected_type=selected,
        initiatives=rows,
    )


def known_figures(as_of: datetime.date) -> list[dict]:
    """Every published figure a reader could know by the end of ``as_of``'s month, by key,
    as a dict of its columns, its stage's order and name, and its first citation's quote and
    source title (the primary citation first, then the record's own before a field's): one
    query, compiled once per month (``common.sql.values_rows``)."""

    def figures():
        first = citations_of_outer_row(PublishedFigure).order_by("-is_primary", "field", "id")
        return (
            PublishedFigure.objects.known_by(as_of)
            .annotate(
                quote=Subquery(first.values("quote")[:1]),
                source_title=Subquery(first.values("source__title")[:1]),
            )
            .order_by("key")
            .values(
                "key",
                "kind",
                "value",
                "value_as_written",
                "unit",
                "scope",
                "compares",
                "as_of",
                "as_of_precision",
                "stage__order",
                "stage__name",
                "quote",
                "source_title",
            )
        )

    cited_as = ContentType.objects.get_for_model(PublishedFigure).pk
    return values_rows(("known_figures", as_of, cited_as), figures)


def _published_counts(known: list[dict]) -> list[PublishedCount]:
    """The newest stage counts among the ``known`` figures (``known_figures``), each beside
    the number of compact cities recorded here at that stage on that date (published
    assessments)."""
    # Counts of cities at a stage (or at the earliest stages), newest first, by key.
    figures = sorted(
        (
            figure
            for figure in known
            if figure["as_of"] is not None
            and figure["value"] is not None
            and figure["unit"] == "cities"
            and (figure["stage__order"] is not None or "earliest" in figure["key"])
        ),
        key=lambda figure: figure["as_of"],
        reverse=True,  # stable: each date's figures stay in key order
    )
    if not figures:
        return []
    newest = figures[0]["as_of"]
    figures = [f for f in figures if f["as_of"] == newest]
    # Each compact city's stage that month, from the stored standings (one indexed join).
    counted = standing_rows(
        ("compact_cities_by_stage", month_end(newest)),
        lambda: (
            City.objects.compact_cities()
            .with_stage_as_of(month_end(newest))
            .values("current_stage_order")
            .annotate(n=Count("pk"))
            .order_by()
        ),
    )
    recorded = {row["current_stage_order"]: row["n"] for row in counted}
    result = []
    for figure in figures:
        staged = figure["stage__order"] is not None
        orders = (figure["stage__order"],) if staged else EARLIEST_STAGE_ORDERS
        label = figure["stage__name"] if staged else "Earliest stages (baseline, Emerging)"
        result.append(
            PublishedCount(
                label=label,
                stage_orders=orders,
                as_of=newest,
                as_of_label=dates.period_label(newest, figure["as_of_precision"]),
                published=figure["value"],
                recorded=sum(recorded.get(order, 0) for order in orders),
                source_title=figure["source_title"] or "",
                quote=figure["quote"] or "",
                # Counts worked out from other numbers, not printed in a report.
                derived=figure["kind"] == PublishedFigure.Kind.DERIVED,
            )
        )
    return sorted(result, key=lambda count: count.stage_orders)


def earliest_assessment(
    *, city_ids: Sequence[int] | None = None
) -> tuple[datetime.date | None, str]:
    """The period of the earliest published assessment (of these cities) and its precision,
    or (None, "") when there is none: what a date before any assessment should offer."""
    published = Assessment.objects.published()
    if city_ids is not None:
        published = published.filter(city_id__in=ids_in(list(city_ids)))
    first = published.order_by("period_start").values_list("period_start", "period_precision")
    return next(iter(first[:1]), (None, ""))
