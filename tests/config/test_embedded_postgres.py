"""The embedded PostgreSQL that runs when DATABASE_URL is unset."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from config.embedded_postgres import server

uses_embedded = pytest.mark.skipif(
    not settings.EMBEDDED_PG, reason="DATABASE_URL points at another server"
)


def test_a_data_dir_that_was_never_initialised_reports_stopped(tmp_path):
    status = server.status(tmp_path / "pgdata")
    assert not status.running
    assert status.version is None


def test_a_stale_pid_file_naming_another_process_is_removed(tmp_path):
    # After a reboot the pid in postmaster.pid may belong to anything, e.g. this test.
    data_dir = tmp_path / "pgdata"
    data_dir.mkdir()
    (data_dir / "postmaster.pid").write_text(f"{os.getpid()}\n{data_dir}\n0\n5432\n\n\n\nready\n")

    assert not server.status(data_dir).running
    server._remove_stale_pid_file(data_dir)

    assert not (data_dir / "postmaster.pid").exists()


@uses_embedded
@pytest.mark.django_db
def test_the_tests_run_on_the_embedded_server_in_var():
    status = server.status(Path(settings.EMBEDDED_PG_DATA_DIR))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        (version_num,) = cursor.fetchone()
    assert status.running
    assert int(version_num) // 10000 == status.version


@uses_embedded
@pytest.mark.django_db
def test_another_process_reuses_the_running_server_instead_of_starting_one():
    before = server.status(Path(settings.EMBEDDED_PG_DATA_DIR))
    output = subprocess.run(
        [sys.executable, "manage.py", "db", "status"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "state:    running" in output
    assert f"pid:      {before.pid}" in output


def test_db_status_refuses_when_another_server_is_configured(settings):
    settings.EMBEDDED_PG = False
    with pytest.raises(CommandError, match="DATABASE_URL is set"):
        call_command("db", "status")
