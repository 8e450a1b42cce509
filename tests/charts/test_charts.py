"""The figure builders, on their data alone: no database, no browser."""

import dataclasses
import datetime
from types import SimpleNamespace

import plotly.graph_objects as go
import pytest

from charts import charts, scale, tables
from charts.rows import (
    CityStage,
    DistributionRow,
    Finding,
    Matrix,
    Timeline,
    TimelineEvent,
    TimelinePoint,
    TypeCount,
)
from common.choices import StageBasis

STATED = StageBasis.STATED

STAGES = [
    SimpleNamespace(order=order, key=name.lower(), name=name)
    for order, name in enumerate(
        ["Baseline", "Emerging", "Basic", "Intermediate", "Advanced", "Embedded"]
    )
]


def city(name, current=None, peak=None, basis=StageBasis.STATED, findings=()):
    names = {s.order: s.name for s in STAGES}
    return CityStage(
        pk=hash(name) % 1000,
        name=name,
        slug=name.lower(),
        state="MA",
        signing_year=2011,
        current_order=current,
        current_name=names.get(current),
        current_period=datetime.date(2016, 12, 1) if current is not None else None,
        current_basis=basis if current is not None else None,
        peak_order=peak,
        peak_name=names.get(peak),
        backslid=current is not None and peak is not None and peak > current,
        findings=tuple(findings),
    )


ROWS = [
    city("Boston", 4, 4),
    city("Denver", 3, 3, basis=StageBasis.INFERRED),
    city("Zigzag", 1, 4),
    city("Quiet"),
]


def _valid(figure: dict) -> go.Figure:
    """Raises if any attribute is not valid plotly.js."""
    return go.Figure(figure)


def _bars_ending(figure, label):
    return [
        (trace.get("base", 0) if not isinstance(trace.get("base"), list) else None, x)
        for trace in figure["data"]
        if trace["type"] == "bar" and trace.get("showlegend") is False
        for y, x in zip(trace["y"], trace["x"], strict=True)
        if y == label
    ]


def test_as_of_december_2016_bostons_bar_ends_at_advanced():
    figure = charts.progress_figure(ROWS, STAGES)
    _valid(figure)

    (bar,) = _bars_ending(figure, "Boston, MA")
    assert bar == (0, scale.position(4))
    # The label sits exactly where the bar ends, not in the middle of a band.
    assert figure["layout"]["xaxis"]["tickvals"][4] == scale.position(4)
    assert figure["layout"]["xaxis"]["ticktext"][4] == "Advanced"


def test_lost_ground_segments_exist_exactly_for_cities_below_their_peak():
    figure = charts.progress_figure(ROWS, STAGES)

    (lost,) = [t for t in figure["data"] if t["name"].startswith("Ground lost since peak")]
    assert lost["y"] == ["Zigzag, MA"]
    assert lost["base"] == [scale.position(1)]  # from Emerging's label ...
    assert lost["x"] == [scale.position(4) - scale.position(1)]  # ... to Advanced's


def test_cities_without_a_published_assessment_are_not_assessed_rows_not_baseline_bars():
    figure = charts.progress_figure(ROWS, STAGES)

    (text,) = [t for t in figure["data"] if t["name"].startswith("Not assessed")]
    assert text["y"] == ["Quiet, MA"]
    assert all("Quiet, MA" not in t["y"] for t in figure["data"] if t["type"] == "bar")


def test_inferred_stages_are_lighter_and_cross_hatched_with_a_legend_entry():
    figure = charts.progress_figure(ROWS, STAGES)

    (denver,) = [
        t
        for t in figure["data"]
        if t["type"] == "bar" and t["y"] == ["Denver, MA"] and not t.get("showlegend")
    ]
    assert denver["marker"]["pattern"]["shape"] == charts.WEAK_PATTERN
    assert denver["opacity"] < 1
    assert any(t["name"].startswith("Inferred or low confidence") for t in figure["data"])


def test_a_low_confidence_stage_is_drawn_as_weak_as_an_inferred_one():
    low = dataclasses.replace(city("Camden", 2, 2), current_confidence="low")

    (bar,) = [t for t in charts.progress_figure([low], STAGES)["data"] if t["type"] == "bar"
              and t["y"] == ["Camden, MA"] and not t.get("showlegend")]  # fmt: skip
    assert bar["marker"]["pattern"]["shape"] == charts.WEAK_PATTERN


def test_legend_lists_the_stages_shown_in_stage_order_before_anything_else():
    figure = charts.progress_figure(ROWS, STAGES)

    legend = [t["name"] for t in figure["data"] if t.get("showlegend")]
    assert legend[:3] == ["Emerging", "Intermediate", "Advanced"]  # no one at the others
    assert figure["layout"]["legend"]["traceorder"] == "normal"


def test_trajectory_findings_are_markers_on_the_row_with_evidence_on_hover():
    finding = Finding("lost_ground", "Lost ground", "Slid back.", "2013", "“quote” (Report)")
    figure = charts.progress_figure([city("Camden", findings=[finding])], STAGES)
    _valid(figure)

    (markers,) = [t for t in figure["data"] if t["name"] == "Finding: lost ground"]
    assert markers["y"] == ["Camden, MA"]
    assert "quote" in markers["customdata"][0][3]


def test_no_matching_cities_gives_an_empty_figure_with_a_message():
    for figure in (
        charts.progress_figure([], STAGES),
        charts.timeline_figure(
            Timeline((), (), (), datetime.date(2017, 1, 1)),
            STAGES,
            empty_message="No cities match these filters.",
        ),
    ):
        _valid(figure)
        assert figure["data"] == []
        assert "No cities match" in figure["layout"]["annotations"][0]["text"]


