"""Run the database: ``manage.py db status|start|stop|backup FILE|restore FILE``.

status, start and stop manage the embedded PostgreSQL (DATABASE_URL unset). backup and
restore work on either server: the embedded one with the pg_dump/pg_restore bundled with
it, a DATABASE_URL server with the ones on PATH.
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg2
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg2.extensions import make_dsn

from config.embedded_postgres import server

# Keys of Django's connection parameters that are no libpq settings.
NOT_LIBPQ = {"cursor_factory", "client_encoding", "password"}


class Command(BaseCommand):
    help = "Show, start or stop the embedded PostgreSQL server, or back up or restore the database."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("status", help="Show whether the embedded server runs, and where.")
        start = actions.add_parser("start", help="Start the embedded server, also after `db stop`.")
        start.add_argument(
            "--if-stopped",
            action="store_true",
            help=(
                "Start it only if `db stop` stopped it, and say so; otherwise do nothing, "
                "since the first connection starts it (make run and make test use this)."
            ),
        )
        actions.add_parser(
            "stop", help="Stop the embedded server; it stays stopped until `db start`."
        )
        backup = actions.add_parser("backup", help="Dump the database to FILE (pg_dump -Fc).")
        backup.add_argument("file", type=Path)
        restore = actions.add_parser(
            "restore", help="Replace the database's contents with FILE, all or nothing."
        )
        restore.add_argument("file", type=Path)
        for action in (backup, restore):
            action.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, action: str, **options):
        if action == "backup":
            self.backup(options["file"], connections[options["database"]])
            return
        if action == "restore":
            self.restore(options["file"], connections[options["database"]])
            return
        if action == "start" and options["if_stopped"]:
            self.start_if_stopped()
            return
        if not settings.EMBEDDED_PG:
            raise CommandError(
                "DATABASE_URL is set, so the embedded server is not in use; "
                "manage that PostgreSQL server with its own tools."
            )
        data_dir = Path(settings.EMBEDDED_PG_DATA_DIR)
        if action == "start":
            database = settings.DATABASES[DEFAULT_DB_ALIAS]["EMBEDDED"]["DATABASE"]
            try:
                started = server.start(data_dir, database)
            except psycopg2.OperationalError as error:
                raise CommandError(str(error)) from error
            if started:
                self.stdout.write(
                    self.style.SUCCESS(f"Started the embedded PostgreSQL in {data_dir}.")
                )
            else:
                self.stdout.write(f"The embedded PostgreSQL in {data_dir} was already running.")
        elif action == "stop":
            if server.stop(data_dir):
                self.stdout.write(
                    self.style.SUCCESS(f"Stopped the embedded PostgreSQL in {data_dir}.")
                )
            else:
                self.stdout.write(f"The embedded PostgreSQL in {data_dir} was not running.")
            self.stdout.write(
                "It stays stopped until `manage.py db start` (or the next `make run` or "
                "`make test`, which start it again and say so)."
            )
        else:
            self.status(data_dir)

    def start_if_stopped(self) -> None:
        """Undo a `db stop` for the two commands a newcomer runs; say nothing otherwise."""
        if not settings.EMBEDDED_PG:
            return
        data_dir = Path(settings.EMBEDDED_PG_DATA_DIR)
        if not server.status(data_dir).stopped_on_purpose:
            return
        database = settings.DATABASES[DEFAULT_DB_ALIAS]["EMBEDDED"]["DATABASE"]
        try:
            server.start(data_dir, database)
        except psycopg2.OperationalError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"The embedded PostgreSQL in {data_dir} had been stopped with "
                "`manage.py db stop`; started it again."
            )
        )

    def status(self, data_dir: Path) -> None:
        current = server.status(data_dir)
        state = "running" if current.running else "stopped"
        if not current.running and current.stopped_on_purpose:
            state += " (by `manage.py db stop`; `manage.py db start` starts it)"
        self.stdout.write(f"state:    {state}")
        self.stdout.write(f"data dir: {current.data_dir}")
        self.stdout.write(f"version:  {current.version or 'not initialised yet'}")
        if current.running:
            self.stdout.write(f"pid:      {current.pid}")
            self.stdout.write(f"socket:   {current.socket_dir} (port {current.port})")

    def backup(self, path: Path, connection) -> None:
        path = path.resolve()
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} is not a directory.")
        pg_dump, dsn, env = self.client("pg_dump", connection)
        # pg_dump writes to our stdout, so the file is created by this process: the
        # embedded server may run as another system user (pgserver) that cannot write
        # here. A temporary name first, so a failed dump never looks like a backup.
        handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                result = subprocess.run(
                    [pg_dump, "--format=custom", f"--dbname={dsn}"],
                    stdout=out,
                    stderr=subprocess.PIPE,
                    env=env,
                    check=False,
                )
            if result.returncode:
                raise CommandError(
                    f"pg_dump failed, no backup written:\n{result.stderr.decode().strip()}"
                )
            os.replace(partial, path)
        finally:
            Path(partial).unlink(missing_ok=True)
        database = connection.settings_dict["NAME"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up database {database} to {path} ({path.stat().st_size:,} bytes)."
            )
        )

    def restore(self, path: Path, connection) -> None:
        path = path.resolve()
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        pg_restore, dsn, env = self.client("pg_restore", connection)
        # Read the archive's table of contents first: a file that is no backup is refused
        # before the database is touched, and the header says what is being restored.
        listing = subprocess.run(
            [pg_restore, "--list", str(path)], capture_output=True, text=True, env=env
        )
        if listing.returncode:
            raise CommandError(
                f"{path} is not a pg_dump custom-format backup:\n{listing.stderr.strip()}"
            )
        header = dict(re.findall(r"^;\s+([\w ]+):\s+(.*)$", listing.stdout, re.MULTILINE))
        created = re.search(r"^; Archive created at (.+)$", listing.stdout, re.MULTILINE)
        entries = sum(1 for line in listing.stdout.splitlines() if line and line[0] != ";")
        result = subprocess.run(
            [
                pg_restore,
                # Drop each object in the backup before recreating it, and all of it in one
                # transaction: on any error PostgreSQL rolls everything back, so a failed
                # restore leaves the database exactly as it was, never half-restored.
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                # Objects belong to whoever restores; a backup from another server names
                # roles (owners, grantees) that need not exist here.
                "--no-owner",
                "--no-privileges",
                f"--dbname={dsn}",
                str(path),
            ],
            capture_output=True,
            text=True,
            env=env,
        )
        if result.returncode:
            raise CommandError(
                "The restore failed and was rolled back; nothing was changed.\n"
                f"{result.stderr.strip()}"
            )
        # The restored data is new to every cache: give it a new version (the triggers did
        # not fire, since pg_restore creates them after loading the rows). An upsert, as
        # the backup may hold no version row.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO caching_dataversion (id, token, changed_at)"
                " VALUES (1, gen_random_uuid(), clock_timestamp())"
                " ON CONFLICT (id) DO UPDATE"
                " SET token = EXCLUDED.token, changed_at = EXCLUDED.changed_at"
            )
        database = connection.settings_dict["NAME"]
        made = f"made {created[1]}" if created else "of unknown date"
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {path} (a backup of database {header.get('dbname', '?')} {made}) "
                f"into database {database}: replaced the {entries} objects in it, in one "
                "transaction. Tables that are not in the backup were left as they were."
            )
        )

    def client(self, program: str, connection) -> tuple[str, str, dict[str, str]]:
        """The program to run and the connection string and environment to run it with."""
        if connection.vendor != "postgresql":
            raise CommandError("Backup and restore work on PostgreSQL only.")
        try:
            # For the embedded server this also starts it, unless it was stopped on purpose.
            params = connection.get_connection_params()
        except psycopg2.OperationalError as error:
            raise CommandError(str(error)) from error
        if "EMBEDDED" in connection.settings_dict:
            tool = server.client_bin_dir(Path(connection.settings_dict["EMBEDDED"]["DATA_DIR"]))
            executable = str(tool / program)
        else:
            executable = shutil.which(program)
            if executable is None:
                raise CommandError(
                    f"{program} is not on PATH; install the PostgreSQL client programs of "
                    "your server's major version (or a newer one)."
                )
        dsn = make_dsn(**{key: value for key, value in params.items() if key not in NOT_LIBPQ})
        env = dict(os.environ)
        # The password goes in the environment: command lines are visible to every user.
        if params.get("password"):
            env["PGPASSWORD"] = str(params["password"])
        return executable, dsn, env
