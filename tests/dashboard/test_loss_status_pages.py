"""How sure a loss is, where readers meet it: Figure 6's table and CSV, its filter, the API
and the comparison all use the one definition (compacts.standing's loss_status)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from tests.factories import (
    AssessmentFactory,
    CityFactory,
    TrajectoryFindingFactory,
    make_stages,
    user_with_role,
)

pytestmark = pytest.mark.django_db

# The seed's cities the documents say lost ground (none of them has a published stage).
LOST_GROUND_IN_THE_DOCUMENTS = {"Baltimore", "Los Angeles", "New York City", "Sacramento"}


def _progress_csv(client, query: str) -> list[dict[str, str]]:
    response = client.get(reverse("dashboard:chart-csv", args=["progress"]) + query)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.fixture
def possible_loss():
    """Denver-like: an inferred, low-confidence Intermediate peak, then a rated Basic."""
    stages = make_stages()
    city = CityFactory(name="Denver", state="CO", slug="denver-like")
    AssessmentFactory(
        city=city,
        period_start=datetime.date(2016, 1, 1),
        consensus_stage=stages["Intermediate"],
        stage_provenance="inferred",
        stage_reasoning="Read from the text.",
        stage_confidence="low",
    )
    AssessmentFactory(
        city=city, period_start=datetime.date(2018, 1, 1), consensus_stage=stages["Basic"]
    )
    return city


def test_figure_6s_csv_lists_under_no_only_cities_at_a_known_peak(client, seeded):
    listed = _progress_csv(client, "?as_of=2017-01&backslid=no")
    names = {row["City"] for row in listed}

    assert {"Boston", "New Orleans"} <= names
    assert not names & LOST_GROUND_IN_THE_DOCUMENTS
    assert all(row["Current stage"] != "Not assessed" for row in listed)
    assert {row["Loss"] for row in listed} == {"No"}
    assert {row["Backslid"] for row in listed} == {"no"}


def test_figure_6s_csv_says_unknown_for_a_city_without_a_stage(client, seeded):
    rows = {row["City"]: row for row in _progress_csv(client, "?as_of=2017-01")}

    for name in LOST_GROUND_IN_THE_DOCUMENTS:
        assert (rows[name]["Loss"], rows[name]["Backslid"]) == ("Unknown", "")
    assert (rows["Boston"]["Loss"], rows["New Orleans"]["Loss"]) == ("No", "No")


def test_a_document_naming_a_loss_reads_reported_and_is_filtered_so(client):
    city = CityFactory(name="Baltimore", state="MD")
    TrajectoryFindingFactory(city=city, naming="named", period_start=datetime.date(2016, 1, 1))

    reported = _progress_csv(client, "?as_of=2017-01&backslid=reported")
    unlisted = _progress_csv(client, "?as_of=2017-01&backslid=no")

    assert [(r["City"], r["Loss"], r["Backslid"]) for r in reported] == [
        ("Baltimore", "Reported by a document", "")
    ]
    assert unlisted == []


def test_a_loss_from_an_inferred_peak_is_possible_in_the_csv_and_the_api(client, possible_loss):
    rows = _progress_csv(client, "?as_of=2019-01&backslid=possible")
    api = client.get(reverse("cities:api-city-detail", args=[possible_loss.slug])).json()

    assert [(r["City"], r["Loss"], r["Backslid"]) for r in rows] == [
        ("Denver", "Possible loss", "")
    ]
    assert _progress_csv(client, "?as_of=2019-01&backslid=yes") == []
    assert (api["backslid"], api["backslid_status"]) == (False, "possible")


def test_the_comparison_says_how_sure_a_loss_is(client, possible_loss):
    client.force_login(user_with_role("funder", "a-funder"))
    response = client.get(reverse("dashboard:compare-csv") + "?city=denver-like&as_of=2019-01")
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(response.content.decode()))}

    assert rows["Loss (how sure)"] == ["Possible loss"]
    assert rows["Slid back (below its peak)"] == [""]


def test_figure_6_sorted_by_loss_lists_the_surest_losses_first(client):
    stages = make_stages()
    firm_loss = CityFactory(name="Firmloss", slug="firmloss")
    at_peak = CityFactory(name="Atpeak", slug="atpeak")
    CityFactory(name="Aaa-not-assessed", slug="aaa-not-assessed")
    for year, stage in [(2014, "Advanced"), (2016, "Basic")]:
        AssessmentFactory(
            city=firm_loss,
            period_start=datetime.date(year, 1, 1),
            consensus_stage=stages[stage],
            stage_provenance="stated",
        )
    AssessmentFactory(
        city=at_peak,
        period_start=datetime.date(2016, 1, 1),
        consensus_stage=stages["Embedded"],
        stage_provenance="stated",
    )

    rows = _progress_csv(client, "?as_of=2017-01&sort=loss")

    names = [row["City"] for row in rows]
    assert names.index("Firmloss") < names.index("Atpeak") < names.index("Aaa-not-assessed")
