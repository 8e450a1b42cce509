"""The data-version trigger, declared with django-pgtrigger on every public table.

Every statement that writes a public table (INSERT, UPDATE, DELETE, TRUNCATE) replaces the
data version's token, so a cached page is never older than the data it shows. The trigger
is registered on every model of the public apps, the auto-created many-to-many link tables
and simple_history's historical tables included (neither has a model class we write), when
the app registry is ready; config/triggers.py installs it after every ``migrate`` (why
not through migrations: config/settings.py, at PGTRIGGER_MIGRATIONS), so a public table
added later is covered with no step of its own. tests/caching/test_triggers.py checks that
none is missed. Workspace tables are not public and have none.
"""

import pgtrigger
from django.apps import apps
from django.db import models

PUBLIC_APPS = ("sources", "cities", "compacts", "releases")
NAME = "data_version"

DATA_VERSION = pgtrigger.Trigger(
    name=NAME,
    when=pgtrigger.After,
    operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete | pgtrigger.Truncate,
    level=pgtrigger.Statement,
    # Every statement, even several in one transaction: a transaction that reads its own
    # writes (a test, a shell session) must not find a page cached under its old token.
    # An upsert, so the row comes back after a flush emptied the table.
    func="""
        INSERT INTO caching_dataversion (id, token, changed_at)
        VALUES (1, gen_random_uuid(), clock_timestamp())
        ON CONFLICT (id) DO UPDATE
            SET token = EXCLUDED.token, changed_at = EXCLUDED.changed_at;
        RETURN NULL;
    """,
)


def public_models() -> list[type[models.Model]]:
    """Every model of the public apps, many-to-many link tables and history included, but
    tables derived from them (a model saying why in ``DATA_VERSION_EXEMPT``): their source
    tables' writes already change the version, and rebuilding them must not."""
    return [
        model
        for label in PUBLIC_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not getattr(model, "DATA_VERSION_EXEMPT", "")
    ]


def register() -> None:
    """Put the data-version trigger on every public table (once the app registry is ready)."""
    for model in public_models():
        if model._meta.managed and not model._meta.proxy:
            pgtrigger.register(DATA_VERSION)(model)
