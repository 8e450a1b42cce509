"""The codebook: every table of a release and every field of it, with what it means.

``TABLES`` is the current format of the package (``FORMAT``); datapackage.json, the README
and the release pages are all written from it. A format number goes up whenever a table or
a field is added, so that a reader (and an older release's page) can tell what a package
holds: releases are never rewritten, and the page of an older one lists what it lacks.
"""

from __future__ import annotations

from dataclasses import dataclass

from charts.claims import CLAIM_COLUMNS

# Format 1 (until December 2026): nine tables, no format number in datapackage.json.
# Format 2: every public table and every public citation (see docs/releases.md).
# Format 3: how sure each stage is (the claim columns on assessments) and a standings table
# with each city's loss status as of the release date.
FORMAT = 3
FORMAT_KEY = "compact_tracker_format"  # in datapackage.json; absent means format 1


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
    # (field, resource, field there): each a foreign key the validator checks.
    references: tuple[tuple[str, str, str], ...] = ()

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"


def _f(name, type_, description, required=False) -> Field:
    return Field(name, type_, description, required)


def _city_of(field: str = "city") -> tuple[str, str, str]:
    return (field, "cities", "slug")


CITY = _f("city", "string", "The city's slug (cities.slug).", True)
ID = _f("id", "integer", "Identifier of the row within this release (cited as record).", True)
CITIES = _f("cities", "string", "Slugs of the cities concerned, separated by spaces.")
PRECISION = "day, month, quarter, year or unknown"

