"""A page served from the cache on a later day: the visitor's browser writes its own date
into "Cite this" (static/js/cite-date.js), under the production Content-Security-Policy."""

import datetime

import pytest
from playwright.sync_api import expect

from releases import services as releases
from tests.browser.test_content_security_policy import RECORD_VIOLATIONS
from tests.factories import AssessmentFactory, CityFactory, make_stages, user_with_role
from workspace import services as workspace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_cite_box_shows_the_visitors_date_and_that_the_data_changed(
    page, live_server, console_errors, settings
):
    settings.DEBUG = False
    stages = make_stages()
    lead = user_with_role("lead")
    releases.release_create(user=lead, number="2026.1", note="First.")
    draft = AssessmentFactory(
        city=CityFactory(name="Denver", slug="denver"),
        period_start=datetime.date(2026, 6, 1),
        status="draft",
        published_at=None,
        consensus_stage=stages["Basic"],
    )
    workspace.assessment_publish(
        user=lead,
        assessment=draft,
        reason="Interviews",
        expected_version=draft.version,
        override_reason="Test data",
    )
    page.add_init_script(RECORD_VIOLATIONS)
    page.clock.set_fixed_time(datetime.datetime(2031, 3, 4, 12, 0))

    page.goto(f"{live_server.url}/cities/denver/")
    page.get_by_text("Cite this", exact=True).click()

    box = page.locator(".cite-box")
    expect(box).to_contain_text("Changed since release 2026.1")
    expect(box).to_contain_text("Compact Tracker (2031).")
    expect(box).to_contain_text("Retrieved 4 March 2031 from")
    expect(box).to_contain_text("urldate = {2031-03-04}")
    expect(box).to_contain_text("as retrieved on 4 March 2031")
    assert page.evaluate("window.__cspViolations") == []
    assert console_errors == []
