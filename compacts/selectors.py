"""Public reads of the record: published data only."""

from .models import RevisionLogEntry


def city_revision_log(*, city) -> list[RevisionLogEntry]:
    """A city's public revision log, newest first, in one query."""
    return list(
        RevisionLogEntry.objects.published()
        .filter(city=city)
        .select_related("stage_before", "stage_after")
        .only(
            "logged_on",
            "created_at",
            "action",
            "period_label",
            "reason",
            "city_id",
            "stage_before__name",
            "stage_after__name",
        )
    )
