"""Background jobs of the sources (``manage.py db_worker`` runs them)."""

from django_tasks import task

from sources import services


@task()
def read_source_text(source_id: int) -> str:
    """Read an uploaded source's text off the request path (see ``sources.reading``)."""
    return services.source_text_read(source_id=source_id)
