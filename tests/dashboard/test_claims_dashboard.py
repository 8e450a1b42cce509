"""How sure a stage is, on the dashboard and the funder's comparison: Figure 6's and the
timeline's CSV carry the claim columns, and compare says the range in words and in its CSV."""

import csv
import io

import pytest
from django.urls import reverse

from charts.claims import CLAIM_COLUMNS
from tests.claims import RATIONALES, publish_rated_range
from tests.factories import CityFactory, CompactFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranged():
    return publish_rated_range(city=CityFactory(name="Rangeville", slug="rangeville"))


def _rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_figure_6_csv_carries_the_range_and_basis(client, ranged):
    [row] = _rows(client.get(reverse("dashboard:chart-csv", args=["progress"])))

    assert set(CLAIM_COLUMNS) <= set(row)
    assert (row["rating_low_stage"], row["rating_high_stage"], row["rating_count"]) == (
        "Basic",
        "Intermediate",
        "2",
    )
    assert row["How sure (basis, ratings, evidence)"].startswith(
        "Rated by 2 researchers: Basic to Intermediate; consensus Intermediate"
    )


def test_the_dashboard_draws_the_whisker_on_figure_6(client, ranged):
    response = client.get(reverse("dashboard:dashboard"))
    assert "ratings (whisker)" in response.content.decode()


def test_the_timeline_csv_carries_the_range(client, ranged):
    url = reverse("dashboard:chart-csv", args=["timeline"]) + "?city=rangeville"
    [row] = _rows(client.get(url))
    assert (row["rating_low_stage"], row["rating_high_stage"], row["basis"]) == (
        "Basic",
        "Intermediate",
        "rated",
    )


def test_compare_says_the_range_in_words_and_its_csv_carries_it(client, ranged):
    client.force_login(user_with_role("funder"))
    query = "?city=rangeville&as_of=2026-01"

    page = " ".join(client.get(reverse("dashboard:compare") + query).content.decode().split())
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("dashboard:compare-csv") + query).content.decode())
        )
    )

    assert "Rated by 2 researchers: Basic to Intermediate; consensus Intermediate" in page
    measures = {row[0]: row[1] for row in rows[1:]}
    assert (measures["rating_low_stage"], measures["rating_high_stage"]) == (
        "Basic",
        "Intermediate",
    )
    assert measures["rating_agreement"] == "one_stage_apart"
    for secret in RATIONALES:
        assert secret not in page


def test_the_cohorts_csv_carries_the_range(client):
    city = CityFactory(name="Cohortville", slug="cohortville")
    CompactFactory(city=city, signing_year=2012)
    publish_rated_range(city=city)
    client.force_login(user_with_role("funder"))

    rows = [r for r in _rows(client.get(reverse("dashboard:cohorts-csv"))) if r["rating_count"]]

    assert [(r["rating_low_stage"], r["rating_high_stage"]) for r in rows] == [
        ("Basic", "Intermediate")
    ]
