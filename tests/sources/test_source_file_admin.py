"""Staff see an uploaded file's name, source and size in the admin, never its bytes."""

import pytest
from django.urls import reverse

from sources.models import SourceFile
from tests.factories import SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_uploaded_file_shows_its_size_not_its_bytes(client):
    source = SourceFactory(text_status="reading")
    SourceFile.objects.create(source=source, name="plan.pdf", data=b"%PDF-1.4 secret bytes")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:sources_sourcefile_change", args=[source.pk]))
    assert page.status_code == 200
    assert "plan.pdf" in page.content.decode()
    assert "21" in page.content.decode()
    assert b"secret bytes" not in page.content
