"""A release holds every public table and every public citation, and nothing confidential."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType

from compacts.models import (
    Assessment,
    FigureKind,
    InitiativeType,
    PublishedFigure,
)
from compacts.stored import refresh_stale
from releases import codebook, contents, package, services
from releases.models import Release
from sources.models import Citation, Source, cited_models
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    PublishedFigureFactory,
    RevisionLogEntryFactory,
    SourceFactory,
    cite,
    make_stages,
    user_with_role,
)
from workspace.models import RevisionRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_release(seed_snapshot, db):
    seed_snapshot.restore()  # the rows `manage.py seed` writes, seeded once per session
    release = services.release_create(
        user=user_with_role("lead", "release-lead"), number="2026.1", note="The seed data."
    )
    return {file.name: bytes(file.content) for file in release.files.all()}


def _rows(files, table: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"data/{table}.csv"].decode())))


def _public_citations():
    """Every citation whose target is public: all but those of unpublished assessments and
    of the site's derived counts (which are no document's figures)."""
    drafts = Assessment.objects.exclude(status="published").values("pk")
    derived = PublishedFigure.objects.filter(kind=FigureKind.DERIVED).values("pk")
    return Citation.objects.exclude(**_of(Assessment, drafts)).exclude(
        **_of(PublishedFigure, derived)
    )


def _of(model, pks) -> dict:
    return {"content_type": ContentType.objects.get_for_model(model), "object_id__in": pks}


def test_every_cited_model_is_a_table_of_the_release():
    assert set(cited_models()) == set(contents.CITED)
    assert {table for table, _, _ in contents.CITED.values()} <= set(codebook.BY_NAME)


def test_a_release_of_the_seed_data_holds_every_public_citation(seed_release):
    exported = _rows(seed_release, "citations")
    public = _public_citations().select_related("source")

    assert len(exported) == public.count() > 800
    assert sorted((r["source_key"], r["field"], r["quote"]) for r in exported) == sorted(
        (c.source.key, c.field, c.quote) for c in public
    )


def test_a_release_of_the_seed_data_holds_a_row_in_every_table(seed_release):
    empty = [t.name for t in codebook.TABLES if not _rows(seed_release, t.name)]
    assert empty == ["revisions"]  # nobody has published through the site in the seed data


def test_figure_7_levels_and_each_figure_s_comparison_kind_are_in_the_release(seed_release):
    levels = {r["key"]: (r["cost"], r["benefit"]) for r in _rows(seed_release, "initiative_types")}
    kinds = {r["key"]: r["comparison"] for r in _rows(seed_release, "published_figures")}

    assert levels == {
        k: (c, b) for k, c, b in InitiativeType.objects.values_list("key", "cost", "benefit")
    }
    assert levels["shared-advocacy"] == ("low", "high")
    assert kinds == dict(contents.published_figures().values_list("key", "comparison"))


def test_sources_go_in_with_their_metadata_but_never_their_full_text(seed_release):
    sources = {r["key"]: r for r in _rows(seed_release, "sources")}
    longest = max(Source.objects.exclude(text=""), key=lambda s: len(s.text))
    passage = longest.text[len(longest.text) // 2 :][:300]

    assert sources[longest.key]["title"] == longest.title
    assert "text" not in sources[longest.key]
    assert not any(passage.encode() in content for content in seed_release.values())


def test_a_source_only_the_workspace_or_a_draft_uses_stays_out_of_the_release():
    stages = make_stages()
    denver = CityFactory(name="Denver", slug="denver")
    cite(denver, source=SourceFactory(key="public-report"), quote="Denver signed")
    draft = AssessmentFactory(
        city=denver, consensus_stage=stages["Basic"], status="draft", published_at=None
    )
    cite(draft, source=SourceFactory(key="draft-only-memo"), quote="a draft's evidence")
    SourceFactory(key="workspace-upload")  # added by a researcher, cited by nothing public
    release = services.release_create(user=user_with_role("lead"), number="2026.1", note="x")

    sources = bytes(release.files.get(name="data/sources.csv").content).decode()
    assert "public-report" in sources
    assert "draft-only-memo" not in sources
    assert "workspace-upload" not in sources


def test_every_field_of_every_table_is_described_in_the_codebook(seed_release):
    descriptor = json.loads(seed_release["datapackage.json"])
    undescribed = [
        f"{resource['name']}.{field['name']}"
        for resource in descriptor["resources"]
        for field in resource["schema"]["fields"]
        if not field.get("description", "").strip()
    ]
    readme = seed_release["README.md"].decode()

    assert undescribed == []
    assert all(f"### {table.path}" in readme for table in codebook.TABLES)


def test_a_derived_count_is_never_exported_as_a_published_figure():
    figure = PublishedFigureFactory(key="stage-count-derived", kind=FigureKind.DERIVED)
    cite(figure, source=SourceFactory(), quote="worked out from the other counts")
    services.release_create(user=user_with_role("lead"), number="2026.1", note="Derived.")

    files = {f.name: bytes(f.content) for f in Release.objects.get().files.all()}
    assert b"stage-count-derived" not in files["data/published_figures.csv"]
    assert b"stage-count-derived" not in files["data/citations.csv"]


def test_the_releases_doc_names_every_table_and_field_of_the_codebook():
    doc = (Path(__file__).parents[2] / "docs" / "releases.md").read_text()
    rows = {line.split("|")[1].strip(" `"): line for line in doc.splitlines() if "| `" in line}

    for table in codebook.TABLES:
        assert table.name in rows, table.name
        missing = [f.name for f in table.fields if f"`{f.name}`" not in rows[table.name]]
        assert missing == [], table.name


@pytest.mark.parametrize("with_seed_data", [False, True])
def test_building_a_package_costs_a_fixed_number_of_queries(
    request, with_seed_data, django_assert_max_num_queries
):
    if with_seed_data:
        request.getfixturevalue("seeded")
    refresh_stale()  # the stored standings current, as after the first read since a change
    # Two per table and cited model, and one check that the stored standings are current,
    # whatever the size.
    with django_assert_max_num_queries(41):
        package.build(number="2026.1", note="Queries.", created="2026-12-01T00:00:00+00:00")


def test_the_revision_log_goes_in_without_who_recorded_it_or_any_coverage_override():
    recorder = user_with_role("lead", "recording-lead")
    RevisionRecord.objects.create(
        entry=RevisionLogEntryFactory(
            city=CityFactory(name="Denver", slug="denver"), reason="Both sides interviewed."
        ),
        coverage_override_reason="Only one side would talk to us.",
        recorded_by=recorder,
    )
    release = services.release_create(user=user_with_role("lead"), number="2026.1", note="x")

    files = {f.name: bytes(f.content) for f in release.files.all()}
    assert b"Both sides interviewed." in files["data/revisions.csv"]
    assert not any(b"Only one side" in content for content in files.values())
    assert not any(b"recording-lead" in content for content in files.values())
