"""The stage distribution over time: stacked bars per year on the stage scale, with
Figure 6's encodings, and the cities with no stage said in words, never drawn."""

import datetime
from itertools import permutations

import plotly.graph_objects as go

from charts import chart_style
from charts.charts import distribution_figure
from charts.rows import DistributionRow
from charts.tables import distribution_table
from common.choices import LossStatus
from tests.charts.test_chart_language import STAGES

END_2016, JUNE_2017 = datetime.date(2016, 12, 31), datetime.date(2017, 6, 30)
ROWS = [
    DistributionRow(END_2016, 2, True, "no", 2),
    DistributionRow(END_2016, None, False, "unknown", 30),
    DistributionRow(JUNE_2017, 2, True, "no", 1),
    DistributionRow(JUNE_2017, 1, True, "yes", 1),
    DistributionRow(JUNE_2017, 3, False, "possible", 1, stale=True),
    DistributionRow(JUNE_2017, None, False, "unknown", 29),
]


def _bars(figure):
    return [t for t in figure["data"] if t["type"] == "bar" and t["x"] != [None]]


def test_the_bars_stack_per_year_up_to_the_as_of_month():
    figure = distribution_figure(ROWS, STAGES)
    go.Figure(figure)

    assert figure["layout"]["barmode"] == "stack"
    assert {tuple(t["x"]) for t in _bars(figure)} == {("2016", "2017 to June")}
    basic = next(t for t in _bars(figure) if t["name"] == "Basic")
    assert basic["y"] == [2, 1]
    assert basic["marker"]["color"] == chart_style.STAGE_COLOURS[2]  # the stage scale


def test_cities_with_no_stage_are_not_drawn_but_counted_for_the_words():
    figure = distribution_figure(ROWS, STAGES)

    assert sum(sum(t["y"]) for t in _bars(figure)) == 2 + 3  # only cities with a stage
    assert figure["layout"]["meta"]["not_assessed"] == 29  # in the last period


def test_inferred_stages_are_hatched_and_losses_outlined_a_possible_one_lighter():
    bars = {t["name"]: t for t in _bars(distribution_figure(ROWS, STAGES))}

    weak = bars["Intermediate, inferred or low confidence; possible loss"]
    assert weak["marker"]["pattern"]["shape"] == chart_style.WEAK_PATTERN
    assert weak["opacity"] == chart_style.WEAK_OPACITY
    lost = bars["Emerging; lost ground since its peak"]
    assert lost["marker"]["line"]["color"] == chart_style.LOST_GROUND_COLOUR
    assert weak["marker"]["line"]["color"] != lost["marker"]["line"]["color"]
    assert weak["marker"]["line"]["width"] < lost["marker"]["line"]["width"]
    legend = [t["name"] for t in distribution_figure(ROWS, STAGES)["data"] if t["showlegend"]]
    assert legend == [
        "Emerging", "Basic", "Intermediate", "Inferred or low confidence (lighter, hatched)",
        "Lost ground since peak (orange outline)", "Possible loss (light orange outline)",
        "Stale: newest assessment over 3 years old",
    ]  # fmt: skip


def test_a_year_resting_on_stale_assessments_carries_figure_6s_hourglass():
    figure = distribution_figure(ROWS, STAGES)

    (stale,) = [t for t in figure["data"] if t["name"].startswith("Stale")]
    assert stale["x"] == ["2017 to June"]  # 2016 rests on fresh assessments only
    assert stale["marker"]["symbol"] == chart_style.STALE_SYMBOL
    assert stale["customdata"] == ["1 of 3"]


def test_the_distribution_table_comes_out_in_one_order_whatever_order_the_rows_came_in():
    end = datetime.date(2026, 12, 31)
    rows = [
        DistributionRow(end, 0, True, status, count, stale)
        for count, (status, stale) in enumerate(
            [(LossStatus.POSSIBLE, False), (LossStatus.YES, False), (LossStatus.YES, True)], 1
        )
    ]

    tables = {distribution_table(order, STAGES).rows for order in permutations(rows)}

    assert len(tables) == 1
    assert [row[3] for row in tables.pop()] == ["Yes", "Yes", "Possible loss"]
