"""The researcher workflow in real Chromium: rate with evidence, reconcile, publish, see it public.

Set WORKSPACE_SCREENSHOTS=/some/dir to keep a screenshot of each step.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from compacts.models import Assessment
from tests.browser.ready import sign_in
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    InterviewFactory,
    RatingFactory,
    make_stages,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("WORKSPACE_SCREENSHOTS")


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name=re.compile("Sign out")).click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_rate_reconcile_publish_and_see_it_on_the_city_page(live_server, page, console_errors):
    stages = make_stages()
    city = CityFactory(name="Springfield", slug="springfield", state="IL")
    draft = AssessmentFactory(
        city=city,
        period_start=datetime.date(2018, 1, 1),
        period_precision="year",
        status="draft",
        published_at=None,
    )
    InterviewFactory(city=city, sector="district", interviewee_role="Deputy superintendent")
    InterviewFactory(city=city, sector="charter", interviewee_role="Charter network CEO")
    district_label = "2016-11-15: Deputy superintendent (District)"
    charter_label = "2016-11-15: Charter network CEO (Charter)"
    user_with_role("researcher", "ada")
    colleague = user_with_role("researcher", "ben")
    RatingFactory(
        assessment=draft, rater=colleague, stage=stages["Basic"], rationale="Ben's blind view."
    )
    user_with_role("lead", "lena")
    base = live_server.url

    # A researcher signs in and records a rating with evidence; it is blind until then.
    sign_in(page, base, "ada")
    page.get_by_role("link", name="Workspace").click()
    page.get_by_role("link", name="Springfield").click()
    expect(page.get_by_text("Blind rating")).to_be_visible()
    expect(page.get_by_text("Ben's blind view.")).to_have_count(0)
    page.get_by_role("link", name="Record your rating").click()
    page.locator("select[name=stage]").select_option(label="Intermediate")
    page.get_by_label("Confidence").select_option(label="High")
    page.get_by_label("Rationale").fill("Most charters share enrollment and special education.")
    first = page.get_by_role("group", name="Evidence 1")
    first.get_by_label("Interview").select_option(label=district_label)
    page.get_by_role("button", name="Add an evidence row").click()
    second = page.get_by_role("group", name="Evidence 2")
    second.get_by_label("Interview").select_option(label=charter_label)
    _shot(page, "1-rating-form")
    page.get_by_role("button", name="Submit rating").click()
    expect(
        page.get_by_text("Your rating of Springfield's 2018 assessment is saved.")
    ).to_be_visible()
    expect(page.locator(".rating-card", has_text="Ben's blind view.")).to_be_visible()
    _shot(page, "2-assessment-after-rating")
    _sign_out(page)

    # The lead reconciles the two ratings and publishes.
    sign_in(page, base, "lena")
    page.goto(f"{base}/workspace/assessments/{draft.pk}/reconcile/")
    expect(page.get_by_role("heading", name="ada: Intermediate")).to_be_visible()
    expect(page.get_by_role("heading", name="ben: Basic")).to_be_visible()
    expect(page.get_by_text("1 stage apart")).to_be_visible()
    page.get_by_label("Consensus stage").select_option(label="Intermediate")
    page.get_by_label("Note").fill("Ada's interviews on both sides outweigh.")
    page.get_by_role("button", name="Save consensus").click()
    expect(page.get_by_text("Consensus saved for Springfield's 2018 assessment.")).to_be_visible()
    expect(page.get_by_text("enough to publish")).to_be_visible()
    page.get_by_label("Reason (public)").fill("Interviews with both sectors in 2018.")
    _shot(page, "3-reconcile")
    page.get_by_role("button", name="Publish").click()
    expect(
        page.get_by_text("Springfield's 2018 assessment (Intermediate) is now public.")
    ).to_be_visible()

    # The history shows both people's edits.
    page.get_by_role("link", name="Assessment page and history").click()
    history = page.locator(".history")
    expect(history.get_by_text(re.compile(r"Created · ada's rating · by ada"))).to_be_visible()
    expect(history.get_by_text("Published: Interviews with both sectors in 2018.")).to_be_visible()
    expect(history.locator(".history-who", has_text="lena").first).to_be_visible()
    expect(history.locator(".history-who", has_text="ada").first).to_be_visible()
    _shot(page, "4-history")
    _sign_out(page)

    # The public city page shows the new stage and the revision log.
    page.goto(f"{base}/cities/springfield/")
    expect(page.get_by_role("cell", name="Intermediate", exact=True)).to_be_visible()
    expect(page.get_by_text("Interviews with both sectors in 2018.")).to_be_visible()
    _shot(page, "5-city-page")
    assert Assessment.objects.get(pk=draft.pk).is_published
    assert console_errors == []
