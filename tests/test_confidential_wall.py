"""The wall between public and confidential tables.

The consensus note, the coverage-override reason and who recorded a revision live in the
workspace's own tables; no public model (and not User) has a relation into the workspace;
and the migration that moved them keeps every value, forward and back.
"""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection

PUBLIC_APPS = ("sources", "accounts", "cities", "compacts", "charts", "dashboard", "releases")
MOVED_COLUMNS = {"consensus_note", "coverage_override_reason", "recorded_by_id"}

BEFORE_MOVE = [
    ("compacts", "0006_findings_and_figure_comparisons"),
    ("workspace", "0003_evidence_quote_check"),
]
AFTER_MOVE = [("compacts", "0008_confidential_columns_moved_to_workspace")]


def _public_models():
    models = [
        m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in PUBLIC_APPS
    ]
    return [*models, get_user_model()]


def test_no_public_model_nor_user_has_a_relation_into_the_workspace():
    leaks = [
        f"{model.__name__}.{relation.get_accessor_name() or relation.name}"
        for model in _public_models()
        for relation in model._meta.get_fields(include_hidden=False)
        if relation.is_relation
        and relation.related_model is not None
        and relation.related_model._meta.app_label == "workspace"
    ]
    assert leaks == []


@pytest.mark.django_db
def test_no_public_table_has_a_confidential_column():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND column_name = ANY(%s)",
            [sorted(MOVED_COLUMNS)],
        )
        found = cursor.fetchall()
    assert [(table, column) for table, column in found if not table.startswith("workspace_")] == []


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = %s ORDER BY column_name",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]


def _checksum(table: str, leave_out: set[str] = frozenset()) -> tuple[int, str]:
    """Row count and an md5 over the rows of ``table``, each its columns in name order (a
    column dropped and re-added at the table's end checks the same), rows in text order."""
    columns = [c for c in _columns(table) if c not in leave_out]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(line, '|' ORDER BY line), ''))"
            f" FROM (SELECT row({quoted})::text AS line"
            f" FROM {connection.ops.quote_name(table)}) rows"
        )
        return cursor.fetchone()


def _all_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            " AND table_type = 'BASE TABLE' AND table_name <> 'django_migrations'"
        )
        return sorted(row[0] for row in cursor.fetchall())


