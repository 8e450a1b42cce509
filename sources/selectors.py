"""Reads about documents and what cites them."""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, CharField, Model, Q, Value
from django.db.models.expressions import RawSQL

from common.prefetched import set_prefetched
from common.sql import kept_instances, values_rows

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

    A page that cites seven kinds of record pays one query, not one per kind, and its SQL is
    compiled once per process (``common.sql.kept_instances``): the records go as two arrays.
    """
    by_model: dict[type[Model], dict[int, Model]] = defaultdict(dict)
    for record in records:
        by_model[type(record)][record.pk] = record
    if not by_model:
        return
    types = ContentType.objects.get_for_models(*by_model)
    cited = [(types[model].pk, pk) for model, by_pk in by_model.items() for pk in by_pk]
    found: dict[tuple[int, int], list[Citation]] = defaultdict(list)
    citations = kept_instances(
        "attach_citations",
        _citations_of,
        [content_type for content_type, _ in cited],
        [object_id for _, object_id in cited],
    )
    for citation in citations:
        found[(citation.content_type_id, citation.object_id)].append(citation)
    for model, by_pk in by_model.items():
        content_type = types[model].pk
        for pk, record in by_pk.items():
            set_prefetched(record, "citations", found.get((content_type, pk), []))


def _citations_of(content_types: list[int], object_ids: list[int]):
    """The citations of the records named by the two arrays, pair by pair, with their source
    (never its text: megabytes for a PDF, and never shown beside a citation)."""
    table = Citation._meta.db_table
    pairs = RawSQL(
        f'("{table}"."content_type_id", "{table}"."object_id")'
        " IN (SELECT * FROM unnest(%s::integer[], %s::bigint[]))",
        (content_types, object_ids),
        output_field=BooleanField(),
    )
    return (
        Citation.objects.alias(cited=pairs)
        .filter(cited=True)
        .select_related("source")
        .defer("source__text")
    )
