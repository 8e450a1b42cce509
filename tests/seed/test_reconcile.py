"""`manage.py reconcile` accounts for every published figure by kind, lists our derived
figures apart, prints the known inconsistencies with their resolution, and fails on a
contradiction, on a figure whose counterpart is not recorded, and on an empty or partly
seeded database."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cities.models import City
from compacts.models import (
    Assessment,
    Compact,
    InitiativeFigure,
    PublishedFigure,
    Stage,
    TrajectoryFinding,
)
from seed.reconciliation import (
    CONTEXT,
    CONTRADICTION,
    INCOMPLETE,
    MATCHES,
    current_stages,
    reconcile,
)
from sources.models import Citation

JANUARY_2017 = datetime.date(2017, 1, 1)


def _run() -> str:
    out = StringIO()
    call_command("reconcile", stdout=out)
    return out.getvalue()


def _outcomes() -> dict[str, str]:
    return {check.key: check.outcome for check in reconcile()}


def _fails_on(key: str) -> None:
    assert _outcomes()[key] == CONTRADICTION
    with pytest.raises(CommandError, match=key):
        _run()


def test_every_published_figure_is_printed_with_its_kind_and_the_seed_data_passes(seeded):
    output = _run()
    figures = PublishedFigure.objects.filter(kind=PublishedFigure.Kind.DOCUMENT)
    assert figures.count() == 89
    assert "Published figures (89):" in output
    for figure in figures:
        assert f"[{figure.comparison}] {figure.key}:" in output
    results = reconcile()
    assert {r.outcome for r in results} == {MATCHES, INCOMPLETE, CONTEXT}
    kinds = {r.kind for r in results}
    assert kinds == {"comparable", "partial", "context"}
    assert all(r.outcome != INCOMPLETE for r in results if r.kind == "comparable")
    assert all(r.outcome == CONTEXT and r.reason for r in results if r.kind == "context")


def test_the_14_known_inconsistencies_are_printed_with_their_resolution(seeded):
    output = _run()
    assert "Known inconsistencies between the documents (14):" in output
    assert output.count("  Resolution: ") == 14
    assert "- original-16-vs-15-listed:" in output
    assert "- collision-course-boston-enrollment-timing:" in output
    assert "- collision-course-table-2-unfavorable-politics-cities:" in output


def test_differences_of_wording_are_reading_notes_with_the_reason_they_are_not_inconsistencies(
    seeded,
):
    output = _run()
    notes = output.split("Reading notes, not inconsistencies (5):")[1]
    for key in (
        "best-practices-every-vs-14",
        "lost-ground-units",
        "entity-names",
        "common-enrollment-analysis-cities",
        "collision-course-date",
    ):
        assert f"- {key}:" in notes
    assert notes.count("  Why not: Not an inconsistency") == 5


def test_a_partial_figure_says_what_is_missing(seeded):
    basic = next(r for r in reconcile() if r.key == "stage-basic-count")
    assert (basic.kind, basic.outcome, basic.published, basic.recorded) == (
        "partial", INCOMPLETE, 7, 0,
    )  # fmt: skip
    assert "do not name the 7 Basic cities" in basic.reason


def test_lost_ground_counts_named_cities_apart_from_candidates(seeded):
    line = next(r for r in reconcile() if r.key == "lost-ground-count")
    assert line.outcome == INCOMPLETE
    assert line.recorded == 0
    assert "0 named (none); candidates by inference: " in line.reason
    assert "Los Angeles, New York City, Sacramento (Bridging" in line.reason
    assert "Baltimore, New York City (Collision Course" in line.reason


def _name_lost_ground(count: int, figure_key: str = "lost-ground-count") -> None:
    """Findings that name ``count`` Compact cities as losing ground, in the figure's report."""
    cited = PublishedFigure.objects.get(key=figure_key).citations.first()
    collision, quote = cited.source, cited.quote
    for city in City.objects.compact_cities().order_by("slug")[:count]:
        if TrajectoryFinding.objects.filter(key=f"{city.slug}-test-lost").exists():
            continue
        finding = TrajectoryFinding.objects.create(
            key=f"{city.slug}-test-lost", city=city, direction="lost_ground", summary="test",
            period_precision="unknown", naming="named",
        )  # fmt: skip
        Citation.objects.create(target=finding, source=collision, quote=quote, provenance="stated")


