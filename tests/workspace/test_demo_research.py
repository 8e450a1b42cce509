"""``manage.py demo_research``: realistic research records for looking at the pages."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cities.models import City
from tests.factories import CityFactory
from workspace import calibration, coverage
from workspace.models import Assignment, Interview, Rating, Vignette

pytestmark = pytest.mark.django_db


def test_demo_research_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("demo_research", stdout=io.StringIO())
    assert not Vignette.objects.exists()


def test_demo_research_builds_rated_city_periods_and_calibration(settings, stages):
    settings.DEBUG = True
    for name in ("Denver", "Boston", "Oakland"):
        CityFactory(name=name)

    call_command("demo_research", "--cities", "3", stdout=io.StringIO())

    rows = coverage.coverage_rows(cities=City.objects.all())
    assert len(rows) == 12  # 3 cities x 4 years
    assert Rating.objects.exists()
    assert Interview.objects.exists()
    assert Assignment.objects.exists()
    assert Vignette.objects.count() == 7
    assert len(calibration.calibrations()) == 4
    with pytest.raises(CommandError, match="already here"):
        call_command("demo_research", stdout=io.StringIO())
