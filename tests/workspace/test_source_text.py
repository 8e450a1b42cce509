"""A researcher adds a source with its text (a text file, a PDF of at most 10 MB, or pasted);
its quotes are then checked against it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sources.models import Source
from sources.text import TOO_LARGE, TextUnavailable, extract_text
from tests.factories import user_with_role
from tests.pdfs import text_pdf
from workspace import services
from workspace.models import QuoteCheck

pytestmark = pytest.mark.django_db


def test_a_pdfs_text_layer_is_extracted():
    assert "Joint enrollment began in 2016." in extract_text(
        name="report.pdf", data=text_pdf("Joint enrollment began in 2016.")
    )


def test_text_files_are_read_and_other_files_refused():
    assert extract_text(name="a.txt", data="Words “quoted”.".encode()) == "Words “quoted”."
    with pytest.raises(TextUnavailable):
        extract_text(name="a.doc", data=b"\xff\xfe\x00W\x00o")
    with pytest.raises(TextUnavailable, match=TOO_LARGE):
        extract_text(name="a.txt", data=b"a" * (10 * 1024 * 1024 + 1))


def test_a_researcher_uploads_a_pdf_source_and_its_quotes_are_checked(client):
    researcher = user_with_role("researcher", "rhea")
    client.force_login(researcher)
    said = "The district and charters share a lottery for every family."
    upload = SimpleUploadedFile("plan.pdf", text_pdf(said))
    response = client.post(
        reverse("workspace:source-create"),
        {"title": "District plan", "kind": "report", "file": upload},
    )
    assert response.status_code == 302
    source = Source.objects.get(title="District plan")
    assert source.text_origin == "uploaded file plan.pdf"
    assert services.quote_check(source=source, quote=said) == QuoteCheck.FOUND
    with pytest.raises(services.ValidationError):
        services.quote_check(source=source, quote="they share buildings")


def test_pasted_text_or_none(client):
    client.force_login(user_with_role("researcher", "rhea"))
    url = reverse("workspace:source-create")
    client.post(url, {"title": "Board minutes", "kind": "other", "text": "Minutes of May."})
    client.post(url, {"title": "A paper we lack", "kind": "article"})
    pasted, missing = (
        Source.objects.get(title="Board minutes"),
        Source.objects.get(title="A paper we lack"),
    )
    assert (pasted.text, pasted.text_origin) == ("Minutes of May.", "pasted text")
    quote = "Minutes of May, which we do not hold here."
    assert services.quote_check(source=missing, quote=quote) == QuoteCheck.UNVERIFIED
    client.force_login(user_with_role("funder"))
    assert client.get(url).status_code == 403
