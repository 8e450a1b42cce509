"""The dashboard in a real Chromium: charts render as SVG, filters and the as-of date
change them, a CSV downloads, no console errors, no horizontal scroll at phone width."""

import datetime

import pytest

from tests.factories import (
    AssessmentFactory,
    CityFactory,
    CompactFactory,
    InitiativeFactory,
    TrajectoryFindingFactory,
    make_stages,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dashboard_data():
    stages = make_stages()
    history = {
        ("Boston", "MA"): [(2014, "Basic"), (2016, "Advanced")],
        ("Denver", "CO"): [(2012, "Basic"), (2014, "Advanced"), (2016, "Emerging")],
        ("Chicago", "IL"): [(2016, "Intermediate")],
    }
    for (name, state), points in history.items():
        city = CompactFactory(
            city=CityFactory(name=name, state=state, slug=name.lower()), signing_year=2011
        ).city
        for year, stage in points:
            AssessmentFactory(
                city=city,
                period_start=datetime.date(year, 1, 1),
                period_precision="year",
                consensus_stage=stages[stage],
            )
    CityFactory(name="Camden", state="NJ", slug="camden")
    TrajectoryFindingFactory(city=CityFactory(name="Austin", state="TX", slug="austin"))
    InitiativeFactory(city=CityFactory(name="Newark", state="NJ", slug="newark"))


def _bar_rows(page) -> int:
    """Horizontal bars drawn in Figure 6 (plotly draws each bar as a path in g.point)."""
    return page.locator("#progress-chart g.trace.bars g.point path").count()


def _chart_text(page, key: str) -> str:
    return page.locator(f"#{key}-chart").inner_html()


@pytest.mark.usefixtures("dashboard_data")
def test_the_dashboard_draws_its_charts_and_follows_filters_and_the_date(
    page, live_server, console_errors, tmp_path
):
    page.goto(f"{live_server.url}/dashboard/?as_of=2017-06")

    for key in ("progress", "timeline", "distribution", "matrix"):
        page.wait_for_selector(f"#{key}-chart svg.main-svg")
    assert page.locator("h1").count() == 1
    figure6 = _chart_text(page, "progress")
    assert "Ground lost since peak" in figure6
    assert "Denver, CO" in figure6
    assert _bar_rows(page) >= 4  # Boston, Chicago, Denver and Denver's lost ground

    # A filter: only the cities below their peak.
    page.get_by_label("Backslid (below its peak)").select_option("yes")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**backslid=yes**")
    page.wait_for_selector("#progress-chart svg.main-svg")
    assert "Boston, MA" not in _chart_text(page, "progress")
    assert "Denver, CO" in _chart_text(page, "progress")

    # The as-of date: in 2015 Denver was at its peak, so nobody had backslid.
    page.get_by_label("As of (month)").fill("2015-06")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**as_of=2015-06**")
    # Nothing to draw: a sentence instead of an empty chart box, and nothing to download.
    page.wait_for_selector("#progress-chart.panel__empty")
    assert "No cities match" in _chart_text(page, "progress")
    assert page.locator("#progress").get_by_role("button", name="Download PNG").count() == 0

    # Back to every city as of 2015: Chicago is not assessed yet, and the CSV says so.
    page.get_by_label("Backslid (below its peak)").select_option("")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_selector("#progress-chart svg.main-svg")
    assert "not assessed" in _chart_text(page, "progress")
    with page.expect_download() as download_info:
        page.locator("#progress").get_by_role("link", name="Download CSV").click()
    csv_path = tmp_path / "progress.csv"
    download_info.value.save_as(csv_path)
    text = csv_path.read_text()
    assert text.startswith("City,State,Signing year,Current stage")
    assert "Chicago,IL,2011,Not assessed" in text
    assert "Denver,CO,2011,Advanced" in text

    assert console_errors == []


@pytest.mark.usefixtures("dashboard_data")
def test_the_dashboard_fits_a_phone_screen(page, live_server, console_errors):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/dashboard/?as_of=2017-06")
    page.wait_for_selector("#matrix-chart svg.main-svg")

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert console_errors == []
