"""A new trajectory finding is recorded for alerts by a database trigger, whoever adds it,
except the seed; the record's admin stays as compacts defines it."""

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import transaction

from alerts.models import FindingAdded
from common.seeding import seeding
from compacts.admin import TrajectoryFindingAdmin
from compacts.models import TrajectoryFinding
from tests.factories import CityFactory, TrajectoryFindingFactory

pytestmark = pytest.mark.django_db


def test_a_finding_added_outside_the_admin_is_recorded_once():
    finding = TrajectoryFindingFactory(city=CityFactory())

    assert list(FindingAdded.objects.values_list("finding", flat=True)) == [finding.pk]


def test_a_seed_run_records_no_finding():
    call_command("seed", stdout=io.StringIO())

    assert TrajectoryFinding.objects.exists()
    assert not FindingAdded.objects.exists()


def test_a_finding_added_after_the_seed_in_the_same_transaction_is_recorded():
    city = CityFactory()
    with transaction.atomic(), seeding():
        TrajectoryFindingFactory(city=city)

    later = TrajectoryFindingFactory(city=city)

    assert list(FindingAdded.objects.values_list("finding", flat=True)) == [later.pk]


def test_the_record_admin_of_findings_is_the_one_compacts_defines():
    assert type(admin.site._registry[TrajectoryFinding]) is TrajectoryFindingAdmin
