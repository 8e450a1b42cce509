"""Reads about documents and what cites them."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q

from .models import Citation, Source


def source_titles(*targets: tuple[type[Model], object]) -> tuple[str, ...]:
    """Titles of the sources cited by the given rows: (model, queryset of pks) pairs."""
    cited = Q(pk__in=[])
    for model, pks in targets:
        content_type = ContentType.objects.get_for_model(model)
        cited |= Q(content_type=content_type, object_id__in=pks)
    return tuple(
        Source.objects.filter(pk__in=Citation.objects.filter(cited).values("source_id"))
        .order_by("published_on", "title")
        .values_list("title", flat=True)
    )
