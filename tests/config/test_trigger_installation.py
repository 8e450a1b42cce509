"""The database's triggers are installed after `migrate`, for the tables that exist."""

import pgtrigger
import pytest
from django.db import connection

from config.triggers import install_after_migrate

pytestmark = pytest.mark.django_db


def _status(uri: str) -> str:
    [(model, trigger)] = pgtrigger.registered(uri)
    return trigger.get_installation_status(model)[0]


def test_every_declared_trigger_is_installed_in_a_migrated_database():
    assert {
        trigger.get_installation_status(model)[0] for model, trigger in pgtrigger.registered()
    } == {"INSTALLED"}


def test_a_table_a_backward_migrate_removed_is_skipped_and_the_rest_installed():
    pgtrigger.uninstall("cities.City:data_version")  # all of this rolls back with the test
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE releases_releasefile")

    install_after_migrate(using=connection.alias)

    assert _status("cities.City:data_version") == "INSTALLED"
    assert _status("releases.Release:refuse_change") == "INSTALLED"
