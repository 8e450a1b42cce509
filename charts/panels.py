"""A chart as a panel: its figure, the same numbers as a table, the CSV link and the
sources note, laid out as one unit by templates/dashboard/includes/panel.html. Built from
rows handed in; the page that shows a panel passes its CSV URL."""

from __future__ import annotations

import dataclasses

from . import charts, tables
from .cohort_chart import cohort_figure
from .rows import Cohort, SourcesNote, Timeline
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


def timeline_panel(timeline: Timeline, stages, sources: SourcesNote, csv_url: str) -> Panel:
    return Panel(
        key="timeline",
        title="Stage timeline",
        summary="Each city's published stage over time, with events marked on its line."
        " Open circles are inferred stages.",
        figure=charts.timeline_figure(timeline, stages),
        table=tables.timeline_table(timeline),
        sources=sources,
        csv_url=csv_url,
    )


def cohort_panel(cohorts: list[Cohort], stages, sources: SourcesNote, csv_url: str) -> Panel:
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
        csv_url=csv_url,
    )
