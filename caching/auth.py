"""Signing in as Django's ModelBackend does; loading the signed-in visitor for a request in
one round trip: the user, their role names and the public data's version together.

A signed-in visitor's page is its shared part from the cache (caching/shared.py), keyed on
their roles and the data version: reading those with the user turns three queries (and
Django's health-check ``SELECT 1``) into one. The per-user parts' own lists come in the
same row (settings.PAGE_USER_LISTS: the cities a visitor watches, for the watch button).
All are read on every request, so a role removed, a publish or a new watch takes effect on
the next one.
"""

import functools

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group

from .models import DataVersion
from .versions import first_query


class OneQueryUserBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.raw(_sql(), [user_id])
        user = first_query(lambda: next(iter(users), None))
        if user is None or not self.user_can_authenticate(user):
            return None
        user.role_names = set(user.role_name_list)  # read by accounts.roles
        user.data_version = user.data_version_token.hex if user.data_version_token else ""
        for name in settings.PAGE_USER_LISTS:
            setattr(user, name, frozenset(getattr(user, name)))
        return user


@functools.cache
def _sql() -> str:
    """Raw SQL: building the same query with the ORM costs more than running it."""
    user = get_user_model()
    memberships = user.groups.through._meta
    lists = "".join(
        f" ARRAY(SELECT {_column(model, value)} FROM {apps.get_model(model)._meta.db_table}"
        f" WHERE {_column(model, owner)} = u.id) AS {name},"
        for name, (model, value, owner) in settings.PAGE_USER_LISTS.items()
    )
    return (
        f"SELECT u.*, ARRAY(SELECT g.name FROM {Group._meta.db_table} g"
        f" JOIN {memberships.db_table} m ON m.group_id = g.id WHERE m.user_id = u.id)"
        f" AS role_name_list,{lists}"
        f" (SELECT token FROM {DataVersion._meta.db_table} WHERE id = 1) AS data_version_token"
        f" FROM {user._meta.db_table} u WHERE u.id = %s"
    )


def _column(model: str, field: str) -> str:
    return apps.get_model(model)._meta.get_field(field).column
