"""Kept so the migration history stays whole: the role groups moved to accounts 0001."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("compacts", "0002_revision_log")]

    operations = []
