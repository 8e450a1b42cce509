"""`manage.py seed` is a sync of what the fixtures own: it updates citations in place,
removes rows whose records left the fixtures, prints the database changes, and leaves
researchers' rows, and seeded rows they built on, as they are (reported as conflicts)."""

import datetime
from io import StringIO

from django.conf import settings

from cities.models import City
from compacts.models import Assessment, RevisionLogEntry, Stage, TrajectoryFinding
from seed.models import SeededRow
from seed.seeding import seed_database
from sources.models import Citation, Source
from tests.factories import RatingFactory

from .test_seed_command import _record

FINDING = "denver-2017-01-sustained"
FIXTURES = settings.FIXTURE_DIRS[0]


def _seed(path) -> str:
    out = StringIO()
    seed_database(fixture_dir=path, stdout=out)
    return out.getvalue()


def _finding_citation(**match) -> Citation:
    finding = TrajectoryFinding.objects.get(key=FINDING)
    return finding.citations.get(**match)


# A second run changes nothing and says so: test_seed_command.py,
# test_seeding_twice_leaves_every_row_and_field_unchanged.


def test_every_seeded_row_is_owned_by_the_seed(seeded):
    assert SeededRow.objects.count() == sum(seeded.values())


def test_an_edited_citation_is_updated_in_place(seeded, broken_fixtures):
    before = _finding_citation()

    def edit(records):
        _record(records, key=FINDING)["naming"] = "candidate"
        citation = _record(records, key=FINDING)["citations"][0]
        citation["location"] = "Figure 6 discussion"
        citation["provenance"] = "inferred"
        citation["reasoning"] = "Continued success read as sustained cooperation."

    out = _seed(broken_fixtures("trajectory_findings.yaml", edit))
    after = _finding_citation()
    assert after.pk == before.pk
    assert (after.location, after.provenance) == ("Figure 6 discussion", "inferred")
    assert after.reasoning.startswith("Continued success")
    assert out.startswith("Seed: 0 created, 2 updated, 0 removed")
    assert "updated  sources.Citation" in out
    assert "location, provenance, reasoning" in out


def test_a_changed_quote_replaces_the_old_citation(seeded, broken_fixtures):
    old = _finding_citation()

    def requote(records):
        _record(records, key=FINDING)["citations"][0]["quote"] = "Boston, Denver, and Cleveland"

    out = _seed(broken_fixtures("trajectory_findings.yaml", requote))
    finding = TrajectoryFinding.objects.get(key=FINDING)
    assert list(finding.citations.values_list("quote", flat=True)) == [
        "Boston, Denver, and Cleveland"
    ]
    assert not Citation.objects.filter(pk=old.pk).exists()
    assert out.startswith("Seed: 1 created, 0 updated, 1 removed")


def test_a_record_removed_from_the_fixtures_is_removed_with_its_citations(seeded, broken_fixtures):
    finding = TrajectoryFinding.objects.get(key=FINDING)
    cited = list(finding.citations.values_list("pk", flat=True))

    def remove(records):
        records.remove(_record(records, key=FINDING))

    out = _seed(broken_fixtures("trajectory_findings.yaml", remove))
    assert not TrajectoryFinding.objects.filter(key=FINDING).exists()
    assert not Citation.objects.filter(pk__in=cited).exists()
    assert f"removed  compacts.TrajectoryFinding {FINDING}" in out


def test_rows_researchers_added_are_never_touched(seeded):
    city = City.objects.get(slug="atlanta")
    draft = Assessment.objects.create(
        city=city, period_start=datetime.date(2019, 1, 1), period_precision="year"
    )
    mine = Citation.objects.create(
        target=city, source=Source.objects.first(), quote="a note a lead typed",
        provenance="stated",
    )  # fmt: skip
    out = _seed(FIXTURES)
    assert Assessment.objects.filter(pk=draft.pk).exists()
    assert Citation.objects.filter(pk=mine.pk).exists()
    assert out.startswith("Seed: 0 created, 0 updated, 0 removed, 0 conflicts")


def test_a_seeded_row_researchers_built_on_is_a_conflict_left_as_it_is(seeded, broken_fixtures):
    boston = Assessment.objects.get(city__slug="boston")
    RatingFactory(assessment=boston, stage=Stage.objects.get(key="advanced"))
    denver = Assessment.objects.get(city__slug="denver")
    basic = Stage.objects.get(key="basic")
    Assessment.objects.filter(pk=denver.pk).update(consensus_stage=basic)
    RevisionLogEntry.objects.create(
        city=denver.city, assessment=denver, period_label="January 2017",
        action="stage_changed", logged_on=datetime.date(2024, 1, 1),
        stage_before=Stage.objects.get(key="intermediate"), stage_after=basic,
        reason="New interviews.",
    )  # fmt: skip

    def edit(records):
        _record(records, city="boston")["stage_reasoning"] = "Edited in the fixtures."
        _record(records, city="boston")["citations"][0]["location"] = "Figure 6 prose"

    out = _seed(broken_fixtures("assessments.yaml", edit))
    boston.refresh_from_db()
    denver.refresh_from_db()
    assert boston.stage_reasoning != "Edited in the fixtures."
    assert not boston.citations.filter(location="Figure 6 prose").exists()
    assert denver.consensus_stage == basic  # the lead's change stays
    assert "conflict compacts.Assessment" in out
    assert "researchers rated it (1 rating)" in out
    assert "a lead changed its published stage" in out
    assert ", 0 updated," in out.splitlines()[0]
