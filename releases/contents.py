"""What goes into a release: every public table's rows, and every citation of a public row.

Public means what the public pages may show: published assessments only (never a draft's
stage or citations), no workspace table at all, the sources public citations name (without
their full text), and published figures without the site's own derived counts (which are
no document's figures).
Each model whose rows carry citations is listed in ``CITED`` with the table it goes to and
the identifier it is cited by; a test holds ``CITED`` to every cited model.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from cities.models import City, CityNote, ContextFactor, Event
from common import dates
from compacts.models import (
    Assessment,
    Compact,
    Discrepancy,
    FigureKind,
    Initiative,
    InitiativeFigure,
    InitiativeStatus,
    InitiativeType,
    PublishedFigure,
    ResearchFinding,
    RevisionLogEntry,
    Stage,
    TrajectoryFinding,
)
from sources.models import Citation, Source


def published_assessments() -> QuerySet[Assessment]:
    return Assessment.objects.published().select_related("city", "consensus_stage")


def published_figures() -> QuerySet[PublishedFigure]:
    """The documents' own figures: every published figure but the derived counts."""
    return PublishedFigure.objects.exclude(kind=FigureKind.DERIVED)


def public_sources() -> QuerySet[Source]:
    """Sources a public citation names, and documents whose own data is cited (the seed's
    sources, and the publications they refer to). A source a researcher added for the
    workspace's evidence alone (or that only a draft cites) stays out, title and all."""
    content_types = ContentType.objects.get_for_models(Assessment, PublishedFigure)
    private = Citation.objects.filter(
        content_type=content_types[Assessment],
        object_id__in=Assessment.objects.exclude(
            pk__in=published_assessments().values("pk")
        ).values("pk"),
    ) | Citation.objects.filter(
        content_type=content_types[PublishedFigure],
        object_id__in=PublishedFigure.objects.filter(kind=FigureKind.DERIVED).values("pk"),
    )
    named = Citation.objects.exclude(pk__in=private.values("pk")).values("source_id")
    # A document the seed drew from the documents: its own bibliographic data is cited.
    documented = Citation.objects.filter(content_type=ContentType.objects.get_for_model(Source))
    return Source.objects.filter(Q(pk__in=named) | Q(pk__in=documented.values("object_id")))


def _slugs(cities) -> str:
    return " ".join(sorted(city.slug for city in cities))


# Each public cited model: its table, its public rows, and the identifier a citation names.
CITED: dict[type[Model], tuple[str, Callable[[], QuerySet], Callable[[Model], str]]] = {
    City: ("cities", City.objects.all, lambda o: o.slug),
    CityNote: ("city_notes", CityNote.objects.all, lambda o: str(o.pk)),
    Stage: ("stages", Stage.objects.all, lambda o: str(o.order)),
    Compact: ("compacts", lambda: Compact.objects.select_related("city"), lambda o: o.city.slug),
    Assessment: (
        "assessments",
        published_assessments,  # never a draft's citations
        lambda o: f"{o.city.slug} {o.period_start.isoformat()}",
    ),
    TrajectoryFinding: ("trajectory_findings", TrajectoryFinding.objects.all, lambda o: o.key),
    InitiativeType: ("initiative_types", InitiativeType.objects.all, lambda o: o.key),
    Initiative: ("initiatives", Initiative.objects.all, lambda o: o.key),
    InitiativeStatus: ("initiative_statuses", InitiativeStatus.objects.all, lambda o: str(o.pk)),
    InitiativeFigure: ("initiative_figures", InitiativeFigure.objects.all, lambda o: str(o.pk)),
    Event: ("events", Event.objects.all, lambda o: o.key),
    ContextFactor: ("context_factors", ContextFactor.objects.all, lambda o: str(o.pk)),
    PublishedFigure: ("published_figures", published_figures, lambda o: o.key),
    ResearchFinding: ("research_findings", ResearchFinding.objects.all, lambda o: o.key),
    Discrepancy: ("discrepancies", Discrepancy.objects.all, lambda o: o.key),
    Source: ("sources", lambda: public_sources().only("key"), lambda o: o.key),
}


def citation_rows() -> Iterator[tuple]:
    """Every citation of a public row, table by table, in a stable order: one query per
    cited model and one for all the citations."""
    types = ContentType.objects.get_for_models(*CITED)
    by_target: dict[tuple[int, int], list[Citation]] = defaultdict(list)
    citations = (
        Citation.objects.filter(content_type__in=types.values())
        .select_related("source")
        .defer("source__text")
        .order_by("object_id", "field", "id")
    )
    for citation in citations:
        by_target[(citation.content_type_id, citation.object_id)].append(citation)
    for model, (table, records, identify) in CITED.items():
        content_type_id = types[model].pk
        for record in sorted(records(), key=lambda r: r.pk):
            for c in by_target.get((content_type_id, record.pk), ()):
                yield (
                    table,
                    identify(record),
                    c.field,
                    c.source.title,
                    c.source.key,
                    c.quote,
                    c.location,
                    c.provenance,
                    c.reasoning,
                    c.is_primary,
                )


