"""The cohort figure builder and its table, on plain data: no database, no browser."""

import datetime
from types import SimpleNamespace

import plotly.graph_objects as go

from charts import scale
from charts.claims import CLAIM_COLUMNS
from charts.cohort_chart import COHORT_COLOURS, cohort_figure, cohort_label
from charts.rows import Cohort, CohortCity, CohortPoint
from charts.tables import cohort_table
from common.choices import StageBasis

STAGES = [
    SimpleNamespace(order=order, key=name.lower(), name=name)
    for order, name in enumerate(
        ["Baseline", "Emerging", "Basic", "Intermediate", "Advanced", "Embedded"]
    )
]


def point(
    period: str, years: float, order: int, basis: StageBasis = StageBasis.STATED
) -> CohortPoint:
    year, month = (int(part) for part in period.split("-"))
    return CohortPoint(
        period_start=datetime.date(year, month, 1),
        years_since_signing=years,
        stage_order=order,
        stage_name=STAGES[order].name,
        basis=basis,
    )


COHORTS = [
    Cohort(
        signing_year=2010,
        cities=(
            CohortCity("Denver, CO", (point("2012-01", 2.0, 2), point("2016-07", 6.5, 4))),
            CohortCity("Quiet, MD", ()),
        ),
    ),
    Cohort(
        signing_year=2011,
        cities=(CohortCity("Boston, MA", (point("2017-01", 6.0, 3, basis=StageBasis.INFERRED),)),),
    ),
    Cohort(signing_year=2014, cities=(CohortCity("Newcomer, FL", ()),)),
]


def _drawn(figure: dict) -> dict[str, dict]:
    return {
        t["name"]: t for t in figure["data"] if t.get("showlegend") is False and t["mode"] != "text"
    }


def _names(figure: dict) -> dict[str, tuple[float, float]]:
    """The direct labels: text -> where it sits."""
    (names,) = [t for t in figure["data"] if t["mode"] == "text"]
    return {text: (x, y) for text, x, y in zip(names["text"], names["x"], names["y"], strict=True)}


def test_the_figure_is_valid_plotly():
    go.Figure(cohort_figure(COHORTS, STAGES))


def test_each_city_is_drawn_against_years_since_signing():
    drawn = _drawn(cohort_figure(COHORTS, STAGES))

    assert set(drawn) == {"Denver, CO", "Boston, MA"}
    assert drawn["Denver, CO"]["x"] == [2.0, 6.5]
    # On the one stage scale of every chart: Basic and Advanced at their label positions.
    assert [round(y) for y in drawn["Denver, CO"]["y"]] == [scale.position(2), scale.position(4)]
    assert drawn["Denver, CO"]["line"]["shape"] == "hv"
    assert drawn["Denver, CO"]["customdata"][1][:3] == ["July 2016", "6.5", "Advanced"]


def test_cities_not_assessed_are_not_drawn_as_baseline():
    figure = cohort_figure(COHORTS, STAGES)

    names = [t["name"] for t in figure["data"]]
    assert "Quiet, MD" not in names
    assert "Newcomer, FL" not in names
    baseline = scale.position(0)
    assert all(baseline not in [round(y) for y in t["y"] if y is not None] for t in figure["data"])


def test_the_legend_lists_only_the_cohorts_drawn_in_signing_order():
    figure = cohort_figure(COHORTS, STAGES)

    legend = [t["name"] for t in figure["data"] if t.get("showlegend")]
    assert legend == ["2010 cohort (1 of 2 assessed)", "2011 cohort (1 of 1 assessed)"]
    assert figure["layout"]["legend"]["traceorder"] == "normal"


def test_one_colour_per_cohort_and_assessment_circles_open_for_inferred_stages():
    drawn = _drawn(cohort_figure(COHORTS, STAGES))

    assert drawn["Denver, CO"]["line"]["color"] == COHORT_COLOURS[0]
    assert drawn["Boston, MA"]["line"]["color"] == COHORT_COLOURS[1]
    assert drawn["Denver, CO"]["marker"]["symbol"] == ["circle", "circle"]
    assert drawn["Boston, MA"]["marker"]["symbol"] == ["circle-open"]
    assert drawn["Denver, CO"]["legendgroup"] != drawn["Boston, MA"]["legendgroup"]


