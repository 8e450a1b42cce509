"""The stored standings (compacts.stored) answer what compacts.standing computes live, after
any sequence of publishes, unpublishes, stage changes and lost-ground reports, made by bulk
``update()`` and plain inserts (the triggers, not the services, keep the table current)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from cities.models import City
from compacts.models import (
    Assessment,
    FindingNaming,
    StaleStanding,
    StoredStanding,
    StoredYearEnd,
)
from compacts.standing import with_stage_as_of
from compacts.stored import rebuild_standings, refresh_stale, with_stored_standing
from dashboard.distribution_selectors import live_stage_distribution_rows, stage_distribution_rows
from sources.models import known_from
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    TrajectoryFindingFactory,
    make_stages,
)

QUARTERS = [datetime.date(2014 + q // 4, 1 + 3 * (q % 4), 1) for q in range(8)]
# Dates to compare at: before anything, each quarter's first day, every other quarter's
# middle month, long after.
AS_OF = (
    [datetime.date(2013, 6, 30), datetime.date(2030, 1, 31)]
    + QUARTERS
    + [q.replace(month=q.month + 1, day=15) for q in QUARTERS[::2]]
)

_city = st.integers(0, 2)
_quarter = st.integers(0, len(QUARTERS) - 1)
_stage = st.integers(0, 5)
_operations = st.lists(
    st.one_of(
        st.tuples(st.just("publish"), _city, _quarter, _stage, st.booleans()),
        st.tuples(st.just("unpublish"), _city, _quarter),
        st.tuples(st.just("restage"), _city, _quarter, _stage),
        st.tuples(st.just("report"), _city, _quarter, st.sampled_from(["year", "quarter"])),
        st.tuples(st.just("read")),
    ),
    max_size=14,
)


YEAR_END_FIELDS = ["day", "stage_order", "firm", "loss_status", "period_start", "count"]

FIELDS = [
    "current_stage_order", "current_stage_name", "current_period_start",
    "current_stage_provenance", "current_period_precision", "current_stage_firm",
    "previous_stage_order", "peak_stage_order", "below_peak", "loss_status", "backslid",
    "trend",
]  # fmt: skip


def standings(annotate, city_ids, as_of) -> list[tuple]:
    """Each city's standing as Figure 6 and the city lists read it."""
    rows = annotate(City.objects.filter(pk__in=city_ids), as_of).order_by("pk")
    return [
        (*row, confidence or "")
        for *row, confidence in rows.values_list(*FIELDS, "current_stage_confidence")
    ]


class StoredEqualsLive(TestCase):
    @settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_operations)
    @example([("publish", 0, 0, 2, False), ("restage", 0, 0, 4)])
    @example([("publish", 0, 0, 2, False), ("publish", 0, 1, 3, True), ("unpublish", 0, 1)])
    @example([("publish", 1, 0, 4, False), ("publish", 1, 3, 2, False), ("report", 1, 5, "year")])
    def test_stored_distribution_equals_the_live_computation(self, operations):
        stages = list(make_stages().values())
        cities = [CityFactory() for _ in range(3)]
        ids = [city.pk for city in cities]
        refresh_stale()  # start from a fresh table
        for operation in operations:
            kind, rest = operation[0], operation[1:]
            # Read before each change: only the triggers' marks can make the next read
            # see it, whatever "read" the example also asks for.
            refresh_stale()
            if kind == "read":
                continue
            city, quarter = cities[rest[0]], QUARTERS[rest[1]]
            rows = Assessment.objects.filter(city=city, period_start=quarter)
            if kind == "publish":
                weak = rest[3]
                if not rows.update(
                    status=Assessment.Status.PUBLISHED, consensus_stage=stages[rest[2]]
                ):
                    AssessmentFactory(
                        city=city,
                        period_start=quarter,
                        period_precision="quarter",
                        consensus_stage=stages[rest[2]],
                        stage_provenance="inferred" if weak else "stated",
                        stage_reasoning="Inferred." if weak else "",
                        stage_confidence="low" if weak else "",
                    )
            elif kind == "unpublish":
                rows.update(status=Assessment.Status.DRAFT)
            elif kind == "restage":
                rows.update(consensus_stage=stages[rest[2]])
            else:
                precision = rest[2]
                TrajectoryFindingFactory(
                    city=city,
                    naming=FindingNaming.NAMED,
                    period_start=quarter.replace(month=1) if precision == "year" else quarter,
                    period_precision=precision,
                )
        # Every field the distribution counts by (stage, firm, loss status) is among these.
        for as_of in AS_OF:
            assert standings(with_stored_standing, ids, as_of) == standings(
                with_stage_as_of, ids, as_of
            ), as_of
        # The year ends kept city by city are those a full rebuild sums from every span.
        refresh_stale()
        kept = set(StoredYearEnd.objects.values_list(*YEAR_END_FIELDS))
        rebuild_standings()
        assert kept == set(StoredYearEnd.objects.values_list(*YEAR_END_FIELDS))
        # The dashboard's year-by-year distribution against the live walk: of every city
        # (read from the stored year ends) and of some (read from their spans).
        # 2030: every open span counted at fifteen year ends it runs past.
        for chosen, as_of in ((ids, AS_OF[1]), (ids, AS_OF[5]), (ids[:2], AS_OF[1])):
            stored_years = stage_distribution_rows(city_ids=chosen, as_of=as_of)
            live_years = live_stage_distribution_rows(city_ids=chosen, as_of=as_of)
            assert sorted(stored_years, key=repr) == sorted(live_years, key=repr), (chosen, as_of)


