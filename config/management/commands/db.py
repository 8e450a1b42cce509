"""Report on or stop the embedded PostgreSQL server: ``manage.py db status|stop``."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.embedded_postgres import server


class Command(BaseCommand):
    help = "Show the embedded PostgreSQL server's status, or stop it."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "stop"])

    def handle(self, *args, action: str, **options):
        if not settings.EMBEDDED_PG:
            raise CommandError(
                "DATABASE_URL is set, so the embedded server is not in use; "
                "manage that PostgreSQL server with its own tools."
            )
        data_dir = settings.EMBEDDED_PG_DATA_DIR
        if action == "stop":
            if server.stop(data_dir):
                self.stdout.write(
                    self.style.SUCCESS(f"Stopped the embedded PostgreSQL in {data_dir}.")
                )
            else:
                self.stdout.write(f"The embedded PostgreSQL in {data_dir} was not running.")
            return
        current = server.status(data_dir)
        self.stdout.write(f"state:    {'running' if current.running else 'stopped'}")
        self.stdout.write(f"data dir: {current.data_dir}")
        self.stdout.write(f"version:  {current.version or 'not initialised yet'}")
        if current.running:
            self.stdout.write(f"pid:      {current.pid}")
            self.stdout.write(f"socket:   {current.socket_dir} (port {current.port})")
