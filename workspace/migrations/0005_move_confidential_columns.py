"""Copy the confidential columns of public tables into the workspace's own tables.

- ``compacts_assessment.consensus_note`` -> ``workspace_consensusnote`` (a row per
  assessment that has a note), and the note's past values in
  ``compacts_historicalassessment`` -> ``workspace_historicalconsensusnote``: one history
  row wherever the note changed, with that change's date, author, type and reason.
- ``compacts_revisionlogentry.recorded_by`` and ``coverage_override_reason`` ->
  ``workspace_revisionrecord`` (a row per log entry).

Backwards, every value goes back where it was (compacts 0008 re-adds the columns first),
each historical assessment row getting the note as it stood at that row's date.
"""

from django.db import migrations

BATCH = 2000


def _change_type(assessment_change: str, note_before: str) -> str:
    """What happened to the note: deleted with its assessment, created, or changed."""
    if assessment_change == "-":
        return "-"
    return "~" if note_before else "+"


def forward(apps, schema_editor):
    Assessment = apps.get_model("compacts", "Assessment")
    HistoricalAssessment = apps.get_model("compacts", "HistoricalAssessment")
    RevisionLogEntry = apps.get_model("compacts", "RevisionLogEntry")
    ConsensusNote = apps.get_model("workspace", "ConsensusNote")
    HistoricalConsensusNote = apps.get_model("workspace", "HistoricalConsensusNote")
    RevisionRecord = apps.get_model("workspace", "RevisionRecord")

    ConsensusNote.objects.bulk_create(
        (
            ConsensusNote(assessment_id=pk, text=note)
            for pk, note in Assessment.objects.exclude(consensus_note="")
            .values_list("pk", "consensus_note")
            .iterator()
        ),
        batch_size=BATCH,
    )

    past = []
    assessment_id, note_before = None, ""
    rows = HistoricalAssessment.objects.order_by("id", "history_date", "history_id").values(
        "id",
        "consensus_note",
        "history_date",
        "history_user_id",
        "history_type",
        "history_change_reason",
    )
    for row in rows.iterator():
        if row["id"] != assessment_id:
            assessment_id, note_before = row["id"], ""
        deleted_with_a_note = row["history_type"] == "-" and note_before
        if row["consensus_note"] != note_before or deleted_with_a_note:
            past.append(
                HistoricalConsensusNote(
                    assessment_id=row["id"],
                    text=row["consensus_note"],
                    history_date=row["history_date"],
                    history_user_id=row["history_user_id"],
                    history_type=_change_type(row["history_type"], note_before),
                    history_change_reason=row["history_change_reason"],
                )
            )
            note_before = row["consensus_note"]
    HistoricalConsensusNote.objects.bulk_create(past, batch_size=BATCH)

    RevisionRecord.objects.bulk_create(
        (
            RevisionRecord(
                entry_id=pk, recorded_by_id=recorded_by, coverage_override_reason=override
            )
            for pk, recorded_by, override in RevisionLogEntry.objects.values_list(
                "pk", "recorded_by_id", "coverage_override_reason"
            ).iterator()
        ),
        batch_size=BATCH,
    )


def backward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "UPDATE compacts_assessment a SET consensus_note = n.text"
            " FROM workspace_consensusnote n WHERE n.assessment_id = a.id"
        )
        # Each past row of an assessment gets the note as it stood at that row's date.
        cursor.execute(
            "UPDATE compacts_historicalassessment h SET consensus_note = coalesce(("
            " SELECT n.text FROM workspace_historicalconsensusnote n"
            " WHERE n.assessment_id = h.id AND n.history_date <= h.history_date"
            " ORDER BY n.history_date DESC, n.history_id DESC LIMIT 1), '')"
        )
        cursor.execute(
            "UPDATE compacts_revisionlogentry e SET recorded_by_id = r.recorded_by_id,"
            " coverage_override_reason = r.coverage_override_reason"
            " FROM workspace_revisionrecord r WHERE r.entry_id = e.id"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0004_consensus_note_and_revision_record"),
        ("compacts", "0007_revision_recorded_by_nullable"),
    ]

    operations = [migrations.RunPython(forward, backward)]
