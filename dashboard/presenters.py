"""Presenters: the dashboard's and funder views' panels (charts.panels.Panel) assembled
from a snapshot, with their CSV, embed and permalink URLs. The figures themselves come from
the charts app; the reads from selectors."""

from __future__ import annotations

import dataclasses
import datetime

from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.urls import reverse

from charts import charts, freshness, tables
from charts.map_chart import map_figure, map_table
from charts.panels import LeftOut, Pager, Panel, cohort_panel, freshness_note, timeline_panel
from charts.tables import DataTable
from common import dates
from common.dates import is_month_end
from common.labels import count_of

from .filters import FIGURE6_PAGE_PARAM, SNAPSHOT_QUERY
from .map_selectors import map_points
from .selectors import DashboardSnapshot, earliest_assessment

# Figure 6 draws at most this many cities a page: a bar chart of 1,000 cities is no chart
# to read, and would make the page a megabyte. The CSV and the other charts cover all.
FIGURE6_PAGE_SIZE = 25
# The line under Figure 6 lists at most this many of the cities it leaves out (the CSV has
# every city): the page must not grow with the number of cities.
LEFT_OUT_MOST = 40


def url_with_query(name: str, params: QueryDict, *args) -> str:
    """The URL named ``name`` with ``params`` as its query string (none when empty): a
    chart's CSV, its embed page, a funder view's permalink."""
    query = params.urlencode()
    return reverse(name, args=args) + (f"?{query}" if query else "")


def _csv_url(key: str, params: QueryDict) -> str:
    return url_with_query("dashboard:chart-csv", params, key)


def _timeline_embed_url(snapshot: DashboardSnapshot) -> str:
    """The embed of the timeline as drawn: its cities (chosen or the default ones) and
    month, not the dashboard's filters, which the timeline page does not read."""
    query = selection_query(
        slugs=[city.slug for city in snapshot.timeline.cities], as_of=snapshot.as_of
    )
    return url_with_query("embed:timeline", query)


def _type_links(params: QueryDict, keys: list[str]) -> dict[str, str]:
    links = {}
    for key in keys:
        query = params.copy()
        query["initiative_type"] = key
        links[key] = f"?{query.urlencode()}#matrix"
    return links


def _figure6_page(cities: list, params: QueryDict) -> tuple[list, Pager | None]:
    """The cities one page of Figure 6 draws: at most FIGURE6_PAGE_SIZE bars, in the
    filters' order, with links to the neighbouring pages (the CSV has every city)."""
    page = Paginator(cities, FIGURE6_PAGE_SIZE).get_page(params.get(FIGURE6_PAGE_PARAM))
    if page.paginator.num_pages <= 1:
        return list(page.object_list), None

    def url(number: int) -> str:
        query = params.copy()
        query[FIGURE6_PAGE_PARAM] = str(number)
        return f"?{query.urlencode()}#progress"

    pager = Pager(
        label=f"Cities {page.start_index():,}\N{EN DASH}{page.end_index():,} of {len(cities):,}",
        previous_url=url(page.previous_page_number()) if page.has_previous() else "",
        next_url=url(page.next_page_number()) if page.has_next() else "",
    )
    return list(page.object_list), pager


def figure6_rows(cities: list) -> tuple[list, list]:
    """Figure 6 leads with what is known: the cities it draws (a published stage or a
    trajectory finding) and the ones it lists in one line under the chart (neither)."""
    drawn = [city for city in cities if city.assessed or city.has_findings]
    return drawn, [city for city in cities if not (city.assessed or city.has_findings)]


def _left_out(cities: list, as_of: datetime.date) -> LeftOut | None:
    if not cities:
        return None
    what = count_of(len(cities), "city", "cities")
    return LeftOut(
        summary=f"{what} with no published stage or finding by {dates.month_label(as_of)}",
        items=tuple(
            (city.label, reverse("cities:city-detail", args=[city.slug]))
            for city in cities[:LEFT_OUT_MOST]
        ),
        more=max(len(cities) - LEFT_OUT_MOST, 0),
    )


