"""The map's figure, a pure function of plain rows."""

from types import SimpleNamespace

import plotly.graph_objects as go

from charts.chart_style import NOT_ASSESSED_COLOUR, STAGE_COLOURS, STALE_SYMBOL
from charts.map_chart import EMPTY, MapPoint, map_figure, map_table

STAGES = [
    SimpleNamespace(order=order, name=name)
    for order, name in enumerate(
        ["Baseline", "Emerging", "Basic", "Intermediate", "Advanced", "Embedded"]
    )
]


def _point(label, order, *, stale=False, lat=42.0):
    return MapPoint(
        label=label,
        latitude=lat,
        longitude=-71.0,
        stage_order=order,
        stage_name=STAGES[order].name if order is not None else "",
        period_label="January 2017" if order is not None else "",
        stale=stale,
    )


def test_the_map_is_a_valid_plotly_geo_figure_of_the_usa():
    figure = map_figure([_point("Boston, MA", 4, stale=True)], STAGES, stale_years=3)

    go.Figure(figure)  # raises on anything plotly.js would not draw
    assert figure["layout"]["geo"]["scope"] == "usa"
    assert {t["type"] for t in figure["data"]} == {"scattergeo"}


def test_markers_take_their_stage_colour_and_stale_ones_the_hourglass():
    figure = map_figure(
        [_point("Boston, MA", 4, stale=True), _point("Denver, CO", 4), _point("Austin, TX", None)],
        STAGES,
        stale_years=3,
    )
    drawn = {t["name"]: t for t in figure["data"] if t["lat"] != [None]}

    assert drawn["Advanced"]["marker"]["color"] == STAGE_COLOURS[4]
    assert drawn["Advanced"]["marker"]["symbol"] == [STALE_SYMBOL, "circle"]
    assert drawn["Not assessed"]["marker"]["color"] == NOT_ASSESSED_COLOUR
    assert drawn["Advanced"]["mode"] == "markers"  # labels on hover or tap, no permanent text


def test_each_legend_symbol_means_one_thing():
    figure = map_figure(
        [_point("Boston, MA", 4, stale=True), _point("Chicago, IL", 3)], STAGES, stale_years=3
    )
    legend = [t for t in figure["data"] if t.get("showlegend")]

    assert [t["marker"]["symbol"] for t in legend] == ["circle", "circle", STALE_SYMBOL]
    assert [t["name"] for t in legend][:2] == ["Intermediate", "Advanced"]


def test_on_a_phone_markers_shrink_and_stale_ones_stay_larger():
    figure = map_figure(
        [_point("Boston, MA", 4, stale=True), _point("Lawrence, MA", 4)], STAGES, stale_years=3
    )
    sizes = figure["layout"]["meta"]["narrow"]["data"]["marker.size"]

    assert sizes[0] == [11, 7]


def test_a_locality_without_coordinates_is_in_the_table_not_on_the_map():
    unplaced = MapPoint("Spring Branch, TX", None, None, None, "", "", False)
    figure = map_figure([unplaced], STAGES, stale_years=3)
    table = map_table([unplaced], as_of_label="December 2026")

    assert figure["data"] == []
    assert figure["layout"]["meta"]["empty"] == EMPTY
    assert table.rows[0][0] == "Spring Branch, TX"
    assert "not on the map" in table.rows[0]
