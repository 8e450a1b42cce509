"""The funder views: comparing cities side by side and cohorts by signing year."""

import csv
import datetime
import html
import io
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from charts.claims import CLAIM_COLUMNS
from compacts.stored import refresh_stale
from dashboard.cohort_selectors import cohort_progress
from dashboard.compare_selectors import city_comparison
from tests.dashboard.test_views import _bulk_cities
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    CompactFactory,
    InitiativeFactory,
    InitiativeStatusFactory,
    InterviewFactory,
    RatingFactory,
    TrajectoryFindingFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

COMPARE = reverse("dashboard:compare")
COMPARE_CSV = reverse("dashboard:compare-csv")
COHORTS = reverse("dashboard:cohorts")
COHORTS_CSV = reverse("dashboard:cohorts-csv")
FUNDER_URLS = [COMPARE, COMPARE_CSV, COHORTS, COHORTS_CSV]


@pytest.fixture
def funder_client(client):
    client.force_login(user_with_role("funder", "a-funder"))
    return client


def _figure(response, key):
    match = re.search(
        rf'<script id="{key}-figure" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(match.group(1))


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode())))


def _html_row(row: list[str], header: list[str]) -> str:
    """A CSV row as the data_table filter renders it: the first cell a row header, every
    other cell labelled with its column (for the cards a phone shows)."""
    return f'<tr><th scope="row">{html.escape(row[0])}</th>' + "".join(
        f'<td data-label="{html.escape(label)}">{html.escape(cell)}</td>'
        for label, cell in zip(header[1:], row[1:], strict=True)
    )


# Who may see them ------------------------------------------------------------------------


@pytest.mark.parametrize("url", FUNDER_URLS)
def test_anonymous_users_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("url", FUNDER_URLS)
def test_signed_in_users_with_no_role_are_refused(client, url):
    client.force_login(UserFactory(username="no-role"))

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["funder", "researcher", "lead"])
@pytest.mark.parametrize("url", FUNDER_URLS)
def test_funders_researchers_and_leads_may_see_them(client, role, url):
    client.force_login(user_with_role(role, f"viewer-{role}"))

    assert client.get(url).status_code == 200


@pytest.mark.parametrize(("role", "shown"), [("funder", True), ("lead", True), (None, False)])
def test_the_header_and_dashboard_link_to_them_only_for_those_allowed(client, role, shown):
    if role:
        client.force_login(user_with_role(role, f"linked-{role}"))
    page = client.get(reverse("dashboard:dashboard")).content.decode()

    assert (f'href="{COMPARE}"' in page) is shown
    assert (f'href="{COHORTS}?as_of=' in page) is shown


# Compare ---------------------------------------------------------------------------------


@pytest.fixture
def compared(rise_fall_rise, boston):
    """Zigzag with a finding and initiatives, beside Boston."""
    TrajectoryFindingFactory(
        city=rise_fall_rise, period_start=datetime.date(2016, 1, 1), period_as_written="2016"
    )
    TrajectoryFindingFactory(
        city=rise_fall_rise,
        direction="progressed",
        summary="Later news.",
        period_start=datetime.date(2018, 1, 1),
    )
    active = InitiativeFactory(city=rise_fall_rise, start_year=2013)
    InitiativeStatusFactory(initiative=active, status="active", as_of_year=2015)
    stalled = InitiativeFactory(city=rise_fall_rise, start_year=2014)
    InitiativeStatusFactory(initiative=stalled, status="stalled", as_of_year=2016)
    InitiativeFactory(city=rise_fall_rise, start_year=2019)  # not started by mid-2017
    return rise_fall_rise, boston


def test_the_comparison_puts_the_cities_side_by_side_in_the_order_chosen(funder_client, compared):
    response = funder_client.get(COMPARE + "?city=zigzag&city=boston&as_of=2017-06")
    page = response.content.decode()
    rows = {
        row[0]: row[1:]
        for row in _csv(funder_client.get(COMPARE_CSV + "?city=zigzag&city=boston&as_of=2017-06"))
    }

    assert page.count("<h1") == 1
    assert rows["Measure"] == ["Zigzag, CO", "Boston, MA"]
    assert rows["Program"] == ["Gates District-Charter Collaboration Compact"] * 2
    assert rows["Signing year (cohort)"] == ["2011", "2011"]
    assert rows["Portfolio city at signing"] == ["yes", "yes"]
    assert rows["Significant Gates funding"] == ["no", "no"]
    assert rows["Current stage"] == ["Emerging", "Advanced"]
    assert rows["Peak stage"] == ["Advanced", "Advanced"]
    assert rows["Slid back (below its peak)"] == ["yes", "no"]
    assert rows["Trend (last two assessments)"] == ["Slid back", "one assessment only"]
    assert rows["Latest trajectory finding"][0].startswith("Lost ground (2016): Cooperation")
    assert rows["Latest trajectory finding"][1] == "none"
    assert rows["Initiatives: active"] == ["1", "0"]
    assert rows["Initiatives: stalled"] == ["1", "0"]
    assert rows["Initiatives: total"] == ["2", "0"]
    legend = [t["name"] for t in _figure(response, "timeline")["data"] if t.get("showlegend")]
    assert legend[:2] == [
        "Zigzag, CO · last assessed 2016",
        "Boston, MA · last assessed December 2016",
    ]


