import datetime

import pytest

from cities.timelines import city_timeline
from dashboard.selectors import dashboard_snapshot
from tests.factories import (
    CityFactory,
    CompactFactory,
    EventFactory,
    InitiativeFactory,
    InitiativeStatusFactory,
    InitiativeTypeFactory,
    PublishedFigureFactory,
    TrajectoryFindingFactory,
)

pytestmark = pytest.mark.django_db


def _row(snapshot, slug):
    return next(city for city in snapshot.cities if city.slug == slug)


@pytest.mark.parametrize(
    ("as_of", "current", "peak", "backslid"),
    [
        ("2011-06", None, None, False),
        ("2013-06", "Basic", "Basic", False),
        ("2015-06", "Advanced", "Advanced", False),
        ("2017-06", "Emerging", "Advanced", True),
        ("2019-06", "Intermediate", "Advanced", True),
    ],
)
def test_peak_current_and_backslid_follow_a_city_that_rose_fell_and_rose_again(
    rise_fall_rise, as_of, current, peak, backslid
):
    row = _row(dashboard_snapshot(params={"as_of": as_of}), "zigzag")

    assert (row.current_name, row.peak_name, row.backslid) == (current, peak, backslid)


def test_draft_assessments_never_count_even_when_newest_and_highest(rise_fall_rise):
    row = _row(dashboard_snapshot(params={"as_of": "2020-01"}), "zigzag")

    assert row.current_name == "Intermediate"
    assert row.peak_name == "Advanced"


def test_a_city_with_no_published_assessment_is_not_assessed_never_baseline(stages):
    CityFactory(slug="quiet")

    row = _row(dashboard_snapshot(params={}), "quiet")

    assert not row.assessed
    assert row.current_order is None
    assert not row.backslid


def test_a_date_before_any_assessment_leaves_every_city_not_assessed(rise_fall_rise, boston):
    snapshot = dashboard_snapshot(params={"as_of": "2000-01"})

    assert [city.assessed for city in snapshot.cities] == [False, False]
    assert snapshot.distribution_rows == []
    assert snapshot.assessment_sources.newest_period is None


def test_a_city_with_one_assessment_is_at_its_peak_and_has_not_backslid(boston):
    row = _row(dashboard_snapshot(params={"as_of": "2016-12"}), "boston")

    assert (row.current_name, row.peak_name, row.backslid) == ("Advanced", "Advanced", False)


def test_no_cities_match_gives_empty_parts(rise_fall_rise):
    snapshot = dashboard_snapshot(params={"state": "CO", "backslid": "no", "as_of": "2019-06"})

    assert snapshot.cities == []
    assert snapshot.distribution_rows == []
    assert snapshot.timeline.cities == ()
    assert all(tc.total == 0 for tc in snapshot.matrix.types)


def test_filters_on_stage_and_backslid_use_the_as_of_date(rise_fall_rise, boston):
    backslid = dashboard_snapshot(params={"as_of": "2017-06", "backslid": "yes"})
    advanced = dashboard_snapshot(params={"as_of": "2017-06", "stage": "advanced"})
    earlier = dashboard_snapshot(params={"as_of": "2015-06", "stage": "advanced"})

    assert [c.slug for c in backslid.cities] == ["zigzag"]
    assert [c.slug for c in advanced.cities] == ["boston"]
    assert [c.slug for c in earlier.cities] == ["zigzag"]


def test_not_assessed_stage_filter_and_state_program_year_filters(stages, boston):
    CityFactory(slug="quiet", state="TX")
    CompactFactory(
        city=CityFactory(slug="florida", state="FL"), program="florida_doe", signing_year=2014
    )

    not_assessed = dashboard_snapshot(params={"stage": "not-assessed"}).cities
    assert {c.slug for c in not_assessed} == {"florida", "quiet"}
    assert [c.slug for c in dashboard_snapshot(params={"state": "TX"}).cities] == ["quiet"]
    assert [c.slug for c in dashboard_snapshot(params={"program": "florida_doe"}).cities] == [
        "florida"
    ]
    assert [c.slug for c in dashboard_snapshot(params={"program": "none"}).cities] == ["quiet"]
    assert [c.slug for c in dashboard_snapshot(params={"signing_year": "2014"}).cities] == [
        "florida"
    ]


def test_cities_sort_by_current_stage_then_peak_or_by_name(rise_fall_rise, boston, stages):
    CityFactory(name="Aardvark", slug="aardvark")
    by_stage = dashboard_snapshot(params={"as_of": "2017-06"})
    by_name = dashboard_snapshot(params={"as_of": "2017-06", "sort": "name"})

    assert [c.slug for c in by_stage.cities] == ["boston", "zigzag", "aardvark"]
    assert [c.slug for c in by_name.cities] == ["aardvark", "boston", "zigzag"]


def test_an_invalid_as_of_falls_back_to_today_and_reports_the_error(boston):
    snapshot = dashboard_snapshot(params={"as_of": "someday"})

    assert snapshot.filterset.form.errors
    assert _row(snapshot, "boston").current_name == "Advanced"


