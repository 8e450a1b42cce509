"""The data-version trigger moves to django-pgtrigger (caching/triggers.py), which installs it
after `migrate`: drop the hand-made ones that caching's post_migrate hook put on every public
table, and their function. The version's row is made here, no longer by that hook.

Going back leaves the pgtrigger triggers in place (they are installed after any `migrate`
while this code runs), so nothing is recreated."""

from django.db import migrations

DROP = """
DO $$
DECLARE
    hand_made record;
BEGIN
    FOR hand_made IN
        SELECT tgrelid::regclass AS tab FROM pg_trigger WHERE tgname = 'caching_bump_data_version'
    LOOP
        EXECUTE format('DROP TRIGGER caching_bump_data_version ON %s', hand_made.tab);
    END LOOP;
END $$;
DROP FUNCTION IF EXISTS caching_bump_data_version();
INSERT INTO caching_dataversion (id, token, changed_at)
VALUES (1, gen_random_uuid(), clock_timestamp()) ON CONFLICT (id) DO NOTHING;
"""


class Migration(migrations.Migration):
    dependencies = [("caching", "0001_initial")]

    operations = [migrations.RunSQL(DROP, migrations.RunSQL.noop)]
