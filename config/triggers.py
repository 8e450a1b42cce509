"""The database's triggers are installed after every ``migrate`` (and ``flush``).

This is pgtrigger's PGTRIGGER_INSTALL_ON_MIGRATE (see config/settings.py for why install
after migrate rather than through migrations), with one difference: only the triggers
whose tables exist are installed, so a migration back to before a table
(``migrate releases zero``) leaves that table's triggers out instead of failing after the
migration has run. Triggers no longer declared are pruned, as pgtrigger does.
"""

import pgtrigger
from django.db import connections


def install_after_migrate(using: str, **kwargs) -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    uris = [
        trigger.get_uri(model)
        for model, trigger in pgtrigger.registered()
        if model._meta.db_table in tables
    ]
    if uris:  # with no URIs, pgtrigger.install would try every trigger
        pgtrigger.install(*uris, database=using)
    pgtrigger.prune(database=using)
