"""Keep each rating's first submission on its row (blind rating that cannot be gamed).

The columns are added empty, then filled from the oldest history row of each rating (its
first submission as recorded), or from the rating itself when it has no history; each
history row gets its rating's first submission too, so comparing history rows shows no
change of it. 0007 then makes them required.
"""

import django.db.models.deletion
from django.db import migrations, models

FIRSTS = """
    SELECT DISTINCT ON (id) id, stage_id, confidence, rationale
    FROM workspace_historicalrating
    ORDER BY id, history_date, history_id
"""
FILL = [
    f"""UPDATE workspace_rating r
        SET first_stage_id = h.stage_id, first_confidence = h.confidence,
            first_rationale = h.rationale
        FROM ({FIRSTS}) h
        WHERE h.id = r.id AND h.stage_id IS NOT NULL AND h.rationale <> ''""",
    """UPDATE workspace_rating
        SET first_stage_id = stage_id, first_confidence = confidence, first_rationale = rationale
        WHERE first_stage_id IS NULL""",
    """UPDATE workspace_historicalrating h
        SET first_stage_id = r.first_stage_id, first_confidence = r.first_confidence,
            first_rationale = r.first_rationale
        FROM workspace_rating r
        WHERE r.id = h.id""",
    f"""UPDATE workspace_historicalrating h
        SET first_stage_id = f.stage_id, first_confidence = f.confidence,
            first_rationale = f.rationale
        FROM ({FIRSTS}) f
        WHERE f.id = h.id AND h.first_stage_id IS NULL""",
]


class Migration(migrations.Migration):
    dependencies = [
        ("compacts", "0011_typed_date_checks"),
        ("workspace", "0005_move_confidential_columns"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalrating",
            name="changed_after_seeing_others_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalrating",
            name="first_confidence",
            field=models.CharField(
                choices=[("low", "Low"), ("medium", "Medium"), ("high", "High")],
                default="",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="historicalrating",
            name="first_rationale",
            field=models.TextField(default=""),
        ),
        migrations.AddField(
            model_name="historicalrating",
            name="first_stage",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="compacts.stage",
            ),
        ),
        migrations.AddField(
            model_name="rating",
            name="changed_after_seeing_others_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="rating",
            name="first_confidence",
            field=models.CharField(
                choices=[("low", "Low"), ("medium", "Medium"), ("high", "High")],
                default="",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="rating",
            name="first_rationale",
            field=models.TextField(default=""),
        ),
        migrations.AddField(
            model_name="rating",
            name="first_stage",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="compacts.stage",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
