"""Public pages list citations with their sources' titles, never the sources' full text
(a PDF's text runs to megabytes and no list shows it)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources.models import Source
from tests.factories import AssessmentFactory, CityFactory, SourceFactory, cite, make_stages

pytestmark = pytest.mark.django_db


def test_the_city_page_never_fetches_source_text(client):
    city = CityFactory(slug="boston")
    source = SourceFactory(title="A long report", text="page " * 10_000)
    cite(city, source=source)
    cite(AssessmentFactory(city=city, consensus_stage=make_stages()["Basic"]), source=source)
    text_column = f'"{Source._meta.db_table}"."text"'

    with CaptureQueriesContext(connection) as queries:
        response = client.get(city.get_absolute_url())

    assert response.status_code == 200
    assert "A long report" in response.content.decode()
    assert not [q["sql"] for q in queries if text_column in q["sql"]]
