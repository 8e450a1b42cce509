import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connection, models, transaction

from common.seeding import seeding
from tests import db_template

# The apps whose tables `manage.py seed` writes (history and many-to-many tables included).
SEEDED_APPS = ("sources", "cities", "compacts", "seed")


@pytest.fixture(autouse=True)
def _media_and_static(settings):
    # Pages render static paths through the finders; no collectstatic needed in tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # WhiteNoise indexes every static file when a middleware chain is built, which the test
    # client does once per test (0.05 to 0.2 s each); with autorefresh it looks a file up
    # when one is asked for, as in development.
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings):
    # Background jobs (reading an uploaded PDF) run when queued, in the request; one test
    # (tests/workspace/test_source_reading_queue.py) uses the database queue and a worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 takes about half a second a password here, paid for every test user and
    # login; no test is about the hash itself (Django's advice for test settings).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _page_cache(settings):
    # Each test starts with an empty cache of its own process, and with whole-page and
    # part caching off whatever the environment says: a page cached by another test
    # (under other settings) must never answer this one. tests/caching turns it on.
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGE_CACHE = False
    cache.clear()


# What django_db_modify_db_settings found: the template's name, and whether this worker's
# test database was copied from it (tests/db_template.py).
_TEMPLATE: dict = {}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    request, django_db_modify_db_settings_parallel_suffix, django_db_blocker
):
    """pytest-django's per-worker database names, then this worker's test database copied
    from the migrated template when a run with the same migrations left one."""
    if request.config.getvalue("reuse_db") or request.config.getvalue("create_db"):
        return  # pytest-django's own choices, as asked
    _TEMPLATE["name"] = db_template.template_name()
    with django_db_blocker.unblock():
        _TEMPLATE["copied"] = db_template.copy_from_template(
            template=_TEMPLATE["name"], target=connection.creation._get_test_db_name()
        )


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings) -> bool:
    """A test database copied from the template is kept as it is (``migrate`` then finds
    nothing to do); django_db_setup below drops it at the end, as Django drops its own."""
    return request.config.getvalue("reuse_db") or _TEMPLATE.get("copied", False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, with no connection to it left open at the end.

    Django keeps one connection per thread and async context, and closes only the current
    one's before dropping the test database. Another one still open (seen after browser
    tests, whose Playwright calls switch contexts) made the drop wait 5 s and then fail with
    "being accessed by other users". Each worker has a database of its own, so every other
    session on it at this point is one of this worker's."""
    name = connection.settings_dict["NAME"]
    if "name" in _TEMPLATE and not _TEMPLATE["copied"]:
        with django_db_blocker.unblock():
            db_template.keep_as_template(source=name, template=_TEMPLATE["name"])
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    if _TEMPLATE.get("copied"):
        with django_db_blocker.unblock():
            db_template.drop(name)


@pytest.fixture(scope="session")
def _migrated_copy(django_db_setup, django_db_blocker):
    """A copy of this worker's test database as migrations left it: the kept template
    (tests/db_template.py), or, with --reuse-db or --create-db, one made the first time a
    migration test asks for it and dropped at the end of the session. See ``migrator``."""
    if "name" in _TEMPLATE:
        yield _TEMPLATE["name"]
        return
    name = connection.settings_dict["NAME"]
    copy = f"{name}_migrated"
    with django_db_blocker.unblock():
        _copy_database(source=name, target=copy)
    yield copy
    with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(copy)} WITH (FORCE)")


def _copy_database(*, source: str, target: str) -> None:
    """Replace ``target`` with a copy of ``source``; every session on either is ended."""
    quote = connection.ops.quote_name
    connection.close()  # a database being copied or dropped may have no session on it
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [source],
        )
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