def test_the_comparison_csv_is_the_table_on_the_page(funder_client, compared):
    """Every row, apart from the machine-readable ones the page puts in words (the claim
    columns in "How sure", the old yes/blank "Slid back" in "Loss (how sure)")."""
    query = "?city=boston&city=zigzag&as_of=2019-06"
    page = funder_client.get(COMPARE + query).content.decode()
    rows = _csv(funder_client.get(COMPARE_CSV + query))
    machine = {*CLAIM_COLUMNS, "Slid back (below its peak)"}

    assert len(rows) > 10
    assert {row[0] for row in rows} >= machine
    for row in rows[1:]:
        if row[0] in machine:
            assert f'<th scope="row">{row[0]}</th>' not in page, row
        else:
            assert _html_row(row, rows[0]) in page, row
    assert f'href="{COMPARE_CSV}{html.escape(query)}"' in page


def test_a_city_not_yet_assessed_says_so(funder_client, compared):
    CityFactory(name="Quiet", slug="quiet")
    rows = {
        row[0]: row[1:] for row in _csv(funder_client.get(COMPARE_CSV + "?city=quiet&city=boston"))
    }

    assert rows["Current stage"] == ["Not assessed", "Advanced"]
    assert rows["Program"][0] == "No compact"
    assert rows["Slid back (below its peak)"] == ["", "no"]


def test_more_than_six_cities_shows_six_and_names_the_ones_left_out(funder_client, stages):
    for n in range(8):
        CityFactory(name=f"Town {n}", slug=f"town-{n}")
    query = "?" + "&".join(f"city=town-{n}" for n in range(8)) + "&city=nowhere"

    response = funder_client.get(COMPARE + query)
    page = response.content.decode()
    header = _csv(funder_client.get(COMPARE_CSV + query))[0]

    assert response.status_code == 200
    assert "You chose 8 cities; up to six can be compared at once" in page
    assert "Left out: Town 6, CO, Town 7, CO." in page
    assert "No city matches “nowhere”" in page
    assert header == ["Measure", *(f"Town {n}, CO" for n in range(6))]
    assert page.count('type="checkbox" name="city"') == 8
    assert page.count(" checked>") == 6
    # The CSV links export what the page shows: the six cities kept.
    assert "city=town-5&amp;as_of=" in page
    assert "city=town-6" not in page.split("Left out")[1]


def test_with_no_city_chosen_the_page_asks_for_some(funder_client, boston):
    page = funder_client.get(COMPARE).content.decode()

    assert "Choose up to six cities" in page
    assert 'id="timeline-chart"' not in page
    assert 'for="compare-city-boston"' in page


# Cohorts ---------------------------------------------------------------------------------


def test_years_since_signing_are_counted_from_the_signing_year_in_twelfths(stages):
    city = CompactFactory(city=CityFactory(name="Early", slug="early"), signing_year=2011).city
    for period, stage in [
        (datetime.date(2011, 1, 1), "Baseline"),
        (datetime.date(2012, 12, 1), "Basic"),
        (datetime.date(2016, 7, 1), "Advanced"),
    ]:
        AssessmentFactory(city=city, period_start=period, consensus_stage=stages[stage])

    cohorts, _, sources = cohort_progress(as_of=datetime.date(2017, 1, 31))

    (cohort,) = cohorts
    assert cohort.signing_year == 2011
    points = cohort.cities[0].points
    assert [p.years_since_signing for p in points] == [0.0, 1.92, 5.5]
    assert [p.stage_name for p in points] == ["Baseline", "Basic", "Advanced"]
    assert sources.newest_period == datetime.date(2016, 7, 1)


