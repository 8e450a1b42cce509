"""Sources and citations moved to the sources app; interviews, ratings and evidence (with
their history) to the confidential workspace app.

The tables stay where they are here (sources and workspace rename them next); this
migration only drops the models from this app's state and moves their content types, so
generic citations, permissions and admin log entries keep pointing at the same rows.
"""

from django.db import migrations

MOVED = {
    "sources": ["source", "citation"],
    "workspace": [
        "interview",
        "rating",
        "evidence",
        "historicalinterview",
        "historicalrating",
        "historicalevidence",
    ],
}


def _move_content_types(apps, *, from_app: str | None, to_app: str | None):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app, models in MOVED.items():
        old, new = from_app or app, to_app or app
        for model in models:
            if ContentType.objects.filter(app_label=new, model=model).exists():
                # Already there (e.g. created by a half-run migrate); keep that one.
                continue
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _move_content_types(apps, from_app="compacts", to_app=None)


def backwards(apps, schema_editor):
    _move_content_types(apps, from_app=None, to_app="compacts")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("compacts", "0004_assessment_stage_basis"),
        ("sources", "0001_initial"),
        ("workspace", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalEvidence"),
                migrations.DeleteModel(name="Evidence"),
                migrations.DeleteModel(name="HistoricalRating"),
                migrations.DeleteModel(name="Rating"),
                migrations.DeleteModel(name="HistoricalInterview"),
                migrations.DeleteModel(name="Interview"),
                migrations.DeleteModel(name="Citation"),
                migrations.DeleteModel(name="Source"),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
