"""Production settings come from the environment: `check --deploy` is clean with the
variables docs/operations.md's production section lists, HTTPS is enforced, and every page carries
a Content-Security-Policy without 'unsafe-eval' or nonces."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

# docs/operations.md's production section, verbatim in meaning.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7$Kq!2vN@pL9#wR4&zT6^mB8*cY1(eH3)jU5-oI0_aS+dFgG7hJ8kL9mN0pQ",
    "ALLOWED_HOSTS": "tracker.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://tracker.example.org",
    "DATABASE_URL": "postgres://tracker:secret@db.example.org:5432/tracker",
    "TRUSTED_PROXY_COUNT": "1",
    "SITE_URL": "https://tracker.example.org",
}
# Only the variables above (and what Python needs), nothing from the test run.
KEEP = {"PATH", "HOME", "LANG", "VIRTUAL_ENV", "PYTHONPATH", "TMPDIR"}


def _run(args, **env):
    base = {k: v for k, v in os.environ.items() if k in KEEP}
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_readmes_production_variables():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


PRINT = """
import json
from config import settings as s
print(json.dumps({
    "proxy_ssl_header": getattr(s, "SECURE_PROXY_SSL_HEADER", None),
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "hsts": s.SECURE_HSTS_SECONDS,
    "csrf_origins": s.CSRF_TRUSTED_ORIGINS,
    "secure_cookies": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE],
}))
"""


def _settings(**env) -> dict:
    result = _run(["-c", PRINT], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_enforces_https_and_trusts_the_proxys_header_only_when_told():
    behind_proxy = _settings(**PRODUCTION)
    assert behind_proxy == {
        "proxy_ssl_header": ["HTTP_X_FORWARDED_PROTO", "https"],
        "ssl_redirect": True,
        "hsts": 31536000,
        "csrf_origins": ["https://tracker.example.org"],
        "secure_cookies": [True, True],
    }
    direct = _settings(**{**PRODUCTION, "TRUSTED_PROXY_COUNT": "0"})
    assert direct["proxy_ssl_header"] is None


def test_development_stays_on_plain_http():
    development = _settings()
    assert (development["ssl_redirect"], development["hsts"]) == (False, 0)


@pytest.mark.django_db
def test_behind_the_proxy_https_requests_get_hsts_and_plain_ones_a_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    plain = client.get("/cities/")
    proxied = client.get("/cities/", headers={"X-Forwarded-Proto": "https"})

    assert (plain.status_code, plain["Location"]) == (301, "https://testserver/cities/")
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/dashboard/", "/accounts/login/", "/api/cities/"])
def test_every_page_carries_one_fixed_content_security_policy(client, url):
    policy = client.get(url)["Content-Security-Policy"]
    directives = {
        name: value
        for name, _, value in (part.strip().partition(" ") for part in policy.split(";"))
    }
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert set(directives["img-src"].split()) == {"'self'", "data:", "blob:"}
    assert "unsafe-eval" not in policy
    assert "nonce-" not in policy
    assert client.get(url)["Content-Security-Policy"] == policy
