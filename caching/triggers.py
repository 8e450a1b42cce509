"""Statement-level triggers on every public table that replace the data version.

Installed after every ``migrate`` (and ``flush``) for every table of the public apps, so a
table added later is covered without a migration of its own; a test checks that none is
missed. Workspace tables are not public and have none.
"""

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections

PUBLIC_APPS = ("sources", "cities", "compacts", "releases")
FUNCTION = "caching_bump_data_version"
TRIGGER = "caching_bump_data_version"

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Every statement, even several in one transaction: a transaction that reads its own
    -- writes (a test, a shell session) must not find a page cached under its old token.
    UPDATE caching_dataversion
       SET token = gen_random_uuid(), changed_at = clock_timestamp()
     WHERE id = 1;
    RETURN NULL;
END $$;
"""

ROW_SQL = """
INSERT INTO caching_dataversion (id, token, changed_at)
VALUES (1, gen_random_uuid(), clock_timestamp()) ON CONFLICT (id) DO NOTHING
"""


def public_tables() -> list[str]:
    """Every table of the public apps, many-to-many link tables included."""
    tables = set()
    for label in PUBLIC_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    return sorted(tables)


def install(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        cursor.execute(ROW_SQL)
        existing = set(connection.introspection.table_names(cursor))
        for table in public_tables():
            if table not in existing:
                continue
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER}"
                f" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
                f" ON {connection.ops.quote_name(table)}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
            )
