"""A watcher's mail says how sure a loss is: a fall from an inferred, low-confidence peak is
a possible loss, never told as a firm one."""

import pytest
from django.core import mail

from alerts import services
from compacts.models import Assessment
from tests.alerts.helpers import publish, send
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_a_fall_from_an_inferred_peak_is_mailed_as_a_possible_loss(denver_at_advanced):
    city, draft = denver_at_advanced
    Assessment.objects.filter(city=city, status="published").update(
        stage_provenance="inferred", stage_reasoning="Read from the text.", stage_confidence="low"
    )
    services.watch(user=user_with_role("funder", "watcher"), city=city)

    publish(draft)
    send()

    body = mail.outbox[0].body
    assert "Denver may stand below its peak (a possible loss" in body
    assert "now stands below its peak" not in body
