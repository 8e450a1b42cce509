"""Reads of how sure published stages are (``charts.claims.StageClaim``): the columns they
come from, and the claim of each city's current stage as of a date in one query."""

import datetime
from collections.abc import Mapping

from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from charts.claims import StageClaim
from common.sql import values_rows

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


def current_claims(periods: Mapping[int, datetime.date]) -> dict[int, StageClaim]:
    """The claim of each city's current stage, given the period its current assessment rates
    (``current_period_start`` from ``with_stage_as_of``; one published assessment per city
    and period): one query on the (city, period) index, whatever the number of assessments."""
    if not periods:
        return {}
    # One SQL for any cities: the (city, period) pairs go as two array arguments.
    rows = values_rows("current_claims", _claims_of, list(periods), list(periods.values()))
    return {row["city_id"]: claim_from_values(row) for row in rows}


def _claims_of(city_ids: list[int], periods: list[datetime.date]):
    pairs = RawSQL(
        '("compacts_assessment"."city_id", "compacts_assessment"."period_start")'
        " IN (SELECT * FROM unnest(%s::bigint[], %s::date[]))",
        (city_ids, periods),
        output_field=BooleanField(),
    )
    return (
        Assessment.objects.published()
        .filter(pairs)
        .with_claims()
        .order_by()
        .values("city_id", *CLAIM_VALUES)
    )
