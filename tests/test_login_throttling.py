"""Sign-in throttling (django-axes): a few failures per username and IP lock that pair out
for a while, on the site's and the admin's sign-in, with a clear message and a log line."""

import logging

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture
def lena():
    return UserFactory(username="lena", is_staff=True)


def _sign_in(client, password, url=None, **headers):
    return client.post(
        url or reverse("login"), {"username": "lena", "password": password}, **headers
    )


def test_thirty_wrong_passwords_are_not_all_answered_with_the_form_again(client, lena, settings):
    statuses = [_sign_in(client, f"wrong-{n}").status_code for n in range(30)]
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit:]) == {429}


def test_a_locked_out_sign_in_says_when_to_try_again_and_refuses_the_right_password(client, lena):
    for n in range(5):
        _sign_in(client, f"wrong-{n}")
    response = _sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert "Try again in 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_is_throttled_too(client, lena):
    url = reverse("admin:login")
    statuses = [_sign_in(client, f"wrong-{n}", url).status_code for n in range(6)]
    assert statuses[-1] == 429


def test_lockouts_are_logged(client, lena, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        for n in range(6):
            _sign_in(client, f"wrong-{n}")
    lockouts = [r.getMessage() for r in caplog.records if "Locking out" in r.getMessage()]
    assert lockouts
    assert "lena" in lockouts[0]
    assert "127.0.0.1" in lockouts[0]


def test_a_success_before_the_limit_starts_the_count_again(client, lena):
    for n in range(4):
        _sign_in(client, f"wrong-{n}")
    assert _sign_in(client, PASSWORD).status_code == 302
    client.logout()
    assert [_sign_in(client, f"again-{n}").status_code for n in range(4)] == [200] * 4


def test_another_ip_address_is_not_locked_out(client, lena):
    for n in range(6):
        _sign_in(client, f"wrong-{n}", REMOTE_ADDR="198.51.100.7")
    assert _sign_in(client, PASSWORD, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_for_header_does_not_escape(client, lena):
    statuses = [
        _sign_in(client, f"wrong-{n}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(6)
    ]
    assert statuses[-1] == 429


def test_behind_a_trusted_proxy_the_client_is_the_address_the_proxy_appended(
    client, lena, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(6):  # the same client, whatever it writes into the header itself
        _sign_in(client, f"wrong-{n}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7", **proxy)
    locked = _sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    other_client = _sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)
    assert (locked.status_code, other_client.status_code) == (429, 302)


@pytest.mark.parametrize("forwarded", ["not-an-address", "198.51.100.7, <script>", "999.1.1.1"])
def test_behind_a_trusted_proxy_a_forwarded_for_entry_that_is_no_address_is_not_a_server_error(
    client, lena, settings, forwarded
):
    """The sign-in is throttled on the proxy's own address instead: never less strictly."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    statuses = [
        _sign_in(client, f"wrong-{n}", HTTP_X_FORWARDED_FOR=forwarded, **proxy).status_code
        for n in range(6)
    ]
    assert statuses[0] == 200
    assert statuses[-1] == 429
