"""Reads for the funder views: the side-by-side comparison and the cohorts by signing year.

Published data only, as in selectors.py (kept apart because that module is at its size
limit). Each function issues a fixed number of queries, whatever the number of cities.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from itertools import groupby

from django.db.models import (
    Count,
    F,
    FloatField,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, ExtractMonth, ExtractYear

from charts.labels import city_label
from charts.rows import Cohort, CohortCity, CohortPoint, ComparedCity, SourcesNote
from cities.models import City
from compacts.choices import StageBasis
from compacts.models import Assessment, Initiative, Program, Stage, TrajectoryFinding
from compacts.standing import Trend
from sources import dates
from sources.selectors import source_titles

from .filters import COMPARE_MAX_CITIES


def city_comparison(*, slugs: Sequence[str], as_of: datetime.date) -> list[ComparedCity]:
    """The named cities side by side as of ``as_of``, in the order named (unknown slugs
    are skipped): compact, current and peak stage, trend, the latest trajectory finding
    and the initiatives counted by their status that year. Three queries."""
    slugs = list(slugs)[:COMPARE_MAX_CITIES]
    stage_names = dict(Stage.objects.values_list("order", "name"))
    latest_finding = (
        TrajectoryFinding.objects.filter(city=OuterRef("pk"))
        .up_to(as_of)
        # Undated findings count as the oldest, as undated initiative statuses do.
        .order_by(F("period_start").desc(nulls_last=True), "-key")
    )
    rows = (
        City.objects.filter(slug__in=slugs)
        .with_stage_as_of(as_of)
        .annotate(
            finding_direction=Subquery(latest_finding.values("direction")[:1]),
            finding_summary=Subquery(latest_finding.values("summary")[:1]),
            finding_period=Subquery(latest_finding.values("period_as_written")[:1]),
            finding_start=Subquery(latest_finding.values("period_start")[:1]),
            finding_precision=Subquery(latest_finding.values("period_precision")[:1]),
        )
        .values(
            "pk",
            "slug",
            "name",
            "state",
            "compact__program",
            "compact__signing_year",
            "compact__portfolio_at_signing",
            "compact__significant_funding",
            "current_stage_name",
            "current_period_start",
            "current_period_precision",
            "peak_stage_order",
            "backslid",
            "trend",
            "finding_direction",
            "finding_summary",
            "finding_period",
            "finding_start",
            "finding_precision",
        )
    )
    rows = sorted(rows, key=lambda row: slugs.index(row["slug"]))
    counts = _initiative_counts([row["pk"] for row in rows], as_of)
    programs = dict(Program.choices)
    directions = dict(TrajectoryFinding.Direction.choices)
    return [
        ComparedCity(
            slug=row["slug"],
            label=city_label(row["name"], row["state"]),
            program=programs.get(row["compact__program"], ""),
            signing_year=row["compact__signing_year"],
            portfolio=row["compact__portfolio_at_signing"],
            significant_funding=row["compact__significant_funding"],
            current_name=row["current_stage_name"],
            current_period=row["current_period_start"],
            peak_name=stage_names.get(row["peak_stage_order"]),
            backslid=bool(row["backslid"]),
            trend=Trend(row["trend"]).label if row["trend"] else "",
            latest_finding=_finding_text(row, directions),
            initiatives=counts.get(row["pk"], {}),
            current_precision=row["current_period_precision"] or dates.MONTH,
        )
        for row in rows
    ]


def _finding_text(row: dict, directions: dict[str, str]) -> str:
    if not row["finding_direction"]:
        return ""
    start = row["finding_start"]
    period = (
        row["finding_period"]
        or dates.period_label(start, row["finding_precision"] or dates.MONTH)
        or "undated"
    )
    label = directions.get(row["finding_direction"], row["finding_direction"])
    return f"{label} ({period}): {row['finding_summary']}"


def _initiative_counts(city_ids: list[int], as_of: datetime.date) -> dict[int, dict[str, int]]:
    """Initiatives started by the year of ``as_of``, counted by their status that year,
    per city (the same rule as the dashboard's Figure 7 matrix)."""
    initiatives = (
        Initiative.objects.filter(city_id__in=city_ids)
        .started_by(as_of)
        .with_current_status(as_of)
        .values("city_id", "current_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for row in initiatives:
        counts.setdefault(row["city_id"], {})[row["current_status"]] = row["n"]
    return counts


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
        .order_by("city_id", "period_start")
        .values(
            "city_id",
            "period_start",
            "years_since_signing",
            "consensus_stage__order",
            "consensus_stage__name",
            "stage_provenance",
            "period_precision",
            "stage_confidence",
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
