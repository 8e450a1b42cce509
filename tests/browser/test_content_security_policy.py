"""The pages work under the production Content-Security-Policy in a real Chromium: no
violation is reported, the charts draw, and PNG and SVG downloads still come out."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.ready import open_ready
from tests.factories import AssessmentFactory, CityFactory, CompactFactory, make_stages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every securitypolicyviolation event, collected before any page script runs.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def production_like(settings):
    """Production's headers over the test server's plain HTTP: DEBUG off (as in every
    test), HSTS sent; the SSL redirect stays off as there is no TLS here."""
    settings.DEBUG = False
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def boston():
    stages = make_stages()
    city = CompactFactory(city=CityFactory(name="Boston", state="MA", slug="boston")).city
    for year, stage in [(2014, "Basic"), (2016, "Advanced")]:
        AssessmentFactory(
            city=city,
            period_start=datetime.date(year, 1, 1),
            period_precision="year",
            consensus_stage=stages[stage],
        )
    return city


@pytest.mark.usefixtures("production_like", "boston")
def test_the_pages_raise_no_csp_violation_and_the_charts_draw(page, live_server, console_errors):
    page.add_init_script(RECORD_VIOLATIONS)
    pages = {
        "/": None,
        "/cities/": None,
        "/cities/boston/": "svg.main-svg",
        "/dashboard/?as_of=2017-06": "#progress-chart svg.main-svg",
        "/dashboard/timeline/?city=boston": "svg.main-svg",
        "/accounts/login/": None,
    }
    for path, chart in pages.items():
        response = open_ready(page, f"{live_server.url}{path}")
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy
        if chart:
            expect(page.locator(chart).first).to_be_visible()
        assert page.evaluate("window.__cspViolations") == [], path
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors
    assert console_errors == []


@pytest.mark.usefixtures("production_like", "boston")
def test_png_and_svg_downloads_work_under_the_policy(page, live_server, console_errors, tmp_path):
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{live_server.url}/dashboard/?as_of=2017-06")
    page.wait_for_selector("#progress-chart svg.main-svg")
    panel = page.locator("#progress")
    for label, start in [("Download PNG", b"\x89PNG\r\n\x1a\n"), ("Download SVG", b"<svg")]:
        with page.expect_download() as download:
            panel.get_by_role("button", name=label).click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        assert path.read_bytes().startswith(start), label
        assert path.stat().st_size > 1000
    assert page.evaluate("window.__cspViolations") == []
    assert console_errors == []
