"""Reading the public data's version: one primary-key lookup, no ORM."""

import datetime

from django.db import connection
from django.utils import timezone

UNKNOWN = ""


def data_version() -> str:
    """The current token, or "" when the row is missing (never cache then)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM caching_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0].hex if row else UNKNOWN


def current_month(today: datetime.date | None = None) -> str:
    """Pages that default to "as of this month" change when the month does, so the month
    is part of every key."""
    return f"{today or timezone.localdate():%Y-%m}"
