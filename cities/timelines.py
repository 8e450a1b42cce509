"""Stage timelines of cities: the rows the timeline chart draws, for the city page and
the dashboard alike. Published data only."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db.models import Subquery
from django.db.models.functions import Coalesce

from charts.rows import CityStage, Finding, SourcesNote, Timeline, TimelineEvent, TimelinePoint
from common import dates
from common.choices import DatePrecision, StageBasis
from common.sql import ids_in, values_rows
from compacts.claims import CLAIM_VALUES, claim_from_values, current_claims
from compacts.models import Assessment, Stage, TrajectoryFinding
from sources.models import citations_of_outer_row
from sources.selectors import source_titles

from .models import City, Event

TIMELINE_MAX_CITIES = 8


def city_timeline(
    *, slugs: Sequence[str], as_of: datetime.date
) -> tuple[Timeline, list[Stage], SourcesNote]:
    """Stage timelines of the named cities (in the order named) with their events, the
    stages for the axis and the sources behind them."""
    stages = list(Stage.objects.order_by("order"))
    queryset = City.objects.filter(slug__in=list(slugs)[:TIMELINE_MAX_CITIES]).with_stage_as_of(
        as_of
    )
    position = {slug: index for index, slug in enumerate(slugs)}
    cities = sorted(city_stages(queryset, as_of, stages), key=lambda c: position[c.slug])
    timeline = stage_timeline(cities, as_of)
    return timeline, stages, timeline_sources(timeline)


def timeline_sources(timeline: Timeline) -> SourcesNote:
    return timeline_sources_note(timeline, source_titles(*timeline_source_targets(timeline)))


def timeline_source_targets(timeline: Timeline) -> tuple:
    """The rows whose sources a timeline's note names: its assessments and events."""
    return (
        (Assessment, ids_in(list(timeline.assessment_ids))),
        (Event, ids_in(list(timeline.event_ids))),
    )


def timeline_sources_note(timeline: Timeline, titles: tuple[str, ...]) -> SourcesNote:
    newest = max(timeline.points, key=lambda p: p.period_start, default=None)
    if newest is None:
        return SourcesNote(titles, None)
    return SourcesNote(titles, newest.period_start, newest.precision)


# A stage's basis by its stored value: a look-up per row is cheaper than the enum's call.
BASES = {basis.value: basis for basis in StageBasis}

# What ``with_stage_as_of`` annotates and a CityStage row is built from.
CITY_STAGE_VALUES = (
    "pk",
    "name",
    "slug",
    "state",
    "compact__signing_year",
    "current_stage_order",
    "current_period_start",
    "current_stage_provenance",
    "current_period_precision",
    "current_stage_confidence",
    "peak_stage_order",
    "backslid",
    "loss_status",
)


def city_stages(
    queryset,
    as_of: datetime.date,
    stages: list[Stage],
    *,
    details: bool = True,
    finding_cities: set[int] = frozenset(),
) -> list[CityStage]:
    """CityStage rows from a queryset annotated by ``with_stage_as_of``, with their findings
    and claims: three queries. Without ``details`` (a long list that draws a page of its rows
    and attaches theirs with ``with_details``), one, each row knowing only whether it has a
    finding (its city is in ``finding_cities``)."""
    return city_stages_of_rows(
        list(queryset.values(*CITY_STAGE_VALUES)),
        as_of,
        stages,
        details=details,
        finding_cities=finding_cities,
    )


def city_stages_of_rows(
    rows: list[dict],
    as_of: datetime.date,
    stages: list[Stage],
    *,
    details: bool = True,
    finding_cities: set[int] = frozenset(),
) -> list[CityStage]:
    """``city_stages`` from its queryset's ``CITY_STAGE_VALUES`` rows, read already."""
    stage_names = {s.order: s.name for s in stages}
    if not details:
        return [
            _city_stage(row, stage_names, (), None, row["pk"] in finding_cities) for row in rows
        ]
    findings = findings_by_city([row["pk"] for row in rows], as_of)
    claims = current_claims(
        {row["pk"]: row["current_period_start"] for row in rows if row["current_period_start"]}
    )
    return [
        _city_stage(row, stage_names, findings.get(row["pk"], ()), claims.get(row["pk"]))
        for row in rows
    ]


def _city_stage(row, stage_names, findings, claim, has_findings=False) -> CityStage:
    return CityStage(
        pk=row["pk"],
        name=row["name"],
        slug=row["slug"],
        state=row["state"],
        signing_year=row["compact__signing_year"],
        current_order=row["current_stage_order"],
        # Named here, not by a look-up per row in the SQL (5,000 look-ups for 5,000 cities).
        current_name=stage_names.get(row["current_stage_order"]),
        current_period=row["current_period_start"],
        current_basis=BASES.get(row["current_stage_provenance"]),
        peak_order=row["peak_stage_order"],
        peak_name=stage_names.get(row["peak_stage_order"]),
        backslid=bool(row["backslid"]),
        findings=findings,
        current_precision=row["current_period_precision"] or DatePrecision.MONTH,
        current_confidence=row["current_stage_confidence"] or "",
        loss_status=row["loss_status"],
        claim=claim,
        has_findings=has_findings or bool(findings),
    )


