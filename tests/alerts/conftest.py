import datetime

import pytest

from tests.factories import AssessmentFactory, CityFactory, make_stages


@pytest.fixture
def denver_at_advanced():
    """Denver published at Advanced in 2016; a 2018 draft at Basic waits for the lead."""
    stages = make_stages()
    city = CityFactory(name="Denver", slug="denver")
    AssessmentFactory(
        city=city, period_start=datetime.date(2016, 1, 1), consensus_stage=stages["Advanced"]
    )
    draft = AssessmentFactory(
        city=city,
        period_start=datetime.date(2018, 1, 1),
        status="draft",
        published_at=None,
        consensus_stage=stages["Basic"],
    )
    return city, draft