def _fill_at_the_old_schema(apps_then) -> dict:
    """Assessments with notes and a history of them, revision-log entries with who recorded
    them and an override, citations and admin log entries, through the old models."""
    get = apps_then.get_model
    User = get("auth", "User")
    City, Stage, Assessment = (
        get("cities", "City"),
        get("compacts", "Stage"),
        get("compacts", "Assessment"),
    )
    HistoricalAssessment = get("compacts", "HistoricalAssessment")
    RevisionLogEntry = get("compacts", "RevisionLogEntry")
    Source, Citation = get("sources", "Source"), get("sources", "Citation")
    ContentType, LogEntry = get("contenttypes", "ContentType"), get("admin", "LogEntry")
    Rating = get("workspace", "Rating")

    lead = User.objects.create(username="lead", password="!")
    other = User.objects.create(username="other-lead", password="!")
    stages = [
        Stage.objects.create(order=n, key=f"s{n}", name=f"Stage {n}", description="d")
        for n in range(6)
    ]
    cities = [
        City.objects.create(
            slug=slug, name=slug.title(), state="MA", entity_name=slug, kind="compact_city"
        )
        for slug in ("boston", "denver")
    ]
    noted = Assessment.objects.create(
        city=cities[0], period_start=datetime.date(2017, 1, 1), period_precision="year",
        consensus_stage=stages[4], stage_provenance="rated", status="published",
        published_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
        consensus_note="second thoughts",
    )  # fmt: skip
    plain = Assessment.objects.create(
        city=cities[1], period_start=datetime.date(2016, 1, 1), period_precision="year",
        consensus_stage=stages[2], stage_provenance="rated", status="draft",
    )  # fmt: skip
    fields = {f.attname: getattr(noted, f.attname) for f in noted._meta.concrete_fields}
    # The note's story: none, then a first note by the lead, a change of stage that kept it,
    # then a second note by another lead.
    for day, user, kind, note in [
        (1, lead, "+", ""),
        (2, lead, "~", "first note"),
        (3, lead, "~", "first note"),
        (4, other, "~", "second thoughts"),
    ]:
        HistoricalAssessment.objects.create(
            **{**fields, "consensus_note": note},
            history_date=datetime.datetime(2026, 1, day, tzinfo=datetime.UTC),
            history_type=kind, history_user=user, history_change_reason=f"day {day}",
        )  # fmt: skip
    plain_fields = {f.attname: getattr(plain, f.attname) for f in plain._meta.concrete_fields}
    HistoricalAssessment.objects.create(
        **plain_fields, history_date=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC),
        history_type="+", history_user=lead,
    )  # fmt: skip
    entries = [
        RevisionLogEntry.objects.create(
            city=cities[0], assessment=noted, period_label="2017", action="published",
            logged_on=datetime.date(2026, 1, 5), stage_after=stages[4], reason="Published",
            coverage_override_reason="the charter side declined", recorded_by=lead,
        ),
        RevisionLogEntry.objects.create(
            city=cities[0], assessment=noted, period_label="2017", action="stage_changed",
            logged_on=datetime.date(2026, 2, 5), stage_before=stages[4], stage_after=stages[3],
            reason="New interviews", recorded_by=other,
        ),
    ]  # fmt: skip
    Rating.objects.create(
        assessment=plain, rater=lead, stage=stages[2], rationale="why", confidence="high"
    )
    source = Source.objects.create(
        key="report", title="A report", kind="report", date_precision="unknown"
    )
    content_type = ContentType.objects.get_or_create(app_label="compacts", model="assessment")[0]
    Citation.objects.create(
        content_type=content_type,
        object_id=noted.pk,
        source=source,
        quote="a quote",
        provenance="stated",
    )
    LogEntry.objects.create(
        user=lead,
        content_type=content_type,
        object_id=str(noted.pk),
        object_repr="a",
        action_flag=2,
    )
    return {
        "noted": noted.pk,
        "plain": plain.pk,
        "entries": [e.pk for e in entries],
        "lead": lead.pk,
        "other": other.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_moving_the_confidential_columns_keeps_every_value_forward_and_back(migrator):
    old_state = migrator.apply_initial_migration(BEFORE_MOVE)
    ids = _fill_at_the_old_schema(old_state.apps)
    start = {table: _checksum(table) for table in _all_tables()}
    kept = {table: _checksum(table, MOVED_COLUMNS) for table in start}

    new_state = migrator.apply_tested_migration(AFTER_MOVE)

    for table, before in kept.items():
        if table in start:  # every table that existed keeps its other columns as they were
            assert _checksum(table, MOVED_COLUMNS) == before, table
    get = new_state.apps.get_model
    ConsensusNote = get("workspace", "ConsensusNote")
    HistoricalConsensusNote = get("workspace", "HistoricalConsensusNote")
    RevisionRecord = get("workspace", "RevisionRecord")
    assert list(ConsensusNote.objects.values_list("assessment_id", "text")) == [
        (ids["noted"], "second thoughts")
    ]
    assert [
        (h.text, h.history_date.day, h.history_user_id, h.history_type, h.history_change_reason)
        for h in HistoricalConsensusNote.objects.order_by("history_date")
    ] == [
        ("first note", 2, ids["lead"], "+", "day 2"),
        ("second thoughts", 4, ids["other"], "~", "day 4"),
    ]
    assert sorted(
        RevisionRecord.objects.values_list("entry_id", "recorded_by_id", "coverage_override_reason")
    ) == [
        (ids["entries"][0], ids["lead"], "the charter side declined"),
        (ids["entries"][1], ids["other"], ""),
    ]

    migrator.apply_tested_migration(BEFORE_MOVE)

    assert {table: _checksum(table) for table in _all_tables()} == start


# Every column of the public assessment row. The publish snapshot (issue 21) adds counts,
# stage orders and an agreement word only: never who rated what, a rationale or a note.
PUBLIC_ASSESSMENT_COLUMNS = {
    "id",
    "city_id",
    "period_start",
    "period_precision",
    "consensus_stage_id",
    "stage_provenance",
    "stage_reasoning",
    "stage_confidence",
    "status",
    "published_at",
    "version",
    "rater_count",
    "rating_low_order",
    "rating_high_order",
    "rating_agreement",
    "evidence_district_interviews",
    "evidence_charter_interviews",
    "evidence_sources",
}


def test_the_public_assessment_row_holds_only_its_listed_public_columns():
    assessment = apps.get_model("compacts", "Assessment")
    assert {f.attname for f in assessment._meta.concrete_fields} == PUBLIC_ASSESSMENT_COLUMNS
