"""One source per document: file 002 holds an agenda, minutes, a timeline and the January
2017 report, and each is a source with its own text; quotes, locations and the quote
matcher keep to the chosen source."""

import importlib
import re

import pytest
from django.apps import apps

from compacts.models import Stage
from seed.seeding import FixtureError, seed_database
from sources.matching import find_quote, location_of
from sources.models import Citation, Source
from tests.factories import EvidenceFactory

from .test_seed_command import _record

MINUTES_SENTENCE = "The Stakeholder Group requested an ESSA working timeline."
REPORT_SENTENCE = "Currently, a total of nine have entered the program"
_PARAGRAPH = re.compile(r"^(.*, )?paragraph \d+$")


def test_no_source_text_holds_two_documents(seeded):
    held = Source.objects.exclude(document_file="")
    by_file: dict[str, list[Source]] = {}
    for source in held:
        by_file.setdefault(source.document_file, []).append(source)
    packet = by_file["002_54657fed30825c51.txt"]
    assert len(packet) == 4
    for source in packet:
        others = [s for s in packet if s != source]
        for other in others:
            assert other.text.strip()[:200] not in source.text, (source.key, other.key)
    report = Source.objects.get(key="bridging-the-divide-2017")
    assert "Minutes recorded by" not in report.text
    assert "AGENDA" not in report.text
    assert report.text.startswith("Bridging the District-Charter Divide")


def test_every_document_has_a_date_or_a_cited_month_it_is_known_no_earlier_than(seeded):
    for source in Source.objects.exclude(document_file=""):
        assert source.dated_from is not None, source.key
        if source.published_on is None:
            assert source.citations.filter(field="known_no_earlier_than").exists(), source.key
    collision = Source.objects.get(key="collision-course")
    assert (collision.known_no_earlier_than.year, collision.known_no_earlier_than.month) == (
        2017,
        8,
    )


def test_every_paragraph_location_resolves_to_the_passage_that_holds_its_quote(seeded):
    texts = dict(Source.objects.exclude(text="").values_list("pk", "text"))
    checked = 0
    for citation in Citation.objects.filter(source_id__in=list(texts)):
        if _PARAGRAPH.match(citation.location):
            assert location_of(citation.quote, texts[citation.source_id]) == citation.location, (
                citation.pk,
                citation.quote[:60],
            )
            checked += 1
    assert checked > 500


def test_a_quote_from_the_minutes_cited_as_the_report_is_refused_by_the_seed(db, broken_fixtures):
    def misattribute(records):
        residency = _record(records, key="hfd-af-residency")
        residency["citations"][0]["quote"] = MINUTES_SENTENCE

    with pytest.raises(FixtureError, match="quote is not in bridging-the-divide-2017"):
        seed_database(fixture_dir=broken_fixtures("initiatives.yaml", misattribute))


def test_the_quote_matcher_and_closest_passage_keep_to_the_chosen_source(seeded):
    report = Source.objects.get(key="bridging-the-divide-2017")
    minutes = Source.objects.get(key="little-rock-stakeholder-group-minutes-2016-12-05")
    assert find_quote(MINUTES_SENTENCE, minutes.text).found
    check = find_quote(MINUTES_SENTENCE, report.text)
    assert not check.found
    assert "Stakeholder Group requested" not in check.passage


def test_the_data_migration_moves_evidence_and_citations_to_the_document_holding_the_quote(
    seeded,
):
    migration = importlib.import_module("sources.migrations.0005_one_source_per_document")
    report = Source.objects.get(key="bridging-the-divide-2017")
    minutes = Source.objects.get(key="little-rock-stakeholder-group-minutes-2016-12-05")
    stage = Stage.objects.get(key="basic")
    # As stored before the split: against the report, located over the whole file.
    evidence = EvidenceFactory(
        rating__stage=stage, interview=None, source=report, quote=MINUTES_SENTENCE,
        location="paragraph 12",
    )  # fmt: skip
    stays = EvidenceFactory(
        rating__stage=stage, interview=None, source=report, quote=REPORT_SENTENCE,
        location="paragraph 244",
    )  # fmt: skip
    cited = Citation.objects.create(
        target=report, source=report, quote=MINUTES_SENTENCE, provenance="stated",
        location="paragraph 15",
    )  # fmt: skip
    migration.forwards(apps, None)
    evidence.refresh_from_db()
    stays.refresh_from_db()
    cited.refresh_from_db()
    assert evidence.source == minutes
    assert evidence.location == location_of(MINUTES_SENTENCE, minutes.text)
    assert cited.source == minutes
    assert stays.source == report
    assert stays.location == location_of(REPORT_SENTENCE, report.text)
