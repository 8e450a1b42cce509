"""A chart as a panel: its figure, the same numbers as a table, the CSV link, how fresh its
data is and the sources note, laid out as one unit by
templates/dashboard/includes/panel.html. Built from rows handed in; the page that shows a
panel passes its CSV URL."""

from __future__ import annotations

import dataclasses

from . import charts, freshness, tables
from .chart_style import empty_message
from .cohort_chart import cohort_figure
from .rows import Cohort, SourcesNote, Timeline
from .tables import DataTable


@dataclasses.dataclass(frozen=True)
class Pager:
    """Where a long chart is split into pages: which rows this page shows, and its
    neighbours' URLs ("" at either end)."""

    label: str
    previous_url: str
    next_url: str


@dataclasses.dataclass(frozen=True)
class LeftOut:
    """Rows a chart leaves out, said in one line under it: "31 cities with no published
    stage or finding", expandable to the list (name, link)."""

    summary: str
    items: tuple[tuple[str, str], ...]
    more: int = 0  # how many more are not listed (the chart's CSV has every one)


@dataclasses.dataclass(frozen=True)
class Panel:
    key: str
    title: str
    summary: str
    figure: dict
    table: DataTable
    sources: SourcesNote
    csv_url: str
    freshness: str = ""  # "Newest published assessment: January 2017, 9 years before ..."
    notice: str = ""  # what a reader must know first, e.g. that every city is stale
    embed_url: str = ""  # an /embed/ page other sites may frame, if the chart has one
    pager: Pager | None = None  # a chart of more rows than fit one page
    left_out: LeftOut | None = None  # rows not drawn, listed in one line under the chart

    @property
    def empty(self) -> str:
        """The sentence shown instead of an empty chart ("" when the chart draws)."""
        return empty_message(self.figure)

    @property
    def has_rows(self) -> bool:
        return bool(self.table.rows)


def freshness_note(sources: SourcesNote, as_of) -> str:
    return freshness.freshness_note(
        sources.newest_period, sources.newest_precision, as_of, freshness.stale_after_years()
    )


def embed_dateline(sources: SourcesNote, as_of) -> dict[str, str]:
    """An embed's date in words: its as-of month, the data's age, the stale warning."""
    return freshness.dateline(
        sources.newest_period, sources.newest_precision, as_of, freshness.stale_after_years()
    )


def timeline_panel(
    timeline: Timeline,
    stages,
    sources: SourcesNote,
    csv_url: str,
    *,
    empty_message: str = "No city chosen for the timeline.",
) -> Panel:
    return Panel(
        key="timeline",
        title="Stage timeline",
        summary="Each city's published stage over time, with its events in a lane of their"
        " own under the stages. A solid line covers an assessed period; a dashed line and an"
        " open circle, an inferred or low-confidence stage; a faded dotted line, years with no"
        " assessment.",
        figure=charts.timeline_figure(timeline, stages, empty_message=empty_message),
        table=tables.timeline_table(timeline),
        sources=sources,
        csv_url=csv_url,
        freshness=freshness_note(sources, timeline.as_of) if timeline.cities else "",
    )


def cohort_panel(
    cohorts: list[Cohort], stages, sources: SourcesNote, csv_url: str, *, as_of
) -> Panel:
    return Panel(
        key="cohorts",
        title="Progress since signing, by cohort",
        summary="Each assessed city's published stage against the years since its compact was"
        " signed (counted from the start of the signing year), one colour per cohort, each"
        " city named at its point. Open circles are inferred or low-confidence stages. Cities"
        " not yet assessed are not drawn; the table lists them.",
        figure=cohort_figure(cohorts, stages),
        table=tables.cohort_table(cohorts),
        sources=sources,
        csv_url=csv_url,
        freshness=freshness_note(sources, as_of),
    )
