"""The menu names what each reader may open: Releases for everyone, the watch list for
anyone signed in, Compare and Cohorts for funders (and researchers, who see what funders
see), the workspace for researchers."""

import re

import pytest
from django.urls import reverse

from tests.factories import AssessmentFactory, user_with_role

pytestmark = pytest.mark.django_db


def _menu(client) -> dict[str, str]:
    page = client.get(reverse("cities:research-findings")).content.decode()
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', page, re.S).group(1)
    return {text: href for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, ["Dashboard", "Cities", "Research", "Releases", "Sign in"]),
        (
            "funder",
            ["Dashboard", "Cities", "Research", "Releases", "Compare", "Cohorts", "Watch list"],
        ),
        (
            "researcher",
            [
                "Dashboard",
                "Cities",
                "Research",
                "Releases",
                "Compare",
                "Cohorts",
                "Workspace",
                "Watch list",
            ],
        ),
        (
            "lead",
            [
                "Dashboard",
                "Cities",
                "Research",
                "Releases",
                "Compare",
                "Cohorts",
                "Workspace",
                "Watch list",
            ],
        ),
    ],
)
def test_the_menu_lists_what_each_role_may_open(client, role, expected):
    if role:
        client.force_login(user_with_role(role, f"menu-{role}"))

    menu = _menu(client)

    assert list(menu) == expected
    assert menu["Releases"] == reverse("releases:release-list")
    if role:
        assert menu["Watch list"] == reverse("alerts:watch-list")


def test_the_sign_out_button_names_the_user_for_screen_readers_only(client):
    client.force_login(user_with_role("lead", "a-long-user-name"))
    page = client.get(reverse("cities:research-findings")).content.decode()

    assert 'Sign out<span class="visually-hidden"> (a-long-user-name)</span>' in page


def test_the_rubric_follows_the_rating_form_never_splits_it(client):
    client.force_login(user_with_role("researcher"))
    draft = AssessmentFactory(status="draft", published_at=None)
    page = client.get(reverse("workspace:rating-edit", args=[draft.pk])).content.decode()

    assert page.index("</form>") < page.index('<aside class="rubric"')
    assert re.search(r'<div class="form-actions">\s*<button type="submit">Submit rating', page)
