"""`manage.py seed` is idempotent, and bad fixtures fail loudly without writing anything."""

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cities.models import City
from seed.seeding import FixtureError, seed_database
from sources.models import Citation, Source

FIXTURES = Path(settings.FIXTURE_DIRS[0])


def _snapshot() -> dict[str, list[dict]]:
    """Every row of every project model (history tables included), in a comparable form."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"sources", "cities", "compacts", "workspace"}
    ]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


def _record(records, **match):
    return next(r for r in records if all(r.get(k) == v for k, v in match.items()))


def test_seeding_twice_leaves_every_row_and_field_unchanged(seeded):
    # `seeded` holds what the session's first seed on the empty database wrote.
    first = _snapshot()
    out = StringIO()
    call_command("seed", stdout=out)
    assert _snapshot() == first
    assert len(first["cities.City"]) > 23
    total = sum(seeded.values())
    summary = f"Seed: 0 created, 0 updated, 0 removed, 0 conflicts left as they are ({total} "
    assert out.getvalue().startswith(summary)  # the first line says nothing changed


def test_a_constraint_breaking_record_fails_naming_file_and_record_and_writes_nothing(
    db, broken_fixtures, settings
):
    def break_boston(records):
        _record(records, slug="boston")["compact"]["signing_year"] = 1800

    settings.FIXTURE_DIRS = [broken_fixtures("cities.yaml", break_boston)]
    with pytest.raises(CommandError) as error:
        call_command("seed")
    message = str(error.value)
    assert "cities.yaml" in message
    assert "boston" in message
    assert "nothing was written" in message
    # sources.yaml loads before cities.yaml: its rows must have been rolled back too.
    assert Source.objects.count() == 0
    assert City.objects.count() == 0
    assert Citation.objects.count() == 0


def test_a_misquoted_citation_is_refused(db, broken_fixtures):
    def misquote(records):
        _record(records, key="baseline")["citations"][0]["quote"] = "words nobody wrote"

    with pytest.raises(FixtureError, match=r"stages\.yaml, record 1 \(baseline\).*quote is not in"):
        seed_database(fixture_dir=broken_fixtures("stages.yaml", misquote))
    assert Source.objects.count() == 0


def test_an_unknown_field_is_refused(db, broken_fixtures):
    def typo(records):
        _record(records, key="basic")["colour"] = "blue"

    with pytest.raises(FixtureError, match=r"stages\.yaml.*basic.*colour"):
        seed_database(fixture_dir=broken_fixtures("stages.yaml", typo))


def test_a_reference_to_an_unknown_city_is_refused(db, broken_fixtures):
    def stray(records):
        records[0]["city"] = "atlantis"

    with pytest.raises(FixtureError, match=r"assessments\.yaml, record 1.*atlantis"):
        seed_database(fixture_dir=broken_fixtures("assessments.yaml", stray))


def test_an_inferred_citation_without_reasoning_is_refused(db, broken_fixtures):
    def unreasoned(records):
        citation = _record(records, slug="baltimore")["compact"]["citations"][3]
        assert citation["provenance"] == "inferred"
        del citation["reasoning"]

    with pytest.raises(FixtureError, match=r"cities\.yaml, record 1 \(baltimore\), citation 4"):
        seed_database(fixture_dir=broken_fixtures("cities.yaml", unreasoned))


def test_a_reseed_after_an_edit_updates_in_place(seeded, broken_fixtures):
    cities = City.objects.count()

    def rename(records):
        _record(records, slug="atlanta")["collaboration_summary"] = "Edited summary"

    seed_database(fixture_dir=broken_fixtures("cities.yaml", rename))
    assert City.objects.count() == cities
    assert City.objects.get(slug="atlanta").collaboration_summary == "Edited summary"


def test_a_duplicate_the_database_refuses_names_file_and_record_and_writes_nothing(
    db, broken_fixtures
):
    # Uniqueness is left to PostgreSQL's constraints; the refusal still names the record.
    def clash(records):
        _record(records, key="emerging")["order"] = 0  # baseline's

    with pytest.raises(FixtureError, match=r"stages\.yaml, record 2 \(emerging\).*Order"):
        seed_database(fixture_dir=broken_fixtures("stages.yaml", clash))
    assert Source.objects.count() == 0


def test_a_first_seed_prints_counts_per_model_and_costs_no_query_per_check_or_lookup(
    db, django_assert_max_num_queries
):
    # One seed of the empty database for both (it is the costly part; the command passes
    # its stdout through, see test_seeding_twice_leaves_every_row_and_field_unchanged).
    # About three queries a record (savepoint, insert, release) and citations in bulk; a
    # reseed reads each table once and writes nothing.
    out = StringIO()
    with CaptureQueriesContext(connection) as queries:
        counts = seed_database(fixture_dir=FIXTURES, stdout=out)
    assert "cities.City" in out.getvalue()
    assert "sources.Citation" in out.getvalue()
    records = sum(counts.values()) - counts["sources.Citation"]
    assert records > 500
    assert len(queries) < 4 * records
    with django_assert_max_num_queries(30):
        seed_database(fixture_dir=FIXTURES)


def test_the_seed_can_try_a_copy_of_the_fixtures_named_on_the_command_line(
    db, broken_fixtures, tmp_path
):
    def move(records):
        _record(records, slug="tulsa")["compact"]["signing_year"] = 2015

    with pytest.raises(CommandError, match=r"nothing was written.*\(tulsa\).*signing_year"):
        call_command("seed", fixtures=str(broken_fixtures("cities.yaml", move)))
    with pytest.raises(CommandError, match="No folder"):
        call_command("seed", fixtures=str(tmp_path / "missing"))
    assert City.objects.count() == 0
