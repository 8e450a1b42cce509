"""Project-wide checks: migrations are complete and every simple page answers."""

import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse


@pytest.mark.django_db
def test_no_model_changes_are_missing_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _argument_free_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's own admin, tested by Django
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _argument_free_url_names(pattern, inner)
        elif (
            isinstance(pattern, URLPattern)
            and pattern.name
            and not re.search(r"[(<]", str(pattern.pattern))
        ):
            yield f"{namespace}{pattern.name}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(_argument_free_url_names())))
def test_every_simple_page_answers_with_exactly_one_h1(client, name):
    response = client.get(reverse(name), follow=True)

    assert response.status_code in {200, 405}, name
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert response.content.decode().count("<h1") == 1, name
