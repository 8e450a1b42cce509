"""A stopped or unreachable database answers 503 with Retry-After, in the site's words (JSON
under /api/), never 500. Each case runs the site in a process of its own whose database
really is down: the embedded server stopped with its marker, or a port nobody listens on."""

import json
import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import RequestFactory

from config import errors
from config.embedded_postgres import server

FETCH = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.test import Client
# Production settings, but static paths from the finders: no collectstatic for a test.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
client = Client(raise_request_exception=False)
for path in sys.argv[1:]:
    response = client.get(path)
    print(json.dumps({
        "path": path,
        "status": response.status_code,
        "type": response["Content-Type"],
        "retry_after": response.get("Retry-After"),
        "body": response.content.decode(),
    }))
"""
PATHS = ["/", "/cities/boston/", "/dashboard/?as_of=2020-01", "/api/cities/"]
KEEP = {"PATH", "HOME", "LANG", "VIRTUAL_ENV", "PYTHONPATH", "TMPDIR"}


def _fetch(tmp_path, **env) -> list[dict]:
    base = {k: v for k, v in os.environ.items() if k in KEEP}
    site = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "a-secret-key-for-a-test-of-a-site-whose-database-is-down",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "CACHE_DIR": str(tmp_path / "cache"),
    }
    result = subprocess.run(
        [sys.executable, "-c", FETCH, *PATHS],
        cwd=settings.BASE_DIR,
        env={**base, **site, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free again once closed: nobody listens there


def _assert_unavailable(responses):
    assert [r["path"] for r in responses] == PATHS
    for response in responses:
        assert (response["status"], response["retry_after"]) == (503, "30"), response
        if response["path"].startswith("/api/"):
            assert response["type"] == "application/json"
            assert json.loads(response["body"]) == {"error": errors.UNAVAILABLE}
        else:
            assert response["type"].startswith("text/html")
            assert "Back in a minute" in response["body"]
            assert "Traceback" not in response["body"]


def test_a_stopped_embedded_database_answers_503_with_retry_after(fresh_pg_dir, tmp_path):
    fresh_pg_dir.mkdir()
    server.stopped_marker(fresh_pg_dir).write_text("stopped by the test\n")
    _assert_unavailable(_fetch(tmp_path, EMBEDDED_PG_DATA_DIR=str(fresh_pg_dir)))


@pytest.mark.parametrize("page_cache", ["true", "false"])
def test_an_unreachable_database_answers_503_with_retry_after(tmp_path, page_cache):
    url = f"postgres://tracker:secret@127.0.0.1:{_closed_port()}/tracker"
    _assert_unavailable(_fetch(tmp_path, DATABASE_URL=url, PAGE_CACHE=page_cache))


def test_any_other_server_error_is_still_the_plain_500_page():
    request = RequestFactory().get("/api/cities/")
    try:
        raise ValueError("not the database")
    except ValueError:
        response = errors.server_error(request)
    assert response.status_code == 500
    assert "Retry-After" not in response
