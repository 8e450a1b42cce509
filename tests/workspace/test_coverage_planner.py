"""The coverage planner: every city for every period, what each still needs by the publishing rule,
its filters, its CSV, assignments, and a query count that does not grow with cities."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cities.models import City
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    EvidenceFactory,
    RatingFactory,
    SourceFactory,
    user_with_role,
)
from workspace import coverage, selectors
from workspace.models import Assignment

pytestmark = pytest.mark.django_db

Y2016, Y2017 = datetime.date(2016, 1, 1), datetime.date(2017, 1, 1)
PERIOD_2017 = coverage.Period(Y2017, "year")


def _draft(city, start=Y2017, consensus=None):
    return AssessmentFactory(
        city=city, period_start=start, period_precision="year", status="draft",
        published_at=None, consensus_stage=consensus,
    )  # fmt: skip


def _rate(assessment, rater, stage, *sectors):
    rating = RatingFactory(assessment=assessment, rater=rater, stage=stage)
    for sector in sectors:
        EvidenceFactory(rating=rating, interview__sector=sector)
    return rating


def _rows(show=""):
    return coverage.fill_rows(coverage.coverage_rows(cities=City.objects.all(), show=show))


def _names(rows):
    return [(row.city.name, row.period.label) for row in rows]


def test_the_grid_has_every_city_for_every_period_assessments_use(stages):
    denver, boston = CityFactory(name="Denver"), CityFactory(name="Boston")
    _draft(denver, Y2016)
    _draft(boston, Y2017)

    rows = _rows()

    assert _names(rows) == [
        ("Boston", "2017"), ("Boston", "2016"), ("Denver", "2017"), ("Denver", "2016"),
    ]  # fmt: skip
    assert [row.status_label for row in rows] == [
        "Draft: ratings outstanding", "No assessment yet", "No assessment yet",
        "Draft: ratings outstanding",
    ]  # fmt: skip
    assert rows[1].needs[0] == "an assessment"


def test_a_row_counts_interviews_by_sector_and_evidence_by_side(stages):
    draft = _draft(CityFactory(name="Denver"))
    _rate(draft, user_with_role("researcher"), stages["Basic"], "district", "state", "community")

    (row,) = _rows()

    assert dict(row.sectors) == {
        "District": 1, "Charter": 0, "Community": 1, "State": 1, "Funder": 0, "Other": 0,
    }  # fmt: skip
    assert (row.coverage.district_interviews, row.coverage.charter_interviews) == (1, 0)
    assert row.needs_charter


def test_what_a_row_still_needs_is_the_publish_services_own_rule(stages):
    """The planner shows ``Coverage.needs`` of the same ``Coverage`` the publish service
    checks: no copy of the rule to drift apart."""
    draft = _draft(CityFactory(name="Denver"))
    _rate(draft, user_with_role("researcher"), stages["Basic"], "district")

    (row,) = _rows()

    assert row.coverage == selectors.evidence_coverage(assessment=draft)
    assert row.needs == [
        "a charter-side interview, or a checked source passage",
        "a consensus stage",
    ]


def test_a_short_quote_does_not_count_as_the_charter_side(stages):
    draft = _draft(CityFactory(name="Denver"))
    rating = _rate(draft, user_with_role("researcher"), stages["Basic"], "district")
    EvidenceFactory(
        rating=rating, interview=None, source=SourceFactory(), quote="lost ground",
        quote_check="found",
    )  # fmt: skip

    (row,) = _rows(coverage.NEEDS_CHARTER)

    assert row.coverage.insubstantial_quotes == 1
    assert row.coverage.sources == 0


def test_ready_to_publish_lists_drafts_with_both_sides_all_assigned_ratings_and_a_consensus(
    stages,
):
    alice, bob = user_with_role("researcher", "alice"), user_with_role("researcher", "bob")
    lead = user_with_role("lead")
    ready = _draft(CityFactory(name="Ready"), consensus=stages["Basic"])
    _rate(ready, alice, stages["Basic"], "district", "charter")
    waiting = _draft(CityFactory(name="Waiting"), consensus=stages["Basic"])
    _rate(waiting, alice, stages["Basic"], "district", "charter")
    one_side = _draft(CityFactory(name="One side"), consensus=stages["Basic"])
    _rate(one_side, alice, stages["Basic"], "district")
    for city, researcher in [("Ready", alice), ("Waiting", alice), ("Waiting", bob)]:
        coverage.assignment_create(
            user=lead, city=City.objects.get(name=city), period=PERIOD_2017, researcher=researcher
        )

    rows = _rows(coverage.READY)
    by_city = {row.city.name: row for row in _rows()}

    assert _names(rows) == [("Ready", "2017")]
    assert by_city["Waiting"].status_label == "Draft: ratings outstanding"
    assert by_city["Waiting"].needs == ["ratings from bob"]
    assert by_city["Ready"].status_label == "Draft: all assigned ratings in"


def test_needs_the_charter_side_leaves_out_rows_with_a_charter_interview_or_a_source(stages):
    researcher = user_with_role("researcher")
    _rate(_draft(CityFactory(name="Districts only")), researcher, stages["Basic"], "district")
    _rate(_draft(CityFactory(name="Both")), researcher, stages["Basic"], "district", "charter")
    sourced = _rate(_draft(CityFactory(name="Sourced")), researcher, stages["Basic"])
    EvidenceFactory(
        rating=sourced, interview=None, source=SourceFactory(), quote_check="found",
        quote="The district and the charter schools now share one enrollment system.",
    )  # fmt: skip

    assert _names(_rows(coverage.NEEDS_CHARTER)) == [("Districts only", "2017")]


def test_one_rater_only_lists_city_periods_rated_by_exactly_one_researcher(stages):
    alice, bob = user_with_role("researcher", "alice"), user_with_role("researcher", "bob")
    single = _draft(CityFactory(name="Single"))
    _rate(single, alice, stages["Basic"])
    double = _draft(CityFactory(name="Double"))
    _rate(double, alice, stages["Basic"])
    _rate(double, bob, stages["Basic"])
    _draft(CityFactory(name="Unrated"))

    assert _names(_rows(coverage.ONE_RATER)) == [("Single", "2017")]


def test_the_page_filters_and_its_csv_holds_the_same_rows(client, stages):
    alice = user_with_role("researcher", "alice")
    _rate(_draft(CityFactory(name="Single")), alice, stages["Basic"], "district")
    _draft(CityFactory(name="Unrated"))
    client.force_login(alice)

    page = client.get(reverse("workspace:coverage"), {"show": coverage.ONE_RATER})
    response = client.get(reverse("workspace:coverage-csv"), {"show": coverage.ONE_RATER})
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert "Single, 2017" in page.content.decode()
    assert "Unrated, 2017" not in page.content.decode()
    assert lines[0] == coverage.CSV_HEADER
    assert [line[:4] for line in lines[1:]] == [
        ["Single", "CO", "2017", "Draft: rated, nobody assigned"]
    ]
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_filter_value_is_refused_with_a_message_not_an_error(client, stages):
    _draft(CityFactory(name="Denver"))
    client.force_login(user_with_role("researcher"))

    page = client.get(reverse("workspace:coverage"), {"show": "everything"})

    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()


def test_the_planner_makes_as_many_queries_for_50_cities_as_for_5_under_every_filter(
    client, stages
):
    researcher = user_with_role("researcher")
    client.force_login(researcher)
    # One build of the 50 cities serves every filter (it is the costly part).
    shows = ["", coverage.READY, coverage.NEEDS_CHARTER, coverage.ONE_RATER]

    def build(count):
        for _ in range(count):
            draft = _draft(CityFactory(), consensus=stages["Basic"])
            _rate(draft, researcher, stages["Basic"], "district", "charter")
            _draft(draft.city, Y2016)

    def queries(show):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("workspace:coverage"), {"show": show}).status_code == 200
        return len(captured)

    build(5)
    five = {show: queries(show) for show in shows}
    build(45)
    fifty = {show: queries(show) for show in shows}

    assert fifty == five


def test_only_a_lead_assigns_and_a_second_assignment_is_refused(stages):
    city = CityFactory(name="Denver")
    researcher, lead = user_with_role("researcher", "alice"), user_with_role("lead")
    with pytest.raises(PermissionDenied):
        coverage.assignment_create(
            user=researcher, city=city, period=PERIOD_2017, researcher=researcher
        )
    coverage.assignment_create(user=lead, city=city, period=PERIOD_2017, researcher=researcher)

    with pytest.raises(ValidationError) as refused:
        coverage.assignment_create(user=lead, city=city, period=PERIOD_2017, researcher=researcher)

    assert refused.value.messages == ["alice is already assigned to Denver, 2017."]
    assert Assignment.objects.count() == 1


def test_a_funder_cannot_be_assigned(stages):
    funder = user_with_role("funder", "fran")
    with pytest.raises(ValidationError) as refused:
        coverage.assignment_create(
            user=user_with_role("lead"), city=CityFactory(), period=PERIOD_2017, researcher=funder
        )
    assert refused.value.messages == [coverage.NOT_A_RESEARCHER.format(username="fran")]
    assert not Assignment.objects.exists()


def test_a_lead_assigns_through_the_form_and_the_researcher_sees_it_on_their_home(client, stages):
    denver = CityFactory(name="Denver")
    draft = _draft(denver)
    alice = user_with_role("researcher", "alice")
    client.force_login(user_with_role("lead"))

    response = client.post(
        reverse("workspace:assignment-create"),
        {"city": denver.pk, "period": PERIOD_2017.key, "researcher": alice.pk},
        follow=True,
    )
    client.force_login(alice)
    home = client.get(reverse("workspace:workspace")).content.decode()

    assert "alice is assigned to Denver, 2017." in response.content.decode()
    assert "Assigned to you" in home
    assert reverse("workspace:rating-edit", args=[draft.pk]) in home


def test_an_assignment_to_an_unknown_period_is_refused_with_a_message(client, stages):
    denver = CityFactory(name="Denver")
    _draft(denver)
    alice = user_with_role("researcher", "alice")
    client.force_login(user_with_role("lead"))

    response = client.post(
        reverse("workspace:assignment-create"),
        {"city": denver.pk, "period": "1999-01-01/year", "researcher": alice.pk},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_rated_draft_nobody_was_assigned_to_says_so(stages):
    draft = _draft(CityFactory(name="Unassigned"))
    _rate(draft, user_with_role("researcher"), stages["Basic"], "district")

    (row,) = _rows()

    assert row.status_label == "Draft: rated, nobody assigned"
