"""The first submission of a rating is required from now on (filled by 0006)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("compacts", "0011_typed_date_checks"),
        ("workspace", "0006_rating_first_submission"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalrating",
            name="first_confidence",
            field=models.CharField(
                choices=[("low", "Low"), ("medium", "Medium"), ("high", "High")], max_length=10
            ),
        ),
        migrations.AlterField(
            model_name="historicalrating",
            name="first_rationale",
            field=models.TextField(),
        ),
        migrations.AlterField(
            model_name="rating",
            name="first_confidence",
            field=models.CharField(
                choices=[("low", "Low"), ("medium", "Medium"), ("high", "High")], max_length=10
            ),
        ),
        migrations.AlterField(
            model_name="rating",
            name="first_rationale",
            field=models.TextField(),
        ),
        migrations.AlterField(
            model_name="rating",
            name="first_stage",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="compacts.stage"
            ),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.CheckConstraint(
                condition=models.Q(("first_rationale", ""), _negated=True),
                name="rating_first_rationale_required",
            ),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.CheckConstraint(
                condition=models.Q(("first_confidence__in", ["low", "medium", "high"])),
                name="rating_first_confidence_valid",
            ),
        ),
    ]
