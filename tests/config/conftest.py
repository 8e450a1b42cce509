import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.db.utils import ConnectionHandler

from config.embedded_postgres import server


def _short_tmp_dir() -> Path:
    # Directly under /tmp: the server's Unix socket lives in the data dir, and socket
    # paths are limited to about 100 bytes (pytest's tmp_path is longer).
    return Path(tempfile.mkdtemp(prefix="ctpg", dir="/tmp"))


@pytest.fixture(scope="session")
def _initialised_template():
    """One initdb per session (seconds on a busy machine), copied by every test."""
    root = _short_tmp_dir()
    data_dir = root / "pgdata"
    server._pgserver().get_server(data_dir, cleanup_mode=None, start=False).ensure_pgdata_inited()
    # Throwaway servers need no durability; without fsync their start, CREATE DATABASE
    # and shutdown do not wait for the disk the rest of the suite is busy with.
    with (data_dir / "postgresql.conf").open("a") as conf:
        conf.write("\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
    yield data_dir
    shutil.rmtree(root, ignore_errors=True)


def _stop_and_remove(root: Path) -> None:
    data_dir = root / "pgdata"
    if server.status(data_dir).running:
        server.stop(data_dir)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def fresh_pg_dir():
    """A data dir no initdb has run in yet, as on a fresh clone; never var/pgdata."""
    root = _short_tmp_dir()
    yield root / "pgdata"
    _stop_and_remove(root)


@pytest.fixture
def pg_dir(_initialised_template):
    """An initialised data dir for a throwaway server (not started); never var/pgdata."""
    root = _short_tmp_dir()
    data_dir = root / "pgdata"
    # cp -a keeps the owner: as root the library runs postgres as the system user
    # pgserver, and PostgreSQL refuses a data dir that user does not own.
    subprocess.run(["cp", "-a", str(_initialised_template), str(data_dir)], check=True)
    yield data_dir
    _stop_and_remove(root)


@pytest.fixture
def embedded_connection():
    """Build Django connections to a throwaway server, closed after the test."""
    opened = []

    def connect(data_dir: Path, **settings):
        handler = ConnectionHandler(
            {
                "default": {
                    "ENGINE": "config.embedded_postgres",
                    "NAME": "app",
                    "USER": "postgres",
                    "EMBEDDED": {"DATA_DIR": str(data_dir), "DATABASE": "app"},
                    **settings,
                }
            }
        )
        opened.append(handler)
        return handler["default"]

    yield connect
    for handler in opened:
        handler.close_all()
