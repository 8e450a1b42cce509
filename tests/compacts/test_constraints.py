"""The database itself refuses data that breaks the rules that define it.

Each test writes straight through the ORM, with no form or full_clean in the way, and
expects PostgreSQL to say no.
"""

import datetime
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from compacts.models import Assessment, Compact, InitiativeType, Stage
from sources.models import Citation
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    CompactFactory,
    InitiativeFactory,
    InterviewFactory,
    RatingFactory,
    SourceFactory,
    UserFactory,
    make_stages,
)
from workspace.models import Evidence, Rating

pytestmark = pytest.mark.django_db


@contextmanager
def refused():
    """Expect the database to refuse the write, inside a savepoint so the test can go on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


def test_two_stages_cannot_share_an_order():
    make_stages()
    with refused():
        Stage.objects.create(order=2, key="basic-again", name="Basic again", description="x")


def test_a_stage_order_beyond_embedded_is_refused():
    with refused():
        Stage.objects.create(order=6, key="beyond", name="Beyond", description="x")


def test_a_researcher_rates_an_assessment_only_once():
    rating = RatingFactory(stage=make_stages()["Basic"])
    with refused():
        Rating.objects.create(
            assessment=rating.assessment,
            rater=rating.rater,
            stage=rating.stage,
            rationale="A second opinion from the same person",
            confidence="low",
        )


def test_a_rating_without_rationale_is_refused():
    with refused():
        RatingFactory(stage=make_stages()["Basic"], rationale="")


def test_a_city_has_one_assessment_per_period():
    assessment = AssessmentFactory(consensus_stage=make_stages()["Basic"])
    with refused():
        AssessmentFactory(
            city=assessment.city,
            period_start=assessment.period_start,
            consensus_stage=assessment.consensus_stage,
        )


@pytest.mark.parametrize(
    ("period_start", "precision"),
    [
        (datetime.date(2017, 1, 15), "month"),  # a month starts on the 1st
        (datetime.date(2017, 3, 1), "year"),  # a year starts in January
        (datetime.date(2017, 2, 1), "quarter"),  # a quarter starts in Jan, Apr, Jul or Oct
        (datetime.date(1850, 1, 1), "year"),  # before any compact or charter school
        (datetime.date(2017, 1, 1), "week"),  # not a period we assess
    ],
)
def test_an_invalid_assessment_period_is_refused(period_start, precision):
    with refused():
        AssessmentFactory(
            period_start=period_start,
            period_precision=precision,
            consensus_stage=make_stages()["Basic"],
        )


def test_a_published_assessment_must_have_a_consensus_stage():
    with refused():
        AssessmentFactory(consensus_stage=None, status=Assessment.Status.PUBLISHED)


def test_an_inferred_stage_must_say_how_it_was_inferred():
    with refused():
        AssessmentFactory(
            consensus_stage=make_stages()["Intermediate"], stage_provenance="inferred"
        )


@pytest.mark.parametrize(("cost", "benefit"), [("mid", "high"), ("low", "big")])
def test_initiative_type_levels_come_from_a_fixed_set(cost, benefit):
    with refused():
        InitiativeType.objects.create(key="k", label="Type", cost=cost, benefit=benefit)


def test_an_initiative_type_is_placed_on_both_axes_or_neither():
    with refused():
        InitiativeType.objects.create(key="k", label="Type", cost="low", benefit="")


@pytest.mark.parametrize("year", [1899, 1989, 2101])
def test_a_signing_year_outside_a_sane_range_is_refused(year):
    with refused():
        CompactFactory(signing_year=year)


def test_an_unknown_program_is_refused():
    with refused():
        CompactFactory(program="lottery")


def test_a_city_has_at_most_one_compact():
    compact = CompactFactory()
    with refused():
        Compact.objects.create(city=compact.city, program=Compact.Program.GATES_DCCC)


def test_an_initiative_cannot_end_before_it_starts():
    with refused():
        InitiativeFactory(start_year=2015, end_year=2013)


def test_evidence_is_either_an_interview_or_a_source_not_both():
    rating = RatingFactory(stage=make_stages()["Basic"])
    interview = InterviewFactory(city=rating.assessment.city)
    source = SourceFactory()
    with refused():
        Evidence.objects.create(rating=rating, interview=interview, source=source, quote="q")
    with refused():
        Evidence.objects.create(rating=rating)


def test_evidence_from_a_source_needs_its_quote():
    rating = RatingFactory(stage=make_stages()["Basic"])
    with refused():
        Evidence.objects.create(rating=rating, source=SourceFactory(), quote="")


def test_an_inferred_citation_must_give_its_reasoning():
    city = CityFactory()
    with refused():
        Citation.objects.create(
            target=city, source=SourceFactory(), quote="Denver, CO", provenance="inferred"
        )


def test_a_citation_names_stated_or_inferred_and_nothing_else():
    with refused():
        Citation.objects.create(
            target=CityFactory(), source=SourceFactory(), quote="q", provenance="rumoured"
        )


def test_the_same_quote_is_not_cited_twice_for_the_same_fact():
    city, source = CityFactory(), SourceFactory()
    Citation.objects.create(target=city, source=source, quote="q", provenance="stated")
    with refused():
        Citation.objects.create(target=city, source=source, quote="q", provenance="stated")


def test_a_published_assessment_needs_its_publication_time():
    with refused():
        Assessment.objects.create(
            city=CityFactory(),
            period_start=datetime.date(2017, 1, 1),
            period_precision="month",
            consensus_stage=make_stages()["Basic"],
            status=Assessment.Status.PUBLISHED,
            published_at=None,
        )


def test_valid_rows_are_accepted():
    """The constraints refuse bad rows only: a full, valid record saves."""
    stages = make_stages()
    assessment = AssessmentFactory(
        consensus_stage=stages["Intermediate"],
        stage_provenance="inferred",
        stage_reasoning="Arithmetic on the published counts.",
        published_at=timezone.now(),
    )
    Rating.objects.create(
        assessment=assessment,
        rater=UserFactory(),
        stage=stages["Basic"],
        rationale="r",
        confidence="low",
    )
    assert Assessment.objects.published().count() == 1
