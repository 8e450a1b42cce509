"""A release carries how sure each stage is (the claim columns, described in its codebook)
and each city's loss status as of the release date; its page says "reported" only for what
a reader could know by then (the dashboard's knowledge-date rule)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from charts.claims import CLAIM_COLUMNS
from releases import services
from releases.codebook import BY_NAME
from releases.models import Release
from tests.claims import RATIONALES, publish_rated_range
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    SourceFactory,
    TrajectoryFindingFactory,
    cite,
    make_stages,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def _release(number: str = "2026.1") -> dict[str, list[dict]]:
    services.release_create(user=user_with_role("lead"), number=number, note="Claims.")
    files = {
        f.name: bytes(f.content).decode() for f in Release.objects.get(number=number).files.all()
    }
    return files


def _table(files: dict, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files[f"data/{name}.csv"])))


def test_a_release_carries_the_range_and_basis_of_each_assessment(client):
    publish_rated_range(city=CityFactory(name="Rangeville", slug="rangeville"))
    files = _release()

    [row] = _table(files, "assessments")
    assert set(CLAIM_COLUMNS) <= set(row)
    assert (row["rating_count"], row["rating_low_stage"], row["rating_high_stage"]) == (
        "2",
        "Basic",
        "Intermediate",
    )
    assert (row["basis"], row["rating_agreement"]) == ("rated", "one_stage_apart")
    assert set(CLAIM_COLUMNS) <= {f.name for f in BY_NAME["assessments"].fields}
    for secret in RATIONALES:
        assert not any(secret in content for content in files.values())
    page = client.get(reverse("releases:release-detail", args=["2026.1"])).content.decode()
    assert "ratings (whisker)" in page


def test_a_release_carries_each_citys_loss_status(client):
    stages = make_stages()
    denver = CityFactory(name="Denver", slug="denver")
    AssessmentFactory(
        city=denver,
        period_start=datetime.date(2014, 1, 1),
        consensus_stage=stages["Intermediate"],
        stage_provenance="inferred",
        stage_reasoning="Read from the text.",
        stage_confidence="low",
    )
    AssessmentFactory(
        city=denver, period_start=datetime.date(2016, 1, 1), consensus_stage=stages["Basic"]
    )
    CityFactory(name="Boston", slug="boston")

    standings = {row["city"]: row for row in _table(_release(), "standings")}

    assert standings["denver"]["loss_status"] == "possible"
    assert (standings["denver"]["current_stage"], standings["denver"]["peak_stage"]) == (
        "Basic",
        "Intermediate",
    )
    assert standings["boston"]["loss_status"] == "unknown"


def test_a_release_page_does_not_report_a_loss_from_a_document_published_after_it(client):
    later = SourceFactory(title="Written later", published_on=datetime.date(2099, 1, 1))
    earlier = SourceFactory(title="Written before", published_on=datetime.date(2014, 1, 1))
    for slug, source in (("baltimore", later), ("oakland", earlier)):
        finding = TrajectoryFindingFactory(
            city=CityFactory(name=slug.title(), slug=slug), naming="named"
        )
        cite(finding, source=source, quote="lost ground over the years")

    _release()
    response = client.get(reverse("releases:release-detail", args=["2026.1"]))
    table = response.context["panel"].table
    loss = table.columns.index("Loss")

    assert {row[0]: row[loss] for row in table.rows} == {
        "Baltimore": "Unknown",
        "Oakland": "Reported by a document",
    }
