"""Every public table replaces the data version when it changes; workspace tables don't."""

import pgtrigger
import pytest
from django.apps import apps
from django.db import connection

from caching.triggers import DATA_VERSION, PUBLIC_APPS, public_models
from caching.versions import data_version
from tests.factories import CityFactory, EventFactory, InterviewFactory

pytestmark = pytest.mark.django_db


def _tables_with_the_trigger() -> set[str]:
    """Tables on which the data-version trigger is installed and enabled, asked of PostgreSQL
    by the trigger's name (pgtrigger names it pgtrigger_data_version_<hash of the model>)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgenabled = 'O' AND t.tgname LIKE %s",
            [f"pgtrigger\\_{DATA_VERSION.name}\\_%"],
        )
        return {row[0] for row in cursor.fetchall()}


def _public_tables_missing_the_trigger() -> set[str]:
    public = {
        model._meta.db_table
        for label in PUBLIC_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not getattr(model, "DATA_VERSION_EXEMPT", "")
    }
    return public - _tables_with_the_trigger()


def test_every_table_of_every_public_app_has_the_trigger():
    assert _public_tables_missing_the_trigger() == set()


def test_the_public_tables_include_link_and_history_tables():
    tables = {model._meta.db_table for model in public_models()}

    assert {"cities_city", "compacts_assessment", "sources_citation"} <= tables
    assert "compacts_historicalassessment" in tables  # simple_history's
    assert "cities_event_cities" in tables  # an auto-created many-to-many table


def test_a_public_table_without_the_trigger_is_reported():
    pgtrigger.uninstall("cities.Event_cities:data_version")  # rolled back with the test

    assert _public_tables_missing_the_trigger() == {"cities_event_cities"}


def test_derived_tables_are_exempt_and_have_none():
    """The stored standings are rebuilt on reads; that must not replace the version."""
    derived = {"compacts_storedstanding", "compacts_stalestanding"}

    assert not derived & {model._meta.db_table for model in public_models()}
    assert not derived & _tables_with_the_trigger()


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


def test_a_write_to_a_link_table_replaces_the_version():
    event = EventFactory()
    city = CityFactory()
    before = data_version()

    event.cities.add(city)

    assert data_version() != before


@pytest.mark.django_db(transaction=True)
def test_the_version_lookup_reconnects_when_the_connection_was_dropped():
    first = data_version()
    connection.connection.close()  # as a server restart would drop it

    assert data_version() == first
