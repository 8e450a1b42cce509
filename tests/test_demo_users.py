import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts import roles

pytestmark = pytest.mark.django_db


def authenticate(username, password):
    """The user when ``password`` is theirs (the sign-in form's check, without axes)."""
    user = get_user_model().objects.filter(username=username).first()
    return user if user and user.check_password(password) else None


def _run_demo_users():
    out = io.StringIO()
    call_command("demo_users", stdout=out)
    printed = out.getvalue()
    return printed, dict(
        re.findall(r"^\s+(researcher|lead|funder)\s+password (\S+)", printed, re.M)
    )


def test_demo_users_prints_a_working_password_for_a_researcher_a_lead_and_a_funder(settings):
    settings.DEBUG = True

    printed, passwords = _run_demo_users()

    assert set(passwords) == {"researcher", "lead", "funder"}
    for name, password in passwords.items():
        user = authenticate(username=name, password=password)
        assert user is not None, f"{name} cannot sign in with the printed password"
        assert user.email == f"{name}@example.org"
    assert roles.is_researcher(
        authenticate(username="researcher", password=passwords["researcher"])
    )
    assert roles.is_lead(authenticate(username="lead", password=passwords["lead"]))
    assert roles.is_funder(authenticate(username="funder", password=passwords["funder"]))
    assert "/accounts/login/" in printed


def test_running_demo_users_again_resets_the_passwords_and_keeps_one_role_each(settings):
    settings.DEBUG = True
    _, first = _run_demo_users()

    _, second = _run_demo_users()

    assert authenticate(username="lead", password=first["lead"]) is None
    assert authenticate(username="lead", password=second["lead"]) is not None
    assert get_user_model().objects.filter(username__in=second).count() == 3
    assert list(
        get_user_model().objects.get(username="funder").groups.values_list("name", flat=True)
    ) == [roles.FUNDER]


def test_demo_users_is_refused_when_debug_is_false_and_creates_nobody(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs with DEBUG=true"):
        call_command("demo_users", stdout=io.StringIO())

    assert (
        not get_user_model().objects.filter(username__in=["researcher", "lead", "funder"]).exists()
    )
