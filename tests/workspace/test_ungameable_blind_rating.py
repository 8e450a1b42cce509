"""Blind rating cannot be gamed on a draft: a researcher's first submitted rating is kept and
is what agreement counts; an edit made after others have rated is marked for the lead; the
consensus stage and the lead's note, and how many ratings there are, stay hidden from a
researcher until they have rated."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compacts.models import Assessment
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    UserFactory,
    user_with_role,
)
from workspace import csv_import, selectors, services
from workspace.models import Rating

pytestmark = pytest.mark.django_db

LEAD_NOTE = "Lead note on the consensus QZ4"
MARK = "<strong>Changed after seeing others</strong>"


def _rate(user, assessment, stage, rationale="My reading of the interviews.", version=None):
    return services.rating_submit(
        user=user,
        assessment=assessment,
        stage=stage,
        rationale=rationale,
        confidence="medium",
        evidence=[],
        expected_version=version,
    )


@pytest.fixture
def gamed(draft, stages):
    """A rates Basic; B submits a throwaway Advanced, reads A's rating, then edits to Basic."""
    a = user_with_role("researcher", "anna")
    b = user_with_role("researcher", "ben")
    _rate(a, draft, stages["Basic"], "Anna's rationale.")
    throwaway = _rate(b, draft, stages["Advanced"], "Placeholder.")
    _rate(b, draft, stages["Basic"], "Anna's rationale, copied.", version=throwaway.version)
    return draft


def _page(client, user, name, assessment) -> str:
    client.force_login(user)
    return client.get(reverse(f"workspace:{name}", args=[assessment.pk])).content.decode()


def _export(client, user) -> list[dict]:
    client.force_login(user)
    response = client.get(reverse("workspace:export"))
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


# The first rating is kept and counted -------------------------------------------------


def test_a_rating_keeps_its_first_submission_after_an_edit(gamed, stages):
    rating = Rating.objects.get(assessment=gamed, rater__username="ben")
    assert rating.stage == stages["Basic"]
    assert (rating.first_stage, rating.first_rationale) == (stages["Advanced"], "Placeholder.")


def test_agreement_counts_the_first_rating_not_the_edit(gamed):
    overview = selectors.agreement_overview()
    (row,) = overview.rows
    assert row.stages == ["Basic", "Advanced"]  # anna, ben as first submitted
    assert overview.exact == 0
    assert not row.spread.unanimous


def test_the_agreement_page_shows_the_first_ratings(client, gamed):
    client.force_login(user_with_role("lead"))
    html = client.get(reverse("workspace:agreement")).content.decode()
    assert "Basic, Advanced" in html
    assert "unanimous" not in html


# The "changed after seeing others" mark -----------------------------------------------


def test_an_edit_after_others_rated_is_marked_and_recorded_in_the_history(gamed):
    rating = Rating.objects.get(assessment=gamed, rater__username="ben")
    assert rating.changed_after_seeing_others
    assert rating.history.first().history_change_reason == Rating.CHANGED_AFTER_SEEING


def test_the_lead_sees_the_mark_on_the_assessment_and_reconcile_pages(client, gamed):
    lead = user_with_role("lead")
    for page in ("assessment-detail", "assessment-reconcile"):
        html = _page(client, lead, page, gamed)
        assert html.count(MARK) == 1  # ben's rating, not anna's
        assert "Placeholder." in html  # the first rationale, beside the edited one


def test_the_reconcile_page_gives_the_spread_as_first_submitted_too(client, gamed):
    html = _page(client, user_with_role("lead"), "assessment-reconcile", gamed)
    assert "2 ratings; stages 2 to 2 (unanimous)." in html
    assert "As first submitted" in html
    assert "stages 2 to 4, 2 stages apart." in html


def test_an_edit_while_nobody_else_has_rated_is_not_marked(draft, stages):
    alone = user_with_role("researcher")
    first = _rate(alone, draft, stages["Basic"])
    edited = _rate(alone, draft, stages["Intermediate"], version=first.version)
    assert not edited.changed_after_seeing_others
    assert edited.first_stage == stages["Basic"]


def test_saving_a_rating_unchanged_after_others_rated_is_not_marked(draft, stages):
    _rate(user_with_role("researcher"), draft, stages["Basic"])
    me = user_with_role("researcher")
    mine = _rate(me, draft, stages["Emerging"])
    again = _rate(me, draft, stages["Emerging"], version=mine.version)
    assert not again.changed_after_seeing_others


# The consensus stays hidden until you rate --------------------------------------------


@pytest.fixture
def consensus_first(draft, stages):
    """A lead sets the consensus (Embedded) and a note before researcher ``me`` rates."""
    lead = user_with_role("lead")
    services.assessment_reconcile(
        user=lead,
        assessment=draft,
        consensus_stage=stages["Embedded"],
        consensus_note=LEAD_NOTE,
        expected_version=draft.version,
    )
    draft.refresh_from_db()
    return draft


