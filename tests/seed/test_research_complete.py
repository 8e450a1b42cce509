"""/research/ holds all the reports' conclusions and recommendations, in our words with the
reports' quotes, and no quote drops a qualifying clause."""

import pytest
from django.urls import reverse

from compacts.models import ResearchFinding
from sources.models import Citation


@pytest.fixture
def research_page(seeded, client) -> str:
    return client.get(reverse("cities:research-findings")).content.decode()


@pytest.mark.parametrize(
    "words",
    [
        "a necessity, not a nicety",
        "Side Project Mentality",
        "Environment of Mistrust",
        "Unequal Power",
        "Tone-Deafness",
        "States: first steps (January 2017 report)",
        "States: going big (January 2017 report)",
        "Funders (January 2017 report)",
        "District and charter leaders (January 2017 report)",
        "Specific Shared Objectives and Accountability for Progress",
        "Valuing Outcomes Over Institutions",
    ],
)
def test_the_january_2017_reports_conclusions_and_recommendations_are_on_the_page(
    research_page, words
):
    assert words in research_page


def test_the_philanthropists_recommendation_keeps_its_qualifying_clauses(research_page):
    finding = ResearchFinding.objects.get(key="recommendation-philanthropists")
    quotes = " ".join(finding.citations.values_list("quote", flat=True))
    assert "and even in places where they have not" in quotes
    assert "funders should proceed cautiously" in quotes
    assert "proceed cautiously" in research_page


def test_every_research_quote_is_an_unbroken_excerpt_of_its_own_document(seeded):
    # No silent elision: each quote stands in its source's text exactly as written.
    for citation in Citation.objects.filter(content_type__model="researchfinding"):
        assert citation.quote in citation.source.text, citation.quote[:60]
    for finding in ResearchFinding.objects.filter(kind__in=["conclusion", "recommendation"]):
        assert finding.citations.filter(provenance="stated").exists(), finding.key
