"""How sure a stage is, in the charts: Figure 6 draws the researchers' range as a whisker on
the bar, the timeline as a band around the stage line, and both say it on hover."""

import datetime

from charts import scale
from charts.claims import CLAIM_COLUMNS, StageClaim
from charts.progress_chart import progress_figure
from charts.rows import CityStage, Timeline, TimelinePoint
from charts.timeline_chart import timeline_figure
from common.choices import StageBasis
from tests.charts.test_charts import STAGES

RANGE = StageClaim.of(
    basis="rated",
    confidence="medium",
    rating_count=3,
    rating_low_order=2,
    rating_high_order=3,
    rating_agreement="one_stage_apart",
    evidence_district_interviews=1,
    evidence_charter_interviews=2,
    evidence_sources=0,
    rating_low_name="Basic",
    rating_high_name="Intermediate",
)
AGREED = StageClaim.of(
    basis="rated",
    rating_count=2,
    rating_low_order=3,
    rating_high_order=3,
    rating_agreement="all_agree",
    evidence_district_interviews=1,
    evidence_charter_interviews=1,
    evidence_sources=0,
    rating_low_name="Intermediate",
    rating_high_name="Intermediate",
)


def _row(pk: int, name: str, claim: StageClaim | None) -> CityStage:
    return CityStage(
        pk=pk,
        name=name,
        slug=name.lower(),
        state="CO",
        signing_year=2012,
        current_order=3,
        current_name="Intermediate",
        current_period=datetime.date(2016, 1, 1),
        current_basis=StageBasis.RATED,
        peak_order=3,
        peak_name="Intermediate",
        backslid=False,
        loss_status="no",
        claim=claim,
    )


def _traces(figure: dict, name: str) -> list[dict]:
    return [trace for trace in figure["data"] if trace.get("name") == name]


def test_figure_6_draws_a_capped_whisker_from_the_lowest_to_the_highest_rating():
    figure = progress_figure([_row(1, "Denver", RANGE)], STAGES)

    [whisker] = _traces(figure, "Range of the researchers' ratings (whisker)")
    assert whisker["x"] == [scale.position(2), scale.position(3), None]
    assert whisker["y"] == ["Denver, CO", "Denver, CO", None]
    assert whisker["marker"]["symbol"] == "line-ns-open"  # the caps
    hover = whisker["customdata"][0][0].replace("<br>", " ")
    assert "Rated by 3 researchers: Basic to Intermediate; consensus Intermediate" in hover


def test_figure_6_draws_no_whisker_where_the_raters_agreed_or_nobody_rated():
    figure = progress_figure([_row(1, "Denver", AGREED), _row(2, "Boston", None)], STAGES)
    assert _traces(figure, "Range of the researchers' ratings (whisker)") == []


def test_the_timeline_draws_a_band_from_the_lowest_to_the_highest_rating():
    point = TimelinePoint(
        city_label="Denver, CO",
        period_start=datetime.date(2016, 1, 1),
        stage_order=3,
        stage_name="Intermediate",
        basis=StageBasis.RATED,
        precision="year",
        confidence="medium",
        claim=RANGE,
    )
    city = _row(1, "Denver", RANGE)
    figure = timeline_figure(
        Timeline(cities=(city,), points=(point,), events=(), as_of=datetime.date(2017, 6, 30)),
        STAGES,
    )

    bands = _traces(figure, "Range of the researchers' ratings (band)")
    band = next(trace for trace in bands if trace.get("fill") == "toself")
    assert min(band["y"]) < scale.position(2) < scale.position(3) < max(band["y"])
    assert band["x"][0] == datetime.date(2016, 1, 1)
    assert "Basic to Intermediate" in band["text"].replace("<br>", " ")
    assert any(trace.get("showlegend") for trace in bands)  # a legend entry says what it is


def test_a_stage_from_a_document_names_the_document_and_is_not_rated():
    stated = StageClaim.of(basis="stated", document="Bridging the Divide", cited_sources=1)
    inferred = StageClaim.of(basis="inferred", confidence="low", document="Collision Course")

    assert stated.basis_words(stage="Advanced") == "Stated in Bridging the Divide"
    assert inferred.words(stage="Intermediate").startswith(
        "Inferred from Collision Course · low confidence"
    )
    cells = dict(zip(CLAIM_COLUMNS, stated.cells(), strict=True))
    # Not rated: blank, never 0 ratings or an agreement.
    assert (cells["rating_count"], cells["rating_agreement"]) == (None, None)
    assert cells["evidence_sources"] == 1
