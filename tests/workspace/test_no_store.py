"""No browser or proxy keeps a copy of a confidential page: every workspace URL answers a
researcher with ``Cache-Control: no-store``."""

import datetime

import pytest
from django.urls import URLPattern, get_resolver, reverse

from compacts.models import Assessment
from tests.factories import (
    AssessmentFactory,
    InterviewFactory,
    SourceFactory,
    VignetteFactory,
    make_stages,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def _workspace_routes() -> list[URLPattern]:
    return [
        p
        for p in get_resolver().namespace_dict["workspace"][1].url_patterns
        if isinstance(p, URLPattern)
    ]


def test_every_workspace_page_and_the_export_tell_caches_not_to_store_them(client):
    stages = make_stages()
    lead = user_with_role("lead")
    interview = InterviewFactory(interviewer=lead)
    draft = AssessmentFactory(
        city=interview.city,
        status=Assessment.Status.DRAFT,
        published_at=None,
        period_start=datetime.date(2018, 1, 1),
    )
    source = SourceFactory()
    vignette = VignetteFactory(intended_stage=stages["Basic"])
    client.force_login(lead)
    routes = _workspace_routes()
    assert len(routes) >= 15
    for route in routes:
        pk = interview.pk if route.name.startswith("interview-") else draft.pk
        pk = source.pk if route.name.startswith("source-") else pk
        pk = vignette.pk if route.name.startswith("vignette-") else pk
        needs_pk = "pk" in route.pattern.regex.groupindex
        url = reverse(f"workspace:{route.name}", kwargs={"pk": pk} if needs_pk else None)
        response = client.get(url)
        assert "no-store" in response.get("Cache-Control", ""), (url, response.status_code)
