"""How sure a stage is, on the city page, in the API and in the assessments CSV: basis,
confidence, the researchers' range and the evidence per side; never a name, a rationale or
an interviewee."""

import csv
import io

import pytest
from django.urls import reverse

from charts.claims import CLAIM_COLUMNS
from tests.claims import RATIONALES, publish_rated_range
from tests.factories import AssessmentFactory, CityFactory, SourceFactory, cite, make_stages

pytestmark = pytest.mark.django_db

RANGE_WORDS = "Rated by 2 researchers: Basic to Intermediate; consensus Intermediate"
SECRETS = (*RATIONALES, "Secret note", "Jane Secret")


@pytest.fixture
def ranged():
    return publish_rated_range(city=CityFactory(name="Rangeville", slug="rangeville"))


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_city_page_says_the_range_basis_confidence_and_evidence_in_words(client, ranged):
    page = _text(client.get(reverse("cities:city-detail", args=["rangeville"])))

    assert RANGE_WORDS in page
    assert "1 district-side interview, 1 charter-side interview" in page
    for secret in SECRETS:
        assert secret not in page


def test_a_stage_taken_from_a_document_names_the_document_on_the_city_page(client):
    stages = make_stages()
    city = CityFactory(slug="statedville")
    stated = AssessmentFactory(
        city=city, consensus_stage=stages["Advanced"], stage_provenance="stated"
    )
    cite(stated, source=SourceFactory(title="Bridging the Divide"), field="consensus_stage")

    page = _text(client.get(reverse("cities:city-detail", args=["statedville"])))

    assert "Stated in Bridging the Divide" in page
    assert "Rated by" not in page


def test_the_city_page_says_how_sure_a_loss_is(client):
    stages = make_stages()
    city = CityFactory(slug="slidetown")
    AssessmentFactory(
        city=city,
        period_start="2014-01-01",
        consensus_stage=stages["Intermediate"],
        stage_provenance="inferred",
        stage_reasoning="Read from the text.",
        stage_confidence="low",
    )
    AssessmentFactory(city=city, period_start="2016-01-01", consensus_stage=stages["Basic"])

    page = _text(client.get(reverse("cities:city-detail", args=["slidetown"])))

    assert "<strong>Possible loss</strong>" in page


def test_the_api_carries_the_claim_columns_for_the_city_and_each_assessment(client, ranged):
    data = client.get(reverse("cities:api-city-detail", args=["rangeville"])).json()

    current = data["current_stage_claim"]
    assert (current["rating_count"], current["rating_low_stage"], current["rating_high_stage"]) == (
        2,
        "Basic",
        "Intermediate",
    )
    [assessment] = data["assessments"]
    assert {k: assessment[k] for k in CLAIM_COLUMNS} == current
    assert assessment["rating_agreement"] == "one_stage_apart"
    assert (assessment["evidence_district_interviews"], assessment["basis"]) == (1, "rated")
    listed = client.get(reverse("cities:api-city-list")).json()["results"]
    assert [c["current_stage_claim"]["rating_count"] for c in listed] == [2]
    for secret in SECRETS:
        assert secret not in str(data)


def test_the_assessments_csv_carries_the_claim_columns(client, ranged):
    response = client.get(reverse("cities:assessments-csv"))
    [row] = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert set(CLAIM_COLUMNS) <= set(row)
    assert (row["rating_count"], row["rating_low_stage"], row["rating_high_stage"]) == (
        "2",
        "Basic",
        "Intermediate",
    )
    assert (row["basis"], row["rating_agreement"], row["evidence_charter_interviews"]) == (
        "rated",
        "one_stage_apart",
        "1",
    )
