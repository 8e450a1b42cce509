"""``values_rows`` and ``kept_instances`` keep the SQL a queryset compiles to, never its rows."""

import datetime

import pytest

from cities.models import City
from cities.timelines import known_findings
from common import sql
from common.prefetched import set_prefetched
from common.sql import ids_in, values_rows
from compacts.claims import current_claims
from compacts.models import Assessment
from dashboard.selectors import known_figures
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    TrajectoryFindingFactory,
    make_stages,
)

pytestmark = pytest.mark.django_db


def test_the_rows_are_the_querysets_own_and_new_rows_show_at_once():
    stages = make_stages()
    boston = CityFactory(name="Boston")
    built = []

    def assessments():
        built.append(1)
        return (
            Assessment.objects.filter(city__name="Boston")
            .order_by("period_start")
            .values("period_start", "city__name", "consensus_stage__order")
        )

    AssessmentFactory(city=boston, consensus_stage=stages["Basic"])
    first = values_rows(("boston", 1), assessments)
    AssessmentFactory(
        city=boston, period_start=datetime.date(2018, 1, 1), consensus_stage=stages["Advanced"]
    )
    second = values_rows(("boston", 1), assessments)

    assert first == list(assessments())[:1]
    assert second == list(assessments())
    assert [row["consensus_stage__order"] for row in second] == [2, 4]
    assert len(built) == 1 + 2  # compiled once; the two other builds are this test's own


def test_only_the_newest_keys_are_kept(monkeypatch):
    monkeypatch.setattr(sql, "_COMPILED_MOST", 2)
    monkeypatch.setattr(sql, "_compiled", sql.OrderedDict())
    built = []

    def cities(name):
        def build():
            built.append(name)
            return City.objects.filter(name=name).values("name")

        return build

    for name in ("a", "b", "a", "c", "a", "b"):
        values_rows(name, cities(name))

    assert built == ["a", "b", "c", "b"]  # "a" read last stayed; "b" had to go for "c"
    sql.forget_compiled()
    values_rows("a", cities("a"))
    assert built[-1] == "a"  # compiled again, as a new process would


@pytest.mark.parametrize("month", ["2013-12-31", "2016-06-30", "2017-01-31", "2026-12-31"])
def test_the_dashboards_findings_and_figures_read_as_the_querysets_do(seeded, month):
    as_of = datetime.date.fromisoformat(month)
    every = list(City.objects.values_list("pk", flat=True))

    assert known_findings(as_of) == known_findings(as_of, every)
    figures = known_figures(as_of)
    assert figures == known_figures(as_of)  # the second from the kept SQL
    assert all(set(row) >= {"key", "quote", "stage__order"} for row in figures)


def test_a_filter_by_an_empty_list_gives_no_rows_and_runs_no_query(django_assert_num_queries):
    CityFactory()

    with django_assert_num_queries(0):
        assert values_rows("none", lambda: City.objects.filter(pk__in=[]).values("pk")) == []
        assert values_rows("none", lambda: City.objects.filter(pk__in=[]).values("pk")) == []


def test_the_dashboards_sources_notes_read_from_kept_sql_name_what_a_fresh_read_names(seeded):
    from dashboard.selectors import dashboard_snapshot

    # Each query differs from the one before in one input the kept SQL depends on (the
    # month, the cities, the timeline's cities), and comes twice: compiled, then kept.
    queries = [
        {"as_of": "2017-01"},
        {"as_of": "2017-01", "state": "TN"},
        {"as_of": "2026-06", "state": "TN"},
        {"as_of": "2026-06"},
        {"as_of": "2026-06", "city": ["boston", "denver"]},
    ]
    named = set()
    for query in [q for q in queries for _ in range(2)]:
        slugs = query.pop("city", [])
        together = dashboard_snapshot(params=query, timeline_slugs=slugs)
        together.read_sources()  # the three notes in one query, its SQL kept
        one_by_one = dashboard_snapshot(params=query, timeline_slugs=slugs)  # each afresh
        query["city"] = slugs

        for note in ("assessment_sources", "timeline_sources", "matrix_sources"):
            assert getattr(together, note) == getattr(one_by_one, note), (query, note)
            named.update(getattr(together, note).titles)
    assert len(named) > 3