def profile_timeline(
    city: City, as_of: datetime.date, stages: list[Stage]
) -> tuple[Timeline, SourcesNote]:
    """``city_timeline`` for one city from what ``cities.selectors.city_profile`` loaded (its
    standing, published assessments with claims, events known by ``as_of``, their citations):
    no query. The city page draws no findings on its timeline, so the row carries none (only
    whether there are)."""
    compact = getattr(city, "compact", None)
    row = {name: getattr(city, name) for name in CITY_STAGE_VALUES if "__" not in name}
    row["compact__signing_year"] = compact.signing_year if compact else None
    assessments = [a for a in city.published_assessments if a.period_start <= as_of]
    current = next((a for a in assessments if a.period_start == city.current_period_start), None)
    stage_row = _city_stage(
        row,
        {s.order: s.name for s in stages},
        (),
        current.claim if current else None,
        has_findings=bool(city.trajectory_findings.all()),
    )
    points = tuple(
        TimelinePoint(
            city_label=stage_row.label,
            period_start=a.period_start,
            stage_order=a.consensus_stage.order,
            stage_name=a.consensus_stage.name,
            basis=StageBasis(a.stage_provenance),
            precision=a.period_precision,
            confidence=a.stage_confidence,
            claim=a.claim,
        )
        for a in assessments
    )
    events = sorted(
        city.events.all(),
        key=lambda e: (e.occurred_on is None, e.occurred_on or datetime.date.min, e.key),
    )
    timeline = Timeline(
        cities=(stage_row,),
        points=points,
        events=tuple(
            _timeline_event(stage_row.label, {name: getattr(event, name) for name in EVENT_VALUES})
            for event in events
        ),
        as_of=as_of,
        assessment_ids=tuple(a.pk for a in assessments),
        event_ids=tuple(event.pk for event in events),
    )
    # The sources behind the points and events, from their attached citations, in the
    # order ``source_titles`` reads them.
    cited = {
        citation.source_id: citation.source
        for record in (*assessments, *events)
        for citation in record.citations.all()
    }
    titles = tuple(
        source.title
        for source in sorted(
            cited.values(),
            key=lambda s: (s.published_on is None, s.published_on or datetime.date.min, s.title),
        )
    )
    if not points:
        return timeline, SourcesNote(titles, None)
    return timeline, SourcesNote(titles, points[-1].period_start, points[-1].precision)


def with_details(cities: list[CityStage], findings: list[dict]) -> list[CityStage]:
    """Rows read without details, with their findings (from ``known_findings`` rows) and the
    claim of each one's current stage attached: one query."""
    wanted = {city.pk for city in cities}
    findings = group_findings([row for row in findings if row["city_id"] in wanted])
    claims = current_claims({c.pk: c.current_period for c in cities if c.current_period})
    return [
        dataclasses.replace(
            city,
            findings=findings.get(city.pk, ()),
            claim=claims.get(city.pk),
            has_findings=city.pk in findings,
        )
        for city in cities
    ]


def known_findings(as_of: datetime.date, city_ids: list[int] | None = None) -> list[dict]:
    """Every trajectory finding known by ``as_of`` (of ``city_ids`` when given) with its city
    and primary citation, each city's oldest first: one query (the citation via
    subqueries, not a generic-relation prefetch). ``group_findings`` makes Finding rows of
    them; a page that needs findings for several things reads them once. Its SQL is
    compiled once per month (``common.sql.values_rows``), the cities as an array argument."""

    def findings(*chosen: list[int]):
        first_citation = citations_of_outer_row(TrajectoryFinding).order_by("-is_primary", "id")
        known = TrajectoryFinding.objects.all()
        if chosen:
            known = known.filter(city_id__in=ids_in(chosen[0]))
        return (
            known.known_by(as_of)
            .annotate(
                quote=Subquery(first_citation.values("quote")[:1]),
                source_title=Subquery(first_citation.values("source__title")[:1]),
                source_dated=Subquery(
                    first_citation.annotate(
                        dated=Coalesce("source__published_on", "source__known_no_earlier_than")
                    ).values("dated")[:1]
                ),
                source_published=Subquery(first_citation.values("source__published_on")[:1]),
                source_precision=Subquery(first_citation.values("source__date_precision")[:1]),
            )
            # Oldest first: by the period found, else by the report's date; undated last.
            .order_by(
                "city_id",
                Coalesce("period_start", "source_dated").asc(nulls_last=True),
                "key",
            )
            .values(*FINDING_VALUES)
        )

    chosen = () if city_ids is None else (list(city_ids),)
    cited_as = ContentType.objects.get_for_model(TrajectoryFinding).pk
    return values_rows(("known_findings", as_of, cited_as, bool(chosen)), findings, *chosen)


