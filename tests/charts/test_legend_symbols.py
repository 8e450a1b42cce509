"""One visual vocabulary: a marker shape means one thing on every chart of the site. Every
chart builder is fed data that draws every kind of mark it has, and the legends of all of
them are pooled: a shape that stands for two things (a finding and an event, say) fails."""

import dataclasses
import datetime
from collections import defaultdict

from charts import chart_style
from charts.charts import distribution_figure
from charts.cohort_chart import cohort_figure
from charts.progress_chart import progress_figure
from charts.rows import (
    Cohort,
    CohortCity,
    CohortPoint,
    DistributionRow,
    Finding,
    Timeline,
    TimelineEvent,
    TimelinePoint,
)
from charts.timeline_chart import timeline_figure
from cities.models import EventKind
from common.choices import StageBasis
from compacts.models import TrajectoryDirection
from tests.charts.test_chart_language import NOVEMBER_2026, STAGES, row


def meaning(name: str) -> str:
    """What a legend entry stands for: a finding or an event of its kind, stale data, or
    else an assessment (a city's, a cohort's, a line style's)."""
    if name.startswith(("Finding:", "Event:")):
        return name
    if name.startswith("Stale"):
        return "stale"
    return "assessment"


def every_figure() -> list[dict]:
    findings = tuple(
        Finding(direction, label, "Summary.", "2016", "", report="A report", date_label="2016")
        for direction, label in TrajectoryDirection.choices
    )
    boston = dataclasses.replace(row("Boston", 4), findings=findings)
    progress = progress_figure([boston, row("Denver", 2, 3, state="CO")], STAGES,
                               as_of=NOVEMBER_2026)  # fmt: skip
    day = datetime.date(2014, 5, 1)
    events = tuple(
        TimelineEvent(label, day, "", kind_label, "Title", kind=kind)
        for label in ("Boston, MA", "Denver, CO")
        for kind, kind_label in EventKind.choices
    )
    points = (
        TimelinePoint("Boston, MA", datetime.date(2012, 1, 1), 2, "Basic", StageBasis.STATED),
        TimelinePoint("Boston, MA", datetime.date(2016, 1, 1), 4, "Advanced", StageBasis.INFERRED),
        TimelinePoint("Denver, CO", datetime.date(2015, 1, 1), 3, "Intermediate", StageBasis.RATED),
    )
    one_city = Timeline((boston,), points[:2], events[: len(EventKind.choices)], NOVEMBER_2026)
    two_cities = Timeline((boston, row("Denver", 3, state="CO")), points, events, NOVEMBER_2026)
    cohorts = [
        Cohort(
            year,
            (
                CohortCity(
                    f"City {year}",
                    (CohortPoint(datetime.date(year + 2, 1, 1), 2.0, 2, "Basic",
                                 StageBasis.INFERRED if year % 2 else StageBasis.STATED),),
                ),
            ),
        )
        for year in range(2008, 2016)
    ]  # fmt: skip
    distribution = distribution_figure(
        [
            DistributionRow(datetime.date(2016, 12, 31), 2, True, "no", 1),
            DistributionRow(datetime.date(2016, 12, 31), 3, False, "possible", 1),
        ],
        STAGES,
    )
    return [
        progress,
        timeline_figure(one_city, STAGES),
        timeline_figure(two_cities, STAGES),
        cohort_figure(cohorts, STAGES),
        distribution,
    ]


def shapes_and_meanings(figures: list[dict]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for figure in figures:
        for name, symbol in chart_style.legend_symbols(figure).items():
            found[symbol].add(meaning(name))
    return found


def test_no_shape_means_two_things_on_any_chart():
    found = shapes_and_meanings(every_figure())

    assert {symbol: meanings for symbol, meanings in found.items() if len(meanings) > 1} == {}
    # Every finding and event kind was drawn, so the check covered them all.
    assert {m for ms in found.values() for m in ms if m.startswith("Finding:")} == {
        f"Finding: {label.lower()}" for _, label in TrajectoryDirection.choices
    }
    assert len({m for ms in found.values() for m in ms if m.startswith("Event:")}) == len(
        EventKind.choices
    )


def test_the_check_catches_a_shape_with_two_meanings():
    stalled_square = {"data": [{"name": "Finding: stalled", "mode": "markers", "showlegend": True,
                                "marker": {"symbol": "square"}}]}  # fmt: skip
    policy_square = {"data": [{"name": "Event: policy", "mode": "markers", "showlegend": True,
                               "marker": {"symbol": "square"}}]}  # fmt: skip

    assert shapes_and_meanings([stalled_square, policy_square]) == {
        "square": {"Finding: stalled", "Event: policy"}
    }


def test_findings_and_events_have_shapes_of_their_own_and_no_look_alike_stars():
    finding_shapes = {symbol for symbol, _ in chart_style.FINDING_STYLES.values()}
    event_shapes = set(chart_style.EVENT_SYMBOLS.values()) | {chart_style.OTHER_EVENT_SYMBOL}

    assert not finding_shapes & event_shapes
    assert chart_style.ASSESSMENT_SYMBOL not in finding_shapes | event_shapes
    assert chart_style.STALE_SYMBOL not in finding_shapes | event_shapes
    assert not {"star", "hexagram"} & (finding_shapes | event_shapes)
