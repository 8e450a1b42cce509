"""The dashboard's HTML weighs the same however many cities there are: every list on it
(Figure 6's page, its data tables, the cities left out, the lost-ground lists, the city
picker) names a bounded number of cities and says where the rest are."""

import datetime

import pytest
from django.urls import reverse

from cities.models import City
from compacts.models import Assessment, Compact, TrajectoryFinding

pytestmark = pytest.mark.django_db
URL = reverse("dashboard:dashboard")


def _cities(count: int, stages: dict) -> None:
    """``count`` compact cities: two in three rose and then lost ground, one in three has
    no published stage, and every fifth is a document's candidate for lost ground."""
    cities = City.objects.bulk_create(
        City(
            slug=f"many-{i}", name=f"Many {i:04d}", state="TX", entity_name="x", kind="compact_city"
        )
        for i in range(count)
    )
    Compact.objects.bulk_create(
        Compact(city=city, program="gates_dccc", signing_year=2010) for city in cities
    )
    order = list(stages.values())
    published = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    Assessment.objects.bulk_create(
        Assessment(
            city=city,
            period_start=datetime.date(year, 1, 1),
            period_precision="year",
            consensus_stage=order[stage],
            status="published",
            published_at=published,
        )
        for i, city in enumerate(cities)
        if i % 3
        for year, stage in ((2014, 4), (2016, 1 + i % 2))
    )
    TrajectoryFinding.objects.bulk_create(
        TrajectoryFinding(
            key=f"lost-{city.pk}", city=city, direction="lost_ground", summary="s",
            period_start=datetime.date(2016, 1, 1), period_precision="year",
        )
        for i, city in enumerate(cities)
        if i % 5 == 0
    )  # fmt: skip


def _weight(client, stages, count: int) -> tuple[int, str]:
    _cities(count, stages)
    html = client.get(URL, {"as_of": "2019-06"}).content.decode()
    return len(html.encode()), html


def test_the_dashboard_weighs_the_same_at_100_and_at_500_cities(client, stages):
    small, _ = _weight(client, stages, 100)
    City.objects.all().delete()
    large, html = _weight(client, stages, 500)

    assert abs(large - small) < 2_000
    assert "Many 0499" not in html  # the last city is reached by a link, not listed


def test_from_25_cities_to_500_the_dashboard_grows_only_until_its_lists_are_full(client, stages):
    small, _ = _weight(client, stages, 25)
    City.objects.all().delete()
    large, html = _weight(client, stages, 500)

    # 25 cities fill no list; 500 fill each to its bound (a page of Figure 6 and its
    # table, the cities left out, the lost-ground lists, the picker), never beyond.
    assert large - small < 30_000
    assert 'more: <a href="/dashboard/?backslid=' in html  # the rest of a loss, filtered