def progress_panel(snapshot: DashboardSnapshot, params: QueryDict) -> Panel:
    drawn, left_out = figure6_rows(snapshot.cities)
    cities, pager = _figure6_page(drawn, params)
    cities = snapshot.with_details(cities)
    return Panel(
        key="progress",
        title="Progress and backsliding (Figure 6)",
        summary="Each city's bar runs to its current stage, with the period it was assessed"
        " for beside it; the orange striped part is the ground lost since its peak. Lighter,"
        " hatched bars are inferred or low-confidence stages; an hourglass marks a stale city.",
        figure=charts.progress_figure(
            cities,
            snapshot.stages,
            as_of=snapshot.as_of,
            empty_message="No city matching these filters has a published stage or finding by"
            f" {dates.month_label(snapshot.as_of)}."
            if snapshot.cities
            else "No cities match these filters.",
        ),
        table=tables.progress_table(cities, as_of=snapshot.as_of),
        pager=pager,
        sources=snapshot.assessment_sources,
        csv_url=_csv_url("progress", params),
        freshness=freshness_note(snapshot.assessment_sources, snapshot.as_of),
        notice=freshness.stale_summary(
            snapshot.cities, snapshot.as_of, freshness.stale_after_years()
        ),
        left_out=_left_out(left_out, snapshot.as_of),
    )


def dashboard_timeline_panel(
    timeline, stages, sources, params: QueryDict, *, empty_message: str = ""
) -> Panel:
    return timeline_panel(
        timeline,
        stages,
        sources,
        _csv_url("timeline", params),
        empty_message=empty_message or "Choose one or more cities to draw their timelines.",
    )


def distribution_panel(snapshot: DashboardSnapshot, params: QueryDict) -> Panel:
    rows = snapshot.distribution_rows
    figure = charts.distribution_figure(rows, snapshot.stages)
    waiting = figure["layout"].get("meta", {}).get("not_assessed", 0)
    unstaged = (
        f" Not drawn: {waiting} of {count_of(len(snapshot.cities), 'city', 'cities')}, with no"
        f" published stage by {dates.month_label(snapshot.as_of)}."
        if waiting
        else ""
    )
    return Panel(
        key="distribution",
        title="Stage distribution over time",
        summary="How many of the selected cities stood at each stage at the end of each year,"
        " on Figure 6's scale: lighter, hatched parts are inferred or low-confidence stages;"
        " an orange outline, ground lost since the peak (lighter when only possible); an"
        " hourglass, a year resting on assessments over the stale threshold." + unstaged,
        figure=figure,
        table=tables.distribution_table(rows, snapshot.stages),
        sources=snapshot.assessment_sources,
        csv_url=_csv_url("distribution", params),
        freshness=freshness_note(snapshot.assessment_sources, snapshot.as_of),
    )


def matrix_panel(snapshot: DashboardSnapshot, params: QueryDict) -> Panel:
    keys = [tc.type.key for tc in snapshot.matrix.types]
    return Panel(
        key="matrix",
        title="Costs and benefits of cooperation (Figure 7)",
        summary="Initiative types in the report's four quadrants; a marker's size counts the"
        " selected cities' initiatives of that type. Choose a type to list them.",
        figure=charts.matrix_figure(snapshot.matrix, _type_links(params, keys)),
        table=tables.matrix_table(snapshot.matrix),
        sources=snapshot.matrix_sources,
        csv_url=_csv_url("matrix", params),
    )


def dashboard_panels(snapshot: DashboardSnapshot, params: QueryDict) -> list[Panel]:
    snapshot.read_sources()  # the three panels' sources notes in one query
    timeline = dashboard_timeline_panel(
        snapshot.timeline,
        snapshot.stages,
        snapshot.timeline_sources,
        params,
        empty_message=snapshot.timeline_empty_message,
    )
    return [
        dataclasses.replace(
            progress_panel(snapshot, params), embed_url=url_with_query("embed:figure6", params)
        ),
        dataclasses.replace(timeline, embed_url=_timeline_embed_url(snapshot)),
        distribution_panel(snapshot, params),
        matrix_panel(snapshot, params),
    ]


def snapshot_only(params: QueryDict) -> QueryDict:
    """``params`` without what only the dashboard reads (its timeline's cities, Figure 6's
    page): the query of a page that shows the same cities, the map."""
    query = params.copy()
    for key in set(query) - set(SNAPSHOT_QUERY):
        del query[key]
    return query


