"""``manage.py db backup FILE`` and ``manage.py db restore FILE``, on the test database."""

import io
import os
import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from pgtrigger import registered

pytestmark = pytest.mark.skipif(
    not settings.EMBEDDED_PG and not shutil.which("pg_dump"),
    reason="DATABASE_URL is set and pg_dump is not on PATH",
)

SAMPLE_TABLE = """
CREATE TABLE backup_sample (
    id serial PRIMARY KEY,
    label text,
    details jsonb,
    recorded_at timestamptz,
    amount numeric(10, 2),
    raw bytea
)
"""
SAMPLE_ROWS = """
INSERT INTO backup_sample (label, details, recorded_at, amount, raw) VALUES
    ('Zürich — 東京', '{"stage": 3, "notes": ["a"]}', '2024-02-29 23:59:59+01', 12.5, '\\x00ff'),
    (NULL, NULL, NULL, NULL, NULL),
    ('tab\tand
newline', '[]', '1999-12-31 00:00:00+00', -0.01, '')
"""


def fingerprints():
    """Row count and checksum of every table, every sequence's position, every index and
    constraint."""
    found = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1")
        found["indexes"] = cursor.fetchall()
        cursor.execute(
            "SELECT conname FROM pg_constraint"
            " WHERE connamespace = 'public'::regnamespace ORDER BY 1"
        )
        found["constraints"] = cursor.fetchall()
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        for (table,) in cursor.fetchall():
            cursor.execute(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                f" FROM {connection.ops.quote_name(table)} AS t"
            )
            found[table] = cursor.fetchone()
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        )
        found.update({f"sequence {name}": value for name, value in cursor.fetchall()})
    return found


@pytest.fixture
def sample_data():
    """A table of awkward values besides Django's own tables; dropped afterwards."""
    with connection.cursor() as cursor:
        cursor.execute(SAMPLE_TABLE)
        cursor.execute(SAMPLE_ROWS)
    User.objects.create_user("ana", "ana@example.org", "pw-1234-long")
    User.objects.create_user("ben", "ben@example.org", "pw-5678-long")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP VIEW IF EXISTS backup_sample_view")
        cursor.execute("DROP TABLE IF EXISTS backup_sample, not_in_backup")


def change_everything():
    with connection.cursor() as cursor:
        cursor.execute("UPDATE backup_sample SET label = 'changed' WHERE label IS NULL")
        cursor.execute("DELETE FROM backup_sample WHERE amount < 0")
        cursor.execute("INSERT INTO backup_sample (label) VALUES ('added after the backup')")
    User.objects.filter(username="ana").delete()
    User.objects.create_user("cy", "cy@example.org", "pw-9012-long")


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_over_changed_data_brings_back_every_table_exactly(sample_data, tmp_path):
    backup = tmp_path / "tracker.dump"
    before = fingerprints()
    out = io.StringIO()

    call_command("db", "backup", str(backup), stdout=out)
    change_everything()
    assert fingerprints() != before
    call_command("db", "restore", str(backup), stdout=out)

    after = fingerprints()
    # Every table comes back exactly, but for the public data's version, which a restore
    # replaces so that no cache serves pages of the data it replaced.
    assert after.pop("caching_dataversion") != before.pop("caching_dataversion")
    assert after == before
    # The database's triggers (data version, release immutability, alerts) come back too.
    statuses = {trigger.get_installation_status(model)[0] for model, trigger in registered()}
    assert statuses == {"INSTALLED"}
    assert "backup_sample" in before
    assert before["auth_user"][0] == 2
    assert f"Backed up database {connection.settings_dict['NAME']} to {backup}" in out.getvalue()
    assert f"Restored {backup}" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_fails_halfway_leaves_the_database_as_it_was(sample_data, tmp_path):
    backup = tmp_path / "tracker.dump"
    call_command("db", "backup", str(backup), stdout=io.StringIO())
    change_everything()
    with connection.cursor() as cursor:
        # Not in the backup and depending on a table that is: the restore gets as far as
        # dropping that table, fails there, and must undo everything it did before.
        cursor.execute("CREATE VIEW backup_sample_view AS SELECT label FROM backup_sample")
    before = fingerprints()

    with pytest.raises(CommandError, match="rolled back; nothing was changed") as raised:
        call_command("db", "restore", str(backup), stdout=io.StringIO())

    assert "view public.backup_sample_view depends on table public.backup_sample" in str(
        raised.value
    )
    assert fingerprints() == before


@pytest.mark.django_db(transaction=True)
def test_tables_that_are_not_in_the_backup_survive_a_restore(sample_data, tmp_path):
    backup = tmp_path / "tracker.dump"
    call_command("db", "backup", str(backup), stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE not_in_backup (id int)")
        cursor.execute("INSERT INTO not_in_backup VALUES (1)")

    call_command("db", "restore", str(backup), stdout=io.StringIO())

    assert fingerprints()["not_in_backup"][0] == 1


def test_a_file_that_is_no_backup_is_refused_before_the_database_is_touched(tmp_path):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")

    with pytest.raises(CommandError, match="is not a pg_dump custom-format backup"):
        call_command("db", "restore", str(not_a_backup))


def test_a_failed_backup_leaves_no_file_behind(tmp_path, monkeypatch):
    # A pg_dump that writes part of a dump, then fails (a full disk, a dropped connection).
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "pg_dump").write_text("#!/bin/sh\necho PGDMP-partial\necho 'disk full' >&2\nexit 1\n")
    (fake / "pg_dump").chmod(0o755)
    if settings.EMBEDDED_PG:
        monkeypatch.setattr("config.embedded_postgres.server.client_bin_dir", lambda _: fake)
    else:
        monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    backup = tmp_path / "out" / "tracker.dump"
    backup.parent.mkdir()

    with pytest.raises(CommandError, match="pg_dump failed, no backup written:\ndisk full"):
        call_command("db", "backup", str(backup))

    assert list(backup.parent.iterdir()) == []
