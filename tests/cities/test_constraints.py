import datetime

import pytest
from django.db import IntegrityError, transaction

from cities.models import City, Event
from tests.factories import CityFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", ["Co", "co", "C0", ""])
def test_a_state_is_a_two_letter_postal_code(state):
    with pytest.raises(IntegrityError), transaction.atomic():
        CityFactory(state=state)


def test_two_cities_cannot_share_a_slug():
    CityFactory(slug="denver")
    with pytest.raises(IntegrityError), transaction.atomic():
        CityFactory(slug="denver", name="Denver again")


def test_an_unknown_city_kind_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        CityFactory(kind="village")


@pytest.mark.parametrize(
    ("occurred_on", "precision"),
    [
        (None, "year"),  # a missing date must say it is unknown
        (datetime.date(2013, 1, 1), "unknown"),  # an unknown date has no value
        (datetime.date(2013, 6, 1), "year"),  # a year is stored as 1 January
        (datetime.date(2013, 6, 15), "month"),  # a month is stored as its first day
    ],
)
def test_an_event_date_agrees_with_its_precision(occurred_on, precision):
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(occurred_on=occurred_on, date_precision=precision)


def test_an_event_on_a_known_day_or_of_unknown_date_is_accepted():
    EventFactory(occurred_on=datetime.date(2013, 10, 24), date_precision="day")
    EventFactory(occurred_on=None, date_precision="unknown", date_as_written="unknown")
    assert Event.objects.count() == 2
    assert City.objects.count() == 0
