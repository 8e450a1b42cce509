"""What search engines and link previews see: meta tags, canonical links, the sitemap."""

import re

import pytest
from django.urls import reverse

from tests.factories import AssessmentFactory, CityFactory, make_stages

pytestmark = pytest.mark.django_db


@pytest.fixture
def boston():
    city = CityFactory(name="Boston", state="MA", slug="boston")
    AssessmentFactory(
        city=city, period_start="2017-01-01", consensus_stage=make_stages()["Advanced"]
    )
    return city


def _meta(html: str, attribute: str, name: str) -> str:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    assert match, f"no {name} meta tag"
    return match.group(1)


def test_a_city_page_has_its_title_description_canonical_link_and_open_graph_tags(client, boston):
    html = client.get("/cities/boston/").content.decode()

    assert "<title>Boston, MA · Compact Tracker</title>" in html
    # The stale note that follows names this month: only its start is fixed.
    assert _meta(html, "name", "description").startswith(
        "Boston, MA: Reached Advanced by January 2017; no ground lost by January 2017. Stale:"
    )
    assert '<link rel="canonical" href="http://testserver/cities/boston/">' in html
    assert _meta(html, "property", "og:title").startswith("Boston, MA")
    assert _meta(html, "property", "og:url") == "http://testserver/cities/boston/"
    assert _meta(html, "property", "og:description").startswith(
        "Reached Advanced by January 2017; no ground lost by January 2017."
    )


def test_the_sitemap_lists_every_city_page(client, boston):
    CityFactory(slug="tulsa", name="Tulsa")

    response = client.get(reverse("cities:sitemap"))
    xml = response.content.decode()

    assert response["Content-Type"].startswith("application/xml")
    assert "<loc>http://testserver/cities/boston/</loc>" in xml
    assert "<loc>http://testserver/cities/tulsa/</loc>" in xml
    assert "<loc>http://testserver/cities/</loc>" in xml
