"""`manage.py reconcile` checks the data against the published figures; only contradictions fail."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cities.models import City
from compacts.models import Assessment, Compact, Stage, TrajectoryFinding
from seed.reconciliation import CONTRADICTION, INCOMPLETE, MATCHES, current_stages, reconcile

JANUARY_2017 = datetime.date(2017, 1, 1)


def _run() -> str:
    out = StringIO()
    call_command("reconcile", stdout=out)
    return out.getvalue()


def _outcomes() -> dict[str, str]:
    return {check.key: check.outcome for check in reconcile()}


def _unassessed_compact_cities(count: int) -> list[City]:
    assessed = Assessment.objects.values("city_id")
    return list(City.objects.compact_cities().exclude(id__in=assessed).order_by("slug")[:count])


def _assess(city: City, stage_key: str) -> Assessment:
    return Assessment.objects.create(
        city=city,
        period_start=JANUARY_2017,
        period_precision="month",
        consensus_stage=Stage.objects.get(key=stage_key),
        status="published",
        published_at=datetime.datetime(2017, 1, 1, tzinfo=datetime.UTC),
    )


def test_on_the_seed_data_every_figure_is_printed_and_the_command_succeeds(seeded, db):
    lines = _run().splitlines()
    assert lines == [
        "23 Compact cities: matches",
        "17 portfolio Compact cities: matches",
        "7 Compact cities with significant funding: matches",
        "8 Compact cities signed in 2010: matches",
        "7 Compact cities signed in 2011: matches",
        "3 Compact cities signed in 2013: matches",
        "2 Compact cities signed in 2014: matches",
        "3 Compact cities signed in 2015: matches",
        "2 Florida DOE compacts: matches",
        "11 Compact cities in the earliest stages, January 2017: published 11, recorded 0 "
        "[incomplete] 11 in the earliest stages published; 0 identified by name; "
        "18 cities not assessed",
        "7 Compact cities at Basic, January 2017: published 7, recorded 0 [incomplete] "
        "7 at Basic published; 0 identified by name; 18 cities not assessed",
        "2 Compact cities at Advanced (Boston, New Orleans), January 2017: matches",
        lines[12],
        "5 Compact cities with significant progress (Boston, Central Falls, Chicago, Denver, "
        "New Orleans): matches",
    ]
    assert lines[12].startswith("10 of 23 Compact cities that lost ground")
    assert "[incomplete] 10 published; 4 identified by name" in lines[12]


def test_the_checks_are_plain_results_without_any_contradiction(seeded, db):
    results = reconcile()
    assert len(results) == 14
    assert {r.outcome for r in results} == {MATCHES, INCOMPLETE}
    basic = next(r for r in results if r.key == "stage-basic-count")
    assert (basic.published, basic.recorded, basic.outcome) == (7, 0, INCOMPLETE)


def test_current_stage_is_the_latest_published_assessment_up_to_the_date(seeded, db):
    boston = City.objects.get(slug="boston")
    advanced = Stage.objects.get(key="advanced").order
    assert current_stages(as_of=JANUARY_2017)[boston.id] == advanced
    assert boston.id not in current_stages(as_of=datetime.date(2016, 12, 31))
    Assessment.objects.create(
        city=boston,
        period_start=datetime.date(2017, 6, 1),
        period_precision="month",
        consensus_stage=Stage.objects.get(key="basic"),
    )  # a draft: not public, so not current
    assert current_stages(as_of=datetime.date(2018, 1, 1))[boston.id] == advanced


def test_a_24th_compact_city_contradicts_the_published_23(seeded, db):
    City.objects.create(
        slug="springfield", name="Springfield", state="IL", entity_name="Springfield",
        kind=City.Kind.COMPACT_CITY,
    )  # fmt: skip
    with pytest.raises(CommandError, match="compact-cities"):
        _run()


def test_boston_recorded_at_basic_contradicts_the_named_advanced_cities(seeded, db):
    Assessment.objects.filter(city__slug="boston").update(
        consensus_stage=Stage.objects.get(key="basic")
    )
    assert _outcomes()["stage-advanced-count"] == CONTRADICTION
    with pytest.raises(CommandError, match="stage-advanced-count"):
        _run()


def test_more_cities_at_basic_than_published_is_a_contradiction(seeded, db):
    for city in _unassessed_compact_cities(8):
        _assess(city, "basic")
    with pytest.raises(CommandError, match="stage-basic-count"):
        _run()


def test_a_third_advanced_city_contradicts_the_two_named(seeded, db):
    _assess(_unassessed_compact_cities(1)[0], "advanced")
    assert _outcomes()["stage-advanced-count"] == CONTRADICTION


def test_an_eleventh_city_that_lost_ground_is_a_contradiction(seeded, db):
    lost = City.objects.compact_cities().filter(trajectory_findings__direction="lost_ground")
    for city in City.objects.compact_cities().exclude(id__in=lost.values("id"))[:7]:
        TrajectoryFinding.objects.create(
            key=f"{city.slug}-test-lost", city=city, direction="lost_ground", summary="test",
            period_precision="unknown",
        )  # fmt: skip
    with pytest.raises(CommandError, match="lost-ground-count"):
        _run()


def test_more_signers_in_a_year_than_published_is_a_contradiction(seeded, db):
    Compact.objects.filter(city__slug="tulsa").update(signing_year=2013)
    outcomes = _outcomes()
    assert outcomes["compact-cohort-2013"] == CONTRADICTION
    assert outcomes["compact-cohort-2014"] == CONTRADICTION  # one short with nothing unknown


def test_an_unknown_portfolio_marker_is_incomplete_not_a_failure(seeded, db):
    Compact.objects.filter(city__slug="denver").update(portfolio_at_signing=None)
    assert _outcomes()["portfolio-compact-cities"] == INCOMPLETE
    assert "17 portfolio Compact cities: published 17, recorded 16 [incomplete]" in _run()


def test_removing_a_named_advanced_assessment_is_incomplete_not_a_failure(seeded, db):
    Assessment.objects.filter(city__slug="new-orleans").delete()
    output = _run()
    assert "[incomplete] not assessed: New Orleans" in output


def test_progress_recorded_as_lost_ground_contradicts_the_five_named_cities(seeded, db):
    TrajectoryFinding.objects.filter(key="chicago-collision-significant-progress").update(
        direction="lost_ground"
    )
    assert _outcomes()["significant-progress-count"] == CONTRADICTION
