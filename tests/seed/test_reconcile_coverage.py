"""reconcile leaves nothing out: derived counts apart from published ones, numbers that
events and initiatives record compared, and an empty or partly seeded database fails."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cities.models import Event
from compacts.models import InitiativeFigure, PublishedFigure
from seed.reconciliation import CONTRADICTION, MATCHES, MISSING, reconcile

# Figures once filed as context although an event or initiative records the same number.
NOW_COMPARED = (
    "concept-papers-2012",
    "philadelphia-schools-closed",
    "philadelphia-staff-laid-off",
    "central-falls-bankruptcy-months",
    "convening-cities",
    "interim-report-cities",
    "mathematica-cities",
)
# Figures the documents print that were missing from the list.
ADDED = (
    "cities-studied-collision-course",
    "interviews-conducted",
    "practice-sharing-categories",
    "central-falls-partnering-high-schools",
    "denver-local-cmos-special-education",
    "sky-partnership-charter-schools",
    "sky-partnership-district-schools",
    "lawrence-union-turnaround-schools",
    "charter-schools-began-years-ago",
    "cleveland-san-antonio-diversity-years",
)


def _run() -> str:
    out = StringIO()
    call_command("reconcile", stdout=out)
    return out.getvalue()


def test_reconcile_fails_on_an_empty_database(db):
    with pytest.raises(CommandError, match="no published figures"):
        _run()


def test_reconcile_fails_on_a_partly_seeded_database(seeded):
    PublishedFigure.objects.filter(key="mathematica-cities").delete()
    with pytest.raises(CommandError, match=r"partly seeded.*mathematica-cities"):
        _run()


def test_a_figure_whose_counterpart_is_not_recorded_fails(seeded):
    InitiativeFigure.objects.filter(initiative__key="sb-sky-partnership").delete()
    outcomes = {r.key: r.outcome for r in reconcile()}
    assert outcomes["sky-partnership-charter-schools"] == MISSING
    with pytest.raises(CommandError, match="sky-partnership-charter-schools"):
        _run()


def test_derived_counts_are_listed_apart_and_never_as_published(seeded):
    output = _run()
    published, derived = output.split("Derived figures (2)")
    derived = derived.split("Known inconsistencies")[0]
    for key in ("stage-intermediate-count-derived", "stage-embedded-count-derived"):
        assert key not in published
        assert key in derived
    assert {r.key for r in reconcile()}.isdisjoint(
        {"stage-intermediate-count-derived", "stage-embedded-count-derived"}
    )


@pytest.mark.parametrize("key", NOW_COMPARED)
def test_a_number_an_event_records_is_compared(seeded, key):
    assert {r.key: r.outcome for r in reconcile()}[key] == MATCHES


def test_an_event_recording_another_number_contradicts_the_figure(seeded):
    event = Event.objects.get(key="central-falls-exits-bankruptcy-after-13-months")
    Event.objects.filter(pk=event.pk).update(title="Central Falls exits bankruptcy after 14 months")
    assert {r.key: r.outcome for r in reconcile()}["central-falls-bankruptcy-months"] == (
        CONTRADICTION
    )


def test_the_figures_the_documents_print_are_all_listed(seeded):
    keys = {r.key for r in reconcile()}
    assert set(ADDED) <= keys
    assert set(PublishedFigure.objects.filter(key__in=ADDED).values_list("kind", flat=True)) == {
        "document"
    }
