"""Agreement over time: alpha per period and per pair of researchers, on first ratings."""

import datetime

import plotly.graph_objects as go
import pytest
from django.urls import reverse

from charts.agreement_chart import AlphaPoint, agreement_over_time_figure
from tests.factories import AssessmentFactory, CityFactory, RatingFactory, user_with_role
from workspace import selectors
from workspace.agreement import alpha_by_period_and_pair

# (assessment, year, rater, stage order): in 2016 five assessments rated by a and b as
# (1,1) (2,2) (3,2) (4,4) (2,3) — alpha 1 - 324/1520 = 0.78684, worked by hand in
# test_calibration's five-case example; in 2017 two assessments, too few.
ROWS = [
    *[(n, 2016, "a", a) for n, a in enumerate([1, 2, 3, 4, 2])],
    *[(n, 2016, "b", b) for n, b in enumerate([1, 2, 2, 4, 3])],
    (10, 2017, "a", 1),
    (10, 2017, "b", 2),
    (11, 2017, "a", 3),
    (11, 2017, "c", 3),
]


def test_alpha_per_period_counts_each_periods_assessments_and_says_when_too_few():
    by_period, _ = alpha_by_period_and_pair(ROWS, minimum=5)

    assert by_period[2016].alpha == pytest.approx(1 - 324 / 1520)
    assert (by_period[2016].cases, by_period[2016].label) == (5, "0.787")
    assert (by_period[2017].cases, by_period[2017].label) == (2, "not enough cases")


def test_alpha_per_pair_uses_only_the_assessments_both_rated():
    _, by_pair = alpha_by_period_and_pair(ROWS, minimum=5)

    assert set(by_pair) == {("a", "b"), ("a", "c")}
    assert by_pair[("a", "b")].cases == 6
    assert by_pair[("a", "c")].cases == 1
    assert by_pair[("a", "c")].label == "not enough cases"


@pytest.mark.django_db
def test_agreement_over_time_measures_first_submitted_ratings(stages):
    a, b = user_with_role("researcher", "a"), user_with_role("researcher", "b")
    assessment = AssessmentFactory(
        city=CityFactory(), period_start=datetime.date(2016, 1, 1), status="draft",
        published_at=None,
    )  # fmt: skip
    RatingFactory(assessment=assessment, rater=a, stage=stages["Basic"])
    changed = RatingFactory(assessment=assessment, rater=b, stage=stages["Advanced"])
    changed.stage = stages["Basic"]  # changed after seeing a's rating
    changed.save()

    over_time = selectors.agreement_over_time()

    assert over_time.by_pair[("a", "b")].cases == 1
    # First ratings Basic and Advanced disagree (alpha 0 on one unit); the current ones,
    # both Basic, would leave alpha undefined.
    assert over_time.points == [AlphaPoint(2016, 0.0, 1, False)]


def test_the_chart_draws_only_periods_with_enough_cases_as_a_line():
    figure = agreement_over_time_figure(
        [AlphaPoint(2016, 0.787, 5, True), AlphaPoint(2017, None, 2, False)]
    )

    go.Figure(figure)  # valid plotly.js
    line, short = figure["data"]
    assert (line["x"], line["y"]) == ([2016], [0.787])
    assert short["x"] == [2017]
    assert "not enough cases" in short["hovertemplate"]


def test_the_chart_says_so_when_nothing_is_rated_twice():
    assert agreement_over_time_figure([])["layout"]["meta"]["empty"]


@pytest.mark.django_db
def test_a_lead_sees_the_chart_and_tables_on_the_agreement_page(client, stages):
    a, b = user_with_role("researcher", "alice"), user_with_role("researcher", "bob")
    assessment = AssessmentFactory(
        city=CityFactory(), period_start=datetime.date(2016, 1, 1), status="draft",
        published_at=None,
    )  # fmt: skip
    RatingFactory(assessment=assessment, rater=a, stage=stages["Basic"])
    RatingFactory(assessment=assessment, rater=b, stage=stages["Advanced"])
    client.force_login(user_with_role("lead"))

    page = client.get(reverse("workspace:agreement")).content.decode()

    assert 'id="agreement-over-time-figure"' in page
    assert "alice and bob" in page
    assert "not enough cases" in page
