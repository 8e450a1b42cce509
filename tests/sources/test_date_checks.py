"""Django checks the date constraints against a row before it is saved (full_clean), in
PostgreSQL; they must be checkable when the date is unknown (NULL), and still refuse a
date that does not start its period."""

import datetime
import logging

import pytest
from django.core.exceptions import ValidationError

from common.choices import DatePrecision
from sources.models import Source
from tests.factories import user_with_role
from workspace import services

pytestmark = pytest.mark.django_db


def test_creating_a_source_logs_no_database_error(caplog):
    caplog.set_level(logging.WARNING)
    services.source_create(user=user_with_role("researcher"), title="A brief", kind="brief")
    assert not [r for r in caplog.records if "database error calling check()" in r.getMessage()]


def test_a_month_that_does_not_start_on_its_first_day_is_still_refused(caplog):
    caplog.set_level(logging.WARNING)
    source = Source(
        key="late",
        title="Late",
        kind=Source.Kind.REPORT,
        published_on=datetime.date(2017, 3, 5),
        date_precision=DatePrecision.MONTH,
    )
    with pytest.raises(ValidationError, match="source_period_starts_on_first"):
        source.full_clean()
    quarter = Source(
        key="q",
        title="Q",
        kind=Source.Kind.REPORT,
        published_on=datetime.date(2017, 2, 1),
        date_precision=DatePrecision.QUARTER,
    )
    with pytest.raises(ValidationError, match="source_quarter_starts_quarter"):
        quarter.full_clean()
    assert not caplog.records
