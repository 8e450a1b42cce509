"""Figure 6 draws a possible loss apart from a firm one: lighter, with a dashed edge, and
named so in the legend, the hover and the table."""

import dataclasses
import datetime

import plotly.graph_objects as go

from charts import charts, scale, tables
from common.choices import LossStatus, StageBasis
from tests.charts.test_charts import STAGES, city

FIRM = dataclasses.replace(city("Hartford", 1, 4), loss_status=LossStatus.YES)
POSSIBLE = dataclasses.replace(
    city("Denver", 2, 3, basis=StageBasis.RATED), backslid=False, loss_status=LossStatus.POSSIBLE
)
AT_PEAK = dataclasses.replace(city("Boston", 4, 4), loss_status=LossStatus.NO)
ROWS = [AT_PEAK, POSSIBLE, FIRM]


def _trace(figure, prefix):
    (trace,) = [t for t in figure["data"] if t["name"].startswith(prefix)]
    return trace


def test_a_possible_loss_is_drawn_lighter_with_a_dashed_edge_and_named_in_legend_and_hover():
    figure = charts.progress_figure(ROWS, STAGES)
    go.Figure(figure)  # valid plotly.js

    firm = _trace(figure, "Ground lost since peak")
    possible = _trace(figure, "Possible loss since peak")
    (edge,) = figure["layout"]["shapes"]

    assert firm["y"] == ["Hartford, MA"]
    assert possible["y"] == ["Denver, MA"]
    assert possible["opacity"] < 1
    assert possible["showlegend"] is True
    assert "Possible loss" in possible["hovertemplate"]
    assert possible["customdata"] == [["Intermediate", "Basic", "Possible loss"]]
    assert edge["line"]["dash"] == "dash"
    assert (edge["x0"], edge["x1"]) == (scale.position(2), scale.position(3))
    assert edge["y0"] < 1 < edge["y1"]  # Denver is the second row


def test_the_phone_layout_keeps_the_dashed_edge_on_its_thinner_bar_and_says_possible_loss():
    figure = charts.progress_figure(ROWS, STAGES)
    narrow = figure["layout"]["meta"]["narrow"]["layout"]

    (edge,) = narrow["shapes"]
    headings = [a["text"] for a in narrow["annotations"]]

    (wide,) = figure["layout"]["shapes"]
    assert edge["y1"] - edge["y0"] < wide["y1"] - wide["y0"]
    assert any("Denver" in h and "possible loss" in h for h in headings)


def test_figure_6s_table_names_each_loss_and_keeps_backslid_for_older_clients():
    table = tables.progress_table(ROWS, as_of=datetime.date(2017, 1, 31))
    loss = table.columns.index("Loss")
    backslid = table.columns.index("Backslid")

    assert [(r[0], r[loss], r[backslid]) for r in table.rows] == [
        ("Boston", "No", "no"),
        ("Denver", "Possible loss", ""),
        ("Hartford", "Yes", "yes"),
    ]