def test_cities_of_one_cohort_share_its_colour_and_legend_entry():
    cohort = Cohort(
        signing_year=2012,
        cities=(
            CohortCity("A, TX", (point("2013-01", 1.0, 1),)),
            CohortCity("B, TX", (point("2014-01", 2.0, 2),)),
        ),
    )
    figure = cohort_figure([cohort], STAGES)

    drawn = _drawn(figure)
    assert drawn["A, TX"]["line"]["color"] == drawn["B, TX"]["line"]["color"]
    assert drawn["A, TX"]["legendgroup"] == drawn["B, TX"]["legendgroup"]
    assert [t["name"] for t in figure["data"] if t.get("showlegend")] == [
        "2012 cohort (2 of 2 assessed)"
    ]
    # Two cities at the same place are nudged apart so neither hides the other.
    emerging, basic = scale.position(1), scale.position(2)
    assert drawn["A, TX"]["y"][0] - emerging != drawn["B, TX"]["y"][0] - basic
    assert abs(drawn["A, TX"]["y"][0] - emerging) < 0.1


def test_the_axes_are_years_since_signing_and_stages():
    layout = cohort_figure(COHORTS, STAGES)["layout"]

    assert layout["xaxis"]["title"]["text"] == "Years since the compact was signed"
    assert layout["xaxis"]["range"] == [-0.5, 7.5]
    assert layout["yaxis"]["ticktext"] == [s.name for s in STAGES]
    assert layout["yaxis"]["tickvals"] == [scale.position(s.order) for s in STAGES]


def test_each_line_is_named_at_its_last_point():
    names = _names(cohort_figure(COHORTS, STAGES))

    assert set(names) == {"Denver, CO", "Boston, MA"}
    x, y = names["Denver, CO"]
    assert x == 6.5  # at its last point, July 2016 ...
    assert round(y) == scale.position(4)  # ... at Advanced


def test_cities_ending_at_the_same_spot_share_one_label_with_both_names():
    cohorts = [
        Cohort(2010, (CohortCity("Denver, CO", (point("2016-01", 6.0, 3),)),)),
        Cohort(2011, (CohortCity("Boston, MA", (point("2017-01", 6.0, 3),)),)),
    ]

    assert list(_names(cohort_figure(cohorts, STAGES))) == ["Denver, CO<br>Boston, MA"]


def test_neighbouring_names_on_one_stage_alternate_above_and_below():
    cohorts = [
        Cohort(2010, (CohortCity("Boston, MA", (point("2016-01", 6.0, 4),)),)),
        Cohort(2011, (CohortCity("New Orleans, LA", (point("2017-01", 7.0, 4),)),)),
    ]
    (names,) = [t for t in cohort_figure(cohorts, STAGES)["data"] if t["mode"] == "text"]

    # Both in the right half of the plot: the names run leftwards, clear of its edge.
    assert names["textposition"] == ["top left", "bottom left"]


def test_empty_states():
    no_cohorts = cohort_figure([], STAGES)
    none_assessed = cohort_figure([Cohort(2014, (CohortCity("Newcomer, FL", ()),))], STAGES)

    assert no_cohorts["data"] == []
    assert "signing year" in no_cohorts["layout"]["annotations"][0]["text"]
    assert none_assessed["data"] == []
    assert "No published assessment" in none_assessed["layout"]["annotations"][0]["text"]
    go.Figure(no_cohorts)


def test_the_table_holds_exactly_the_points_drawn_then_the_cities_not_assessed():
    figure = cohort_figure(COHORTS, STAGES)
    table = cohort_table(COHORTS)

    drawn_points = [(t["name"], x) for t in _drawn(figure).values() for x in t["x"]]
    table_points = [(row[0], row[3]) for row in table.rows if row[4] != "Not assessed"]
    assert sorted(drawn_points) == sorted(table_points)
    assert table.rows == (
        ("Denver, CO", 2010, "January 2012", 2.0, "Basic", "stated"),
        ("Denver, CO", 2010, "July 2016", 6.5, "Advanced", "stated"),
        ("Quiet, MD", 2010, "", "", "Not assessed", ""),
        ("Boston, MA", 2011, "January 2017", 6.0, "Intermediate", "inferred"),
        ("Newcomer, FL", 2014, "", "", "Not assessed", ""),
    )
    # The CSV adds the claim columns (charts.claims) after the table's own.
    columns = ("City", "Cohort (signing year)", "Period", "Years since signing", "Stage", "Basis")
    assert table.to_csv().splitlines()[0] == ",".join((*columns, *CLAIM_COLUMNS))


def test_cohort_labels_count_the_assessed_cities():
    assert cohort_label(COHORTS[0]) == "2010 cohort (1 of 2 assessed)"
    assert cohort_label(COHORTS[2]) == "2014 cohort (none of 1 assessed)"


def test_a_rated_stage_reads_rated_in_the_cohort_hover_text_and_table():
    cohort = Cohort(
        2012, (CohortCity("Camden, NJ", (point("2016-12", 4.9, 2, StageBasis.RATED),)),)
    )

    trace = next(t for t in cohort_figure([cohort], STAGES)["data"] if t.get("customdata"))
    assert trace["customdata"][0][3] == "rated"
    assert cohort_table([cohort]).rows[0][5] == "rated"
