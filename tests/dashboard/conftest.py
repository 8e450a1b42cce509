import datetime

import pytest

from tests.factories import AssessmentFactory, CityFactory, CompactFactory, make_stages


@pytest.fixture
def stages(db):
    return make_stages()


@pytest.fixture
def rise_fall_rise(stages):
    """A city that rose to Advanced, fell to Emerging and rose again to Intermediate,
    with a draft Embedded rating that must never count."""
    city = CompactFactory(
        city=CityFactory(name="Zigzag", slug="zigzag", state="CO"), signing_year=2011
    ).city
    for year, stage in [
        (2012, "Basic"),
        (2014, "Advanced"),
        (2016, "Emerging"),
        (2018, "Intermediate"),
    ]:
        AssessmentFactory(
            city=city,
            period_start=datetime.date(year, 1, 1),
            period_precision="year",
            consensus_stage=stages[stage],
        )
    AssessmentFactory(
        city=city,
        period_start=datetime.date(2019, 1, 1),
        period_precision="year",
        consensus_stage=stages["Embedded"],
        status="draft",
        published_at=None,
    )
    return city


@pytest.fixture
def boston(stages):
    city = CompactFactory(
        city=CityFactory(name="Boston", slug="boston", state="MA"), signing_year=2011
    ).city
    AssessmentFactory(
        city=city, period_start=datetime.date(2016, 12, 1), consensus_stage=stages["Advanced"]
    )
    return city
