"""Reads about documents and what cites them."""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Model, Q, Value

from common.sql import values_rows

from .models import Citation, Source


def source_titles(*targets: tuple[type[Model], object]) -> tuple[str, ...]:
    """Titles of the sources cited by the given rows: (model, queryset of pks) pairs."""
    return source_title_groups({"": targets})[""]


def source_title_groups(
    groups: Mapping[str, Sequence[tuple[type[Model], object]]], *, key: Hashable = None
) -> dict[str, tuple[str, ...]]:
    """``source_titles`` of several groups of rows in one query (a page's several sources
    notes): {group: titles}, each oldest source first. With a ``key`` naming everything the
    groups' querysets depend on, the query's SQL is compiled once per process for it
    (``common.sql.values_rows``; the content types are added to the key here)."""
    content_types = {
        model: ContentType.objects.get_for_model(model).pk
        for targets in groups.values()
        for model, _ in targets
    }

    def titled():
        queries = []
        for name, targets in groups.items():
            cited = Q(pk__in=[])
            for model, pks in targets:
                cited |= Q(content_type_id=content_types[model], object_id__in=pks)
            queries.append(
                Source.objects.filter(pk__in=Citation.objects.filter(cited).values("source_id"))
                .annotate(group=Value(name, output_field=CharField()))
                .values("group", "published_on", "title")
                .order_by()
            )
        first, *others = queries
        rows = first.union(*others, all=True) if others else first
        return rows.order_by("published_on", "title")

    if key is None:
        rows = list(titled())
    else:
        named = tuple(sorted((model._meta.label, pk) for model, pk in content_types.items()))
        rows = values_rows((key, named), titled)
    titles: dict[str, list[str]] = {name: [] for name in groups}
    for row in rows:
        titles[row["group"]].append(row["title"])
    return {name: tuple(found) for name, found in titles.items()}


def attach_citations(records: Iterable[Model]) -> None:
    """Load the citations of many records, of any cited models, in one query, into each
    record's ``citations`` prefetch cache: ``record.citations.all()`` then costs nothing.

    A page that cites seven kinds of record pays one query, not one per kind.
    """
    by_model: dict[type[Model], dict[int, Model]] = defaultdict(dict)
    for record in records:
        by_model[type(record)][record.pk] = record
    if not by_model:
        return
    types = ContentType.objects.get_for_models(*by_model)
    wanted = Q(pk__in=[])
    for model, records_by_pk in by_model.items():
        wanted |= Q(content_type=types[model], object_id__in=list(records_by_pk))
    found: dict[tuple[int, int], list[Citation]] = defaultdict(list)
    # A source's text (megabytes for a PDF) is never shown beside a citation.
    for citation in Citation.objects.filter(wanted).select_related("source").defer("source__text"):
        found[(citation.content_type_id, citation.object_id)].append(citation)
    for model, records_by_pk in by_model.items():
        content_type_id = types[model].pk
        for pk, record in records_by_pk.items():
            # What prefetch_related leaves behind: an evaluated queryset in the cache.
            citations = record.citations.all()
            citations._result_cache = found.get((content_type_id, pk), [])
            citations._prefetch_done = True
            if not hasattr(record, "_prefetched_objects_cache"):
                record._prefetched_objects_cache = {}
            record._prefetched_objects_cache["citations"] = citations
