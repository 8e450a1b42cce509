"""The `seeded` fixture (tests/conftest.py) writes back the seed data exactly, also after a
transaction=True test emptied the tables and the content types were made again with new
ids: every citation still points at the row it cites. (Both tests are transaction=True, so
pytest-django runs them in this order, after the other database tests.)"""

import pytest

from sources.models import Citation


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_leaves_new_content_type_ids_behind(seeded):
    assert Citation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_after_it_every_seeded_citation_still_points_at_its_row(seeded):
    citations = list(Citation.objects.select_related("content_type"))
    assert len(citations) == seeded["sources.Citation"] > 0
    assert all(citation.target is not None for citation in citations)
