"""The migrated test database, kept between runs as a PostgreSQL template.

Making a test database runs every migration, 10 to 15 s of model rendering per xdist worker,
every run. The first run of a set of migrations leaves a copy of what it made on the
server (``<database>_migrated_<digest>``); later runs with the same migration files copy it
(CREATE DATABASE ... TEMPLATE, well under a second) and let ``migrate`` find nothing to do.
Any change to a migration file, here or in an installed package, or to Django's version,
gives another digest, so a stale copy is never used; copies of other digests are dropped.
"""

import contextlib
import hashlib
from pathlib import Path

import django
from django.apps import apps
from django.db import DatabaseError, connection


def migrations_digest() -> str:
    """A digest of Django's version and of every installed app's migration files."""
    digest = hashlib.sha256(django.get_version().encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        for path in sorted((Path(config.path) / "migrations").glob("*.py")):
            digest.update(f"{config.label}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def template_name() -> str:
    return f"{connection.settings_dict['NAME']}_migrated_{migrations_digest()}"


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
    prefix = template.rsplit("_", 1)[0] + "_"
    with connection._nodb_cursor() as cursor:
        with contextlib.suppress(DatabaseError):  # made by another worker just now
            cursor.execute(f"CREATE DATABASE {_quote(template)} TEMPLATE {_quote(source)}")
        cursor.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s) AND datname <> %s",
            [prefix, template],
        )
        for (stale,) in cursor.fetchall():
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(stale)} WITH (FORCE)")


def drop(name: str) -> None:
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")
