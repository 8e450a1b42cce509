"""SQL helpers shared by the selectors of several apps."""

from collections.abc import Sequence

from django.db.models.expressions import RawSQL


def ids_in(ids: Sequence[int]) -> RawSQL:
    """``pk__in`` for many ids as one array parameter: a 1,000-id list would otherwise cost
    the ORM a thousand prepared values per query."""
    return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))
