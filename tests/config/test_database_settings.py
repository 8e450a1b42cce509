"""Both database configurations keep connections open and check them before reuse."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

PRINT_DATABASE = """
import json
from config import settings
default = settings.DATABASES["default"]
print(json.dumps({"max_age": default["CONN_MAX_AGE"], "checks": default["CONN_HEALTH_CHECKS"]}))
"""


def database_settings(**env):
    environ = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CONN_MAX_AGE", "DEBUG"}
    }
    output = subprocess.run(
        [sys.executable, "-c", PRINT_DATABASE],
        cwd=settings.BASE_DIR,
        env={**environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output)


@pytest.mark.parametrize(
    "env",
    [{}, {"DATABASE_URL": "postgres://tracker:secret@db.example.org:5432/tracker"}],
    ids=["embedded", "DATABASE_URL"],
)
def test_connections_are_kept_for_a_minute_and_health_checked_before_reuse(env):
    production = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}
    assert database_settings(**production, **env) == {"max_age": 60, "checks": True}


@pytest.mark.parametrize(
    "env",
    [{}, {"DATABASE_URL": "postgres://tracker:secret@db.example.org:5432/tracker"}],
    ids=["embedded", "DATABASE_URL"],
)
def test_the_development_server_opens_a_connection_per_request(env):
    # runserver's thread per request would leave each one's kept connection open.
    assert database_settings(DEBUG="true", **env) == {"max_age": 0, "checks": True}


@pytest.mark.parametrize(
    "env",
    [{}, {"DATABASE_URL": "postgres://tracker:secret@db.example.org:5432/tracker"}],
    ids=["embedded", "DATABASE_URL"],
)
def test_conn_max_age_sets_how_long_a_connection_is_kept(env):
    assert database_settings(CONN_MAX_AGE="0", **env)["max_age"] == 0
