"""One rule for whether a quote is in its source: differences of typing, not of words."""

from pathlib import Path

import pytest
from django.conf import settings

from sources.matching import find_quote, normalise, passages, search_passages

BRIDGING = (Path(settings.FIXTURE_DIRS[0]) / "documents" / "002_54657fed30825c51.txt").read_text()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("district and  charter\nleaders", "district and charter leaders"),  # whitespace
        ('"fair, transparent"', "“fair, transparent”"),  # double quote marks
        ("the sector's core", "the sector\u2019s core"),  # apostrophes
        ("two district-two charter", "two district—two charter"),  # dashes
        ("two district - two charter", "two district\u2013two charter"),  # spaced dashes
        ("financial support", "ﬁnancial support"),  # ligatures from a PDF
        ("transitioned from", "transi-\ntioned from"),  # end-of-line hyphenation
        ("the Basic cooperation stage", "the *Basic cooperation* stage"),  # Markdown emphasis
        ("received $100,000", "received \\$100,000"),  # Markdown escape
    ],
)
def test_typing_differences_do_not_matter(typed, stored):
    assert normalise(typed) == normalise(stored)
    assert find_quote(typed, f"Before. {stored} after.").found


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Boston and Denver", "Boston and New Orleans"),
        ("ten cities", "10 cities"),
        ("basic", "Basic"),  # case is part of the words
        ("cooperation.", "cooperation,"),
    ],
)
def test_different_words_or_punctuation_do(typed, stored):
    assert not find_quote(typed, stored).found


def test_a_found_quote_gives_the_passage_exactly_as_stored():
    check = find_quote("Each city received $100,000 to support the work", BRIDGING)
    assert check.found
    assert check.passage == "Each city received \\$100,000 to support the work"
    assert BRIDGING[check.start : check.end] == check.passage


def test_a_quote_not_in_the_text_gets_the_closest_passage():
    check = find_quote(
        "just two cities (Boston and New Orleans) have achieved Advanced cooperation", BRIDGING
    )
    assert not check.found
    assert "Boston and New Orleans) have achieved and maintained" in check.passage
    assert check.passage in BRIDGING
    assert 0.5 < check.similarity < 1


def test_an_invented_quote_is_not_found():
    assert not find_quote("this quote is not in the document", BRIDGING).found
    assert not find_quote("   ", BRIDGING).found


def test_passages_are_sentences_exactly_as_stored_with_a_paragraph_location():
    found = search_passages(BRIDGING, "maintained advanced")
    assert found
    first = found[0]
    assert "just 2 (Boston and New Orleans)" in first.text
    assert first.location.startswith("paragraph ")
    assert find_quote(first.text, BRIDGING).found


def test_passages_name_the_heading_when_the_text_has_markdown_headings():
    text = "## Findings\n\nFirst sentence here. Second one.\n\nNext paragraph."
    assert [(p.text, p.location) for p in passages(text)] == [
        ("First sentence here.", "Findings, paragraph 1"),
        ("Second one.", "Findings, paragraph 1"),
        ("Next paragraph.", "Findings, paragraph 2"),
    ]


def test_every_passage_of_every_document_is_found_where_it_is():
    for path in (Path(settings.FIXTURE_DIRS[0]) / "documents").glob("*.txt"):
        text = path.read_text()
        for passage in passages(text)[::25]:
            assert find_quote(passage.text, text).found, (path.name, passage.text)