@pytest.mark.django_db
def test_a_bulk_update_marks_only_its_cities_stale():
    stage = make_stages()["Basic"]
    one, other = CityFactory(), CityFactory()
    refresh_stale()

    Assessment.objects.bulk_create(
        [Assessment(city=one, period_start=datetime.date(2016, 1, 1), consensus_stage=stage,
                    status="published", period_precision="year", published_at=timezone.now())]
    )  # fmt: skip

    assert set(StaleStanding.objects.values_list("city_id", flat=True)) == {one.pk}
    assert other.pk not in StaleStanding.objects.values_list("city_id", flat=True)


@pytest.mark.django_db
def test_an_update_and_a_delete_mark_their_cities_stale():
    stages = make_stages()
    one, other = (
        AssessmentFactory(consensus_stage=stages["Basic"]),
        AssessmentFactory(consensus_stage=stages["Basic"], period_start=datetime.date(2018, 1, 1)),
    )
    refresh_stale()

    Assessment.objects.filter(pk=one.pk).update(consensus_stage=stages["Advanced"])
    assert list(StaleStanding.objects.values_list("city_id", flat=True)) == [one.city_id]

    refresh_stale()
    Assessment.objects.filter(pk=other.pk).delete()
    assert list(StaleStanding.objects.values_list("city_id", flat=True)) == [other.city_id]


@pytest.mark.django_db
def test_the_rebuild_command_rebuilds_every_city(capsys):
    stage = make_stages()["Basic"]
    AssessmentFactory(consensus_stage=stage)
    StoredStanding.objects.all().delete()

    call_command("rebuild_standings")

    assert StoredStanding.objects.count() == 1
    assert "Rebuilt 1 stored standings" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("start", "precision", "since", "first_month"),
    [
        (datetime.date(2015, 1, 1), "year", None, datetime.date(2015, 12, 1)),
        (datetime.date(2015, 1, 15), "year", None, datetime.date(2016, 1, 1)),
        (datetime.date(2015, 4, 1), "quarter", None, datetime.date(2015, 6, 1)),
        (datetime.date(2015, 4, 9), "day", None, datetime.date(2015, 4, 1)),
        (datetime.date(2015, 1, 1), "year", datetime.date(2017, 3, 9), datetime.date(2017, 3, 1)),
        (None, "", None, datetime.date.min),
    ],
)
def test_a_report_is_known_from_the_month_its_period_ended_and_its_document_was_out(
    start, precision, since, first_month
):
    assert known_from(known_since=since, period_start=start, precision=precision) == first_month
