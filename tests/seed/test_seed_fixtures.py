"""The seed data says what the documents say, and every fact shows where it came from."""

import datetime
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from cities.models import City
from compacts.models import Assessment, Compact, InitiativeType, Stage
from seed.seeding import FIXTURE_FILES
from sources.models import Citation, cited_models

from .conftest import LOADER

FIXTURES = Path(settings.FIXTURE_DIRS[0])
JANUARY_2017 = datetime.date(2017, 1, 1)


def _citations_in(node):
    if isinstance(node, dict):
        yield from node.get("citations", [])
        for value in node.values():
            yield from _citations_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from _citations_in(item)


def _all_fixture_citations():
    for name in FIXTURE_FILES:
        for citation in _citations_in(yaml.load((FIXTURES / name).read_text(), Loader=LOADER)):
            yield name, citation


def test_every_fixture_quote_is_an_exact_excerpt_of_its_document():
    sources = yaml.load((FIXTURES / "sources.yaml").read_text(), Loader=LOADER)
    files = {s["key"]: s.get("document_file") for s in sources}
    texts = {f: (FIXTURES / "documents" / f).read_text() for f in set(files.values()) if f}
    checked, wrong = 0, []
    for name, citation in _all_fixture_citations():
        document = files[citation["source"]]
        if document:
            checked += 1
            if citation["quote"] not in texts[document]:
                wrong.append((name, citation["quote"]))
    assert checked > 500
    assert wrong == []


def test_every_fixture_citation_names_a_known_source_and_a_provenance():
    keys = {s["key"] for s in yaml.load((FIXTURES / "sources.yaml").read_text(), Loader=LOADER)}
    for name, citation in _all_fixture_citations():
        assert citation["source"] in keys, (name, citation)
        assert citation["provenance"] in {"stated", "inferred"}, (name, citation)
        if citation["provenance"] == "inferred":
            assert citation.get("reasoning"), (name, citation)


def test_every_row_of_every_cited_model_has_a_citation_after_seeding(seeded, db):
    for model in cited_models():
        content_type = ContentType.objects.get_for_model(model)
        cited = Citation.objects.filter(content_type=content_type).values("object_id")
        uncited = model.objects.exclude(pk__in=cited)
        assert list(uncited) == [], model.__name__


def test_every_seeded_model_has_rows(seeded, db):
    assert all(seeded[model._meta.label] > 0 for model in cited_models())


def test_every_citation_has_a_source_and_provenance_and_inferred_ones_have_reasoning(seeded, db):
    assert Citation.objects.count() == seeded["sources.Citation"]
    assert not Citation.objects.filter(source__isnull=True).exists()
    assert set(Citation.objects.values_list("provenance", flat=True)) == {"stated", "inferred"}
    assert not Citation.objects.filter(provenance="inferred", reasoning="").exists()


def test_there_are_23_compact_cities_each_with_a_gates_compact(seeded, db):
    cities = City.objects.compact_cities()
    assert cities.count() == 23
    assert Compact.objects.filter(city__in=cities, program="gates_dccc").count() == 23
    assert not Compact.objects.filter(city__in=cities).exclude(signing_grant_usd=100000).exists()


def test_there_are_two_florida_doe_compacts_with_unknowns_left_blank(seeded, db):
    compacts = Compact.objects.filter(city__kind=City.Kind.FLORIDA_COMPACT)
    assert sorted(c.city.slug for c in compacts) == ["duval", "miami-dade"]
    for compact in compacts:
        assert compact.program == "florida_doe"
        assert compact.signing_year == 2014
        assert compact.signing_grant_usd is None
        assert compact.grant_note
        assert compact.portfolio_at_signing is None
        assert compact.significant_funding is None


def test_cities_keep_the_entity_as_the_documents_name_it(seeded, db):
    assert (
        City.objects.get(slug="new-orleans").entity_name == "Recovery School District, New Orleans"
    )
    assert City.objects.get(slug="franklin-mckinley").entity_name == "Franklin-McKinley, San Jose"


def test_oaklands_equity_pledge_is_a_local_compact_without_a_signing_year(seeded, db):
    compact = Compact.objects.get(city__slug="oakland")
    assert (compact.program, compact.name, compact.signing_year) == (
        "other_local",
        "Equity Pledge",
        None,
    )
    assert City.objects.get(slug="oakland").kind == City.Kind.OTHER_LOCALITY


def test_a_missing_star_marker_is_an_inferred_no_with_reasoning(seeded, db):
    compact = Compact.objects.get(city__slug="baltimore")
    assert compact.significant_funding is False
    citation = compact.citations.get(field="significant_funding")
    assert citation.provenance == "inferred"
    assert "marker" in citation.reasoning


def test_the_six_stages_are_ordered_and_the_baseline_name_is_inferred(seeded, db):
    names = list(Stage.objects.order_by("order").values_list("order", "name"))
    assert names == list(
        enumerate(["Baseline", "Emerging", "Basic", "Intermediate", "Advanced", "Embedded"])
    )
    baseline = Stage.objects.get(order=0)
    assert baseline.citations.get(field="name").provenance == "inferred"


def test_initiative_types_outside_figure_7_have_no_cost_or_benefit(seeded, db):
    placed = {t.key: (t.cost, t.benefit) for t in InitiativeType.objects.all() if t.in_figure_7}
    assert placed["shared-best-practices"] == ("low", "low")
    assert placed["co-location"] == ("high", "low")
    assert placed["special-education"] == ("low", "high")
    assert placed["common-enrollment"] == ("high", "high")
    for key in ("other", "data-sharing", "facilities"):
        assert key not in placed


def test_boston_and_new_orleans_are_advanced_as_stated_in_january_2017(seeded, db):
    for slug in ("boston", "new-orleans"):
        assessment = Assessment.objects.get(city__slug=slug)
        assert assessment.consensus_stage.key == "advanced"
        assert assessment.period_start == JANUARY_2017
        assert assessment.period_precision == "month"
        assert assessment.stage_provenance == "stated"
        assert assessment.is_published


def test_central_falls_chicago_and_denver_are_inferred_intermediate_with_low_confidence(seeded, db):
    for slug in ("central-falls", "chicago", "denver"):
        assessment = Assessment.objects.get(city__slug=slug)
        assert assessment.consensus_stage.key == "intermediate"
        assert assessment.period_start == JANUARY_2017
        assert assessment.stage_provenance == "inferred"
        assert assessment.stage_reasoning
        assert assessment.stage_confidence == "low"
        assert assessment.is_published


def test_no_other_city_has_an_assessment(seeded, db):
    assessed = set(Assessment.objects.values_list("city__slug", flat=True))
    assert assessed == {"boston", "new-orleans", "central-falls", "chicago", "denver"}