# kept_instances: model instances from kept SQL, the city as a parameter ---------------------


def _assessments_of(city_id):
    return (
        Assessment.objects.with_claims()
        .select_related("city", "consensus_stage")
        .filter(city_id=city_id)
        .order_by("period_start")
    )


def _as_read(assessments):
    return [
        (a.pk, a.period_start, a.city.name, a.consensus_stage.name, a.rating_low_name)
        for a in assessments
    ]


def test_instances_from_kept_sql_are_the_querysets_own_for_each_argument():
    stages = make_stages()
    boston, denver = CityFactory(name="Boston"), CityFactory(name="Denver")
    AssessmentFactory(city=boston, consensus_stage=stages["Basic"])
    AssessmentFactory(city=denver, consensus_stage=stages["Advanced"])
    AssessmentFactory(
        city=denver, period_start=datetime.date(2018, 1, 1), consensus_stage=stages["Emerging"]
    )

    for city in (boston, denver, boston):  # one SQL, compiled for the first, kept after
        kept = sql.kept_instances("assessments of a city", _assessments_of, city.pk)
        assert _as_read(kept) == _as_read(_assessments_of(city.pk))
    assert [a.consensus_stage.name for a in kept] == ["Basic"]


def test_a_kept_sql_refuses_an_argument_it_would_not_send_as_a_parameter():
    CityFactory()

    # A list given to __in is spread into one parameter per id, so a list of another length
    # would need other SQL: it must go as one array (ids_in).
    with pytest.raises(ValueError, match="not parameters"):
        values_rows("spread", lambda ids: City.objects.filter(pk__in=ids).values("pk"), [1, 2])
    with pytest.raises(ValueError, match="one query"):
        sql.kept_instances("prefetch", lambda pk: City.objects.prefetch_related("notes"), 1)
    rows = values_rows(
        "array", lambda ids: City.objects.filter(pk__in=ids_in(ids)).values("pk"), []
    )
    assert rows == []


def test_a_prefetched_relation_gives_its_rows_without_a_query_and_filters_within_them(
    django_assert_num_queries,
):
    boston, denver = CityFactory(name="Boston"), CityFactory(name="Denver")
    findings = [TrajectoryFindingFactory(city=boston), TrajectoryFindingFactory(city=boston)]
    TrajectoryFindingFactory(city=denver)

    set_prefetched(boston, "trajectory_findings", findings[:1])

    with django_assert_num_queries(0):
        assert list(boston.trajectory_findings.all()) == findings[:1]
    # A further filter asks the database, for this city's findings only.
    assert set(boston.trajectory_findings.filter(key__startswith="finding")) == set(findings)


def test_claims_and_findings_of_one_set_of_cities_then_another_are_each_sets_own():
    # Both read kept SQL that takes the cities as array arguments: one SQL, any cities.
    stages = make_stages()
    boston, denver = CityFactory(name="Boston"), CityFactory(name="Denver")
    for city, stage in ((boston, "Basic"), (denver, "Advanced")):
        AssessmentFactory(city=city, consensus_stage=stages[stage])
        TrajectoryFindingFactory(city=city, summary=f"{city.name} slowed.")
    period = Assessment.objects.get(city=boston).period_start
    as_of = datetime.date(2026, 11, 30)

    for city in (boston, denver, boston):
        claims = current_claims({city.pk: period})
        findings = known_findings(as_of, [city.pk])

        assert set(claims) == {city.pk}
        assert [row["summary"] for row in findings] == [f"{city.name} slowed."]
    assert len(known_findings(as_of, [boston.pk, denver.pk])) == 2
