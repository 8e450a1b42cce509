"""The real queue: an upload answers at once with the job stored in PostgreSQL
(django-tasks-db), and a worker run (`manage.py db_worker`) reads the text later."""

import signal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from sources.models import Source, TextStatus
from sources.reading import TOO_MUCH_CPU
from tests.factories import user_with_role
from tests.pdfs import operator_flood_pdf, text_pdf

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def _signals_restored():
    # The worker installs its own SIGINT/SIGTERM handlers; give pytest its own back.
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_signals_restored")
def test_uploads_answer_at_once_and_a_worker_reads_them_one_by_one(client, settings):
    settings.TASKS = QUEUE
    settings.TEXT_READ_CPU_SECONDS = 1
    settings.TEXT_READ_MAX_PAGE_OPERATORS = 0  # no count: the CPU limit stops it
    client.force_login(user_with_role("researcher", "rhea"))
    url = reverse("workspace:source-create")
    for title, name, data in [
        ("Plan", "plan.pdf", text_pdf("They share a lottery.")),
        ("Flood", "flood.pdf", operator_flood_pdf(operators=150_000)),
    ]:
        upload = SimpleUploadedFile(name, data)
        response = client.post(url, {"title": title, "kind": "report", "file": upload})
        assert response.status_code == 302
    # Answered before any reading: both wait in the queue.
    assert set(Source.objects.values_list("text_status", flat=True)) == {TextStatus.READING}
    assert DBTaskResult.objects.ready().count() == 2

    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    plan, flood = Source.objects.get(title="Plan"), Source.objects.get(title="Flood")
    assert (plan.text_status, plan.text) == ("", "They share a lottery.")
    assert (flood.text_status, flood.text_error) == (
        TextStatus.FAILED,
        TOO_MUCH_CPU.format(seconds=1),
    )
    assert DBTaskResult.objects.ready().count() == 0
