"""The role groups. (Until the apps were split this was compacts 0003; get_or_create
makes it a no-op on databases that ran that one.)"""

from django.db import migrations

ROLE_GROUPS = ["researcher", "lead researcher", "funder"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
