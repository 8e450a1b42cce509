"""Ratings made before first submissions were kept get theirs from the oldest history row:
what the researcher submitted first, not what the rating says now."""

import datetime

import pytest

BEFORE = [("workspace", "0005_move_confidential_columns")]
AFTER = [("workspace", "0007_rating_first_submission_required")]


def _rating_edited_after_its_first_submission(apps) -> dict:
    User = apps.get_model("auth", "User")
    City = apps.get_model("cities", "City")
    Stage = apps.get_model("compacts", "Stage")
    Assessment = apps.get_model("compacts", "Assessment")
    Rating = apps.get_model("workspace", "Rating")
    HistoricalRating = apps.get_model("workspace", "HistoricalRating")

    rater = User.objects.create(username="ben", password="!")
    city = City.objects.create(
        slug="boston", name="Boston", state="MA", entity_name="Boston", kind="compact_city"
    )
    stages = [
        Stage.objects.create(order=order, key=f"s{order}", name=f"Stage {order}", description="d")
        for order in range(6)
    ]
    assessment = Assessment.objects.create(
        city=city, period_start=datetime.date(2017, 1, 1), period_precision="year"
    )
    edited = Rating.objects.create(
        assessment=assessment, rater=rater, stage=stages[2], rationale="now", confidence="high"
    )
    fields = {f.attname: getattr(edited, f.attname) for f in edited._meta.concrete_fields}
    for day, change, stage, rationale, confidence in [
        (1, "+", stages[4], "first", "low"),
        (2, "~", stages[2], "now", "high"),
    ]:
        HistoricalRating.objects.create(
            **{**fields, "stage_id": stage.pk, "rationale": rationale, "confidence": confidence},
            history_date=datetime.datetime(2026, 1, day, tzinfo=datetime.UTC),
            history_type=change,
        )
    other = User.objects.create(username="anna", password="!")
    unrecorded = Rating.objects.create(
        assessment=assessment, rater=other, stage=stages[3], rationale="mine", confidence="medium"
    )
    return {"edited": edited.pk, "unrecorded": unrecorded.pk, "stages": [s.pk for s in stages]}


@pytest.mark.django_db(transaction=True)
def test_existing_ratings_get_their_first_submission_from_their_history(migrator):
    old_state = migrator.apply_initial_migration(BEFORE)
    made = _rating_edited_after_its_first_submission(old_state.apps)

    new_state = migrator.apply_tested_migration(AFTER)

    Rating = new_state.apps.get_model("workspace", "Rating")
    HistoricalRating = new_state.apps.get_model("workspace", "HistoricalRating")
    edited = Rating.objects.get(pk=made["edited"])
    assert (edited.first_stage_id, edited.first_rationale, edited.first_confidence) == (
        made["stages"][4],
        "first",
        "low",
    )
    assert edited.stage_id == made["stages"][2]
    assert edited.changed_after_seeing_others_at is None
    unrecorded = Rating.objects.get(pk=made["unrecorded"])
    assert (unrecorded.first_stage_id, unrecorded.first_rationale) == (made["stages"][3], "mine")
    # Every history row carries its rating's first submission, so none shows it changing.
    assert set(
        HistoricalRating.objects.filter(id=made["edited"]).values_list("first_stage_id", flat=True)
    ) == {made["stages"][4]}

    migrator.apply_tested_migration(BEFORE)  # and back
