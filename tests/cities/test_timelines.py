"""The city page builds its timeline from what its profile loaded (``profile_timeline``);
it must draw exactly what ``city_timeline`` reads for the same city and month."""

import dataclasses

import pytest

from cities.models import City
from cities.selectors import city_profile
from cities.timelines import city_timeline, profile_timeline
from common import dates
from compacts.models import Stage

pytestmark = pytest.mark.django_db


def test_every_seed_city_page_draws_the_timeline_the_dashboard_reads(seeded):
    as_of = dates.current_month_end()
    stages = list(Stage.objects.order_by("order"))
    compared = 0
    for slug in City.objects.values_list("slug", flat=True):
        read, _, read_sources = city_timeline(slugs=[slug], as_of=as_of)
        built, built_sources = profile_timeline(city_profile(slug=slug), as_of, stages)

        assert built.points == read.points, slug
        assert built.events == read.events, slug
        assert built_sources == read_sources, slug
        # The same standing and claim; the page's timeline draws no findings.
        (row,) = read.cities
        assert built.cities == (dataclasses.replace(row, findings=()),), slug
        compared += bool(read.points or read.events)
    assert compared >= 20  # the seed's cities with stages or events were all compared
