"""Releases freeze the published data as a valid Data Package that never changes."""

import datetime
import hashlib
import io
import json
import zipfile

import frictionless
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cities.models import City
from compacts.models import Assessment, Stage
from releases import codebook, services
from releases.models import Release
from tests.factories import AssessmentFactory, CityFactory, make_stages, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(seed_snapshot, db):
    seed_snapshot.restore()  # the rows `manage.py seed` writes, seeded once per session
    return user_with_role("lead", "release-lead")


@pytest.fixture
def lead():
    return user_with_role("lead", "release-lead")


def _unzip(client, number) -> dict[str, bytes]:
    response = client.get(reverse("releases:release-zip", args=[number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        prefix = f"compact-tracker-{number}/"
        return {n.removeprefix(prefix): archive.read(n) for n in archive.namelist()}


def test_a_release_of_the_seed_data_downloads_as_a_valid_data_package(client, seeded, tmp_path):
    services.release_create(user=seeded, number="2026.1", note="The seed data.")

    files = _unzip(client, "2026.1")
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    report = frictionless.validate(tmp_path / "datapackage.json")

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    descriptor = json.loads(files["datapackage.json"])
    assert descriptor["compact_tracker_format"] == codebook.FORMAT
    assert [r["name"] for r in descriptor["resources"]] == [t.name for t in codebook.TABLES]
    sums = dict(reversed(line.split("  ")) for line in files["SHA256SUMS"].decode().splitlines())
    assert {name: hashlib.sha256(files[name]).hexdigest() for name in sums} == sums
    assert "## Stage rubric" in files["README.md"].decode()
    assert b"Boston" in files["data/cities.csv"]


def test_changing_published_data_afterwards_changes_no_file_of_the_release(client, seeded):
    release = services.release_create(user=seeded, number="2026.1", note="The seed data.")
    before = dict(release.files.values_list("name", "sha256"))
    zipped = _unzip(client, "2026.1")

    City.objects.filter(slug="boston").update(name="Renamed")
    Assessment.objects.filter(city__slug="boston").update(
        consensus_stage=Stage.objects.get(order=0)
    )

    assert dict(release.files.values_list("name", "sha256")) == before
    assert _unzip(client, "2026.1") == zipped


def test_drafts_never_go_into_a_release(lead):
    stages = make_stages()
    city = CityFactory(name="Denver", slug="denver")
    AssessmentFactory(
        city=city, period_start=datetime.date(2016, 1, 1), consensus_stage=stages["Basic"]
    )
    AssessmentFactory(
        city=city,
        period_start=datetime.date(2018, 1, 1),
        status="draft",
        published_at=None,
        consensus_stage=stages["Embedded"],
    )
    release = services.release_create(user=lead, number="2026.1", note="Denver.")

    assessments = bytes(release.files.get(name="data/assessments.csv").content).decode()
    assert "2016-01-01" in assessments
    assert "2018-01-01" not in assessments
    assert "Embedded" not in assessments


def test_only_a_lead_makes_a_release_and_a_number_is_never_reused(lead):
    with pytest.raises(PermissionDenied):
        services.release_create(user=user_with_role("researcher"), number="2026.1", note="x")
    services.release_create(user=lead, number="2026.1", note="First.")
    with pytest.raises(ValidationError, match="exists already"):
        services.release_create(user=lead, number="2026.1", note="Again.")
    with pytest.raises(ValidationError):
        services.release_create(user=lead, number="next", note="Bad number.")
    assert services.next_number(datetime.date(2026, 11, 30)) == "2026.2"


def test_a_release_page_shows_what_changed_since_the_previous_one(client, lead):
    stages = make_stages()
    denver = CityFactory(name="Denver", slug="denver")
    first = AssessmentFactory(
        city=denver, period_start=datetime.date(2016, 1, 1), consensus_stage=stages["Basic"]
    )
    services.release_create(user=lead, number="2026.1", note="First.")
    AssessmentFactory(
        city=denver, period_start=datetime.date(2018, 1, 1), consensus_stage=stages["Advanced"]
    )
    first.delete()
    services.release_create(user=lead, number="2026.2", note="Second.")

    page = client.get(reverse("releases:release-detail", args=["2026.2"])).content.decode()

    assert "Denver: Basic → Advanced" in page
    assert "Denver, January 2018" in page  # added
    assert "Denver, January 2016" in page  # withdrawn
    assert "@misc{compacttracker_2026_2" in page  # the BibTeX citation
    assert reverse("releases:release-detail", args=["2026.2"]) in page


def test_a_lead_makes_a_release_from_the_web(client, lead):
    client.force_login(lead)
    url = reverse("releases:release-create")
    assert client.get(url).status_code == 200

    response = client.post(url, {"number": "2026.1", "note": "From the web."}, follow=True)

    assert "Release 2026.1 is published." in response.content.decode()
    assert Release.objects.get().created_by == lead


def test_the_release_page_draws_figure_6_from_its_own_files_not_the_live_tables(client, lead):
    stages = make_stages()
    denver = CityFactory(name="Denver", slug="denver")
    AssessmentFactory(
        city=denver, period_start=datetime.date(2016, 1, 1), consensus_stage=stages["Advanced"]
    )
    services.release_create(user=lead, number="2026.1", note="First.")
    Assessment.objects.filter(city=denver).update(consensus_stage=stages["Emerging"])
    url = reverse("releases:release-detail", args=["2026.1"])

    panel = client.get(url).context["panel"]

    bars = [trace for trace in panel.figure["data"] if trace.get("type") == "bar"]
    assert any(trace.get("name") == "Advanced" for trace in bars)
    assert not any(trace.get("name") == "Emerging" for trace in bars)
    assert any("Advanced" in row for row in panel.table.rows)


def test_every_page_has_a_cite_this_box_naming_the_newest_release(client, lead):
    CityFactory(name="Denver", slug="denver")
    services.release_create(user=lead, number="2026.1", note="First.")
    services.release_create(user=lead, number="2026.2", note="Second.")

    for url in ["/", "/cities/", "/cities/denver/", "/dashboard/", "/releases/"]:
        page = client.get(url).content.decode()
        assert "Cite this" in page, url
        assert "@misc{compacttracker_2026_2," in page, url
        assert f'Permalink: <a href="http://testserver{url}">' in page, url


def test_the_confidential_workspace_offers_nothing_to_cite(client, lead):
    client.force_login(lead)
    page = client.get("/workspace/").content.decode()
    assert "Cite this" not in page
