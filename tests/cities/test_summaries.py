import datetime

import pytest

from cities.summaries import city_summary
from compacts.models import Assessment, TrajectoryFinding
from tests.factories import make_stages

pytestmark = pytest.mark.django_db


def _assessments(*stage_names_by_year, provenance="stated"):
    stages = make_stages()
    return [
        Assessment(
            period_start=datetime.date(year, 1, 1),
            period_precision="year",
            consensus_stage=stages[name],
            stage_provenance=provenance,
        )
        for year, name in stage_names_by_year
    ]


def test_a_city_that_held_its_peak_has_lost_no_ground():
    summary = city_summary(
        city_name="Boston", assessments=_assessments((2014, "Basic"), (2016, "Advanced"))
    )

    assert summary == "Reached Advanced by 2016; no ground lost by 2016."


def test_a_city_below_its_peak_slid_back_and_the_peak_is_dated_when_first_reached():
    summary = city_summary(
        city_name="Hartford",
        assessments=_assessments((2012, "Intermediate"), (2014, "Intermediate"), (2016, "Basic")),
    )

    assert summary == "Reached Intermediate by 2012; slid back to Basic by 2016."


def test_a_fall_from_an_inferred_peak_is_only_a_possible_loss():
    assessments = _assessments((2017, "Intermediate"), provenance="inferred")
    assessments += _assessments((2026, "Basic"))

    summary = city_summary(city_name="Denver", assessments=assessments)

    assert summary.startswith("Reached Intermediate by 2017; possibly slid back to Basic by 2026")


def test_an_inferred_latest_stage_is_flagged_as_such():
    summary = city_summary(
        city_name="Chicago", assessments=_assessments((2017, "Intermediate"), provenance="inferred")
    )

    assert summary.endswith("The latest stage is inferred from the text, not stated by it.")


def test_an_unassessed_city_reports_the_research_finding_instead_of_a_stage():
    finding = TrajectoryFinding(direction="lost_ground", period_as_written="about 2013")

    summary = city_summary(city_name="Sacramento", assessments=[], findings=[finding])

    assert summary == (
        "Sacramento has not been placed on a stage by any published assessment. "
        "The research reports: lost ground (about 2013)."
    )


def test_a_stale_latest_stage_says_so_with_its_date():
    summary = city_summary(
        city_name="Boston",
        assessments=_assessments((2017, "Intermediate")),
        as_of=datetime.date(2026, 12, 31),
    )

    assert summary == (
        "Reached Intermediate by 2017; no ground lost by 2017. Stale: the latest published"
        " assessment is for 2017, 9 years 11 months before December 2026, so this may no"
        " longer hold."
    )


def test_a_recent_latest_stage_carries_no_stale_note():
    summary = city_summary(
        city_name="Boston",
        assessments=_assessments((2017, "Intermediate")),
        as_of=datetime.date(2018, 6, 30),
    )

    assert "Stale" not in summary


def test_a_loss_resting_on_an_inferred_stage_is_only_possible():
    summary = city_summary(
        city_name="Hartford",
        assessments=_assessments((2012, "Intermediate"), (2016, "Basic"), provenance="inferred"),
    )

    assert summary.startswith("Reached Intermediate by 2012; possibly slid back to Basic by 2016")


def test_a_city_at_its_peak_that_a_document_names_as_losing_ground_is_not_said_to_have_lost_none():
    finding = TrajectoryFinding(direction="lost_ground", naming="named", period_as_written="2015")

    summary = city_summary(
        city_name="Baltimore",
        assessments=_assessments((2014, "Basic"), provenance="inferred"),
        findings=[finding],
    )

    assert "no ground lost" not in summary
    assert "a document reports that it lost ground" in summary
