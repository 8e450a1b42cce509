"""The published data as a Frictionless Data Package: CSVs with a table schema each, a
README codebook with the stage rubric, datapackage.json and SHA-256 checksums.

Only published data goes in: published assessments, and citations of public records
(never of a draft assessment). Workspace data has no table here at all.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from charts.spreadsheet import SafeWriter
from cities.models import City, Event
from compacts.models import (
    Assessment,
    Compact,
    Initiative,
    PublishedFigure,
    Stage,
    TrajectoryFinding,
)
from sources.models import Citation

LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}
CHECKSUMS = "SHA256SUMS"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date
    description: str
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    city_key: str = ""  # a field that names a city (a foreign key to cities.slug)

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"


def _f(name, type_, description, required=False) -> Field:
    return Field(name, type_, description, required)


CITY = _f("city", "string", "The city's slug (cities.slug).", True)
TABLES = (
    Table(
        "cities",
        "Cities",
        "Localities the documents discuss: a city, county or school district as named.",
        (
            _f("slug", "string", "Stable identifier, used in URLs and by every other table.", True),
            _f("name", "string", "Name.", True),
            _f("state", "string", "Two-letter postal code.", True),
            _f("entity_name", "string", "The district or entity as the documents name it.", True),
            _f("kind", "string", "compact_city, florida_compact or other_locality.", True),
            _f("collaboration_summary", "string", "One line on the collaboration."),
        ),
        primary_key=("slug",),
    ),
    Table(
        "stages",
        "Stages",
        "The six maturity stages of cooperation, baseline (0) to Embedded (5): the rubric.",
        (
            _f("order", "integer", "0 (baseline) to 5 (Embedded).", True),
            _f("key", "string", "Identifier.", True),
            _f("name", "string", "Name.", True),
            _f("description", "string", "What the stage means, from the documents.", True),
        ),
        primary_key=("order",),
    ),
    Table(
        "compacts",
        "Compacts",
        "Each city's signed district-charter agreement; a city without one has no row.",
        (
            CITY,
            _f("program", "string", "gates_dccc, florida_doe or other_local.", True),
            _f("name", "string", "The agreement's own name, if any."),
            _f("signing_year", "integer", "Year signed; blank if unknown."),
            _f("signing_grant_usd", "integer", "Signing grant in US dollars; blank if unknown."),
            _f("significant_funding", "boolean", "Awarded more significant Gates funding."),
            _f("portfolio_at_signing", "boolean", "Moving toward a portfolio system at signing."),
            _f("parties", "string", "The parties that signed."),
        ),
        primary_key=("city",),
        city_key="city",
    ),
    Table(
        "assessments",
        "Published assessments",
        "A city's cooperation stage for a period. Published assessments only.",
        (
            CITY,
            _f("period_start", "date", "First day of the period assessed.", True),
            _f("period_precision", "string", "year, quarter or month.", True),
            _f("period", "string", "The period as shown: 2016, 2016 Q3 or December 2016.", True),
            _f("stage_order", "integer", "The consensus stage, 0 to 5 (stages.order).", True),
            _f("stage", "string", "The consensus stage's name.", True),
            _f(
                "basis",
                "string",
                "stated (a source states the stage), inferred (inferred from a source) or"
                " rated (researchers' reconciled ratings).",
                True,
            ),
            _f("confidence", "string", "low, medium or high; blank when not given."),
            _f("reasoning", "string", "Why an inferred stage was inferred."),
            _f("published_at", "string", "When it was published (ISO 8601)."),
        ),
        primary_key=("city", "period_start"),
        city_key="city",
    ),
    Table(
        "trajectory_findings",
        "Trajectory findings",
        "What a document says about a city's direction without naming a stage.",
        (
            _f("key", "string", "Identifier.", True),
            CITY,
            _f(
                "direction", "string", "lost_ground, stalled, mixed, progressed or sustained.", True
            ),
            _f("summary", "string", "The finding.", True),
            _f("period_start", "date", "Start of the period it describes; blank if undated."),
            _f("period_precision", "string", "Precision of period_start.", True),
            _f("period_as_written", "string", "The period as the document gives it."),
        ),
        primary_key=("key",),
        city_key="city",
    ),
    Table(
        "initiatives",
        "Initiatives",
        "Concrete collaboration projects of a city, with their latest recorded status.",
        (
            _f("key", "string", "Identifier.", True),
            _f("city", "string", "The city's slug; blank for a network's initiative."),
            _f("type", "string", "The initiative type (Figure 7 category).", True),
            _f("title", "string", "Title.", True),
            _f("start_year", "integer", "Year begun; blank if unknown."),
            _f("end_year", "integer", "Year ended; blank if unknown or ongoing."),
            _f("years_as_written", "string", "The years as the documents give them."),
            _f("status", "string", "Latest status: active, achieved, stalled, abandoned, unknown."),
        ),
        primary_key=("key",),
        city_key="city",
    ),
    Table(
        "events",
        "Events",
        "Dated happenings that help explain progress or backsliding.",
        (
            _f("key", "string", "Identifier.", True),
            _f("cities", "string", "Slugs of the cities concerned, separated by spaces."),
            _f("kind", "string", "The event type.", True),
            _f("title", "string", "Title.", True),
            _f(
                "occurred_on", "date", "Date (its first day for a month or year); blank if unknown."
            ),
            _f("date_precision", "string", "day, month, quarter, year or unknown.", True),
            _f("date_as_written", "string", "The date as the documents give it."),
        ),
        primary_key=("key",),
    ),
    Table(
        "published_figures",
        "Published figures",
        "Aggregates the documents publish, e.g. 7 cities at Basic in January 2017.",
        (
            _f("key", "string", "Identifier.", True),
            _f("value", "integer", "The number; blank when the text gives none."),
            _f("value_as_written", "string", 'The figure in words, e.g. "nearly half".'),
            _f("unit", "string", "What is counted."),
            _f("scope", "string", "Of what.", True),
            _f("stage", "string", "The stage counted, if any."),
            _f("as_of", "date", "The date it describes; blank if unknown."),
            _f("as_of_as_written", "string", "The date as the document gives it."),
            _f("named_cities", "string", "Slugs of the cities it names, separated by spaces."),
        ),
        primary_key=("key",),
    ),
    Table(
        "citations",
        "Citations",
        "Where each fact comes from: source, exact quote, location, stated or inferred.",
        (
            _f("record_table", "string", "The table of the fact (e.g. cities, assessments).", True),
            _f("record", "string", "The fact's identifier in that table.", True),
            _f("field", "string", "The field it supports; blank for the whole record."),
            _f("source", "string", "The source document's title.", True),
            _f("quote", "string", "A short exact excerpt of the source.", True),
            _f("location", "string", "Where in the source (section, table, page)."),
            _f("provenance", "string", "stated (the text states it) or inferred.", True),
            _f("reasoning", "string", "Why an inferred fact was inferred."),
        ),
    ),
)


def _csv(table: Table, rows) -> bytes:
    buffer = io.StringIO(newline="")
    writer = SafeWriter(buffer, lineterminator="\n")
    writer.writerow([field.name for field in table.fields])
    for row in rows:
        writer.writerow("" if value is None else _cell(value) for value in row)
    return buffer.getvalue().encode()


def _cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _rows() -> dict[str, list]:
    """Every table's rows from the published data, in a stable order."""
    published = Assessment.objects.published().select_related("city", "consensus_stage")
    figures = PublishedFigure.objects.select_related("stage").prefetch_related("named_cities")
    events = Event.objects.prefetch_related("cities").order_by("key")
    return {
        "cities": City.objects.order_by("slug").values_list(
            "slug", "name", "state", "entity_name", "kind", "collaboration_summary"
        ),
        "stages": Stage.objects.order_by("order").values_list(
            "order", "key", "name", "description"
        ),
        "compacts": Compact.objects.order_by("city__slug").values_list(
            "city__slug",
            "program",
            "name",
            "signing_year",
            "signing_grant_usd",
            "significant_funding",
            "portfolio_at_signing",
            "parties",
        ),
        "assessments": [
            (
                a.city.slug,
                a.period_start,
                a.period_precision,
                a.period_label,
                a.consensus_stage.order,
                a.consensus_stage.name,
                a.stage_provenance,
                a.stage_confidence,
                a.stage_reasoning,
                a.published_at,
            )
            for a in published.order_by("city__slug", "period_start")
        ],
        "trajectory_findings": TrajectoryFinding.objects.order_by("key").values_list(
            "key",
            "city__slug",
            "direction",
            "summary",
            "period_start",
            "period_precision",
            "period_as_written",
        ),
        "initiatives": Initiative.objects.with_current_status()
        .order_by("key")
        .values_list(
            "key",
            "city__slug",
            "type__label",
            "title",
            "start_year",
            "end_year",
            "years_as_written",
            "current_status",
        ),
        "events": [
            (
                e.key,
                " ".join(sorted(c.slug for c in e.cities.all())),
                e.kind,
                e.title,
                e.occurred_on,
                e.date_precision,
                e.date_as_written,
            )
            for e in events
        ],
        "published_figures": [
            (
                f.key,
                f.value,
                f.value_as_written,
                f.unit,
                f.scope,
                f.stage.name if f.stage else "",
                f.as_of,
                f.as_of_as_written,
                " ".join(sorted(c.slug for c in f.named_cities.all())),
            )
            for f in figures.order_by("key")
        ],
        "citations": list(_citation_rows(published)),
    }


