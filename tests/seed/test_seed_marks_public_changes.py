"""A seed run that changes public rows leaves a dated mark (compacts PublicDataChange) that
releases read: the data then differs from the newest release, and "Cite this" says so."""

from io import StringIO

from django.core.management import call_command

from compacts.models import PublicDataChange
from releases import services as releases
from seed.seeding import seed_database
from tests.factories import user_with_role

from .test_seed_command import _record

FINDING = "denver-2017-01-sustained"
CHANGED = "Changed since release 2026.1"


def _release():
    releases.release_create(user=user_with_role("lead"), number="2026.1", note="First.")


def test_a_seed_run_that_changes_public_data_after_a_release_makes_the_box_say_so(
    seeded, broken_fixtures, client
):
    _release()
    assert CHANGED not in client.get("/").content.decode()

    def edit(records):
        _record(records, key=FINDING)["naming"] = "candidate"
        citation = _record(records, key=FINDING)["citations"][0]
        citation["provenance"] = "inferred"
        citation["reasoning"] = "Continued success read as sustained cooperation."

    seed_database(fixture_dir=broken_fixtures("trajectory_findings.yaml", edit))

    change = PublicDataChange.objects.first()
    assert change.kind == "seed"
    assert "0 updated" not in change.summary
    assert CHANGED in client.get("/").content.decode()


def test_a_seed_run_that_changes_nothing_leaves_no_mark_and_no_claim(seeded, client):
    _release()
    marks = PublicDataChange.objects.count()

    call_command("seed", stdout=StringIO())

    assert PublicDataChange.objects.count() == marks
    assert CHANGED not in client.get("/").content.decode()
