"""Figure 6 leads with what is known: it draws the cities with a published stage or a
trajectory finding, and says the rest in one expandable line under the chart, as of the
chosen month. Its findings column names each finding's report and date, oldest first."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from tests.factories import (
    AssessmentFactory,
    CityFactory,
    SourceFactory,
    TrajectoryFindingFactory,
    cite,
)

pytestmark = pytest.mark.django_db
URL = reverse("dashboard:dashboard")


def _figure(html: str) -> dict:
    match = re.search(
        r'<script id="progress-figure" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(match.group(1))


def _left_out(html: str) -> tuple[str, list[str]]:
    """The line under Figure 6 and the cities it lists."""
    block = html.split('id="progress-left-out"')[1].split("</details>")[0]
    summary = re.search(r"<summary>(.*?)</summary>", block).group(1)
    return summary, re.findall(r'<a href="/cities/[^"]+/">([^<]+)</a>', block)


@pytest.fixture
def cities(stages):
    """Boston has a stage; Baltimore a finding of 2016 from a report of 2017; Oakland and
    Tulsa have neither."""
    AssessmentFactory(
        city=CityFactory(name="Boston", slug="boston", state="MA"),
        period_start=datetime.date(2016, 12, 1),
        consensus_stage=stages["Advanced"],
    )
    finding = TrajectoryFindingFactory(
        city=CityFactory(name="Baltimore", slug="baltimore", state="MD"),
        direction="stalled",
        period_start=datetime.date(2016, 1, 1),
        period_precision="year",
        period_as_written="",
    )
    cite(finding, source=SourceFactory(title="Bridging the Divide", published_on="2017-01-01"))
    CityFactory(name="Oakland", slug="oakland", state="CA")
    CityFactory(name="Tulsa", slug="tulsa", state="OK")


@pytest.mark.usefixtures("cities")
def test_cities_with_no_stage_and_no_finding_collapse_into_one_line_under_the_chart(client):
    html = client.get(URL, {"as_of": "2018-06"}).content.decode()

    drawn = _figure(html)["layout"]["yaxis"]["categoryarray"]
    assert set(drawn) == {"Boston, MA", "Baltimore, MD"}
    summary, listed = _left_out(html)
    assert summary == "2 cities with no published stage or finding by June 2018"
    assert listed == ["Oakland, CA", "Tulsa, OK"]


@pytest.mark.usefixtures("cities")
def test_the_line_is_as_of_the_chosen_month_a_finding_counts_once_its_report_is_out(client):
    html = client.get(URL, {"as_of": "2016-12"}).content.decode()

    assert _figure(html)["layout"]["yaxis"]["categoryarray"] == ["Boston, MA"]
    summary, listed = _left_out(html)
    assert summary.startswith("3 cities with no published stage or finding by December 2016")
    assert listed == ["Baltimore, MD", "Oakland, CA", "Tulsa, OK"]


def test_no_line_when_every_city_has_a_stage_or_finding(client, stages):
    AssessmentFactory(
        city=CityFactory(name="Boston", slug="boston"), consensus_stage=stages["Basic"]
    )

    html = client.get(URL).content.decode()

    assert "progress-left-out" not in html


def test_findings_are_named_by_report_and_date_oldest_first(client, stages):
    baltimore = CityFactory(name="Baltimore", slug="baltimore", state="MD")
    later = TrajectoryFindingFactory(
        city=baltimore, direction="lost_ground", period_start=None, period_precision="unknown",
        period_as_written="",
    )  # fmt: skip
    cite(later, source=SourceFactory(title="Collision Course: Embracing Politics",
                                     published_on=None, known_no_earlier_than="2017-08-01",
                                     date_precision="unknown"))  # fmt: skip
    earlier = TrajectoryFindingFactory(
        city=baltimore, direction="stalled", period_start=datetime.date(2017, 1, 1),
        period_precision="month", period_as_written="",
    )  # fmt: skip
    cite(earlier, source=SourceFactory(title="Bridging the Divide", published_on="2017-01-01"))

    figure = _figure(client.get(URL, {"as_of": "2018-06"}).content.decode())

    (labels,) = [t for t in figure["data"] if t["name"] == "Finding: report and date"]
    assert labels["text"] == [
        "Bridging the Divide<br>January 2017",
        "Collision Course<br>undated, report after Aug 2017",
    ]
    assert labels["x"][0] < labels["x"][1]  # the older one first
    stalled = next(t for t in figure["data"] if t["name"] == "Finding: stalled")
    lost = next(t for t in figure["data"] if t["name"] == "Finding: lost ground")
    assert stalled["x"] == [0]
    assert lost["x"] == [1]
    heading = figure["layout"]["xaxis2"]
    assert heading["ticktext"] == ["Findings, oldest first (report, date)"]
    assert heading["range"][0] <= heading["tickvals"][0] <= heading["range"][1]  # drawn


@pytest.mark.usefixtures("cities")
def test_the_embed_says_which_cities_it_leaves_out(client):
    html = client.get(reverse("embed:figure6"), {"as_of": "2018-06"}).content.decode()

    assert "Not drawn: 2 cities with no published stage or finding by June 2018." in html
