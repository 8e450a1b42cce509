"""Beside Figure 6, the documents' own counts of lost ground stand next to what is recorded
here as of the month, with the cities a document names and the candidates."""

import datetime
from collections import defaultdict

import pytest
from django.urls import reverse

from cities.models import City
from cities.timelines import known_findings
from common.choices import LossStatus
from common.dates import month_end
from dashboard.loss_counts import COUNTED, LIST_MOST, loss_counts
from dashboard.selectors import known_figures
from tests.dashboard.test_views import _bulk_cities
from tests.factories import CityFactory, make_stages

pytestmark = pytest.mark.django_db

COLLISION_COURSE = "of the 23 initiatives tracked, nearly half (10) lost ground"


def _counts(as_of: datetime.date):
    return loss_counts(as_of=as_of, findings=known_findings(as_of), figures=known_figures(as_of))


def _page(client, as_of: str) -> str:
    response = client.get(reverse("dashboard:dashboard"), {"as_of": as_of})
    return " ".join(response.content.decode().split())


def test_beside_figure_6_the_documents_count_stands_next_to_the_record(client, seeded):
    page = _page(client, "2026-06")
    counts = _counts(month_end(datetime.date(2026, 6, 1)))

    assert COLLISION_COURSE in page
    assert "Lost ground: the documents' counts beside the record" in page
    assert f"<strong>{counts.recorded_total}</strong> of 23 compact cities" in page
    assert counts.candidates
    assert all(label in page for label in (*counts.named, *counts.candidates))
    # Every city a document names as having lost ground is counted here, never "no".
    recorded = {c for cities in counts.recorded.values() for c in cities}
    assert {label.split(" (")[0] for label in counts.named} <= recorded


def test_a_count_from_a_document_not_yet_out_is_not_shown(client, seeded):
    assert COLLISION_COURSE not in _page(client, "2015-06")


def test_compact_cities_without_a_stage_are_counted_as_unknown_not_as_no_loss(client, seeded):
    counts = _counts(month_end(datetime.date(2015, 1, 1)))

    assert counts.recorded_total == 0
    assert counts.unknown == counts.compact_cities  # no stage published by January 2015
    assert (
        f"For {counts.unknown} of them no stage is published, so whether they lost ground"
        " is unknown." in _page(client, "2015-01")
    )


# The counts below run SQL kept from their first call (common.sql.values_rows); nothing
# reads a standing between a write and the counts, so they must refresh stale cities.


def test_the_recorded_losses_follow_a_new_rating_at_once(seeded):
    from cities.models import City
    from compacts.models import Stage
    from tests.factories import AssessmentFactory

    as_of = month_end(datetime.date(2026, 6, 1))
    peaked = (
        City.objects.compact_cities()
        .with_stage_as_of(as_of)
        .filter(current_stage_order__gte=3, loss_status="no")
        .order_by("name")
        .first()
    )
    label = f"{peaked.name}, {peaked.state}"
    assert label not in {c for cities in _counts(as_of).recorded.values() for c in cities}

    AssessmentFactory(
        city=peaked,
        period_start=datetime.date(2026, 1, 1),
        consensus_stage=Stage.objects.get(order=1),
    )

    assert label in {c for cities in _counts(as_of).recorded.values() for c in cities}


def test_the_published_counts_recorded_beside_follow_a_new_rating_at_once(seeded):
    from cities.models import City
    from compacts.models import Stage
    from dashboard.selectors import _published_counts, known_figures
    from tests.factories import AssessmentFactory

    as_of = month_end(datetime.date(2026, 6, 1))

    def recorded():
        return [count.recorded for count in _published_counts(known_figures(as_of))]

    counted_month = _published_counts(known_figures(as_of))[0].as_of
    unstaged = (
        City.objects.compact_cities()
        .with_stage_as_of(month_end(counted_month))
        .filter(current_stage_order__isnull=True)
        .first()
    )
    before = recorded()  # its SQL kept from here on

    AssessmentFactory(
        city=unstaged,
        period_start=counted_month.replace(day=1),
        consensus_stage=Stage.objects.get(order=2),
    )

    assert recorded() != before


def test_each_loss_counts_every_compact_city_but_names_only_the_first_by_name():
    stages = make_stages()
    _bulk_cities(130, stages)  # compact cities rising and falling quarter by quarter
    CityFactory(name="Aardvark Town", kind="other_locality")  # never counted: no compact city
    as_of = month_end(datetime.date(2013, 6, 1))
    every = City.objects.compact_cities().with_stage_as_of(as_of).order_by("name", "state")
    by_status = defaultdict(list)
    for city in every.values("name", "state", "loss_status"):
        by_status[city["loss_status"]].append(f"{city['name']}, {city['state']}")

    counts = _counts(as_of)

    assert counts.compact_cities == 130
    assert counts.unknown == len(by_status[LossStatus.UNKNOWN])
    assert counts.recorded_total == sum(len(by_status[s]) for s in COUNTED)
    rows = {status: (count, cities) for status, _, count, cities in counts.recorded_rows}
    assert any(count > LIST_MOST for count, _ in rows.values())  # the list is cut somewhere
    for status in COUNTED:
        count, cities = rows[status]
        assert count == len(by_status[status])
        assert cities.shown == tuple(by_status[status][:LIST_MOST])
        assert cities.more == max(count - LIST_MOST, 0)
