import csv
import datetime
import io
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cities.models import City, Event
from compacts.models import Assessment, Compact, Initiative, TrajectoryFinding
from dashboard.presenters import FIGURE6_PAGE_SIZE
from tests.factories import (
    InitiativeTypeFactory,
    InterviewFactory,
    RatingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("dashboard:dashboard")


def _figure(response, key):
    match = re.search(
        rf'<script id="{key}-figure" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(match.group(1))


def _csv(client, chart, query=""):
    response = client.get(reverse("dashboard:chart-csv", args=[chart]) + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_dashboard_has_one_h1_four_charts_and_a_table_under_each(client, boston):
    response = client.get(URL)
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("<h1") == 1
    for key in ("progress", "timeline", "distribution"):
        assert f'id="{key}-chart"' in html
        assert _figure(response, key)["layout"]
    # No initiative type is placed on Figure 7 here: a sentence, not an empty chart.
    assert '<p class="panel__empty" id="matrix-chart">' in html
    assert html.count('<table class="dash-table') >= 4
    assert "vendor/plotly/plotly-basic.min.js" in html
    assert "cdn" not in html.lower()


def test_every_form_control_has_a_label(client, boston):
    html = client.get(URL).content.decode()

    ids = re.findall(r'<(?:select|input)[^>]*\bid="([^"]+)"', html)
    assert ids
    for control_id in ids:
        assert f'for="{control_id}"' in html, control_id


def test_filters_and_as_of_come_from_the_url_and_reach_the_csv(client, rise_fall_rise, boston):
    query = "?as_of=2017-06&backslid=yes"

    figure = _figure(client.get(URL + query), "progress")
    rows = _csv(client, "progress", query)

    (lost,) = [t for t in figure["data"] if t["name"].startswith("Ground lost since peak")]
    assert lost["y"] == ["Zigzag, CO"]
    assert rows[0][:4] == ["City", "State", "Signing year", "Current stage"]
    assert [row[0] for row in rows[1:]] == ["Zigzag"]
    assert rows[1][3] == "Emerging"
    assert rows[0][7] == "Peak stage"
    assert rows[1][7] == "Advanced"


def test_csv_of_each_chart_matches_its_html_table(client, rise_fall_rise, boston):
    query = "?as_of=2019-06"
    html = client.get(URL + query).content.decode()

    for chart in ("progress", "timeline", "distribution", "matrix"):
        rows = _csv(client, chart, query)
        for row in rows[1:]:
            assert f'<th scope="row">{row[0]}</th>' in html, (chart, row)
    distribution = _csv(client, "distribution", query)
    assert distribution[0] == [
        "Period", "Stage", "Inferred or low confidence", "Loss since peak", "Cities",
    ]  # fmt: skip
    assert {row[0] for row in distribution[1:]} >= {"2018", "2019 to June"}
    assert sum(int(row[4]) for row in distribution[1:] if row[0] == "2019 to June") == 2


def test_an_unknown_chart_has_no_csv(client):
    assert client.get(reverse("dashboard:chart-csv", args=["secrets"])).status_code == 404


def test_drafts_ratings_and_interviews_never_reach_the_dashboard_even_signed_in(
    client, rise_fall_rise, stages
):
    rating = RatingFactory(
        assessment__city=rise_fall_rise,
        assessment__period_start=datetime.date(2020, 1, 1),
        stage=stages["Embedded"],
        rationale="SECRET-RATIONALE",
    )
    InterviewFactory(city=rise_fall_rise, notes="SECRET-INTERVIEW", interviewee_role="SECRET-ROLE")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    pages = [client.get(URL + "?as_of=2021-01").content.decode()]
    pages += [
        client.get(reverse("dashboard:chart-csv", args=[chart]) + "?as_of=2021-01").content.decode()
        for chart in ("progress", "timeline", "distribution", "matrix", "stage-counts")
    ]

    for page in pages:
        assert "SECRET" not in page
        assert "Embedded (" not in page
    figure = _figure(client.get(URL + "?as_of=2021-01"), "progress")
    assert all(
        trace["y"] != ["Zigzag, CO"]
        for trace in figure["data"]
        if trace["name"] == "Embedded" and trace.get("showlegend") is False
    )
    assert rating.assessment.status == Assessment.Status.DRAFT


def test_the_timeline_page_overlays_the_chosen_cities(client, rise_fall_rise, boston):
    response = client.get(reverse("dashboard:timeline") + "?city=zigzag&city=boston&as_of=2019-06")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    legend = [t["name"] for t in _figure(response, "timeline")["data"] if t.get("showlegend")]
    assert legend[:2] == [
        "Zigzag, CO · last assessed 2018",
        "Boston, MA · last assessed December 2016",
    ]


def test_clicking_a_type_lists_its_initiatives(client, boston):
    from tests.factories import InitiativeFactory

    kind = InitiativeTypeFactory()
    InitiativeFactory(city=boston, type=kind, title="OneApp-like enrollment")

    response = client.get(URL + f"?initiative_type={kind.key}")

    assert "OneApp-like enrollment" in response.content.decode()
    matrix = _figure(response, "matrix")
    assert matrix["data"][0]["customdata"][0][3].startswith("?")


def _bulk_cities(count: int, stages: dict) -> None:
    """Many cities with compacts, quarterly published assessments, findings, events and
    initiatives, created in bulk: the dashboard's query count must not depend on them."""
    cities = City.objects.bulk_create(
        City(
            slug=f"bulk-{i}", name=f"Bulk {i:04d}", state="TX", entity_name="x", kind="compact_city"
        )
        for i in range(count)
    )
    Compact.objects.bulk_create(
        Compact(city=c, program="gates_dccc", signing_year=2010 + i % 5)
        for i, c in enumerate(cities)
    )
    order = list(stages.values())
    now = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    Assessment.objects.bulk_create(
        Assessment(
            city=c,
            period_start=datetime.date(2012 + q // 4, 1 + 3 * (q % 4), 1),
            period_precision="quarter",
            consensus_stage=order[(i + q) % 6],
            status="published",
            published_at=now,
        )
        for i, c in enumerate(cities)
        for q in range(4)
    )
    TrajectoryFinding.objects.bulk_create(
        TrajectoryFinding(
            key=f"f-{c.pk}", city=c, direction="stalled", summary="s",
            period_start=datetime.date(2013, 1, 1), period_precision="year",
        )
        for c in cities
    )  # fmt: skip
    kind = InitiativeTypeFactory()
    Initiative.objects.bulk_create(
        Initiative(key=f"i-{c.pk}", city=c, type=kind, title="t") for c in cities
    )
    event = Event.objects.create(
        key=f"e-{count}", kind="signing", title="Signed", date_precision="unknown"
    )
    event.cities.add(*cities)


# The same bound at both sizes: the count does not grow with cities or assessments. The
# first view after a write also refreshes the stored standings of the cities it changed
# (compacts.stored: a fixed number of queries whatever their number; one when none is).
# The distribution over time reads the stored year ends (after counting the cities to know
# they are all of them); the findings known by the month are one query (Figure 6's rows,
# its sources, the lost-ground counts), the published figures known by then one (the stage
# counts and the lost-ground counts beside Figure 6), the current stages' claims of the
# cities drawn one, the three sources notes one.
MAX_QUERIES = 36


@pytest.mark.parametrize("cities", [25, 500])
def test_dashboard_query_count_does_not_grow_with_cities(
    client, stages, cities, django_assert_max_num_queries
):
    _bulk_cities(cities, stages)
    ContentType.objects.clear_cache()  # the same cold cache at both sizes

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(URL + "?as_of=2013-06&initiative_type=common-enrollment")

    assert response.status_code == 200
    bars = _figure(response, "progress")["layout"]["yaxis"]["categoryarray"]
    assert len(bars) == min(cities, FIGURE6_PAGE_SIZE)


def test_figure_6_of_many_cities_comes_in_pages_and_the_picker_stays_short(client, stages):
    _bulk_cities(130, stages)
    first = client.get(URL + "?as_of=2013-06")
    last = client.get(URL + "?as_of=2013-06&cities_page=6")

    html = first.content.decode()
    assert len(_figure(first, "progress")["layout"]["yaxis"]["categoryarray"]) == 25
    assert "Cities 1\N{EN DASH}25 of 130" in html
    assert "cities_page=2#progress" in html
    assert len(_figure(last, "progress")["layout"]["yaxis"]["categoryarray"]) == 5
    assert "Cities 126\N{EN DASH}130 of 130" in last.content.decode()
    assert html.count('class="picker__item"') == 60
    assert "and 70 more cities" in html
    rows = _csv(client, "progress", "?as_of=2013-06")[1:]
    assert len([row for row in rows if row[0].startswith("Bulk ")]) == 130
