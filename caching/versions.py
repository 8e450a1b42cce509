"""Reading the public data's version: one primary-key lookup per request, nothing more."""

import datetime
import functools
import os
from pathlib import Path

from django.db import connection
from django.db.utils import Error as DatabaseError
from django.utils import timezone

UNKNOWN = ""
SQL = "SELECT token FROM caching_dataversion WHERE id = 1"


def data_version() -> str:
    """The current token, or "" when the row is missing (never cache then).

    The lookup doubles as the connection's health check (``first_query``), so a cache
    hit costs one round trip, not two.
    """

    def read():
        with connection.cursor() as cursor:
            cursor.execute(SQL)
            return cursor.fetchone()

    row = first_query(read)
    return row[0].hex if row else UNKNOWN


def first_query(run):
    """``run()``, a request's first query, standing in for the connection's health check:
    a persistent connection the server dropped fails here, is closed and opened again, and
    Django skips its own ``SELECT 1`` for the request."""
    for attempt in (1, 2):
        connection.health_check_done = True  # this query is the request's health check
        try:
            return run()
        except DatabaseError:
            if attempt == 2 or not connection.get_autocommit():
                raise
            connection.close()
    raise AssertionError("unreachable")


def current_month(today: datetime.date | None = None) -> str:
    """Pages that default to "as of this month" change when the month does, so the month
    is part of every key."""
    return f"{today or timezone.localdate():%Y-%m}"


@functools.cache
def code_version() -> str:
    """What code renders the pages: APP_VERSION, else the git commit checked out. Part of
    every key, so a deploy never serves pages rendered by the code it replaced."""
    if version := os.environ.get("APP_VERSION", ""):
        return version
    git = Path(__file__).resolve().parent.parent / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            ref = head.removeprefix("ref: ")
            loose = git / ref
            if loose.exists():
                return loose.read_text().strip()
            packed = (git / "packed-refs").read_text().splitlines()
            return next(line.split()[0] for line in packed if line.endswith(" " + ref))
        return head
    except (OSError, StopIteration):
        return ""