# The claim columns (charts.claims.CLAIM_COLUMNS), as every CSV and the API name them.
CLAIM_FIELDS = {
    "basis": _f(
        "basis",
        "string",
        "stated (a source states the stage), inferred (inferred from a source) or rated"
        " (researchers' reconciled ratings).",
        True,
    ),
    "confidence": _f("confidence", "string", "low, medium or high; blank when not given."),
    "stage_document": _f(
        "stage_document",
        "string",
        "The document a stated or inferred stage comes from (its primary citation).",
    ),
    "rating_count": _f(
        "rating_count",
        "integer",
        "How many researchers had rated the assessment when it was published (their ratings"
        " as they stood then); blank when no researcher published it (a stage from a"
        " document): not rated, never 0.",
    ),
    "rating_low_stage": _f(
        "rating_low_stage", "string", "The lowest stage a researcher rated; blank: not rated."
    ),
    "rating_high_stage": _f(
        "rating_high_stage", "string", "The highest stage a researcher rated; blank: not rated."
    ),
    "rating_agreement": _f(
        "rating_agreement",
        "string",
        "single (one rating), all_agree, one_stage_apart or split (two or more stages"
        " apart); blank when not rated. Never who rated what.",
    ),
    "evidence_district_interviews": _f(
        "evidence_district_interviews",
        "integer",
        "District-side interviews the ratings cite, at publication; blank when not recorded.",
    ),
    "evidence_charter_interviews": _f(
        "evidence_charter_interviews",
        "integer",
        "Charter-side interviews the ratings cite, at publication; blank when not recorded.",
    ),
    "evidence_sources": _f(
        "evidence_sources",
        "integer",
        "Sources with a substantive quote found in or verified against the source, plus"
        " the documents cited for the stage itself.",
    ),
}

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
        "city_notes",
        "City notes",
        "Facts about a city that fit no other field (e.g. district and city boundaries differ).",
        (ID, CITY, _f("text", "string", "The note.", True)),
        primary_key=("id",),
        references=(_city_of(),),
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
            _f("grant_note", "string", "What the documents say about the grant."),
        ),
        primary_key=("city",),
        references=(_city_of(),),
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
            CLAIM_FIELDS["basis"],
            CLAIM_FIELDS["confidence"],
            _f("reasoning", "string", "Why an inferred stage was inferred."),
            _f("published_at", "string", "When it was published (ISO 8601)."),
            *(CLAIM_FIELDS[name] for name in CLAIM_COLUMNS if name not in ("basis", "confidence")),
        ),
        primary_key=("city", "period_start"),
        references=(_city_of(),),
    ),
    Table(
        "standings",
        "Standings as of the release date",
        "Every city's current and peak published stage on the release date and how sure a"
        " loss of ground is (the dashboard's definition).",
        (
            CITY,
            _f("as_of", "date", "The release date the standing is computed for.", True),
            _f("current_stage", "string", "The latest published stage; blank: not assessed."),
            _f("current_period", "string", "The period that stage was assessed for."),
            _f("peak_stage", "string", "The highest published stage up to then."),
            _f(
                "loss_status",
                "string",
                "yes (current below peak, both firm: stated, or rated with medium or high"
                " confidence), possible (below peak, one of them inferred or of low"
                " confidence), reported (a document names the city as having lost ground and"
                " no firm stage says otherwise), no (at its peak) or unknown (no stage).",
                True,
            ),
        ),
        primary_key=("city",),
        references=(_city_of(),),
    ),
    Table(
        "revisions",
        "Revision log",
        "Every publication, withdrawal and change of a published stage, with its public"
        " reason (as the revision feeds show it).",
        (
            ID,
            CITY,
            _f("logged_on", "date", "When it was logged.", True),
            _f("period", "string", "The assessment's period as shown.", True),
            _f("action", "string", "published, stage_changed or unpublished.", True),
            _f("stage_before", "string", "The stage before; blank for a first publication."),
            _f("stage_after", "string", "The stage after; blank for a withdrawal."),
            _f("reason", "string", "Why, as published.", True),
        ),
        primary_key=("id",),
        references=(_city_of(),),
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
            _f(
                "naming",
                "string",
                "named (the text names the city with this direction) or candidate (the"
                " direction is inferred; counts of named cities leave candidates out).",
                True,
            ),
            _f("summary", "string", "The finding.", True),
            _f("period_start", "date", "Start of the period it describes; blank if undated."),
            _f("period_precision", "string", f"Precision of period_start: {PRECISION}.", True),
            _f("period_as_written", "string", "The period as the document gives it."),
        ),
        primary_key=("key",),
        references=(_city_of(),),
    ),
    Table(
        "initiative_types",
        "Initiative types (Figure 7)",
        "The report's categories of collaboration, placed by cost and benefit as in its"
        " Figure 7; a type Figure 7 does not place has blank cost and benefit.",
        (
            _f("key", "string", "Identifier.", True),
            _f("label", "string", "Name.", True),
            _f("cost", "string", "Figure 7's cost: low or high; blank if not placed."),
            _f("benefit", "string", "Figure 7's benefit: low or high; blank if not placed."),
            _f("description", "string", "What the type covers."),
        ),
        primary_key=("key",),
    ),
    Table(
        "initiatives",
        "Initiatives",
        "Concrete collaboration projects of a city, with their latest recorded status.",
        (
            _f("key", "string", "Identifier.", True),
            _f("city", "string", "The city's slug; blank for a network's initiative."),
            _f("network", "string", "The charter network or program it belongs to, if no city's."),
            _f("type", "string", "The initiative type's label (Figure 7 category).", True),
            _f("type_key", "string", "The initiative type (initiative_types.key).", True),
            _f("title", "string", "Title.", True),
            _f("description", "string", "What it is."),
            _f("start_year", "integer", "Year begun; blank if unknown."),
            _f("end_year", "integer", "Year ended; blank if unknown or ongoing."),
            _f("years_as_written", "string", "The years as the documents give them."),
            _f("status", "string", "Latest status: active, achieved, stalled, abandoned, unknown."),
        ),
        primary_key=("key",),
        references=(_city_of(), ("type_key", "initiative_types", "key")),
    ),
    Table(
        "initiative_statuses",
        "Initiative statuses",
        "An initiative's status as of a year; the latest is its status in initiatives.",
        (
            ID,
            _f("initiative", "string", "The initiative (initiatives.key).", True),
            _f("status", "string", "active, achieved, stalled, abandoned or unknown.", True),
            _f("as_of_year", "integer", "The year it held; blank if undated."),
            _f("note", "string", "What the documents say."),
        ),
        primary_key=("id",),
        references=(("initiative", "initiatives", "key"),),
    ),
    Table(
        "initiative_figures",
        "Initiative figures",
        "Numbers the documents give about an initiative (e.g. 10 of 20 center programs moved).",
        (
            ID,
            _f("initiative", "string", "The initiative (initiatives.key).", True),
            _f("metric", "string", "What is counted or measured.", True),
            _f("value", "number", "The number.", True),
            _f("as_of_year", "integer", "The year it describes; blank if not given."),
        ),
        primary_key=("id",),
        references=(("initiative", "initiatives", "key"),),
    ),
    Table(
        "events",
        "Events",
        "Dated happenings that help explain progress or backsliding.",
        (
            _f("key", "string", "Identifier.", True),
            CITIES,
            _f("kind", "string", "The event type.", True),
            _f("title", "string", "Title.", True),
            _f("description", "string", "What happened."),
            _f(
                "occurred_on", "date", "Date (its first day for a month or year); blank if unknown."
            ),
            _f("date_precision", "string", f"Precision of occurred_on: {PRECISION}.", True),
            _f("date_as_written", "string", "The date as the documents give it."),
            _f("date_is_approximate", "boolean", 'The documents give the date loosely ("about").'),
        ),
        primary_key=("key",),
    ),
    Table(
        "context_factors",
        "Context factors",
        "Conditions that make collaboration harder in a city (Collision Course, Table 2).",
        (
            ID,
            CITY,
            _f(
                "kind",
                "string",
                "district_enrollment_loss, weak_charter_sector, unfavorable_politics or other.",
                True,
            ),
            _f("description", "string", "What the documents say."),
        ),
        primary_key=("id",),
        references=(_city_of(),),
    ),
    Table(
        "published_figures",
        "Published figures",
        "Aggregates the documents publish, e.g. 7 cities at Basic in January 2017, and how"
        " each compares with the data. Counts derived by this site are not published figures"
        " and are left out.",
        (
            _f("key", "string", "Identifier.", True),
            _f("value", "integer", "The number; blank when the text gives none."),
            _f("value_as_written", "string", 'The figure in words, e.g. "nearly half".'),
            _f("unit", "string", "What is counted."),
            _f("scope", "string", "Of what.", True),
            _f("stage", "string", "The stage counted, if any."),
            _f("as_of", "date", "The date it describes; blank if unknown."),
            _f("as_of_precision", "string", f"Precision of as_of: {PRECISION}.", True),
            _f("as_of_as_written", "string", "The date as the document gives it."),
            _f("named_cities", "string", "Slugs of the cities it names, separated by spaces."),
            _f("note", "string", "A remark on the figure."),
            _f(
                "comparison",
                "string",
                "How it compares with the data: comparable (the data records the same"
                " quantity), partial (the text gives a count but not which cities) or context"
                " (the data has no counterpart).",
                True,
            ),
            _f(
                "compares",
                "string",
                "The recorded quantity it is compared with; blank for context.",
            ),
            _f("range_low", "number", "For a figure in words: the lowest value it can mean."),
            _f("range_high", "number", "For a figure in words: the highest value it can mean."),
            _f("comparison_note", "string", "What a partial figure lacks, or why it is context."),
        ),
        primary_key=("key",),
    ),
    Table(
        "research_findings",
        "Research findings",
        "What the reports conclude beyond any one city: enabling conditions, political"
        " motivators, strategies and recommendations.",
        (
            _f("key", "string", "Identifier.", True),
            _f(
                "kind",
                "string",
                "enabling_condition, motivator, strategy or recommendation.",
                True,
            ),
            _f("group", "string", 'A subdivision the document makes, e.g. "Transactional".'),
            _f("title", "string", "The finding.", True),
            _f("summary", "string", "In our words."),
            _f("position", "integer", "Order within its kind, as in the document.", True),
            _f("example_cities", "string", "Slugs of the cities it gives as examples."),
        ),
        primary_key=("key",),
    ),
    Table(
        "discrepancies",
        "Discrepancies",
        "Where the documents disagree, and which reading the data follows.",
        (
            _f("key", "string", "Identifier.", True),
            _f(
                "kind",
                "string",
                "inconsistency (the documents disagree) or reading_note (a difference of wording"
                " or scope, not of fact).",
                True,
            ),
            _f("summary", "string", "What disagrees.", True),
            _f("resolution", "string", "What the data follows, and why."),
            CITIES,
        ),
        primary_key=("key",),
    ),
    Table(
        "sources",
        "Sources",
        "The documents facts are drawn from, with their bibliographic data (not their text).",
        (
            _f("key", "string", "Identifier.", True),
            _f("title", "string", "Title.", True),
            _f("authors", "string", "Authors."),
            _f("publisher", "string", "Publisher."),
            _f(
                "kind",
                "string",
                "report, brief, commentary, web_page, meeting_packet, article or other.",
                True,
            ),
            _f("published_on", "date", "Publication date (its first day for a month or year)."),
            _f("date_precision", "string", f"Precision of published_on: {PRECISION}.", True),
            _f("date_as_written", "string", "The date as the document gives it."),
            _f(
                "known_no_earlier_than",
                "date",
                "For a document that prints no date: the first day of the month it is known"
                " to come from no earlier than (cited).",
            ),
            _f("url", "string", "Where to read it."),
        ),
        primary_key=("key",),
    ),
    Table(
        "citations",
        "Citations",
        "Where each fact comes from: source, exact quote, location, stated or inferred.",
        (
            _f("record_table", "string", "The table of the fact (e.g. cities, assessments).", True),
            _f(
                "record",
                "string",
                "The fact's identifier in that table: its key, slug, order or id; for an"
                ' assessment "city period_start"; for a compact the city.',
                True,
            ),
            _f("field", "string", "The field it supports; blank for the whole record."),
            _f("source", "string", "The source document's title.", True),
            _f("source_key", "string", "The source (sources.key).", True),
            _f("quote", "string", "A short exact excerpt of the source.", True),
            _f("location", "string", "Where in the source (section, table, page)."),
            _f("provenance", "string", "stated (the text states it) or inferred.", True),
            _f("reasoning", "string", "Why an inferred fact was inferred."),
            _f("is_primary", "boolean", "The main quote (false: further evidence beside it)."),
        ),
        references=(("source_key", "sources", "key"),),
    ),
)

BY_NAME = {table.name: table for table in TABLES}
