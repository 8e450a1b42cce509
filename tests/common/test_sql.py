"""``values_rows`` keeps the SQL a values() queryset compiles to, never its rows."""

import datetime

import pytest

from cities.models import City
from cities.timelines import known_findings
from common import sql
from common.sql import values_rows
from compacts.models import Assessment
from dashboard.selectors import known_figures
from tests.factories import AssessmentFactory, CityFactory, make_stages

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