# The public models whose citations go in, with the identifier each is known by.
CITED = {
    City: ("cities", lambda o: o.slug),
    Compact: ("compacts", lambda o: o.city.slug),
    Stage: ("stages", lambda o: str(o.order)),
    Assessment: ("assessments", lambda o: f"{o.city.slug} {o.period_start.isoformat()}"),
    TrajectoryFinding: ("trajectory_findings", lambda o: o.key),
    Initiative: ("initiatives", lambda o: o.key),
    Event: ("events", lambda o: o.key),
    PublishedFigure: ("published_figures", lambda o: o.key),
}


def _citation_rows(published_assessments):
    for model, (table, identify) in CITED.items():
        records = model.objects.all()
        if model is Assessment:
            records = published_assessments  # never a draft's citations
        if model in (Compact, Assessment):
            records = records.select_related("city")
        by_pk = {record.pk: record for record in records}
        citations = (
            Citation.objects.filter(content_type=ContentType.objects.get_for_model(model))
            .select_related("source")
            .order_by("object_id", "field", "id")
        )
        for c in citations:
            record = by_pk.get(c.object_id)
            if record is None:
                continue
            yield (
                table,
                identify(record),
                c.field,
                c.source.title,
                c.quote,
                c.location,
                c.provenance,
                c.reasoning,
            )


