"""The immutability triggers move to django-pgtrigger (releases/triggers.py), which installs
them after `migrate`: drop the hand-made ones of 0002. Going back makes them again."""

from django.db import migrations

DROP = """
DROP TRIGGER IF EXISTS releases_release_immutable ON releases_release;
DROP TRIGGER IF EXISTS releases_releasefile_immutable ON releases_releasefile;
DROP FUNCTION IF EXISTS releases_refuse_change();
"""

CREATE = """
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


class Migration(migrations.Migration):
    dependencies = [("releases", "0002_immutable")]

    operations = [migrations.RunSQL(DROP, CREATE)]
