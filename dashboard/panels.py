"""Each chart of the dashboard as a panel: its figure, the same numbers as a table, the
CSV link and the sources note. Views render panels; the CSV export reads their tables."""

from __future__ import annotations

import calendar
import dataclasses
import datetime

from django.http import Http404, QueryDict
from django.urls import reverse

from . import charts, tables
from .cohort_chart import cohort_figure
from .rows import Cohort, SourcesNote, Timeline
from .selectors import DashboardSnapshot
from .tables import DataTable


@dataclasses.dataclass(frozen=True)
class Panel:
    key: str
    title: str
    summary: str
    figure: dict
    table: DataTable
    sources: SourcesNote
    csv_url: str


def _csv_url(key: str, params: QueryDict) -> str:
    query = params.urlencode()
    return reverse("dashboard:chart-csv", args=[key]) + (f"?{query}" if query else "")


def _type_links(params: QueryDict, keys: list[str]) -> dict[str, str]:
    links = {}
    for key in keys:
        query = params.copy()
        query["initiative_type"] = key
        links[key] = f"?{query.urlencode()}#matrix"
    return links


def progress_panel(snapshot: DashboardSnapshot, params: QueryDict) -> Panel:
    return Panel(
        key="progress",
        title="Progress and backsliding (Figure 6)",
        summary="Each city's bar runs to its current stage; the orange hatched part is the"
        " ground lost since its peak. Cross-hatched bars are inferred, not stated.",
        figure=charts.progress_figure(snapshot.cities, snapshot.stages),
        table=tables.progress_table(snapshot.cities, as_of=snapshot.as_of),
        sources=snapshot.assessment_sources,
        csv_url=_csv_url("progress", params),
    )


def timeline_panel(timeline: Timeline, stages, sources: SourcesNote, params: QueryDict) -> Panel:
    return Panel(
        key="timeline",
        title="Stage timeline",
        summary="Each city's published stage over time, with events marked on its line."
        " Open circles are inferred stages.",
        figure=charts.timeline_figure(timeline, stages),
        table=tables.timeline_table(timeline),
        sources=sources,
        csv_url=_csv_url("timeline", params),
    )


def distribution_panel(snapshot: DashboardSnapshot, params: QueryDict) -> Panel:
    return Panel(
        key="distribution",
        title="Stage distribution over time",
        summary="How many of the selected cities stood at each stage in each period with a"
        " published assessment; cities not yet assessed are stacked on top.",
        figure=charts.distribution_figure(snapshot.distribution, snapshot.stages),
        table=tables.distribution_table(snapshot.distribution, snapshot.stages),
        sources=snapshot.assessment_sources,
        csv_url=_csv_url("distribution", params),
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
    return [
        progress_panel(snapshot, params),
        timeline_panel(snapshot.timeline, snapshot.stages, snapshot.timeline_sources, params),
        distribution_panel(snapshot, params),
        matrix_panel(snapshot, params),
    ]


CSV_TABLES = {
    "progress": lambda s: tables.progress_table(s.cities, as_of=s.as_of),
    "stage-counts": lambda s: tables.stage_counts_table(s.cities, s.stages, as_of=s.as_of),
    "published-counts": lambda s: tables.published_counts_table(s.published_counts),
    "timeline": lambda s: tables.timeline_table(s.timeline),
    "distribution": lambda s: tables.distribution_table(s.distribution, s.stages),
    "matrix": lambda s: tables.matrix_table(s.matrix),
    "initiatives": lambda s: tables.initiatives_table(s.matrix),
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
    month_end = as_of.day == calendar.monthrange(as_of.year, as_of.month)[1]
    query["as_of"] = f"{as_of:%Y-%m}" if month_end else as_of.isoformat()
    return query


def funder_csv_url(name: str, query: QueryDict) -> str:
    return f"{reverse(name)}?{query.urlencode()}"


def cohort_panel(cohorts: list[Cohort], stages, sources: SourcesNote, query: QueryDict) -> Panel:
    return Panel(
        key="cohorts",
        title="Progress since signing, by cohort",
        summary="Each assessed city's published stage against the years since its compact was"
        " signed (counted from the start of the signing year), one colour and marker shape"
        " per cohort. Open markers are inferred stages. Cities not yet assessed are not"
        " drawn; the table lists them.",
        figure=cohort_figure(cohorts, stages),
        table=tables.cohort_table(cohorts),
        sources=sources,
        csv_url=funder_csv_url("dashboard:cohorts-csv", query),
    )
