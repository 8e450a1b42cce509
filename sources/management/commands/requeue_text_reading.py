"""Queue again the reading of every source still "reading the text…".

A worker killed in the middle of a job (a machine restart, an OOM kill) leaves its job
"running" in the queue table, and django-tasks-db does not retry it; the source would say
"reading the text…" for ever. Reading twice is harmless: a job for a source already read
does nothing."""

from django.core.management.base import BaseCommand

from sources.models import Source, TextStatus
from sources.tasks import read_source_text


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def handle(self, *args, **options):
        ids = list(
            Source.objects.filter(text_status=TextStatus.READING).values_list("pk", flat=True)
        )
        for source_id in ids:
            read_source_text.enqueue(source_id=source_id)
        self.stdout.write(f"Queued {len(ids)} source{'s' if len(ids) != 1 else ''} to read.")