def test_only_cities_named_by_the_figures_own_report_count(seeded):
    _name_lost_ground(11, "slid-back-share")  # named by Bridging, not by Collision Course
    assert _outcomes()["lost-ground-count"] == INCOMPLETE


def test_more_named_cities_losing_ground_than_published_is_a_contradiction(seeded):
    _name_lost_ground(11)
    _fails_on("lost-ground-count")


def test_nearly_half_is_compared_as_its_inferred_range(seeded):
    figure = PublishedFigure.objects.get(key="slid-back-share")
    assert (float(figure.range_low), float(figure.range_high)) == (0.4, 0.5)
    assert figure.citations.get(field="range").provenance == "inferred"
    _name_lost_ground(11, "slid-back-share")  # 11 of 23 = 48%: within "nearly half"
    assert _outcomes()["slid-back-share"] == INCOMPLETE
    _name_lost_ground(12, "slid-back-share")  # 12 of 23 = 52%
    _fails_on("slid-back-share")


def test_a_changed_stage_is_a_contradiction(seeded):
    Assessment.objects.filter(city__slug="boston").update(
        consensus_stage=Stage.objects.get(key="basic")
    )
    _fails_on("stage-advanced-count")


def test_a_changed_flag_is_a_contradiction(seeded):
    Compact.objects.filter(city__slug="boston").update(portfolio_at_signing=True)
    _fails_on("portfolio-compact-cities")


def test_a_changed_amount_is_a_contradiction(seeded):
    Compact.objects.filter(city__slug="tulsa").update(signing_grant_usd=150_000)
    _fails_on("signing-grant")
    assert "Tulsa $150,000" in next(r for r in reconcile() if r.key == "signing-grant").reason


def test_a_changed_initiative_figure_is_a_contradiction(seeded):
    InitiativeFigure.objects.filter(initiative__key="hfd-af-residency", metric="entered").update(
        value=8
    )
    _fails_on("hartford-af-entered")


def test_a_changed_cohort_is_a_contradiction(seeded):
    Compact.objects.filter(city__slug="tulsa").update(signing_year=2013)
    outcomes = _outcomes()
    assert outcomes["compact-cohort-2013"] == CONTRADICTION
    assert outcomes["compact-cohort-2014"] == CONTRADICTION


def test_a_24th_compact_city_contradicts_the_published_23(seeded):
    City.objects.create(
        slug="springfield", name="Springfield", state="IL", entity_name="Springfield",
        kind=City.Kind.COMPACT_CITY,
    )  # fmt: skip
    _fails_on("compact-cities")


def test_an_unknown_flag_is_incomplete_not_a_failure(seeded):
    Compact.objects.filter(city__slug="denver").update(portfolio_at_signing=None)
    assert _outcomes()["portfolio-compact-cities"] == INCOMPLETE
    _run()


def test_progress_recorded_as_named_lost_ground_contradicts_the_five_named_cities(seeded):
    finding = TrajectoryFinding.objects.get(key="chicago-collision-significant-progress")
    TrajectoryFinding.objects.filter(pk=finding.pk).update(direction="lost_ground")
    _fails_on("significant-progress-count")


def test_current_stage_is_the_latest_published_assessment_up_to_the_date(seeded):
    boston = City.objects.get(slug="boston")
    advanced = Stage.objects.get(key="advanced").order
    assert current_stages(as_of=JANUARY_2017)[boston.id] == advanced
    assert boston.id not in current_stages(as_of=datetime.date(2016, 12, 31))
    Assessment.objects.create(
        city=boston,
        period_start=datetime.date(2017, 6, 1),
        period_precision="month",
        consensus_stage=Stage.objects.get(key="basic"),
    )  # fmt: skip  (a draft: not public, so not current)
    assert current_stages(as_of=datetime.date(2018, 1, 1))[boston.id] == advanced
