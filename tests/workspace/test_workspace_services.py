"""Workspace writes: blind ratings, locks, lost updates, publishing rule, revision log, audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compacts.models import RevisionLogEntry
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    InterviewFactory,
    RatingFactory,
    SourceFactory,
    make_stages,
    user_with_role,
)
from workspace import services
from workspace.models import Interview, Rating, RevisionRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def researcher():
    return user_with_role("researcher", "rhea")


@pytest.fixture
def lead():
    return user_with_role("lead", "lena")


def _rate(user, assessment, stage, *, evidence=(), version=None, rationale="Because."):
    return services.rating_submit(
        user=user,
        assessment=assessment,
        stage=stage,
        rationale=rationale,
        confidence="medium",
        evidence=list(evidence),
        expected_version=version,
    )


def test_a_researcher_records_a_rating_with_evidence_and_the_history_names_them(
    draft, researcher, stages
):
    interview = InterviewFactory(city=draft.city, sector="charter")
    source = SourceFactory()
    rating = _rate(
        researcher,
        draft,
        stages["Basic"],
        evidence=[
            services.EvidenceInput(interview=interview),
            services.EvidenceInput(
                source=source,
                quote="They share enrollment across every district and charter school.",
                location="p. 3",
            ),
        ],
    )
    assert rating.evidence.count() == 2
    record = rating.history.get()
    assert (record.history_type, record.history_user) == ("+", researcher)


def test_a_funder_cannot_rate(draft, stages):
    with pytest.raises(PermissionDenied):
        _rate(user_with_role("funder"), draft, stages["Basic"])


def test_editing_a_rating_bumps_its_version_and_records_both_states(draft, researcher, stages):
    rating = _rate(researcher, draft, stages["Basic"])
    rating = _rate(researcher, draft, stages["Advanced"], version=rating.version)
    assert rating.version == 2
    assert [h.stage.name for h in rating.history.order_by("history_date")] == [
        "Basic",
        "Advanced",
    ]


def test_a_second_save_from_a_stale_form_is_refused_with_what_changed(draft, researcher, stages):
    first = _rate(researcher, draft, stages["Basic"])
    _rate(researcher, draft, stages["Advanced"], version=first.version)
    with pytest.raises(services.StaleEdit) as refused:
        _rate(researcher, draft, stages["Emerging"], version=first.version)
    assert "stage: Basic → Advanced" in refused.value.messages[0]
    assert Rating.objects.get().stage == stages["Advanced"]


def test_a_second_new_rating_form_for_the_same_assessment_is_refused(draft, researcher, stages):
    _rate(researcher, draft, stages["Basic"])
    with pytest.raises(services.StaleEdit):
        _rate(researcher, draft, stages["Embedded"])


def test_interview_evidence_must_come_from_the_same_city(draft, researcher, stages):
    elsewhere = InterviewFactory(city=CityFactory())
    with pytest.raises(ValidationError) as refused:
        _rate(
            researcher,
            draft,
            stages["Basic"],
            evidence=[services.EvidenceInput(interview=elsewhere)],
        )
    assert refused.value.messages == [services.EVIDENCE_WRONG_CITY.format(city=draft.city.name)]
    assert not Rating.objects.exists()


def test_ratings_of_a_published_assessment_are_locked(researcher, stages):
    published = AssessmentFactory(consensus_stage=stages["Basic"])
    with pytest.raises(ValidationError) as refused:
        _rate(researcher, published, stages["Advanced"])
    assert refused.value.messages == [services.RATING_LOCKED]


def _covered(assessment, rater, stage):
    district = InterviewFactory(city=assessment.city, sector="district")
    charter = InterviewFactory(city=assessment.city, sector="charter")
    return _rate(
        rater,
        assessment,
        stage,
        evidence=[
            services.EvidenceInput(interview=district),
            services.EvidenceInput(interview=charter),
        ],
    )


def _reconcile(lead, assessment, stage, **kwargs):
    assessment.refresh_from_db()
    return services.assessment_reconcile(
        user=lead,
        assessment=assessment,
        consensus_stage=stage,
        consensus_note="Agreed after discussion.",
        expected_version=assessment.version,
        **kwargs,
    )


def test_publishing_needs_both_sides_interviewed_or_a_source(draft, researcher, lead, stages):
    charter_only = InterviewFactory(city=draft.city, sector="charter")
    _rate(
        researcher,
        draft,
        stages["Basic"],
        evidence=[services.EvidenceInput(interview=charter_only)],
    )
    draft = _reconcile(lead, draft, stages["Basic"])
    with pytest.raises(ValidationError) as refused:
        services.assessment_publish(
            user=lead, assessment=draft, reason="Reviewed.", expected_version=draft.version
        )
    assert refused.value.messages == [
        services.COVERAGE_MISSING.format(
            district=0, charter=1, sources=0, unverified=0, insubstantial=0
        )
    ]
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not RevisionLogEntry.objects.exists()


def test_a_cited_source_is_coverage_enough(draft, researcher, lead, stages):
    source = SourceFactory(
        text="Joint enrollment began in the fall for district and charter schools. It grew."
    )
    _rate(
        researcher,
        draft,
        stages["Basic"],
        evidence=[
            services.EvidenceInput(
                source=source,
                quote="Joint enrollment began in the fall for district and charter schools.",
            )
        ],
    )
    draft = _reconcile(lead, draft, stages["Basic"])
    published = services.assessment_publish(
        user=lead, assessment=draft, reason="Reviewed.", expected_version=draft.version
    )
    assert published.is_published


def test_a_lead_may_override_coverage_with_a_recorded_reason(draft, lead, stages):
    draft = _reconcile(lead, draft, stages["Emerging"])
    published = services.assessment_publish(
        user=lead,
        assessment=draft,
        reason="The district published its own account.",
        override_reason="District interview declined; public board minutes suffice.",
        expected_version=draft.version,
    )
    entry = RevisionLogEntry.objects.get()
    record = RevisionRecord.objects.get(entry=entry)
    assert record.coverage_override_reason.startswith("District interview declined")
    assert record.recorded_by == lead
    assert published.history.first().history_user == lead


def test_publishing_sets_status_date_and_stage_and_logs_a_dated_entry(
    draft, researcher, lead, stages
):
    _covered(draft, researcher, stages["Intermediate"])
    draft = _reconcile(lead, draft, stages["Intermediate"])
    published = services.assessment_publish(
        user=lead,
        assessment=draft,
        reason="Both sides interviewed.",
        expected_version=draft.version,
    )
    published.refresh_from_db()
    assert published.status == "published"
    assert published.published_at is not None
    assert published.consensus_stage == stages["Intermediate"]
    entry = RevisionLogEntry.objects.get()
    assert (entry.action, entry.stage_after, entry.logged_on) == (
        "published",
        stages["Intermediate"],
        datetime.date.today(),
    )
    assert entry.reason == "Both sides interviewed."


def test_publishing_without_a_consensus_stage_is_refused(draft, lead):
    with pytest.raises(ValidationError) as refused:
        services.assessment_publish(
            user=lead, assessment=draft, reason="x", override_reason="y", expected_version=1
        )
    assert refused.value.messages == [services.NO_CONSENSUS]


def test_a_researcher_may_not_publish(draft, researcher, stages):
    with pytest.raises(PermissionDenied):
        services.assessment_publish(
            user=researcher, assessment=draft, reason="x", expected_version=draft.version
        )


def test_changing_a_published_stage_needs_a_reason_and_is_logged(lead, stages):
    published = AssessmentFactory(consensus_stage=stages["Basic"])
    with pytest.raises(ValidationError) as refused:
        _reconcile(lead, published, stages["Advanced"])
    assert refused.value.messages == [services.REASON_REQUIRED]

    _reconcile(lead, published, stages["Advanced"], reason="New interviews in 2018.")
    entry = RevisionLogEntry.objects.get()
    assert (entry.action, entry.stage_before, entry.stage_after) == (
        "stage_changed",
        stages["Basic"],
        stages["Advanced"],
    )


def test_unpublishing_returns_to_draft_and_is_logged(lead, stages):
    published = AssessmentFactory(consensus_stage=stages["Basic"])
    services.assessment_unpublish(
        user=lead, assessment=published, reason="Source retracted.", expected_version=1
    )
    published.refresh_from_db()
    assert (published.status, published.published_at) == ("draft", None)
    assert RevisionLogEntry.objects.get().action == "unpublished"
    assert published.history.first().history_change_reason == "Unpublished: Source retracted."


def test_two_leads_saving_the_same_assessment_second_is_refused(draft, lead, stages):
    other_lead = user_with_role("lead", "leo")
    services.assessment_reconcile(
        user=lead,
        assessment=draft,
        consensus_stage=stages["Basic"],
        consensus_note="",
        expected_version=1,
    )
    with pytest.raises(services.StaleEdit) as refused:
        services.assessment_reconcile(
            user=other_lead,
            assessment=draft,
            consensus_stage=stages["Embedded"],
            consensus_note="",
            expected_version=1,
        )
    assert "consensus_stage: — → Basic" in refused.value.messages[0]
    assert "lena" in refused.value.messages[0]


def test_an_interview_cited_as_evidence_cannot_be_deleted(draft, researcher, stages):
    interview = InterviewFactory(city=draft.city, interviewer=researcher)
    _rate(
        researcher, draft, stages["Basic"], evidence=[services.EvidenceInput(interview=interview)]
    )
    with pytest.raises(ValidationError) as refused:
        services.interview_delete(user=researcher, interview=interview)
    assert refused.value.messages == [services.INTERVIEW_IN_USE]


def test_interview_create_change_and_delete_are_recorded_with_the_user(researcher):
    city = CityFactory()
    interview = services.interview_create(
        user=researcher,
        city=city,
        conducted_on=datetime.date(2018, 3, 1),
        interviewee_role="Charter network CEO",
        sector="charter",
        notes="Secret.",
    )
    services.interview_update(
        user=researcher, interview=interview, expected_version=1, notes="Still secret."
    )
    pk = interview.pk
    services.interview_delete(user=researcher, interview=interview)
    history = Interview.history.filter(id=pk).order_by("history_date")
    assert [(h.history_type, h.history_user) for h in history] == [
        ("+", researcher),
        ("~", researcher),
        ("-", researcher),
    ]


def test_assessment_create_refuses_a_duplicate_period(researcher):
    existing = AssessmentFactory(status="draft", published_at=None)
    with pytest.raises(ValidationError):
        services.assessment_create(
            user=researcher,
            city=existing.city,
            period_start=existing.period_start,
            period_precision="month",
        )


def test_rating_factory_still_builds_blind_drafts(stages):
    assert RatingFactory(stage=stages["Basic"]).assessment.status == "draft"


def test_a_lead_changing_a_stage_the_documents_stated_makes_it_rest_on_the_ratings():
    stages = make_stages()
    lead = user_with_role("lead")
    assessment = AssessmentFactory(
        consensus_stage=stages["Intermediate"],
        stage_provenance="inferred",
        stage_reasoning="Arithmetic on the published counts.",
        stage_confidence="low",
    )

    services.assessment_reconcile(
        user=lead,
        assessment=assessment,
        consensus_stage=stages["Basic"],
        consensus_note="Two interviews say Basic.",
        expected_version=assessment.version,
        reason="New interviews.",
    )

    assessment.refresh_from_db()
    assert assessment.stage_provenance == "rated"
    assert assessment.stage_reasoning == ""


def test_a_period_that_has_not_begun_cannot_be_assessed_and_nothing_is_written(researcher):
    next_year = datetime.date.today().year + 1
    city = CityFactory()

    with pytest.raises(ValidationError, match="has not begun"):
        services.assessment_create(
            user=researcher,
            city=city,
            period_start=datetime.date(next_year, 1, 1),
            period_precision="year",
        )

    assert not city.assessments.exists()


def test_an_interview_dated_after_today_is_refused(researcher):
    with pytest.raises(ValidationError, match="after today"):
        services.interview_create(
            user=researcher,
            city=CityFactory(),
            conducted_on=datetime.date.today() + datetime.timedelta(days=1),
            interviewee_role="district superintendent",
            sector="district",
        )

    assert not Interview.objects.exists()


def test_a_rationale_longer_than_the_limit_is_refused_with_its_length(researcher):
    stages = make_stages()
    assessment = AssessmentFactory(status="draft", consensus_stage=None)

    with pytest.raises(ValidationError, match="20,000 characters; this one has 20,001"):
        _rate(researcher, assessment, stages["Basic"], rationale="x" * 20_001)

    assert not Rating.objects.filter(assessment=assessment).exists()


def test_a_reconciled_stage_is_as_sure_as_its_least_sure_rater(draft, stages, lead):
    RatingFactory(assessment=draft, stage=stages["Basic"], confidence="high")
    RatingFactory(assessment=draft, stage=stages["Intermediate"], confidence="low")

    services.assessment_reconcile(
        user=lead,
        assessment=draft,
        consensus_stage=stages["Basic"],
        consensus_note="",
        expected_version=draft.version,
    )

    draft.refresh_from_db()
    assert (draft.stage_provenance, draft.stage_confidence) == ("rated", "low")
