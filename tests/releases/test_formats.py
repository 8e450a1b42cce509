"""Releases are never rewritten: an older format's page says what it lacks, and its Figure 6
uses the live pages' definitions."""

import datetime
import hashlib
from pathlib import Path

import pytest
from django.urls import reverse

from releases import services
from releases.models import Release, ReleaseFile
from tests.factories import AssessmentFactory, CityFactory, make_stages, user_with_role

pytestmark = pytest.mark.django_db

# A real format-1 package, as the code before format 2 wrote it: Denver slid from Advanced
# (2013) to Basic (2016); Boston has no stage.
FORMAT_1 = Path(__file__).parent / "format_1"


@pytest.fixture
def format_1_release():
    release = Release.objects.create(
        number="2025.1", note="The first format.", created_by=user_with_role("lead")
    )
    for path in sorted(p for p in FORMAT_1.rglob("*") if p.is_file()):
        content = path.read_bytes()
        ReleaseFile.objects.create(
            release=release,
            name=path.relative_to(FORMAT_1).as_posix(),
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
        )
    return release


def _backslid(panel) -> dict[str, str]:
    column = panel.table.columns.index("Backslid")
    return {row[0]: row[column] for row in panel.table.rows}


def test_an_old_format_release_page_shows_an_erratum_listing_what_it_lacks(
    client, format_1_release
):
    response = client.get(reverse("releases:release-detail", args=["2025.1"]))
    page = response.content.decode()

    assert response.context["erratum"].format == 1
    assert "Erratum: an older format" in page
    for lacking in (
        "Sources",
        "Initiative types (Figure 7)",
        "Initiative figures",
        "Discrepancies",
        "Research findings",
        "Context factors",
        "City notes",
        "Revision log",
    ):
        assert f"<li>{lacking}</li>" in page, lacking
    assert "Events" not in response.context["erratum"].missing_tables
    lacking_fields = dict(response.context["erratum"].missing_fields)
    assert "comparison" in lacking_fields["Published figures"]
    assert "Published figures: " in page


def test_an_old_format_release_page_computes_backsliding_as_the_live_pages_do(
    client, format_1_release
):
    panel = client.get(reverse("releases:release-detail", args=["2025.1"])).context["panel"]

    assert _backslid(panel) == {"Denver": "yes", "Boston": ""}


def test_a_current_release_has_no_erratum_and_never_reads_no_for_a_city_without_a_stage(client):
    stages = make_stages()
    denver = CityFactory(name="Denver", slug="denver")
    AssessmentFactory(
        city=denver, period_start=datetime.date(2016, 1, 1), consensus_stage=stages["Basic"]
    )
    CityFactory(name="Boston", slug="boston")
    services.release_create(user=user_with_role("lead"), number="2026.1", note="Current.")

    response = client.get(reverse("releases:release-detail", args=["2026.1"]))

    assert response.context["erratum"] is None
    assert "Erratum" not in response.content.decode()
    assert _backslid(response.context["panel"]) == {"Denver": "no", "Boston": ""}
