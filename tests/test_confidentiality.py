"""Interview material, drafts and calibration never reach anonymous users or funders.

A unique marker is planted in an interview (notes and interviewee role), in a draft rating
(rationale and evidence quote), in a draft assessment's consensus note and in a
calibration vignette (training material); then every URL
of the site (from the resolver, as in test_permissions), every chart CSV, the export and
the error pages are fetched as anonymous and as funder, and the marker must appear nowhere.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard.presenters import CSV_TABLES
from releases.services import release_create
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    CompactFactory,
    InterviewFactory,
    SourceFactory,
    VignetteFactory,
    make_stages,
    user_with_role,
)
from tests.test_permissions import EXPECTED, World, _url, site_routes
from workspace import services
from workspace.models import ConsensusNote, Vignette

pytestmark = pytest.mark.django_db

MARKER = "ZQX-CONFIDENTIAL-7f3a9c"


@pytest.fixture
def planted():
    stages = make_stages()
    city = CompactFactory(city=CityFactory(name="Markerville", slug="markerville")).city
    AssessmentFactory(
        city=city, consensus_stage=stages["Basic"], period_start=datetime.date(2016, 1, 1)
    )
    draft = AssessmentFactory(
        city=city,
        period_start=datetime.date(2018, 1, 1),
        status="draft",
        published_at=None,
        consensus_stage=stages["Embedded"],
    )
    ConsensusNote.objects.create(assessment=draft, text=f"Draft note {MARKER}")
    researcher = user_with_role("researcher", "marker-researcher")
    interview = InterviewFactory(
        city=city,
        interviewer=researcher,
        interviewee_role=f"Superintendent {MARKER}",
        notes=f"Off the record: {MARKER}",
    )
    services.rating_submit(
        user=researcher,
        assessment=draft,
        stage=stages["Embedded"],
        rationale=f"Draft rationale {MARKER}",
        confidence="high",
        evidence=[
            services.EvidenceInput(interview=interview),
            services.EvidenceInput(
                source=SourceFactory(), quote=f"A quote long enough to count: {MARKER}"
            ),
        ],
        expected_version=None,
    )
    VignetteFactory(
        title=f"Vignette {MARKER}",
        situation=f"Situation {MARKER}",
        reasoning=f"Reasoning {MARKER}",
        intended_stage=stages["Basic"],
        author=user_with_role("lead", "marker-author"),
    )
    charts = list(CSV_TABLES)
    # A release made after the planting: drafts and their citations must stay out of it.
    release = release_create(user=user_with_role("lead", "marker-lead"), number="2026.1", note="n")
    world = World(city=city, interview=interview, draft=draft, chart=charts[0], release=release)
    return world, charts


def _shows_records(route) -> bool:
    """The admin pages that would show rows if their guard failed: the index, every list and
    every change form. (test_permissions checks that every admin URL, these and the rest,
    sends anonymous users and funders to the admin's sign-in.)"""
    name = route.name or ""
    return route.is_admin and (name == "admin:index" or name.endswith(("_changelist", "_change")))


def _urls(world: World, charts: list[str]) -> list[str]:
    urls = [_url(r, world) for r in site_routes() if _shows_records(r) or r.key in EXPECTED]
    urls += [reverse("dashboard:chart-csv", kwargs={"chart": c}) for c in charts]
    urls += [
        reverse("releases:release-file", args=[world.release.number, name])
        for name in world.release.files.values_list("name", flat=True)
    ]
    urls += [
        "/api/assessments/?status=draft",
        "/api/assessments/?city=markerville&page_size=100",
        "/workspace/interviews/?q=Superintendent",
        reverse("workspace:coverage-csv") + "?show=one-rater",
        reverse(
            "workspace:vignette-detail", args=[Vignette.objects.get(title=f"Vignette {MARKER}").pk]
        ),
        "/cities/no-such-city/",  # the 404 page
        # The funder views with the planted city chosen, after its draft's period.
        reverse("dashboard:compare") + "?city=markerville&as_of=2019-06",
        reverse("dashboard:compare-csv") + "?city=markerville&as_of=2019-06",
        reverse("dashboard:cohorts") + "?as_of=2019-06",
        reverse("dashboard:cohorts-csv") + "?as_of=2019-06",
    ]
    return urls


# The workspace's tables (consensus notes and who recorded a revision included): no
# public page's query reads them.
WORKSPACE_ONLY_SQL = ['"workspace_']


@pytest.mark.parametrize("role", ["anonymous", "funder"])
def test_the_marker_is_nowhere_and_no_workspace_only_column_is_read(client, planted, role):
    # One walk over every URL checks both what a page shows and what its queries read.
    world, charts = planted
    if role == "funder":
        client.force_login(user_with_role("funder", "marker-funder"))
    fetched, offending = 0, []
    for url in _urls(world, charts):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, follow=True)
            body = b"".join(response.streaming_content) if response.streaming else response.content
        assert MARKER.encode() not in body, f"{url} shows confidential text to {role}"
        offending += [
            f"{url}: {query['sql'][:200]}"
            for query in queries.captured_queries
            if any(column in query["sql"] for column in WORKSPACE_ONLY_SQL)
        ]
        fetched += 1
    assert fetched > 40
    assert not offending, "\n".join(offending)


def test_the_marker_is_visible_to_researchers_so_the_test_can_fail(client, planted):
    world, _ = planted
    # The researcher who rated the draft: blind rating hides the draft's rating and
    # consensus note from one who has not.
    client.force_login(user_with_role("researcher", "marker-researcher"))
    interview = client.get(reverse("workspace:interview-detail", args=[world.interview.pk]))
    export = client.get(reverse("workspace:export"))
    vignette = client.get(
        reverse(
            "workspace:vignette-detail", args=[Vignette.objects.get(title=f"Vignette {MARKER}").pk]
        )
    )
    planner = client.get(reverse("workspace:coverage-csv") + "?show=one-rater")
    assert MARKER in interview.content.decode()
    assert MARKER in b"".join(export.streaming_content).decode()
    assert MARKER in vignette.content.decode()
    assert "Markerville" in b"".join(planner.streaming_content).decode()
