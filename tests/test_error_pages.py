"""Error pages tell people what happened in the site's own words, and reveal nothing else."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_unknown_address_gets_the_sites_not_found_page(client):
    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert html.count("<h1") == 1
    assert "Page not found" in html
    assert "city directory" in html


def test_a_signed_in_user_without_a_role_gets_the_sites_not_allowed_page(client):
    client.force_login(UserFactory())

    response = client.get("/workspace/")

    assert response.status_code == 403
    assert "Your account does not have access to this page" in response.content.decode()


def test_a_server_error_page_stands_alone_and_shows_no_details():
    response = server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "Traceback" not in html
