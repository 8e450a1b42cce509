"""The distribution over time as plain rows: where the cities stood at the end of each
year, by stage, firmness and loss status (compacts.standing's rule at each year's end).
The dashboard reads them from the stored standings; the live walk over every assessment is
the reference, and both give the hand-worked answers below."""

import datetime

import pytest
from django.urls import reverse

from dashboard.distribution_selectors import (
    live_stage_distribution_rows,
    stage_distribution_rows,
)
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    SourceFactory,
    TrajectoryFindingFactory,
    cite,
)

pytestmark = pytest.mark.django_db

both_readers = pytest.mark.parametrize(
    "read", [stage_distribution_rows, live_stage_distribution_rows], ids=["stored", "live"]
)


def _at(rows, end: datetime.date) -> set[tuple]:
    return {(r.stage_order, r.firm, r.loss_status, r.count) for r in rows if r.period_end == end}


@both_readers
def test_each_year_counts_where_the_cities_stood_at_its_end(read, rise_fall_rise, boston):
    quiet = CityFactory(name="Quiet", slug="quiet")
    ids = [rise_fall_rise.pk, boston.pk, quiet.pk]

    rows = read(city_ids=ids, as_of=datetime.date(2017, 6, 30))

    assert min(r.period_end for r in rows) == datetime.date(2012, 12, 31)  # the first assessment
    assert max(r.period_end for r in rows) == datetime.date(2017, 6, 30)  # never past the as-of
    assert _at(rows, datetime.date(2012, 12, 31)) == {
        (2, True, "no", 1),
        (None, False, "unknown", 2),
    }
    # Zigzag fell from Advanced to Emerging in 2016: a firm loss; Boston Advanced since Dec 2016.
    assert _at(rows, datetime.date(2016, 12, 31)) == {
        (1, True, "yes", 1),
        (4, True, "no", 1),
        (None, False, "unknown", 1),
    }
    assert sum(r.count for r in rows if r.period_end == datetime.date(2014, 12, 31)) == 3
    assert not any(r.stale for r in rows)  # nothing over 3 years old by June 2017
    # By June 2021, Zigzag's 2018 stage and Boston's of December 2016 are.
    later = read(city_ids=ids, as_of=datetime.date(2021, 6, 30))
    assert {r.stage_order for r in later if r.period_end.year == 2021 and r.stale} == {3, 4}
    assert not any(r.stale for r in later if r.period_end.year == 2018)


@both_readers
def test_a_lost_ground_report_counts_from_when_it_was_known(read, stages):
    city = CityFactory(name="Reported", slug="reported")
    AssessmentFactory(city=city, period_start=datetime.date(2014, 1, 1),
                      consensus_stage=stages["Basic"], stage_provenance="inferred",
                      stage_reasoning="Read from the report's tone.")  # fmt: skip
    finding = TrajectoryFindingFactory(city=city, naming="named",
                                       period_start=datetime.date(2015, 1, 1))  # fmt: skip
    cite(finding, source=SourceFactory(published_on=datetime.date(2017, 1, 1)), is_primary=True)

    rows = read(city_ids=[city.pk], as_of=datetime.date(2017, 6, 30))

    assert _at(rows, datetime.date(2016, 12, 31)) == {(2, False, "no", 1)}
    assert _at(rows, datetime.date(2017, 6, 30)) == {(2, False, "reported", 1)}


def test_the_dashboard_says_how_many_cities_are_not_drawn(client, boston):
    CityFactory(name="Quiet", slug="quiet")

    html = client.get(reverse("dashboard:dashboard"), {"as_of": "2017-06"}).content.decode()

    assert "Not drawn: 1 of 2 cities, with no published stage by June 2017." in html


@pytest.mark.parametrize("as_of", ["2017-01-31", "2019-06-30", "2026-11-30"])
def test_the_stored_distribution_of_the_seed_data_equals_the_live_walk(seeded, as_of):
    from cities.models import City

    ids = list(City.objects.values_list("pk", flat=True))
    day = datetime.date.fromisoformat(as_of)

    stored = stage_distribution_rows(city_ids=ids, as_of=day)

    assert stored  # the seed has stages by then
    assert sorted(stored, key=repr) == sorted(
        live_stage_distribution_rows(city_ids=ids, as_of=day), key=repr
    )
