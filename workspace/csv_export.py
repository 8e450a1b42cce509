"""CSV export of assessments and ratings for researchers and leads.

Every assessment, drafts included, one row per rating the user may see (blind rating:
``selectors.visible_ratings_for``) with its evidence (interview fields included), the lead's
consensus note and the rating's version, which an import of the file checks. On a draft the
consensus stage and note are blank for a researcher who has not rated it yet (blind rating:
``selectors.may_see_consensus``). Everyone else is
sent to the public CSV (cities.assessments_csv). Every cell a spreadsheet would run as a
formula is neutralised.
"""

from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from django.db.models import Prefetch

from accounts import roles
from common.spreadsheet import SafeWriter
from compacts.models import Assessment

from .models import ConsensusNote, Evidence, Rating
from .selectors import visible_ratings_for

CHUNK = 200
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


def _describe(evidence: Evidence) -> str:
    if evidence.interview_id:
        i = evidence.interview
        return (
            f"interview {i.pk} ({i.conducted_on}, {i.get_sector_display()}: {i.interviewee_role})"
        )
    where = f" ({evidence.location})" if evidence.location else ""
    return f"source {evidence.source.key}: “{evidence.quote}”{where}"


def _in_chunks(queryset, size: int) -> Iterator[list]:
    rows = queryset.iterator(chunk_size=size)
    while chunk := list(islice(rows, size)):
        yield chunk


def _researcher_rows(user) -> Iterator[list]:
    ratings = (
        visible_ratings_for(user=user)
        .select_related("rater", "stage")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("interview", "source"))
        )
        .order_by("rater__username")
    )
    assessments = Assessment.objects.select_related("city", "consensus_stage").order_by(
        "city__name", "period_start"
    )
    lead = roles.is_lead(user)
    # Assessments have no accessor into the workspace: ratings and notes are read from
    # their own side, a chunk of assessments at a time.
    for chunk in _in_chunks(assessments, CHUNK):
        ids = [a.pk for a in chunk]
        ratings_of = defaultdict(list)
        for rating in ratings.filter(assessment_id__in=ids):
            ratings_of[rating.assessment_id].append(rating)
        notes = dict(
            ConsensusNote.objects.filter(assessment_id__in=ids).values_list("assessment_id", "text")
        )
        rated = set(
            Rating.objects.filter(assessment_id__in=ids, rater=user).values_list(
                "assessment_id", flat=True
            )
        )
        for a in chunk:
            # The same rule as selectors.may_see_consensus, for a chunk at a time.
            if lead or a.is_published or a.pk in rated:
                yield from _assessment_rows(
                    a, a.consensus_stage, notes.get(a.pk, ""), ratings_of[a.pk]
                )
            else:
                yield from _assessment_rows(a, None, "", ratings_of[a.pk])


def _assessment_rows(a: Assessment, consensus, note: str, ratings: list) -> Iterator[list]:
    base = [
        a.city.slug,
        a.city.name,
        a.period_label,
        a.period_start.isoformat(),
        a.period_precision,
        a.status,
        consensus.name if consensus else "",
        note,
        a.published_at.isoformat() if a.published_at else "",
    ]
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
    """CSV lines (header first) of what researcher or lead ``user`` may download."""
    writer = SafeWriter(_Echo())
    yield writer.writerow(RESEARCHER_COLUMNS)
    yield from (writer.writerow(row) for row in _researcher_rows(user))