def test_cohorts_run_in_signing_order_with_unassessed_cities_listed_not_drawn(
    funder_client, rise_fall_rise, boston
):
    CompactFactory(city=CityFactory(name="Newcomer", slug="newcomer"), signing_year=2014)
    CityFactory(name="No compact", slug="no-compact")

    response = funder_client.get(COHORTS + "?as_of=2017-06")
    rows = _csv(funder_client.get(COHORTS_CSV + "?as_of=2017-06"))
    figure = _figure(response, "cohorts")
    page = response.content.decode()

    legend = [t["name"] for t in figure["data"] if t.get("showlegend")]
    assert legend == ["2011 cohort (2 of 2 assessed)"]  # only the cohorts drawn
    assert "Newcomer, CO" not in [t["name"] for t in figure["data"]]
    assert ["Newcomer, CO", "2014", "", "", "Not assessed", ""] in [row[:6] for row in rows]
    assert not any(row[0] == "No compact, CO" for row in rows)
    zigzag = [row for row in rows if row[0] == "Zigzag, CO"]
    assert [(row[2], row[3], row[4]) for row in zigzag] == [
        ("2012", "1.0", "Basic"),
        ("2014", "3.0", "Advanced"),
        ("2016", "5.0", "Emerging"),
    ]
    # The page shows every column but the claim columns, which only the CSV carries.
    shown = len(rows[0]) - len(CLAIM_COLUMNS)
    for row in rows[1:]:
        assert _html_row(row[:shown], rows[0][:shown]) in page, row
    assert page.count("<h1") == 1


def test_the_cohort_view_has_empty_states(funder_client, stages):
    CompactFactory(city=CityFactory(name="Waiting", slug="waiting"), signing_year=2013)

    page = funder_client.get(COHORTS + "?as_of=2017-06").content.decode()

    # A sentence instead of an empty chart box, and nothing to download.
    assert '<p class="panel__empty" id="cohorts-chart">No published assessment' in page
    assert 'id="cohorts-figure"' not in page
    assert "Download PNG" not in page


# Published data only ---------------------------------------------------------------------


def test_drafts_ratings_and_interviews_never_reach_the_funder_views(client, rise_fall_rise, stages):
    RatingFactory(
        assessment__city=rise_fall_rise,
        assessment__period_start=datetime.date(2020, 1, 1),
        stage=stages["Embedded"],
        rationale="SECRET-RATIONALE",
    )
    InterviewFactory(city=rise_fall_rise, notes="SECRET-INTERVIEW", interviewee_role="SECRET-ROLE")
    client.force_login(user_with_role("lead", "sees-everything"))
    query = "?city=zigzag&as_of=2021-01"

    pages = {url: client.get(url + query).content.decode() for url in FUNDER_URLS}

    for url, body in pages.items():
        assert "SECRET" not in body, url
        assert "2019-01" not in body, url  # the draft assessment's period
        assert "2020-01" not in body, url
    assert "Embedded" not in pages[COMPARE_CSV]
    assert "Embedded" not in pages[COHORTS_CSV]
    assert city_comparison(slugs=["zigzag"], as_of=datetime.date(2021, 1, 1))[0].current_name == (
        "Intermediate"
    )


# Query counts ----------------------------------------------------------------------------

# The same bound at both sizes: the count does not grow with cities or the cities chosen.
# One of each is the "Cite this" box's newest release.
# Two: the claims of the current stages (chart, table); two: are the stored standings current?
MAX_COMPARE_QUERIES = 21
MAX_COHORT_QUERIES = 9


@pytest.mark.parametrize(("cities", "chosen"), [(25, 2), (500, 6)])
def test_compare_query_count_does_not_grow_with_cities(
    funder_client, stages, cities, chosen, django_assert_max_num_queries
):
    _bulk_cities(cities, stages)
    ContentType.objects.clear_cache()
    query = "?" + "&".join(f"city=bulk-{i}" for i in range(chosen)) + "&as_of=2013-06"
    refresh_stale()  # the stored standings current, as after the first read since a change

    with django_assert_max_num_queries(MAX_COMPARE_QUERIES):
        response = funder_client.get(COMPARE + query)
    with django_assert_max_num_queries(MAX_COMPARE_QUERIES):
        funder_client.get(COMPARE_CSV + query)

    assert response.status_code == 200
    assert len(_figure(response, "timeline")["data"]) >= chosen


@pytest.mark.parametrize("cities", [25, 500])
def test_cohort_query_count_does_not_grow_with_cities(
    funder_client, stages, cities, django_assert_max_num_queries
):
    _bulk_cities(cities, stages)
    ContentType.objects.clear_cache()

    with django_assert_max_num_queries(MAX_COHORT_QUERIES):
        response = funder_client.get(COHORTS + "?as_of=2013-06")
    with django_assert_max_num_queries(MAX_COHORT_QUERIES):
        funder_client.get(COHORTS_CSV + "?as_of=2013-06")

    assert response.status_code == 200
    # + a legend entry per cohort, and the city names beside the lines' ends
    assert len(_figure(response, "cohorts")["data"]) == cities + 5 + 1


@pytest.mark.parametrize(
    "url", [COMPARE_CSV + "?city=boston&as_of=2017-13", COHORTS_CSV + "?as_of=9999-12"]
)
def test_a_funder_csv_refuses_a_month_it_cannot_read_as_the_chart_csvs_do(
    funder_client, boston, url
):
    response = funder_client.get(url)

    assert response.status_code == 400
    assert response.content.decode().startswith("Not understood, nothing exported: as_of:")
