"""What the server log shows an operator: each problem once."""

import os
import subprocess
import sys

from django.conf import settings

REFUSED_HOST = """
import django
django.setup()
from django.test import Client
Client(HTTP_HOST="evil.example").get("/")
"""


def test_a_refused_request_is_logged_once_not_once_per_handler():
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", REFUSED_HOST],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    records = [
        line for line in result.stderr.splitlines() if line.startswith("Invalid HTTP_HOST header")
    ]
    assert len(records) == 1, result.stderr
