import io

from django.core.management import call_command

from alerts.models import Frequency
from tests.factories import user_with_role
from workspace import services as workspace


def publish(draft, reason="Interviews in 2018"):
    return workspace.assessment_publish(
        user=user_with_role("lead", "alerts-lead"),
        assessment=draft,
        reason=reason,
        expected_version=draft.version,
        override_reason="Test data",
    )


def send(frequency=Frequency.IMMEDIATE) -> str:
    """Run send_alerts as cron does; its output."""
    out = io.StringIO()
    call_command("send_alerts", frequency=frequency, stdout=out)
    return out.getvalue()
