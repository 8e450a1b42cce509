"""The public pages in a real Chromium: filters, pagination, phone width, accessibility."""

import pytest
from playwright.sync_api import expect

from tests.browser.ready import open_ready, serious_accessibility_violations, sideways_overflow
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    CompactFactory,
    SourceFactory,
    cite,
    make_stages,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/cities/", "/cities/boston/", "/dashboard/"]


@pytest.fixture
def public_data():
    stages = make_stages()
    source = SourceFactory(title="Bridging the District-Charter Divide")
    boston = CompactFactory(
        city=CityFactory(name="Boston", state="MA", slug="boston"), signing_year=2011
    ).city
    cite(boston.compact, source=source, quote="Boston, MA^*", field="signing_year")
    AssessmentFactory(city=boston, period_start="2014-01-01", consensus_stage=stages["Basic"])
    AssessmentFactory(city=boston, period_start="2017-01-01", consensus_stage=stages["Advanced"])
    for number in range(24):
        CompactFactory(
            city=CityFactory(name=f"Springfield {number:02d}", state="IL"), signing_year=2013
        )
    return boston


@pytest.mark.usefixtures("public_data")
def test_the_directory_filters_and_paginates(page, live_server, console_errors):
    page.goto(f"{live_server.url}/cities/")
    expect(page.get_by_text("25 cities, page 1 of 2")).to_be_visible()

    page.get_by_role("link", name="2", exact=True).click()
    expect(page.get_by_text("page 2 of 2")).to_be_visible()

    page.get_by_label("State").select_option("MA")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("1 city.")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Boston")
    assert "state=MA" in page.url
    assert console_errors == []


@pytest.mark.usefixtures("public_data")
def test_a_city_page_shows_its_timeline_chart_and_the_sources_behind_it(
    page, live_server, console_errors
):
    page.goto(f"{live_server.url}/cities/boston/")

    chart = page.locator("#timeline-chart svg.main-svg").first
    chart.wait_for()
    assert chart.is_visible()
    assert page.locator("#timeline-chart .scatterlayer .trace").count() >= 1
    assert console_errors == []

    assert page.get_by_role("heading", level=1).inner_text() == "Boston, MA"
    expect(
        page.get_by_text("Reached Advanced by January 2017; no ground lost by January 2017.")
    ).to_be_visible()
    page.get_by_text("Sources (1)").first.click()
    expect(page.get_by_text("Bridging the District-Charter Divide").first).to_be_visible()


@pytest.mark.usefixtures("public_data")
def test_the_public_pages_have_no_serious_accessibility_violations_and_fit_a_phone(
    page, live_server
):
    # One browser page walks them all: each page is loaded once per width, not once a test.
    problems = []
    for path in PUBLIC_PAGES:
        open_ready(page, f"{live_server.url}{path}")
        problems += [f"{path}: {violation}" for violation in serious_accessibility_violations(page)]
    page.set_viewport_size({"width": 375, "height": 812})
    for path in PUBLIC_PAGES:
        open_ready(page, f"{live_server.url}{path}")
        if (overflow := sideways_overflow(page)) > 0:
            problems.append(f"{path} scrolls sideways by {overflow}px on a 375px phone")
    assert problems == [], "\n".join(problems)
