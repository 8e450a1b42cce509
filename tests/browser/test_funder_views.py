"""The funder views in a real Chromium: a funder signs in, compares two cities (the chart
draws as SVG, the table shows), downloads the CSV, opens the cohorts; no console errors,
no horizontal scroll at phone width, no serious accessibility violations."""

import datetime

import pytest

from tests.browser.ready import open_ready, serious_accessibility_violations, sign_in
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    CompactFactory,
    make_stages,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FUNDER_PAGES = ["/dashboard/compare/?city=denver&city=camden&as_of=2017-06", "/dashboard/cohorts/"]


@pytest.fixture
def funder_data():
    stages = make_stages()
    history = {
        ("Boston", "MA", 2011): [(2014, "Basic"), (2016, "Advanced")],
        ("Denver", "CO", 2010): [(2012, "Basic"), (2014, "Advanced"), (2016, "Emerging")],
        ("Chicago", "IL", 2011): [(2016, "Intermediate")],
    }
    for (name, state, year), points in history.items():
        city = CompactFactory(
            city=CityFactory(name=name, state=state, slug=name.lower()), signing_year=year
        ).city
        for period, stage in points:
            AssessmentFactory(
                city=city,
                period_start=datetime.date(period, 1, 1),
                period_precision="year",
                consensus_stage=stages[stage],
            )
    CompactFactory(city=CityFactory(name="Camden", state="NJ", slug="camden"), signing_year=2014)
    return user_with_role("funder", "browser-funder")


def test_a_funder_compares_two_cities_and_downloads_the_csv(
    page, live_server, funder_data, console_errors, tmp_path
):
    sign_in(page, live_server.url, funder_data.username)
    page.get_by_role("link", name="Compare", exact=True).click()
    page.wait_for_url("**/dashboard/compare/")

    page.get_by_label("As of (month)").fill("2017-06")
    page.get_by_label("Denver, CO").check()
    page.get_by_label("Boston, MA").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**city=boston**")

    page.wait_for_selector("#timeline-chart svg.main-svg")
    chart = page.locator("#timeline-chart").inner_html()
    assert "Denver, CO" in chart
    assert "Boston, MA" in chart
    table = page.locator("#comparison table")
    assert table.is_visible()
    assert "Emerging" in table.inner_text()  # Denver slid back from Advanced
    assert page.locator("h1").count() == 1

    with page.expect_download() as download_info:
        page.locator("#comparison").get_by_role("link", name="Download CSV").click()
    csv_path = tmp_path / "compare.csv"
    download_info.value.save_as(csv_path)
    lines = csv_path.read_text().splitlines()
    # The form sends the cities in the order listed (by name): Boston, then Denver.
    assert lines[0] == 'Measure,"Boston, MA","Denver, CO"'
    assert "Current stage,Advanced,Emerging" in lines
    assert "Slid back (below its peak),no,yes" in lines

    # The address is the permalink: opening it again shows the same comparison.
    page.goto(page.url)
    page.wait_for_selector("#timeline-chart svg.main-svg")
    assert page.get_by_label("Denver, CO").is_checked()

    assert console_errors == []


def test_the_cohorts_and_compare_fit_a_phone_screen(page, live_server, funder_data, console_errors):
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server.url, funder_data.username)

    page.goto(f"{live_server.url}/dashboard/cohorts/?as_of=2017-06")
    page.wait_for_selector("#cohorts-chart svg.main-svg")
    legend = page.locator("#cohorts-chart").inner_html()
    assert "2014 cohort (none of 1 assessed)" not in legend  # only cohorts drawn are listed
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.goto(f"{live_server.url}/dashboard/compare/?city=denver&city=boston&as_of=2017-06")
    page.wait_for_selector("#timeline-chart svg.main-svg")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    assert console_errors == []


def test_the_funder_views_have_no_serious_accessibility_violations(page, live_server, funder_data):
    sign_in(page, live_server.url, funder_data.username)
    problems = []
    for path in FUNDER_PAGES:
        open_ready(page, f"{live_server.url}{path}")
        problems += [f"{path}: {violation}" for violation in serious_accessibility_violations(page)]
    assert problems == [], "\n".join(problems)
