"""The migrated test database, kept between runs as a PostgreSQL template.

Making a test database runs every migration, 10 to 15 s of model rendering per xdist worker,
every run. The first run of a set of migrations leaves a copy of what it made on the
server (``<database>_mig_<digest>``); later runs with the same migration files copy it
(CREATE DATABASE ... TEMPLATE, well under a second) and let ``migrate`` find nothing to do.
The migration tests' starting points (an empty schema migrated up to the migration before
the one tested, 5 to 10 s each) are kept the same way (``<database>_mig_<digest>_<key>``).
Any change to a migration file, here or in an installed package, or to Django's version,
gives another digest, so a stale copy is never used; copies of other digests are dropped.
"""

import contextlib
import hashlib
from pathlib import Path

import django
from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection
from django.db.migrations.state import ProjectState
from django_test_migrations.logic.migrations import normalize
from django_test_migrations.migrator import Migrator
from django_test_migrations.types import MigrationSpec


def migrations_digest() -> str:
    """A digest of Django's version and of every installed app's migration files."""
    digest = hashlib.sha256(django.get_version().encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        for path in sorted((Path(config.path) / "migrations").glob("*.py")):
            digest.update(f"{config.label}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def template_name() -> str:
    """The migrated template's name; the migration tests' starting points add to it."""
    return f"{_prefix()}{migrations_digest()}"


def _prefix() -> str:
    return f"{connection.settings_dict['NAME']}_mig_"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def copy_from_template(*, template: str, target: str) -> bool:
    """Make ``target`` a copy of ``template`` if the template exists; say whether it did."""
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        if cursor.fetchone() is None:
            return False
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(target)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {_quote(target)} TEMPLATE {_quote(template)}")
    return True


def keep_as_template(*, source: str, template: str) -> None:
    """Copy the freshly migrated ``source`` to ``template`` (another xdist worker may have
    just done so: that copy is as good), and drop the copies made for other migrations."""
    connection.close()  # a database being copied may have no session on it
    with connection._nodb_cursor() as cursor:
        with contextlib.suppress(DatabaseError):  # made by another worker just now
            cursor.execute(f"CREATE DATABASE {_quote(template)} TEMPLATE {_quote(source)}")
        prefix = template[: template.index("_mig_") + len("_mig_")]
        cursor.execute(
            "SELECT datname FROM pg_database"
            " WHERE starts_with(datname, %s) AND NOT starts_with(datname, %s)",
            [prefix, template],
        )
        for (stale,) in cursor.fetchall():
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(stale)} WITH (FORCE)")


class CachedStartMigrator(Migrator):
    """django-test-migrations' migrator whose starting point (``apply_initial_migration``)
    is copied from a template when an earlier run with the same migrations left one, and
    left as one when not. What the test gets is the same: the database with exactly the
    migrations before its targets applied, no rows but those they wrote, and the project
    state they make."""

    def __init__(self, *, template: str) -> None:
        super().__init__(DEFAULT_DB_ALIAS)
        self._template = template

    def apply_initial_migration(self, targets: MigrationSpec) -> ProjectState:
        key = hashlib.sha256(repr(sorted(normalize(targets))).encode()).hexdigest()[:12]
        start = f"{self._template}_{key}"
        database = connection.settings_dict["NAME"]
        connection.close()  # a database being copied or dropped may have no session on it
        if copy_from_template(template=start, target=database):
            self._executor.loader.build_graph()  # the copy's applied migrations
            return self._migrate(normalize(targets), plan=[])  # nothing to run: its state
        state = super().apply_initial_migration(targets)
        connection.close()
        with connection._nodb_cursor() as cursor, contextlib.suppress(DatabaseError):
            cursor.execute(f"CREATE DATABASE {_quote(start)} TEMPLATE {_quote(database)}")
        return state


def drop(name: str) -> None:
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")
