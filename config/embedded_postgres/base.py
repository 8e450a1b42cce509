"""A PostgreSQL backend that starts the embedded server on first connection.

Used only when DATABASE_URL is unset. Starting lazily means commands that never touch
the database (``db status``, ``check``) do not start a server.

Every new connection asks ``server.ensure_running``, which checks cheaply that the server
this process attached to is still the one running and restarts it if it died. With
CONN_HEALTH_CHECKS Django opens a new connection when a persistent one stopped working,
so a worker recovers on the next request after the server came back.
"""

from pathlib import Path

from django.db.backends.postgresql import base

from . import server


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        embedded = self.settings_dict["EMBEDDED"]
        host, port = server.ensure_running(Path(embedded["DATA_DIR"]), embedded["DATABASE"])
        params.update(host=host, port=port, user=server.SUPERUSER)
        return params
