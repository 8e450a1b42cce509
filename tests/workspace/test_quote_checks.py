"""An evidence quote is the source's own words: refused when the source's text lacks it, on
every way in (the service, the rating form, the CSV import); unverified, and not counted for
publishing, when we hold no text, until a lead verifies it."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories import SourceFactory, cite, user_with_role
from workspace import csv_import, selectors, services
from workspace.forms import EvidenceFormSet
from workspace.models import Evidence, QuoteCheck, Rating

pytestmark = pytest.mark.django_db

TEXT = (
    "Lessons from the cities.\n\nIn Denver, the district and two charter networks share "
    "special-education center programs, and enroll-\nment is common to all schools.\n"
)
INVENTED = "this quote is not in the document"


@pytest.fixture
def with_text():
    return SourceFactory(key="with-text", title="Lessons", text=TEXT)


@pytest.fixture
def without_text():
    return SourceFactory(key="without-text", title="A paper we do not hold")


@pytest.fixture
def researcher():
    return user_with_role("researcher", "rhea")


@pytest.fixture
def lead():
    return user_with_role("lead", "lena")


def _rate(user, assessment, stage, source, quote):
    return services.rating_submit(
        user=user,
        assessment=assessment,
        stage=stage,
        rationale="Because.",
        confidence="medium",
        evidence=[services.EvidenceInput(source=source, quote=quote, location="p. 1")],
        expected_version=None,
    )


def test_the_service_refuses_an_invented_quote_and_shows_the_closest_passage(
    draft, researcher, stages, with_text
):
    with pytest.raises(ValidationError) as refused:
        _rate(researcher, draft, stages["Basic"], with_text, "the district and two charter schools")
    message = refused.value.messages[0]
    assert "not in “Lessons”" in message
    assert "the district and two charter networks" in message  # the closest passage
    assert not Rating.objects.exists()
    with pytest.raises(ValidationError, match=r"no passage there is like it|closest passage"):
        _rate(researcher, draft, stages["Basic"], with_text, INVENTED)


def test_the_service_saves_a_quote_typed_differently_but_in_the_text_as_found(
    draft, researcher, stages, with_text
):
    quote = "two charter networks share special—education center programs, and enrollment is"
    rating = _rate(researcher, draft, stages["Basic"], with_text, quote)
    assert rating.evidence.get().quote_check == QuoteCheck.FOUND


def test_a_quote_from_a_source_without_text_is_unverified_and_does_not_count(
    draft, researcher, lead, stages, without_text
):
    rating = _rate(
        researcher,
        draft,
        stages["Basic"],
        without_text,
        "Any words at all, as long as there are eight.",
    )
    evidence = rating.evidence.get()
    assert evidence.quote_check == QuoteCheck.UNVERIFIED
    coverage = selectors.evidence_coverage(assessment=draft)
    assert (coverage.sources, coverage.unverified_sources, coverage.complete) == (0, 1, False)
    services.assessment_reconcile(
        user=lead, assessment=draft, consensus_stage=stages["Basic"], consensus_note="",
        expected_version=draft.version,
    )  # fmt: skip
    draft.refresh_from_db()
    with pytest.raises(ValidationError, match="1 sources with unverified quotes"):
        services.assessment_publish(
            user=lead, assessment=draft, reason="Done.", expected_version=draft.version
        )


def test_a_lead_verifies_an_unverified_quote_and_it_then_counts(
    draft, researcher, lead, stages, without_text
):
    evidence = _rate(
        researcher,
        draft,
        stages["Basic"],
        without_text,
        "Words enough to count, from a paper we do not hold.",
    ).evidence.get()
    with pytest.raises(PermissionDenied):
        services.evidence_verify(user=researcher, evidence=evidence)
    services.evidence_verify(user=lead, evidence=evidence)
    evidence.refresh_from_db()
    assert evidence.quote_check == QuoteCheck.VERIFIED
    assert evidence.verified_by == lead
    assert evidence.verified_at is not None
    assert evidence.history.first().history_user == lead
    assert selectors.evidence_coverage(assessment=draft).complete
    with pytest.raises(ValidationError):
        services.evidence_verify(user=lead, evidence=evidence)  # once is enough


def test_the_rating_form_refuses_an_invented_quote_beside_the_quote(
    client, draft, stages, with_text, researcher
):
    client.force_login(researcher)
    response = client.post(
        reverse("workspace:rating-edit", args=[draft.pk]),
        {
            "stage": stages["Basic"].pk,
            "confidence": "medium",
            "rationale": "Because.",
            "evidence-TOTAL_FORMS": "1",
            "evidence-INITIAL_FORMS": "0",
            "evidence-0-source": with_text.pk,
            "evidence-0-quote": INVENTED,
        },
    )
    assert response.status_code == 200
    assert "This quote is not in “Lessons”" in response.content.decode()
    assert not Rating.objects.exists()


def test_the_rating_form_adds_an_evidence_row_without_javascript(client, draft, stages, researcher):
    client.force_login(researcher)
    response = client.post(
        reverse("workspace:rating-edit", args=[draft.pk]),
        {"evidence-TOTAL_FORMS": "3", "evidence-INITIAL_FORMS": "0", "add_evidence": "1"},
    )
    page = response.content.decode()
    assert 'name="evidence-3-source"' in page
    assert not Rating.objects.exists()


def test_adding_rows_without_javascript_stops_at_the_cap(client, draft, stages, researcher):
    client.force_login(researcher)
    cap = EvidenceFormSet.max_num
    response = client.post(
        reverse("workspace:rating-edit", args=[draft.pk]),
        {"evidence-TOTAL_FORMS": str(cap), "evidence-INITIAL_FORMS": "0", "add_evidence": "1"},
    )
    page = response.content.decode()
    assert f'name="evidence-{cap - 1}-source"' in page
    assert f'name="evidence-{cap}-source"' not in page
    assert re.search(r"<button[^>]*add-evidence[^>]*\bdisabled\b", page)
    assert f"at most {cap} pieces of evidence" in page


def test_a_rating_claiming_a_thousand_evidence_rows_is_refused_without_building_them(
    client, draft, stages, researcher
):
    client.force_login(researcher)
    response = client.post(
        reverse("workspace:rating-edit", args=[draft.pk]),
        {
            "stage": stages["Basic"].pk,
            "confidence": "high",
            "rationale": "Shared enrollment.",
            "version": "",
            "evidence-TOTAL_FORMS": "1000",
            "evidence-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == EvidenceFormSet.max_num
    refusal = f"A rating cites at most {EvidenceFormSet.max_num} pieces of evidence."
    assert refusal in response.content.decode()
    assert not Rating.objects.exists()


def test_the_rubric_shows_a_stage_quote_as_it_reads_without_its_markdown_marks(
    client, draft, stages, researcher
):
    cite(stages["Basic"], source=SourceFactory(), quote="the *Basic cooperation* stage")
    client.force_login(researcher)
    page = client.get(reverse("workspace:rating-edit", args=[draft.pk])).content.decode()
    assert "“the Basic cooperation stage”" in page
    assert "*Basic" not in page


def test_the_rating_form_shows_the_stage_rubric_and_the_quote_picker(
    client, draft, stages, researcher
):
    stages["Basic"].description = "Practical deals at the edges of each sector's turf."
    stages["Basic"].save()
    client.force_login(researcher)
    page = client.get(reverse("workspace:rating-edit", args=[draft.pk])).content.decode()
    assert "The six stages" in page
    assert "Practical deals at the edges" in page
    assert "Find passages" in page
    assert "rating-form.js" in page


def test_the_import_refuses_an_invented_quote(draft, researcher, stages, with_text):
    csv = (
        "city,period,rater,stage,confidence,rationale,source,quote,location\n"
        f"{draft.city.slug},2020,rhea,Basic,low,Because.,with-text,{INVENTED},p. 1\n"
    )
    with pytest.raises(csv_import.ImportFailed) as failed:
        csv_import.import_ratings(data=csv.encode(), user=researcher)
    assert "This quote is not in “Lessons”" in str(failed.value.errors[0])
    assert not Evidence.objects.exists()


def test_the_import_saves_a_real_quote_as_found(draft, researcher, stages, with_text):
    csv = (
        "city,period,rater,stage,confidence,rationale,source,quote,location\n"
        f"{draft.city.slug},2020,rhea,Basic,low,Because.,with-text,"
        '"center programs, and enrollment is common to all schools",¶ 2\n'
    )
    csv_import.import_ratings(data=csv.encode(), user=researcher)
    assert Evidence.objects.get().quote_check == QuoteCheck.FOUND


def test_the_passage_search_is_json_for_researchers_only(client, with_text, researcher):
    url = reverse("workspace:source-passages", args=[with_text.pk])
    client.force_login(user_with_role("funder"))
    assert client.get(url, {"q": "Denver"}).status_code == 403
    client.force_login(researcher)
    data = client.get(url, {"q": "denver center"}).json()
    assert data["has_text"] is True
    [passage] = data["passages"]
    assert passage["text"].startswith("In Denver, the district and two charter networks")
    assert passage["location"] == "paragraph 2"
    assert services.quote_check(source=with_text, quote=passage["text"]) == QuoteCheck.FOUND


def test_the_passage_search_says_when_a_source_has_no_text(client, without_text, researcher):
    client.force_login(researcher)
    url = reverse("workspace:source-passages", args=[without_text.pk])
    assert client.get(url, {"q": "x"}).json() == {
        "source": "A paper we do not hold",
        "has_text": False,
        "reading_note": "",
        "query": "x",
        "passages": [],
    }
