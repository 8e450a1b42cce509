"""The timeline speaks the site's one visual vocabulary: one city in ink, several in colours
that follow the city from chart to chart, and events in a lane of their own under the
stages (never at a stage, never piled on one spot)."""

import datetime

import plotly.graph_objects as go

from charts import chart_style
from charts.rows import Timeline
from charts.timeline_chart import timeline_figure
from tests.charts.test_chart_language import NOVEMBER_2026, STAGES, event, point, row

BOSTON, DENVER = row("Boston", 4), row("Denver", 3, state="CO")


def _line_colours(figure) -> set[str]:
    return {t["line"]["color"] for t in figure["data"] if "line" in t and "legendgroup" in t
            and not t["legendgroup"].startswith(("event-", "style-"))}  # fmt: skip


def test_a_chart_of_one_city_draws_it_in_ink():
    timeline = Timeline(
        (BOSTON,),
        (point("Boston, MA", datetime.date(2017, 1, 1), 4),),
        (event("Boston, MA", datetime.date(2015, 1, 1), "grant"),),
        NOVEMBER_2026,
    )
    figure = timeline_figure(timeline, STAGES)

    assert _line_colours(figure) == {chart_style.INK}
    (grant,) = [t for t in figure["data"] if t["name"] == "Event: grant" and not t["showlegend"]]
    assert grant["marker"]["line"]["color"] == [chart_style.INK]


def test_a_city_keeps_its_colour_whichever_other_cities_share_the_chart():
    slugs = ["boston", "denver", "new-orleans", "chicago", "central-falls", "camden"]
    alone_with = {
        other: chart_style.city_colours(["boston", other])["boston"] for other in slugs[1:]
    }
    all_six = chart_style.city_colours(slugs)

    own = chart_style.CITY_COLOURS[chart_style.city_colour_index("boston")]
    clashes = [o for o in slugs[1:] if chart_style.city_colour_index(o) ==
               chart_style.city_colour_index("boston")]  # fmt: skip
    assert clashes or set(alone_with.values()) == {own}
    assert len(set(all_six.values())) == len(slugs)  # and never two cities in one colour


def test_events_sit_in_their_own_lane_under_the_stage_axis_stacked_when_close():
    may = datetime.date(2011, 5, 1)
    timeline = Timeline(
        (BOSTON, DENVER),
        (point("Boston, MA", datetime.date(2017, 1, 1), 4),),
        (
            event("Boston, MA", may, "signing"),
            event("Denver, CO", may.replace(day=20), "signing"),
            event("Boston, MA", may, "grant"),
            event("Denver, CO", datetime.date(2014, 3, 1), "policy"),
        ),
        NOVEMBER_2026,
    )
    figure = timeline_figure(timeline, STAGES)
    go.Figure(figure)

    events = [t for t in figure["data"] if t["name"].startswith("Event:") and not t["showlegend"]]
    assert {t["yaxis"] for t in events} == {"y2"}
    placed = sorted((x, y) for t in events for x, y in zip(t["x"], t["y"], strict=True))
    assert sorted(y for x, y in placed if x.year == 2011) == [0, 1, 2]  # one row each
    assert [y for x, y in placed if x.year == 2014] == [0]  # a month of its own: first row
    layout = figure["layout"]
    assert layout["yaxis2"]["ticktext"] == ["Events"]
    assert layout["yaxis2"]["domain"][1] < layout["yaxis"]["domain"][0]  # under the stages
    assert "Not assessed" not in layout["yaxis"]["ticktext"]
    assert layout["xaxis"]["anchor"] == "y2"  # the years under the lane


def test_a_timeline_without_events_has_no_lane():
    timeline = Timeline((BOSTON,), (point("Boston, MA", datetime.date(2017, 1, 1), 4),), (),
                        NOVEMBER_2026)  # fmt: skip

    assert "yaxis2" not in timeline_figure(timeline, STAGES)["layout"]