def test_a_date_before_any_assessment_gives_an_empty_distribution_with_a_message():
    figure = charts.distribution_figure([], STAGES)

    assert "No published assessment" in figure["layout"]["annotations"][0]["text"]
    only_unassessed = [DistributionRow(datetime.date(2016, 12, 31), None, False, "unknown", 3)]
    assert charts.distribution_figure(only_unassessed, STAGES)["data"] == []


def _trace(figure, name_part: str) -> dict:
    (trace,) = [t for t in figure["data"] if name_part in t["name"] and not t.get("showlegend")]
    return trace


def test_timeline_steps_through_each_city_and_marks_events_on_its_line():
    zig = city("Zigzag", 3, 4)
    points = tuple(
        TimelinePoint(
            "Zigzag, MA",
            datetime.date(year, 1, 1),
            order,
            STAGES[order].name,
            StageBasis.STATED,
            precision="year",
        )
        for year, order in [(2012, 2), (2014, 4), (2016, 1)]
    )
    event = TimelineEvent(
        "Zigzag, MA", datetime.date(2015, 6, 1), "2015", "Election", "Vote", kind="election"
    )
    figure = charts.timeline_figure(
        Timeline((zig,), points, (event,), datetime.date(2017, 1, 1)), STAGES
    )
    _valid(figure)

    solid = _trace(figure, "(solid)")
    stages_drawn = [y for y in solid["y"] if y is not None]
    assert stages_drawn[0] == scale.position(2)
    assert scale.position(4) in stages_drawn
    assert stages_drawn[-1] == scale.position(1)
    events = _trace(figure, "Event: election")
    assert events["yaxis"] == "y2"  # in the event lane under the stages, not on a stage
    assert events["y"] == [0]


def test_a_city_with_one_assessment_draws_a_single_step_and_bar():
    point = TimelinePoint(
        "Boston, MA", datetime.date(2016, 12, 1), 4, "Advanced", StageBasis.STATED
    )
    figure = charts.timeline_figure(
        Timeline((city("Boston", 4, 4),), (point,), (), datetime.date(2017, 6, 1)), STAGES
    )

    markers = [t for t in figure["data"] if t.get("mode") == "markers"]
    assert [m["y"] for m in markers] == [[scale.position(4)]]
    assert (
        len(_bars_ending(charts.progress_figure([city("Boston", 4, 4)], STAGES), "Boston, MA")) == 1
    )


def test_matrix_places_types_in_their_quadrants_and_links_each_to_its_list():
    types = (
        TypeCount(
            SimpleNamespace(
                pk=1, key="enrol", label="Common enrollment", cost="high", benefit="high"
            ),
            {"active": 2},
        ),
        TypeCount(
            SimpleNamespace(
                pk=2, key="best", label="Shared best practices", cost="low", benefit="low"
            ),
            {},
        ),
        TypeCount(
            SimpleNamespace(pk=3, key="other", label="Other", cost="", benefit=""), {"active": 1}
        ),
    )
    figure = charts.matrix_figure(Matrix(types, None, ()), {"enrol": "?initiative_type=enrol"})
    _valid(figure)

    (trace,) = figure["data"]
    assert len(trace["x"]) == 2  # "Other" is not placed in Figure 7
    place = {
        c[0]: (x, y, c[3])
        for x, y, c in zip(trace["x"], trace["y"], trace["customdata"], strict=True)
    }
    enrol_x, enrol_y, enrol_link = place["Common enrollment"]
    best_x, best_y, _ = place["Shared best practices"]
    assert enrol_x > 0.5
    assert enrol_y > 0.5
    assert best_x < 0.5
    assert best_y < 0.5
    assert enrol_link == "?initiative_type=enrol"
    assert len(figure["layout"]["shapes"]) == 4


@pytest.mark.parametrize("text", ["a < b & c", "<script>"])
def test_document_text_is_escaped_for_plotly(text):
    assert "<" not in charts._escape(text).replace("&lt;", "")


def test_a_rated_stage_reads_rated_in_the_hover_text_and_the_table():
    rated = city("Camden", 2, 2, basis=StageBasis.RATED)
    point = TimelinePoint("Camden, MA", datetime.date(2016, 12, 1), 2, "Basic", StageBasis.RATED)
    timeline = Timeline((rated,), (point,), (), datetime.date(2017, 6, 1))

    bars = charts.progress_figure([rated], STAGES)["data"]
    hover = [row for trace in bars for row in trace.get("customdata", [])]
    assert [row[2] for row in hover] == ["rated"]
    markers = [
        t for t in charts.timeline_figure(timeline, STAGES)["data"] if t.get("mode") == "markers"
    ]
    assert markers[0]["customdata"][0][2] == "rated"
    progress = tables.progress_table([rated], as_of=datetime.date(2017, 6, 1))
    assert "rated" in progress.rows[0]
    assert tables.timeline_table(timeline).rows[0][4] == "rated"


def test_a_long_data_table_shows_its_first_rows_and_points_to_the_csv():
    from charts.tables import DataTable
    from charts.templatetags.charts import HTML_ROWS, data_table

    table = DataTable(
        caption="Cities",
        columns=("City", "Stage"),
        rows=tuple((f"City {n}", "Basic") for n in range(250)),
    )
    html = data_table(table)

    assert html.count('<tr><th scope="row">') == HTML_ROWS
    assert f"the first {HTML_ROWS} of 250 rows; the CSV has all" in html
    assert table.to_csv().count("Basic") == 250