def test_trajectory_findings_come_with_their_evidence_known_by_the_as_of_date(boston):
    from tests.factories import SourceFactory, cite

    finding = TrajectoryFindingFactory(city=boston, period_start=datetime.date(2013, 1, 1))
    cite(finding, source=SourceFactory(title="Collision Course"), quote="lost ground")
    TrajectoryFindingFactory(city=boston, period_start=datetime.date(2018, 1, 1))

    snapshot = dashboard_snapshot(params={"as_of": "2017-06"})
    row = _row(snapshot, "boston")
    (drawn,) = snapshot.with_details([row])
    (only,) = drawn.findings

    assert row.has_findings  # the long list knows there is one
    assert drawn.has_findings

    assert only.direction == "lost_ground"
    assert "lost ground" in only.evidence
    assert "Collision Course" in only.evidence


def test_timeline_shows_published_points_and_events_of_the_chosen_cities(rise_fall_rise, boston):
    event = EventFactory(occurred_on=datetime.date(2015, 1, 1))
    event.cities.add(rise_fall_rise)

    timeline, stages, _ = city_timeline(slugs=["zigzag"], as_of=datetime.date(2020, 1, 1))

    assert [p.stage_name for p in timeline.points] == [
        "Basic",
        "Advanced",
        "Emerging",
        "Intermediate",
    ]
    assert [e.title for e in timeline.events] == [event.title]
    assert len(stages) == 6


def test_matrix_counts_initiatives_per_type_by_status_as_of_the_date(boston):
    enrollment = InitiativeTypeFactory()
    first = InitiativeFactory(city=boston, type=enrollment, start_year=2013)
    InitiativeStatusFactory(initiative=first, status="active", as_of_year=2014)
    InitiativeStatusFactory(initiative=first, status="abandoned", as_of_year=2016)
    InitiativeFactory(city=boston, type=enrollment, start_year=2013)
    InitiativeFactory(city=boston, type=enrollment, start_year=2019)

    early = dashboard_snapshot(params={"as_of": "2015-06"}).matrix
    late = dashboard_snapshot(params={"as_of": "2017-06", "initiative_type": enrollment.key}).matrix

    assert early.types[0].by_status == {"active": 1, "unknown": 1}
    assert late.types[0].by_status == {"abandoned": 1, "unknown": 1}
    assert len(late.initiatives) == 2


def test_published_stage_counts_sit_beside_the_counts_recorded_for_that_month(stages, boston):
    from tests.factories import SourceFactory, cite

    advanced = PublishedFigureFactory(key="stage-advanced-count", value=2, stage=stages["Advanced"])
    # Its primary citation is the one quoted, whatever was cited first.
    cite(advanced, source=SourceFactory(title="A later note"), quote="two or so", is_primary=False)
    cite(advanced, source=SourceFactory(title="Collision Course"), quote="two were Advanced")
    PublishedFigureFactory(key="stage-earliest-count", value=11, stage=None)
    PublishedFigureFactory(key="compact-cities", value=23, stage=None)

    counts = dashboard_snapshot(params={"as_of": "2020-01"}).published_counts
    before = dashboard_snapshot(params={"as_of": "2016-06"}).published_counts

    assert [(c.label, c.published, c.recorded) for c in counts] == [
        ("Earliest stages (baseline, Emerging)", 11, 0),
        ("Advanced", 2, 1),
    ]
    assert before == []
    assert (counts[1].source_title, counts[1].quote) == ("Collision Course", "two were Advanced")
    assert (counts[0].source_title, counts[0].quote) == ("", "")  # no citation: none invented


def test_every_city_is_said_only_when_no_filter_narrows_the_cities(seeded):
    from cities.models import City
    from common.sql import ids_in
    from dashboard.filters import DashboardFilter
    from dashboard.selectors import _matrix

    every = sorted(City.objects.values_list("pk", flat=True))

    def snapshot(**params):
        made = dashboard_snapshot(params=params)
        if made.filterset.every_city:  # never said of a narrowed list
            assert sorted(made.city_ids) == every, params
        return made

    assert snapshot().filterset.every_city
    assert snapshot(as_of="2017-06", sort="name").filterset.every_city
    assert snapshot(state="no such state").filterset.every_city  # refused, so not applied
    narrowing = set(DashboardFilter.base_filters) - {"as_of", "sort"}
    fields = snapshot().filterset.form.fields
    for name in sorted(narrowing):
        choices = [value for value, _ in getattr(fields[name], "choices", []) if value]
        for value in choices or ["bos"]:
            made = snapshot(**{name: value})
            assert not made.filterset.every_city, (name, value)
    # With every city, Figure 7 counts what it counts from the full list of ids (network
    # initiatives, of no city, stay out either way).
    made = snapshot()
    args = (made.as_of, made.filterset.initiative_types, "common-enrollment")
    by_subquery = _matrix(City.objects.values("pk"), *args)
    assert by_subquery == _matrix(ids_in(every), *args)
    assert sum(t.total for t in by_subquery.types) > 0
