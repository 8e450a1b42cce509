"""The city page builds its timeline from what its profile loaded (``profile_timeline``);
it must draw exactly what ``city_timeline`` reads for the same city and month."""

import dataclasses
import datetime

import pytest

from cities.models import City
from cities.selectors import city_profile
from cities.timelines import city_timeline, profile_timeline
from common import dates
from compacts.models import Assessment, Stage
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    EventFactory,
    SourceFactory,
    cite,
    make_stages,
)

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


def test_a_timelines_sources_are_those_of_the_assessments_and_events_it_draws():
    stages = make_stages()
    boston, denver = CityFactory(slug="boston"), CityFactory(slug="denver")

    def cited(record, title, published_on=datetime.date(2016, 1, 1)):
        cite(record, source=SourceFactory(title=title, published_on=published_on))

    cited(AssessmentFactory(city=boston, consensus_stage=stages["Basic"]), "Boston's rating")
    draft = AssessmentFactory(
        city=boston,
        period_start=datetime.date(2016, 1, 1),
        status=Assessment.Status.DRAFT,
        published_at=None,
    )
    cited(draft, "A draft's evidence")
    later = AssessmentFactory(
        city=boston, period_start=datetime.date(2019, 1, 1), consensus_stage=stages["Basic"]
    )
    cited(later, "A rating after the month")
    shared = EventFactory()
    shared.cities.add(boston, denver)
    cited(shared, "An event of both cities", datetime.date(2015, 1, 1))
    not_out = EventFactory()
    not_out.cities.add(boston)
    cited(not_out, "A document not out by the month", datetime.date(2018, 5, 1))
    other = EventFactory()
    other.cities.add(CityFactory())
    cited(other, "Another city's event")

    timeline, _, sources = city_timeline(
        slugs=["boston", "denver"], as_of=datetime.date(2017, 6, 30)
    )

    assert sources.titles == ("An event of both cities", "Boston's rating")
    assert len(timeline.events) == 2  # the shared event is drawn for each city, cited once
