"""Every public table replaces the data version when it changes; workspace tables don't."""

import pytest
from django.apps import apps
from django.db import connection

from caching.triggers import PUBLIC_APPS, TRIGGER
from caching.versions import data_version
from tests.factories import CityFactory, InterviewFactory

pytestmark = pytest.mark.django_db


def _tables_with_the_trigger() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgname = %s",
            [TRIGGER],
        )
        return {row[0] for row in cursor.fetchall()}


def test_every_table_of_every_public_app_has_the_trigger():
    public = {
        model._meta.db_table
        for label in PUBLIC_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    assert public <= _tables_with_the_trigger()
    assert {"cities_city", "compacts_assessment", "sources_citation"} <= public


def test_workspace_tables_have_none():
    workspace = {m._meta.db_table for m in apps.get_app_config("workspace").get_models()}
    assert not workspace & _tables_with_the_trigger()


def test_a_public_write_replaces_the_version_and_a_confidential_one_does_not():
    city = CityFactory()
    before = data_version()

    InterviewFactory(city=city)
    assert data_version() == before

    CityFactory()
    assert data_version() != before


@pytest.mark.django_db(transaction=True)
def test_the_version_lookup_reconnects_when_the_connection_was_dropped():
    first = data_version()
    connection.connection.close()  # as a server restart would drop it

    assert data_version() == first
