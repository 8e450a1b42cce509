"""Releases never change: the database refuses to update or delete one or its files."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION releases_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'A release is immutable: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER releases_release_immutable BEFORE UPDATE OR DELETE ON releases_release
    FOR EACH ROW EXECUTE FUNCTION releases_refuse_change();
CREATE TRIGGER releases_releasefile_immutable BEFORE UPDATE OR DELETE ON releases_releasefile
    FOR EACH ROW EXECUTE FUNCTION releases_refuse_change();
"""

REVERSE = """
DROP TRIGGER IF EXISTS releases_release_immutable ON releases_release;
DROP TRIGGER IF EXISTS releases_releasefile_immutable ON releases_releasefile;
DROP FUNCTION IF EXISTS releases_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("releases", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
