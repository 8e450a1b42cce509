"""Starting, restarting and stopping the embedded PostgreSQL, each on a throwaway data dir."""

import io
import os
import signal
import subprocess
import sys
import time

import psutil
import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError

from config.embedded_postgres import server

# Each process waits for the same moment after its imports, so all four reach the
# start-up code together rather than one after another.
START_IN_A_RACE = """
import sys, time
from pathlib import Path
from config.embedded_postgres import server
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
host, port = server.ensure_running(Path(sys.argv[1]), "app")
print(host, port, server.status(Path(sys.argv[1])).pid)
"""


def kill_postmaster(data_dir):
    """Kill the postmaster as a crash (or the OOM killer) would, and wait until it died."""
    pid = server.status(data_dir).pid
    os.kill(pid, signal.SIGKILL)

    def dead():
        try:
            return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return True

    assert server._wait_until(dead, 5)
    return pid


def backend_pid(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_four_processes_starting_the_server_on_a_fresh_data_dir_at_once_all_get_the_same_one(
    fresh_pg_dir,
):
    pg_dir = fresh_pg_dir
    start_at = str(time.time() + 1.5)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", START_IN_A_RACE, str(pg_dir), start_at],
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [process.communicate(timeout=60) for process in processes]

    for process, (_, stderr) in zip(processes, results, strict=True):
        assert process.returncode == 0, stderr
    assert len({stdout for stdout, _ in results}) == 1
    assert results[0][0].split()[:2] == [str(pg_dir), "5432"]


def test_a_new_connection_after_the_postmaster_was_killed_restarts_the_server(
    pg_dir, embedded_connection, django_db_blocker
):
    with django_db_blocker.unblock():
        embedded_connection(pg_dir).ensure_connection()
        killed = kill_postmaster(pg_dir)
        started = time.monotonic()

        # This process attached to the server before it died; the same code path must
        # notice rather than hand out the dead server's socket.
        backend_pid(embedded_connection(pg_dir))

    assert time.monotonic() - started < 10
    assert server.status(pg_dir).running
    assert server.status(pg_dir).pid != killed


def test_a_persistent_connection_reconnects_at_the_next_request_once_the_server_died(
    pg_dir, embedded_connection, django_db_blocker
):
    connection = embedded_connection(pg_dir, CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
    with django_db_blocker.unblock():
        first_backend = backend_pid(connection)
        kill_postmaster(pg_dir)

        # What Django does when the next request starts (the request_started signal).
        connection.close_if_unusable_or_obsolete()
        second_backend = backend_pid(connection)

    assert second_backend != first_backend
    assert server.status(pg_dir).running


def test_a_server_stopped_on_purpose_is_not_started_again_by_a_new_connection(
    pg_dir, embedded_connection, django_db_blocker
):
    server.ensure_running(pg_dir, "app")

    assert server.stop(pg_dir)

    with (
        django_db_blocker.unblock(),
        pytest.raises(OperationalError, match=r"stopped with `manage\.py db stop`") as raised,
    ):
        embedded_connection(pg_dir).ensure_connection()
    assert "`manage.py db start`" in str(raised.value)
    assert not server.status(pg_dir).running
    assert server.status(pg_dir).stopped_on_purpose


def test_a_server_stopped_on_purpose_is_not_started_again_even_by_the_process_that_used_it(
    pg_dir,
):
    server.ensure_running(pg_dir, "app")
    server.stop(pg_dir)

    with pytest.raises(psycopg2.OperationalError, match="stopped with"):
        server.ensure_running(pg_dir, "app")
    assert not server.status(pg_dir).running


def test_db_stop_keeps_the_server_stopped_and_db_start_lets_connections_in_again(
    pg_dir, settings, embedded_connection, django_db_blocker
):
    settings.EMBEDDED_PG_DATA_DIR = pg_dir
    server.ensure_running(pg_dir, "app")
    out = io.StringIO()

    call_command("db", "stop", stdout=out)
    call_command("db", "status", stdout=out)

    assert f"Stopped the embedded PostgreSQL in {pg_dir}." in out.getvalue()
    assert "state:    stopped (by `manage.py db stop`" in out.getvalue()
    assert server.stopped_marker(pg_dir).exists()

    call_command("db", "start", stdout=out)
    call_command("db", "status", stdout=out)

    assert f"Started the embedded PostgreSQL in {pg_dir}." in out.getvalue()
    assert "state:    running" in out.getvalue()
    assert not server.stopped_marker(pg_dir).exists()
    with django_db_blocker.unblock():
        assert backend_pid(embedded_connection(pg_dir))


def test_db_start_on_a_running_server_says_so(pg_dir, settings):
    settings.EMBEDDED_PG_DATA_DIR = pg_dir
    server.ensure_running(pg_dir, "app")
    out = io.StringIO()

    call_command("db", "start", stdout=out)

    assert "was already running" in out.getvalue()


def test_a_server_never_stopped_on_purpose_starts_by_itself_on_first_connection(
    pg_dir, embedded_connection, django_db_blocker
):
    # A fresh clone has no pgdata.stopped, so migrate or runserver start the server.
    with django_db_blocker.unblock():
        assert backend_pid(embedded_connection(pg_dir))
    assert server.status(pg_dir).running
    assert not server.status(pg_dir).stopped_on_purpose


def test_db_start_if_stopped_undoes_a_db_stop_and_says_so(
    pg_dir, settings, embedded_connection, django_db_blocker
):
    # make run and make test call this first, so both work after the README's `db stop`.
    settings.EMBEDDED_PG_DATA_DIR = pg_dir
    server.ensure_running(pg_dir, "app")
    call_command("db", "stop", stdout=io.StringIO())
    out = io.StringIO()

    call_command("db", "start", "--if-stopped", stdout=out)

    assert "had been stopped with `manage.py db stop`; started it again." in out.getvalue()
    assert server.status(pg_dir).running
    assert not server.stopped_marker(pg_dir).exists()
    with django_db_blocker.unblock():
        assert backend_pid(embedded_connection(pg_dir))


def test_db_start_if_stopped_leaves_a_server_nobody_stopped_to_its_first_connection(
    pg_dir, settings
):
    settings.EMBEDDED_PG_DATA_DIR = pg_dir
    out = io.StringIO()

    call_command("db", "start", "--if-stopped", stdout=out)

    assert out.getvalue() == ""
    assert not server.status(pg_dir).running


def test_db_start_if_stopped_does_nothing_on_a_database_url_server(pg_dir, settings):
    settings.EMBEDDED_PG_DATA_DIR = pg_dir
    settings.EMBEDDED_PG = False
    server.stopped_marker(pg_dir).touch()
    out = io.StringIO()

    call_command("db", "start", "--if-stopped", stdout=out)

    assert out.getvalue() == ""
    assert server.stopped_marker(pg_dir).exists()
