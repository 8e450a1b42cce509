"""CSV export of assessments and ratings, shaped by who asks.

Researchers and leads get every assessment, drafts included, one row per rating they may
see (blind rating: ``selectors.visible_ratings_for``) with its evidence (interview fields
included) and its version, which an import of the file checks. Funders and the public get
published assessments only, one row per assessment, with no rating, rater or interview
field at all. Every cell a spreadsheet would run as a formula is neutralised.
"""

from collections.abc import Iterator

from django.db.models import Prefetch

from accounts import roles
from charts.spreadsheet import SafeWriter
from compacts.models import Assessment

from .models import Evidence
from .selectors import visible_ratings_for

PUBLIC_COLUMNS = [
    "city",
    "city_name",
    "state",
    "period",
    "period_start",
    "period_precision",
    "stage",
    "stage_order",
    "stage_provenance",
    "stage_reasoning",
    "published_at",
]
RESEARCHER_COLUMNS = [
    "city",
    "city_name",
    "period",
    "period_start",
    "period_precision",
    "status",
    "consensus_stage",
    "consensus_note",
    "published_at",
    "rater",
    "stage",
    "confidence",
    "rationale",
    "rating_updated_at",
    "version",
    "evidence",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _public_rows() -> Iterator[list]:
    queryset = (
        Assessment.objects.published()
        .select_related("city", "consensus_stage")
        .order_by("city__name", "period_start")
    )
    for a in queryset.iterator(chunk_size=500):
        yield [
            a.city.slug,
            a.city.name,
            a.city.state,
            a.period_label,
            a.period_start.isoformat(),
            a.period_precision,
            a.consensus_stage.name,
            a.consensus_stage.order,
            a.stage_provenance,
            a.stage_reasoning,
            a.published_at.isoformat(),
        ]


def _describe(evidence: Evidence) -> str:
    if evidence.interview_id:
        i = evidence.interview
        return (
            f"interview {i.pk} ({i.conducted_on}, {i.get_sector_display()}: {i.interviewee_role})"
        )
    where = f" ({evidence.location})" if evidence.location else ""
    return f"source {evidence.source.key}: “{evidence.quote}”{where}"


def _researcher_rows(user) -> Iterator[list]:
    ratings = (
        visible_ratings_for(user=user)
        .select_related("rater", "stage")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("interview", "source"))
        )
        .order_by("rater__username")
    )
    queryset = (
        Assessment.objects.select_related("city", "consensus_stage")
        .prefetch_related(Prefetch("ratings", queryset=ratings))
        .order_by("city__name", "period_start")
    )
    for a in queryset.iterator(chunk_size=200):
        base = [
            a.city.slug,
            a.city.name,
            a.period_label,
            a.period_start.isoformat(),
            a.period_precision,
            a.status,
            a.consensus_stage.name if a.consensus_stage else "",
            a.consensus_note,
            a.published_at.isoformat() if a.published_at else "",
        ]
        ratings = list(a.ratings.all())
        if not ratings:
            yield [*base, "", "", "", "", "", "", ""]
        for r in ratings:
            yield [
                *base,
                r.rater.get_username(),
                r.stage.name,
                r.confidence,
                r.rationale,
                r.updated_at.isoformat(),
                r.version,
                " | ".join(_describe(e) for e in r.evidence.all()),
            ]


def export_lines(*, user) -> Iterator[str]:
    """CSV lines (header first) of what ``user`` may download."""
    writer = SafeWriter(_Echo())
    if roles.is_researcher(user):
        yield writer.writerow(RESEARCHER_COLUMNS)
        yield from (writer.writerow(row) for row in _researcher_rows(user))
    else:
        yield writer.writerow(PUBLIC_COLUMNS)
        yield from (writer.writerow(row) for row in _public_rows())
