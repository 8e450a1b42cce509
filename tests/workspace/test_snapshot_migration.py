"""Assessments researchers published before the publish snapshot existed get theirs from
their (locked) ratings; seed stages from documents stay "not rated"."""

import datetime

import pytest

BEFORE = [
    ("compacts", "0012_public_data_change"),
    ("workspace", "0008_calibration_vignettes_and_assignments"),
]
AFTER = [("workspace", "0009_snapshot_published_assessments")]


@pytest.mark.django_db(transaction=True)
def test_assessments_published_before_the_snapshot_get_one_from_their_ratings(migrator):
    apps = migrator.apply_initial_migration(BEFORE).apps
    User = apps.get_model("auth", "User")
    City = apps.get_model("cities", "City")
    Stage = apps.get_model("compacts", "Stage")
    Assessment = apps.get_model("compacts", "Assessment")
    Rating = apps.get_model("workspace", "Rating")
    city = City.objects.create(
        slug="boston", name="Boston", state="MA", entity_name="Boston", kind="compact_city"
    )
    stages = [
        Stage.objects.create(order=order, key=f"s{order}", name=f"Stage {order}", description="d")
        for order in range(6)
    ]
    published = {
        "status": "published",
        "published_at": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    }
    rated = Assessment.objects.create(
        city=city, period_start=datetime.date(2016, 1, 1), period_precision="year",
        consensus_stage=stages[2], **published,
    )  # fmt: skip
    stated = Assessment.objects.create(
        city=city, period_start=datetime.date(2017, 1, 1), period_precision="year",
        consensus_stage=stages[4], stage_provenance="stated", **published,
    )  # fmt: skip
    for name, stage in (("ann", 2), ("ben", 4)):
        Rating.objects.create(
            assessment=rated, rater=User.objects.create(username=name, password="!"),
            stage=stages[stage], rationale="r", confidence="medium",
            first_stage=stages[stage], first_rationale="r", first_confidence="medium",
        )  # fmt: skip

    apps = migrator.apply_tested_migration(AFTER).apps

    Assessment = apps.get_model("compacts", "Assessment")
    rated = Assessment.objects.get(pk=rated.pk)
    assert (rated.rater_count, rated.rating_low_order, rated.rating_high_order) == (2, 2, 4)
    assert rated.rating_agreement == "split"
    assert Assessment.objects.get(pk=stated.pk).rater_count is None
