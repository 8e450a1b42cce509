"""Figure 7 and the comparison count initiatives by their status in a year with one set-based
query; the counts must be those of each initiative's current status read one by one."""

import datetime
from collections import Counter

import pytest

from compacts.models import Initiative, InitiativeStatus
from tests.factories import (
    CityFactory,
    InitiativeFactory,
    InitiativeStatusFactory,
    InitiativeTypeFactory,
)

pytestmark = pytest.mark.django_db

Status = InitiativeStatus.Status


def counted_one_by_one(initiatives, as_of, per):
    counts = Counter(
        (row[per], row["current_status"])
        for row in initiatives.started_by(as_of)
        .with_current_status(as_of)
        .values(per, "current_status")
    )
    by_value: dict[int, dict[str, int]] = {}
    for (value, status), n in counts.items():
        by_value.setdefault(value, {})[status] = n
    return by_value


def test_status_counts_equal_each_initiatives_current_status_counted():
    boston, denver, elsewhere = CityFactory(), CityFactory(), CityFactory()
    enrollment = InitiativeTypeFactory()
    transport = InitiativeTypeFactory(key="transport", label="Transport")

    def initiative(city, kind, *statuses, start_year=2013):
        made = InitiativeFactory(city=city, type=kind, start_year=start_year)
        for status, year in statuses:
            InitiativeStatusFactory(initiative=made, status=status, as_of_year=year)
        return made

    # Later statuses win; a status after the year does not count yet; an undated status is
    # the oldest; none at all is unknown; an initiative begun after the year is not counted.
    initiative(boston, enrollment, (Status.ACTIVE, 2014), (Status.STALLED, 2016))
    initiative(boston, enrollment, (Status.ACTIVE, 2015), (Status.ABANDONED, 2019))
    initiative(boston, transport, (Status.ACHIEVED, None), (Status.ACTIVE, 2015))
    initiative(denver, transport, (Status.ACHIEVED, None))
    initiative(denver, enrollment)
    initiative(denver, enrollment, (Status.ACTIVE, 2016), start_year=None)
    initiative(denver, transport, (Status.ACTIVE, 2016), start_year=2018)
    initiative(elsewhere, enrollment, (Status.STALLED, 2016))
    chosen = Initiative.objects.filter(city__in=[boston, denver])

    for as_of in (datetime.date(2016, 12, 31), datetime.date(2013, 1, 31)):
        for per in ("type_id", "city_id"):
            assert chosen.status_counts(as_of, per=per) == counted_one_by_one(chosen, as_of, per), (
                as_of,
                per,
            )
    assert chosen.status_counts(datetime.date(2016, 12, 31), per="type_id") == {
        enrollment.pk: {Status.STALLED: 1, Status.ACTIVE: 2, Status.UNKNOWN: 1},
        transport.pk: {Status.ACTIVE: 1, Status.ACHIEVED: 1},
    }


def test_no_initiative_to_count_gives_no_counts(django_assert_num_queries):
    InitiativeStatusFactory()

    with django_assert_num_queries(0):
        counts = Initiative.objects.filter(city_id__in=[]).status_counts(
            datetime.date(2016, 12, 31), per="city_id"
        )

    assert counts == {}
    assert (
        Initiative.objects.filter(start_year=1900).status_counts(
            datetime.date(2016, 12, 31), per="city_id"
        )
        == {}
    )
