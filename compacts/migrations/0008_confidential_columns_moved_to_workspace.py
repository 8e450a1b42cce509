"""The consensus note, the coverage-override reason and who recorded a revision now live in
the workspace's tables (copied there by workspace 0005): the public tables drop them."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("compacts", "0007_revision_recorded_by_nullable"),
        ("workspace", "0005_move_confidential_columns"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="assessment",
            name="consensus_note",
        ),
        migrations.RemoveField(
            model_name="historicalassessment",
            name="consensus_note",
        ),
        migrations.RemoveField(
            model_name="revisionlogentry",
            name="coverage_override_reason",
        ),
        migrations.RemoveField(
            model_name="revisionlogentry",
            name="recorded_by",
        ),
    ]
