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
from django.db import connection

from .models import DataVersion
from .versions import first_query


class OneQueryUserBackend(ModelBackend):
    def get_user(self, user_id):
        row = first_query(lambda: _fetch(user_id))
        if row is None:
            return None
        model = get_user_model()
        fields = [field.attname for field in model._meta.concrete_fields]
        # A plain cursor and ``from_db``: a raw queryset's column mapping costs more than the
        # query on every signed-in request.
        user = model.from_db(connection.alias, fields, row[: len(fields)])
        role_names, *lists, token = row[len(fields) :]
        if not self.user_can_authenticate(user):
            return None
        user.role_names = set(role_names)  # read by accounts.roles
        user.data_version = token.hex if token else ""
        for name, values in zip(settings.PAGE_USER_LISTS, lists, strict=True):
            setattr(user, name, frozenset(values))
        return user


def _fetch(user_id) -> tuple | None:
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None  # a session naming no user id (as ModelBackend's lookup finds none)
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [user_id])
        return cursor.fetchone()


@functools.cache
def _sql() -> str:
    """Raw SQL: building the same query with the ORM costs more than running it."""
    user = get_user_model()
    memberships = user.groups.through._meta
    columns = ", ".join(f"u.{field.column}" for field in user._meta.concrete_fields)
    lists = "".join(
        f" ARRAY(SELECT {_column(model, value)} FROM {apps.get_model(model)._meta.db_table}"
        f" WHERE {_column(model, owner)} = u.id) AS {name},"
        for name, (model, value, owner) in settings.PAGE_USER_LISTS.items()
    )
    return (
        f"SELECT {columns}, ARRAY(SELECT g.name FROM {Group._meta.db_table} g"
        f" JOIN {memberships.db_table} m ON m.group_id = g.id WHERE m.user_id = u.id)"
        f" AS role_name_list,{lists}"
        f" (SELECT token FROM {DataVersion._meta.db_table} WHERE id = 1) AS data_version_token"
        f" FROM {user._meta.db_table} u WHERE u.id = %s"
    )


def _column(model: str, field: str) -> str:
    return apps.get_model(model)._meta.get_field(field).column
