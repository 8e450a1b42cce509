"""Build, in the development database, the state the claims-range screenshots show (run
after `manage.py migrate` and `manage.py seed`; safe to run twice):

    .venv/bin/python bin/claims_range_demo.py

Two demo researchers rate Denver for June 2026, one at Basic and one at Intermediate, each
citing a district-side and a charter-side interview; a demo lead reconciles to Basic and
publishes, all through the workspace services as on the site. Denver then shows a range
(Basic to Intermediate) and a possible loss (its peak, Intermediate in January 2017, is
inferred). Nothing is added to the seed; these rows are the workspace's, which the seed
leaves alone.
"""

import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from accounts import roles  # noqa: E402
from cities.models import City  # noqa: E402
from compacts.models import Assessment, Stage  # noqa: E402
from workspace import services  # noqa: E402
from workspace.models import Interview  # noqa: E402

PERIOD = datetime.date(2026, 6, 1)


def _user(username: str, role: str):
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.groups.add(roles.ensure_groups()[roles.ROLES[role]])
    return user


def main() -> None:
    denver = City.objects.get(slug="denver")
    if Assessment.objects.filter(city=denver, period_start=PERIOD, status="published").exists():
        print("Denver, June 2026 is published already.")
        return
    stages = {stage.name: stage for stage in Stage.objects.all()}
    lead = _user("demo_lead", "lead")
    assessment = Assessment.objects.filter(city=denver, period_start=PERIOD).first()
    assessment = assessment or services.assessment_create(
        user=lead, city=denver, period_start=PERIOD, period_precision="month"
    )
    interviews = [
        Interview.objects.create(
            city=denver,
            conducted_on=datetime.date(2026, 5, 12),
            interviewee_role=role,
            sector=sector,
            interviewer=lead,
        )
        for role, sector in (
            ("District enrollment director", "district"),
            ("Charter CEO", "charter"),
        )
    ]
    evidence = [services.EvidenceInput(interview=interview) for interview in interviews]
    for username, stage in (("demo_rater_a", "Basic"), ("demo_rater_b", "Intermediate")):
        services.rating_submit(
            user=_user(username, "researcher"),
            assessment=assessment,
            stage=stages[stage],
            rationale="Demo rating for the claims-range screenshots.",
            confidence="medium",
            evidence=evidence,
            expected_version=None,
        )
    assessment.refresh_from_db()
    assessment = services.assessment_reconcile(
        user=lead,
        assessment=assessment,
        consensus_stage=stages["Basic"],
        consensus_note="Demo.",
        expected_version=assessment.version,
    )
    services.assessment_publish(
        user=lead,
        assessment=assessment,
        reason="Demo publication.",
        expected_version=assessment.version,
    )
    print("Published Denver, June 2026: rated Basic to Intermediate, consensus Basic.")


if __name__ == "__main__":
    main()
