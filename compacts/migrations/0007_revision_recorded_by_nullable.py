"""Step one of moving the confidential columns into the workspace (workspace 0005 copies
them, compacts 0008 drops them): ``recorded_by`` may be empty for the moment, so that
migrating back can re-add the column before the workspace copies its values back."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("compacts", "0006_findings_and_figure_comparisons"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="revisionlogentry",
            name="recorded_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
