"""Reads of how sure published stages are (``charts.claims.StageClaim``): the columns they
come from, and the claim of each city's current stage as of a date in one query."""

import datetime
from collections.abc import Mapping, Sequence

from charts.claims import StageClaim
from common.sql import ids_in

from .models import Assessment

# The values() an assessment query selects (after ``with_claims``) to build its claim.
CLAIM_VALUES = (
    "stage_provenance",
    "stage_confidence",
    "stage_document",
    "cited_sources",
    "rating_low_name",
    "rating_high_name",
    "rater_count",
    "rating_low_order",
    "rating_high_order",
    "rating_agreement",
    "evidence_district_interviews",
    "evidence_charter_interviews",
    "evidence_sources",
)


def claim_from_values(row: Mapping) -> StageClaim:
    """The claim of an assessment read as ``values(*CLAIM_VALUES)``."""
    return StageClaim.of(
        basis=row["stage_provenance"],
        confidence=row["stage_confidence"],
        document=row["stage_document"] or "",
        rating_count=row["rater_count"],
        rating_low_order=row["rating_low_order"],
        rating_high_order=row["rating_high_order"],
        rating_agreement=row["rating_agreement"],
        evidence_district_interviews=row["evidence_district_interviews"],
        evidence_charter_interviews=row["evidence_charter_interviews"],
        evidence_sources=row["evidence_sources"],
        cited_sources=row["cited_sources"],
        rating_low_name=row["rating_low_name"],
        rating_high_name=row["rating_high_name"],
    )


def current_claims(city_ids: Sequence[int], as_of: datetime.date) -> dict[int, StageClaim]:
    """The claim of each city's current stage (its latest published assessment starting on
    or before ``as_of``, as ``compacts.standing``): one query."""
    current = (
        Assessment.objects.published()
        .as_of(as_of)
        .filter(city_id__in=ids_in(list(city_ids)))
        .order_by("city_id", "-period_start")
        .distinct("city_id")
        .values("pk")
    )
    # The claims of the current assessments only: annotated before DISTINCT ON, they were
    # worked out for every assessment of every city (40,000 for 1,000 cities).
    rows = Assessment.objects.filter(pk__in=current).with_claims().values("city_id", *CLAIM_VALUES)
    return {row["city_id"]: claim_from_values(row) for row in rows}
