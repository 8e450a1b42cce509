"""Moving models between apps keeps every row: a database at the schema before the split
(sources, interviews, ratings and evidence in compacts) migrates forward with its rows,
history rows, citations and admin log entries intact, and back again."""

import datetime

import pytest
from django.db import connection

BEFORE_SPLIT = [("compacts", "0004_assessment_stage_basis"), ("cities", "0001_initial")]
AFTER_SPLIT = [("sources", "0002_rename_tables"), ("workspace", "0002_rename_tables")]

MOVED_TABLES = {
    # table before the split -> table after it
    "compacts_source": "sources_source",
    "compacts_citation": "sources_citation",
    "compacts_interview": "workspace_interview",
    "compacts_rating": "workspace_rating",
    "compacts_evidence": "workspace_evidence",
    "compacts_historicalinterview": "workspace_historicalinterview",
    "compacts_historicalrating": "workspace_historicalrating",
    "compacts_historicalevidence": "workspace_historicalevidence",
}
KEPT_TABLES = [
    "compacts_assessment",
    "compacts_revisionlogentry",
    "cities_city",
    "django_admin_log",
]


def _checksum(table: str) -> tuple[int, str]:
    """Row count and an md5 over every row (ordered by id) of ``table``."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), ''))"
            f" FROM {connection.ops.quote_name(table)} t"
        )
        return cursor.fetchone()


def _fill_a_database_at_the_old_schema(apps) -> None:
    """Seed-like rows plus research work, written through the old models."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    User = apps.get_model("auth", "User")
    LogEntry = apps.get_model("admin", "LogEntry")
    City = apps.get_model("cities", "City")
    Stage = apps.get_model("compacts", "Stage")
    Assessment = apps.get_model("compacts", "Assessment")
    Source = apps.get_model("compacts", "Source")
    Citation = apps.get_model("compacts", "Citation")
    Interview = apps.get_model("compacts", "Interview")
    Rating = apps.get_model("compacts", "Rating")
    Evidence = apps.get_model("compacts", "Evidence")
    RevisionLogEntry = apps.get_model("compacts", "RevisionLogEntry")

    def content_type(app_label, model):
        return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]

    lead = User.objects.create(username="lead", password="!")
    city = City.objects.create(
        slug="boston", name="Boston", state="MA", entity_name="Boston", kind="compact_city"
    )
    stages = [
        Stage.objects.create(order=order, key=f"s{order}", name=f"Stage {order}", description="d")
        for order in range(6)
    ]
    source = Source.objects.create(
        key="report", title="A report", kind="report", date_precision="unknown"
    )
    assessment = Assessment.objects.create(
        city=city,
        period_start=datetime.date(2017, 1, 1),
        period_precision="year",
        consensus_stage=stages[4],
        stage_provenance="rated",
        status="published",
        published_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
        consensus_note="confidential note",
    )
    for target, model in [(city, ("cities", "city")), (assessment, ("compacts", "assessment"))]:
        Citation.objects.create(
            content_type=content_type(*model),
            object_id=target.pk,
            source=source,
            quote="a quote",
            provenance="stated",
        )
    Citation.objects.create(
        content_type=content_type("compacts", "source"),
        object_id=source.pk,
        source=source,
        quote="the source itself",
        provenance="stated",
    )
    interview = Interview.objects.create(
        city=city,
        conducted_on=datetime.date(2016, 11, 2),
        interviewee_role="Superintendent",
        sector="district",
        interviewer=lead,
        notes="confidential notes",
    )
    rating = Rating.objects.create(
        assessment=assessment, rater=lead, stage=stages[4], rationale="why", confidence="high"
    )
    evidence = Evidence.objects.create(rating=rating, interview=interview)
    Evidence.objects.create(rating=rating, source=source, quote="a quote", location="p. 3")
    history_time = datetime.datetime(2026, 1, 4, tzinfo=datetime.UTC)
    for model_name, row in [("Interview", interview), ("Rating", rating), ("Evidence", evidence)]:
        history = apps.get_model("compacts", f"Historical{model_name}")
        fields = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
        history.objects.create(
            **fields, history_date=history_time, history_type="+", history_user=lead
        )
    RevisionLogEntry.objects.create(
        city=city,
        assessment=assessment,
        period_label="2017",
        action="published",
        logged_on=datetime.date(2026, 1, 5),
        stage_after=stages[4],
        reason="Published",
        coverage_override_reason="override",
        recorded_by=lead,
    )
    LogEntry.objects.create(
        user=lead,
        content_type=content_type("compacts", "interview"),
        object_id=str(interview.pk),
        object_repr="interview",
        action_flag=2,
    )


@pytest.mark.django_db(transaction=True)
def test_splitting_the_apps_keeps_every_row_history_row_and_citation(migrator):
    old_state = migrator.apply_initial_migration(BEFORE_SPLIT)
    assert "source" in old_state.apps.get_app_config("compacts").models
    _fill_a_database_at_the_old_schema(old_state.apps)
    before = {table: _checksum(table) for table in [*MOVED_TABLES, *KEPT_TABLES]}
    assert all(count > 0 for count, _ in before.values())

    new_state = migrator.apply_tested_migration(AFTER_SPLIT)

    for old, new in MOVED_TABLES.items():
        assert _checksum(new) == before[old], f"{old} -> {new}"
    for table in KEPT_TABLES:
        assert _checksum(table) == before[table], table
    # Generic citations and admin log entries still resolve to the moved models' rows.
    Citation = new_state.apps.get_model("sources", "Citation")
    Source = new_state.apps.get_model("sources", "Source")
    cited = {(c.content_type.app_label, c.content_type.model) for c in Citation.objects.all()}
    assert cited == {("cities", "city"), ("compacts", "assessment"), ("sources", "source")}
    source_citation = Citation.objects.get(content_type__model="source")
    assert Source.objects.filter(pk=source_citation.object_id).exists()
    LogEntry = new_state.apps.get_model("admin", "LogEntry")
    assert LogEntry.objects.get().content_type.app_label == "workspace"

    migrator.apply_tested_migration(BEFORE_SPLIT)

    for old in MOVED_TABLES:
        assert _checksum(old) == before[old], f"back to {old}"
