"""A seed run marks its transaction, so that triggers which tell people about new rows (the
alerts' FindingAdded) stay quiet: `seed` never mails anyone."""

import contextlib
from collections.abc import Iterator

from django.db import connection

# A transaction-local setting (PostgreSQL's set_config(..., is_local => true)).
SETTING = "compact_tracker.seeding"


@contextlib.contextmanager
def seeding() -> Iterator[None]:
    """Mark the rest of the current transaction's writes, until the block ends, as the seed's.

    Must run inside ``transaction.atomic()``. On an error the mark goes with the rolled-back
    (sub)transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("seeding() marks a transaction: call it inside transaction.atomic()")
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [SETTING])
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'off', true)", [SETTING])
