import datetime

import pytest

from cities.models import City
from cities.selectors import city_directory
from compacts.models import Assessment
from compacts.stored import refresh_stale
from tests.factories import AssessmentFactory, CityFactory, make_stages

pytestmark = pytest.mark.django_db

JAN_2013, JAN_2015, JAN_2017 = (datetime.date(y, 1, 1) for y in (2013, 2015, 2017))


@pytest.fixture
def stages():
    return make_stages()


def _as_of(city, date):
    return City.objects.with_stage_as_of(date).get(pk=city.pk)


def test_a_city_that_rose_fell_and_rose_again_is_backslid_only_while_below_its_peak(stages):
    city = CityFactory()
    AssessmentFactory(city=city, period_start=JAN_2013, consensus_stage=stages["Basic"])
    AssessmentFactory(city=city, period_start=JAN_2015, consensus_stage=stages["Emerging"])
    AssessmentFactory(city=city, period_start=JAN_2017, consensus_stage=stages["Advanced"])

    in_2013 = _as_of(city, datetime.date(2013, 6, 1))
    in_2016 = _as_of(city, datetime.date(2016, 12, 1))
    in_2017 = _as_of(city, datetime.date(2017, 1, 1))

    assert (in_2013.current_stage_name, in_2013.peak_stage_order, in_2013.backslid) == (
        "Basic",
        2,
        False,
    )
    assert (in_2016.current_stage_name, in_2016.peak_stage_order, in_2016.backslid) == (
        "Emerging",
        2,
        True,
    )
    assert (in_2017.current_stage_name, in_2017.peak_stage_order, in_2017.backslid) == (
        "Advanced",
        4,
        False,
    )


def test_a_city_before_its_first_assessment_is_not_assessed_rather_than_baseline(stages):
    city = CityFactory()
    AssessmentFactory(city=city, period_start=JAN_2017, consensus_stage=stages["Basic"])

    before = _as_of(city, datetime.date(2016, 12, 31))

    assert before.current_stage_order is None
    assert before.peak_stage_order is None
    assert before.backslid is False


def test_draft_assessments_count_for_neither_current_nor_peak(stages):
    city = CityFactory()
    AssessmentFactory(city=city, period_start=JAN_2013, consensus_stage=stages["Basic"])
    AssessmentFactory(
        city=city,
        period_start=JAN_2015,
        consensus_stage=stages["Embedded"],
        status=Assessment.Status.DRAFT,
        published_at=None,
    )

    city = _as_of(city, JAN_2017)

    assert city.current_stage_name == "Basic"
    assert city.peak_stage_order == stages["Basic"].order


def test_the_directory_lists_every_city_alphabetically_in_a_fixed_number_of_queries(
    stages, django_assert_max_num_queries
):
    for name in ["Tulsa", "Aldine", "Denver"]:
        city = CityFactory(name=name)
        AssessmentFactory(city=city, consensus_stage=stages["Basic"])

    refresh_stale()  # the stored standings current, as after the first read since a change
    with django_assert_max_num_queries(2):  # are they current, then the list
        names = [city.name for city in city_directory(as_of=JAN_2017)]

    assert names == ["Aldine", "Denver", "Tulsa"]


@pytest.mark.parametrize(
    ("stage_names", "trend"),
    [
        (["Basic"], ""),
        (["Emerging", "Basic"], "rising"),
        (["Basic", "Basic"], "steady"),
        (["Intermediate", "Basic"], "slid_back"),
        (["Intermediate", "Emerging", "Basic"], "slid_back"),
    ],
)
def test_trend_compares_the_latest_stage_with_the_one_before_and_the_peak(
    stages, stage_names, trend
):
    city = CityFactory()
    for year, name in enumerate(stage_names, start=2013):
        AssessmentFactory(city=city, period_start=f"{year}-01-01", consensus_stage=stages[name])

    assert _as_of(city, JAN_2017).trend == trend
