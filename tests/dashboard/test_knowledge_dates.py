"""Knowledge from documents has a date: a finding, published figure or event drawn from a
document shows in an as-of view only from its document's month (or the month it is known no
earlier than), and never before the period it describes has ended."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from cities.models import Event
from compacts.models import PublishedFigure, TrajectoryFinding
from dashboard.presenters import CSV_TABLES
from tests.factories import (
    CityFactory,
    EventFactory,
    PublishedFigureFactory,
    SourceFactory,
    TrajectoryFindingFactory,
    cite,
    user_with_role,
)

pytestmark = pytest.mark.django_db

PLANTED = "Cooperation collapsed after the planted superintendent left."
PLANTED_SOURCE = "A planted report on collaboration"

CHART_CSVS = list(CSV_TABLES)  # every chart CSV the dashboard serves, the map's included


@pytest.fixture
def planted():
    """A city a finding names as having lost ground in 2015, whose only source is dated
    August 2017."""
    city = CityFactory(name="Plantville", state="WA", slug="plantville")
    finding = TrajectoryFindingFactory(
        city=city,
        naming="named",
        summary=PLANTED,
        period_start=datetime.date(2015, 1, 1),
        period_precision="month",
        period_as_written="January 2015",
    )
    source = SourceFactory(title=PLANTED_SOURCE, published_on=datetime.date(2017, 8, 1))
    cite(finding, source=source, quote="cooperation collapsed after the superintendent left")
    return city


def _public_answers(client, as_of: str) -> dict[str, str]:
    """Every public page type as of ``as_of``: what an anonymous reader (or, for compare and
    cohorts, a funder) gets."""
    query = f"?as_of={as_of}"
    urls = {
        "dashboard": reverse("dashboard:dashboard") + query,
        "timeline": reverse("dashboard:timeline") + query + "&city=plantville",
        "figure-6 embed": reverse("embed:figure6") + query,
        "timeline embed": reverse("embed:timeline") + query + "&city=plantville",
        "city timeline embed": reverse("cities:city-timeline-embed", args=["plantville"]) + query,
        "map": reverse("dashboard:map") + query,
        "api city": reverse("cities:api-city-detail", args=["plantville"]) + query,
        "api list": reverse("cities:api-city-list") + query,
    }
    urls |= {
        f"{chart} csv": reverse("dashboard:chart-csv", args=[chart]) + query + "&city=plantville"
        for chart in CHART_CSVS
    }
    answers = {name: _get(client, url) for name, url in urls.items()}
    client.force_login(user_with_role("funder", "a-funder"))
    compare = f"?city=plantville&as_of={as_of}"
    answers["compare"] = _get(client, reverse("dashboard:compare") + compare)
    answers["compare csv"] = _get(client, reverse("dashboard:compare-csv") + compare)
    answers["cohorts"] = _get(client, reverse("dashboard:cohorts") + query)
    answers["cohorts csv"] = _get(client, reverse("dashboard:cohorts-csv") + query)
    client.logout()
    return answers


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_no_public_answer_shows_a_finding_before_its_document_was_out(client, planted):
    before = _public_answers(client, "2015-06")
    after = _public_answers(client, "2017-09")

    assert [name for name, body in before.items() if PLANTED in body] == []
    assert [name for name, body in before.items() if PLANTED_SOURCE in body] == []
    shown_after = {name for name, body in after.items() if PLANTED in body}
    assert {"dashboard", "figure-6 embed", "progress csv", "compare", "compare csv"} <= (
        shown_after
    )
    assert "api city" in shown_after


def test_the_api_says_reported_only_once_the_document_was_out(client, planted):
    url = reverse("cities:api-city-detail", args=["plantville"])

    before = client.get(url + "?as_of=2015-06").json()
    after = client.get(url + "?as_of=2017-09").json()

    assert (before["backslid_status"], before["findings"]) == ("unknown", [])
    assert after["backslid_status"] == "reported"
    assert [f["summary"] for f in after["findings"]] == [PLANTED]


def test_the_api_refuses_an_as_of_that_is_not_a_past_month(client, planted):
    url = reverse("cities:api-city-detail", args=["plantville"])

    # As the dashboard reads a month: YYYY-MM exactly, this month or an earlier one.
    for bad in ["June 2015", "2015-13", "2015-00", "9999-01", "1-01", "2016-6", "02016-06"]:
        response = client.get(url, {"as_of": bad})
        assert response.status_code == 400
        assert "as_of must be a month" in response.json()["error"]


def test_the_city_page_waits_for_a_document_dated_after_this_month(client, planted):
    later = TrajectoryFindingFactory(
        city=planted,
        summary="A finding from a document not yet out.",
        period_start=None,
        period_precision="unknown",
        period_as_written="",
    )
    cite(later, source=SourceFactory(published_on=datetime.date(2999, 1, 1)), quote="not yet out")

    page = _get(client, planted.get_absolute_url())

    assert PLANTED in page
    assert "A finding from a document not yet out." not in page


def test_a_finding_shows_only_once_the_period_it_describes_has_ended():
    city = CityFactory()
    TrajectoryFindingFactory(city=city, period_start=datetime.date(2015, 1, 1))  # year 2015

    def known(as_of):
        return TrajectoryFinding.objects.known_by(as_of).exists()

    assert not known(datetime.date(2015, 11, 30))
    assert known(datetime.date(2015, 12, 31))


def test_an_undated_document_dates_its_finding_by_the_month_it_is_known_no_earlier_than():
    finding = TrajectoryFindingFactory(period_start=None, period_precision="unknown")
    undated = SourceFactory(
        published_on=None, date_precision="unknown", known_no_earlier_than=datetime.date(2017, 8, 1)
    )
    cite(finding, source=undated)

    assert not TrajectoryFinding.objects.known_by(datetime.date(2017, 7, 31)).exists()
    assert TrajectoryFinding.objects.known_by(datetime.date(2017, 8, 31)).exists()


def test_published_figures_and_events_wait_for_their_document_too():
    figure = PublishedFigureFactory(as_of=datetime.date(2015, 1, 1))
    event = EventFactory(occurred_on=datetime.date(2015, 3, 1), date_precision="month")
    later = SourceFactory(published_on=datetime.date(2017, 8, 1))
    cite(figure, source=later)
    cite(event, source=later)

    for model in (PublishedFigure, Event):
        assert not model.objects.known_by(datetime.date(2015, 6, 30)).exists(), model
        assert model.objects.known_by(datetime.date(2017, 9, 30)).exists(), model


def test_researchers_assessments_stay_placed_by_the_period_they_rate(client):
    from tests.factories import AssessmentFactory, make_stages

    stages = make_stages()
    city = CityFactory(slug="rated-late")
    AssessmentFactory(
        city=city, period_start=datetime.date(2015, 1, 1), consensus_stage=stages["Basic"]
    )

    api = client.get(reverse("cities:api-city-detail", args=["rated-late"]) + "?as_of=2015-06")

    assert api.json()["current_stage"] == "Basic"


def _figure_6_findings(client, as_of: str) -> list[str]:
    response = client.get(reverse("dashboard:chart-csv", args=["progress"]) + f"?as_of={as_of}")
    rows = csv.DictReader(io.StringIO(response.content.decode()))
    return [row["Trajectory findings"] for row in rows if row["Trajectory findings"]]


def test_collision_courses_findings_are_absent_from_figure_6s_csv_as_of_june_2015(client, seeded):
    before = _figure_6_findings(client, "2015-06")
    after = _figure_6_findings(client, "2017-09")

    assert [cell for cell in before if "Collision Course" in cell] == []
    assert any("Collision Course" in cell for cell in after)
