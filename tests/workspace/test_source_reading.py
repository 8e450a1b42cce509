"""An uploaded PDF is stored and read by a job, not in the request: until its text is read
the source says "reading the text…" and its quotes are unverified, like those of a source
without text; a file that cannot be read ends as "could not read" with the reason."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from sources.models import Source, SourceFile, TextStatus
from sources.reading import TOO_MUCH_CPU
from tests.factories import user_with_role
from tests.pdfs import operator_flood_pdf, text_pdf
from workspace import services
from workspace.models import QuoteCheck

pytestmark = pytest.mark.django_db

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def researcher_client(client):
    client.force_login(user_with_role("researcher", "rhea"))
    return client


def _upload(client, name: str, data: bytes, **fields):
    return client.post(
        reverse("workspace:source-create"),
        {"title": "District plan", "kind": "report", "file": SimpleUploadedFile(name, data)}
        | fields,
    )


def test_a_source_whose_text_is_being_read_has_unverified_quotes_and_says_so(
    researcher_client, settings
):
    settings.TASKS = QUEUE  # queued, with no worker running
    response = _upload(
        researcher_client,
        "plan.pdf",
        text_pdf("The district and the charter schools share a lottery for every family."),
    )
    assert response.status_code == 302
    source = Source.objects.get(title="District plan")
    assert source.text_status == TextStatus.READING
    assert SourceFile.objects.get(source=source).name == "plan.pdf"
    assert (
        services.quote_check(
            source=source, quote="district and the charter schools share a lottery for every family"
        )
        == QuoteCheck.UNVERIFIED
    )
    passages = researcher_client.get(
        reverse("workspace:source-passages", args=[source.pk]), {"q": "lottery"}
    ).json()
    assert (passages["has_text"], passages["reading_note"]) == (False, "reading the text…")
    page = researcher_client.get(reverse("workspace:source-list")).content.decode()
    assert "Reading the text…" in page


def test_a_pdf_of_repeated_text_operators_ends_as_could_not_read_with_the_reason(
    researcher_client, settings
):
    settings.TEXT_READ_CPU_SECONDS = 1
    settings.TEXT_READ_MAX_PAGE_OPERATORS = 0  # no count: the CPU limit stops it
    response = _upload(researcher_client, "flood.pdf", operator_flood_pdf(operators=150_000))
    assert response.status_code == 302
    source = Source.objects.get(title="District plan")
    assert (source.text_status, source.text_error) == (
        TextStatus.FAILED,
        TOO_MUCH_CPU.format(seconds=1),
    )
    assert (
        services.quote_check(
            source=source, quote="district and the charter schools share a lottery for every family"
        )
        == QuoteCheck.UNVERIFIED
    )
    page = researcher_client.get(reverse("workspace:source-list")).content.decode()
    assert "Could not read: Reading it needed more than 1 s of processor time." in page


def test_once_read_the_text_is_held_and_quotes_are_checked(researcher_client):
    _upload(
        researcher_client,
        "plan.pdf",
        text_pdf("The district and the charter schools share a lottery for every family."),
    )
    source = Source.objects.get(title="District plan")
    assert (source.text_status, source.text_origin) == ("", "uploaded file plan.pdf")
    assert (
        services.quote_check(
            source=source, quote="district and the charter schools share a lottery for every family"
        )
        == QuoteCheck.FOUND
    )
    page = researcher_client.get(reverse("workspace:source-list")).content.decode()
    assert "Held (uploaded file plan.pdf)" in page


def test_the_source_list_costs_the_same_queries_for_many_sources(
    researcher_client, django_assert_max_num_queries
):
    for n in range(30):
        services.source_create(user=user_with_role("researcher"), title=f"S{n}", kind="brief")
    with django_assert_max_num_queries(6):
        assert researcher_client.get(reverse("workspace:source-list")).status_code == 200


def test_a_filename_over_200_characters_is_shortened_keeping_its_extension(researcher_client):
    name = "minutes-" + "x" * 240 + ".pdf"
    assert _upload(researcher_client, name, text_pdf("Minutes of May.")).status_code == 302
    source = Source.objects.get(title="District plan")
    assert source.upload.name.endswith("….pdf")
    assert len(source.upload.name) <= 180
    assert source.text_origin == f"uploaded file {source.upload.name}"
    text_name = "notes-" + "y" * 240 + ".txt"
    _upload(researcher_client, text_name, b"Notes.", title="Notes")
    assert Source.objects.get(title="Notes").text_origin.endswith("….txt")


def test_an_address_over_200_characters_is_a_form_error(researcher_client):
    url = "https://example.org/" + "a" * 200
    response = researcher_client.post(
        reverse("workspace:source-create"), {"title": "Long", "kind": "report", "url": url}
    )
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()
    assert not Source.objects.filter(title="Long").exists()


def test_sources_left_reading_by_a_dead_worker_can_be_queued_again(researcher_client, settings):
    settings.TASKS = QUEUE  # queued, and the worker "died" before running it
    _upload(researcher_client, "plan.pdf", text_pdf("They share a lottery."))
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    out = io.StringIO()
    call_command("requeue_text_reading", stdout=out)
    assert out.getvalue().strip() == "Queued 1 source to read."
    source = Source.objects.get(title="District plan")
    assert (source.text_status, source.text) == ("", "They share a lottery.")