@pytest.fixture
def migrator(transactional_db, _migrated_copy):
    """django-test-migrations' migrator, put back to the newest migrations afterwards by
    copying the database as it was before the test, instead of by its ``reset()``.

    Its ``reset()`` runs ``migrate`` from the tested migration to the newest, after the test
    migrated from an empty schema to the one before it: Django renders the whole project
    state for each (5 to 15 s a test here, most of it model rendering). The copy takes under
    a second and is the schema ``migrate`` made for the other tests, row for row. Its
    starting point is kept between runs too (tests/db_template.py)."""
    from django_test_migrations.migrator import Migrator

    if "name" in _TEMPLATE:
        yield db_template.CachedStartMigrator(template=_TEMPLATE["name"])
    else:
        yield Migrator(DEFAULT_DB_ALIAS)
    _copy_database(source=_migrated_copy, target=connection.settings_dict["NAME"])
    ContentType.objects.clear_cache()  # the copy's content type ids, not the test's


@pytest.fixture(scope="session", autouse=True)
def _flush_by_deleting():
    """Empty the tables after a transaction=True test with DELETE instead of TRUNCATE, with
    every pgtrigger trigger ignored: the one bypass of the database's triggers, taken here
    only (tests/test_trigger_bypass.py checks that no project code takes it).

    Django flushes with one TRUNCATE of every table: about 0.35 s here, as each table gets
    new files, against 0.01 s for deleting the few rows a test wrote. The releases'
    immutability triggers refuse both DELETE and TRUNCATE, and the data version's would
    fire for every table, so the flush runs inside ``pgtrigger.ignore()``. Foreign keys are
    checked at commit (Django makes them deferrable), when every table is empty. When
    sequences are to be reset, Django's TRUNCATE runs, inside the same bypass."""
    import pgtrigger
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush
    execute = DatabaseOperations.execute_sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]

    def execute_sql_flush(self, sql_list):
        with pgtrigger.ignore():
            execute(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        patch.setattr(DatabaseOperations, "execute_sql_flush", execute_sql_flush)
        patch.setattr(flush, "emit_post_migrate_signal", _emit_keeping_the_triggers)
        yield


def _emit_keeping_the_triggers(*args, **kwargs):
    """The flush's post_migrate signal (content types and permissions made again), without
    config.triggers' reinstalling of every trigger: a flush deletes rows, never triggers,
    and the reinstall cost about 0.1 s per transaction=True test."""
    from django.core.management.sql import emit_post_migrate_signal
    from django.db.models.signals import post_migrate

    from config.triggers import install_after_migrate

    sender = apps.get_app_config("pgtrigger")
    post_migrate.disconnect(install_after_migrate, sender=sender)
    try:
        emit_post_migrate_signal(*args, **kwargs)
    finally:
        post_migrate.connect(install_after_migrate, sender=sender)


@dataclass
class TableCopy:
    """One table's seeded rows in PostgreSQL's COPY text format (a line a row, tabs between
    columns), and which columns hold content type ids."""

    model: type[models.Model]
    columns: list[str]
    content_type_positions: list[int]
    text: str

    def rows_with(self, content_type_ids: dict[int, int]) -> str:
        """The rows, with their content type ids replaced by the ones that stand for the same
        models now (the ids change when a flush made the content types again)."""
        if not self.content_type_positions or all(k == v for k, v in content_type_ids.items()):
            return self.text
        lines = []
        for line in self.text.splitlines():
            cells = line.split("\t")
            for position in self.content_type_positions:
                if cells[position] != r"\N":
                    cells[position] = str(content_type_ids[int(cells[position])])
            lines.append("\t".join(cells))
        return "\n".join(lines) + "\n"


@dataclass
class SeedSnapshot:
    """Every row the seeder wrote, copied out with COPY and written back the same way
    (ten times faster than building the model objects again)."""

    counts: dict[str, int]
    tables: list[TableCopy]
    content_types: dict[int, type[models.Model]]

    @classmethod
    def take(cls, counts: dict[str, int]) -> "SeedSnapshot":
        tables = []
        with connection.cursor() as cursor:
            for app_label in SEEDED_APPS:
                config = apps.get_app_config(app_label)
                for model in config.get_models(include_auto_created=True):
                    if getattr(model, "DATA_VERSION_EXEMPT", ""):
                        continue  # derived rows: the restore's triggers mark them stale
                    fields = model._meta.concrete_fields
                    columns = [field.column for field in fields]
                    out = io.StringIO()
                    cursor.copy_expert(f"COPY {_table_and_columns(model, columns)} TO STDOUT", out)
                    if out.getvalue():
                        positions = [
                            index
                            for index, field in enumerate(fields)
                            if field.is_relation and field.related_model is ContentType
                        ]
                        tables.append(TableCopy(model, columns, positions, out.getvalue()))
        # Citations point at their rows through content types, whose ids a flush (after
        # a transaction=True test) may change: keep the model, look the id up on restore.
        content_types = {ct.pk: ct.model_class() for ct in ContentType.objects.all()}
        return cls(counts=counts, tables=tables, content_types=content_types)

    def dumps(self) -> str:
        """The snapshot as JSON, its models by label (for another xdist worker)."""
        return json.dumps(
            {
                "counts": self.counts,
                "tables": [
                    [t.model._meta.label, t.columns, t.content_type_positions, t.text]
                    for t in self.tables
                ],
                "content_types": {
                    pk: model._meta.label if model else None
                    for pk, model in self.content_types.items()
                },
            }
        )

    @classmethod
    def loads(cls, text: str) -> "SeedSnapshot":
        data = json.loads(text)
        return cls(
            counts=data["counts"],
            tables=[
                TableCopy(apps.get_model(label), columns, positions, rows)
                for label, columns, positions, rows in data["tables"]
            ],
            content_types={
                int(pk): apps.get_model(label) if label else None
                for pk, label in data["content_types"].items()
            },
        )

    @transaction.atomic
    def restore(self) -> None:
        content_type_ids = {
            old: ContentType.objects.get_for_model(model, for_concrete_model=False).pk
            for old, model in self.content_types.items()
            if model is not None
        }
        with seeding(), connection.cursor() as cursor:
            for table in self.tables:
                rows = io.StringIO(table.rows_with(content_type_ids))
                cursor.copy_expert(
                    f"COPY {_table_and_columns(table.model, table.columns)} FROM STDIN", rows
                )
            # The rows keep their ids: move the id sequences past them.
            models_copied = [table.model for table in self.tables]
            for sql in connection.ops.sequence_reset_sql(no_style(), models_copied):
                cursor.execute(sql)


def _table_and_columns(model: type[models.Model], columns: list[str]) -> str:
    quote = connection.ops.quote_name
    return f"{quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)})"


@pytest.fixture(scope="session")
def seed_snapshot(django_db_setup, django_db_blocker, tmp_path_factory, worker_id) -> SeedSnapshot:
    """`manage.py seed` once per test run, on the empty test database; its rows are kept
    in memory and rolled back, so the database stays empty. The first xdist worker to seed
    leaves the snapshot in the run's shared temporary folder, and a worker that needs it
    later reads it there instead of seeding again (every worker's database is migrated the
    same way; content type ids are matched on restore all the same)."""
    from seed.seeding import seed_database

    shared = None
    if worker_id != "master":
        shared = tmp_path_factory.getbasetemp().parent / "seed-snapshot.json"
        if shared.exists():
            return SeedSnapshot.loads(shared.read_text())
    with django_db_blocker.unblock(), transaction.atomic():
        counts = seed_database(fixture_dir=Path(settings.FIXTURE_DIRS[0]))
        snapshot = SeedSnapshot.take(counts)
        transaction.set_rollback(True)
    if shared is not None:
        written = shared.with_name(f"{shared.name}.{worker_id}")
        written.write_text(snapshot.dumps())
        written.replace(shared)  # whole or not at all, for the other worker
    return snapshot


@pytest.fixture
def seeded(seed_snapshot, db) -> dict[str, int]:
    """The seed data, row for row as `manage.py seed` writes it, in this test's database
    transaction (rolled back, or flushed for transaction=True tests, afterwards).
    Returns what seed_database returns: the number of fixture records per model."""
    seed_snapshot.restore()
    return dict(seed_snapshot.counts)
