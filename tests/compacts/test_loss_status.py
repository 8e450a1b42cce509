"""How sure a loss is: one definition, in the database (``with_stage_as_of``'s
``loss_status``, live and as the stored standings every page reads) and for plain rows
(``loss_status``, for a release's frozen files), pinned to answers worked by hand."""

import datetime

import pytest

from cities.models import City
from common.choices import LossStatus
from compacts.models import FindingNaming
from compacts.standing import PeriodStage, loss_status, with_stage_as_of
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    TrajectoryFindingFactory,
    make_stages,
)

pytestmark = pytest.mark.django_db

STATED, INFERRED, RATED = "stated", "inferred", "rated"

# slug: published assessments (year, stage order, basis, confidence) and the years of the
# findings that name the city as having lost ground.
CITIES = {
    "firm-loss": ([(2014, 3, STATED, ""), (2016, 2, RATED, "")], []),
    "inferred-peak": ([(2014, 3, INFERRED, "low"), (2016, 2, RATED, "")], []),
    "low-confidence-current": ([(2014, 3, STATED, ""), (2016, 2, STATED, "low")], []),
    "baltimore-like": ([], [2013]),
    "maintained": ([(2017, 3, STATED, "")], []),
    "never": ([], []),
    "reported-at-firm-peak": ([(2017, 3, STATED, "")], [2015]),
    "reported-at-inferred-peak": ([(2017, 3, INFERRED, "low")], [2015]),
    "firm-loss-also-reported": ([(2014, 3, STATED, ""), (2016, 2, RATED, "medium")], [2015]),
    "firm-again-after-inferred-peak": (
        [(2013, 3, STATED, ""), (2014, 4, INFERRED, "low"), (2016, 3, RATED, "high")],
        [],
    ),
}

# Worked by hand from CITIES, as of 30 June of the year.
KNOWN_ANSWERS = {
    ("firm-loss", 2015): LossStatus.NO,
    ("firm-loss", 2017): LossStatus.YES,
    ("inferred-peak", 2017): LossStatus.POSSIBLE,
    ("low-confidence-current", 2017): LossStatus.POSSIBLE,
    ("baltimore-like", 2012): LossStatus.UNKNOWN,
    ("baltimore-like", 2017): LossStatus.REPORTED,
    ("maintained", 2016): LossStatus.UNKNOWN,
    ("maintained", 2017): LossStatus.NO,
    ("never", 2019): LossStatus.UNKNOWN,
    ("reported-at-firm-peak", 2016): LossStatus.REPORTED,
    ("reported-at-firm-peak", 2018): LossStatus.POSSIBLE,
    ("reported-at-inferred-peak", 2018): LossStatus.REPORTED,
    ("firm-loss-also-reported", 2017): LossStatus.YES,
    ("firm-again-after-inferred-peak", 2017): LossStatus.POSSIBLE,
}


def _make_city(slug):
    stages = {s.order: s for s in make_stages().values()}
    city = CityFactory(slug=slug)
    history, reports = CITIES[slug]
    for year, order, basis, confidence in history:
        AssessmentFactory(
            city=city,
            period_start=datetime.date(year, 1, 1),
            consensus_stage=stages[order],
            stage_provenance=basis,
            stage_reasoning="Inferred from the text." if basis == INFERRED else "",
            stage_confidence=confidence,
        )
    for year in reports:
        TrajectoryFindingFactory(
            city=city, period_start=datetime.date(year, 1, 1), naming=FindingNaming.NAMED
        )
    return city


def _plain(slug, as_of):
    history, reports = CITIES[slug]
    periods = [PeriodStage(datetime.date(y, 1, 1), o, b, c) for y, o, b, c in history]
    # A finding about a year is known from that year's December (its period has ended).
    reported = any(datetime.date(y, 12, 1) <= as_of for y in reports)
    return loss_status(periods, as_of, lost_ground_reported=reported)


@pytest.mark.parametrize(("slug", "year"), sorted(KNOWN_ANSWERS))
def test_both_forms_say_how_sure_a_loss_is_as_worked_by_hand(slug, year):
    city = _make_city(slug)
    as_of = datetime.date(year, 6, 30)

    row = City.objects.with_stage_as_of(as_of).get(pk=city.pk)
    live = with_stage_as_of(City.objects.all(), as_of).get(pk=city.pk)

    assert row.loss_status == KNOWN_ANSWERS[(slug, year)]
    assert live.loss_status == KNOWN_ANSWERS[(slug, year)]
    assert _plain(slug, as_of) == KNOWN_ANSWERS[(slug, year)]
    assert row.backslid is (KNOWN_ANSWERS[(slug, year)] == LossStatus.YES)


def test_a_city_without_a_stage_or_named_as_losing_ground_is_never_no():
    for slug in CITIES:
        _make_city(slug)
    for year in range(2011, 2020):
        as_of = datetime.date(year, 6, 30)
        for city in with_stage_as_of(City.objects.all(), as_of):
            assert city.loss_status == _plain(city.slug, as_of), (city.slug, year)
            if city.current_stage_order is None or city.lost_ground_reported:
                assert city.loss_status != LossStatus.NO, (city.slug, year)


def test_a_candidate_finding_is_not_a_report_of_a_loss():
    city = CityFactory()
    TrajectoryFindingFactory(city=city, naming=FindingNaming.CANDIDATE)

    row = City.objects.with_stage_as_of(datetime.date(2019, 6, 30)).get(pk=city.pk)

    assert row.loss_status == LossStatus.UNKNOWN
