"""Write the publish snapshot (compacts 0013) onto assessments researchers published before
it existed, so they read "rated by N researchers" rather than "not recorded": their
ratings as they stand now (ratings of a published assessment are locked, so as at publish)
and the evidence per side as the publishing rule counts it today. Assessments nobody
published through the workspace (seed stages from documents) are left without one.
Backwards: nothing to undo (compacts 0013's reversal drops the columns).
"""

from django.db import migrations

from workspace.evidence import is_substantive


def _agreement(count, low, high):
    if not count:
        return ""
    if count == 1:
        return "single"
    steps = high - low
    return "all_agree" if steps == 0 else "one_stage_apart" if steps == 1 else "split"


def snapshot(apps, schema_editor):
    Assessment = apps.get_model("compacts", "Assessment")
    Rating = apps.get_model("workspace", "Rating")
    Evidence = apps.get_model("workspace", "Evidence")
    Citation = apps.get_model("sources", "Citation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="compacts", model="assessment").first()
    published = Assessment.objects.filter(
        status="published", stage_provenance="rated", rater_count__isnull=True
    )
    for assessment in published.iterator():
        stages = list(
            Rating.objects.filter(assessment=assessment).values_list("stage__order", flat=True)
        )
        low, high = (min(stages), max(stages)) if stages else (None, None)
        evidence = Evidence.objects.filter(rating__assessment=assessment)
        sides = {
            sector: evidence.filter(interview__sector=sector)
            .values("interview_id")
            .distinct()
            .count()
            for sector in ("district", "charter")
        }
        sources = {
            source_id
            for source_id, quote, location, check in evidence.filter(
                source__isnull=False
            ).values_list("source_id", "quote", "location", "quote_check")
            if check != "unverified" and is_substantive(quote=quote, location=location)
        }
        cited = (
            Citation.objects.filter(content_type=content_type, object_id=assessment.pk).count()
            if content_type
            else 0
        )
        Assessment.objects.filter(pk=assessment.pk).update(
            rater_count=len(stages),
            rating_low_order=low,
            rating_high_order=high,
            rating_agreement=_agreement(len(stages), low, high),
            evidence_district_interviews=sides["district"],
            evidence_charter_interviews=sides["charter"],
            evidence_sources=len(sources) + cited,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("compacts", "0013_assessment_publish_snapshot"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sources", "0001_initial"),
        ("workspace", "0008_calibration_vignettes_and_assignments"),
    ]

    operations = [migrations.RunPython(snapshot, migrations.RunPython.noop)]
