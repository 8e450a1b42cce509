"""Writes to accounts: a user with exactly one role."""

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts import roles


@transaction.atomic
def give_role(user, role: str, *, password: str | None = None):
    """Save ``user`` (new or existing) with ``role`` (a key of ``roles.ROLES``) as its only
    role, and ``password`` when one is given."""
    groups = roles.ensure_groups()
    if password:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.remove(*groups.values())
    user.groups.add(groups[roles.ROLES[role]])
    return user


def demo_account(role: str, password: str):
    """The local account ``role`` (researcher, lead or funder) with an email address, so
    watch-list alerts reach the console; made or reset with ``password``."""
    User = get_user_model()
    user = User.objects.filter(username=role).first() or User(username=role)
    user.email = f"{role}@example.org"
    user.first_name = f"Demo {role}"
    return give_role(user, role, password=password)
