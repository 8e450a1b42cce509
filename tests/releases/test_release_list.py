import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_releases_page_without_a_release_says_who_makes_one_and_how_to_cite_meanwhile(client):
    page = client.get(reverse("releases:release-list")).content.decode()

    assert "No release has been made yet" in page
    assert "A lead researcher makes one from this page" in page
    assert "cite a page by its permalink" in page