def standing_rows(as_of: datetime.date) -> list[tuple]:
    """Every city's standing as of ``as_of`` (``compacts.standing``): current, period, peak
    and how sure a loss is."""
    names = dict(Stage.objects.values_list("order", "name"))
    cities = (
        City.objects.with_stage_as_of(as_of)
        .order_by("slug")
        .values_list(
            "slug",
            "current_stage_name",
            "current_period_start",
            "current_period_precision",
            "peak_stage_order",
            "loss_status",
        )
    )
    return [
        (
            slug,
            as_of,
            current or "",
            dates.period_label(start, precision) if start else "",
            names.get(peak, ""),
            status,
        )
        for slug, current, start, precision, peak, status in cities
    ]


def table_rows(as_of: datetime.date | None = None) -> dict[str, list | QuerySet]:
    """Every table's rows from the public data, in a stable order; standings as of
    ``as_of`` (today)."""
    figures = published_figures().select_related("stage").prefetch_related("named_cities")
    return {
        "cities": City.objects.order_by("slug").values_list(
            "slug", "name", "state", "entity_name", "kind", "collaboration_summary"
        ),
        "city_notes": CityNote.objects.order_by("pk").values_list("pk", "city__slug", "text"),
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
            "grant_note",
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
                *a.claim.cells()[2:],  # after basis and confidence, given above
            )
            for a in published_assessments().with_claims().order_by("city__slug", "period_start")
        ],
        "standings": standing_rows(as_of or timezone.localdate()),
        # The public log only: who recorded an entry, or why a lead overrode the evidence
        # coverage, stays in the workspace.
        "revisions": RevisionLogEntry.objects.published()
        .order_by("logged_on", "created_at", "pk")
        .values_list(
            "pk",
            "city__slug",
            "logged_on",
            "period_label",
            "action",
            "stage_before__name",
            "stage_after__name",
            "reason",
        ),
        "trajectory_findings": TrajectoryFinding.objects.order_by("key").values_list(
            "key",
            "city__slug",
            "direction",
            "naming",
            "summary",
            "period_start",
            "period_precision",
            "period_as_written",
        ),
        "initiative_types": InitiativeType.objects.order_by("key").values_list(
            "key", "label", "cost", "benefit", "description"
        ),
        "initiatives": Initiative.objects.with_current_status()
        .order_by("key")
        .values_list(
            "key",
            "city__slug",
            "network",
            "type__label",
            "type__key",
            "title",
            "description",
            "start_year",
            "end_year",
            "years_as_written",
            "current_status",
        ),
        "initiative_statuses": InitiativeStatus.objects.order_by("pk").values_list(
            "pk", "initiative__key", "status", "as_of_year", "note"
        ),
        "initiative_figures": InitiativeFigure.objects.order_by("pk").values_list(
            "pk", "initiative__key", "metric", "value", "as_of_year"
        ),
        "events": [
            (
                e.key,
                _slugs(e.cities.all()),
                e.kind,
                e.title,
                e.description,
                e.occurred_on,
                e.date_precision,
                e.date_as_written,
                e.date_is_approximate,
            )
            for e in Event.objects.prefetch_related("cities").order_by("key")
        ],
        "context_factors": ContextFactor.objects.order_by("pk").values_list(
            "pk", "city__slug", "kind", "description"
        ),
        "published_figures": [
            (
                f.key,
                f.value,
                f.value_as_written,
                f.unit,
                f.scope,
                f.stage.name if f.stage else "",
                f.as_of,
                f.as_of_precision,
                f.as_of_as_written,
                _slugs(f.named_cities.all()),
                f.note,
                f.comparison,
                f.compares,
                f.range_low,
                f.range_high,
                f.comparison_note,
            )
            for f in figures.order_by("key")
        ],
        "research_findings": [
            (
                f.key,
                f.kind,
                f.group,
                f.title,
                f.summary,
                f.position,
                _slugs(f.example_cities.all()),
            )
            for f in ResearchFinding.objects.prefetch_related("example_cities").order_by("key")
        ],
        "discrepancies": [
            (d.key, d.kind, d.summary, d.resolution, _slugs(d.cities.all()))
            for d in Discrepancy.objects.prefetch_related("cities").order_by("key")
        ],
        # Bibliographic data only: a source's full text is never shown to the public.
        "sources": public_sources()
        .order_by("key")
        .values_list(
            "key",
            "title",
            "authors",
            "publisher",
            "kind",
            "published_on",
            "date_precision",
            "date_as_written",
            "known_no_earlier_than",
            "url",
        ),
        "citations": list(citation_rows()),
    }