def _map_table(snapshot: DashboardSnapshot, points=None) -> DataTable:
    points = map_points(snapshot) if points is None else points
    return map_table(points, as_of_label=dates.month_label(snapshot.as_of))


def map_panel(snapshot: DashboardSnapshot, params: QueryDict) -> Panel:
    """The localities on a US map, coloured on the stage scale, with the same rows as a
    table (and where each one's coordinates come from)."""
    points = map_points(snapshot)
    years = freshness.stale_after_years()
    return Panel(
        key="map",
        title="Map of the compact localities",
        summary="Each locality where the documents place it, coloured by its current stage"
        " (darker is further; grey: not assessed). An hourglass instead of a circle, in its"
        f" stage's colour, marks a stage over {years} years old. Hover or tap a marker for"
        " its name and stage.",
        figure=map_figure(points, snapshot.stages, stale_years=years),
        table=_map_table(snapshot, points),
        sources=snapshot.assessment_sources,
        csv_url=_csv_url("map", params),
        freshness=freshness_note(snapshot.assessment_sources, snapshot.as_of),
        notice=freshness.stale_summary(
            snapshot.cities, snapshot.as_of, years, drawn="these markers"
        ),
    )


CSV_TABLES = {
    "progress": lambda s: tables.progress_table(s.with_details(s.cities), as_of=s.as_of),
    "stage-counts": lambda s: tables.stage_counts_table(s.cities, s.stages, as_of=s.as_of),
    "published-counts": lambda s: tables.published_counts_table(s.published_counts),
    "timeline": lambda s: tables.timeline_table(s.timeline),
    "distribution": lambda s: tables.distribution_table(s.distribution_rows, s.stages),
    "matrix": lambda s: tables.matrix_table(s.matrix),
    "initiatives": lambda s: tables.initiatives_table(s.matrix),
    "map": _map_table,
}


def csv_table(snapshot: DashboardSnapshot, key: str) -> DataTable:
    """The table behind one chart; Http404 for an unknown chart."""
    try:
        return CSV_TABLES[key](snapshot)
    except KeyError:
        raise Http404("No such chart") from None


def matrix_type_links(snapshot: DashboardSnapshot, params: QueryDict) -> list[dict]:
    """Keyboard-reachable equivalents of clicking a type on the matrix."""
    matrix = snapshot.matrix
    links = _type_links(params, [tc.type.key for tc in matrix.types])
    return [
        {
            "label": tc.type.label,
            "total": tc.total,
            "url": links[tc.type.key],
            "selected": matrix.selected_type is not None and matrix.selected_type.pk == tc.type.pk,
        }
        for tc in matrix.types
    ]


def initiatives_csv_url(params: QueryDict) -> str:
    return _csv_url("initiatives", params)


# Funder views ----------------------------------------------------------------------------


def selection_query(*, slugs=(), as_of: datetime.date) -> QueryDict:
    """The canonical query string of a funder view: the cities actually shown (not the ones
    left out) and the date, so its CSV links export exactly what the page shows."""
    query = QueryDict(mutable=True)
    if slugs:
        query.setlist("city", list(slugs))
    query["as_of"] = f"{as_of:%Y-%m}" if is_month_end(as_of) else as_of.isoformat()
    return query


def funder_cohort_panel(cohorts, stages, sources, query: QueryDict, *, as_of) -> Panel:
    return cohort_panel(
        cohorts, stages, sources, url_with_query("dashboard:cohorts-csv", query), as_of=as_of
    )


def earliest_offer(
    *, params: QueryDict, as_of: datetime.date, city_ids: list[int] | None = None
) -> dict | None:
    """For a date before any assessment: a sentence saying so and a link to the earliest
    month with data (the same query with that as_of), or None when there is data."""
    earliest, precision = earliest_assessment(city_ids=city_ids)
    if earliest is None:
        return {"text": "None of these cities has a published assessment yet.", "url": ""}
    if earliest <= as_of:
        return None
    query = params.copy()
    query["as_of"] = f"{earliest:%Y-%m}"
    return {
        "text": f"No published assessment on or before {dates.month_label(as_of)}: the"
        f" earliest is for {dates.period_label(earliest, precision)}.",
        "url": f"?{query.urlencode()}",
        "label": f"Show {dates.month_label(earliest)}",
    }
