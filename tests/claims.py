"""A published assessment whose researchers disagreed, built through the workspace services
as a lead would: the state every "range and basis" test reads."""

import datetime

from tests.factories import CityFactory, InterviewFactory, make_stages, user_with_role
from workspace import services

RATIONALES = ("Secret: the district chief told me privately.", "Secret: charter heads disagree.")


def publish_rated_range(
    *,
    city=None,
    low: str = "Basic",
    high: str = "Intermediate",
    consensus: str = "Intermediate",
    period_start: datetime.date = datetime.date(2016, 1, 1),
):
    """Two researchers rate ``city`` at ``low`` and ``high`` (with a district-side and a
    charter-side interview each), a lead reconciles to ``consensus`` and publishes."""
    stages = make_stages()
    city = city or CityFactory()
    lead = user_with_role("lead")
    assessment = services.assessment_create(
        user=lead, city=city, period_start=period_start, period_precision="year"
    )
    district = InterviewFactory(
        city=city, sector="district", interviewee_role="Superintendent Jane Secret"
    )
    charter = InterviewFactory(city=city, sector="charter", interviewee_role="Charter head")
    for stage, rationale in zip((low, high), RATIONALES, strict=True):
        services.rating_submit(
            user=user_with_role("researcher"),
            assessment=assessment,
            stage=stages[stage],
            rationale=rationale,
            confidence="medium",
            evidence=[
                services.EvidenceInput(interview=district),
                services.EvidenceInput(interview=charter),
            ],
            expected_version=None,
        )
    assessment.refresh_from_db()
    assessment = services.assessment_reconcile(
        user=lead,
        assessment=assessment,
        consensus_stage=stages[consensus],
        consensus_note="Secret note: we split the difference.",
        expected_version=assessment.version,
    )
    return services.assessment_publish(
        user=lead, assessment=assessment, reason="Reviewed.", expected_version=assessment.version
    )
