"""The tables take this app's names, now that compacts no longer claims the models."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0001_initial"),
        ("compacts", "0005_move_sources_and_research_out"),
    ]

    operations = [
        migrations.AlterModelTable(name=name, table=None)
        for name in [
            "interview",
            "rating",
            "evidence",
            "historicalinterview",
            "historicalrating",
            "historicalevidence",
        ]
    ]