def test_the_assessment_page_hides_a_drafts_consensus_until_you_rate(
    client, consensus_first, stages
):
    me = user_with_role("researcher", "me")
    html = _page(client, me, "assessment-detail", consensus_first)
    assert "Embedded" not in html  # neither in the facts nor in the history
    assert LEAD_NOTE not in html
    _rate(me, consensus_first, stages["Basic"])
    html = _page(client, me, "assessment-detail", consensus_first)
    assert "Embedded" in html
    assert LEAD_NOTE in html


def test_the_history_leaves_out_a_drafts_consensus_until_you_rate(consensus_first):
    me = user_with_role("researcher", "me")
    entries = selectors.assessment_history(
        assessment=consensus_first, ratings=[], consensus_visible=False
    )
    shown = {(e.subject, c.field) for e in entries for c in e.changes}
    assert ("Assessment", "consensus_stage") not in shown
    assert all(e.subject != "Consensus note" for e in entries)
    assert selectors.may_see_consensus(assessment=consensus_first, user=me) is False
    assert selectors.may_see_consensus(assessment=consensus_first, user=user_with_role("lead"))


def test_the_export_leaves_a_drafts_consensus_blank_until_you_rate(client, consensus_first, stages):
    me = user_with_role("researcher", "me")
    (row,) = _export(client, me)
    assert (row["consensus_stage"], row["consensus_note"]) == ("", "")
    _rate(me, consensus_first, stages["Basic"])
    (row,) = _export(client, me)
    assert (row["consensus_stage"], row["consensus_note"]) == ("Embedded", LEAD_NOTE)


def test_a_lead_sees_a_drafts_consensus_without_rating(client, consensus_first):
    lead = user_with_role("lead")
    assert LEAD_NOTE in _page(client, lead, "assessment-detail", consensus_first)
    (row,) = _export(client, lead)
    assert row["consensus_stage"] == "Embedded"


def test_a_published_consensus_is_shown_to_every_researcher(client, consensus_first):
    services.assessment_publish(
        user=user_with_role("lead"),
        assessment=consensus_first,
        reason="Reconciled",
        override_reason="No evidence needed for this test",
        expected_version=consensus_first.version,
    )
    me = user_with_role("researcher", "me")
    assert "Embedded" in _page(client, me, "assessment-detail", consensus_first)


# The list hides how many have rated ---------------------------------------------------


def _list_row(client, user) -> str:
    client.force_login(user)
    html = client.get(reverse("workspace:workspace")).content.decode()
    return html[html.index("<tbody>") : html.index("</tbody>")]


def test_the_list_hides_the_rating_count_and_consensus_until_you_rate(
    client, consensus_first, stages
):
    for name in ("anna", "ben"):
        _rate(user_with_role("researcher", name), consensus_first, stages["Basic"])
    me = user_with_role("researcher", "me")
    row = _list_row(client, me)
    assert 'data-label="Ratings">2<' not in row
    assert "Embedded" not in row
    _rate(me, consensus_first, stages["Basic"])
    row = _list_row(client, me)
    assert 'data-label="Ratings">3<' in row
    assert "Embedded" in row


def test_an_imported_edit_after_others_rated_is_marked_too(stages):
    CityFactory(slug="denver")
    header = "city,period,rater,stage,confidence,rationale,version\n"
    ben = user_with_role("researcher", "ben")
    csv_import.import_ratings(
        data=f"{header}denver,2018,ben,Advanced,low,Mine.,\n".encode(), user=ben
    )
    anna = user_with_role("researcher", "anna")
    csv_import.import_ratings(
        data=f"{header}denver,2018,anna,Basic,high,Hers.,\n".encode(), user=anna
    )
    csv_import.import_ratings(
        data=f"{header}denver,2018,ben,Basic,high,Hers.,1\n".encode(), user=ben
    )
    rating = Rating.objects.get(rater=ben)
    assert rating.changed_after_seeing_others
    assert (rating.first_stage, rating.stage) == (stages["Advanced"], stages["Basic"])


def test_the_admin_shows_the_first_submission_read_only(client, gamed):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    rating = Rating.objects.get(rater__username="ben")
    html = client.get(reverse("admin:workspace_rating_change", args=[rating.pk])).content.decode()
    assert "Placeholder." in html
    assert 'name="first_rationale"' not in html


def _queries_for_pages_with_marked_ratings(client, stages, raters: int) -> list[int]:
    draft = AssessmentFactory(status=Assessment.Status.DRAFT, published_at=None)
    for _ in range(raters):
        first = _rate(user_with_role("researcher"), draft, stages["Advanced"])
        _rate(first.rater, draft, stages["Basic"], "Changed.", version=first.version)
    client.force_login(user_with_role("lead"))
    counts = []
    for name in ("assessment-detail", "assessment-reconcile"):
        url = reverse(f"workspace:{name}", args=[draft.pk])
        client.get(url)  # warm up
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).content.decode().count(MARK) == raters - 1
        counts.append(len(queries.captured_queries))
    return counts


def test_marked_ratings_cost_no_query_each(client, stages):
    assert _queries_for_pages_with_marked_ratings(
        client, stages, 2
    ) == _queries_for_pages_with_marked_ratings(client, stages, 6)