def _schema(table: Table) -> dict:
    schema: dict = {
        "fields": [
            {
                "name": f.name,
                "type": f.type,
                "description": f.description,
                **({"constraints": {"required": True}} if f.required else {}),
            }
            for f in table.fields
        ]
    }
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.city_key:
        schema["foreignKeys"] = [
            {
                "fields": [table.city_key],
                "reference": {"resource": "cities", "fields": ["slug"]},
            }
        ]
    return schema


def _readme(number: str, note: str, stages) -> bytes:
    lines = [
        f"# Compact Tracker data, release {number}",
        "",
        note,
        "",
        "The published data of Compact Tracker, which follows district-charter collaboration",
        "compacts across US cities. Every fact carries its source in citations.csv, stated",
        "or inferred. Drafts, ratings and interviews are never part of a release.",
        "",
        "## Stage rubric",
        "",
    ]
    lines += [f"{order}. **{name}**: {description}" for order, _, name, description in stages]
    lines += ["", "## Codebook", ""]
    for table in TABLES:
        lines += [f"### {table.path}", "", table.description, ""]
        lines += ["| field | type | meaning |", "| --- | --- | --- |"]
        lines += [f"| {f.name} | {f.type} | {f.description} |" for f in table.fields]
        lines.append("")
    lines += [f"Checksums: {CHECKSUMS} (SHA-256 of every file)."]
    return "\n".join(lines).encode()


def build(*, number: str, note: str, created: str) -> dict[str, bytes]:
    """The package's files, by path, for the data as it stands now."""
    rows = _rows()
    files = {table.path: _csv(table, rows[table.name]) for table in TABLES}
    files["README.md"] = _readme(number, note, rows["stages"])
    descriptor = {
        "name": "compact-tracker",
        "title": "Compact Tracker: district-charter collaboration compacts",
        "version": number,
        "created": created,
        "description": note,
        "licenses": [LICENSE],
        "resources": [
            {
                "name": table.name,
                "title": table.title,
                "description": table.description,
                "path": table.path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "hash": "sha256:" + hashlib.sha256(files[table.path]).hexdigest(),
                "bytes": len(files[table.path]),
                "schema": _schema(table),
            }
            for table in TABLES
        ],
    }
    files["datapackage.json"] = json.dumps(descriptor, indent=2).encode()
    files[CHECKSUMS] = "".join(
        f"{hashlib.sha256(content).hexdigest()}  {path}\n"
        for path, content in sorted(files.items())
    ).encode()
    return files
