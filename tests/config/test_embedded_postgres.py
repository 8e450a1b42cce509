"""The embedded PostgreSQL that runs when DATABASE_URL is unset."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg2
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


def pid_file(data_dir, pid, lines=8):
    data_dir.mkdir(exist_ok=True)
    fields = [str(pid), str(data_dir), "1796008101", "5432", str(data_dir), "", "0 0", "ready"]
    (data_dir / "postmaster.pid").write_text("\n".join(fields[:lines]) + "\n")


def a_dead_pid():
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_the_negative_pid_initdb_writes_is_no_running_server_and_no_error(tmp_path):
    # initdb's standalone backend writes its PID negated; psutil raises ValueError on it.
    data_dir = tmp_path / "pgdata"
    pid_file(data_dir, -os.getpid(), lines=1)

    assert not server._is_our_postmaster(-os.getpid(), data_dir)
    assert not server.status(data_dir).running


def test_the_pid_file_of_an_initdb_still_running_in_another_process_is_left_alone(tmp_path):
    data_dir = tmp_path / "pgdata"
    pid_file(data_dir, -os.getpid(), lines=1)

    server._remove_stale_pid_file(data_dir)

    assert (data_dir / "postmaster.pid").exists()


def test_a_connection_waits_for_an_initdb_running_elsewhere_then_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(server, "WAIT_SECONDS", 0.2)
    data_dir = tmp_path / "pgdata"
    pid_file(data_dir, -os.getpid(), lines=1)

    with pytest.raises(psycopg2.OperationalError, match=f"Process {os.getpid()} is still init"):
        server.ensure_running(data_dir, "app")
    assert (data_dir / "postmaster.pid").exists()


def test_the_negative_pid_file_of_an_initdb_that_died_is_removed(tmp_path):
    data_dir = tmp_path / "pgdata"
    pid_file(data_dir, -a_dead_pid(), lines=1)

    server._remove_stale_pid_file(data_dir)

    assert not (data_dir / "postmaster.pid").exists()


def test_the_pid_file_of_a_postmaster_that_died_is_kept_for_postgresql_to_check(tmp_path):
    # PostgreSQL reads it to make sure no orphaned backend still uses the old shared memory.
    data_dir = tmp_path / "pgdata"
    pid_file(data_dir, a_dead_pid())

    server._remove_stale_pid_file(data_dir)

    assert (data_dir / "postmaster.pid").exists()


def test_the_pid_file_of_a_killed_postmaster_nobody_reaps_is_removed(tmp_path, monkeypatch):
    # PostgreSQL would take the zombie for a live server and refuse to start.
    monkeypatch.setattr(server, "WAIT_SECONDS", 0.2)
    unreaped = subprocess.Popen(["true"])  # exits, and stays a zombie until we wait()
    assert server._wait_until(lambda: not server._is_alive(unreaped.pid), 5)
    data_dir = tmp_path / "pgdata"
    pid_file(data_dir, unreaped.pid)

    server._remove_stale_pid_file(data_dir)

    assert not (data_dir / "postmaster.pid").exists()
    unreaped.wait()


def test_the_incomplete_pid_file_of_a_postmaster_that_died_starting_is_removed(tmp_path):
    data_dir = tmp_path / "pgdata"
    pid_file(data_dir, a_dead_pid(), lines=5)

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
