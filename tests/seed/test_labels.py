"""Labels you can trust: a value combined from several quotes, a date no text gives or a
status read from a neighbouring phrase is inferred with its reasoning; a stated stage rests
on a stated citation; every stage citation says where in its source it is."""

import pytest

from cities.models import Event
from compacts.models import (
    Assessment,
    Initiative,
    InitiativeStatus,
    ResearchFinding,
    TrajectoryFinding,
)
from seed.seeding import (
    CANDIDATE_FINDING_UNREASONED,
    STAGE_CITATION_WITHOUT_LOCATION,
    STATED_STAGE_UNCITED,
    FixtureError,
    seed_database,
)

from .test_seed_command import _record


def test_a_mixed_trajectory_combined_from_two_quotes_is_inferred(seeded):
    finding = TrajectoryFinding.objects.get(key="los-angeles-collision-mixed")
    direction = finding.citations.filter(field="direction")
    assert {c.provenance for c in direction} == {"inferred"}
    assert "combined from two statements" in direction.get().reasoning
    assert finding.naming == "candidate"


def test_the_boston_ballot_fight_is_dated_by_inference(seeded):
    event = Event.objects.get(key__startswith="boston-unified-enrollment-derailed")
    assert event.date_is_approximate
    dated = event.citations.get(field="occurred_on")
    assert dated.provenance == "inferred"
    assert "No text dates the ballot fight" in dated.reasoning


def test_active_in_2017_read_from_began_using_is_inferred(seeded):
    status = InitiativeStatus.objects.get(initiative__key="no-centralized-expulsion")
    citation = status.citations.get()
    assert citation.provenance == "inferred"
    assert "began using" in citation.reasoning


def test_no_dated_status_is_stated_unless_its_quote_gives_the_year(seeded):
    for status in InitiativeStatus.objects.exclude(as_of_year=None):
        for citation in status.citations.filter(provenance="stated"):
            assert str(status.as_of_year) in citation.quote, (status, citation.quote)


def test_every_stage_citation_has_a_location_and_stated_stages_a_stated_citation(seeded):
    for assessment in Assessment.objects.all():
        assert all(c.location for c in assessment.citations.all()), assessment
        if assessment.stage_provenance == "stated":
            assert assessment.citations.filter(
                provenance="stated", field="consensus_stage"
            ).exists()


def test_the_seed_refuses_a_stated_stage_with_only_inferred_citations(db, broken_fixtures):
    def weaken(records):
        for citation in _record(records, city="boston")["citations"]:
            citation["provenance"] = "inferred"
            citation["reasoning"] = "Read from the text."

    with pytest.raises(FixtureError, match=STATED_STAGE_UNCITED):
        seed_database(fixture_dir=broken_fixtures("assessments.yaml", weaken))


def test_the_seed_refuses_a_stage_citation_without_a_location(db, broken_fixtures):
    def unlocate(records):
        _record(records, city="denver")["citations"][1]["location"] = ""

    message = STAGE_CITATION_WITHOUT_LOCATION.format(number=2)
    with pytest.raises(FixtureError, match=message.split("(")[0]):
        seed_database(fixture_dir=broken_fixtures("assessments.yaml", unlocate))


def test_the_seed_refuses_a_candidate_finding_without_reasoning(db, broken_fixtures):
    def unreason(records):
        finding = _record(records, key="sacramento-2017-01-lost-ground")
        finding["citations"] = [c for c in finding["citations"] if c["provenance"] == "stated"]

    with pytest.raises(FixtureError, match=CANDIDATE_FINDING_UNREASONED.split("(")[0]):
        seed_database(fixture_dir=broken_fixtures("trajectory_findings.yaml", unreason))


def test_the_research_findings_are_cited_records(seeded):
    kinds = set(ResearchFinding.objects.values_list("kind", flat=True))
    assert kinds == {"conclusion", "enabling_condition", "motivator", "strategy", "recommendation"}
    assert ResearchFinding.objects.filter(kind="enabling_condition").count() == 7
    assert set(
        ResearchFinding.objects.filter(kind="motivator").values_list("group", flat=True)
    ) == {"Transactional", "Values-based"}
    for finding in ResearchFinding.objects.all():
        assert finding.citations.filter(is_primary=True).exists(), finding


def test_the_earliest_stages_count_is_context_for_the_inferred_stages_not_a_stated_stage(seeded):
    for slug in ("central-falls", "chicago", "denver"):
        assessment = Assessment.objects.get(city__slug=slug)
        assert assessment.stage_provenance == "inferred"
        context = assessment.citations.get(quote="11 are in the earliest stages")
        assert context.provenance == "inferred"
        assert context.field != "consensus_stage"
        assert context.reasoning.startswith("Context for the inference, not a stated stage")
        assert not assessment.citations.filter(provenance="stated").exists()


def test_bostons_unified_enrollment_is_dated_as_the_text_gives_it(seeded):
    effort = Initiative.objects.get(key="bos-unified-enrollment-2017")
    assert effort.years_as_written == "A 2017 effort"
    assert (effort.start_year, effort.end_year) == (None, None)
