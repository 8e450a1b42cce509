"""Related records read by a page's own queries, handed to the records that own them."""

from collections.abc import Iterable

from django.db.models import Model


def set_prefetched(record: Model, name: str, related: Iterable[Model]) -> None:
    """Make ``record.<name>.all()`` give ``related`` without a query, as ``prefetch_related``
    leaves it: the relation's own queryset, evaluated, in the record's prefetch cache (so a
    further ``filter()`` still reads only this record's rows)."""
    if not hasattr(record, "_prefetched_objects_cache"):
        record._prefetched_objects_cache = {}
    queryset = getattr(record, name).all()
    queryset._result_cache = list(related)
    queryset._prefetch_done = True
    record._prefetched_objects_cache[name] = queryset
