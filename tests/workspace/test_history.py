"""Histories name what changed in words a researcher reads: cities, people, sources."""

import pytest

from tests.factories import (
    CityFactory,
    InterviewFactory,
    RatingFactory,
    SourceFactory,
    UserFactory,
    make_stages,
)
from workspace.models import Evidence
from workspace.selectors import assessment_history, interview_history

pytestmark = pytest.mark.django_db


def _changes(entries):
    return {(change.field, change.new) for entry in entries for change in entry.changes}


def test_an_interviews_history_names_its_city_and_interviewer():
    interview = InterviewFactory(
        city=CityFactory(name="Denver", state="CO"), interviewer=UserFactory(username="lena")
    )

    changes = _changes(interview_history(interview=interview))

    assert ("city", "Denver, CO") in changes
    assert ("interviewer", "lena") in changes


def test_an_assessments_history_names_the_stage_and_the_evidence_behind_a_rating():
    rating = RatingFactory(stage=make_stages()["Basic"])
    interview = InterviewFactory(
        city=rating.assessment.city, conducted_on="2016-11-15", interviewee_role="Chief of schools"
    )
    Evidence.objects.create(rating=rating, interview=interview)
    Evidence.objects.create(
        rating=rating, source=SourceFactory(title="Collision Course"), quote="a quote"
    )

    changes = _changes(assessment_history(assessment=rating.assessment, ratings=[rating]))

    assert ("stage", "Basic") in changes
    assert ("interview", "interview of 15 November 2016 (Chief of schools)") in changes
    assert ("source", "Collision Course") in changes


def test_history_tables_name_fields_in_words_and_dates_in_the_sites_format():
    interview = InterviewFactory(
        city=CityFactory(name="Denver", state="CO"), conducted_on="2016-11-15", sector="district"
    )

    (entry,) = interview_history(interview=interview)
    labels = {change.field: change.label for change in entry.changes}
    values = {change.field: change.new for change in entry.changes}

    assert labels["interviewee_role"] == "Interviewee's role"
    assert labels["conducted_on"] == "Date of the interview"
    assert values["conducted_on"] == "15 November 2016"
    assert values["sector"] == "District"  # the choice's label, not its stored value
