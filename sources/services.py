"""Writes to sources that are not a researcher's action: storing the text a worker read."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction

from sources.models import Source, SourceFile, TextStatus
from sources.reading import Limits, read_text
from sources.text import TextUnavailable

# One reading at a time on the whole database, however many workers run: the machine has
# two cores and the pages come first.
_READING_LOCK = 7_310_419


@contextmanager
def _one_reading_at_a_time():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_READING_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_READING_LOCK])


def source_text_read(*, source_id: int, limits: Limits | None = None) -> str:
    """Read the uploaded file of a source that is "reading the text…" in a child process
    (``sources.reading``) and store the outcome: its text, or "could not read" with the
    reason. Returns the source's new text status ("" once the text is held); a source
    that is not waiting for its text (deleted, or already read) is left alone."""
    limits = limits or Limits.from_settings()
    with _one_reading_at_a_time():
        upload = (
            SourceFile.objects.filter(source_id=source_id, source__text_status=TextStatus.READING)
            .only("name", "data")
            .first()
        )
        if upload is None:
            return "skipped"
        try:
            text, error = read_text(name=upload.name, data=bytes(upload.data), limits=limits), ""
        except TextUnavailable as exc:
            text, error = "", str(exc)[:300]
        with transaction.atomic():
            source = Source.objects.select_for_update().filter(pk=source_id).first()
            if source is None or source.text_status != TextStatus.READING:
                return "skipped"
            if error:
                source.text_status, source.text_error = TextStatus.FAILED, error
            else:
                source.text_status, source.text = "", text
                source.text_origin = f"uploaded file {upload.name}"
            source.full_clean()
            source.save(update_fields=["text", "text_status", "text_error", "text_origin"])
        return source.text_status
