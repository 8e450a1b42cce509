"""A source quote counts as evidence only when it could support a stage: a passage of at
least EVIDENCE_MIN_WORDS words, not only function words, or a table cell named by table, row
and column. Shorter quotes are refused by the service, the rating form and the CSV import;
stored ones are listed, flagged and count for nothing toward publishing."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from compacts.models import Assessment
from tests.factories import (
    AssessmentFactory,
    EvidenceFactory,
    InterviewFactory,
    RatingFactory,
    SourceFactory,
    cite,
    make_stages,
    user_with_role,
)
from workspace import csv_import, evidence, selectors, services
from workspace.models import Evidence, Rating

pytestmark = pytest.mark.django_db

TEXT = (
    "Collision Course.\n\nOf the 23 initiatives tracked, nearly half (10) lost ground over "
    "the course of the sectors' work together. Denver rated Advanced.\n\n"
    "Table 1. Stages by city and year: Denver, 2012, Basic.\n"
)
PASSAGE = "Of the 23 initiatives tracked, nearly half (10) lost ground"
CELL = "Table 1, row Denver, column 2012"


@pytest.fixture
def report():
    return SourceFactory(key="collision-course", title="Collision Course", text=TEXT)


@pytest.fixture
def researcher():
    return user_with_role("researcher", "rhea")


@pytest.fixture
def lead():
    return user_with_role("lead", "lena")


def _rate(user, assessment, stage, source, quote, location="p. 1"):
    return services.rating_submit(
        user=user,
        assessment=assessment,
        stage=stage,
        rationale="Because.",
        confidence="medium",
        evidence=[services.EvidenceInput(source=source, quote=quote, location=location)],
        expected_version=None,
    )


@pytest.mark.parametrize("quote", ["of", "Advanced", "lost ground", "Denver rated Advanced."])
def test_a_quote_under_the_minimum_is_refused_with_the_reason(quote):
    problem = evidence.substance_problem(quote=quote, location="p. 1")
    assert problem
    assert "at least 8 words" in problem or "only function words" in problem


def test_a_quote_of_only_function_words_is_refused_however_long():
    problem = evidence.substance_problem(quote="of the and to in a that it was", location="")
    assert problem == evidence.QUOTE_ONLY_FUNCTION_WORDS


def test_a_passage_of_the_minimum_words_counts():
    assert evidence.is_substantive(quote=PASSAGE, location="p. 1")


def test_a_table_cell_counts_only_when_its_location_names_table_row_and_column():
    assert evidence.is_substantive(quote="Basic", location=CELL)
    assert evidence.is_substantive(
        quote="Basic", location="figure 6, row Washington, D.C., column 2016"
    )
    assert not evidence.is_substantive(quote="Basic", location="Table 1")
    assert not evidence.is_substantive(quote="Basic", location="Table 1, row Denver")


def test_the_minimum_follows_the_setting(settings):
    settings.EVIDENCE_MIN_WORDS = 2
    assert evidence.is_substantive(quote="lost ground", location="")
    assert not evidence.is_substantive(quote="of the", location="")


def test_the_service_refuses_a_short_quote_and_saves_nothing(draft, researcher, stages, report):
    with pytest.raises(ValidationError) as refused:
        _rate(researcher, draft, stages["Basic"], report, "lost ground")
    assert refused.value.messages[0] == evidence.QUOTE_TOO_SHORT.format(
        minimum=8, words=2, example=CELL
    )
    assert not Rating.objects.exists()
    assert not Evidence.objects.exists()


def test_the_service_saves_a_passage_and_a_named_table_cell(draft, researcher, stages, report):
    _rate(researcher, draft, stages["Basic"], report, PASSAGE)
    other = user_with_role("researcher", "omar")
    _rate(other, draft, stages["Basic"], report, "Basic", location=CELL)
    assert Evidence.objects.count() == 2
    assert selectors.evidence_coverage(assessment=draft).sources == 1


def test_a_short_quote_from_a_source_without_text_is_refused_too(draft, researcher, stages):
    unheld = SourceFactory(title="A paper we do not hold")
    with pytest.raises(ValidationError, match="at least 8 words"):
        _rate(researcher, draft, stages["Basic"], unheld, "Advanced")


def test_the_rating_form_refuses_a_short_quote_beside_the_quote(
    client, draft, stages, report, researcher
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
            "evidence-0-source": report.pk,
            "evidence-0-quote": "of",
            "evidence-0-location": "p. 1",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "only function words" in page
    assert "Table 1, row Denver, column 2012" in page  # the form's help names the format
    assert not Rating.objects.exists()


def test_the_import_refuses_a_short_quote_with_the_reason(draft, researcher, stages, report):
    csv = (
        "city,period,rater,stage,confidence,rationale,source,quote,location\n"
        f"{draft.city.slug},2020,rhea,Basic,low,Because.,collision-course,Advanced,p. 1\n"
    )
    with pytest.raises(csv_import.ImportFailed) as failed:
        csv_import.import_ratings(data=csv.encode(), user=researcher)
    assert "at least 8 words (this one has 1)" in str(failed.value.errors[0])
    assert not Rating.objects.exists()


def test_the_import_takes_a_named_table_cell(draft, researcher, stages, report):
    csv = (
        "city,period,rater,stage,confidence,rationale,source,quote,location\n"
        f'{draft.city.slug},2020,rhea,Basic,low,Because.,collision-course,Basic,"{CELL}"\n'
    )
    csv_import.import_ratings(data=csv.encode(), user=researcher)
    assert Evidence.objects.get().location == CELL


def _stored_short_quote(assessment, source, quote="lost ground"):
    """Evidence saved before the rule: found in its source, but too short."""
    return EvidenceFactory(
        rating=RatingFactory(assessment=assessment, stage=make_stages()["Basic"]),
        interview=None,
        source=source,
        quote=quote,
        location="p. 1",
        quote_check="found",
    )


def test_an_assessment_resting_only_on_short_quotes_needs_an_override_to_publish(
    lead, stages, report
):
    draft = AssessmentFactory(
        status=Assessment.Status.DRAFT, published_at=None, consensus_stage=stages["Basic"]
    )
    _stored_short_quote(draft, report)
    coverage = selectors.evidence_coverage(assessment=draft)
    assert (coverage.sources, coverage.insubstantial_quotes, coverage.complete) == (0, 1, False)
    with pytest.raises(ValidationError, match="1 quotes too short to support a stage"):
        services.assessment_publish(
            user=lead, assessment=draft, reason="Done.", expected_version=draft.version
        )
    draft.refresh_from_db()
    assert not draft.is_published
    services.assessment_publish(
        user=lead,
        assessment=draft,
        reason="Done.",
        override_reason="The table says so; the quotes will be replaced.",
        expected_version=draft.version,
    )
    draft.refresh_from_db()
    assert draft.is_published


def test_interviews_from_other_sectors_count_as_neither_side(draft):
    rating = RatingFactory(assessment=draft, stage=make_stages()["Basic"])
    for sector in ["district", "state", "community", "funder", "other"]:
        EvidenceFactory(rating=rating, interview=InterviewFactory(city=draft.city, sector=sector))
    coverage = selectors.evidence_coverage(assessment=draft)
    assert (coverage.district_interviews, coverage.charter_interviews) == (1, 0)
    assert not coverage.complete


def test_the_seeds_own_citations_are_not_subject_to_the_rule(draft, report):
    cite(draft, source=report, quote="Advanced")
    assert selectors.evidence_coverage(assessment=draft).complete


def test_the_command_lists_stored_short_quotes_and_deletes_nothing(draft, report):
    stored = _stored_short_quote(draft, report)
    _stored_short_quote(draft, report, quote=PASSAGE)  # long enough: not listed
    out = io.StringIO()
    call_command("insubstantial_evidence", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    listed = lines[0]
    assert f"{draft.city.name}, {draft.period_label} (assessment {draft.pk})" in listed
    assert f"(rating {stored.rating.pk})" in listed
    assert "Collision Course (p. 1): “lost ground”" in listed
    assert lines[1].startswith("1 quote under the rule")
    assert Evidence.objects.count() == 2


def test_the_assessment_page_flags_stored_short_quotes(client, draft, report):
    _stored_short_quote(draft, report)
    client.force_login(user_with_role("lead"))
    page = client.get(reverse("workspace:assessment-detail", args=[draft.pk])).content.decode()
    assert "1 source quote below is too short to support a stage" in page
    assert "too short to count as evidence" in page
    reconcile = client.get(reverse("workspace:assessment-reconcile", args=[draft.pk]))
    assert "1 quote too short to support a stage, never counted" in reconcile.content.decode()
