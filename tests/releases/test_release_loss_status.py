"""A release's Figure 6 says how sure each loss is, from the release's own files, by the
live pages' one definition (compacts.standing)."""

import datetime

import pytest
from django.urls import reverse

from releases import services
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    TrajectoryFindingFactory,
    make_stages,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def test_a_release_names_a_possible_and_a_reported_loss_from_its_own_files(client):
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
    baltimore = CityFactory(name="Baltimore", slug="baltimore")
    TrajectoryFindingFactory(city=baltimore, naming="named")
    CityFactory(name="Boston", slug="boston")
    services.release_create(user=user_with_role("lead"), number="2026.1", note="Current.")

    response = client.get(reverse("releases:release-detail", args=["2026.1"]))
    table = response.context["panel"].table
    loss, backslid = table.columns.index("Loss"), table.columns.index("Backslid")

    assert {row[0]: (row[loss], row[backslid]) for row in table.rows} == {
        "Denver": ("Possible loss", ""),
        "Baltimore": ("Reported by a document", ""),
        "Boston": ("Unknown", ""),
    }
    assert "Intermediate (possible loss)</td>" in " ".join(response.content.decode().split())
