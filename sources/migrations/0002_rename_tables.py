"""The tables take this app's names, now that compacts no longer claims the models."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0001_initial"),
        ("compacts", "0005_move_sources_and_research_out"),
    ]

    operations = [
        migrations.AlterModelTable(name="source", table=None),
        migrations.AlterModelTable(name="citation", table=None),
        migrations.RenameIndex(
            model_name="citation",
            new_name="sources_cit_content_f5692d_idx",
            old_name="compacts_ci_content_d5ec1b_idx",
        ),
    ]