# A known finding's columns (``known_findings``).
FINDING_VALUES = (
    "pk",
    "key",
    "city_id",
    "city__name",
    "city__state",
    "direction",
    "naming",
    "summary",
    "period_start",
    "period_precision",
    "period_as_written",
    "quote",
    "source_title",
    "source_dated",
    "source_published",
    "source_precision",
)


def findings_by_city(city_ids: list[int], as_of: datetime.date) -> dict[int, tuple[Finding, ...]]:
    """Each city's trajectory findings up to ``as_of`` with their primary citation: one
    query."""
    return group_findings(known_findings(as_of, city_ids))


def group_findings(findings: list[dict]) -> dict[int, tuple[Finding, ...]]:
    """``known_findings`` rows as each city's Finding rows, in their order."""
    labels = dict(TrajectoryFinding.Direction.choices)
    by_city: dict[int, list[Finding]] = {}
    for row in findings:
        by_city.setdefault(row["city_id"], []).append(
            Finding(
                direction=row["direction"],
                direction_label=labels.get(row["direction"], row["direction"]),
                summary=row["summary"],
                period_label=dates.finding_period_label(
                    row["period_as_written"], row["period_start"], row["period_precision"]
                ),
                evidence=f"“{row['quote']}” ({row['source_title']})" if row["quote"] else "",
                report=short_title(row["source_title"] or ""),
                date_label=_finding_date(row),
            )
        )
    return {city_id: tuple(items) for city_id, items in by_city.items()}


def short_title(title: str, limit: int = 32) -> str:
    """A report's title short enough for a chart: the part before its colon, cut at a word
    with an ellipsis when still longer than ``limit``."""
    short = title.split(":")[0].strip()
    if len(short) <= limit:
        return short
    return short[: short.rfind(" ", 0, limit)].rstrip(" ,;-") + "…"


def _finding_date(row: dict) -> str:
    """When a finding is from, short: its period; else the report's date."""
    if row["period_start"]:
        return dates.period_label(row["period_start"], row["period_precision"])
    if row["source_published"]:
        published = dates.period_label(row["source_published"], row["source_precision"])
        return f"undated, report of {published}"
    if row["source_dated"]:
        return f"undated, report after {row['source_dated']:%b %Y}"
    return "undated"


def stage_timeline(cities: list[CityStage], as_of: datetime.date) -> Timeline:
    """The published stages and the events of ``cities`` up to ``as_of``: two queries."""
    slugs = [city.slug for city in cities]
    label_by_slug = {city.slug: city.label for city in cities}
    assessments = values_rows(
        ("timeline_assessments", as_of, tuple(slugs)),
        lambda: (
            Assessment.objects.published()
            .as_of(as_of)
            .filter(city__slug__in=slugs)
            .with_claims()
            .values(
                "pk",
                "city__slug",
                "period_start",
                "consensus_stage__order",
                "consensus_stage__name",
                "period_precision",
                *CLAIM_VALUES,
            )
            .order_by("city__slug", "period_start")
        ),
    )
    points = tuple(
        TimelinePoint(
            city_label=label_by_slug[row["city__slug"]],
            period_start=row["period_start"],
            stage_order=row["consensus_stage__order"],
            stage_name=row["consensus_stage__name"],
            basis=StageBasis(row["stage_provenance"]),
            precision=row["period_precision"],
            confidence=row["stage_confidence"],
            claim=claim_from_values(row),
        )
        for row in assessments
    )
    # Each event of the cities known by the date, once per city it concerns.
    cited_as = ContentType.objects.get_for_model(Event).pk
    links = values_rows(
        ("timeline_events", as_of, tuple(slugs), cited_as),
        lambda: (
            Event.cities.through.objects.filter(city__slug__in=slugs)
            .filter(event__in=Event.objects.known_by(as_of).values("pk"))
            .order_by("event__occurred_on", "event__key")
            .values("city__slug", *(f"event__{name}" for name in EVENT_VALUES))
        ),
    )
    return Timeline(
        cities=tuple(cities),
        points=points,
        events=tuple(
            _timeline_event(
                label_by_slug[link["city__slug"]],
                {name: link[f"event__{name}"] for name in EVENT_VALUES},
            )
            for link in links
        ),
        as_of=as_of,
        assessment_ids=tuple(row["pk"] for row in assessments),
        # An event of several of the cities is drawn for each; its sources count once.
        event_ids=tuple(dict.fromkeys(link["event__id"] for link in links)),
    )


# The columns of an event a timeline draws (``_timeline_event``).
EVENT_VALUES = ("id", "occurred_on", "date_as_written", "kind", "title", "date_precision")


def _timeline_event(city_label: str, event: dict) -> TimelineEvent:
    """An event as a timeline draws it, from its ``EVENT_VALUES``."""
    return TimelineEvent(
        city_label=city_label,
        occurred_on=event["occurred_on"],
        date_as_written=event["date_as_written"],
        kind_label=_EVENT_KINDS.get(event["kind"], event["kind"]),
        title=event["title"],
        kind=event["kind"],
        precision=event["date_precision"],
    )


_EVENT_KINDS = dict(Event.Kind.choices)
