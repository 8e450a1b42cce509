"""Reads for the funder's cohorts: cities grouped by the year their compact was signed, their
published stages placed by years since signing (published data only)."""

from __future__ import annotations

import datetime
from itertools import groupby

from django.db.models import F, FloatField, Value
from django.db.models.functions import Cast, ExtractMonth, ExtractYear

from charts.rows import Cohort, CohortCity, CohortPoint, SourcesNote
from cities.models import City
from common.choices import StageBasis
from common.labels import city_label
from compacts.claims import CLAIM_VALUES, claim_from_values
from compacts.models import Assessment, Stage
from sources.selectors import source_titles


def _years_since_signing():
    """Years from 1 January of the signing year (only the year is recorded) to the start
    of the assessed period, in twelfths: a 2016-07 period of a 2011 compact is 5.5."""
    year = Cast(ExtractYear("period_start") - F("city__compact__signing_year"), FloatField())
    month = Cast(ExtractMonth("period_start") - 1, FloatField())
    return year + month / Value(12.0)


def cohort_progress(*, as_of: datetime.date) -> tuple[list[Cohort], list[Stage], SourcesNote]:
    """Cities grouped by the year their compact was signed (oldest cohort first), each with
    its published stages up to ``as_of`` placed by years since signing (computed in the
    database); cities with none are in their cohort, not assessed. Cities with no signing
    year on record are in no cohort. Four queries."""
    stages = list(Stage.objects.order_by("order"))
    cities = (
        City.objects.filter(compact__signing_year__isnull=False)
        .order_by("compact__signing_year", "name", "state")
        .values_list("pk", "name", "state", "compact__signing_year")
    )
    assessments = (
        Assessment.objects.published()
        .as_of(as_of)
        .filter(city__compact__signing_year__isnull=False)
    )
    points: dict[int, list[CohortPoint]] = {}
    for row in (
        assessments.annotate(years_since_signing=_years_since_signing())
        .with_claims()
        .order_by("city_id", "period_start")
        .values(
            "city_id",
            "period_start",
            "years_since_signing",
            "consensus_stage__order",
            "consensus_stage__name",
            "period_precision",
            *CLAIM_VALUES,
        )
    ):
        points.setdefault(row["city_id"], []).append(
            CohortPoint(
                period_start=row["period_start"],
                years_since_signing=round(row["years_since_signing"], 2),
                stage_order=row["consensus_stage__order"],
                stage_name=row["consensus_stage__name"],
                basis=StageBasis(row["stage_provenance"]),
                precision=row["period_precision"],
                confidence=row["stage_confidence"],
                claim=claim_from_values(row),
            )
        )
    cohorts = [
        Cohort(
            signing_year=year,
            cities=tuple(
                CohortCity(label=city_label(name, state), points=tuple(points.get(pk, ())))
                for pk, name, state, _ in members
            ),
        )
        for year, members in groupby(cities, key=lambda city: city[3])
    ]
    newest = max(
        (p for ps in points.values() for p in ps), key=lambda p: p.period_start, default=None
    )
    titles = source_titles((Assessment, assessments.values("pk")))
    sources = (
        SourcesNote(titles, newest.period_start, newest.precision)
        if newest
        else SourcesNote(titles, None)
    )
    return cohorts, stages, sources
