"""Other sites can frame the embed pages, and nothing else."""

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from tests.factories import AssessmentFactory, CityFactory, CompactFactory, make_stages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def boston():
    stages = make_stages()
    city = CompactFactory(city=CityFactory(name="Boston", state="MA", slug="boston")).city
    AssessmentFactory(city=city, period_start="2014-01-01", consensus_stage=stages["Basic"])
    AssessmentFactory(city=city, period_start="2017-01-01", consensus_stage=stages["Advanced"])
    return city


class _Article(BaseHTTPRequestHandler):
    """An article on another site that frames the page named by ?src=."""

    def do_GET(self):
        src = html.escape(parse_qs(urlparse(self.path).query)["src"][0])
        body = f'<html><body><h1>News</h1><iframe src="{src}" width="900" height="640">'
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def other_site():
    """A second web server on this machine: another origin (another port)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Article)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/article"
    server.shutdown()


def _frame_on_another_site(page, other_site, live_server, path: str):
    page.goto(f"{other_site}?{urlencode({'src': live_server.url + path})}")
    return page.frame_locator("iframe")


@pytest.mark.usefixtures("boston")
def test_every_embed_draws_its_chart_inside_another_sites_page(page, live_server, other_site):
    embeds = ["/embed/figure-6/", "/embed/cities/boston/timeline/", "/embed/timeline/?city=boston"]
    for path in embeds:
        frame = _frame_on_another_site(page, other_site, live_server, path)

        frame.locator(".dash-chart svg.main-svg").first.wait_for(timeout=10_000)
        link = frame.locator(".embed__source a")
        assert "Compact Tracker" in link.inner_text(), path
        assert frame.locator("header.site-header").count() == 0, path  # no site chrome


@pytest.mark.usefixtures("boston")
def test_a_normal_page_refuses_to_be_framed(page, live_server, other_site):
    assert page.request.get(f"{live_server.url}/cities/boston/").ok  # it exists
    _frame_on_another_site(page, other_site, live_server, "/cities/boston/")

    assert _committed_frame_url(page).startswith("chrome-error://")  # refused, not loaded


def _committed_frame_url(page) -> str:
    """The address the article's frame ended on: the page itself if it was let in, Chromium's
    error page if it was refused. Polled, since the refusal comes after the article loads."""
    for _ in range(100):
        url = page.frames[1].url if len(page.frames) > 1 else ""
        if url not in ("", "about:blank"):
            return url
        page.wait_for_timeout(50)
    return ""


def test_only_the_embeds_allow_framing_in_their_headers(client, boston, settings):
    settings.PAGE_CACHE = True
    embed = client.get("/embed/cities/boston/timeline/")
    again = client.get("/embed/cities/boston/timeline/")
    page = client.get("/cities/boston/")

    assert again["X-Cache"] == "hit"
    for response in (embed, again):
        assert "frame-ancestors *" in response["Content-Security-Policy"]
        assert "X-Frame-Options" not in response
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"


def test_each_embeddable_chart_offers_its_iframe_code(client, boston):
    dashboard = client.get("/dashboard/?state=MA").content.decode()
    city = client.get("/cities/boston/").content.decode()

    assert "Embed this chart" in dashboard
    assert '&lt;iframe src="http://testserver/embed/figure-6/?state=MA"' in dashboard
    assert '&lt;iframe src="http://testserver/embed/cities/boston/timeline/"' in city


def test_the_dashboards_timeline_embed_draws_the_cities_the_timeline_shows(client, boston):
    dashboard = client.get("/dashboard/")
    timeline = next(p for p in dashboard.context["panels"] if p.key == "timeline")

    assert "city=boston" in timeline.embed_url
    embed = client.get(timeline.embed_url)
    assert embed.context["panel"].figure["data"]  # a chart, not "choose some cities"
